/**
 * Runs `fn(0..count-1)` with at most `width` calls in flight, so memory is bounded by the
 * window, not by `count`, while file reads and the decoders' thread pool overlap. After a
 * failure no new call starts; the error of the lowest failing index is thrown, so the file
 * named is the same one a sequential pass would have stopped at among those tried.
 */
export async function inWindow(count: number, width: number, fn: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  type Failure = { index: number; error: unknown };
  const state: { failed?: Failure } = {};
  const lane = async () => {
    while (!state.failed && next < count) {
      const i = next++;
      try {
        await fn(i);
      } catch (error) {
        // Another lane may have failed while this call was awaited (the loop's narrowing does not know).
        const other = state.failed as Failure | undefined;
        if (!other || i < other.index) state.failed = { index: i, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, count)) }, lane));
  if (state.failed) throw state.failed.error;
}
