/**
 * One value per process, made on first use. It is kept on globalThis (as `__pixeldrive<key>`)
 * rather than in a module variable because Next's hot reload evaluates a module again: a pool,
 * a cache or a set of slots made at module level would then exist twice, each half-used. `key`
 * names the value; two modules must not share one.
 */
export function perProcess<T>(key: string, make: () => T): T {
  const g = globalThis as unknown as Record<string, T | undefined>;
  return (g[`__pixeldrive${key}`] ??= make());
}
