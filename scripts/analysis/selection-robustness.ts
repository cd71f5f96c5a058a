/**
 * A checkpoint's mIoU on the training selection split, clean and under weather and sensor
 * corruptions that the photometric augmentation does not simulate (fog, rain, motion blur, JPEG;
 * severity 3). The selection split is frames of the training drive, so it cannot show what an
 * augmentation for other conditions is for; this asks the same frames under other conditions,
 * without touching val or the official frames.
 *
 *   npx tsx scripts/analysis/selection-robustness.ts CHECKPOINT_DIR [...]   (prints one JSON line each)
 *   npx tsx scripts/analysis/selection-robustness.ts --set weather CHECKPOINT_DIR [...]
 *
 * `--set weather` asks what weather variation never draws (decision 0007): fog, rain and motion
 * blur at severity 5 (it draws them up to 3) and JPEG at 3 (nothing in training simulates it).
 */
import path from 'node:path';
import { computeMetrics } from '../../server/metrics/class-metrics.ts';
import { confusionFromRows, sumConfusions } from '../../server/metrics/confusion-matrix.ts';
import { loadFrame, scanDataset } from '../../server/dataset/read-dataset.ts';
import { disposeSegmenters, getSegmenter } from '../../server/inference/segmenter.ts';
import { scoreCorruptedFrames } from '../../server/robustness/score-corrupted-frames.ts';
import type { Corruption } from '../../server/schemas/robustness.ts';
import { carveSelectionSplit } from '../../server/training/selection-split.ts';

/** The corruptions each check asks, with the severity of each. */
const SETS: Record<string, [Corruption, number][]> = {
  photometric: [
    ['fog', 3],
    ['rain', 3],
    ['motion-blur', 3],
    ['jpeg', 3],
  ],
  weather: [
    ['fog', 5],
    ['rain', 5],
    ['motion-blur', 5],
    ['jpeg', 3],
  ],
};

const args = process.argv.slice(2);
const setName = args[0] === '--set' ? args[1] : 'photometric';
const dirs = args[0] === '--set' ? args.slice(2) : args;
const set = SETS[setName];
if (!set || !dirs.length) throw new Error(`usage: selection-robustness.ts [--set ${Object.keys(SETS).join('|')}] CHECKPOINT_DIR [...]`);
const ds = await scanDataset(path.resolve('data/carla-drive'));
const { selection } = carveSelectionSplit(ds);
const frames = await Promise.all(selection.map(async (f) => ({ ...(await loadFrame(ds, f)), key: f.contentHash })));
for (const dir of dirs) {
  const segmenter = await getSegmenter(dir);
  const miouOf = async (corruption: Corruption, severity: number) => {
    const scored = await scoreCorruptedFrames({ frames, spec: { corruptions: [corruption], severities: [severity] }, segmenter });
    return computeMetrics(sumConfusions(scored.map((s) => confusionFromRows(s[corruption]![0])))).miou;
  };
  const clean = await miouOf('fog', 0); // severity 0 is the frame itself
  const scores: number[] = [];
  for (const [c, severity] of set) scores.push(await miouOf(c, severity));
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  // One severity for the whole set keeps the line's old shape; a set of several names each one.
  const severities = new Set(set.map(([, v]) => v));
  const severity = severities.size === 1 ? [...severities][0] : Object.fromEntries(set.map(([c, v]) => [c, v]));
  console.log(
    JSON.stringify({ checkpoint: dir, set: setName, clean, corruptedMean: mean, severity, ...Object.fromEntries(set.map(([c], i) => [c, scores[i]])) }),
  );
}
await disposeSegmenters();
