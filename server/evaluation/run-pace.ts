/**
 * How fast a running evaluation goes and when it will be done, from what the database
 * already holds: predictions stored since the run started. Null until there is something
 * to measure (not started, nothing stored yet).
 */
export function runPace(opts: { done: number; total: number; startedAt: Date | null; now: Date }): { imagesPerSecond: number; secondsLeft: number } | null {
  const { done, total, startedAt, now } = opts;
  if (!startedAt || done <= 0) return null;
  const seconds = (now.getTime() - startedAt.getTime()) / 1000;
  if (seconds <= 0) return null;
  const imagesPerSecond = done / seconds;
  return { imagesPerSecond, secondsLeft: Math.max(0, total - done) / imagesPerSecond };
}
