import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishedCheckpointFolders } from '../../models/checkpoint-folders.ts';
import { readManifest } from '../../models/checkpoint-manifest.ts';
import { epochHistorySchema, modelCardSchema } from './checkpoint.ts';
import { confusionRowsSchema, evaluationMetricsSchema } from './evaluation.ts';
import { parseJson } from './common.ts';

const shipped = (folder: string, file: string) => path.resolve('models/checkpoints', folder, file);

describe('JSON definitions', () => {
  // Every shipped folder, however many: a random-init control is a folder of its own.
  it.each(finishedCheckpointFolders(path.resolve('models/checkpoints')).map((f) => path.basename(f)))(
    'accept the shipped %s card, history and manifest as they are',
    async (folder) => {
      const card = JSON.parse(await readFile(shipped(folder, 'card.json'), 'utf8'));
      expect(parseJson(modelCardSchema, card, 'card')).toEqual(card); // nothing declared is dropped
      const history = JSON.parse(await readFile(shipped(folder, 'history.json'), 'utf8'));
      expect(parseJson(epochHistorySchema, history, 'history')).toHaveLength(history.length);
      expect((await readManifest(path.dirname(shipped(folder, 'model.json')))).config).toMatchObject(card.config);
    },
  );

  it('name the field and the source of a value that does not fit', () => {
    const card = { arch: 'unet', name: 'U-Net' };
    expect(() => parseJson(modelCardSchema, card, 'ck/card.json')).toThrow(/^ck\/card\.json: .*training/);
    expect(() => parseJson(confusionRowsSchema, [[1, 2]], 'run r1 confusion')).toThrow(/run r1 confusion/);
    const rows = Array.from({ length: 13 }, () => new Array(12).fill(0));
    expect(() => parseJson(confusionRowsSchema, rows, 'x')).toThrow(/square/);
    expect(() => parseJson(evaluationMetricsSchema, { miou: 0.5 }, 'run r2 metrics')).toThrow(/miouLow/);
  });
});

describe('readManifest', () => {
  it("validates the config with the architecture's own schema", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-manifest-'));
    const manifest = JSON.parse(await readFile(shipped('segnet', 'model.json'), 'utf8'));
    await writeFile(path.join(dir, 'model.json'), JSON.stringify({ ...manifest, config: { ...manifest.config, inputWidth: 100 } }));
    await expect(readManifest(dir)).rejects.toThrow(/invalid SegNet config: inputWidth/);
    await writeFile(path.join(dir, 'model.json'), JSON.stringify({ ...manifest, weightsManifest: [] }));
    await expect(readManifest(dir)).rejects.toThrow(/invalid checkpoint manifest: weightsManifest/);
  });
});
