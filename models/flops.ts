import type { ModelConfig } from './validate-config.ts';
import { forwardGraph } from './create-model.ts';
import { samePadding, type ConvOptions, type DepthwiseOptions, type Ops, type Stride } from './graph.ts';

interface Shape {
  h: number;
  w: number;
  c: number;
}

/**
 * Interprets an architecture on shapes only (no tensors); `onConv` sees every convolution with its
 * output shape and input channels per group (the input's for a plain conv, 1 for a depthwise one).
 */
export class ShapeOps implements Ops<Shape, null> {
  constructor(private readonly onConv: (x: Shape, name: string, out: number, kernel: number, y: Shape, inPerGroup: number) => void) {}
  conv(x: Shape, name: string, out: number, opts: ConvOptions = {}): Shape {
    const y = { ...strided(x, opts.kernel ?? 3, opts.stride ?? 1), c: out };
    this.onConv(x, name, out, opts.kernel ?? 3, y, x.c);
    return y;
  }
  depthwiseConv(x: Shape, name: string, opts: DepthwiseOptions = {}): Shape {
    const y = { ...strided(x, opts.kernel ?? 3, opts.stride ?? 1), c: x.c };
    this.onConv(x, name, x.c, opts.kernel ?? 3, y, 1);
    return y;
  }
  batchNorm(x: Shape): Shape {
    return x;
  }
  relu(x: Shape): Shape {
    return x;
  }
  relu6(x: Shape): Shape {
    return x;
  }
  add(a: Shape, b: Shape): Shape {
    if (a.h !== b.h || a.w !== b.w || a.c !== b.c) throw new Error(`add: shapes ${a.h}×${a.w}×${a.c} and ${b.h}×${b.w}×${b.c} differ`);
    return a;
  }
  maxPool(x: Shape): Shape {
    return { h: x.h / 2, w: x.w / 2, c: x.c };
  }
  maxPoolWithIndices(x: Shape) {
    return { pooled: this.maxPool(x), indices: null };
  }
  maxUnpool(x: Shape): Shape {
    return { h: x.h * 2, w: x.w * 2, c: x.c };
  }
  concat(xs: Shape[]): Shape {
    return { ...xs[0], c: xs.reduce((s, x) => s + x.c, 0) };
  }
  resizeLike(x: Shape, like: Shape): Shape {
    return { h: like.h, w: like.w, c: x.c };
  }
  imagePool(x: Shape, like: Shape): Shape {
    return { h: like.h, w: like.w, c: x.c };
  }
  channels(x: Shape): number {
    return x.c;
  }
}

/** Output size of a 'same' conv; refuses what the other interpreters refuse (odd sizes at stride 2). */
function strided(x: Shape, k: number, s: Stride): { h: number; w: number } {
  samePadding(x.h, k, s);
  samePadding(x.w, k, s);
  return { h: x.h / s, w: x.w / s };
}

/**
 * GFLOP for one image at the given size (default: the config's inference size). FLOPs =
 * 2·MACs of convolutions (batch norm is folded at inference; the element-wise ops are < 1%
 * and not counted), the convention of most papers.
 */
export function countGflops(config: ModelConfig, width = config.inputWidth, height = config.inputHeight): number {
  let macs = 0;
  forwardGraph(new ShapeOps((_x, _name, out, k, y, inPerGroup) => (macs += k * k * inPerGroup * out * y.h * y.w)), { h: height, w: width, c: 3 }, config);
  return (2 * macs) / 1e9;
}
