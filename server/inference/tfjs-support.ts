import { loadCheckpoint } from '../../models/checkpoint-io.ts';
import { config } from '../config.ts';
import { initTf } from '../tf/runtime.ts';
import { exportOnnx } from './export-onnx.ts';
import { registerTfjsSupport } from './segmenter.ts';
import { createTfjsRunner } from './tfjs-runner.ts';

/**
 * Plugs TF.js into the segmenter for processes that may load it (worker, CLI, bench,
 * tests): tfjs-node(-gpu) when installed, wasm as the fallback, ONNX export on demand.
 * Importing this module is the whole setup.
 */
registerTfjsSupport({
  async nativeRunner(dir, tta) {
    const backend = await initTf();
    if (backend !== 'tensorflow') return null;
    const tf = await import('@tensorflow/tfjs');
    const gpu = /gpu/i.test(tf.getBackend()) || config.cudaVisible;
    return createTfjsRunner(await loadCheckpoint(dir), gpu ? 'tfjs-node-gpu' : 'tfjs-node', tta);
  },
  async wasmRunner(dir, tta) {
    const backend = await initTf();
    return createTfjsRunner(await loadCheckpoint(dir), backend === 'wasm' ? 'tfjs-wasm' : backend === 'cpu' ? 'tfjs-cpu' : 'tfjs-node', tta);
  },
  async ensureOnnx(dir, tta) {
    return (await exportOnnx(dir, { tta })).file;
  },
});
