// The worker's first import (see server/startup/guard-process.ts).
import { guardProcess } from '../startup/guard-process.ts';

guardProcess('worker', `[worker ${process.pid}] `);
