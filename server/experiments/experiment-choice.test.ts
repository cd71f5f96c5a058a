import { describe, expect, it } from 'vitest';
import { CLASSES } from '../../models/classes.ts';
import { MAX_CHOSEN_RUNS, readExperimentChoice } from './experiment-choice.ts';

const known = new Set(['run1', 'run2', 'run3']);
const pole = CLASSES.find((c) => c.name === 'Pole')!.id;

describe('readExperimentChoice', () => {
  it('returns the chosen runs in URL order, once each, and the class by name', () => {
    expect(readExperimentChoice({ run: ['run2', 'run1', 'run2'], class: 'Traffic sign' }, known)).toEqual({
      runIds: ['run2', 'run1'],
      classId: 12,
      error: null,
    });
    expect(readExperimentChoice({ run: 'run3' }, known)).toEqual({ runIds: ['run3'], classId: pole, error: null });
    expect(readExperimentChoice({}, known)).toEqual({ runIds: [], classId: pole, error: null });
  });

  it('chooses nothing and says why for a run that does not exist or an id that is not one', () => {
    expect(readExperimentChoice({ run: ['run1', 'gone'] }, known)).toMatchObject({ runIds: [], error: expect.stringContaining('no training run "gone"') });
    expect(readExperimentChoice({ run: ['run1', '<script>'] }, known)).toMatchObject({ runIds: [], error: expect.stringContaining('is not a run id') });
    const many = Array.from({ length: MAX_CHOSEN_RUNS + 1 }, (_, i) => `r${i}`);
    expect(readExperimentChoice({ run: many }, new Set(many))).toMatchObject({ runIds: [], error: expect.stringContaining(`at most ${MAX_CHOSEN_RUNS}`) });
  });

  it('keeps the runs and falls back to the default class, saying so, for a class that does not exist', () => {
    expect(readExperimentChoice({ run: ['run1', 'run2'], class: 'Tree' }, known)).toEqual({
      runIds: ['run1', 'run2'],
      classId: pole,
      error: 'There is no class "Tree"; showing Pole.',
    });
  });
});
