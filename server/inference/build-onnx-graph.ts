import onnxProto from 'onnx-proto';
import { forwardGraph } from '../../models/create-model.ts';
import type { ModelConfig } from '../../models/validate-config.ts';
import { OnnxOps, type OnnxNode } from '../../models/onnx-ops.ts';
import type { ParamStore } from '../../models/tf-ops.ts';
import { encodeOnnxModel } from './onnx-proto.ts';
import type { Tta } from './tta.ts';

const { onnx } = onnxProto;

/**
 * The exported graph:
 *   inputs   image    float32 [N, H, W, 3]  normalised RGB (models/preprocess.ts), NHWC as in TF.js
 *            out_size int64   [2]           (height, width) of the label map wanted
 *   outputs  logits   float32 [N, C, H, W]  raw scores, no softmax
 *            labels   uint8   [N, out_h, out_w]  argmax of the logits bilinearly resized to out_size
 * Asking only for `labels` copies one byte per pixel out of the runtime instead of C floats.
 *
 * With `tta: 'flip'` the graph averages the logits of each image and of its mirror image
 * (mirrored back): logits = (f(x) + flipW(f(flipW(x)))) / 2. Both halves run as one batch of 2N.
 */
export function buildOnnxModel(opts: { params: ParamStore; config: ModelConfig; metadata: Record<string, string>; tta?: Tta }): Uint8Array {
  const { values, shapes } = OnnxOps.fromParams(opts.params);
  const ops = new OnnxOps(values, shapes);
  const { inputWidth: W, inputHeight: H, numClasses } = opts.config;
  const [nchw] = ops.addNode('Transpose', ['image'], { perm: [0, 3, 1, 2] });
  const net = (x: string) => forwardGraph(ops, { name: x, c: 3, h: H, w: W }, opts.config).name;
  const logits = (opts.tta ?? 'none') === 'flip' ? flipAveraged(ops, nchw, net) : net(nchw);
  ops.addNode('Identity', [logits]).forEach((n) => renameLast(ops.nodes, n, 'logits'));
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

/** (net(x) + mirror(net(mirror(x)))) / 2 over NCHW, the 2N images in one batch. */
function flipAveraged(ops: OnnxOps, x: string, net: (x: string) => string): string {
  const axis0 = ops.addInitializer('tta_axis0', [1], BigInt64Array.from([0n]));
  const zero = ops.addInitializer('tta_zero', [1], BigInt64Array.from([0n]));
  const one = ops.addInitializer('tta_one', [1], BigInt64Array.from([1n]));
  const end = ops.addInitializer('tta_end', [1], BigInt64Array.from([9223372036854775807n]));
  const axisW = ops.addInitializer('tta_axis_w', [1], BigInt64Array.from([3n]));
  const last = ops.addInitializer('tta_last', [1], BigInt64Array.from([-1n]));
  const before = ops.addInitializer('tta_before_first', [1], BigInt64Array.from([-9223372036854775808n]));
  const mirror = (t: string) => ops.addNode('Slice', [t, last, before, axisW, last])[0];
  const [both] = ops.addNode('Concat', [x, mirror(x)], { axis: 0 });
  const out = net(both);
  const [shape] = ops.addNode('Shape', [x]);
  const [n] = ops.addNode('Slice', [shape, zero, one]);
  const [plain] = ops.addNode('Slice', [out, zero, n, axis0]);
  const [mirrored] = ops.addNode('Slice', [out, n, end, axis0]);
  const [sum] = ops.addNode('Add', [plain, mirror(mirrored)]);
  const half = ops.addInitializer('tta_half', [], Float32Array.from([0.5]));
  return ops.addNode('Mul', [sum, half])[0];
}

function renameLast(nodes: OnnxNode[], from: string, to: string): void {
  for (const n of nodes) {
    n.outputs = n.outputs.map((o) => (o === from ? to : o));
    n.inputs = n.inputs.map((i) => (i === from ? to : i));
  }
}
