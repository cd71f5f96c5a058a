import { describe, expect, it } from 'vitest';
import { CORRUPTIONS } from '../../server/schemas/robustness.ts';
import { UsageError } from './args.ts';
import { parseRobustnessFlags } from './robustness.ts';

describe('parseRobustnessFlags', () => {
  it('applies every corruption at every severity by default', () => {
    expect(parseRobustnessFlags({ robustness: true })).toEqual({ corruptions: [...CORRUPTIONS], severities: [1, 2, 3, 4, 5] });
    expect(parseRobustnessFlags({})).toBeUndefined();
  });

  it('takes lists of corruptions and severities', () => {
    expect(parseRobustnessFlags({ robustness: true, corruptions: 'fog, jpeg', severities: '1,3' })).toEqual({
      corruptions: ['fog', 'jpeg'],
      severities: [1, 3],
    });
  });

  it.each([
    [{ robustness: true, corruptions: 'fog,snow' }, /unknown corruption "snow"/],
    [{ robustness: true, severities: '3,1' }, /increasing/],
    [{ robustness: true, severities: '0' }, /severities/],
    [{ robustness: true, severities: 'x' }, /severities/],
    [{ corruptions: 'fog' }, /need --robustness/],
  ])('refuses %o', (flags, message) => {
    expect(() => parseRobustnessFlags(flags)).toThrow(UsageError);
    expect(() => parseRobustnessFlags(flags)).toThrow(message);
  });
});
