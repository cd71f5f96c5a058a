import { ARCH_SIZE_MULTIPLE, type Architecture } from '../models/config.ts';

/**
 * A small network of `arch` for tests: the scratch networks at `width` channels, those on a
 * MobileNetV2 encoder at α 0.35 from a random start (no package read; the pretrained start has its
 * own tests in models/backbones/). `size` is rounded up to what the architecture takes.
 */
export function tinyConfig(arch: Architecture, size: { inputWidth: number; inputHeight: number }, width = 2): Record<string, unknown> {
  const m = ARCH_SIZE_MULTIPLE[arch];
  const rounded = { inputWidth: Math.ceil(size.inputWidth / m) * m, inputHeight: Math.ceil(size.inputHeight / m) * m };
  return m === 32 ? { ...rounded, alpha: 0.35, encoderInit: 'random' } : { ...rounded, width };
}
