import * as ort from 'onnxruntime-node';
import { batchMeanName, batchVarianceName, gradName, NCHWC_DOMAIN } from '../../models/ort-train-ops.ts';
import type { OrtProvider } from '../config.ts';
import { encodeOnnxModel } from '../inference/onnx-proto.ts';
import type { TrainingGraph } from './ort-train-graph.ts';

let nchwcBlock: Promise<number | null> | undefined;

/**
 * The channel block of ONNX Runtime's NCHWc kernels on this CPU (8 with AVX2, 16 with AVX-512),
 * read off the shape ReorderInput gives 4 channels; null where this build or CPU has none, or the
 * probe fails. Training graphs use it for their blocked convolutions (`OrtTrainOps`).
 */
export function nchwcBlockSize(): Promise<number | null> {
  nchwcBlock ??= (async () => {
    try {
      const model = encodeOnnxModel({
        name: 'nchwc-probe',
        nodes: [{ opType: 'ReorderInput', domain: NCHWC_DOMAIN, inputs: ['x'], outputs: ['y'], attrs: { channels_last: 0 }, name: 'reorder' }],
        initializers: [],
        inputs: [{ name: 'x', type: 'float', dims: [1, 4, 1, 1] }],
        outputs: [{ name: 'y', type: 'float', dims: [1, 'blocked', 1, 1] }],
      });
      const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'], intraOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
      try {
        const { y } = await session.run({ x: new ort.Tensor('float32', new Float32Array(4), [1, 4, 1, 1]) });
        const block = y.dims[1];
        return block >= 8 && (block & (block - 1)) === 0 ? block : null;
      } finally {
        await session.release();
      }
    } catch (e) {
      console.warn(`ONNX Runtime's NCHWc kernels are unavailable here (${(e as Error).message.split('\n')[0]}); training convs run as im2col + GEMM`);
      return null;
    }
  })();
  return nchwcBlock;
}

interface TrainingStepInput {
  images: Float32Array;
  labels: Int32Array;
  classWeights: Float32Array;
  params: ReadonlyMap<string, Float32Array>;
}

interface TrainingStepOutput {
  loss: number;
  grads: Map<string, Float32Array>;
  batchStats: Map<string, { mean: Float32Array; variance: Float32Array }>;
}

/**
 * An ONNX Runtime session over one training graph (one batch shape), reused every step.
 * The parameters are inputs, so the same session serves the whole run.
 */
export class OrtTrainer {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly graph: TrainingGraph,
    private readonly dims: { n: number; h: number; w: number },
  ) {}

  /**
   * `provider`: where the graph runs. 'webgpu' (ORT's Dawn-based GPU provider, built into
   * onnxruntime-node on Linux x64) and 'cuda' (needs ORT's CUDA provider libraries beside the
   * binding) place what they support on the GPU; ORT runs any other node on the CPU.
   */
  static async create(graph: TrainingGraph, dims: { n: number; h: number; w: number }, threads = 2, provider: OrtProvider = 'cpu'): Promise<OrtTrainer> {
    const session = await ort.InferenceSession.create(graph.model, {
      executionProviders: [provider],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      // Threads sleep between ops instead of spinning: on a machine shared with data preparation,
      // the web app or other runs, spinning threads starved the step (1.4–1.8 s vs 0.6–1.2 s per
      // U-Net w8 step measured side by side under load).
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    return new OrtTrainer(session, graph, dims);
  }

  async step(input: TrainingStepInput, paramShapes: ReadonlyMap<string, readonly number[]>): Promise<TrainingStepOutput> {
    const { n, h, w } = this.dims;
    const feeds: Record<string, ort.Tensor> = {
      image: new ort.Tensor('float32', input.images, [n, h, w, 3]),
      labels: new ort.Tensor('int32', input.labels, [n, h, w]),
      class_weights: new ort.Tensor('float32', input.classWeights, [input.classWeights.length]),
    };
    for (const name of this.graph.paramNames) {
      const v = input.params.get(name);
      if (!v) throw new Error(`training step: no value for parameter ${name}`);
      feeds[name] = new ort.Tensor('float32', v, [...paramShapes.get(name)!]);
    }
    const out = await this.session.run(feeds);
    try {
      const grads = new Map(this.graph.paramNames.map((p) => [p, out[gradName(p)].data as Float32Array]));
      const batchStats = new Map(
        this.graph.batchNorms.map(({ name }) => [
          name,
          { mean: out[batchMeanName(name)].data as Float32Array, variance: out[batchVarianceName(name)].data as Float32Array },
        ]),
      );
      return { loss: (out.loss.data as Float32Array)[0], grads, batchStats };
    } finally {
      // The typed arrays above stay valid: onnxruntime-node copies outputs into JS memory.
    }
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
