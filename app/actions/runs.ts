'use server';

import { z } from 'zod';
import { SPLITS } from '@/server/schemas/dataset';
import { cancelEvaluationRun } from '@/server/evaluation/cancel-evaluation-run';
import { createEvaluationRuns } from '@/server/evaluation/create-evaluation-runs';
import { ttaSchema } from '@/server/inference/tta';
import { cancelTrainingRun, startTrainingRun, trainingOptionsFields } from '@/server/training/start-training-run';
import { runAction, type ActionResult } from './result';

const id = z.string().min(1).max(64);
const checkbox = z
  .literal('on')
  .optional()
  .transform((v) => v === 'on');
const startEvalForm = z.object({
  checkpoint: z.union([z.literal('all'), id]),
  datasetId: id,
  split: z.enum(SPLITS),
  tta: ttaSchema.default('none'),
  calibration: checkbox,
  boundary: checkbox,
});
const startTrainingForm = trainingOptionsFields.pick({ arch: true }).extend({
  epochs: z.coerce.number().int().min(1).max(200),
  // Absent for an encoder network (the form shows no width then); the run's schema fills the default.
  width: z.coerce.number().int().min(2).max(64).optional(),
  encoderInit: trainingOptionsFields.shape.encoderInit,
  // "WxH" from the form's select; the run's schema checks it against the architecture.
  input: z
    .string()
    .regex(/^\d{2,4}x\d{2,4}$/, 'must be WxH')
    .transform((v) => {
      const [width, height] = v.split('x').map(Number);
      return { width, height };
    })
    .optional(),
  photometric: checkbox,
  weather: checkbox,
  ohem: checkbox,
  lovasz: checkbox,
  scale: checkbox,
  evaluate: checkbox,
});

export async function startEvaluationAction(_prev: unknown, form: FormData): Promise<ActionResult<{ runIds: string[] }>> {
  return runAction(
    startEvalForm,
    Object.fromEntries(form),
    async ({ checkpoint, datasetId, split, tta, calibration, boundary }) => {
      const runs = await createEvaluationRuns({
        models: checkpoint === 'all' ? 'all' : { checkpointId: checkpoint },
        datasetId,
        split,
        tta,
        calibration,
        boundary,
      });
      return { runIds: runs.map((r) => r.runId) };
    },
    '/runs',
  );
}

export async function cancelEvaluationAction(runId: string): Promise<ActionResult<void>> {
  return runAction(id, runId, (r) => cancelEvaluationRun({ runId: r }), '/runs');
}

export async function startTrainingAction(_prev: unknown, form: FormData): Promise<ActionResult<{ runId: string }>> {
  return runAction(startTrainingForm, Object.fromEntries(form), startTrainingRun, '/runs');
}

export async function cancelTrainingAction(runId: string): Promise<ActionResult<void>> {
  return runAction(id, runId, (r) => cancelTrainingRun({ runId: r }), '/runs');
}

export async function stopTrainingKeepBestAction(runId: string): Promise<ActionResult<void>> {
  return runAction(id, runId, (r) => cancelTrainingRun({ runId: r, keepBest: true }), '/runs');
}
