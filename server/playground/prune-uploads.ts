import { config } from '../config.ts';
import { getDb } from '../db/client.ts';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Uploads are other people's photos and about 1–3 MB each: the newest `keep` are kept, none
 * older than `maxAgeDays` (their predictions go with them). Run after every stored upload, so
 * the table never holds more than `keep` + the few in flight.
 */
export async function pruneUploads(opts: { keep: number; maxAgeDays: number } = config.uploadRetention): Promise<number> {
  const db = getDb();
  const old = await db.playgroundUpload.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - opts.maxAgeDays * DAY_MS) } } });
  const extra = await db.playgroundUpload.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: opts.keep, select: { id: true } });
  const over = extra.length ? await db.playgroundUpload.deleteMany({ where: { id: { in: extra.map((e) => e.id) } } }) : { count: 0 };
  return old.count + over.count;
}
