import { DataType, onnx, type ModelProto } from '../onnx-import/onnx-graph.ts';
import { toFloat16Bits } from './float16.ts';
import { dimsOf, floatValues, rawOf, weightInitializers } from './weight-initializers.ts';

/**
 * fp16 weights, fp32 compute: every layer weight is stored as float16 and a Cast node turns
 * it back into float32 where the layer reads it. The file halves; ONNX Runtime's CPU provider
 * has few fp16 kernels, so the arithmetic (and the activations) stay float32, and the only
 * change to the numbers is the rounding of each weight to 11 significant bits.
 */
export function convertWeightsToFp16(model: ModelProto): ModelProto {
  const graph = model.graph!;
  const casts = [];
  for (const t of weightInitializers(graph).values()) {
    const values = floatValues(t);
    const half = Uint16Array.from(values, toFloat16Bits);
    const name = t.name!;
    t.name = `${name}__fp16`;
    t.dataType = DataType.FLOAT16;
    t.dims = dimsOf(t);
    t.rawData = rawOf(half);
    t.floatData = [];
    casts.push(
      onnx.NodeProto.create({
        opType: 'Cast',
        name: `${name}__to_fp32`,
        input: [t.name],
        output: [name],
        attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: DataType.FLOAT }],
      }),
    );
  }
  graph.node = [...casts, ...(graph.node ?? [])];
  return model;
}
