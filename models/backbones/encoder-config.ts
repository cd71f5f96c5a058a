import { z } from 'zod';
import { baseConfigSchema } from '../config.ts';

/**
 * Fields every architecture on a MobileNetV2 encoder shares. Its five stride-2 stages need input
 * sizes that are multiples of 32.
 */
export const mobileNetV2ConfigSchema = baseConfigSchema.extend({
  inputWidth: z.number().int().min(32).max(2048).multipleOf(32).default(256),
  inputHeight: z.number().int().min(32).max(2048).multipleOf(32).default(192),
  /** Width multiplier α of the encoder. The package's weights are α = 1; smaller ones are for tests and random starts. */
  alpha: z.number().min(0.25).max(1.4).default(1),
  /**
   * Where the encoder's weights start: 'nsfwjs' = the MobileNetV2 shipped in the npm package nsfwjs
   * (models/backbones/pretrained-encoder.ts), 'random' = He-normal like every other layer (the
   * from-scratch control). Recorded in the checkpoint so its card can say where it came from.
   */
  encoderInit: z.enum(['nsfwjs', 'random']).default('nsfwjs'),
});
