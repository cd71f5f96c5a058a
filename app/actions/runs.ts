'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createEvaluationRun, SPLITS } from '@/server/evaluation/create-evaluation-run';
import { cancelEvaluationRun } from '@/server/evaluation/cancel-evaluation-run';
import { listCheckpointIds } from '@/server/checkpoints/list-checkpoints';
import { cancelTrainingRun, startTrainingRun, startTrainingSchema } from '@/server/training/start-training-run';
import { failure, validationError, type ActionResult } from './result';

const id = z.string().min(1).max(64);
const startEvalForm = z.object({ checkpoint: z.union([z.literal('all'), id]), datasetId: id, split: z.enum(SPLITS) });

export async function startEvaluationAction(_prev: unknown, form: FormData): Promise<ActionResult<{ runIds: string[] }>> {
  const parsed = startEvalForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return validationError(parsed.error);
  try {
    const ids = parsed.data.checkpoint === 'all' ? await listCheckpointIds({ latestPerArch: true }) : [parsed.data.checkpoint];
    const runIds = [];
    for (const checkpointId of ids) runIds.push((await createEvaluationRun({ checkpointId, datasetId: parsed.data.datasetId, split: parsed.data.split })).runId);
    revalidatePath('/runs');
    return { ok: true, data: { runIds } };
  } catch (e) {
    return failure(e);
  }
}

export async function cancelEvaluationAction(runId: string): Promise<ActionResult<null>> {
  const parsed = id.safeParse(runId);
  if (!parsed.success) return validationError(parsed.error);
  try {
    await cancelEvaluationRun({ runId: parsed.data });
    revalidatePath('/runs');
    return { ok: true, data: null };
  } catch (e) {
    return failure(e);
  }
}

const startTrainingForm = startTrainingSchema.pick({ arch: true }).extend({
  epochs: z.coerce.number().int().min(1).max(200),
  width: z.coerce.number().int().min(2).max(64),
});

export async function startTrainingAction(_prev: unknown, form: FormData): Promise<ActionResult<{ runId: string }>> {
  const parsed = startTrainingForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return validationError(parsed.error);
  try {
    const data = await startTrainingRun(parsed.data);
    revalidatePath('/runs');
    return { ok: true, data };
  } catch (e) {
    return failure(e);
  }
}

export async function cancelTrainingAction(runId: string): Promise<ActionResult<null>> {
  const parsed = id.safeParse(runId);
  if (!parsed.success) return validationError(parsed.error);
  try {
    await cancelTrainingRun({ runId: parsed.data });
    revalidatePath('/runs');
    return { ok: true, data: null };
  } catch (e) {
    return failure(e);
  }
}
