/**
 * glibc allocator settings for the web server process, which `npm start` gives it unless the
 * operator set them. Measured with scripts/bench/playground-burst.ts (docs/decisions/0005-web-server-allocator-settings.md): on
 * glibc's defaults a burst of 50 uploads left the web server 6–13 % larger a minute later, all
 * of it freed memory that malloc kept (its per-thread arenas and main heap grew by 130 MB while
 * the JavaScript heap and the mapped blocks shrank), not anything the app still held.
 * - MALLOC_MMAP_THRESHOLD_: blocks of 128 KiB and more (decoded photos, label maps, ONNX
 *   Runtime's output copies, request bodies) get a mapping of their own, returned to the system
 *   when freed. Left dynamic, glibc raises the threshold to the size of each mapped block freed
 *   (up to 32 MiB), so after the first large buffers are freed it carves blocks of their size
 *   out of its arenas, where the holes between live blocks are never given back.
 * - MALLOC_ARENA_MAX: at most two arenas instead of eight per core. Every thread that allocates
 *   (the three ONNX Runtime threads and theirs, libuv's pool, libvips) otherwise gets an arena of
 *   its own, each keeping its own free memory.
 * Setting MALLOC_ARENA_MAX also lets sharp use both cores per operation (it drops to one thread
 * on glibc's defaults for the same reason).
 */
const WEB_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: String(128 * 1024),
};

/** The web server's environment: this process' own, with the allocator settings it did not set. */
export function webProcessEnv<E extends Record<string, string | undefined>>(env: E): E {
  const out: Record<string, string | undefined> = { ...env };
  for (const [name, value] of Object.entries(WEB_MALLOC_ENV)) if (!out[name]) out[name] = value;
  return out as E;
}
