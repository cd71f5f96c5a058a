import onnxProto from 'onnx-proto';
import { AppError } from '../errors.ts';

// onnx-graph.ts decodes with these checks, so this file reads the protobuf types directly.
const { onnx } = onnxProto;
type ModelProto = onnxProto.onnx.ModelProto;
type GraphProto = onnxProto.onnx.IGraphProto;
type NodeProto = onnxProto.onnx.INodeProto;
type TensorInit = onnxProto.onnx.ITensorProto;
type SparseTensor = onnxProto.onnx.ISparseTensorProto;
const toNumber = (v: number | { toNumber(): number } | null | undefined): number => (v == null ? 0 : typeof v === 'number' ? v : v.toNumber());

/**
 * The most elements any declared shape may have: 2^28 (1 GiB as float32). A segmentation
 * model at 800×600 with a few hundred channels stays far below it; a graph that declares more
 * is refused before it reaches ONNX Runtime.
 */
const MAX_DECLARED_ELEMENTS = 2 ** 28;

/** Operators whose shape input (by index) is the shape of the tensor they make. */
const SHAPE_INPUTS: Record<string, number> = { Expand: 1, ConstantOfShape: 0, Reshape: 1 };

function refuse(message: string): never {
  throw new AppError('INVALID_INPUT', message, `The model cannot be imported: ${message}.`);
}

/** Every tensor stored in the model, wherever ONNX lets one live, with where it was found. */
function* storedTensors(model: ModelProto): Generator<{ tensor: TensorInit; where: string }> {
  const fromSparse = function* (s: SparseTensor, where: string) {
    if (s.values) yield { tensor: s.values, where: `${where} (values)` };
    if (s.indices) yield { tensor: s.indices, where: `${where} (indices)` };
  };
  const fromNodes = function* (nodes: NodeProto[] | null | undefined, scope: string): Generator<{ tensor: TensorInit; where: string }> {
    for (const n of nodes ?? []) {
      const node = `${scope}node "${n.name || n.opType}"`;
      for (const a of n.attribute ?? []) {
        const where = `${node} attribute "${a.name}"`;
        if (a.t) yield { tensor: a.t, where };
        for (const t of a.tensors ?? []) yield { tensor: t, where };
        if (a.sparseTensor) yield* fromSparse(a.sparseTensor, where);
        for (const s of a.sparseTensors ?? []) yield* fromSparse(s, where);
        for (const g of [a.g, ...(a.graphs ?? [])]) if (g) yield* fromGraph(g, `${where} › `);
      }
    }
  };
  const fromGraph = function* (g: GraphProto, scope: string): Generator<{ tensor: TensorInit; where: string }> {
    for (const t of g.initializer ?? []) yield { tensor: t, where: `${scope}initializer` };
    for (const s of g.sparseInitializer ?? []) yield* fromSparse(s, `${scope}sparse initializer`);
    yield* fromNodes(g.node, scope);
  };
  yield* fromGraph(model.graph!, '');
  for (const f of model.functions ?? []) yield* fromNodes(f.node, `function "${f.name}" › `);
  for (const [i, t] of (model.trainingInfo ?? []).entries()) {
    for (const g of [t.initialization, t.algorithm]) if (g) yield* fromGraph(g, `training info ${i} › `);
  }
}

/**
 * Refuses a model that keeps any tensor's bytes outside the file. ONNX Runtime resolves an
 * external-data location against the folder of the model (or the process's working directory
 * for a model given as bytes), so such a tensor reads whatever file it names: a model import
 * must never read anything but the bytes it was given.
 */
export function refuseExternalData(model: ModelProto): void {
  for (const { tensor, where } of storedTensors(model)) {
    if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (tensor.externalData?.length ?? 0) > 0) {
      refuse(`tensor "${tensor.name ?? ''}" (${where}) keeps its data in an external file; only self-contained models are accepted`);
    }
  }
}

function product(dims: number[]): number {
  return dims.reduce((s, d) => s * Math.max(d, 1), 1);
}

function int64Values(t: TensorInit): number[] | null {
  if (t.dataType !== onnx.TensorProto.DataType.INT64) return null;
  if (t.int64Data?.length) return t.int64Data.map(toNumber);
  const raw = t.rawData;
  if (!raw || raw.byteLength % 8 !== 0) return null;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Array.from({ length: raw.byteLength / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
}

/**
 * Refuses shapes the model itself declares to be enormous: graph inputs, outputs and value
 * infos, stored tensors, and constant shapes fed to Expand, ConstantOfShape and Reshape.
 * Shapes computed at run time are bounded by the dry run's sandbox instead.
 */
export function refuseHugeDeclaredShapes(model: ModelProto, limit = MAX_DECLARED_ELEMENTS): void {
  const check = (what: string, dims: number[]) => {
    const n = product(dims);
    if (n > limit) refuse(`${what} declares ${n.toExponential(2)} elements (shape [${dims.join(', ')}]), over the limit of ${limit.toExponential(2)}`);
  };
  const graph = model.graph!;
  for (const [kind, list] of [
    ['input', graph.input],
    ['output', graph.output],
    ['value', graph.valueInfo],
  ] as const) {
    for (const v of list ?? [])
      check(
        `${kind} "${v.name}"`,
        (v.type?.tensorType?.shape?.dim ?? []).map((d) => toNumber(d.dimValue)),
      );
  }
  const constants = new Map<string, TensorInit>();
  for (const { tensor, where } of storedTensors(model)) {
    check(`tensor "${tensor.name ?? ''}" (${where})`, (tensor.dims ?? []).map(toNumber));
    if (tensor.name) constants.set(tensor.name, tensor);
  }
  const visit = (nodes: NodeProto[] | null | undefined) => {
    for (const n of nodes ?? []) {
      const value = n.opType === 'Constant' ? n.attribute?.find((a) => a.name === 'value')?.t : undefined;
      if (value && n.output?.[0]) constants.set(n.output[0], value);
      for (const a of n.attribute ?? []) for (const g of [a.g, ...(a.graphs ?? [])]) if (g) visit(g.node);
    }
    for (const n of nodes ?? []) {
      const index = SHAPE_INPUTS[n.opType ?? ''];
      const shape = index === undefined ? undefined : constants.get(n.input?.[index] ?? '');
      const values = shape && int64Values(shape);
      if (values) check(`${n.opType} node "${n.name || n.output?.[0]}"`, values);
    }
  };
  visit(graph.node);
}
