import { getDb } from '../db.ts';

/** Checkpoint ids, optionally only the newest per architecture ("all three models"). */
export async function listCheckpointIds({ latestPerArch }: { latestPerArch: boolean }): Promise<string[]> {
  const rows = await getDb().checkpoint.findMany({ orderBy: { createdAt: 'desc' }, select: { id: true, arch: true } });
  if (!latestPerArch) return rows.map((r) => r.id);
  const newest = new Map<string, string>();
  for (const r of rows) if (!newest.has(r.arch)) newest.set(r.arch, r.id);
  return [...newest.values()];
}
