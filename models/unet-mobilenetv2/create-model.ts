import { z } from 'zod';
import { makeConfigValidator } from '../config.ts';
import { convBnRelu, type Ops } from '../graph.ts';
import { mobileNetV2ConfigSchema } from '../backbones/encoder-config.ts';
import { mobileNetV2 } from '../backbones/mobilenet-v2.ts';

const unetMobileNetV2ConfigSchema = mobileNetV2ConfigSchema.extend({
  arch: z.literal('unet-mobilenetv2').default('unet-mobilenetv2'),
  /** Channels of the decoder stages at strides 16, 8, 4 and 2. */
  decoderChannels: z.array(z.number().int().min(4).max(512)).length(4).default([96, 64, 40, 24]),
  /** The stride-32 features (1280 channels) are first reduced to this many by a 1×1 conv. */
  bottleneckChannels: z.number().int().min(4).max(1280).default(256),
});
export type UnetMobileNetV2Config = z.infer<typeof unetMobileNetV2ConfigSchema>;

export const validateUnetMobileNetV2Config: (input: unknown) => UnetMobileNetV2Config = makeConfigValidator(unetMobileNetV2ConfigSchema, 'U-Net · MobileNetV2');

/**
 * A U-Net decoder over a MobileNetV2 encoder (models/backbones/mobilenet-v2.ts).
 *
 * x [N, H, W, 3] → MobileNetV2 taps s2 (16α ch), s4 (24α), s8 (32α), s16 (96α), s32 (1280) →
 * conv1×1-BN-ReLU(s32) to `bottleneckChannels` → for s16, s8, s4, s2: bilinear up to the tap's size,
 * concat the tap, 2×(conv3×3-BN-ReLU) with `decoderChannels[i]` → conv1×1 logits at H/2 →
 * bilinear up to [N, H, W, numClasses]. No softmax: the loss takes logits.
 */
export function unetMobileNetV2Forward<T, I>(ops: Ops<T, I>, x: T, cfg: UnetMobileNetV2Config): T {
  const taps = mobileNetV2(ops, x, { alpha: cfg.alpha, prefix: 'enc' });
  let h = convBnRelu(ops, taps.s32, 'dec.bottleneck', cfg.bottleneckChannels, { kernel: 1 });
  const skips = [taps.s16, taps.s8, taps.s4, taps.s2];
  skips.forEach((skip, i) => {
    h = ops.concat([ops.resizeLike(h, skip), skip]);
    h = convBnRelu(ops, h, `dec${i}.a`, cfg.decoderChannels[i]);
    h = convBnRelu(ops, h, `dec${i}.b`, cfg.decoderChannels[i]);
  });
  return ops.resizeLike(ops.conv(h, 'head', cfg.numClasses, { kernel: 1, bias: true }), x);
}
