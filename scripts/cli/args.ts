/** Minimal `--flag value` / `--switch` parser; unknown flags are an error, not ignored. */
export function parseArgs(argv: string[], known: Record<string, 'string' | 'boolean'>): { flags: Record<string, string | boolean>; positional: string[] } {
  const flags: Record<string, string | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split('=', 2);
    const kind = known[name];
    if (!kind)
      throw new UsageError(
        `unknown option --${name} (known: ${Object.keys(known)
          .map((k) => `--${k}`)
          .join(', ')})`,
      );
    if (kind === 'boolean') flags[name] = true;
    else {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      flags[name] = v;
    }
  }
  return { flags, positional };
}

export class UsageError extends Error {}

export function intFlag(flags: Record<string, string | boolean>, name: string, def: number, min = 1): number {
  const v = flags[name];
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${String(v)}"`);
  return n;
}

export function numFlag(flags: Record<string, string | boolean>, name: string, def: number): number {
  const v = flags[name];
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number, got "${String(v)}"`);
  return n;
}

/** A `WxH` size flag (e.g. `--crop 256x192`): both sides integers, multiples of 16 (the networks pool four times). */
export function sizeFlag(flags: Record<string, string | boolean>, name: string, def: { width: number; height: number }): { width: number; height: number } {
  const v = flags[name];
  if (v === undefined) return def;
  const m = /^(\d+)x(\d+)$/.exec(String(v));
  const [width, height] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!m || width < 32 || height < 32 || width % 16 || height % 16)
    throw new UsageError(`--${name} must be WxH, each a multiple of 16 and at least 32, got "${String(v)}"`);
  return { width, height };
}
