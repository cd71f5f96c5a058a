import { z } from 'zod';
import { baseConfigSchema, DEFAULT_WIDTH, makeConfigValidator } from '../config.ts';
import { convBnRelu, type Ops } from '../graph.ts';

const unetConfigSchema = baseConfigSchema.extend({
  arch: z.literal('unet').default('unet'),
  /** Channels of the first stage; stages double it: w, 2w, 4w, 8w, bottleneck 16w. The seed's network is width 64. */
  width: z.number().int().min(1).max(128).default(DEFAULT_WIDTH),
  depth: z.literal(4).default(4),
});
export type UnetConfig = z.infer<typeof unetConfigSchema>;

export const validateUnetConfig: (input: unknown) => UnetConfig = makeConfigValidator(unetConfigSchema, 'U-Net');

/**
 * U-Net (Ronneberger et al. 2015), batch-normalised.
 *
 * x [N, H, W, 3] → enc_i: 2×(conv3×3-BN-ReLU) with w·2^i channels, i = 0..3, each followed by
 * 2×2 max-pool (H/2^(i+1)) → bottleneck 2×(conv3×3-BN-ReLU) 16w at H/16 →
 * dec_i: bilinear ×2 upsample, concat enc_i, 2×(conv3×3-BN-ReLU) w·2^i →
 * conv1×1 → logits [N, H, W, numClasses]. No softmax: the loss takes logits.
 */
export function unetForward<T, I>(ops: Ops<T, I>, x: T, cfg: UnetConfig): T {
  const skips: T[] = [];
  let h = x;
  for (let i = 0; i < cfg.depth; i++) {
    const ch = cfg.width * 2 ** i;
    h = convBnRelu(ops, h, `enc${i}.a`, ch);
    h = convBnRelu(ops, h, `enc${i}.b`, ch);
    skips.push(h);
    h = ops.maxPool(h);
  }
  const bottleneck = cfg.width * 2 ** cfg.depth;
  h = convBnRelu(ops, h, 'mid.a', bottleneck);
  h = convBnRelu(ops, h, 'mid.b', bottleneck);
  for (let i = cfg.depth - 1; i >= 0; i--) {
    const ch = cfg.width * 2 ** i;
    h = ops.concat([ops.resizeLike(h, skips[i]), skips[i]]);
    h = convBnRelu(ops, h, `dec${i}.a`, ch);
    h = convBnRelu(ops, h, `dec${i}.b`, ch);
  }
  return ops.conv(h, 'head', cfg.numClasses, { kernel: 1, bias: true });
}
