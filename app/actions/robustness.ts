'use server';

import { z } from 'zod';
import { SPLITS } from '@/server/schemas/dataset';
import { createEvaluationRuns } from '@/server/evaluation/create-evaluation-runs';
import { runAction, type ActionResult } from './result';

const startRobustnessForm = z.object({ datasetId: z.string().min(1).max(64), split: z.enum(SPLITS) });

/** Queues a robustness run (every corruption × severity) of the newest checkpoint of each network. */
export async function startRobustnessAction(_prev: unknown, form: FormData): Promise<ActionResult<{ runIds: string[] }>> {
  return runAction(
    startRobustnessForm,
    Object.fromEntries(form),
    async ({ datasetId, split }) => {
      const runs = await createEvaluationRuns({ models: 'all', datasetId, split, robustness: {} });
      return { runIds: runs.map((r) => r.runId) };
    },
    '/robustness',
  );
}
