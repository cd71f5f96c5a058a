import { z } from 'zod';
import { makeConfigValidator } from '../config.ts';
import { convBnRelu, type Ops } from '../graph.ts';
import { mobileNetV2ConfigSchema } from '../backbones/encoder-config.ts';
import { mobileNetV2 } from '../backbones/mobilenet-v2.ts';

const deeplabMobileNetV2ConfigSchema = mobileNetV2ConfigSchema.extend({
  arch: z.literal('deeplabv3plus-mobilenetv2').default('deeplabv3plus-mobilenetv2'),
  /** Atrous rates of the three 3×3 ASPP branches, at output stride 16 (a 256×192 frame is 16×12 there). */
  asppRates: z.array(z.number().int().min(1).max(36)).length(3).default([2, 4, 6]),
  asppChannels: z.number().int().min(4).max(512).default(128),
  /** Channels the stride-4 skip is reduced to before it joins the upsampled ASPP output. */
  lowLevelChannels: z.number().int().min(4).max(256).default(32),
});
export type DeeplabMobileNetV2Config = z.infer<typeof deeplabMobileNetV2ConfigSchema>;

export const validateDeeplabMobileNetV2Config: (input: unknown) => DeeplabMobileNetV2Config = makeConfigValidator(
  deeplabMobileNetV2ConfigSchema,
  'DeepLabV3+ · MobileNetV2',
);

/**
 * DeepLabV3+ (Chen et al. 2018) in its mobile setting: ASPP at output stride 16 over a MobileNetV2
 * encoder, with the stride-4 features as the decoder's skip.
 *
 * x [N, H, W, 3] → MobileNetV2 up to block 12 (s16, 96α ch; blocks 13–16 are not built, so output
 * stride 16 needs no dilated depthwise convs) → ASPP: conv1×1, three conv3×3 at `asppRates`, image
 * pooling → concat → conv1×1 → bilinear up to H/4 → concat conv1×1(s4 tap) → 2×conv3×3 → conv1×1
 * logits at H/4 → bilinear up to [N, H, W, numClasses].
 */
export function deeplabMobileNetV2Forward<T, I>(ops: Ops<T, I>, x: T, cfg: DeeplabMobileNetV2Config): T {
  const taps = mobileNetV2(ops, x, { alpha: cfg.alpha, prefix: 'enc', stopAt: 's16' });
  const a = cfg.asppChannels;
  const h16 = taps.s16;
  const branches = [convBnRelu(ops, h16, 'aspp.b0', a, { kernel: 1 })];
  cfg.asppRates.forEach((rate, i) => branches.push(convBnRelu(ops, h16, `aspp.b${i + 1}`, a, { dilation: rate })));
  branches.push(convBnRelu(ops, ops.imagePool(h16, h16), 'aspp.pool', a, { kernel: 1 }));
  let h = convBnRelu(ops, ops.concat(branches), 'aspp.project', a, { kernel: 1 });
  const skip = convBnRelu(ops, taps.s4, 'dec.low', cfg.lowLevelChannels, { kernel: 1 });
  h = ops.concat([ops.resizeLike(h, skip), skip]);
  h = convBnRelu(ops, h, 'dec.a', a);
  h = convBnRelu(ops, h, 'dec.b', a);
  return ops.resizeLike(ops.conv(h, 'head', cfg.numClasses, { kernel: 1, bias: true }), x);
}
