import { z } from 'zod';
import { baseConfigSchema, DEFAULT_WIDTH, makeConfigValidator } from '../config.ts';
import { convBnRelu, type Ops } from '../graph.ts';

const deeplabConfigSchema = baseConfigSchema.extend({
  arch: z.literal('deeplabv3plus').default('deeplabv3plus'),
  /** Channels of the first encoder stage; stages double it: w, 2w, 4w, 8w. */
  width: z.number().int().min(1).max(128).default(DEFAULT_WIDTH),
  /** Atrous rates of the three 3×3 ASPP branches, at output stride 8. */
  asppRates: z.array(z.number().int().min(1).max(36)).length(3).default([2, 4, 6]),
  /** Dilation of the last encoder stage (replaces a fourth 2× downsampling). */
  encoderDilation: z.number().int().min(1).max(8).default(2),
  asppChannels: z.number().int().min(4).max(512).optional(),
  lowLevelChannels: z.number().int().min(4).max(256).optional(),
});
export type DeeplabConfig = z.infer<typeof deeplabConfigSchema>;

export const validateDeeplabConfig: (input: unknown) => DeeplabConfig = makeConfigValidator(deeplabConfigSchema, 'DeepLabV3+');

/**
 * DeepLabV3+ (Chen et al. 2018) with a small VGG-style encoder.
 *
 * x [N, H, W, 3] → stage0 (w, H) pool → stage1 (2w, H/2) pool → stage2 (4w, H/4) = low-level
 * features → pool → stage3 (8w, H/8) with atrous rate `encoderDilation` (output stride 8) →
 * ASPP: conv1×1, three conv3×3 at `asppRates`, image pooling (GAP → conv1×1 → broadcast),
 * concat → conv1×1 (asppChannels) → bilinear ×2 to H/4 → concat with conv1×1(low-level) →
 * 2×conv3×3 → conv1×1 logits at H/4 → bilinear upsample → [N, H, W, numClasses].
 */
export function deeplabForward<T, I>(ops: Ops<T, I>, x: T, cfg: DeeplabConfig): T {
  const w = cfg.width;
  const aspp = cfg.asppChannels ?? 8 * w;
  const low = cfg.lowLevelChannels ?? Math.max(4, w);
  let h = convBnRelu(ops, x, 'enc0.a', w);
  h = convBnRelu(ops, h, 'enc0.b', w);
  h = ops.maxPool(h);
  h = convBnRelu(ops, h, 'enc1.a', 2 * w);
  h = convBnRelu(ops, h, 'enc1.b', 2 * w);
  h = ops.maxPool(h);
  h = convBnRelu(ops, h, 'enc2.a', 4 * w);
  const lowLevel = convBnRelu(ops, h, 'enc2.b', 4 * w);
  h = ops.maxPool(lowLevel);
  h = convBnRelu(ops, h, 'enc3.a', 8 * w);
  h = convBnRelu(ops, h, 'enc3.b', 8 * w, { dilation: cfg.encoderDilation });
  h = convBnRelu(ops, h, 'enc3.c', 8 * w, { dilation: cfg.encoderDilation });

  const branches = [convBnRelu(ops, h, 'aspp.b0', aspp, { kernel: 1 })];
  cfg.asppRates.forEach((rate, i) => branches.push(convBnRelu(ops, h, `aspp.b${i + 1}`, aspp, { dilation: rate })));
  branches.push(convBnRelu(ops, ops.imagePool(h, h), 'aspp.pool', aspp, { kernel: 1 }));
  h = convBnRelu(ops, ops.concat(branches), 'aspp.project', aspp, { kernel: 1 });

  const skip = convBnRelu(ops, lowLevel, 'dec.low', low, { kernel: 1 });
  h = ops.concat([ops.resizeLike(h, skip), skip]);
  h = convBnRelu(ops, h, 'dec.a', aspp);
  h = convBnRelu(ops, h, 'dec.b', aspp);
  h = ops.conv(h, 'head', cfg.numClasses, { kernel: 1, bias: true });
  return ops.resizeLike(h, x);
}
