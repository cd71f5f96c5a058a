import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { config } from '../config.ts';
import { getDb } from '../db/client.ts';
import { importSweepCards } from './import-sweep-cards.ts';
import { listExperiments } from './list-experiments.ts';
import { committedSweepCards } from '../../test/fixtures.ts';

// The cards as committed, read here with nothing but JSON.parse: what the import must reproduce.
const SWEEPS = config.benchResultsDir;
const readJson = async (f: string) => JSON.parse(await readFile(f, 'utf8'));
const card = (run: string) => readJson(path.join(SWEEPS, run, 'card.json'));
const history = (run: string) => readJson(path.join(SWEEPS, run, 'history.json'));
const CARDS = committedSweepCards(SWEEPS).length;

/** A folder laid out like bench-results/ (<dir>/<sweep>/<run>/) with copies of the named runs, to edit. */
async function copyOf(runs: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-sweeps-'));
  for (const r of runs) await cp(path.join(SWEEPS, r), path.join(dir, 'sweep-copy', path.basename(r)), { recursive: true });
  return dir;
}

describe('importSweepCards', () => {
  it('imports every card of bench-results once: running it again adds nothing', async () => {
    const db = getDb();
    const first = await importSweepCards();
    expect(first.imported).toHaveLength(CARDS);
    expect(first.sameWeights).toEqual([]);
    expect(first.imported.map((i) => i.origin)).toContain('bench-results/sweep-unet-6ep/s1-recipe/card.json');
    const counts = async () => [await db.trainingRun.count(), await db.trainingEpoch.count()];
    const before = await counts();
    const again = await importSweepCards();
    expect(again.imported).toEqual([]);
    expect(again.alreadyImported.sort()).toEqual(first.imported.map((i) => i.origin).sort());
    expect(await counts()).toEqual(before);
  });

  it('is faithful to a card: its recipe, numbers and every recorded epoch', async () => {
    const db = getDb();
    await importSweepCards();
    const run = 'sweep-unet-6ep/s5-ohem';
    const [c, h] = [await card(run), await history(run)];
    const row = await db.trainingRun.findUniqueOrThrow({
      where: { origin: `bench-results/${run}/card.json` },
      include: { epochs: { orderBy: { epoch: 'asc' } } },
    });
    expect(row).toMatchObject({
      arch: 'unet',
      status: 'completed',
      trainedHere: false,
      checkpointId: null,
      epochsTotal: c.training.epochs,
      epochsDone: h.length,
      bestEpoch: c.bestEpoch,
      bestValMiou: c.selection.miou,
      wallSeconds: c.training.wallSeconds,
      backend: c.training.backend,
      options: c.training,
      card: c,
    });
    expect(
      row.epochs.map((e) => ({
        epoch: e.epoch,
        trainLoss: e.trainLoss,
        valLoss: e.valLoss,
        valMiou: e.valMiou,
        valPixelAccuracy: e.valPixelAccuracy,
        valPerClassIou: e.perClassIou,
        lr: e.lr,
        seconds: e.seconds,
      })),
    ).toEqual(h.map(({ isBest: _, ...e }: { isBest: boolean }) => e));
    const listed = (await listExperiments()).runs.find((r) => r.id === row.id)!;
    expect(listed).toMatchObject({ name: 's5-ohem', source: 'imported', selectionMiou: c.selection.miou, wallSeconds: c.training.wallSeconds });
    // The card says "online hard-pixel mining" in its loss and no weather or scale in its augmentation; its rate is in its history.
    expect(listed.recipe).toEqual({
      arch: 'unet',
      width: c.config.width,
      input: c.inputSize,
      crop: c.training.crop,
      epochs: c.training.epochs,
      batchSize: c.training.batchSize,
      seed: c.training.seed,
      photometric: true,
      weather: false,
      ohem: true,
      lovasz: false,
      scale: false,
      peakLr: 0.002,
      engine: c.training.backend,
    });
    expect(listed.evaluations.every((e) => e.run === null)).toBe(true);
  });

  it('groups the imported runs that differ only in seed, with the spread of their selection numbers', async () => {
    await importSweepCards();
    const { seedGroups } = await listExperiments();
    const names = seedGroups.map((g) => g.runs.map((r) => r.name).join(' + ')).sort();
    expect(names).toEqual(
      [
        's2-seed7 + s1-recipe',
        's6-nophoto-seed7 + s3-nophoto',
        's10-weather-seed7 + s9-weather',
        's12-lovasz-seed7 + s11-lovasz',
        's14-scale-seed7 + s13-scale',
        'r6-unet-recipe-seed7 + r4-unet-lovasz-40',
      ].sort(),
    );
    const g = seedGroups.find((x) => x.runs.some((r) => r.name === 's1-recipe'))!;
    const [a, b] = [(await card('sweep-unet-6ep/s1-recipe')).selection.miou, (await card('sweep-unet-6ep/s2-seed7')).selection.miou];
    expect(g.selection!.mean).toBeCloseTo((a + b) / 2, 12);
    expect(g.selection!.sd).toBeCloseTo(Math.abs(a - b) / Math.SQRT2, 12);
    expect([g.selection!.min, g.selection!.max]).toEqual([Math.min(a, b), Math.max(a, b)]);
    expect(g.runs.map((r) => r.seed)).toEqual([7, 42]);
    // s4 is s1's recipe at half the learning rate (recorded in its history only): not in s1's group.
    expect(seedGroups.flatMap((x) => x.runs.map((r) => r.name))).not.toContain('s4-lr1e-3');
  });

  it('imports a field a card lacks as unknown', async () => {
    const dir = await copyOf(['sweep-unet-6ep/s9-weather']);
    const file = path.join(dir, 'sweep-copy', 's9-weather', 'card.json');
    const c = await readJson(file);
    delete c.training.augmentation;
    delete c.selection;
    delete c.training.seed;
    await writeFile(file, JSON.stringify(c));
    const r = await importSweepCards({ dir });
    expect(r.imported).toHaveLength(1);
    const listed = (await listExperiments()).runs.find((x) => x.id === r.imported[0].runId)!;
    expect(listed.selectionMiou).toBeNull();
    expect(listed.recipe).toMatchObject({ seed: null, photometric: null, weather: null, scale: null, ohem: false, lovasz: false, width: 16 });
  });

  it('refuses a card with a field in the wrong shape by name, and imports none of the folder', async () => {
    const db = getDb();
    const dir = await copyOf(['sweep-unet-6ep/s2-seed7', 'sweep-unet-6ep/s3-nophoto']);
    const file = path.join(dir, 'sweep-copy', 's3-nophoto', 'card.json');
    const c = await readJson(file);
    c.training.seed = 'forty-two';
    await writeFile(file, JSON.stringify(c));
    const before = await db.trainingRun.count();
    await expect(importSweepCards({ dir })).rejects.toThrow(/s3-nophoto\/card\.json: training\.seed /);
    expect(await db.trainingRun.count()).toBe(before);
    await expect(importSweepCards({ dir: path.join(dir, 'nowhere') })).rejects.toThrow(/no such folder/);
  });

  it('does not import again the weights registered as a checkpoint, in either order', async () => {
    const db = getDb();
    // The shipped U-Net is the 45-epoch sweep's r4 (same weights): the earlier tests imported r4, so registering adopts it.
    await importSweepCards();
    const r4 = await db.trainingRun.findUniqueOrThrow({ where: { origin: 'bench-results/sweep-unet-45ep/r4-unet-lovasz-40/card.json' } });
    const ck = await registerCheckpoint(path.resolve('models/checkpoints/unet'));
    expect((await db.trainingRun.findMany({ where: { checkpointId: ck.id } })).map((r) => r.id)).toEqual([r4.id]);
    // The other order: a card of registered weights (here a copy of r4's under another path) is reported, not imported.
    const dir = await copyOf(['sweep-unet-45ep/r4-unet-lovasz-40']);
    const r = await importSweepCards({ dir });
    expect(r.imported).toEqual([]);
    expect(r.sameWeights).toEqual([{ origin: expect.stringMatching(/sweep-copy\/r4-unet-lovasz-40\/card\.json$/), checkpoint: 'U-Net' }]);
    expect(await db.trainingRun.count({ where: { checkpointId: ck.id } })).toBe(1);
  });
});
