import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { config, ROOT } from '../config.ts';
import { getDb } from '../db/client.ts';
import { epochHistorySchema, recordedCardSchema, type RecordedCard } from '../schemas/checkpoint.ts';
import { parseJson } from '../schemas/common.ts';
import { perClassIouSchema } from '../schemas/evaluation.ts';
import { AppError } from '../errors.ts';

interface ImportSweepCardsResult {
  /** Cards imported now, as finished training runs. */
  imported: { origin: string; runId: string }[];
  /** Cards imported before (by their path): left as they are. */
  alreadyImported: string[];
  /** Cards of weights registered as a checkpoint here: that checkpoint's history is already a run. */
  sameWeights: { origin: string; checkpoint: string }[];
}

/** A card's path from the project root, with forward slashes: the imported run's `origin`, what makes the import idempotent. */
function originOf(file: string): string {
  return path.relative(ROOT, file).split(path.sep).join('/');
}

/** `<dir>/<sweep>/<run>/card.json`, in natural order (s2 before s10). */
async function findCardFiles(dir: string): Promise<string[]> {
  const subdirs = async (d: string) =>
    (await readdir(d, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => path.join(d, e.name))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const files: string[] = [];
  for (const sweep of await subdirs(dir))
    for (const run of await subdirs(sweep)) if (existsSync(path.join(run, 'card.json'))) files.push(path.join(run, 'card.json'));
  return files;
}

interface ReadCard {
  origin: string;
  card: RecordedCard;
  history: z.infer<typeof epochHistorySchema>;
}

/** The card and the `history.json` beside it (none: no curves), each validated; a file that does not fit is refused by name. */
async function readCard(file: string): Promise<ReadCard> {
  const origin = originOf(file);
  const load = async <S extends z.ZodType>(f: string, schema: S): Promise<z.infer<S>> => {
    try {
      return parseJson(schema, JSON.parse(await readFile(f, 'utf8')), originOf(f));
    } catch (e) {
      const why = e instanceof SyntaxError ? `${originOf(f)}: not JSON (${e.message})` : (e as Error).message;
      throw new AppError('INVALID_INPUT', why, `${why}. Nothing was imported.`);
    }
  };
  const historyFile = path.join(path.dirname(file), 'history.json');
  return { origin, card: await load(file, recordedCardSchema), history: existsSync(historyFile) ? await load(historyFile, epochHistorySchema) : [] };
}

/**
 * Imports the recipe sweeps' cards under `dir` (bench-results/ by default) as finished training
 * runs: the recipe and the per-epoch curves exactly as the card and its history recorded them,
 * marked as imported with the card's path as their origin. Idempotent: a card imported before
 * is left alone (so every start can call it; only new cards are read). Every new card is read
 * and validated before anything is written, so a bad one imports nothing. A card whose weights
 * are a registered checkpoint is not imported again: that checkpoint's history is already a run.
 */
export async function importSweepCards({ dir = config.benchResultsDir }: { dir?: string } = {}): Promise<ImportSweepCardsResult> {
  if (!existsSync(dir)) throw new AppError('NOT_FOUND', `${dir}: no such folder`, `${dir}: no such folder`);
  try {
    return await importNew(await findCardFiles(dir));
  } catch (e) {
    // Another process (npm start, the CLI) imported the same cards meanwhile: now they are all there.
    if ((e as { code?: string }).code === 'P2002') return importNew(await findCardFiles(dir));
    throw e;
  }
}

async function importNew(files: string[]): Promise<ImportSweepCardsResult> {
  const db = getDb();
  const known = new Set((await db.trainingRun.findMany({ where: { origin: { in: files.map(originOf) } }, select: { origin: true } })).map((r) => r.origin));
  const fresh: ReadCard[] = [];
  for (const f of files) if (!known.has(originOf(f))) fresh.push(await readCard(f));
  const shas = fresh.flatMap((c) => (c.card.weightsSha256 ? [c.card.weightsSha256] : []));
  const registered = new Map(
    (await db.checkpoint.findMany({ where: { weightsSha256: { in: shas } }, select: { weightsSha256: true, name: true } })).map((c) => [
      c.weightsSha256,
      c.name,
    ]),
  );
  const hashes = fresh.flatMap((c) => (c.card.dataset?.contentHash ? [c.card.dataset.contentHash] : []));
  const datasets = new Map(
    (await db.dataset.findMany({ where: { contentHash: { in: hashes } }, select: { id: true, contentHash: true } })).map((d) => [d.contentHash, d.id]),
  );
  const result: ImportSweepCardsResult = { imported: [], alreadyImported: files.map(originOf).filter((o) => known.has(o)), sameWeights: [] };
  const toCreate = fresh.filter((c) => {
    const checkpoint = c.card.weightsSha256 && registered.get(c.card.weightsSha256);
    if (checkpoint) result.sameWeights.push({ origin: c.origin, checkpoint });
    return !checkpoint;
  });
  if (!toCreate.length) return result;
  // Two statements however many cards: all runs, then all their epochs.
  const ids = await db.$transaction(async (tx) => {
    const runs = await tx.trainingRun.createManyAndReturn({
      select: { id: true, origin: true },
      data: toCreate.map(({ origin, card, history }) => ({
        arch: card.arch,
        status: 'completed',
        options: card.training ?? {},
        origin,
        card,
        datasetId: card.dataset?.contentHash ? datasets.get(card.dataset.contentHash) : undefined,
        // Planned epochs as the card records them; a card without them planned what it recorded.
        epochsTotal: card.training?.epochs ?? history.length,
        epochsDone: history.length,
        progress: 1,
        backend: card.training?.backend,
        ignorePolicy: card.dataset?.ignorePolicy,
        bestEpoch: card.bestEpoch,
        // The number that chose the epoch: the selection split (a card from before it has none).
        bestValMiou: card.selection?.miou,
        wallSeconds: card.training?.wallSeconds,
      })),
    });
    const idOf = new Map(runs.map((r) => [r.origin, r.id]));
    await tx.trainingEpoch.createMany({
      data: toCreate.flatMap(({ origin, history }) =>
        history.map((h) => ({
          runId: idOf.get(origin)!,
          epoch: h.epoch,
          trainLoss: h.trainLoss,
          valLoss: h.valLoss,
          valMiou: h.valMiou,
          valPixelAccuracy: h.valPixelAccuracy,
          perClassIou: parseJson(perClassIouSchema, h.valPerClassIou, `${origin} history epoch ${h.epoch}`),
          lr: h.lr,
          seconds: h.seconds,
        })),
      ),
    });
    return idOf;
  });
  result.imported = toCreate.map((c) => ({ origin: c.origin, runId: ids.get(c.origin)! }));
  return result;
}
