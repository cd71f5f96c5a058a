import * as ort from 'onnxruntime-node';
import { softmaxChannelsFirst, type Runner, type RunnerOutput } from './runner.ts';

/** ONNX Runtime on CPU, from the graph PixelDrive exports (server/inference/build-onnx-graph.ts). */
export async function createOnnxRunner(file: string, opts: { inputWidth: number; inputHeight: number; numClasses: number; threads?: number }): Promise<Runner> {
  const session = await ort.InferenceSession.create(file, {
    intraOpNumThreads: opts.threads ?? 0,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    // Idle intra-op threads sleep instead of spinning: the cores they would burn decode and
    // store the next images of an evaluation (and serve the web app).
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  const { inputWidth: W, inputHeight: H, numClasses: C } = opts;
  return {
    backend: 'onnxruntime-cpu',
    async run(images, n, outH, outW, wantProbabilities): Promise<RunnerOutput> {
      const feeds = {
        image: new ort.Tensor('float32', images, [n, H, W, 3]),
        out_size: new ort.Tensor('int64', BigInt64Array.from([BigInt(outH), BigInt(outW)]), [2]),
      };
      const result = await session.run(feeds, wantProbabilities ? ['labels', 'logits'] : ['labels']);
      if (result.labels.type !== 'uint8') throw new Error(`${file}: labels output is ${result.labels.type}, expected uint8 (re-export: npm run cli -- export-onnx --force)`);
      const out: RunnerOutput = { labels: result.labels.data as Uint8Array };
      if (wantProbabilities) out.probabilities = softmaxChannelsFirst(result.logits.data as Float32Array, n, C, H * W);
      for (const t of Object.values(result)) t.dispose?.();
      return out;
    },
    dispose: () => session.release(),
  };
}
