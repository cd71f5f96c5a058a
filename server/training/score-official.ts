import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadFrame, scanDataset } from '../dataset/read-dataset.ts';
import { getSegmenter } from '../inference/segmenter.ts';
import { computeMetrics } from '../metrics/class-metrics.ts';
import { accumulateConfusion, emptyConfusion } from '../metrics/confusion-matrix.ts';
import { modelCardSchema } from '../schemas/checkpoint.ts';
import { parseJson } from '../schemas/common.ts';
import { readModelCard } from '../checkpoints/read-model-card.ts';

/**
 * mIoU of a checkpoint on a held-out folder (the 4 official frames), with the same
 * segmenter, hood policy and dataset-level metric as evaluation runs; written into its card.
 */
export async function scoreHeldOut(checkpointDir: string, datasetRoot: string): Promise<{ miou: number; perClass: (number | null)[] }> {
  const ds = await scanDataset(datasetRoot, { split: 'all-test' });
  const segmenter = await getSegmenter(checkpointDir);
  const cm = emptyConfusion();
  for (const f of ds.frames) {
    const frame = await loadFrame(ds, f);
    accumulateConfusion(cm, frame.label.data, (await segmenter.segment(frame.rgb)).label.data);
  }
  const m = computeMetrics(cm);
  return { miou: m.miou, perClass: m.perClass.map((c) => (Number.isNaN(c.iou) ? null : c.iou)) };
}

export async function writeOfficialScore(checkpointDir: string, datasetRoot: string): Promise<number> {
  const { miou, perClass } = await scoreHeldOut(checkpointDir, datasetRoot);
  const file = path.join(checkpointDir, 'card.json');
  const card = readModelCard(await readFile(file, 'utf8'), file);
  const scored = parseJson(modelCardSchema, { ...card, officialMiou: miou, officialPerClassIou: perClass }, file);
  await writeFile(file, JSON.stringify(scored, null, 1));
  return miou;
}
