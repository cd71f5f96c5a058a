import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ParamStore } from '../tf-ops.ts';
import { mobileNetV2LayerName } from './mobilenet-v2.ts';
import { assignMobileNetV2Weights, nsfwjsDir, readNsfwjsMobileNetV2 } from './nsfwjs-mobilenet-v2.ts';

/** Where a pretrained encoder's weights came from: what a model card says about it. */
export interface EncoderOrigin {
  package: string;
  version: string;
  licence: string;
  network: string;
  trainedOn: string;
}

/** What `initialiseMobileNetV2Encoder` needs of an architecture's config. */
interface EncoderConfig {
  alpha: number;
  encoderInit: 'nsfwjs' | 'random';
}

/** Parameters of the encoder (built under the prefix 'enc.'): the ones an encoder learning-rate multiplier scales. */
export function isEncoderParam(name: string): boolean {
  return name.startsWith('enc.');
}

/** Where the encoder of a network with this config started, for its card; null for a random start or a network without one. */
export function encoderOriginOf(config: { arch: string } & Partial<EncoderConfig>): EncoderOrigin | null {
  if (config.encoderInit !== 'nsfwjs') return null;
  const version: string = JSON.parse(readFileSync(path.join(nsfwjsDir(), 'package.json'), 'utf8')).version;
  return {
    package: `nsfwjs@${version}`,
    version,
    licence: 'MIT',
    network: 'Keras MobileNetV2 (alpha 1.0) as shipped in the package, uint8-quantised; its classifier is not used',
    trainedOn: 'ImageNet (Keras applications), then fine-tuned by the package authors on a 5-class image-content classification task',
  };
}

/**
 * Starts a MobileNetV2 encoder (built under `prefix`) from the package's weights when the config
 * asks for them (`encoderInit: 'nsfwjs'`).
 *
 * The package feeds its network RGB / 255 in [0, 1]; PixelDrive's one preprocessing gives
 * u' = RGB / 127.5 − 1 = 2u − 1 (models/preprocess.ts) for every architecture. Rather than a second
 * pipeline, the stem absorbs the difference: conv(W, u) = conv(W/2, u') + Σ W/2, and the constant
 * moves into the stem's batch-norm mean. Exact away from the padded last row and column.
 */
export function initialiseMobileNetV2Encoder(params: ParamStore, config: EncoderConfig, stopAt: 's16' | 's32', prefix = 'enc'): void {
  if (config.encoderInit === 'random') return;
  if (config.alpha !== 1)
    throw new Error(`the nsfwjs MobileNetV2 weights are for alpha 1, the config has alpha ${config.alpha} (give encoderInit "random" or alpha 1)`);
  assignMobileNetV2Weights(params, readNsfwjsMobileNetV2().tensors, prefix, stopAt);
  foldSignedInputIntoStem(params, prefix);
}

/** The stem conv and its batch norm, rewritten to take inputs in [−1, 1] instead of [0, 1] (see above). */
function foldSignedInputIntoStem(params: ParamStore, prefix: string): void {
  const kernel = params.get(`${mobileNetV2LayerName.stem(prefix, 'conv')}/kernel`)!;
  const mean = params.get(`${mobileNetV2LayerName.stem(prefix, 'bn')}/moving_mean`)!;
  tf.tidy(() => {
    const half = tf.div(kernel, 2);
    // Σ over the kernel's window and input channels (HWIO → O) of W/2: what a constant input of 1 adds.
    const offset = tf.sum(half, [0, 1, 2]);
    kernel.assign(half);
    mean.assign(tf.sub(mean, offset));
  });
}
