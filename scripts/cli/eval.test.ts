import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args.ts';
import { qualityFlags } from './eval.ts';

const KNOWN = { calibration: 'boolean', boundary: 'boolean', 'no-calibration': 'boolean', 'no-boundary': 'boolean' } as const;
const flagsOf = (...argv: string[]) => parseArgs(argv, KNOWN).flags;

describe('qualityFlags', () => {
  it('returns both metrics on when no flag is given', () => {
    expect(qualityFlags(flagsOf())).toEqual({ calibration: true, boundary: true });
  });

  it('returns each metric off when its --no- flag is given', () => {
    expect(qualityFlags(flagsOf('--no-calibration'))).toEqual({ calibration: false, boundary: true });
    expect(qualityFlags(flagsOf('--no-boundary', '--calibration'))).toEqual({ calibration: true, boundary: false });
  });

  it('throws a usage error when a metric is asked both on and off', () => {
    expect(() => qualityFlags(flagsOf('--boundary', '--no-boundary'))).toThrow(UsageError);
  });
});
