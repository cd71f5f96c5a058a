import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import '../inference/tfjs-support.ts';
import { POST } from '../../app/api/playground/route.ts';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { badInputs, realJpeg } from '../../test/bad-images.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { getDb } from '../db.ts';
import { decodeRgb } from '../dataset/decode.ts';
import { getSegmenter } from '../inference/segmenter.ts';
import { deleteUpload } from './playground-queries.ts';

function post(bytes: Uint8Array, name: string): Promise<Response> {
  const form = new FormData();
  form.set('file', new File([new Uint8Array(bytes)], name));
  return POST(new Request('http://localhost/api/playground', { method: 'POST', body: form }));
}

let checkpointDir = '';

beforeAll(async () => {
  const db = getDb();
  // The playground segments with the newest checkpoint of each architecture.
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

  it('under 20 requests at once, each completes or gets "busy, retry"; memory stays flat', async () => {
    const jpeg = await realJpeg();
    const round = async () => {
      const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => post(jpeg, `load-${i}.jpg`)));
      const statuses = responses.map((r) => r.status);
      for (const r of responses) if (r.status === 503) expect(r.headers.get('retry-after')).toBe('3');
      return statuses;
    };
    await round(); // warm-up: sessions, pools
    const rss0 = process.memoryUsage().rss;
    let statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses = statuses.concat(await round());
    const grown = (process.memoryUsage().rss - rss0) / 1024 / 1024;
    expect(statuses.every((s) => s === 201 || s === 503)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(3);
    expect(grown).toBeLessThan(200);
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
