import { IGNORE_INDEX } from '../../models/classes.ts';
import { forwardGraph } from '../../models/create-model.ts';
import type { ModelConfig } from '../../models/validate-config.ts';
import { OrtTrainOps, type GradValue, type PoolingForm } from '../../models/ort-train-ops.ts';
import { encodeOnnxModel } from '../inference/onnx-proto.ts';
import type { HardPixelMining, LovaszTerm } from './ingredients.ts';
import { minKeptPixels } from './loss.ts';

export interface TrainingGraph {
  /** The serialised ONNX model. */
  model: Uint8Array;
  /** Trainable parameters the graph reads, by their checkpoint names. */
  paramNames: string[];
  /** Batch-norm layers whose batch statistics the graph returns. */
  batchNorms: { name: string; channels: number }[];
}

/**
 * One training step as an ONNX graph, for a fixed batch shape:
 *   inputs   image          float32 [N, H, W, 3]  normalised RGB, NHWC as the data pipeline makes it
 *            labels         int32   [N, H, W]     class ids, 255 = ignore (hood, void)
 *            class_weights  float32 [C]
 *            every trainable parameter, checkpoint layout (kernels HWIO)
 *   outputs  loss           float32 []            class-weighted cross-entropy from logits (+ its optional terms)
 *            <param>:grad   its gradient, same layout as the parameter
 *            <bn>:batch_mean / <bn>:batch_variance   for the running statistics
 */
export function buildTrainingGraph(opts: {
  config: ModelConfig;
  paramShapes: ReadonlyMap<string, readonly number[]>;
  batch: number;
  height: number;
  width: number;
  /** Online hard-pixel mining in the loss (server/training/loss.ts); none when absent. */
  mining?: HardPixelMining;
  /** A Lovász-softmax term in the loss (server/training/loss.ts); none when absent. */
  lovasz?: LovaszTerm;
  /** How max-pooling keeps its maxima; 'window' for GPU providers (see `OrtTrainOps`). */
  pooling?: PoolingForm;
  /** ONNX Runtime's NCHWc channel block on this CPU (`nchwcBlockSize`), or none for plain convs only. */
  nchwcBlock?: number | null;
  /** For tests: an interpreter with a deliberately altered adjoint. */
  ops?: OrtTrainOps;
  /** For tests: a small network of a few ops instead of the architecture. */
  forward?: (ops: OrtTrainOps, x: GradValue) => GradValue;
}): TrainingGraph {
  const { config, batch: n, height: h, width: w } = opts;
  const ops = opts.ops ?? new OrtTrainOps(opts.paramShapes, opts.pooling, opts.nchwcBlock ?? null);
  const image = ops.addInput({ name: 'image', type: 'float', dims: [n, h, w, 3] });
  const labels = ops.addInput({ name: 'labels', type: 'int32', dims: [n, h, w] });
  const classWeights = ops.addInput({ name: 'class_weights', type: 'float', dims: [config.numClasses] });
  const x = { name: ops.node('Transpose', [image], { perm: [0, 3, 1, 2] })[0], n, c: 3, h, w, needsGrad: false };
  const logits = opts.forward ? opts.forward(ops, x) : forwardGraph(ops, x, config);
  const mining = opts.mining && { cut: Math.fround(-Math.log(opts.mining.threshold)), minKept: minKeptPixels(n * h * w, opts.mining) };
  const { loss, dLogits } = ops.crossEntropy(logits, labels, classWeights, IGNORE_INDEX, mining, opts.lovasz?.weight);
  ops.addOutput(loss, { name: 'loss', type: 'float', dims: [] });
  ops.backward(logits, dLogits);
  const model = encodeOnnxModel({
    name: `${config.arch}-train`,
    nodes: ops.nodes,
    initializers: ops.initializers.values(),
    inputs: ops.inputs,
    outputs: ops.outputs,
  });
  return { model, paramNames: ops.paramNames, batchNorms: ops.batchNorms };
}
