import { type Architecture, ARCH_LABEL, ARCHITECTURES } from './config.ts';
import { validateDeeplabConfig, type DeeplabConfig } from './deeplabv3plus/create-model.ts';
import { validateSegnetConfig, type SegnetConfig } from './segnet/create-model.ts';
import { validateUnetConfig, type UnetConfig } from './unet/create-model.ts';
import { validateUnetMobileNetV2Config, type UnetMobileNetV2Config } from './unet-mobilenetv2/create-model.ts';
import { validateDeeplabMobileNetV2Config, type DeeplabMobileNetV2Config } from './deeplabv3plus-mobilenetv2/create-model.ts';

// Apart from create-model.ts (which loads TF.js), so that reading a checkpoint's manifest
// can validate its config without loading a tensor library.

export type ModelConfig = UnetConfig | SegnetConfig | DeeplabConfig | UnetMobileNetV2Config | DeeplabMobileNetV2Config;

/** A network's name as the leaderboard shows it: the architecture, and "random init" for an encoder that did not start pretrained (the control). */
export function modelName(config: ModelConfig): string {
  return ARCH_LABEL[config.arch] + ('encoderInit' in config && config.encoderInit === 'random' ? ' (random init)' : '');
}

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
    case 'unet-mobilenetv2':
      return validateUnetMobileNetV2Config(withArch);
    case 'deeplabv3plus-mobilenetv2':
      return validateDeeplabMobileNetV2Config(withArch);
    default:
      throw new Error(`unknown architecture "${String(arch)}" (expected one of ${ARCHITECTURES.join(', ')})`);
  }
}
