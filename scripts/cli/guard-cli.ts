// The CLI's first import (see server/startup/guard-process.ts).
import { guardProcess } from '../../server/startup/guard-process.ts';
import { makeStateFolderPrivate } from '../../server/startup/private-folder.ts';

guardProcess(`cli ${process.argv[2] ?? ''}`.trim(), 'error: ');
// Before any command writes there; on stderr, since some commands' stdout is read by scripts.
makeStateFolderPrivate((line) => console.error(`note: ${line}`));
