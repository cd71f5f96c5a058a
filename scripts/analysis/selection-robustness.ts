/**
 * A checkpoint's mIoU on the training selection split, clean and under weather and sensor
 * corruptions that the photometric augmentation does not simulate (fog, rain, motion blur, JPEG;
 * severity 3). The selection split is frames of the training drive, so it cannot show what an
 * augmentation for other conditions is for; this asks the same frames under other conditions,
 * without touching val or the official frames.
 *
 *   npx tsx scripts/analysis/selection-robustness.ts CHECKPOINT_DIR [...]   (prints one JSON line each)
 */
import path from 'node:path';
import { computeMetrics } from '../../server/metrics/class-metrics.ts';
import { confusionFromRows, sumConfusions } from '../../server/metrics/confusion-matrix.ts';
import { loadFrame, scanDataset } from '../../server/dataset/read-dataset.ts';
import { disposeSegmenters, getSegmenter } from '../../server/inference/segmenter.ts';
import { scoreCorruptedFrames } from '../../server/robustness/score-corrupted-frames.ts';
import type { Corruption } from '../../server/schemas/robustness.ts';
import { carveSelectionSplit } from '../../server/training/selection-split.ts';

const CORRUPTIONS: Corruption[] = ['fog', 'rain', 'motion-blur', 'jpeg'];
const SEVERITY = 3;

const dirs = process.argv.slice(2);
if (!dirs.length) throw new Error('usage: selection-robustness.ts CHECKPOINT_DIR [...]');
const ds = await scanDataset(path.resolve('data/carla-drive'));
const { selection } = carveSelectionSplit(ds);
const frames = await Promise.all(selection.map(async (f) => ({ ...(await loadFrame(ds, f)), key: f.contentHash })));
for (const dir of dirs) {
  const segmenter = await getSegmenter(dir);
  const miouOf = async (corruptions: Corruption[], severity: number) => {
    const scored = await scoreCorruptedFrames({ frames, spec: { corruptions, severities: [severity] }, segmenter });
    return corruptions.map((c) => computeMetrics(sumConfusions(scored.map((s) => confusionFromRows(s[c]![0])))).miou);
  };
  const [clean] = await miouOf(['fog'], 0); // severity 0 is the frame itself
  const scores = await miouOf(CORRUPTIONS, SEVERITY);
  const corrupted = Object.fromEntries(CORRUPTIONS.map((c, i) => [c, scores[i]]));
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  console.log(JSON.stringify({ checkpoint: dir, clean, corruptedMean: mean, severity: SEVERITY, ...corrupted }));
}
await disposeSegmenters();
