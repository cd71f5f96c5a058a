import { getDb } from '../db/client.ts';
import { ignorePolicySchema, labelFormsSchema } from '../schemas/dataset.ts';
import { parseJson } from '../schemas/common.ts';

/** Every registered dataset with its frames per split, for the Datasets list. */
export async function listDatasets() {
  const db = getDb();
  const [rows, counts] = await Promise.all([
    db.dataset.findMany({ orderBy: { createdAt: 'asc' }, include: { _count: { select: { evaluationRuns: true } } } }),
    db.datasetImage.groupBy({ by: ['datasetId', 'split'], _count: { _all: true } }),
  ]);
  return rows.map((d) => {
    const splitFrames = { train: 0, val: 0, test: 0 };
    for (const c of counts) if (c.datasetId === d.id) splitFrames[c.split as keyof typeof splitFrames] = c._count._all;
    return {
      id: d.id,
      name: d.name,
      kind: d.kind,
      frames: splitFrames.train + splitFrames.val + splitFrames.test,
      splitFrames,
      splitFingerprint: d.splitFingerprint,
      hood: parseJson(ignorePolicySchema, d.ignorePolicy, `${d.name} ignore policy`).hood,
      labelForms: parseJson(labelFormsSchema, d.labelForms, `${d.name} label forms`),
      evaluationRuns: d._count.evaluationRuns,
    };
  });
}
