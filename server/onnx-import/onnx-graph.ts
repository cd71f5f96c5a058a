import onnxProto from 'onnx-proto';
import { AppError } from '../errors.ts';
import { refuseExternalData, refuseHugeDeclaredShapes } from './refuse-unsafe-tensors.ts';

export const { onnx } = onnxProto;
export type ModelProto = onnxProto.onnx.ModelProto;
export type GraphProto = onnxProto.onnx.IGraphProto;
export type NodeProto = onnxProto.onnx.INodeProto;
type ValueInfo = onnxProto.onnx.IValueInfoProto;
export type TensorInit = onnxProto.onnx.ITensorProto;
export type AttributeInit = onnxProto.onnx.IAttributeProto;
export const DataType = onnx.TensorProto.DataType;

/** protobufjs gives int64 fields as Long objects (or numbers): one number either way. */
export function toNumber(v: number | { toNumber(): number } | null | undefined): number {
  if (v == null) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

export const DATA_TYPE_NAME: Record<number, string> = Object.fromEntries(Object.entries(DataType).map(([k, v]) => [v, k.toLowerCase()]));

/**
 * Decodes an ONNX file; anything that is not a model with a graph is refused, and so is a
 * model whose tensors live in external files or whose declared shapes are enormous
 * (refuse-unsafe-tensors.ts). Every path that hands a model to ONNX Runtime decodes it here
 * first and passes on the re-encoded bytes, so fields this decoder does not know never arrive.
 */
export function decodeOnnx(bytes: Uint8Array, label = 'file'): ModelProto {
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new AppError('INVALID_INPUT', `${label} is not an ONNX model (${(e as Error).message})`, 'The file is not an ONNX model.');
  }
  if (!model.graph || !model.graph.node?.length || !model.graph.output?.length || !model.opsetImport?.length) {
    throw new AppError('INVALID_INPUT', `${label} is not an ONNX model (no graph, nodes, outputs or opset)`, 'The file is not an ONNX model.');
  }
  refuseExternalData(model);
  refuseHugeDeclaredShapes(model);
  return model;
}

export function encodeOnnx(model: ModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

interface TensorType {
  elemType: number;
  /** Static sizes as numbers, symbolic or unknown ones as null; null for an unknown rank. */
  dims: (number | null)[] | null;
}

export function tensorType(v: ValueInfo): TensorType | null {
  const t = v.type?.tensorType;
  if (!t) return null;
  const dims = t.shape ? (t.shape.dim ?? []).map((d) => (d.dimValue != null && toNumber(d.dimValue) > 0 ? toNumber(d.dimValue) : null)) : null;
  return { elemType: t.elemType ?? 0, dims };
}

export function defaultOpset(model: ModelProto): number {
  const op = model.opsetImport!.find((o) => !o.domain || o.domain === 'ai.onnx');
  return toNumber(op?.version);
}

/** Every tensor name a node reads, including those its subgraphs (If, Loop, Scan) read from outside. */
function nodeReads(node: NodeProto): string[] {
  const names = (node.input ?? []).filter((n) => n !== '');
  for (const a of node.attribute ?? []) for (const g of [a.g, ...(a.graphs ?? [])]) if (g) for (const n of g.node ?? []) names.push(...nodeReads(n));
  return names;
}

/** Keeps only the nodes, inputs and initializers that `outputs` depend on (drops auxiliary heads and unused inputs). */
export function pruneGraph(graph: GraphProto, outputs: string[]): void {
  const producer = new Map<string, NodeProto>();
  for (const n of graph.node ?? []) for (const o of n.output ?? []) producer.set(o, n);
  const needed = new Set<string>();
  const keep = new Set<NodeProto>();
  const stack = [...outputs];
  while (stack.length) {
    const name = stack.pop()!;
    if (needed.has(name)) continue;
    needed.add(name);
    const n = producer.get(name);
    if (n && !keep.has(n)) {
      keep.add(n);
      stack.push(...nodeReads(n));
    }
  }
  graph.node = (graph.node ?? []).filter((n) => keep.has(n));
  graph.initializer = (graph.initializer ?? []).filter((t) => needed.has(t.name ?? ''));
  graph.input = (graph.input ?? []).filter((i) => needed.has(i.name ?? ''));
  graph.output = (graph.output ?? []).filter((o) => outputs.includes(o.name ?? ''));
  graph.valueInfo = (graph.valueInfo ?? []).filter((v) => needed.has(v.name ?? ''));
}

/** Renames a tensor everywhere in a graph (and in subgraphs that read it from outside). */
export function renameTensor(graph: GraphProto, from: string, to: string): void {
  const swap = (n: string) => (n === from ? to : n);
  const visit = (g: GraphProto) => {
    for (const n of g.node ?? []) {
      n.input = (n.input ?? []).map(swap);
      n.output = (n.output ?? []).map(swap);
      for (const a of n.attribute ?? []) for (const sub of [a.g, ...(a.graphs ?? [])]) if (sub) visit(sub);
    }
    for (const list of [g.input, g.output, g.valueInfo, g.initializer]) for (const v of list ?? []) if (v.name === from) v.name = to;
  };
  visit(graph);
}

/** Every tensor name the graph mentions (to pick names that cannot collide). */
export function tensorNames(graph: GraphProto): Set<string> {
  const names = new Set<string>();
  for (const n of graph.node ?? []) for (const x of [...(n.input ?? []), ...(n.output ?? [])]) names.add(x);
  for (const list of [graph.input, graph.output, graph.valueInfo, graph.initializer]) for (const v of list ?? []) names.add(v.name ?? '');
  return names;
}

export function elementCount(dims: (number | { toNumber(): number })[] | null | undefined): number {
  return (dims ?? []).reduce<number>((s, d) => s * toNumber(d), 1);
}
