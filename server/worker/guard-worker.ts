// The worker's first import (see server/startup/guard-process.ts).
import { guardProcess } from '../startup/guard-process.ts';
import { makeStateFolderPrivate } from '../startup/private-folder.ts';

guardProcess('worker', `[worker ${process.pid}] `);
makeStateFolderPrivate((line) => console.log(`[worker ${process.pid}] ${line}`));
