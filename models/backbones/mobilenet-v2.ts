import type { Ops, Stride } from '../graph.ts';

/**
 * MobileNetV2 (Sandler et al. 2018) as Keras builds it (`keras.applications.MobileNetV2`,
 * include_top=False), written once against `Ops` so every interpreter runs it.
 *
 * x [N, H, W, 3] (H, W multiples of 32) →
 *   stem: conv3×3 stride 2 → BN → ReLU6                                     32α ch, H/2
 *   17 inverted residual blocks (the paper's table 2: expansion t, channels c, repeats n, stride s):
 *     [expand conv1×1 → BN → ReLU6] (not in block 0) → depthwise 3×3 (stride s on a stage's first
 *     block) → BN → ReLU6 → project conv1×1 → BN (linear) [+ input, when stride 1 and same width]
 *   last: conv1×1 → BN → ReLU6                                                1280 ch, H/32
 * Stride-2 convs pad like TensorFlow's 'same' (bottom/right only on even sizes: `samePadding`),
 * which is what Keras' explicit ZeroPadding2D((0, 1), (0, 1)) + 'valid' computes.
 *
 * Taps (what a decoder reads), with the Keras layer each one is:
 *   s2  [H/2,  16α]  block 0's projection    (expanded_conv_project_BN)
 *   s4  [H/4,  24α]  block 2's residual sum  (block_2_add)
 *   s8  [H/8,  32α]  block 5's residual sum  (block_5_add)
 *   s16 [H/16, 96α]  block 12's residual sum (block_12_add)
 *   s32 [H/32, 1280] the last ReLU6          (out_relu)
 */
export interface MobileNetV2Taps<T> {
  s2: T;
  s4: T;
  s8: T;
  s16: T;
  s32: T;
}

/** The last block each stopping point runs (block 12 ends stride 16; block 16 and the last conv, stride 32). */
export const MOBILENET_V2_LAST_BLOCK = { s16: 12, s32: 16 } as const;

/** (expansion, output channels at α = 1, repeats, stride of the first repeat): the paper's table 2. */
const STAGES: readonly (readonly [number, number, number, Stride])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/** The block whose output is each tap (the last block before the next stride-2 block). */
const TAP_BLOCKS = { s2: 0, s4: 2, s8: 5, s16: 12 } as const;

/** Keras' `_make_divisible`: round to a multiple of 8, never more than 10 % down. */
export function makeDivisible(v: number, divisor = 8): number {
  let rounded = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (rounded < 0.9 * v) rounded += divisor;
  return rounded;
}

/** Parameter-name prefixes of the backbone's layers (`${prefix}.b3.dw.conv`, …): the weight loader maps Keras names onto them. */
export const mobileNetV2LayerName = {
  stem: (prefix: string, part: 'conv' | 'bn') => `${prefix}.stem.${part}`,
  block: (prefix: string, block: number, step: 'expand' | 'dw' | 'project', part: 'conv' | 'bn') => `${prefix}.b${block}.${step}.${part}`,
  last: (prefix: string, part: 'conv' | 'bn') => `${prefix}.last.${part}`,
};

interface MobileNetV2Options {
  /** Width multiplier α (Keras `alpha`): every block's channels scale by it, rounded by `makeDivisible`. */
  alpha?: number;
  /** Parameter-name prefix. */
  prefix?: string;
  /**
   * 's16' stops after block 12 (the stride-16 tap): blocks 13–16 and the last conv are not built, as
   * for a decoder that reads nothing deeper (DeepLabV3+'s ASPP at output stride 16). Default 's32'.
   */
  stopAt?: 's16' | 's32';
}

export function mobileNetV2<T, I>(ops: Ops<T, I>, x: T, opts: MobileNetV2Options & { stopAt: 's16' }): Omit<MobileNetV2Taps<T>, 's32'>;
export function mobileNetV2<T, I>(ops: Ops<T, I>, x: T, opts?: MobileNetV2Options & { stopAt?: 's32' }): MobileNetV2Taps<T>;
export function mobileNetV2<T, I>(ops: Ops<T, I>, x: T, opts: MobileNetV2Options = {}): Partial<MobileNetV2Taps<T>> {
  const alpha = opts.alpha ?? 1;
  const p = opts.prefix ?? 'enc';
  const name = mobileNetV2LayerName;
  let h = ops.relu6(ops.batchNorm(ops.conv(x, name.stem(p, 'conv'), makeDivisible(32 * alpha), { stride: 2, bias: false }), name.stem(p, 'bn')));
  const taps: Partial<MobileNetV2Taps<T>> = {};
  const lastBlock = MOBILENET_V2_LAST_BLOCK[opts.stopAt ?? 's32'];
  let block = 0;
  for (const [expansion, channels, repeats, firstStride] of STAGES) {
    const out = makeDivisible(Math.floor(channels * alpha));
    for (let r = 0; r < repeats && block <= lastBlock; r++, block++) {
      const stride = r === 0 ? firstStride : 1;
      const inCh = ops.channels(h);
      let y = h;
      if (block > 0)
        y = ops.relu6(
          ops.batchNorm(
            ops.conv(y, name.block(p, block, 'expand', 'conv'), expansion * inCh, { kernel: 1, bias: false }),
            name.block(p, block, 'expand', 'bn'),
          ),
        );
      y = ops.relu6(ops.batchNorm(ops.depthwiseConv(y, name.block(p, block, 'dw', 'conv'), { stride }), name.block(p, block, 'dw', 'bn')));
      y = ops.batchNorm(ops.conv(y, name.block(p, block, 'project', 'conv'), out, { kernel: 1, bias: false }), name.block(p, block, 'project', 'bn'));
      h = stride === 1 && inCh === out ? ops.add(h, y) : y;
      for (const [tap, at] of Object.entries(TAP_BLOCKS)) if (at === block) taps[tap as keyof typeof TAP_BLOCKS] = h;
    }
  }
  if (opts.stopAt === 's16') return taps;
  const last = alpha > 1 ? makeDivisible(1280 * alpha) : 1280;
  taps.s32 = ops.relu6(ops.batchNorm(ops.conv(h, name.last(p, 'conv'), last, { kernel: 1, bias: false }), name.last(p, 'bn')));
  return taps;
}
