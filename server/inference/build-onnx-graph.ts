import onnxProto from 'onnx-proto';
import { forwardGraph } from '../../models/create-model.ts';
import type { ModelConfig } from '../../models/validate-config.ts';
import { OnnxOps, type OnnxNode } from '../../models/onnx-ops.ts';
import type { ParamStore } from '../../models/tf-ops.ts';
import { encodeOnnxModel } from './onnx-proto.ts';

const { onnx } = onnxProto;

/**
 * The exported graph:
 *   inputs   image    float32 [N, H, W, 3]  normalised RGB (models/preprocess.ts), NHWC as in TF.js
 *            out_size int64   [2]           (height, width) of the label map wanted
 *   outputs  logits   float32 [N, C, H, W]  raw scores, no softmax
 *            labels   uint8   [N, out_h, out_w]  argmax of the logits bilinearly resized to out_size
 * Asking only for `labels` copies one byte per pixel out of the runtime instead of C floats.
 */
export function buildOnnxModel(opts: { params: ParamStore; config: ModelConfig; metadata: Record<string, string> }): Uint8Array {
  const { values, shapes } = OnnxOps.fromParams(opts.params);
  const ops = new OnnxOps(values, shapes);
  const { inputWidth: W, inputHeight: H, numClasses } = opts.config;
  const [nchw] = ops.addNode('Transpose', ['image'], { perm: [0, 3, 1, 2] });
  const logits = forwardGraph(ops, { name: nchw, c: 3, h: H, w: W }, opts.config);
  ops.addNode('Identity', [logits.name]).forEach((n) => renameLast(ops.nodes, n, 'logits'));
  const [shape] = ops.addNode('Shape', ['logits']);
  const starts = ops.addInitializer('nc_start', [1], BigInt64Array.from([0n]));
  const ends = ops.addInitializer('nc_end', [1], BigInt64Array.from([2n]));
  const [nc] = ops.addNode('Slice', [shape, starts, ends]);
  const [sizes] = ops.addNode('Concat', [nc, 'out_size'], { axis: 0 });
  const [resized] = ops.addNode('Resize', ['logits', '', '', sizes], { mode: 'linear', coordinate_transformation_mode: 'half_pixel' });
  const [argmax] = ops.addNode('ArgMax', [resized], { axis: 1, keepdims: 0 });
  ops.addNode('Cast', [argmax], { to: onnx.TensorProto.DataType.UINT8 }).forEach((n) => renameLast(ops.nodes, n, 'labels'));

  return encodeOnnxModel({
    name: opts.config.arch,
    nodes: ops.nodes,
    initializers: ops.initializers.values(),
    inputs: [
      { name: 'image', type: 'float', dims: ['N', H, W, 3] },
      { name: 'out_size', type: 'int64', dims: [2] },
    ],
    outputs: [
      { name: 'logits', type: 'float', dims: ['N', numClasses, H, W] },
      { name: 'labels', type: 'uint8', dims: ['N', 'out_h', 'out_w'] },
    ],
    metadata: opts.metadata,
  });
}

function renameLast(nodes: OnnxNode[], from: string, to: string): void {
  for (const n of nodes) {
    n.outputs = n.outputs.map((o) => (o === from ? to : o));
    n.inputs = n.inputs.map((i) => (i === from ? to : i));
  }
}
