import * as ort from 'onnxruntime-node';
import { DataType, decodeOnnx, encodeOnnx, onnx, type AttributeInit, type ModelProto, type NodeProto, type TensorInit } from '../onnx-import/onnx-graph.ts';
import { dimsOf, floatValues, rawOf } from './weight-initializers.ts';

interface Range {
  min: number;
  max: number;
}

/**
 * Static QDQ int8 quantization of every Conv, in the layout ONNX Runtime fuses into
 * QLinearConv: DequantizeLinear on the activation (uint8, one scale per tensor, from the
 * calibration range) and on the weights (int8, symmetric, one scale per output channel),
 * the bias as int32 at input scale × weight scale, and QuantizeLinear on the output.
 * A Conv whose only consumer is a Relu takes the Relu's calibrated range with zero point 0:
 * quantizing clamps at zero, which is the Relu, so the Relu node goes. The last Conv (the
 * logits) keeps a float output.
 */
export async function quantizeInt8(model: ModelProto, frames: { feeds: Record<string, ort.Tensor> }[]): Promise<ModelProto> {
  const graph = model.graph!;
  const nodes = graph.node ?? [];
  const consumers = new Map<string, NodeProto[]>();
  for (const n of nodes) for (const i of n.input ?? []) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const outputs = new Set((graph.output ?? []).map((o) => o.name));
  const convs = nodes.filter((n) => n.opType === 'Conv');
  /** Conv → the Relu it absorbs. */
  const fused = new Map<NodeProto, NodeProto>();
  for (const c of convs) {
    const y = c.output![0];
    const users = consumers.get(y) ?? [];
    if (users.length === 1 && users[0].opType === 'Relu' && !outputs.has(y)) fused.set(c, users[0]);
  }
  const watched = new Set<string>();
  for (const c of convs) {
    watched.add(c.input![0]);
    const r = fused.get(c);
    if (r) watched.add(r.output![0]);
  }
  const ranges = await calibrate(model, [...watched], frames);

  const inits = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const added: TensorInit[] = [];
  const params = new Map<string, { scale: string; zeroPoint: string; s: number }>();
  const qparams = (tensor: string, reluRange = false) => {
    const hit = params.get(tensor);
    if (hit) return hit;
    const r = ranges.get(tensor)!;
    // Zero must be exactly representable (padding, Relu): the range always includes it.
    const lo = reluRange ? 0 : Math.min(0, r.min);
    const hi = Math.max(0, r.max, lo + 1e-8);
    const s = (hi - lo) / 255;
    const zp = Math.min(255, Math.max(0, Math.round(-lo / s)));
    const p = {
      scale: constant(`${tensor}__scale`, DataType.FLOAT, [], Float32Array.of(s)),
      zeroPoint: constant(`${tensor}__zp`, DataType.UINT8, [], Uint8Array.of(zp)),
      s,
    };
    params.set(tensor, p);
    return p;
  };
  const constant = (name: string, dataType: number, dims: number[], data: ArrayBufferView) => {
    added.push({ name, dataType, dims, rawData: rawOf(data) });
    return name;
  };
  const node = (opType: string, input: string[], output: string, attribute: AttributeInit[] = []): NodeProto =>
    onnx.NodeProto.create({ opType, name: `${output}__node`, input, output: [output], attribute });

  const dequantized = new Map<string, string>();
  const removed = new Set<NodeProto>([...fused.values()]);
  const lastConv = convs.at(-1);
  const out: NodeProto[] = [];
  for (const n of nodes) {
    if (removed.has(n)) continue;
    if (n.opType !== 'Conv') {
      out.push(n);
      continue;
    }
    const x = n.input![0];
    if (!dequantized.has(x)) {
      const p = qparams(x);
      out.push(node('QuantizeLinear', [x, p.scale, p.zeroPoint], `${x}__q`), node('DequantizeLinear', [`${x}__q`, p.scale, p.zeroPoint], `${x}__dq`));
      dequantized.set(x, `${x}__dq`);
    }
    const sx = qparams(x).s;
    const w = inits.get(n.input![1])!;
    const wDims = dimsOf(w);
    const wValues = floatValues(w);
    const co = wDims[0];
    const per = wValues.length / co;
    const wq = new Int8Array(wValues.length);
    const ws = new Float32Array(co);
    for (let o = 0; o < co; o++) {
      let m = 0;
      for (let i = 0; i < per; i++) m = Math.max(m, Math.abs(wValues[o * per + i]));
      ws[o] = m > 0 ? m / 127 : 1;
      for (let i = 0; i < per; i++) wq[o * per + i] = Math.max(-127, Math.min(127, Math.round(wValues[o * per + i] / ws[o])));
    }
    const wName = n.input![1];
    const axis0 = [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }];
    constant(`${wName}__int8`, DataType.INT8, wDims, wq);
    constant(`${wName}__scale`, DataType.FLOAT, [co], ws);
    constant(`${wName}__zp`, DataType.INT8, [co], new Int8Array(co));
    out.push(node('DequantizeLinear', [`${wName}__int8`, `${wName}__scale`, `${wName}__zp`], `${wName}__dq`, axis0));
    const inputs = [dequantized.get(x)!, `${wName}__dq`];
    const bName = n.input![2];
    if (bName) {
      const b = floatValues(inits.get(bName)!);
      const bs = Float32Array.from(ws, (v) => v * sx);
      constant(
        `${bName}__int32`,
        DataType.INT32,
        [co],
        Int32Array.from(b, (v, o) => Math.round(v / bs[o])),
      );
      constant(`${bName}__scale`, DataType.FLOAT, [co], bs);
      constant(`${bName}__zp`, DataType.INT32, [co], new Int32Array(co));
      out.push(node('DequantizeLinear', [`${bName}__int32`, `${bName}__scale`, `${bName}__zp`], `${bName}__dq`, axis0));
      inputs.push(`${bName}__dq`);
    }
    n.input = inputs;
    out.push(n);
    const relu = fused.get(n);
    if (relu && n !== lastConv) {
      const y = relu.output![0];
      const p = qparams(y, true);
      const raw = `${y}__conv`;
      n.output = [raw];
      out.push(node('QuantizeLinear', [raw, p.scale, p.zeroPoint], `${y}__q`), node('DequantizeLinear', [`${y}__q`, p.scale, p.zeroPoint], y));
      dequantized.set(y, y);
    } else if (relu) {
      out.push(relu);
    }
  }
  graph.node = out;
  const usedWeights = new Set(out.flatMap((n) => n.input ?? []));
  graph.initializer = [...(graph.initializer ?? []).filter((t) => usedWeights.has(t.name ?? '')), ...added];
  return model;
}

/** Min and max of each tensor over the calibration frames, from the float model itself. */
async function calibrate(model: ModelProto, tensors: string[], frames: { feeds: Record<string, ort.Tensor> }[]): Promise<Map<string, Range>> {
  const probe = decodeOnnx(encodeOnnx(model));
  const graphOutputs = new Set((probe.graph!.output ?? []).map((o) => o.name));
  probe.graph!.output = [...(probe.graph!.output ?? []), ...tensors.filter((t) => !graphOutputs.has(t)).map((name) => onnx.ValueInfoProto.create({ name }))];
  const session = await ort.InferenceSession.create(encodeOnnx(probe), { graphOptimizationLevel: 'disabled' });
  const ranges = new Map<string, Range>(tensors.map((t) => [t, { min: Infinity, max: -Infinity }]));
  try {
    for (const f of frames) {
      const out = await session.run(f.feeds, tensors);
      for (const t of tensors) {
        const data = out[t].data as Float32Array;
        const r = ranges.get(t)!;
        for (let i = 0; i < data.length; i++) {
          const v = data[i];
          if (v < r.min) r.min = v;
          if (v > r.max) r.max = v;
        }
        out[t].dispose?.();
      }
    }
  } finally {
    await session.release();
  }
  return ranges;
}
