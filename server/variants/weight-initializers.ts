import { DataType, toNumber, type GraphProto, type TensorInit } from '../onnx-import/onnx-graph.ts';

/** Inputs that hold a layer's learned weights (input index → role), by operator. */
const WEIGHT_INPUTS: Record<string, number[]> = { Conv: [1, 2], ConvTranspose: [1, 2], MatMul: [1], Gemm: [1, 2], BatchNormalization: [1, 2, 3, 4] };

/**
 * The float32 initializers that are layer weights. Shape tensors, Resize scales and other
 * constants are left alone: their consumers need them in float32 or int64.
 */
export function weightInitializers(graph: GraphProto): Map<string, TensorInit> {
  const inits = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const out = new Map<string, TensorInit>();
  for (const n of graph.node ?? []) {
    for (const i of WEIGHT_INPUTS[n.opType ?? ''] ?? []) {
      const t = inits.get(n.input?.[i] ?? '');
      if (t && t.dataType === DataType.FLOAT) out.set(t.name!, t);
    }
  }
  return out;
}

/** A float32 initializer's values, whichever field the exporter used. */
export function floatValues(t: TensorInit): Float32Array {
  if (t.rawData?.length) return new Float32Array(t.rawData.slice().buffer);
  return Float32Array.from(t.floatData ?? []);
}

export function dimsOf(t: TensorInit): number[] {
  return (t.dims ?? []).map(toNumber);
}

export function rawOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
