import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { config, TF_BACKENDS, type TfBackendName } from '../config.ts';
import { registerResizeBilinearGrad } from './resize-bilinear-grad.ts';
import { registerWasmGradientKernels } from './wasm-grad-kernels.ts';

export type { TfBackendName };

const require = createRequire(import.meta.url);
let ready: Promise<TfBackendName> | null = null;

/**
 * Picks the fastest TF.js backend this machine has: tfjs-node-gpu / tfjs-node when
 * installed (they are optional: their install downloads libtensorflow), else wasm with
 * our gradient kernels, else plain cpu. `PIXELDRIVE_TF_BACKEND` overrides the choice.
 */
export function initTf(preferred: TfBackendName | undefined = config.tfBackend): Promise<TfBackendName> {
  ready ??= (async () => {
    registerResizeBilinearGrad(['cpu', 'wasm']);
    const order: readonly TfBackendName[] = preferred ? [preferred] : TF_BACKENDS;
    for (const name of order) {
      if (name === 'tensorflow' && !(await loadNativeTf())) continue;
      if (name === 'wasm') {
        const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
        setWasmPaths(dist + path.sep);
        registerWasmGradientKernels();
      }
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
    }
    throw new Error(`no TF.js backend could start (tried ${order.join(', ')})`);
  })();
  return ready;
}

async function loadNativeTf(): Promise<boolean> {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(pkg);
      return true;
    } catch {
      // optional dependency absent (its install needs the network): try the next one
    }
  }
  return false;
}
