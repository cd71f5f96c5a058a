import { getDb } from '../db/client.ts';

/** Imported models and int8/fp16 variants, newest first, with their newest completed evaluation. */
export async function listImportedModels() {
  return getDb().checkpoint.findMany({
    where: { source: { not: 'trained' } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: {
      id: true,
      name: true,
      source: true,
      arch: true,
      params: true,
      gflops: true,
      fileBytes: true,
      createdAt: true,
      parent: { select: { name: true } },
      evaluationRuns: {
        where: { status: 'completed' },
        orderBy: { finishedAt: 'desc' },
        take: 1,
        select: { miou: true, split: true, dataset: { select: { name: true } } },
      },
    },
  });
}
