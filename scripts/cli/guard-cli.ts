// The CLI's first import (see server/startup/guard-process.ts).
import { guardProcess } from '../../server/startup/guard-process.ts';

guardProcess(`cli ${process.argv[2] ?? ''}`.trim(), 'error: ');
