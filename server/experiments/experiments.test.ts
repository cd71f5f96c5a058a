// Exports the trained checkpoints' ONNX graphs on first use (as the worker does).
import '../inference/tfjs-support.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateNow } from '../../test/evaluate-now.ts';
import { DRIVE_DIR, OFFICIAL_DIR } from '../../test/fixtures.ts';
import { compareRuns } from '../dashboard/compare-runs.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { getDb } from '../db/client.ts';
import { runTrainingJob } from '../training/run-training-job.ts';
import { startTrainingRun } from '../training/start-training-run.ts';
import { compareExperimentRuns } from './compare-experiment-runs.ts';
import { diffRecipes } from './experiment-recipe.ts';
import { getExperimentCurves } from './get-experiment-curves.ts';
import { listExperiments } from './list-experiments.ts';

// Two tiny runs really trained with known options: the same but for photometric variation
// (on in A) and hard-pixel mining (on in B). Their checkpoints are evaluated on the official
// frames only, so the paired comparison exists there and not on the drive's val split.
const TINY = { arch: 'unet', epochs: 1, width: 2, batchSize: 32, seed: 11, weather: false, lovasz: false, scale: false, evaluate: false } as const;
let runA: string;
let runB: string;
let evalA: string;
let evalB: string;

beforeAll(async () => {
  await importDataset({ root: DRIVE_DIR, name: 'carla-drive', kind: 'drive' });
  const { id: official } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
  runA = (await startTrainingRun({ ...TINY, photometric: true, ohem: false })).runId;
  runB = (await startTrainingRun({ ...TINY, photometric: false, ohem: true })).runId;
  for (const runId of [runA, runB]) await runTrainingJob({ runId, retryCount: 0 });
  const checkpointOf = async (id: string) => (await getDb().trainingRun.findUniqueOrThrow({ where: { id } })).checkpointId!;
  evalA = (await evaluateNow(await checkpointOf(runA), official, 'test')).id;
  evalB = (await evaluateNow(await checkpointOf(runB), official, 'test')).id;
}, 600_000);

const listed = async (id: string) => (await listExperiments()).runs.find((r) => r.id === id)!;

describe('the Experiments page on runs trained with known options', () => {
  it('reads each run’s recipe as it was started, and the diff is exactly the switches that differ', async () => {
    const [a, b] = [await listed(runA), await listed(runB)];
    expect(a.recipe).toEqual({
      arch: 'unet',
      width: 2,
      input: '256x192',
      crop: '256x192',
      epochs: 1,
      batchSize: 32,
      seed: 11,
      photometric: true,
      weather: false,
      ohem: false,
      lovasz: false,
      scale: false,
      peakLr: 0.002,
      engine: expect.stringMatching(/^ort \(onnxruntime-cpu/),
    });
    expect(diffRecipes([a.recipe, b.recipe])).toEqual(['photometric', 'ohem']);
    expect(diffRecipes([a.recipe, a.recipe])).toEqual([]);
    expect([a.source, a.status, a.epochsDone, a.name]).toEqual(['trained here', 'completed', 1, a.checkpoint!.name]);
    expect(a.selectionMiou).toBe((await getDb().trainingRun.findUniqueOrThrow({ where: { id: runA } })).bestValMiou);
  });

  it('shows a field the run does not know yet (a queued run’s engine) as a difference, beside the options that differ', async () => {
    const { runId } = await startTrainingRun({ ...TINY, photometric: true, ohem: false, width: 4, seed: 12 });
    try {
      expect(diffRecipes([(await listed(runA)).recipe, (await listed(runId)).recipe])).toEqual(['width', 'seed', 'engine']);
    } finally {
      await getDb().trainingRun.update({ where: { id: runId }, data: { status: 'cancelled' } });
    }
  });

  it('gives the paired comparison of the two checkpoints exactly as the Compare page computes it', async () => {
    const [a, b] = [await listed(runA), await listed(runB)];
    // The evaluated number beside each run is the evaluation it is paired on.
    expect(a.evaluations.find((e) => e.dataset === 'carla-official')!.run).toMatchObject({ id: evalA, status: 'completed' });
    const rows = await compareExperimentRuns({ runs: [a, b] });
    const official = rows.find((r) => r.dataset === 'carla-official')!;
    const page = await compareRuns({ a: evalA, b: evalB });
    expect(official.notCompared).toBeNull();
    expect([official.a.evaluationRunId, official.b.evaluationRunId]).toEqual([evalA, evalB]);
    expect(official.paired).toEqual(page.paired);
    expect([official.a.miou, official.b.miou]).toEqual([page.a.miou, page.b.miou]);
    expect(official.paired!.images).toBe(4);
    const val = rows.find((r) => r.dataset === 'carla-drive')!;
    expect(val).toMatchObject({ paired: null, notCompared: `${a.name} is not evaluated on carla-drive val` });
  });

  it('loads the curves of the chosen runs only, each epoch as the loop recorded it', async () => {
    const curves = await getExperimentCurves({ runIds: [runA, runB] });
    expect([...curves.keys()]).toEqual([runA, runB]);
    const stored = await getDb().trainingEpoch.findMany({ where: { runId: runA }, orderBy: { epoch: 'asc' } });
    expect(curves.get(runA)).toEqual(
      stored.map((e) => ({ epoch: e.epoch, trainLoss: e.trainLoss, valLoss: e.valLoss, valMiou: e.valMiou, perClassIou: e.perClassIou })),
    );
    expect(curves.get(runB)![0].perClassIou).toHaveLength(13);
    expect((await getExperimentCurves({ runIds: [runB] })).size).toBe(1);
  });
});
