import { z } from 'zod';

/**
 * The seed's three networks, learned from scratch, then two on a MobileNetV2 encoder that starts
 * from pretrained weights (models/backbones/).
 */
export const ARCHITECTURES = ['unet', 'segnet', 'deeplabv3plus', 'unet-mobilenetv2', 'deeplabv3plus-mobilenetv2'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export const ARCH_LABEL: Record<Architecture, string> = {
  unet: 'U-Net',
  segnet: 'SegNet',
  deeplabv3plus: 'DeepLabV3+',
  'unet-mobilenetv2': 'U-Net · MobileNetV2',
  'deeplabv3plus-mobilenetv2': 'DeepLabV3+ · MobileNetV2',
};

/** Input sizes each architecture takes are multiples of this (its number of 2× downsamplings). */
export const ARCH_SIZE_MULTIPLE: Record<Architecture, 16 | 32> = {
  unet: 16,
  segnet: 16,
  deeplabv3plus: 16,
  'unet-mobilenetv2': 32,
  'deeplabv3plus-mobilenetv2': 32,
};

/** The architectures on a MobileNetV2 encoder (models/backbones/): no `width`; an `encoderInit`. */
export const ENCODER_ARCHITECTURES = ['unet-mobilenetv2', 'deeplabv3plus-mobilenetv2'] as const satisfies readonly Architecture[];

export function hasEncoder(arch: Architecture): arch is (typeof ENCODER_ARCHITECTURES)[number] {
  return (ENCODER_ARCHITECTURES as readonly string[]).includes(arch);
}

/** The `--arch` ids as a usage line lists them. */
export const ARCH_CHOICES = ARCHITECTURES.join('|');

export const architectureSchema = z.enum(ARCHITECTURES);

/** Channels of the first stage; every architecture doubles from there. The shipped checkpoints use it. */
export const DEFAULT_WIDTH = 8;

/** Fields every architecture shares. Spatial sizes must be multiples of 16 (four 2× poolings). */
export const baseConfigSchema = z.object({
  numClasses: z.number().int().min(2).max(255).default(13),
  /** Inference input size (the network itself is fully convolutional). */
  inputWidth: z.number().int().min(32).max(2048).multipleOf(16).default(256),
  inputHeight: z.number().int().min(32).max(2048).multipleOf(16).default(192),
});

export function formatZodError(prefix: string, error: z.ZodError): string {
  return `${prefix}: ` + error.issues.map((i) => `${i.path.join('.') || '(config)'} ${i.message}`).join('; ');
}

/** A validator that fills defaults and throws one readable message naming each bad field. */
export function makeConfigValidator<S extends z.ZodType>(schema: S, label: string): (input: unknown) => z.infer<S> {
  return (input) => {
    const r = schema.safeParse(input ?? {});
    if (!r.success) throw new Error(formatZodError(`invalid ${label} config`, r.error));
    return r.data;
  };
}
