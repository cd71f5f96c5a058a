import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../server/inference/tfjs-support.ts';
import { makeTestCheckpoint } from './checkpoint-fixture.ts';
import { copyOfficial, OFFICIAL_DIR, writeRgbPng } from './fixtures.ts';
import { badInputs, realJpeg } from './bad-images.ts';
import { registerCheckpoint } from '../server/checkpoints/register-checkpoints.ts';
import { decodeLabel, decodeRegisteredLabel, decodeRgb } from '../server/dataset/decode.ts';
import { backfillBrightness } from '../server/dataset/brightness.ts';
import { findPairs } from '../server/dataset/find-pairs.ts';
import { importDataset } from '../server/dataset/import-dataset.ts';
import { loadFrame, scanDataset } from '../server/dataset/read-dataset.ts';
import { getDb } from '../server/db/client.ts';
import { AppError } from '../server/errors.ts';
import { createEvaluationRun } from '../server/evaluation/create-evaluation-run.ts';
import { processEvaluationChunk } from '../server/evaluation/process-evaluation-chunk.ts';
import { runHealthCheck } from '../server/health/run-health-check.ts';
import { getSegmenter } from '../server/inference/segmenter.ts';
import { JOB_DEFINITIONS } from '../server/jobs/definitions.ts';
import { GET as exportLeaderboard } from '../app/api/export/leaderboard/route.ts';
import { GET as getImage } from '../app/api/images/[id]/route.ts';
import { POST as postPlayground } from '../app/api/playground/route.ts';
import { GET as getUploadImage } from '../app/api/playground/[id]/route.ts';
import { GET as getPlaygroundPrediction } from '../app/api/playground/predictions/[id]/route.ts';
import { GET as getPrediction } from '../app/api/predictions/[id]/route.ts';
import { GET as getConfusionCell } from '../app/api/predictions/[id]/confusion/route.ts';
import { GET as getDisagreementMap } from '../app/api/compare/disagreement/route.ts';
import { GET as listRuns } from '../app/api/runs/route.ts';
import { GET as getRun } from '../app/api/runs/[id]/route.ts';
import { GET as getRunClasses } from '../app/api/runs/[id]/classes/route.ts';
import { GET as getRunRobustness } from '../app/api/runs/[id]/robustness/route.ts';
import { GET as getCorruptedFrame } from '../app/api/robustness/frame/route.ts';
import { GET as getCorruptedMask } from '../app/api/robustness/mask/route.ts';

/** A server path (two or more segments from the root), however it is quoted or prefixed. */
const ABSOLUTE_PATH = /(?:^|[\s"'(=,:[])\/(?:[\w.@+-]+\/)+[\w.@+-]*/;
/** A V8 stack frame ("at fn (file:1:2)") or the start of a stack. */
const STACK = /\bat\s+\S.*:\d+:\d+|\n\s+at\s/;

/** What a user may read: no path of this machine, no stack. */
function expectSafe(text: string, what: string): void {
  expect(text, what).not.toMatch(ABSOLUTE_PATH);
  expect(text, what).not.toMatch(STACK);
  for (const local of [process.cwd(), os.tmpdir(), os.homedir()]) expect(text.includes(local), `${what} names ${local}`).toBe(false);
}

async function thrownAppError(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

async function brokenCopy(breakIt: (dir: string) => Promise<void>): Promise<string> {
  const dir = await copyOfficial();
  await breakIt(dir);
  return dir;
}

/** A copy of the official frames no other test registered (datasets are deduplicated by content). */
const uniqueCopy = () => brokenCopy((d) => writeRgbPng(rgb(d, 'train_2.png'), 800, 600, () => [3, 141, 59]));

const rgb = (dir: string, f: string) => path.join(dir, 'CameraRGB', f);
const seg = (dir: string, f: string) => path.join(dir, 'CameraSeg', f);
const garbage = new TextEncoder().encode('not an image at all');

/**
 * Every AppError whose internal message names a server file (the dataset, decoder and checkpoint
 * errors that once had no user message), provoked for real: the internal text keeps the path for
 * the log and the CLI, the user message never does.
 */
const APP_ERRORS: { name: string; provoke: () => Promise<unknown> }[] = [
  { name: 'dataset folder missing', provoke: async () => findPairs(path.join(os.tmpdir(), 'pixeldrive-no-such-dataset')) },
  { name: 'no CameraRGB/CameraSeg', provoke: async () => findPairs(await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-empty-'))) },
  {
    name: 'CameraRGB without CameraSeg',
    provoke: async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-half-'));
      await mkdir(path.join(dir, 'drive', 'CameraRGB'), { recursive: true });
      return findPairs(dir);
    },
  },
  { name: 'image without label', provoke: async () => findPairs(await brokenCopy((d) => rm(seg(d, 'train_1.png')))) },
  { name: 'label without image', provoke: async () => findPairs(await brokenCopy((d) => rm(rgb(d, 'train_1.png')))) },
  {
    name: 'label not PNG',
    provoke: async () =>
      findPairs(
        await brokenCopy(async (d) => {
          await copyFile(rgb(d, 'train_1.png'), rgb(d, 'extra.png'));
          await copyFile(rgb(d, 'train_1.png'), seg(d, 'extra.jpg'));
        }),
      ),
  },
  { name: 'duplicate frame stem', provoke: async () => findPairs(await brokenCopy((d) => copyFile(rgb(d, 'train_1.png'), rgb(d, 'train_1.jpg')))) },
  { name: 'image undecodable', provoke: async () => decodeRgb(garbage, path.join(OFFICIAL_DIR, 'CameraRGB', 'train_0.png')) },
  { name: 'label undecodable', provoke: async () => decodeLabel(garbage, path.join(OFFICIAL_DIR, 'CameraSeg', 'train_0.png')) },
  { name: 'registered label undecodable', provoke: async () => decodeRegisteredLabel(garbage, path.join(OFFICIAL_DIR, 'CameraSeg', 'train_0.png')) },
  {
    name: 'colourised label',
    provoke: async () => scanDataset(await brokenCopy((d) => writeRgbPng(seg(d, 'train_1.png'), 800, 600, () => [7, 142, 0]))),
  },
  {
    name: 'label value out of range',
    provoke: async () => scanDataset(await brokenCopy((d) => writeRgbPng(seg(d, 'train_1.png'), 800, 600, () => [200, 0, 0]))),
  },
  {
    name: 'image and label sizes differ (scan)',
    provoke: async () => scanDataset(await brokenCopy((d) => writeRgbPng(rgb(d, 'train_1.png'), 64, 48, () => [10, 20, 30]))),
  },
  {
    name: 'image and label sizes differ (registered frame)',
    provoke: async () => {
      const d = await brokenCopy((dir) => writeRgbPng(rgb(dir, 'train_1.png'), 64, 48, () => [10, 20, 30]));
      return loadFrame({ hoodMasks: new Map(), labelPalette: null }, { subset: '', imagePath: rgb(d, 'train_1.png'), labelPath: seg(d, 'train_1.png') });
    },
  },
  {
    name: 'frame gone before its brightness was measured',
    provoke: async () => {
      const d = await brokenCopy((dir) => writeRgbPng(rgb(dir, 'train_2.png'), 800, 600, () => [90, 14, 200]));
      const { id } = await importDataset({ root: d, name: 'error-boundary-brightness', kind: 'heldout' });
      await getDb().datasetImage.updateMany({ where: { datasetId: id }, data: { brightness: null } });
      await rm(rgb(d, 'train_0.png'));
      return backfillBrightness(id);
    },
  },
  { name: 'checkpoint weights missing', provoke: async () => getSegmenter(path.join(os.tmpdir(), 'pixeldrive-no-checkpoint'), 'wasm') },
  { name: 'health check missing', provoke: async () => runHealthCheck({ healthCheckId: 'no-such-check' }) },
  {
    name: 'dataset name taken by other content',
    provoke: async () => {
      await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
      return importDataset({ root: await uniqueCopy(), name: 'carla-official', kind: 'heldout' });
    },
  },
];

describe('AppError user messages', () => {
  for (const c of APP_ERRORS) {
    it(`${c.name}: the user message names no server path and no stack`, async () => {
      const e = await thrownAppError(c.provoke());
      expect(e.userMessage.length).toBeGreaterThan(10);
      expect(e.userMessage).not.toBe(e.message);
      expectSafe(e.userMessage, c.name);
    });
  }
});

async function expectSafeError(res: Response, status: number, what: string): Promise<void> {
  expect(res.status, what).toBe(status);
  const text = await res.text();
  expectSafe(text, what);
  const body = JSON.parse(text) as { error: string; message: string };
  expect(body.error, what).toMatch(/^[A-Z_]+$/);
  expect(body.message.length, what).toBeGreaterThan(5);
}

const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const url = (p: string) => new Request(`http://localhost${p}`);

describe('API error responses', () => {
  it('every route answers missing ids, unknown names and bad input with a code and a safe message', async () => {
    const cases: [string, Promise<Response>, number][] = [
      ['GET /api/images/nope', getImage(url('/api/images/nope'), ctx('nope')), 404],
      ['GET /api/images/nope?kind=gt', getImage(url('/api/images/nope?kind=gt'), ctx('nope')), 404],
      ['GET /api/predictions/nope', getPrediction(url('/api/predictions/nope?mode=errors'), ctx('nope')), 404],
      ['GET /api/runs/nope', getRun(url('/api/runs/nope'), ctx('nope')), 404],
      ['GET /api/runs/nope/classes', getRunClasses(url('/api/runs/nope/classes?format=csv'), ctx('nope')), 404],
      ['GET /api/playground/nope', getUploadImage(url('/api/playground/nope'), ctx('nope')), 404],
      ['GET /api/playground/predictions/nope', getPlaygroundPrediction(url('/api/playground/predictions/nope'), ctx('nope')), 404],
      ['GET /api/images/ (empty id)', getImage(url('/api/images/'), ctx('')), 400],
      ['GET /api/predictions/nope/confusion', getConfusionCell(url('/api/predictions/nope/confusion?truth=8&pred=7'), ctx('nope')), 404],
      ['confusion cell on the diagonal', getConfusionCell(url('/api/predictions/nope/confusion?truth=7&pred=7'), ctx('nope')), 400],
      ['confusion cell without classes', getConfusionCell(url('/api/predictions/nope/confusion'), ctx('nope')), 400],
      ['disagreement, unknown runs', getDisagreementMap(url('/api/compare/disagreement?a=x&b=y&image=z')), 404],
      ['disagreement, one run twice', getDisagreementMap(url('/api/compare/disagreement?a=x&b=x&image=z')), 400],
      ['disagreement, class out of range', getDisagreementMap(url('/api/compare/disagreement?a=x&b=y&image=z&class=13')), 400],
      ['disagreement, no image', getDisagreementMap(url('/api/compare/disagreement?a=x&b=y')), 400],
      ['export, unknown dataset', exportLeaderboard(url('/api/export/leaderboard?dataset=nope&split=val')), 404],
      ['export, unknown split', exportLeaderboard(url('/api/export/leaderboard?dataset=carla-drive&split=nope&format=csv')), 404],
      ['GET /api/runs/nope/robustness', getRunRobustness(url('/api/runs/nope/robustness?format=csv'), ctx('nope')), 404],
      ['corrupted frame, unknown image', getCorruptedFrame(url('/api/robustness/frame?image=nope&corruption=fog&severity=2')), 404],
      ['corrupted frame, unknown corruption', getCorruptedFrame(url('/api/robustness/frame?image=nope&corruption=snow&severity=2')), 400],
      ['corrupted frame, severity 6', getCorruptedFrame(url('/api/robustness/frame?image=nope&corruption=fog&severity=6')), 400],
      ['corrupted mask, unknown run', getCorruptedMask(url('/api/robustness/mask?run=nope&image=nope&corruption=fog&severity=2')), 404],
      ['corrupted mask, no run', getCorruptedMask(url('/api/robustness/mask?image=nope&corruption=fog&severity=2')), 400],
    ];
    for (const [what, res, status] of cases) await expectSafeError(await res, status, what);
  });

  it('the playground answers every bad upload, and a model whose files are gone, without a path', async () => {
    const post = (bytes: Uint8Array, name: string) => {
      const form = new FormData();
      form.set('file', new File([new Uint8Array(bytes)], name));
      return postPlayground(new Request('http://localhost/api/playground', { method: 'POST', body: form }));
    };
    for (const bad of await badInputs()) await expectSafeError(await post(bad.bytes, path.join(os.tmpdir(), bad.name)), bad.status, bad.name);
    const ck = await registerCheckpoint(await makeTestCheckpoint('segnet', 12));
    const db = getDb();
    await db.checkpoint.update({ where: { id: ck.id }, data: { dir: path.join(os.tmpdir(), 'pixeldrive-moved-away') } });
    try {
      await expectSafeError(await post(await realJpeg(), 'frame.jpg'), 404, 'checkpoint folder gone');
    } finally {
      await db.checkpoint.delete({ where: { id: ck.id } });
    }
  });

  it('a run that failed on a broken frame stores, and the API shows, only the user-facing reason', async () => {
    const root = await uniqueCopy();
    const { id: datasetId } = await importDataset({ root, name: `breaks-later-${path.basename(root)}`, kind: 'heldout' });
    const ck = await registerCheckpoint(await makeTestCheckpoint('unet', 13));
    const { runId } = await createEvaluationRun({ checkpointId: ck.id, datasetId, split: 'test' });
    await writeFile(seg(root, 'train_0.png'), garbage); // the disk changed after registration
    const ids = (await getDb().datasetImage.findMany({ where: { datasetId }, select: { id: true } })).map((i) => i.id);
    const last = JOB_DEFINITIONS.evaluationChunk.queueOptions.retryLimit;
    await expect(processEvaluationChunk({ runId, imageIds: ids, retryCount: last })).rejects.toThrow(root);
    const run = await getDb().evaluationRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/train_0\.png: cannot decode label PNG\.$/);
    expectSafe(run.error ?? '', 'run.error');
    const one = await getRun(url(`/api/runs/${runId}`), ctx(runId));
    expect(one.status).toBe(200);
    expectSafe(await one.text(), 'GET /api/runs/[id]');
    expectSafe(await (await listRuns(url('/api/runs'))).text(), 'GET /api/runs');
    await getDb().checkpoint.delete({ where: { id: ck.id } });
  });
});
