import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BAD_IMPORTS } from '../../test/bad-model-imports.ts';
import { config } from '../config.ts';
import { getDb } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { importOnnxModel } from './import-onnx-model.ts';

beforeAll(async () => {
  config.modelsDir = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-models-'));
});

describe('importOnnxModel refuses', () => {
  it.each(BAD_IMPORTS.map((b) => [b.what, b] as const))('%s, with its message, storing nothing', async (_, bad) => {
    const before = await getDb().checkpoint.count();
    const error = await importOnnxModel({
      bytes: await bad.file(),
      adapter: await bad.adapter(),
      name: `bad ${bad.what.replace(/[^\w ]/g, '')}`,
      maxBytes: bad.maxBytes,
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).userMessage).toMatch(bad.message);
    expect(await getDb().checkpoint.count()).toBe(before);
    expect(await readdir(config.modelsDir)).toEqual([]);
  });
});
