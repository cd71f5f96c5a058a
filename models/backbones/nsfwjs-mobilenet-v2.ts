import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ParamStore } from '../tf-ops.ts';
import { MOBILENET_V2_LAST_BLOCK, mobileNetV2LayerName } from './mobilenet-v2.ts';

/**
 * ImageNet-initialised Keras MobileNetV2 (α = 1) weights shipped inside the npm package `nsfwjs`
 * (MIT, pinned in package.json), fine-tuned there on a 5-class image task. The package's
 * classifier (`dense_1..3`) is returned apart; everything else becomes our `mobileNetV2`'s
 * parameters. Read from node_modules: nothing is downloaded.
 */
const NSFWJS_PACKAGE = 'nsfwjs';
const NSFWJS_MODEL_DIR = 'dist/models/mobilenet_v2';

export interface PackageTensor {
  shape: number[];
  values: Float32Array;
}

export interface NsfwjsMobileNetV2 {
  version: string;
  /** The Keras model topology (TF.js layers format), for loading the package's own model in a test. */
  modelTopology: unknown;
  weightsManifest: WeightsGroup[];
  /** The weight shard as the package ships it (uint8 codes). */
  shard: Uint8Array;
  /** Dequantised tensors by Keras weight name (`block_3_depthwise/depthwise_kernel`), in the manifest's order. */
  tensors: Map<string, PackageTensor>;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { min: number; scale: number; dtype: string };
}
interface WeightsGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** The package's folder: its `exports` map blocks deep imports, so go up from its entry point. */
export function nsfwjsDir(): string {
  const require = createRequire(import.meta.url);
  let dir = path.dirname(require.resolve(NSFWJS_PACKAGE));
  while (!existsSync(path.join(dir, 'package.json')) || JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== NSFWJS_PACKAGE) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of the ${NSFWJS_PACKAGE} package`);
    dir = up;
  }
  return dir;
}

/** Reads the model module and its one weight shard, and dequantises every tensor: value = q·scale + min. */
export function readNsfwjsMobileNetV2(): NsfwjsMobileNetV2 {
  const dir = nsfwjsDir();
  const version: string = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  const require = createRequire(import.meta.url);
  // Both files are CommonJS modules of plain data: { modelTopology, weightsManifest } and the shard as base64.
  const model = require(path.join(dir, NSFWJS_MODEL_DIR, 'model.min.js')) as { modelTopology: unknown; weightsManifest: WeightsGroup[] };
  const manifest = model.weightsManifest;
  if (manifest.length !== 1 || manifest[0].paths.join() !== 'group1-shard1of1')
    throw new Error(`${NSFWJS_PACKAGE}@${version}: expected one weight group in one shard, got ${JSON.stringify(manifest.map((g) => g.paths))}`);
  const base64 = require(path.join(dir, NSFWJS_MODEL_DIR, 'group1-shard1of1.min.js')) as string;
  const shard = new Uint8Array(Buffer.from(base64, 'base64'));
  const tensors = new Map<string, PackageTensor>();
  let offset = 0;
  for (const w of manifest[0].weights) {
    const q = w.quantization;
    if (w.dtype !== 'float32' || !q || q.dtype !== 'uint8') throw new Error(`${w.name}: expected uint8-quantised float32, got ${w.dtype}/${q?.dtype}`);
    if (tensors.has(w.name)) throw new Error(`${w.name} appears twice in the manifest`);
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (offset + size > shard.length) throw new Error(`${w.name}: the shard ends before this tensor`);
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = shard[offset + i] * q.scale + q.min;
    tensors.set(w.name, { shape: w.shape, values });
    offset += size;
  }
  if (offset !== shard.length) throw new Error(`the shard has ${shard.length - offset} bytes no tensor of the manifest reads`);
  return { version, modelTopology: model.modelTopology, weightsManifest: manifest, shard, tensors };
}

/** The package's input size (its `IMAGE_SIZE`). */
const NSFWJS_INPUT_SIZE = 224;

/**
 * An RGB frame [H, W, 3] (0–255) as the package's `infer` prepares it: scaled to [0, 1], then
 * resized bilinearly with aligned corners to 224×224 (skipped when already that size).
 */
export function nsfwjsInput(rgb: tf.Tensor3D): tf.Tensor4D {
  return tf.tidy(() => {
    const unit = tf.div(tf.cast(rgb, 'float32'), 255) as tf.Tensor3D;
    const [h, w] = rgb.shape;
    const sized = h === NSFWJS_INPUT_SIZE && w === NSFWJS_INPUT_SIZE ? unit : tf.image.resizeBilinear(unit, [NSFWJS_INPUT_SIZE, NSFWJS_INPUT_SIZE], true);
    return tf.expandDims(sized, 0) as tf.Tensor4D;
  });
}

/** The package's classifier after the backbone (global average pool → dense 256 → 128 → 5 → softmax). */
const HEAD_LAYER = /^dense_\d+$/;

/**
 * Our parameter name for a Keras weight name, null for the classifier, 'not built' for a layer past
 * where the backbone stops (`stopAt`); throws on anything unknown.
 */
function ourName(kerasName: string, prefix: string, stopAt: 's16' | 's32'): string | null | 'not built' {
  const [layer, weight] = kerasName.split('/');
  if (HEAD_LAYER.test(layer)) return null;
  const blockNumber = /^block_(\d+)_/.exec(layer);
  if (stopAt === 's16' && ((blockNumber && Number(blockNumber[1]) > MOBILENET_V2_LAST_BLOCK.s16) || /^Conv_1(_bn)?$/.test(layer))) return 'not built';
  const n = mobileNetV2LayerName;
  const fixed: Record<string, string> = {
    Conv1: n.stem(prefix, 'conv'),
    bn_Conv1: n.stem(prefix, 'bn'),
    Conv_1: n.last(prefix, 'conv'),
    Conv_1_bn: n.last(prefix, 'bn'),
  };
  let ours = fixed[layer];
  const block = /^(?:block_(\d+)|expanded_conv)_(expand|depthwise|project)(_BN)?$/.exec(layer);
  if (block)
    ours = n.block(prefix, block[1] ? Number(block[1]) : 0, block[2] === 'depthwise' ? 'dw' : (block[2] as 'expand' | 'project'), block[3] ? 'bn' : 'conv');
  if (!ours || !weight) throw new Error(`${NSFWJS_PACKAGE}: no parameter of ours corresponds to ${kerasName}`);
  return `${ours}/${weight}`;
}

/**
 * Copies the package's backbone tensors into `params` (a `mobileNetV2` α = 1 built under `prefix`,
 * stopping at `stopAt`: the package's layers past it are left out).
 * Fails on a package tensor that maps to no parameter or to one of another shape, on a parameter
 * assigned twice, and on any backbone parameter (under `prefix.`) left unassigned. Returns the
 * classifier's tensors, which no backbone parameter takes.
 */
export function assignMobileNetV2Weights(
  params: ParamStore,
  tensors: ReadonlyMap<string, PackageTensor>,
  prefix = 'enc',
  stopAt: 's16' | 's32' = 's32',
): Map<string, PackageTensor> {
  const head = new Map<string, PackageTensor>();
  const assigned = new Map<string, string>();
  for (const [kerasName, t] of tensors) {
    const name = ourName(kerasName, prefix, stopAt);
    if (name === 'not built') continue;
    if (name === null) {
      head.set(kerasName, t);
      continue;
    }
    const v = params.get(name);
    if (!v) throw new Error(`${kerasName} → ${name}: the model has no such parameter`);
    if (v.shape.join() !== t.shape.join()) throw new Error(`${kerasName} → ${name}: shape [${t.shape}] but the parameter is [${v.shape}]`);
    if (assigned.has(name)) throw new Error(`${name} assigned twice (${assigned.get(name)} and ${kerasName})`);
    assigned.set(name, kerasName);
  }
  const missing = [...params.keys()].filter((k) => k.startsWith(`${prefix}.`) && !assigned.has(k));
  if (missing.length)
    throw new Error(
      `${missing.length} backbone parameters left unassigned by ${NSFWJS_PACKAGE}: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`,
    );
  // Only now, when the whole mapping is known to be one-to-one, are the variables written.
  for (const [name, kerasName] of assigned) {
    const t = tensors.get(kerasName)!;
    const v = params.get(name)!;
    tf.tidy(() => v.assign(tf.tensor(t.values, v.shape)));
  }
  return head;
}
