import * as tf from '@tensorflow/tfjs';
import type { Architecture } from './config.ts';
import { deeplabForward } from './deeplabv3plus/create-model.ts';
import type { Ops } from './graph.ts';
import { segnetForward } from './segnet/create-model.ts';
import { TfOps, type ParamStore } from './tf-ops.ts';
import { unetForward } from './unet/create-model.ts';
import { unetMobileNetV2Forward } from './unet-mobilenetv2/create-model.ts';
import { deeplabMobileNetV2Forward } from './deeplabv3plus-mobilenetv2/create-model.ts';
import { initialiseMobileNetV2Encoder } from './backbones/pretrained-encoder.ts';
import { validateConfig, type ModelConfig } from './validate-config.ts';

/** Runs the architecture named by `cfg.arch` on any `Ops` interpreter. */
export function forwardGraph<T, I>(ops: Ops<T, I>, x: T, cfg: ModelConfig): T {
  switch (cfg.arch) {
    case 'unet':
      return unetForward(ops, x, cfg);
    case 'segnet':
      return segnetForward(ops, x, cfg);
    case 'deeplabv3plus':
      return deeplabForward(ops, x, cfg);
    case 'unet-mobilenetv2':
      return unetMobileNetV2Forward(ops, x, cfg);
    case 'deeplabv3plus-mobilenetv2':
      return deeplabMobileNetV2Forward(ops, x, cfg);
  }
}

export interface SegmentationModel {
  config: ModelConfig;
  params: ParamStore;
  /** x: normalised images [N, H, W, 3] → logits [N, H, W, numClasses] (never probabilities). */
  logits(x: tf.Tensor4D): tf.Tensor4D;
  dispose(): void;
}

/**
 * Builds a network. Parameters are created by one forward pass on a dummy batch (shapes
 * depend on the config only); a pretrained encoder the config names is then copied in, unless
 * `init` is 'none' (the weights are about to be overwritten from a checkpoint).
 */
export function createModel(arch: Architecture, configInput: unknown = {}, seed = 1, init: 'config' | 'none' = 'config'): SegmentationModel {
  const config = validateConfig(arch, configInput);
  const params: ParamStore = new Map();
  tf.tidy(() => {
    forwardGraph(new TfOps(params, false, seed), tf.zeros([1, 32, 32, 3]) as tf.Tensor4D, config);
  });
  if (init === 'config' && 'encoderInit' in config) initialiseMobileNetV2Encoder(params, config, config.arch === 'unet-mobilenetv2' ? 's32' : 's16');
  return {
    config,
    params,
    logits: (x) => tf.tidy(() => forwardGraph(new TfOps(params, false), x, config)),
    dispose: () => {
      for (const v of params.values()) v.dispose();
      params.clear();
    },
  };
}

export function countParams(params: ParamStore, trainableOnly = true): number {
  let n = 0;
  for (const v of params.values()) if (!trainableOnly || v.trainable) n += v.size;
  return n;
}
