import { describe, expect, it } from 'vitest';
import { getDb } from '../db/client.ts';
import { pruneUploads } from './prune-uploads.ts';

const DAY = 24 * 3600 * 1000;

describe('pruneUploads', () => {
  it('keeps the newest `keep` uploads and none older than maxAgeDays', async () => {
    const db = getDb();
    await db.playgroundUpload.deleteMany({});
    const ages = [0.1, 0.2, 0.3, 0.4, 10, 40]; // days
    for (const [i, age] of ages.entries()) {
      await db.playgroundUpload.create({
        data: {
          fileName: `age-${i}.png`,
          mime: 'image/png',
          width: 1,
          height: 1,
          sha256: String(i),
          imagePng: new Uint8Array([i]),
          createdAt: new Date(Date.now() - age * DAY),
        },
      });
    }
    expect(await pruneUploads({ keep: 10, maxAgeDays: 30 })).toBe(1);
    expect(await db.playgroundUpload.count()).toBe(5);
    expect(await pruneUploads({ keep: 3, maxAgeDays: 30 })).toBe(2);
    const left = await db.playgroundUpload.findMany({ orderBy: { createdAt: 'desc' }, select: { fileName: true } });
    expect(left.map((u) => u.fileName)).toEqual(['age-0.png', 'age-1.png', 'age-2.png']);
    expect(await pruneUploads({ keep: 3, maxAgeDays: 30 })).toBe(0);
    await db.playgroundUpload.deleteMany({});
  });
});
