import { getDb, type DbTransaction } from '../db/client.ts';
import { parseJson } from '../schemas/common.ts';
import type { LoadedFrame } from '../dataset/read-dataset.ts';
import type { Segmenter } from '../inference/segmenter.ts';
import { imageConfusionsSchema, robustnessSpecSchema, type RobustnessSpec } from '../schemas/robustness.ts';
import { scoreCorruptedFrames } from './score-corrupted-frames.ts';

/** The corruptions and severities of a robustness run; null for a plain evaluation run. */
export async function robustnessSpecOf(runId: string): Promise<RobustnessSpec | null> {
  const row = await getDb().robustnessRun.findUnique({ where: { runId }, select: { corruptions: true, severities: true } });
  return row ? parseJson(robustnessSpecSchema, row, `run ${runId} robustness`) : null;
}

/** Marks a new evaluation run as a robustness run, in the transaction that creates it (before its chunks can run). */
export async function createRobustnessRow(tx: DbTransaction, runId: string, spec: RobustnessSpec): Promise<void> {
  await tx.robustnessRun.create({ data: { runId, corruptions: spec.corruptions, severities: spec.severities } });
}

/**
 * The robustness part of one batch of an evaluation chunk: every corrupted variant of each
 * frame scored and stored, one upsert per (run, image), so a repeated chunk overwrites
 * rather than duplicates. Runs before the frame's clean prediction is stored: a stored
 * prediction means the frame is complete, which is what a retried chunk skips on.
 */
export async function scoreRobustnessBatch(o: {
  runId: string;
  spec: RobustnessSpec;
  images: readonly { id: string; key: string; contentHash: string }[];
  frames: readonly LoadedFrame[];
  segmenter: Segmenter;
}): Promise<void> {
  const confusions = await scoreCorruptedFrames({
    frames: o.frames.map((f, j) => ({ key: o.images[j].contentHash, rgb: f.rgb, label: f.label })),
    spec: o.spec,
    segmenter: o.segmenter,
  });
  const db = getDb();
  await Promise.all(
    o.images.map((img, j) => {
      const data = parseJson(imageConfusionsSchema, confusions[j], `robustness of ${img.key}`);
      return db.robustnessImage.upsert({
        where: { runId_imageId: { runId: o.runId, imageId: img.id } },
        create: { runId: o.runId, imageId: img.id, confusions: data },
        update: { confusions: data },
      });
    }),
  );
}
