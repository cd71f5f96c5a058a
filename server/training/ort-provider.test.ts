import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../../models/create-model.ts';
import { initTf } from '../tf/runtime.ts';
import { AdamW } from './adamw.ts';
import { createTrainingEngine } from './create-training-engine.ts';

/**
 * A GPU provider asked for by PIXELDRIVE_ORT_PROVIDER either trains on ONNX Runtime or fails with
 * a reason that names it; it never falls back to the TF.js engine, which is 7–14× slower. On a
 * machine without a GPU (CI) the WebGPU provider finds no adapter and the failure is checked; on a
 * GPU machine with Vulkan the engine starts and the step is checked.
 */
describe('ORT engine on a GPU provider', () => {
  beforeAll(async () => {
    await initTf('cpu');
  });

  it.each(['auto', 'ort'] as const)('engine %s with webgpu: trains on ORT or says why not', async (requested) => {
    const model = createModel('unet', { width: 2, inputWidth: 32, inputHeight: 32 }, 5);
    const opts = { model, optimizer: new AdamW(), classWeights: new Array(13).fill(1), batch: { n: 2, height: 32, width: 32 }, ortProvider: 'webgpu' as const };
    try {
      const engine = await createTrainingEngine(requested, opts).catch((e: Error) => e);
      if (engine instanceof Error) {
        expect(engine.message).toMatch(/ONNX Runtime's webgpu execution provider did not start \(PIXELDRIVE_ORT_PROVIDER=webgpu\): \S/);
        return;
      }
      expect(engine.name).toBe('ort');
      expect(engine.device).toBe('onnxruntime-webgpu');
      const batch = { images: new Float32Array(2 * 32 * 32 * 3).fill(0.5), labels: new Int32Array(2 * 32 * 32).fill(7), n: 2, height: 32, width: 32 };
      expect(Number.isFinite(await engine.step(batch, 1e-3))).toBe(true);
      await engine.dispose();
    } finally {
      model.dispose();
    }
  });
});
