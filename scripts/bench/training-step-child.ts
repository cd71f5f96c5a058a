// One TF.js training-step measurement for `npm run bench -- --only training`, in its own process
// (scripts/bench/training.ts): prints the row as one JSON line.
import { ARCHITECTURES } from '../../models/config.ts';
import { measureStep, TRAINING_SETTINGS } from './training.ts';

const [arch, settingIndex, runs] = process.argv.slice(2);
const a = ARCHITECTURES.find((x) => x === arch);
const st = TRAINING_SETTINGS[Number(settingIndex)];
if (!a || !st) throw new Error(`usage: training-step-child.ts <arch> <setting index> <runs>`);
console.log(JSON.stringify(await measureStep(a, st, 'tfjs', Number(runs))));
process.exit(0);
