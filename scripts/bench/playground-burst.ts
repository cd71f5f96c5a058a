// A burst of concurrent playground uploads against a running server, as a user's crowd would
// send them: how many are served (201), how many told to retry (503 + Retry-After), how long
// they took, and the web server's memory before, 5 s after and a minute after (what it gives back).
//   npx tsx scripts/bench/playground-burst.ts --url http://127.0.0.1:3000 [--n 50] [--pid <web server pid>] [--settle 60] [--token T]
//   (a 12 MB chunked upload without Content-Length is sent last: it must be a 413)
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { percentile } from './stats.ts';

const arg = (name: string, fallback?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const url = arg('url', 'http://127.0.0.1:3000')!;
const n = Number(arg('n', '50'));
const pid = arg('pid');
/** Seconds after the burst for the last memory reading. */
const settleSeconds = Number(arg('settle', '60'));
const token = arg('token');
const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};

function rssMb(): number | null {
  if (!pid) return null;
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

const jpeg = await sharp(await readFile('data/carla-drive/CameraRGB/000_0021.jpg'))
  .resize(800, 600)
  .jpeg({ quality: 90 })
  .toBuffer();
const upload = async (i: number) => {
  const form = new FormData();
  form.set('file', new File([new Uint8Array(jpeg)], `burst-${i}.jpg`, { type: 'image/jpeg' }));
  const t0 = performance.now();
  const res = await fetch(`${url}/api/playground`, { method: 'POST', body: form, headers: auth });
  await res.arrayBuffer();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), ms: performance.now() - t0 };
};

await upload(-1); // warm-up: sessions loaded
await new Promise((r) => setTimeout(r, 2000));
const rss0 = rssMb();
const t0 = performance.now();
const results = await Promise.all(Array.from({ length: n }, (_, i) => upload(i)));
const wall = (performance.now() - t0) / 1000;
await new Promise((r) => setTimeout(r, 5000)); // let the collector run
const rss1 = rssMb();
await new Promise((r) => setTimeout(r, Math.max(0, settleSeconds - 5) * 1000));
const rssSettled = rssMb();
const served = results.filter((r) => r.status === 201);
const busy = results.filter((r) => r.status === 503);

// A well-formed multipart upload (so the size limit, not the content type, is what refuses it)
// whose 12 MB body streams in chunks without a Content-Length.
const head = new TextEncoder().encode('--burst\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n');
let pulled = 0;
const chunk = 64 * 1024;
const stream = new ReadableStream<Uint8Array>({
  start(c) {
    c.enqueue(head);
  },
  pull(c) {
    if (pulled >= 12 * 1024 * 1024) return c.close();
    pulled += chunk;
    c.enqueue(new Uint8Array(chunk));
  },
});
const big = await fetch(`${url}/api/playground`, {
  method: 'POST',
  body: stream,
  headers: { ...auth, 'content-type': 'multipart/form-data; boundary=burst' },
  duplex: 'half',
} as RequestInit).catch((e: Error) => ({ status: `error ${e.message}` }));

console.log(
  JSON.stringify(
    {
      uploads: n,
      served: served.length,
      busy: busy.length,
      busyWithRetryAfter: busy.filter((r) => r.retryAfter).length,
      other: results.filter((r) => r.status !== 201 && r.status !== 503).map((r) => r.status),
      wallSeconds: +wall.toFixed(1),
      servedP50Ms: served.length
        ? Math.round(
            percentile(
              served.map((r) => r.ms),
              0.5,
            ),
          )
        : null,
      servedP95Ms: served.length
        ? Math.round(
            percentile(
              served.map((r) => r.ms),
              0.95,
            ),
          )
        : null,
      rssBeforeMb: rss0 && Math.round(rss0),
      rssAfterMb: rss1 && Math.round(rss1),
      [`rssAfter${settleSeconds}sMb`]: rssSettled && Math.round(rssSettled),
      rssSettledVsBefore: rss0 && rssSettled ? `${rssSettled >= rss0 ? '+' : ''}${((100 * (rssSettled - rss0)) / rss0).toFixed(1)} %` : null,
      chunked12MbStatus: big.status,
    },
    null,
    2,
  ),
);
