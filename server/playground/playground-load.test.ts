import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import '../inference/tfjs-support.ts';
import { POST } from '../../app/api/playground/route.ts';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { badInputs, realJpeg } from '../../test/bad-images.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { getDb } from '../db/client.ts';
import { decodeRgb } from '../dataset/decode.ts';
import { decodeLabelPng } from '../dataset/label-png.ts';
import { getSegmenter } from '../inference/segmenter.ts';
import { deleteUpload } from './playground-queries.ts';
import { MAX_CONCURRENT_UPLOADS, MAX_WAITING_UPLOADS } from './segment-upload.ts';
import { MAX_UPLOAD_BYTES } from './validate-upload.ts';

function post(bytes: Uint8Array, name: string): Promise<Response> {
  const form = new FormData();
  form.set('file', new File([new Uint8Array(bytes)], name));
  return POST(new Request('http://localhost/api/playground', { method: 'POST', body: form }));
}

let checkpointDir = '';

beforeAll(async () => {
  const db = getDb();
  // The playground segments with the newest checkpoint of each network.
  checkpointDir = await makeTestCheckpoint('unet', 11);
  await registerCheckpoint(checkpointDir);
  await db.playgroundUpload.deleteMany({});
});

describe('POST /api/playground', () => {
  it('answers every bad input with its 4xx and a message, stores nothing, and keeps serving', async () => {
    const db = getDb();
    const before = await db.playgroundUpload.count();
    for (const bad of await badInputs()) {
      const res = await post(bad.bytes, bad.name);
      expect(res.status, bad.name).toBe(bad.status);
      expect((await res.json()).message, bad.name).toMatch(bad.message);
    }
    expect(await db.playgroundUpload.count()).toBe(before);
    const ok = await post(await realJpeg(), 'frame.jpg');
    expect(ok.status).toBe(201);
    const body = await ok.json();
    expect(body.predictions.length).toBeGreaterThanOrEqual(1);
    expect(body.predictions[0].classPercents.length).toBeGreaterThan(0);
    await deleteUpload({ uploadId: body.id });
    expect(await db.playgroundUpload.count()).toBe(before);
  });

  it('under 50 requests at once, waiting requests are served in turn; beyond the line, "busy, retry"; memory stays flat', async () => {
    const jpeg = await realJpeg();
    const round = async (n: number) => {
      const responses = await Promise.all(Array.from({ length: n }, (_, i) => post(jpeg, `load-${i}.jpg`)));
      for (const r of responses) if (r.status === 503) expect(r.headers.get('retry-after')).toBe('3');
      return responses.map((r) => r.status);
    };
    await round(3); // warm-up: sessions, pools
    const rss0 = process.memoryUsage().rss;
    const burst = await round(50);
    expect(burst.every((s) => s === 201 || s === 503)).toBe(true);
    // 3 running + 48 waiting: with the test's small models none waits 20 s, so all are served.
    expect(burst.filter((s) => s === 201).length).toBe(50);
    const overflow = await round(MAX_CONCURRENT_UPLOADS + MAX_WAITING_UPLOADS + 5);
    expect(overflow.filter((s) => s === 503).length).toBe(5);
    const grown = (process.memoryUsage().rss - rss0) / 1024 / 1024;
    expect(grown).toBeLessThan(200);
    await getDb().playgroundUpload.deleteMany({ where: { fileName: { startsWith: 'load-' } } });
  });

  it('keeps a photo above 2 MP, and its masks, at 2 MP with the same aspect', async () => {
    const big = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 90, g: 90, b: 90 } } })
      .jpeg()
      .toBuffer();
    const res = await post(big, 'big.jpg');
    expect(res.status).toBe(201);
    const body = await res.json();
    expect([body.width, body.height]).toEqual([3000, 2000]);
    const row = await getDb().playgroundUpload.findUniqueOrThrow({ where: { id: body.id }, include: { predictions: true } });
    const stored = await sharp(row.imagePng).metadata();
    expect([stored.width, stored.height]).toEqual([1732, 1154]);
    for (const p of row.predictions) {
      const mask = await decodeLabelPng(p.labelPng);
      expect([mask.width, mask.height]).toEqual([1732, 1154]);
    }
    await deleteUpload({ uploadId: body.id });
  });

  it('refuses a 12 MB chunked upload without Content-Length with 413 before reading it whole', async () => {
    const CHUNK = 64 * 1024;
    const TOTAL = 12 * 1024 * 1024;
    for (const type of ['application/octet-stream', 'multipart/form-data; boundary=x']) {
      let pulled = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (pulled >= TOTAL) return c.close();
          pulled += CHUNK;
          c.enqueue(new Uint8Array(CHUNK));
        },
      });
      const req = new Request('http://localhost/api/playground', { method: 'POST', body, headers: { 'content-type': type }, duplex: 'half' } as RequestInit);
      expect(req.headers.get('content-length')).toBeNull();
      const res = await POST(req);
      expect(res.status).toBe(413);
      expect((await res.json()).message).toMatch(/limit is 10 MB/);
      // Read up to the limit (10 MB + the multipart allowance) and at most a chunk or two more that the stream had queued.
      expect(pulled).toBeLessThanOrEqual(MAX_UPLOAD_BYTES + 64 * 1024 + 2 * CHUNK);
    }
  });
});

describe('segmenter on TF.js wasm under concurrency', () => {
  it('leaves tf.memory().numTensors unchanged after 20 concurrent calls', async () => {
    const s = await getSegmenter(path.resolve(checkpointDir), 'wasm');
    const img = await decodeRgb(await realJpeg(), 'frame.jpg');
    await s.segment(img);
    const before = tf.memory().numTensors;
    const out = await Promise.all(Array.from({ length: 20 }, () => s.segment(img)));
    expect(out.every((o) => o.label.width === 800 && o.label.height === 600 && o.backend === 'tfjs-wasm')).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});
