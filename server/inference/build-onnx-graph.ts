import onnxProto from 'onnx-proto';
import { forwardGraph } from '../../models/create-model.ts';
import type { ModelConfig } from '../../models/validate-config.ts';
import { OnnxOps, type OnnxNode } from '../../models/onnx-ops.ts';
import type { ParamStore } from '../../models/tf-ops.ts';

const { onnx } = onnxProto;
export const ONNX_OPSET = 13;

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

  const dim = (d: number | string) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d });
  const valueInfo = (name: string, elemType: number, dims: (number | string)[]) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map(dim) } } },
  });
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const INT64 = onnx.TensorProto.DataType.INT64;
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'pixeldrive',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    metadataProps: Object.entries(opts.metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: opts.config.arch,
      node: ops.nodes.map((n) => ({
        name: n.name,
        opType: n.opType,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs).map(([name, v]) => attribute(name, v)),
      })),
      initializer: [...ops.initializers.values()].map((t) => ({
        name: t.name,
        dims: t.dims,
        dataType: t.dataType === 'float' ? FLOAT : INT64,
        rawData: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
      })),
      input: [valueInfo('image', FLOAT, ['N', H, W, 3]), valueInfo('out_size', INT64, [2])],
      output: [valueInfo('logits', FLOAT, ['N', numClasses, H, W]), valueInfo('labels', onnx.TensorProto.DataType.UINT8, ['N', 'out_h', 'out_w'])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

function renameLast(nodes: OnnxNode[], from: string, to: string): void {
  for (const n of nodes) {
    n.outputs = n.outputs.map((o) => (o === from ? to : o));
    n.inputs = n.inputs.map((i) => (i === from ? to : i));
  }
}

function attribute(name: string, v: number | number[] | string) {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) {
    return v.every(Number.isInteger) ? { name, type: T.INTS, ints: v } : { name, type: T.FLOATS, floats: v };
  }
  return Number.isInteger(v) && name !== 'epsilon' ? { name, type: T.INT, i: v } : { name, type: T.FLOAT, f: v };
}
