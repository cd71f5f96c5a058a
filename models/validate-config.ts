import { type Architecture, ARCHITECTURES } from './config.ts';
import { validateDeeplabConfig, type DeeplabConfig } from './deeplabv3plus/create-model.ts';
import { validateSegnetConfig, type SegnetConfig } from './segnet/create-model.ts';
import { validateUnetConfig, type UnetConfig } from './unet/create-model.ts';

// Apart from create-model.ts (which loads TF.js), so that reading a checkpoint's manifest
// can validate its config without loading a tensor library.

export type ModelConfig = UnetConfig | SegnetConfig | DeeplabConfig;

/** Fills defaults and rejects bad values with a message naming the field. */
export function validateConfig(arch: Architecture, input: unknown = {}): ModelConfig {
  const withArch = { ...(input as object), arch };
  switch (arch) {
    case 'unet':
      return validateUnetConfig(withArch);
    case 'segnet':
      return validateSegnetConfig(withArch);
    case 'deeplabv3plus':
      return validateDeeplabConfig(withArch);
    default:
      throw new Error(`unknown architecture "${String(arch)}" (expected one of ${ARCHITECTURES.join(', ')})`);
  }
}
