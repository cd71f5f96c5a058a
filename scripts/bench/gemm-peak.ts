import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { timeRuns } from './stats.ts';

const { onnx } = onnxProto;

interface GemmPeak {
  gflops: number;
  n: number;
  threads: number;
}

/**
 * The CPU's fp32 GEMM peak as this process can reach it: ONNX Runtime's MatMul (MLAS) on
 * square matrices of 1024 and 2048, same thread count as inference, best of 30 runs each.
 * On a shared machine the reachable peak drifts by ±10% from minute to minute, so the bench
 * measures it before and after the networks and divides by the higher (`bestPeak`).
 */
export async function measureGemmPeak(threads = 0): Promise<GemmPeak> {
  return bestPeak([await measureGemmAt(1024, threads), await measureGemmAt(2048, threads)]);
}

export function bestPeak(peaks: GemmPeak[]): GemmPeak {
  return peaks.reduce((a, b) => (b.gflops > a.gflops ? b : a));
}

async function measureGemmAt(n: number, threads: number): Promise<GemmPeak> {
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const b = new Float32Array(n * n).map((_, i) => ((i * 2654435761) % 1000) / 1000 - 0.5);
  const model = onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 7,
      opsetImport: [{ domain: '', version: 13 }],
      graph: {
        name: 'gemm',
        node: [{ opType: 'MatMul', input: ['a', 'b'], output: ['c'] }],
        initializer: [{ name: 'b', dims: [n, n], dataType: FLOAT, rawData: new Uint8Array(b.buffer) }],
        input: [{ name: 'a', type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimValue: n }, { dimValue: n }] } } } }],
        output: [{ name: 'c', type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimValue: n }, { dimValue: n }] } } } }],
      },
    }),
  ).finish();
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: threads, graphOptimizationLevel: 'all' });
  const a = new ort.Tensor('float32', b.slice(), [n, n]);
  const times = await timeRuns(() => session.run({ a }), { warmup: 5, runs: 30 });
  await session.release();
  return { gflops: (2 * n ** 3) / (Math.min(...times) / 1000) / 1e9, n, threads };
}
