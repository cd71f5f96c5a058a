import onnxProto from 'onnx-proto';
import type { OnnxInitializer, OnnxNode } from '../../models/onnx-ops.ts';

const { onnx } = onnxProto;
const ONNX_OPSET = 13;

type OnnxElementType = 'float' | 'int32' | 'int64' | 'uint8';

/** A graph input or output; a string dimension is symbolic (e.g. the batch). */
interface OnnxIo {
  name: string;
  type: OnnxElementType;
  dims: readonly (number | string)[];
}

const ELEMENT_TYPE: Record<OnnxElementType, number> = {
  float: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  uint8: onnx.TensorProto.DataType.UINT8,
};

/** Serialises nodes, initializers and the graph's inputs/outputs as an ONNX model (opset 13). */
export function encodeOnnxModel(graph: {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: Iterable<OnnxInitializer>;
  inputs: readonly OnnxIo[];
  outputs: readonly OnnxIo[];
  metadata?: Record<string, string>;
}): Uint8Array {
  const valueInfo = (io: OnnxIo) => ({
    name: io.name,
    type: { tensorType: { elemType: ELEMENT_TYPE[io.type], shape: { dim: io.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'pixeldrive',
    producerVersion: '1',
    // ONNX Runtime's contrib operator sets are at version 1.
    opsetImport: [
      { domain: '', version: ONNX_OPSET },
      ...[...new Set(graph.nodes.flatMap((n) => (n.domain ? [n.domain] : [])))].map((domain) => ({ domain, version: 1 })),
    ],
    metadataProps: Object.entries(graph.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: graph.name,
      node: graph.nodes.map((n) => ({
        name: n.name,
        opType: n.opType,
        ...(n.domain ? { domain: n.domain } : {}),
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs).map(([name, v]) => attribute(name, v)),
      })),
      initializer: [...graph.initializers].map((t) => ({
        name: t.name,
        dims: t.dims,
        dataType: ELEMENT_TYPE[t.dataType],
        rawData: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
      })),
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Attributes that ONNX types as float even when the value is a whole number. */
const FLOAT_ATTRIBUTES = new Set(['epsilon', 'alpha', 'beta']);

/** Element type of an attribute's value; the few float-valued ones are named, integers otherwise. */
function attribute(name: string, v: number | number[] | string) {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) {
    return v.every(Number.isInteger) ? { name, type: T.INTS, ints: v } : { name, type: T.FLOATS, floats: v };
  }
  return Number.isInteger(v) && !FLOAT_ATTRIBUTES.has(name) ? { name, type: T.INT, i: v } : { name, type: T.FLOAT, f: v };
}
