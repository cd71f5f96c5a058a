import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeOnnx, encodeOnnx, onnx, type ModelProto, type TensorInit } from '../server/onnx-import/onnx-graph.ts';
import { OFFICIAL_DIR } from './fixtures.ts';

export const TORCH_FIXTURE = path.resolve('test/fixtures/torch-segmenter.onnx');
export const TORCH_FIXTURE_ADAPTER = path.resolve('test/fixtures/torch-segmenter.adapter.json');

interface BadImport {
  what: string;
  file: () => Promise<Uint8Array>;
  /** Adapter JSON text. */
  adapter: () => Promise<string>;
  maxBytes?: number;
  /** What the refusal must say. */
  message: RegExp;
}

const fixture = async () => new Uint8Array(await readFile(TORCH_FIXTURE));
// Loosely typed on purpose: the edits write values the adapter schema must refuse.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AdapterJson = Record<string, any>;
const adapter = async () => JSON.parse(await readFile(TORCH_FIXTURE_ADAPTER, 'utf8')) as AdapterJson;
const editAdapter = (edit: (a: AdapterJson) => void) => async () => {
  const a = await adapter();
  edit(a);
  return JSON.stringify(a);
};
const editModel = (edit: (m: ModelProto) => void) => async () => {
  const m = decodeOnnx(await fixture());
  edit(m);
  return encodeOnnx(m);
};
const goodAdapter = editAdapter(() => {});

const EXTERNAL = onnx.TensorProto.DataLocation.EXTERNAL;
/** Points a tensor's bytes at a file, as an ONNX external-data reference does. */
export function pointAtFile(t: TensorInit, location: string, length: number): void {
  t.rawData = new Uint8Array();
  t.floatData = [];
  t.dataLocation = EXTERNAL;
  t.externalData = [
    { key: 'location', value: location },
    { key: 'offset', value: '0' },
    { key: 'length', value: String(length) },
  ];
}

/** A Constant node inside an If's branch, holding the given tensor (external data hidden one graph down). */
function constantInSubgraph(m: ModelProto, t: TensorInit): void {
  const branch = (name: string) =>
    onnx.GraphProto.create({
      name,
      node: [{ opType: 'Constant', output: [`${name}_out`], attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t }] }],
      output: [{ name: `${name}_out` }],
    });
  m.graph!.initializer!.push({ name: 'pixeldrive_test_cond', dataType: onnx.TensorProto.DataType.BOOL, dims: [], int32Data: [1] });
  m.graph!.node!.push({
    opType: 'If',
    input: ['pixeldrive_test_cond'],
    output: ['pixeldrive_test_if'],
    attribute: [
      { name: 'then_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: branch('then') },
      { name: 'else_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: branch('else') },
    ],
  });
}

/**
 * One table of imports that must be refused, each with the message a user sees: it feeds
 * the use-case test and the upload form's test. Every entry starts from the valid torch
 * fixture and breaks one thing.
 */
export const BAD_IMPORTS: BadImport[] = [
  {
    what: 'a PNG instead of a model',
    file: async () => new Uint8Array(await readFile(path.join(OFFICIAL_DIR, 'CameraSeg/train_0.png'))),
    adapter: goodAdapter,
    message: /not an ONNX model/,
  },
  { what: 'an empty file', file: async () => new Uint8Array(), adapter: goodAdapter, message: /model file is empty/ },
  { what: 'a file over the size limit', file: fixture, adapter: goodAdapter, maxBytes: 10_000, message: /larger than 0\.010 MB/ },
  { what: 'an adapter that is not JSON', file: fixture, adapter: async () => '{"input": ', message: /adapter is not (valid )?JSON/ },
  { what: 'an unknown layout', file: fixture, adapter: editAdapter((a) => (a.input.layout = 'NCWH')), message: /invalid adapter: input\.layout/ },
  { what: 'a wrong input name', file: fixture, adapter: editAdapter((a) => (a.input.name = 'image')), message: /no input "image" \(its inputs: "pixels"\)/ },
  { what: 'a wrong output name', file: fixture, adapter: editAdapter((a) => (a.output.name = 'out')), message: /no output "out" \(its outputs: "scores"\)/ },
  { what: 'NHWC declared for an NCHW input', file: fixture, adapter: editAdapter((a) => (a.input.layout = 'NHWC')), message: /160 channels at axis 3/ },
  {
    what: 'a size the graph is not fixed at',
    file: fixture,
    adapter: editAdapter((a) => (a.input.size = { width: 256, height: 192 })),
    message: /fixed at 160×120 .* adapter says 256×192/,
  },
  {
    what: 'size "any" for a fixed input',
    file: fixture,
    adapter: editAdapter((a) => (a.input.size = 'any')),
    message: /size "any" but input "pixels" is fixed/,
  },
  {
    what: 'a class map of the wrong length',
    file: fixture,
    adapter: editAdapter((a) => (a.classes = a.classes.slice(0, 13))),
    message: /19 classes but the adapter maps 13/,
  },
  { what: 'a CARLA id out of range', file: fixture, adapter: editAdapter((a) => (a.classes[0].carla = 13)), message: /invalid adapter: classes\.0\.carla/ },
  {
    what: 'a map with every class unmapped',
    file: fixture,
    adapter: editAdapter((a) => a.classes.forEach((c: { carla: null }) => (c.carla = null))),
    message: /maps no model class/,
  },
  {
    what: 'label-map kind for float scores',
    file: fixture,
    adapter: editAdapter((a) => (a.output.kind = 'labels')),
    message: /output "scores" is float; labels must be an integer type/,
  },
  {
    what: 'an integer input',
    file: editModel((m) => (m.graph!.input![0].type!.tensorType!.elemType = onnx.TensorProto.DataType.INT64)),
    adapter: goodAdapter,
    message: /input "pixels" is int64, PixelDrive feeds float32/,
  },
  {
    what: 'an opset older than 11',
    file: editModel((m) => (m.opsetImport![0].version = 9)),
    adapter: goodAdapter,
    message: /opset 9; PixelDrive needs opset 11/,
  },
  {
    what: 'a graph ONNX Runtime cannot load',
    file: editModel((m) => (m.graph!.node!.find((n) => n.opType === 'Relu')!.opType = 'NoSuchOp')),
    adapter: goodAdapter,
    message: /^ONNX Runtime cannot load the graph \(operator NoSuchOp\)$/,
  },
  {
    what: 'an initializer with external data',
    file: editModel((m) => pointAtFile(m.graph!.initializer![0], 'package.json', 64)),
    adapter: goodAdapter,
    message: /tensor ".+" \(initializer\) keeps its data in an external file/,
  },
  {
    what: 'a Constant inside an If branch with external data',
    file: editModel((m) => {
      const t: TensorInit = { name: 'hidden', dataType: onnx.TensorProto.DataType.FLOAT, dims: [4] };
      pointAtFile(t, 'package.json', 16);
      constantInSubgraph(m, t);
    }),
    adapter: goodAdapter,
    message: /tensor "hidden" \(node "If" attribute "then_branch" › node "Constant" attribute "value"\) keeps its data in an external file/,
  },
  {
    what: 'a sparse initializer with external data',
    file: editModel((m) => {
      const values: TensorInit = { name: 'sparse_values', dataType: onnx.TensorProto.DataType.FLOAT, dims: [2] };
      pointAtFile(values, 'package.json', 8);
      m.graph!.sparseInitializer = [
        { values, indices: { name: 'sparse_indices', dataType: onnx.TensorProto.DataType.INT64, dims: [2], int64Data: [0, 1] }, dims: [4] },
      ];
    }),
    adapter: goodAdapter,
    message: /tensor "sparse_values" \(sparse initializer \(values\)\) keeps its data in an external file/,
  },
  {
    what: 'a declared shape of 2^33 elements',
    file: editModel((m) => {
      m.graph!.initializer!.push({ name: 'pixeldrive_test_shape', dataType: onnx.TensorProto.DataType.INT64, dims: [2], int64Data: [65536, 131072] });
      m.graph!.node!.push({ opType: 'ConstantOfShape', input: ['pixeldrive_test_shape'], output: ['pixeldrive_test_huge'], name: 'huge' });
    }),
    adapter: goodAdapter,
    message: /ConstantOfShape node "huge" declares 8\.59e\+9 elements \(shape \[65536, 131072\]\), over the limit/,
  },
];
