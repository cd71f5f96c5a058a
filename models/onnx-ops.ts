import type * as tf from '@tensorflow/tfjs';
import { samePadding, type ConvOptions, type DepthwiseOptions, type Ops } from './graph.ts';
import { BN_EPSILON, type ParamStore } from './tf-ops.ts';

/** A value in the ONNX graph: its name and static NCHW shape without the (dynamic) batch. */
interface OnnxValue {
  name: string;
  c: number;
  h: number;
  w: number;
  /** Set when the value is a Conv output that batch norm may still be folded into. */
  conv?: { weight: Float32Array; bias: Float32Array; weightName: string; biasName: string; out: number; inPerOut: number };
}

export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, number | number[] | string>;
  name: string;
  /** The operator set of a non-standard op (e.g. ONNX Runtime's 'com.microsoft.nchwc'); the ONNX default when absent. */
  domain?: string;
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  dataType: 'float' | 'int64';
  data: Float32Array | BigInt64Array;
}

/**
 * Emits an ONNX graph (NCHW) for an architecture from trained TF.js parameters:
 * conv kernels transposed HWIO → OIHW, batch norm folded into the preceding conv,
 * atrous convs as Conv dilations, SegNet's unpooling as MaxPool indices + MaxUnpool.
 */
export class OnnxOps implements Ops<OnnxValue, OnnxValue> {
  readonly nodes: OnnxNode[] = [];
  readonly initializers = new Map<string, OnnxInitializer>();
  private counter = 0;

  constructor(
    private readonly values: Map<string, Float32Array>,
    private readonly shapes: Map<string, number[]>,
  ) {}

  static fromParams(params: ParamStore): { values: Map<string, Float32Array>; shapes: Map<string, number[]> } {
    const values = new Map<string, Float32Array>();
    const shapes = new Map<string, number[]>();
    for (const [k, v] of params) {
      values.set(k, (v as tf.Tensor).dataSync() as Float32Array);
      shapes.set(k, v.shape);
    }
    return { values, shapes };
  }

  private fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  private param(name: string): Float32Array {
    const v = this.values.get(name);
    if (!v) throw new Error(`ONNX export: checkpoint lacks parameter ${name}`);
    return v;
  }

  addNode(opType: string, inputs: string[], attrs: OnnxNode['attrs'] = {}, nOut = 1): string[] {
    const outputs = Array.from({ length: nOut }, () => this.fresh(opType.toLowerCase()));
    this.nodes.push({ opType, inputs, outputs, attrs, name: this.fresh(`n_${opType}`) });
    return outputs;
  }

  addInitializer(name: string, dims: number[], data: Float32Array | BigInt64Array): string {
    this.initializers.set(name, { name, dims, dataType: data instanceof BigInt64Array ? 'int64' : 'float', data });
    return name;
  }

  conv(x: OnnxValue, name: string, out: number, opts: ConvOptions = {}): OnnxValue {
    const k = opts.kernel ?? 3;
    const d = k === 1 ? 1 : (opts.dilation ?? 1);
    const hwio = this.param(`${name}/kernel`);
    const [kh, kw, ci, co] = this.shapes.get(`${name}/kernel`)!;
    if (kh !== k || kw !== k || ci !== x.c || co !== out) throw new Error(`ONNX export: ${name} kernel shape mismatch`);
    const oihw = new Float32Array(hwio.length);
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        for (let c = 0; c < ci; c++) for (let o = 0; o < co; o++) oihw[((o * ci + c) * kh + i) * kw + j] = hwio[((i * kw + j) * ci + c) * co + o];
    const bias = (opts.bias ?? true) ? Float32Array.from(this.param(`${name}/bias`)) : new Float32Array(co);
    const weightName = this.addInitializer(`${name}.weight`, [co, ci, kh, kw], oihw);
    const biasName = this.addInitializer(`${name}.bias`, [co], bias);
    const s = opts.stride ?? 1;
    const [top, bottom] = samePadding(x.h, k, s, d);
    const [left, right] = samePadding(x.w, k, s, d);
    const [y] = this.addNode('Conv', [x.name, weightName, biasName], {
      kernel_shape: [k, k],
      pads: [top, left, bottom, right],
      dilations: [d, d],
      strides: [s, s],
    });
    return { name: y, c: out, h: x.h / s, w: x.w / s, conv: { weight: oihw, bias, weightName, biasName, out: co, inPerOut: ci * kh * kw } };
  }

  /** A Conv with one group per channel: kernel [k, k, C, 1] → weight [C, 1, k, k]. */
  depthwiseConv(x: OnnxValue, name: string, opts: DepthwiseOptions = {}): OnnxValue {
    const k = opts.kernel ?? 3;
    const s = opts.stride ?? 1;
    const hwc = this.param(`${name}/depthwise_kernel`);
    const [kh, kw, c, m] = this.shapes.get(`${name}/depthwise_kernel`)!;
    if (kh !== k || kw !== k || c !== x.c || m !== 1) throw new Error(`ONNX export: ${name} depthwise kernel shape mismatch`);
    const weight = new Float32Array(hwc.length);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let ch = 0; ch < c; ch++) weight[(ch * k + i) * k + j] = hwc[(i * k + j) * c + ch];
    const bias = new Float32Array(c);
    const weightName = this.addInitializer(`${name}.weight`, [c, 1, k, k], weight);
    const biasName = this.addInitializer(`${name}.bias`, [c], bias);
    const [top, bottom] = samePadding(x.h, k, s);
    const [left, right] = samePadding(x.w, k, s);
    const [y] = this.addNode('Conv', [x.name, weightName, biasName], { kernel_shape: [k, k], pads: [top, left, bottom, right], strides: [s, s], group: c });
    return { name: y, c, h: x.h / s, w: x.w / s, conv: { weight, bias, weightName, biasName, out: c, inPerOut: k * k } };
  }

  batchNorm(x: OnnxValue, name: string): OnnxValue {
    const gamma = this.param(`${name}/gamma`);
    const beta = this.param(`${name}/beta`);
    const mean = this.param(`${name}/moving_mean`);
    const variance = this.param(`${name}/moving_variance`);
    if (!x.conv) {
      const ins = [x.name, ...[gamma, beta, mean, variance].map((v, i) => this.addInitializer(`${name}.${['scale', 'B', 'mean', 'var'][i]}`, [x.c], v))];
      const [y] = this.addNode('BatchNormalization', ins, { epsilon: BN_EPSILON });
      return { name: y, c: x.c, h: x.h, w: x.w };
    }
    // Fold: y = γ·(Wx + b − μ)/√(σ²+ε) + β  →  W' = W·s, b' = (b − μ)·s + β, s = γ/√(σ²+ε).
    const { weight, bias, out, inPerOut } = x.conv;
    for (let o = 0; o < out; o++) {
      const s = gamma[o] / Math.sqrt(variance[o] + BN_EPSILON);
      for (let i = 0; i < inPerOut; i++) weight[o * inPerOut + i] *= s;
      bias[o] = (bias[o] - mean[o]) * s + beta[o];
    }
    return { name: x.name, c: x.c, h: x.h, w: x.w };
  }

  relu(x: OnnxValue): OnnxValue {
    return { ...x, conv: undefined, name: this.addNode('Relu', [x.name])[0] };
  }

  relu6(x: OnnxValue): OnnxValue {
    const lo = this.addInitializer('relu6_min', [], Float32Array.from([0]));
    const hi = this.addInitializer('relu6_max', [], Float32Array.from([6]));
    return { ...x, conv: undefined, name: this.addNode('Clip', [x.name, lo, hi])[0] };
  }

  add(a: OnnxValue, b: OnnxValue): OnnxValue {
    return { ...a, conv: undefined, name: this.addNode('Add', [a.name, b.name])[0] };
  }

  maxPool(x: OnnxValue): OnnxValue {
    const [y] = this.addNode('MaxPool', [x.name], { kernel_shape: [2, 2], strides: [2, 2] });
    return { name: y, c: x.c, h: x.h / 2, w: x.w / 2 };
  }

  maxPoolWithIndices(x: OnnxValue): { pooled: OnnxValue; indices: OnnxValue } {
    const [y, idx] = this.addNode('MaxPool', [x.name], { kernel_shape: [2, 2], strides: [2, 2] }, 2);
    return { pooled: { name: y, c: x.c, h: x.h / 2, w: x.w / 2 }, indices: { name: idx, c: x.c, h: x.h / 2, w: x.w / 2 } };
  }

  maxUnpool(x: OnnxValue, indices: OnnxValue): OnnxValue {
    const [y] = this.addNode('MaxUnpool', [x.name, indices.name], { kernel_shape: [2, 2], strides: [2, 2] });
    return { name: y, c: x.c, h: x.h * 2, w: x.w * 2 };
  }

  concat(xs: OnnxValue[]): OnnxValue {
    const [y] = this.addNode(
      'Concat',
      xs.map((x) => x.name),
      { axis: 1 },
    );
    return { name: y, c: xs.reduce((s, x) => s + x.c, 0), h: xs[0].h, w: xs[0].w };
  }

  resizeLike(x: OnnxValue, like: OnnxValue): OnnxValue {
    if (x.h === like.h && x.w === like.w) return x;
    const scales = this.addInitializer(this.fresh('scales'), [4], Float32Array.from([1, 1, like.h / x.h, like.w / x.w]));
    const [y] = this.addNode('Resize', [x.name, '', scales], { mode: 'linear', coordinate_transformation_mode: 'half_pixel' });
    return { name: y, c: x.c, h: like.h, w: like.w };
  }

  imagePool(x: OnnxValue, like: OnnxValue): OnnxValue {
    const [gap] = this.addNode('GlobalAveragePool', [x.name]);
    const shape = this.addInitializer(this.fresh('shape'), [4], BigInt64Array.from([1n, BigInt(x.c), BigInt(like.h), BigInt(like.w)]));
    const [y] = this.addNode('Expand', [gap, shape]);
    return { name: y, c: x.c, h: like.h, w: like.w };
  }

  channels(x: OnnxValue): number {
    return x.c;
  }
}
