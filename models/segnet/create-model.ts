import { z } from 'zod';
import { baseConfigSchema, DEFAULT_WIDTH, makeConfigValidator } from '../config.ts';
import { convBnRelu, type Ops } from '../graph.ts';

const segnetConfigSchema = baseConfigSchema.extend({
  arch: z.literal('segnet').default('segnet'),
  /** Channels of the first stage; stages double it: w, 2w, 4w, 8w. */
  width: z.number().int().min(1).max(128).default(DEFAULT_WIDTH),
  /** conv-BN-ReLU layers per stage (VGG-16 SegNet uses 2, 2, 3, 3(, 3)). */
  convsPerStage: z.array(z.number().int().min(1).max(4)).length(4).default([2, 2, 3, 3]),
});
export type SegnetConfig = z.infer<typeof segnetConfigSchema>;

export const validateSegnetConfig: (input: unknown) => SegnetConfig = makeConfigValidator(segnetConfigSchema, 'SegNet');

/**
 * SegNet (Badrinarayanan et al. 2017). Its defining feature: the decoder upsamples with
 * the encoder's max-pooling INDICES (sparse unpooling), not by interpolation.
 *
 * x [N, H, W, 3] → enc_i: convsPerStage[i]×(conv3×3-BN-ReLU, w·2^i ch), 2×2 max-pool with
 * indices → [N, H/16, W/16, 8w] → dec_i (i = 3..0): unpool with enc_i's indices → ×2,
 * convsPerStage[i]×(conv3×3-BN-ReLU), the last one narrowing to w·2^(i-1) (w at i = 0) →
 * conv1×1 → logits [N, H, W, numClasses].
 */
export function segnetForward<T, I>(ops: Ops<T, I>, x: T, cfg: SegnetConfig): T {
  const indices: I[] = [];
  let h = x;
  for (let i = 0; i < 4; i++) {
    const ch = cfg.width * 2 ** i;
    for (let j = 0; j < cfg.convsPerStage[i]; j++) h = convBnRelu(ops, h, `enc${i}.${j}`, ch);
    const p = ops.maxPoolWithIndices(h);
    h = p.pooled;
    indices.push(p.indices);
  }
  for (let i = 3; i >= 0; i--) {
    h = ops.maxUnpool(h, indices[i]);
    const ch = cfg.width * 2 ** i;
    const out = i === 0 ? cfg.width : cfg.width * 2 ** (i - 1);
    const n = cfg.convsPerStage[i];
    for (let j = 0; j < n; j++) h = convBnRelu(ops, h, `dec${i}.${j}`, j === n - 1 ? out : ch);
  }
  return ops.conv(h, 'head', cfg.numClasses, { kernel: 1, bias: true });
}
