import { beforeAll, describe, expect, it } from 'vitest';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { getDb } from '../db/client.ts';
import { createSavedFilter, deleteSavedFilter, getSavedFilterOrThrow, listSavedFilters } from './saved-filters.ts';
import { parseSlice, sliceQuery } from './slice.ts';

beforeAll(async () => {
  await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
});

const rows = () => getDb().savedFilter.findMany({ orderBy: { id: 'asc' } });

describe('saved filters', () => {
  it('saves a slice under a name, lists it, opens it by id and by name, and deletes it', async () => {
    const made = await createSavedFilter({
      name: '  bright cars ',
      dataset: 'carla-official',
      split: 'test',
      slice: { has: '10', brightMin: '40.5', to: '3' },
    });
    expect(made).toMatchObject({ name: 'bright cars', dataset: 'carla-official', split: 'test', slice: { has: 10, brightMin: 40.5, to: 3 } });
    // The stored slice is the one the URL would give: same fields, same query, same words.
    expect(sliceQuery(made.slice)).toBe(sliceQuery(parseSlice({ to: '3', has: '10', brightMin: '40.5' })));
    expect(made.label).toBe('frames 0–3 · Car present · brightness 40.5–255');
    expect((await listSavedFilters()).map((f) => f.id)).toContain(made.id);
    expect(await getSavedFilterOrThrow(made.id)).toEqual(made);
    expect(await getSavedFilterOrThrow('bright cars')).toEqual(made);

    expect(await deleteSavedFilter({ id: made.id })).toEqual({ name: 'bright cars' });
    await expect(getSavedFilterOrThrow(made.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getSavedFilterOrThrow('bright cars')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      userMessage: expect.stringContaining('No saved filter “bright cars”'),
    });
    await expect(deleteSavedFilter({ id: made.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses bad input with a message for the user and writes nothing', async () => {
    const kept = await createSavedFilter({ name: 'first frames', dataset: 'carla-official', split: 'test', slice: { from: '0', to: '1' } });
    const before = await rows();
    const ok = { name: 'fine name', dataset: 'carla-official', split: 'test' as const, slice: { from: '1' } };
    const refusals: [Parameters<typeof createSavedFilter>[0], string, RegExp][] = [
      [{ ...ok, name: '' }, 'INVALID_INPUT', /give the filter a name/],
      [{ ...ok, name: '   ' }, 'INVALID_INPUT', /give the filter a name/],
      [{ ...ok, name: 'x'.repeat(61) }, 'INVALID_INPUT', /at most 60/],
      [{ ...ok, name: '../etc/passwd' }, 'INVALID_INPUT', /letters, digits/],
      [{ ...ok, name: '<b>x</b>' }, 'INVALID_INPUT', /letters, digits/],
      [{ ...ok, name: 'first frames' }, 'CONFLICT', /already exists/],
      [{ ...ok, slice: {} }, 'INVALID_INPUT', /whole split/],
      [{ ...ok, slice: { from: '5', to: '2' } }, 'INVALID_INPUT', /first frame comes after the last/],
      [{ ...ok, slice: { brightMin: '200', brightMax: '100' } }, 'INVALID_INPUT', /lowest brightness is above the highest/],
      [{ ...ok, slice: { share: '0.2' } }, 'INVALID_INPUT', /needs a class/],
      [{ ...ok, slice: { has: '13' } }, 'INVALID_INPUT', /Invalid slice/],
      [{ ...ok, dataset: 'no-such-dataset' }, 'NOT_FOUND', /not registered/],
      [{ ...ok, split: 'holdout' as 'test' }, 'INVALID_INPUT', /No such split/],
    ];
    for (const [input, code, message] of refusals) {
      await expect(createSavedFilter(input), JSON.stringify(input)).rejects.toMatchObject({ code, userMessage: expect.stringMatching(message) });
    }
    expect(await rows()).toEqual(before);
    await deleteSavedFilter({ id: kept.id });
  });
});
