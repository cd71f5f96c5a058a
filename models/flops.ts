import type { ModelConfig } from './validate-config.ts';
import { forwardGraph } from './create-model.ts';
import type { ConvOptions, Ops } from './graph.ts';

export interface Shape {
  h: number;
  w: number;
  c: number;
}

/** Interprets an architecture on shapes only (no tensors); `onConv` sees every convolution. */
export class ShapeOps implements Ops<Shape, null> {
  constructor(private readonly onConv: (x: Shape, name: string, out: number, kernel: number) => void) {}
  conv(x: Shape, name: string, out: number, opts: ConvOptions = {}): Shape {
    this.onConv(x, name, out, opts.kernel ?? 3);
    return { ...x, c: out };
  }
  batchNorm(x: Shape): Shape {
    return x;
  }
  relu(x: Shape): Shape {
    return x;
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

/**
 * GFLOP for one image at the given size (default: the config's inference size). FLOPs =
 * 2·MACs of convolutions (batch norm is folded at inference; the element-wise ops are < 1%
 * and not counted), the convention of most papers.
 */
export function countGflops(config: ModelConfig, width = config.inputWidth, height = config.inputHeight): number {
  let macs = 0;
  forwardGraph(new ShapeOps((x, _name, out, k) => (macs += k * k * x.c * out * x.h * x.w)), { h: height, w: width, c: 3 }, config);
  return (2 * macs) / 1e9;
}
