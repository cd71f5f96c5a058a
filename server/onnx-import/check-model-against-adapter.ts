import { AppError } from '../errors.ts';
import type { Adapter } from './adapter.ts';
import { DATA_TYPE_NAME, DataType, defaultOpset, tensorType, type ModelProto } from './onnx-graph.ts';

/** The oldest default-domain opset whose Resize/ArgMax/Gather the appended post-processing relies on. */
const MIN_OPSET = 11;
const FLOAT_OUTPUTS = new Set<number>([DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE]);
const LABEL_OUTPUTS = new Set<number>([DataType.INT64, DataType.INT32, DataType.UINT8, DataType.INT8, DataType.UINT16, DataType.INT16]);

export interface ModelFacts {
  opset: number;
  inputDims: (number | null)[];
  outputType: number;
  outputRank: number;
  /** Classes the output declares (null when the dimension is symbolic; the dry run checks it). */
  modelClasses: number | null;
}

function refuse(message: string): never {
  throw new AppError('INVALID_INPUT', message, message);
}

/**
 * Static checks of a decoded model against its adapter: names, dtypes, ranks, the channel
 * dimension, a fixed size against static dims, and the class count. Each refusal names what
 * the file declares so the adapter can be corrected.
 */
export function checkModelAgainstAdapter(model: ModelProto, adapter: Adapter): ModelFacts {
  const graph = model.graph!;
  const opset = defaultOpset(model);
  if (opset < MIN_OPSET) refuse(`the model uses ONNX opset ${opset}; PixelDrive needs opset ${MIN_OPSET} or newer (re-export with a newer opset)`);
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs = (graph.input ?? []).filter((i) => !initializers.has(i.name));
  const input = inputs.find((i) => i.name === adapter.input.name);
  if (!input) refuse(`the model has no input "${adapter.input.name}" (its inputs: ${inputs.map((i) => `"${i.name}"`).join(', ')})`);
  const inType = tensorType(input);
  if (!inType || inType.elemType !== DataType.FLOAT)
    refuse(`input "${input.name}" is ${DATA_TYPE_NAME[inType?.elemType ?? 0] ?? 'untyped'}, PixelDrive feeds float32`);
  if (inType.dims && inType.dims.length !== 4)
    refuse(`input "${input.name}" has rank ${inType.dims.length}; an image input has rank 4 (${adapter.input.layout})`);
  const dims = inType.dims ?? [null, null, null, null];
  const [hAxis, wAxis, cAxis] = adapter.input.layout === 'NCHW' ? [2, 3, 1] : [1, 2, 3];
  if (dims[cAxis] !== null && dims[cAxis] !== 3) {
    refuse(
      `input "${input.name}" has ${dims[cAxis]} channels at axis ${cAxis} (shape [${dims.map((d) => d ?? '?')}]); with layout ${adapter.input.layout} the colour channels must be 3 there`,
    );
  }
  const size = adapter.input.size;
  if (size !== 'any') {
    if ((dims[hAxis] !== null && dims[hAxis] !== size.height) || (dims[wAxis] !== null && dims[wAxis] !== size.width)) {
      refuse(`input "${input.name}" is fixed at ${dims[wAxis]}×${dims[hAxis]} (width×height) but the adapter says ${size.width}×${size.height}`);
    }
  } else if (dims[hAxis] !== null || dims[wAxis] !== null) {
    refuse(`the adapter says size "any" but input "${input.name}" is fixed at ${dims[wAxis] ?? '?'}×${dims[hAxis] ?? '?'} (width×height)`);
  }

  const outputs = graph.output ?? [];
  const output = outputs.find((o) => o.name === adapter.output.name);
  if (!output) refuse(`the model has no output "${adapter.output.name}" (its outputs: ${outputs.map((o) => `"${o.name}"`).join(', ')})`);
  const outType = tensorType(output);
  const elem = outType?.elemType ?? 0;
  const kind = adapter.output.kind;
  if (kind === 'labels' ? !LABEL_OUTPUTS.has(elem) : !FLOAT_OUTPUTS.has(elem)) {
    refuse(`output "${output.name}" is ${DATA_TYPE_NAME[elem] ?? 'untyped'}; ${kind} must be ${kind === 'labels' ? 'an integer type' : 'float'}`);
  }
  const rank = outType?.dims?.length ?? (kind === 'labels' ? 3 : 4);
  if (kind === 'labels' ? rank !== 3 && rank !== 4 : rank !== 4) {
    refuse(`output "${output.name}" has rank ${rank}; ${kind} must be ${kind === 'labels' ? '[N, H, W] or [N, 1, H, W]' : '[N, classes, H, W]'}`);
  }
  let modelClasses: number | null = null;
  if (kind !== 'labels') {
    modelClasses = outType?.dims?.[adapter.output.layout === 'NCHW' ? 1 : 3] ?? null;
    if (modelClasses !== null && modelClasses !== adapter.classes.length) {
      refuse(`output "${output.name}" has ${modelClasses} classes but the adapter maps ${adapter.classes.length}; list one entry per model class`);
    }
  } else if (rank === 4 && outType?.dims?.[1] !== null && outType?.dims?.[1] !== 1) {
    refuse(`output "${output.name}" is a label map with ${outType?.dims?.[1]} channels; expected [N, 1, H, W]`);
  }
  return { opset, inputDims: dims, outputType: elem, outputRank: rank, modelClasses };
}
