import * as ort from 'onnxruntime-node';
import { AppError } from '../errors.ts';
import type { Adapter } from './adapter.ts';
import { adapterInputDims, adapterInputSize, adapterLookup, fillAdapterInput } from './adapter-input.ts';
import { DataType, decodeOnnx, elementCount, encodeOnnx, onnx, toNumber, type ModelProto } from './onnx-graph.ts';
import { RUNTIME_INPUT, RUNTIME_LABELS, RUNTIME_OUT_SIZE } from './wrap-onnx-model.ts';

const COUNTED = new Set(['Conv', 'ConvTranspose', 'MatMul', 'Gemm']);
const INTEGER_TYPES = new Set<number>([DataType.INT64, DataType.INT32, DataType.INT16, DataType.UINT64, DataType.UINT32, DataType.BOOL]);

/** The frame size GFLOP is quoted at for models of any input size: the datasets' 800×600. */
const REFERENCE_FRAME = { width: 800, height: 600 };

export interface DryRunResult {
  /** Fed size the run used (the adapter's, or the reference frame's for "any"). */
  inputSize: { width: number; height: number };
  gflops: number;
  params: number;
}

function refuse(message: string): never {
  throw new AppError('INVALID_INPUT', message, message);
}

/**
 * Loads the runtime graph in ONNX Runtime and runs one grey frame through it, so a graph
 * that cannot load or run (unknown operator, wrong types, a shape that does not compute) is
 * refused at import rather than at its first evaluation. The same run exposes the shapes of
 * every Conv/ConvTranspose/MatMul/Gemm operand, from which GFLOP per image is counted
 * (2 × multiply-accumulates, as models/flops.ts counts PixelDrive's own architectures).
 */
export async function dryRunOnnxModel(runtime: ModelProto, adapter: Adapter, scores: string): Promise<DryRunResult> {
  const probe = decodeOnnx(encodeOnnx(runtime));
  const graph = probe.graph!;
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const inputs = new Set((graph.input ?? []).map((i) => i.name ?? ''));
  const counted = (graph.node ?? []).filter((n) => COUNTED.has(n.opType ?? ''));
  const watched = new Set<string>([scores]);
  for (const n of counted)
    for (const name of [n.input?.[0], n.input?.[1], n.output?.[0]]) if (name && !initializers.has(name) && !inputs.has(name)) watched.add(name);
  watched.delete(RUNTIME_LABELS);
  graph.output = [...(graph.output ?? []), ...[...watched].map((name) => onnx.ValueInfoProto.create({ name }))];

  const inputSize = adapterInputSize(adapter, REFERENCE_FRAME.width, REFERENCE_FRAME.height);
  const dims = adapterInputDims(adapter, 1, inputSize);
  const image = new Float32Array(elementCount(dims));
  fillAdapterInput(adapter, adapterLookup(adapter), new Uint8Array(inputSize.width * inputSize.height * 3).fill(128), image);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(encodeOnnx(probe), { graphOptimizationLevel: 'basic', intraOpNumThreads: 1 });
  } catch (e) {
    refuseFromRuntime(e, runtime, 'ONNX Runtime cannot load the graph');
  }
  const shapes = new Map<string, readonly number[]>();
  try {
    const feeds = {
      [RUNTIME_INPUT]: new ort.Tensor('float32', image, dims),
      [RUNTIME_OUT_SIZE]: new ort.Tensor('int64', BigInt64Array.from([BigInt(inputSize.height), BigInt(inputSize.width)]), [2]),
    };
    const out = await session.run(feeds);
    for (const [name, t] of Object.entries(out)) {
      shapes.set(name, t.dims);
      t.dispose?.();
    }
  } catch (e) {
    refuseFromRuntime(e, runtime, `the graph fails to run on a ${inputSize.width}×${inputSize.height} input`);
  } finally {
    await session.release();
  }

  const labels = shapes.get(RUNTIME_LABELS)!;
  if (labels.join() !== [1, inputSize.height, inputSize.width].join())
    refuse(`the graph produced labels of shape [${labels}], expected [1, ${inputSize.height}, ${inputSize.width}]`);
  const scoreDims = shapes.get(scores)!;
  if (adapter.output.kind !== 'labels') {
    const classes = scoreDims[adapter.output.layout === 'NCHW' ? 1 : 3];
    if (classes !== adapter.classes.length)
      refuse(`output "${adapter.output.name}" has ${classes} classes (shape [${scoreDims}]) but the adapter maps ${adapter.classes.length}`);
  }

  const dimsOf = (name: string): readonly number[] =>
    shapes.get(name) ?? (initializers.has(name) ? (initializers.get(name)!.dims ?? []).map(toNumber) : name === RUNTIME_INPUT ? dims : []);
  let flops = 0;
  for (const n of counted) {
    const [a, b] = [dimsOf(n.input![0]), dimsOf(n.input![1])];
    const out = dimsOf(n.output![0]);
    const product = (d: readonly number[]) => d.reduce((s, v) => s * v, 1);
    if (n.opType === 'Conv') flops += 2 * product(out) * product(b.slice(1));
    else if (n.opType === 'ConvTranspose') flops += 2 * product(a) * product(b.slice(1));
    else if (n.opType === 'MatMul') flops += 2 * product(out) * (a.at(-1) ?? 0);
    else {
      const transA = n.attribute?.find((x) => x.name === 'transA')?.i;
      flops += 2 * product(out) * (toNumber(transA) ? a[0] : a[1]);
    }
  }
  return { inputSize, gflops: flops / 1e9, params: countParams(runtime) };
}

/**
 * Parameters = elements of the model's weight initializers: integer tensors (shapes, indices)
 * and the scales and zero points of quantized weights are not parameters; PixelDrive's own
 * post-processing constants are not the model's.
 */
function countParams(model: ModelProto): number {
  const graph = model.graph!;
  const quantMeta = new Set<string>();
  const quantized = new Set<string>();
  for (const n of graph.node ?? []) {
    if (n.opType !== 'DequantizeLinear' && n.opType !== 'QuantizeLinear') continue;
    for (const x of (n.input ?? []).slice(1)) quantMeta.add(x);
    if (n.opType === 'DequantizeLinear') quantized.add(n.input![0]); // int8 weights, int32 biases
  }
  return (graph.initializer ?? [])
    .filter((t) => !t.name?.startsWith('pixeldrive/') && (quantized.has(t.name ?? '') || !INTEGER_TYPES.has(t.dataType ?? 0)) && !quantMeta.has(t.name ?? ''))
    .reduce((s, t) => s + elementCount(t.dims), 0);
}

/**
 * ONNX Runtime's text can quote tensor values (an out-of-range index, a shape), so it goes to
 * the log only. The refusal is ours: what failed, plus the operator types of the model's own
 * graph that the runtime named, since those come from the file the user sent.
 */
function refuseFromRuntime(e: unknown, model: ModelProto, what: string): never {
  const text = String((e as Error)?.message ?? e);
  console.error(`[onnx import] ${what}: ${text}`);
  const opTypes = new Set((model.graph?.node ?? []).map((n) => n.opType ?? ''));
  // Quoted parts are node and tensor names, which often contain an operator's name too.
  const unquoted = text.replace(/"[^"]*"|'[^']*'/g, '');
  const named = [...new Set(unquoted.match(/[A-Za-z][A-Za-z0-9_]*/g) ?? [])].filter((w) => opTypes.has(w)).slice(0, 5);
  refuse(named.length ? `${what} (operator ${named.join(', ')})` : `${what} (the server log has ONNX Runtime's message)`);
}
