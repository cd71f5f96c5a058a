import type { Adapter } from './adapter.ts';
import type { ModelFacts } from './check-model-against-adapter.ts';
import { DataType, onnx, pruneGraph, renameTensor, tensorNames, type AttributeInit, type ModelProto, type NodeProto, type TensorInit } from './onnx-graph.ts';

/** The runtime graph's interface, the same as PixelDrive's own exports for the part the runner uses. */
export const RUNTIME_INPUT = 'image';
export const RUNTIME_OUT_SIZE = 'out_size';
export const RUNTIME_LABELS = 'labels';

/**
 * Turns an imported model into PixelDrive's runtime graph, in place:
 *   inputs   image    the model's own input (renamed), fed as the adapter says
 *            out_size int64 [2] (height, width) of the label map wanted
 *   output   labels   uint8 [N, out_h, out_w] CARLA class ids
 * The model is pruned to what its declared output needs (auxiliary heads and unused inputs
 * go). Scores are gathered to the mapped classes (unmapped ones leave the argmax), resized
 * bilinearly (half-pixel) to out_size, argmaxed and looked up in the class map; label-map
 * outputs are looked up (unmapped → 0, Unlabeled) and resized by nearest neighbour (half-pixel
 * centres, as server/dataset/resize.ts). Returns the name the model's own output now has. With
 * PixelDrive's adapter and identity mapping this is exactly the tail of
 * server/inference/build-onnx-graph.ts, so an exported checkpoint re-imported predicts the same.
 */
export function wrapOnnxModel(model: ModelProto, adapter: Adapter, facts: ModelFacts): { scores: string } {
  const graph = model.graph!;
  pruneGraph(graph, [adapter.output.name]);
  // Names the runtime interface needs are moved out of the way; the model's output may be one of them.
  const taken = tensorNames(graph);
  let outName = adapter.output.name;
  for (const reserved of [RUNTIME_INPUT, RUNTIME_OUT_SIZE, RUNTIME_LABELS]) {
    if (reserved === adapter.input.name || !taken.has(reserved)) continue;
    let fresh = `${reserved}__model`;
    while (taken.has(fresh)) fresh += '_';
    renameTensor(graph, reserved, fresh);
    if (outName === reserved) outName = fresh;
  }
  renameTensor(graph, adapter.input.name, RUNTIME_INPUT);
  if (outName === adapter.input.name) outName = RUNTIME_INPUT;

  let n = 0;
  const nodes: NodeProto[] = [];
  const initializers: TensorInit[] = [];
  const name = (what: string) => `pixeldrive/${what}_${n++}`;
  const add = (opType: string, inputs: string[], attrs: AttributeInit[] = [], output = name(opType.toLowerCase())) => {
    nodes.push({ opType, input: inputs, output: [output], name: name(`n_${opType}`), attribute: attrs });
    return output;
  };
  const int = (attr: string, i: number): AttributeInit => ({ name: attr, type: onnx.AttributeProto.AttributeType.INT, i });
  const ints = (attr: string, v: number[]): AttributeInit => ({ name: attr, type: onnx.AttributeProto.AttributeType.INTS, ints: v });
  const str = (attr: string, s: string): AttributeInit => ({ name: attr, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(s) });
  const constant = (dataType: number, dims: number[], data: BigInt64Array | Uint8Array) => {
    const tensorName = name('const');
    initializers.push({ name: tensorName, dims, dataType, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    return tensorName;
  };
  const int64s = (v: number[]) => constant(DataType.INT64, [v.length], BigInt64Array.from(v.map(BigInt)));
  /** [N, C] of x followed by out_size: the `sizes` input of a Resize to the label map's size. */
  const sizesFor = (x: string) => add('Concat', [add('Slice', [add('Shape', [x]), int64s([0]), int64s([2])]), RUNTIME_OUT_SIZE], [int('axis', 0)]);
  const axesArg = (axes: number[]) => (facts.opset >= 13 ? { inputs: [int64s(axes)], attrs: [] } : { inputs: [], attrs: [ints('axes', axes)] });

  let labels: string;
  if (adapter.output.kind === 'labels') {
    let x = outName;
    if (facts.outputType !== DataType.INT64) x = add('Cast', [x], [int('to', DataType.INT64)]);
    if (facts.outputRank === 3) {
      const a = axesArg([1]);
      x = add('Unsqueeze', [x, ...a.inputs], a.attrs);
    }
    const lut = Uint8Array.from(adapter.classes.map((c) => c.carla ?? 0));
    const mapped = add('Gather', [constant(DataType.UINT8, [lut.length], lut), x], [int('axis', 0)]);
    const resized = add(
      'Resize',
      [mapped, '', '', sizesFor(mapped)],
      [str('mode', 'nearest'), str('coordinate_transformation_mode', 'tf_half_pixel_for_nn'), str('nearest_mode', 'floor')],
    );
    const a = axesArg([1]);
    labels = add('Squeeze', [resized, ...a.inputs], a.attrs, RUNTIME_LABELS);
  } else {
    let x = outName;
    if (facts.outputType !== DataType.FLOAT) x = add('Cast', [x], [int('to', DataType.FLOAT)]);
    if (adapter.output.layout === 'NHWC') x = add('Transpose', [x], [ints('perm', [0, 3, 1, 2])]);
    const kept = adapter.classes.flatMap((c, i) => (c.carla === null ? [] : [i]));
    if (kept.length < adapter.classes.length) x = add('Gather', [x, int64s(kept)], [int('axis', 1)]);
    const resized = add('Resize', [x, '', '', sizesFor(x)], [str('mode', 'linear'), str('coordinate_transformation_mode', 'half_pixel')]);
    const argmax = add('ArgMax', [resized], [int('axis', 1), int('keepdims', 0)]);
    const lut = Uint8Array.from(kept.map((i) => adapter.classes[i].carla!));
    const identity = lut.every((v, i) => v === i);
    labels = identity
      ? add('Cast', [argmax], [int('to', DataType.UINT8)], RUNTIME_LABELS)
      : add('Gather', [constant(DataType.UINT8, [lut.length], lut), argmax], [int('axis', 0)], RUNTIME_LABELS);
  }

  graph.node = [...(graph.node ?? []), ...nodes];
  graph.initializer = [...(graph.initializer ?? []), ...initializers];
  const tensor = (elemType: number, dims: (number | string)[]) => ({
    tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } },
  });
  graph.input = [...(graph.input ?? []), { name: RUNTIME_OUT_SIZE, type: tensor(DataType.INT64, [2]) }];
  graph.output = [{ name: labels, type: tensor(DataType.UINT8, ['N', 'out_h', 'out_w']) }];
  return { scores: outName };
}
