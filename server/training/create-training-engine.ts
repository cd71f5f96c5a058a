import type { EngineOptions, TrainingEngine, TrainingEngineName } from './engine.ts';

/**
 * The engine for `requested` ('auto' picks ONNX Runtime where onnxruntime-node loads, TF.js
 * otherwise). Engines are imported lazily so a machine without one can still use the other.
 */
export async function createTrainingEngine(requested: TrainingEngineName | 'auto', opts: EngineOptions): Promise<TrainingEngine> {
  if (requested === 'ort' || requested === 'auto') {
    try {
      const { createOrtEngine } = await import('./ort-engine.ts');
      return await createOrtEngine(opts);
    } catch (e) {
      // A GPU provider asked for by name is never traded silently for the far slower TF.js path.
      if (requested === 'ort' || (opts.ortProvider ?? 'cpu') !== 'cpu') throw e;
      console.warn(`[training] ONNX Runtime engine unavailable (${(e as Error).message}); training with TF.js`);
    }
  }
  const { createTfjsEngine } = await import('./tfjs-engine.ts');
  return createTfjsEngine(opts);
}
