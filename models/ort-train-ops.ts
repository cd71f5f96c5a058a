import { bilinearMatrix } from './bilinear.ts';
import { samePadding, type ConvOptions, type DepthwiseOptions, type Ops, type Stride } from './graph.ts';
import type { OnnxInitializer, OnnxNode } from './onnx-ops.ts';
import { BN_EPSILON } from './tf-ops.ts';

/** A value of the training graph: its name, static NCHW shape, and whether a gradient must reach it. */
export interface GradValue {
  name: string;
  n: number;
  c: number;
  h: number;
  w: number;
  /** False for the image and everything computed from no parameter: no gradient is emitted for it. */
  needsGrad: boolean;
}

/** A graph input or output: name, element type, static shape. */
interface GraphIo {
  name: string;
  type: 'float' | 'int32' | 'int64';
  dims: number[];
}

/** Where the gradient of a trainable parameter and a batch-norm layer's batch statistics come out. */
export const gradName = (param: string) => `${param}:grad`;
export const batchMeanName = (bn: string) => `${bn}:batch_mean`;
export const batchVarianceName = (bn: string) => `${bn}:batch_variance`;

const INT64_MIN = -(2n ** 63n);
/** ONNX TensorProto.DataType FLOAT, for Cast. */
const ONNX_FLOAT = 1;

/** ONNX Runtime's operator set of blocked-layout (NCHWc) CPU kernels. */
export const NCHWC_DOMAIN = 'com.microsoft.nchwc';

/** How a training graph's max-pooling records its maxima: see `OrtTrainOps`. */
export type PoolingForm = 'indices' | 'window';

/**
 * The third interpreter of `Ops` (beside `TfOps` and `OnnxOps`): it emits an ONNX **training**
 * graph — the forward pass in training mode (batch norm on batch statistics) and, through
 * `backward`, the reverse-mode gradient of every parameter, so that ONNX Runtime runs whole
 * training steps at GEMM speed.
 *
 * Parameters are graph inputs in their checkpoint layouts (conv kernels HWIO, vectors [C]) and
 * their gradients come out in the same layouts, so the optimiser and the checkpoint format stay
 * those of the TF.js engine. Activations are NCHW with a static batch (one graph per batch shape).
 *
 * Each forward op pushes its adjoint onto a tape; `backward` walks the tape in reverse, summing
 * the gradients of values read by several ops (skip connections, ASPP branches).
 */
export class OrtTrainOps implements Ops<GradValue, GradValue> {
  readonly nodes: OnnxNode[] = [];
  readonly initializers = new Map<string, OnnxInitializer>();
  readonly inputs: GraphIo[] = [];
  readonly outputs: GraphIo[] = [];
  /** Trainable parameters in the order the graph reads them. */
  readonly paramNames: string[] = [];
  /** Batch-norm layers in forward order (each emits batch mean and variance). */
  readonly batchNorms: { name: string; channels: number }[] = [];
  private readonly tape: { out: string; backward: (dy: string) => void }[] = [];
  private readonly pending = new Map<string, string[]>();
  private readonly paramGrads = new Map<string, string>();
  private counter = 0;

  /**
   * `shapes`: the model's parameter shapes by name (from a `ParamStore`), checked on use.
   * `pooling`: how max-pooling remembers where each maximum was. 'indices' is ONNX MaxPool's
   * second output (fastest on ORT's CPU provider); 'window' takes the arg-max of each 2×2 window
   * as a one-hot mask, for GPU providers without MaxPool indices (ORT's WebGPU provider). Both
   * route every gradient to the first maximum of its window, so they train identically.
   * `nchwcBlock`: the channel block of ONNX Runtime's NCHWc convolutions on this CPU
   * (`nchwcBlockSize()`), or null to use plain Conv everywhere; see `convNode`.
   */
  constructor(
    private readonly shapes: ReadonlyMap<string, readonly number[]>,
    private readonly pooling: PoolingForm = 'indices',
    private readonly nchwcBlock: number | null = null,
  ) {}

  // ---- graph building --------------------------------------------------------------------

  node(opType: string, inputs: string[], attrs: OnnxNode['attrs'] = {}, nOut = 1, domain?: string): string[] {
    const outputs = Array.from({ length: nOut }, () => `${opType.toLowerCase()}_${this.counter++}`);
    this.nodes.push({ opType, inputs, outputs, attrs, name: `n${this.counter++}_${opType}`, ...(domain ? { domain } : {}) });
    return outputs;
  }

  private op(opType: string, inputs: string[], attrs: OnnxNode['attrs'] = {}): string {
    return this.node(opType, inputs, attrs)[0];
  }

  /** A constant, shared by everything that asks for the same values. */
  constInt64(values: readonly (number | bigint)[], dims = [values.length]): string {
    const name = `i64[${dims}]:${values.join(',')}`;
    if (!this.initializers.has(name)) this.initializers.set(name, { name, dims, dataType: 'int64', data: BigInt64Array.from(values, BigInt) });
    return name;
  }

  constFloat(values: Float32Array | readonly number[], dims: number[], key?: string): string {
    const name = key ?? `f32[${dims}]:${Array.from(values).join(',')}`;
    if (!this.initializers.has(name)) this.initializers.set(name, { name, dims, dataType: 'float', data: Float32Array.from(values) });
    return name;
  }

  addInput(io: GraphIo): string {
    this.inputs.push(io);
    return io.name;
  }

  /** Names a computed value as a graph output. */
  addOutput(value: string, io: GraphIo): void {
    this.nodes.push({ opType: 'Identity', inputs: [value], outputs: [io.name], attrs: {}, name: `out_${io.name}` });
    this.outputs.push(io);
  }

  private param(name: string, shape: number[]): string {
    const stored = this.shapes.get(name);
    if (!stored) throw new Error(`training graph: the model has no parameter ${name}`);
    if (stored.join() !== shape.join()) throw new Error(`parameter ${name}: stored shape [${stored}] but the network needs [${shape}]`);
    this.paramNames.push(name);
    return this.addInput({ name, type: 'float', dims: shape });
  }

  private record(out: GradValue, backward: (dy: string) => void): GradValue {
    if (out.needsGrad) this.tape.push({ out: out.name, backward });
    return out;
  }

  private accumulate(value: GradValue, grad: string): void {
    if (!value.needsGrad) return;
    const list = this.pending.get(value.name) ?? [];
    list.push(grad);
    this.pending.set(value.name, list);
  }

  private paramGrad(param: string, grad: string): void {
    this.paramGrads.set(param, grad);
  }

  /** [C] parameter → [1, C, 1, 1] for broadcasting over NCHW. */
  private perChannel(v: string, c: number): string {
    return this.op('Reshape', [v, this.constInt64([1, c, 1, 1])]);
  }

  private reduceSum(x: string, axes: number[], keepdims: 0 | 1): string {
    return this.op('ReduceSum', [x, this.constInt64(axes)], { keepdims });
  }

  // ---- Ops -----------------------------------------------------------------------------

  conv(x: GradValue, name: string, out: number, opts: ConvOptions = {}): GradValue {
    if ((opts.stride ?? 1) === 2) return this.stridedConv(x, name, out, opts);
    const k = opts.kernel ?? 3;
    const d = k === 1 ? 1 : (opts.dilation ?? 1);
    const pad = (d * (k - 1)) / 2;
    const kernel = this.param(`${name}/kernel`, [k, k, x.c, out]);
    const hasBias = opts.bias ?? true;
    const bias = hasBias ? this.param(`${name}/bias`, [out]) : null;
    const convAttrs = { kernel_shape: [k, k], pads: [pad, pad, pad, pad], dilations: [d, d], strides: [1, 1] };
    const y: GradValue = {
      name: this.convNode(x.name, kernel, bias, { k, cin: x.c, cout: out, attrs: convAttrs, adjoint: false }),
      n: x.n,
      c: out,
      h: x.h,
      w: x.w,
      needsGrad: true,
    };
    return this.record(y, (dy) => {
      if (bias) this.paramGrad(`${name}/bias`, this.reduceSum(dy, [0, 2, 3], 0));
      this.paramGrad(`${name}/kernel`, this.convKernelGrad(x, dy, k, d, out));
      // Stride-1 'same' conv: the input gradient is the conv of dy with the kernel flipped in
      // space and its in/out channels swapped, same padding and dilation.
      if (x.needsGrad) this.accumulate(x, this.convNode(dy, kernel, null, { k, cin: out, cout: x.c, attrs: convAttrs, adjoint: true }));
    });
  }

  /**
   * A stride-2 'same' conv (TensorFlow's padding: on even sizes only bottom/right, see
   * `samePadding`). Its input gradient is the transposed convolution with the same kernel,
   * strides and pads; its kernel gradient one GEMM per tap of the strided input window against dy.
   */
  private stridedConv(x: GradValue, name: string, out: number, opts: ConvOptions): GradValue {
    const k = opts.kernel ?? 3;
    if ((opts.dilation ?? 1) !== 1) throw new Error(`${name}: a stride-2 conv takes no dilation`);
    const kernel = this.param(`${name}/kernel`, [k, k, x.c, out]);
    const bias = (opts.bias ?? true) ? this.param(`${name}/bias`, [out]) : null;
    const geo = this.stridedGeometry(x, k, 2);
    const weight = this.op('Transpose', [kernel], { perm: [3, 2, 0, 1] }); // OIHW
    const y = this.op('Conv', bias ? [x.name, weight, bias] : [x.name, weight], { kernel_shape: [k, k], pads: geo.pads, strides: [2, 2] });
    const result: GradValue = { name: y, n: x.n, c: out, h: geo.oh, w: geo.ow, needsGrad: true };
    return this.record(result, (dy) => {
      if (bias) this.paramGrad(`${name}/bias`, this.reduceSum(dy, [0, 2, 3], 0));
      const flatDyT = this.op('Transpose', [this.op('Reshape', [dy, this.constInt64([x.n, out, geo.oh * geo.ow])])], { perm: [0, 2, 1] }); // [N, P, O]
      const taps = this.windows(x, k, geo, (win) => {
        const flatWin = this.op('Reshape', [win, this.constInt64([x.n, x.c, geo.oh * geo.ow])]);
        return this.op('Unsqueeze', [this.op('MatMul', [flatWin, flatDyT]), this.constInt64([1])]); // [N, 1, I, O]
      });
      const grads = this.reduceSum(this.op('Concat', taps, { axis: 1 }), [0], 0); // [k·k, I, O]
      this.paramGrad(`${name}/kernel`, this.op('Reshape', [grads, this.constInt64([k, k, x.c, out])]));
      if (x.needsGrad) this.accumulate(x, this.transposedConv(dy, weight, x, k, geo, 1));
    });
  }

  /**
   * Depthwise conv as a Conv with one group per channel (weight [C, 1, k, k] from the [k, k, C, 1]
   * kernel). Adjoints: the input gradient is the grouped transposed convolution with the same
   * weight; the kernel gradient per tap is Σ over batch and pixels of (input window · dy), one
   * value per channel.
   */
  depthwiseConv(x: GradValue, name: string, opts: DepthwiseOptions = {}): GradValue {
    const k = opts.kernel ?? 3;
    const s = opts.stride ?? 1;
    const c = x.c;
    const kernel = this.param(`${name}/depthwise_kernel`, [k, k, c, 1]);
    const geo = this.stridedGeometry(x, k, s);
    const weight = this.op('Transpose', [kernel], { perm: [2, 3, 0, 1] }); // [C, 1, k, k]
    const y = this.op('Conv', [x.name, weight], { kernel_shape: [k, k], pads: geo.pads, strides: [s, s], group: c });
    return this.record({ name: y, n: x.n, c, h: geo.oh, w: geo.ow, needsGrad: true }, (dy) => {
      const taps = this.windows(x, k, geo, (win) => this.op('Unsqueeze', [this.reduceSum(this.op('Mul', [win, dy]), [0, 2, 3], 0), this.constInt64([0])])); // [1, C]
      this.paramGrad(`${name}/depthwise_kernel`, this.op('Reshape', [this.op('Concat', taps, { axis: 0 }), this.constInt64([k, k, c, 1])]));
      if (x.needsGrad) this.accumulate(x, this.transposedConv(dy, weight, x, k, geo, c));
    });
  }

  /** Pads [top, left, bottom, right] and output size of a 'same' conv at `stride`. */
  private stridedGeometry(x: GradValue, k: number, stride: Stride) {
    const [top, bottom] = samePadding(x.h, k, stride);
    const [left, right] = samePadding(x.w, k, stride);
    return { pads: [top, left, bottom, right], stride, oh: x.h / stride, ow: x.w / stride };
  }

  /** The k·k views of x (padded as the forward conv pads it) that tap (a, b) reads: [N, C, oh, ow] each, tap-major. */
  private windows(x: GradValue, k: number, geo: { pads: number[]; stride: number; oh: number; ow: number }, perTap: (win: string) => string): string[] {
    const [top, left, bottom, right] = geo.pads;
    const s = geo.stride;
    const padded = top || left || bottom || right ? this.op('Pad', [x.name, this.constInt64([0, 0, top, left, 0, 0, bottom, right])]) : x.name;
    const taps: string[] = [];
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) {
        const win = this.op('Slice', [
          padded,
          this.constInt64([a, b]),
          this.constInt64([a + (geo.oh - 1) * s + 1, b + (geo.ow - 1) * s + 1]),
          this.constInt64([2, 3]),
          this.constInt64([s, s]),
        ]);
        taps.push(perTap(win));
      }
    return taps;
  }

  /** The adjoint of a (grouped) conv with this OIHW weight: ConvTranspose, padded out to x's size. */
  private transposedConv(
    dy: string,
    weight: string,
    x: GradValue,
    k: number,
    geo: { pads: number[]; stride: number; oh: number; ow: number },
    group: number,
  ): string {
    const [top, left, bottom, right] = geo.pads;
    const s = geo.stride;
    // ConvTranspose makes s·(o − 1) + k − pads rows; a 1×1 kernel at stride 2 leaves one short.
    const outPad = [x.h - (s * (geo.oh - 1) + k - top - bottom), x.w - (s * (geo.ow - 1) + k - left - right)];
    return this.op('ConvTranspose', [dy, weight], { kernel_shape: [k, k], pads: geo.pads, strides: [s, s], output_padding: outPad, group });
  }

  /**
   * One convolution of `input` (cin channels) with the HWIO `kernel`, or with its adjoint form
   * (spatially flipped, in/out swapped: the input gradient's conv). Where both channel counts fill
   * whole blocks and the conv does not widen, it runs as ONNX Runtime's NCHWc convolution
   * (com.microsoft.nchwc): the input reordered to channel blocks, the kernel rearranged in the
   * graph to the blocked filter layout OIHWBiBo, the output reordered back. That direct kernel
   * beats im2col + GEMM on narrowing and same-width convs even with both reorders (measured on
   * this machine: 48→16 channels at 256×192, batch 8, 98 → 66 ms; 16→16, 44 → 35 ms); on widening
   * ones and at 8 channels it does not, so they stay plain. ORT's own NCHWc pass cannot do this
   * here: it only rewrites convs whose weights are constants, and a training graph's are inputs.
   */
  private convNode(
    input: string,
    kernel: string,
    bias: string | null,
    c: { k: number; cin: number; cout: number; attrs: OnnxNode['attrs']; adjoint: boolean },
  ): string {
    const { k, cin, cout, adjoint } = c;
    const b = this.nchwcBlock;
    if (b && cin % b === 0 && cout % b === 0 && cin >= cout && cin >= 2 * b) {
      // Blocked filter [O/B][I/B][kh][kw][Bi][Bo] from HWIO viewed as [kh, kw, I/B, Bi, O/B, Bo]
      // (the adjoint's O and I are the kernel's I and O, so its blocks swap roles).
      const [i, o] = adjoint ? [cout, cin] : [cin, cout];
      const src = adjoint && k > 1 ? this.flipSpatial(kernel, [0, 1]) : kernel;
      const blocked = this.op('Transpose', [this.op('Reshape', [src, this.constInt64([k, k, i / b, b, o / b, b])])], {
        perm: adjoint ? [2, 4, 0, 1, 5, 3] : [4, 2, 0, 1, 3, 5],
      });
      const filter = this.op('Reshape', [blocked, this.constInt64([cout, cin, k, k])]);
      const xb = this.nchwcOp('ReorderInput', [input], { channels_last: 0 });
      const yb = this.nchwcOp('Conv', bias ? [xb, filter, bias] : [xb, filter], c.attrs);
      return this.nchwcOp('ReorderOutput', [yb], { channels: cout, channels_last: 0 });
    }
    const oihw = this.op('Transpose', [kernel], { perm: adjoint ? [2, 3, 0, 1] : [3, 2, 0, 1] });
    const weight = adjoint && k > 1 ? this.flipSpatial(oihw, [2, 3]) : oihw;
    return this.op('Conv', bias ? [input, weight, bias] : [input, weight], c.attrs);
  }

  private flipSpatial(v: string, axes: [number, number]): string {
    return this.op('Slice', [v, this.constInt64([-1, -1]), this.constInt64([INT64_MIN, INT64_MIN]), this.constInt64(axes), this.constInt64([-1, -1])]);
  }

  private nchwcOp(opType: string, inputs: string[], attrs: OnnxNode['attrs']): string {
    return this.node(opType, inputs, attrs, 1, NCHWC_DOMAIN)[0];
  }

  /**
   * dK[a, b, i, o] = Σ_n,p x_pad[n, i, p + (a, b)·d] · dy[n, o, p]: per tap, one batched GEMM of
   * the input against dy with one of them shifted, then a sum over the batch.
   * The shift is taken on *flattened* padded images: on a grid of rows Wp = W + 2·pad long, tap
   * (a, b) is a contiguous range of each image's flat array, and zero columns cancel the positions
   * that wrap around a row end. So a tap's view is one memcpy per image and channel, not one per
   * row (the row-wise slices were over a third of a width-8 U-Net step). The shifted operand is the
   * one with fewer channels (x in the encoder, dy where a decoder conv reads a wide concatenation),
   * as its copies are most of the cost. Per-tap GEMMs instead of one over a stacked im2col tensor:
   * stacking cost a second copy of k² inputs.
   */
  private convKernelGrad(x: GradValue, dy: string, k: number, d: number, out: number): string {
    const flat = (v: string, c: number, len: number) => this.op('Reshape', [v, this.constInt64([x.n, c, len])]);
    const tapGrads = (tap: (a: number, b: number) => string): string => {
      if (k === 1) return this.reduceSum(tap(0, 0), [0], 0);
      const taps: string[] = [];
      for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) taps.push(this.op('Unsqueeze', [tap(a, b), this.constInt64([1])])); // [N, 1, I, O]
      return this.reduceSum(this.op('Concat', taps, { axis: 1 }), [0], 0); // [k·k, I, O], tap-major as HWIO
    };
    const pad = (d * (k - 1)) / 2;
    const wp = x.w + 2 * pad;
    // One row past the padding keeps the farthest tap's range (2·pad·(Wp + 1) on) inside each image (2·pad < Wp).
    const tail = pad ? 1 : 0;
    const slice = (v: string, offset: number, len: number) =>
      this.op('Slice', [v, this.constInt64([offset]), this.constInt64([offset + len]), this.constInt64([2])]);
    let grads: string;
    if (x.c <= out) {
      // Shift x: dK[a, b] = Σ_q x_pad[q + (a·Wp + b)·d] · dy_wide[q], q over H rows of Wp.
      const span = x.h * wp;
      const flatX = flat(this.op('Pad', [x.name, this.constInt64([0, 0, pad, pad, 0, 0, pad + tail, pad])]), x.c, (x.h + 2 * pad + tail) * wp);
      const dyT = this.op('Transpose', [flat(this.op('Pad', [dy, this.constInt64([0, 0, 0, 0, 0, 0, 0, 2 * pad])]), out, span)], { perm: [0, 2, 1] }); // [N, span, O]
      grads = tapGrads((a, b) => this.op('MatMul', [slice(flatX, (a * wp + b) * d, span), dyT]));
    } else {
      // Shift dy: dK[a, b] = Σ_q x_pad[q] · dy_z[q + ((k−1−a)·Wp + k−1−b)·d], q over the Hp rows of
      // x_pad, with dy_z = dy moved 2·pad rows and columns down-right on the same grid.
      const span = (x.h + 2 * pad) * wp;
      const flatX = flat(this.op('Pad', [x.name, this.constInt64([0, 0, pad, pad, 0, 0, pad, pad])]), x.c, span);
      const flatDy = flat(this.op('Pad', [dy, this.constInt64([0, 0, 2 * pad, 2 * pad, 0, 0, 2 * pad + tail, 0])]), out, (x.h + 4 * pad + tail) * wp);
      grads = tapGrads((a, b) => {
        const shifted = slice(flatDy, ((k - 1 - a) * wp + (k - 1 - b)) * d, span);
        return this.op('MatMul', [flatX, this.op('Transpose', [shifted], { perm: [0, 2, 1] })]);
      });
    }
    return this.op('Reshape', [grads, this.constInt64([k, k, x.c, out])]);
  }

  /**
   * Training-mode batch norm in few passes over the activation: the batch mean, the centred
   * input and its mean square (biased variance, as tf.moments), then y = (x − μ)·s + β with
   * s = γ/σ per channel. The backward pass reduces Σdy and Σdy·(x − μ) and forms
   * dx = s·dy + b·(x − μ) + c with per-channel b and c:
   *   dγ = Σdy·(x − μ)/σ,  dβ = Σdy,  dx = (γ/σ)·(dy − dβ/M − x̂·dγ/M).
   * The textbook form (centre, normalise, scale, shift, then the mirror image backward) made
   * about twice the passes and was a quarter of the step at small widths.
   */
  batchNorm(x: GradValue, name: string): GradValue {
    const c = x.c;
    const gamma = this.perChannel(this.param(`${name}/gamma`, [c]), c);
    const beta = this.perChannel(this.param(`${name}/beta`, [c]), c);
    this.batchNorms.push({ name, channels: c });
    const axes = { axes: [0, 2, 3], keepdims: 1 };
    const count = x.n * x.h * x.w;
    const invCount = this.constFloat([1 / count], []);
    const mean = this.op('ReduceMean', [x.name], axes);
    // Centred before squaring: E[x²] − E[x]² cancels catastrophically where the variance is
    // small next to the mean (DeepLab's image-pooling branch is constant over H and W).
    const centred = this.op('Sub', [x.name, mean]);
    const variance = this.op('Mul', [this.op('ReduceSumSquare', [centred], axes), invCount]);
    const invStd = this.op('Reciprocal', [this.op('Sqrt', [this.op('Add', [variance, this.constFloat([BN_EPSILON], [])])])]);
    const scale = this.op('Mul', [gamma, invStd]);
    const y = this.op('Add', [this.op('Mul', [centred, scale]), beta]);
    const vec = this.constInt64([c]);
    this.addOutput(this.op('Reshape', [mean, vec]), { name: batchMeanName(name), type: 'float', dims: [c] });
    this.addOutput(this.op('Reshape', [variance, vec]), { name: batchVarianceName(name), type: 'float', dims: [c] });
    return this.record({ ...x, name: y, needsGrad: true }, (dy) => {
      const dBeta = this.reduceSum(dy, [0, 2, 3], 1);
      const dGamma = this.op('Mul', [this.reduceSum(this.op('Mul', [dy, centred]), [0, 2, 3], 1), invStd]);
      this.paramGrad(`${name}/beta`, this.op('Reshape', [dBeta, vec]));
      this.paramGrad(`${name}/gamma`, this.op('Reshape', [dGamma, vec]));
      if (!x.needsGrad) return;
      // dx = s·dy + b·(x − μ) + c with b = −s·dγ/(σ·M), c = −s·dβ/M.
      const b = this.op('Neg', [this.op('Mul', [this.op('Mul', [scale, invStd]), this.op('Mul', [dGamma, invCount])])]);
      const cst = this.op('Neg', [this.op('Mul', [scale, this.op('Mul', [dBeta, invCount])])]);
      this.accumulate(x, this.op('Add', [this.op('Add', [this.op('Mul', [dy, scale]), this.op('Mul', [centred, b])]), cst]));
    });
  }

  relu(x: GradValue): GradValue {
    const y = this.op('Relu', [x.name]);
    return this.record({ ...x, name: y }, (dy) => {
      // The 0/1 mask of the pixels that passed, as clip(2¹²⁷·y, 0, 1): y ≥ 0, and every normal y > 0
      // times 2¹²⁷ is ≥ 1 (only subnormal outputs below 2⁻¹²⁷ would pass a fraction). ORT's
      // HardSigmoid is a vectorised pass where its Sign, the exact form, took 5 % of a width-8
      // U-Net step; a Where over a bool mask was slower still.
      this.accumulate(x, this.op('Mul', [dy, this.op('HardSigmoid', [y], { alpha: 2 ** 127, beta: 0 })]));
    });
  }

  /** Clip to [0, 6]; the gradient passes where 0 < x ≤ 6, TF.js' Relu6 gradient (its mask at exactly 6 included). */
  relu6(x: GradValue): GradValue {
    const y = this.op('Clip', [x.name, this.constFloat([0], []), this.constFloat([6], [])]);
    return this.record({ ...x, name: y }, (dy) => {
      const passed = this.op('And', [this.op('Greater', [x.name, this.constFloat([0], [])]), this.op('LessOrEqual', [x.name, this.constFloat([6], [])])]);
      this.accumulate(x, this.op('Mul', [dy, this.op('Cast', [passed], { to: ONNX_FLOAT })]));
    });
  }

  add(a: GradValue, b: GradValue): GradValue {
    const y = this.op('Add', [a.name, b.name]);
    return this.record({ ...a, name: y, needsGrad: a.needsGrad || b.needsGrad }, (dy) => {
      this.accumulate(a, dy);
      this.accumulate(b, dy);
    });
  }

  maxPool(x: GradValue): GradValue {
    return this.maxPoolWithIndices(x).pooled;
  }

  /** The gradient of a max-pool goes to the position its index names (first maximum on ties). */
  maxPoolWithIndices(x: GradValue): { pooled: GradValue; indices: GradValue } {
    if (x.h % 2 || x.w % 2) throw new Error(`max-pool needs even sizes, got ${x.h}x${x.w}`);
    if (this.pooling === 'window') return this.maxPoolByWindows(x);
    const [y, idx] = this.node('MaxPool', [x.name], { kernel_shape: [2, 2], strides: [2, 2] }, 2);
    const shape = { n: x.n, c: x.c, h: x.h / 2, w: x.w / 2 };
    const pooled = this.record({ ...shape, name: y, needsGrad: x.needsGrad }, (dy) => {
      this.accumulate(x, this.op('MaxUnpool', [dy, idx, this.constInt64([x.n, x.c, x.h, x.w])], { kernel_shape: [2, 2], strides: [2, 2] }));
    });
    return { pooled, indices: { ...shape, name: idx, needsGrad: false } };
  }

  /**
   * Max-pooling over explicit 2×2 windows: [N,C,H,W] → [N,C,H/2,W/2,4] (window positions in
   * row-major order, the order MaxPool's indices count in), the maximum, and a one-hot mask of the
   * first arg-max. The mask is the "indices": unpooling and every adjoint multiply by it.
   */
  private maxPoolByWindows(x: GradValue): { pooled: GradValue; indices: GradValue } {
    const shape = { n: x.n, c: x.c, h: x.h / 2, w: x.w / 2 };
    const windows = this.toWindows(x.name, shape);
    const y = this.op('ReduceMax', [windows], { axes: [4], keepdims: 0 }); // opset 13: axes are an attribute
    const first = this.op('ArgMax', [windows], { axis: 4, keepdims: 1, select_last_index: 0 });
    const mask = this.op('Cast', [this.op('Equal', [first, this.constInt64([0, 1, 2, 3])])], { to: ONNX_FLOAT });
    const pooled = this.record({ ...shape, name: y, needsGrad: x.needsGrad }, (dy) => {
      this.accumulate(x, this.fromWindows(this.op('Mul', [mask, this.op('Unsqueeze', [dy, this.constInt64([4])])]), x));
    });
    return { pooled, indices: { ...shape, name: mask, needsGrad: false } };
  }

  /** [N,C,2h,2w] → [N,C,h,w,4]: each 2×2 window's values in row-major order. */
  private toWindows(v: string, s: { n: number; c: number; h: number; w: number }): string {
    const split = this.op('Reshape', [v, this.constInt64([s.n, s.c, s.h, 2, s.w, 2])]);
    return this.op('Reshape', [this.op('Transpose', [split], { perm: [0, 1, 2, 4, 3, 5] }), this.constInt64([s.n, s.c, s.h, s.w, 4])]);
  }

  /** The inverse of `toWindows`. */
  private fromWindows(v: string, full: { n: number; c: number; h: number; w: number }): string {
    const split = this.op('Reshape', [v, this.constInt64([full.n, full.c, full.h / 2, full.w / 2, 2, 2])]);
    return this.op('Reshape', [this.op('Transpose', [split], { perm: [0, 1, 2, 4, 3, 5] }), this.constInt64([full.n, full.c, full.h, full.w])]);
  }

  /** Unpooling scatters by the indices, so its adjoint gathers by them (they index the flat NCHW tensor). */
  maxUnpool(x: GradValue, indices: GradValue): GradValue {
    const out = { n: x.n, c: x.c, h: x.h * 2, w: x.w * 2 };
    if (this.pooling === 'window') {
      // Scatter = place each value at its window's maximum; gather = sum the window under the mask.
      const y = this.fromWindows(this.op('Mul', [indices.name, this.op('Unsqueeze', [x.name, this.constInt64([4])])]), out);
      return this.record({ ...out, name: y, needsGrad: x.needsGrad }, (dy) => {
        this.accumulate(x, this.op('ReduceSum', [this.op('Mul', [indices.name, this.toWindows(dy, x)]), this.constInt64([4])], { keepdims: 0 }));
      });
    }
    const y = this.op('MaxUnpool', [x.name, indices.name, this.constInt64([out.n, out.c, out.h, out.w])], { kernel_shape: [2, 2], strides: [2, 2] });
    return this.record({ ...out, name: y, needsGrad: x.needsGrad }, (dy) => {
      this.accumulate(x, this.op('Gather', [this.op('Reshape', [dy, this.constInt64([-1])]), indices.name], { axis: 0 }));
    });
  }

  concat(xs: GradValue[]): GradValue {
    const c = xs.reduce((s, x) => s + x.c, 0);
    const y = this.op(
      'Concat',
      xs.map((x) => x.name),
      { axis: 1 },
    );
    return this.record({ ...xs[0], c, name: y, needsGrad: xs.some((x) => x.needsGrad) }, (dy) => {
      const parts = this.node('Split', [dy, this.constInt64(xs.map((x) => x.c))], { axis: 1 }, xs.length);
      xs.forEach((x, i) => this.accumulate(x, parts[i]));
    });
  }

  /**
   * Bilinear resize with half-pixel centres is y = R_h · x · R_wᵀ per channel, with R the
   * interpolation matrices (borders clamped), so its exact adjoint is dx = R_hᵀ · dy · R_w.
   * The forward runs as the same two GEMMs (faster than Resize on NCHW here, and the adjoint is
   * then the transpose of exactly what ran); it equals ONNX Resize and TF.js to float rounding.
   */
  resizeLike(x: GradValue, like: GradValue): GradValue {
    if (x.h === like.h && x.w === like.w) return x;
    const key = `resize[${x.h}x${x.w}->${like.h}x${like.w}]`;
    const rwT = this.constFloat(transpose(bilinearMatrix(x.w, like.w), like.w, x.w), [x.w, like.w], `${key}:RwT`);
    const rh = this.constFloat(bilinearMatrix(x.h, like.h), [like.h, x.h], `${key}:Rh`);
    const y = this.op('MatMul', [rh, this.op('MatMul', [x.name, rwT])]);
    return this.record({ ...x, h: like.h, w: like.w, name: y }, (dy) => {
      const rw = this.constFloat(this.resizeAdjointMatrix(x.w, like.w), [like.w, x.w], `${key}:Rw`);
      const rhT = this.constFloat(transpose(this.resizeAdjointMatrix(x.h, like.h), like.h, x.h), [x.h, like.h], `${key}:RhT`);
      this.accumulate(x, this.op('MatMul', [rhT, this.op('MatMul', [dy, rw])]));
    });
  }

  /** The interpolation matrix [out, in] of one axis; a method so a test can substitute a wrong one. */
  protected resizeAdjointMatrix(inSize: number, outSize: number): Float32Array {
    return bilinearMatrix(inSize, outSize);
  }

  imagePool(x: GradValue, like: GradValue): GradValue {
    const gap = this.op('GlobalAveragePool', [x.name]);
    const y = this.op('Expand', [gap, this.constInt64([like.n, x.c, like.h, like.w])]);
    return this.record({ ...x, h: like.h, w: like.w, name: y }, (dy) => {
      const mean = this.op('Mul', [this.reduceSum(dy, [2, 3], 1), this.constFloat([1 / (x.h * x.w)], [])]);
      this.accumulate(x, this.op('Expand', [mean, this.constInt64([x.n, x.c, x.h, x.w])]));
    });
  }

  channels(x: GradValue): number {
    return x.c;
  }

  // ---- loss and backward ----------------------------------------------------------------

  /**
   * Class-weighted softmax cross-entropy from logits, normalised by the summed weights of the
   * counted pixels (server/training/loss.ts): loss = Σ w_p·(log Σ_k e^{z_pk} − z_{p,y_p}) / max(Σ w_p, 1e-6),
   * with w_p = weight[y_p] and 0 where y_p = `ignoreIndex`. Returns the loss and dLoss/dlogits
   * = (softmax − onehot)·w_p / Σw, written directly rather than differentiated op by op, and in
   * few passes over the [N, C, H, W] logits: max, shifted exponent, sum, one scaled product, and
   * a scatter that subtracts the target's share (no one-hot tensor, no log-softmax tensor).
   */
  /**
   * `mining`: online hard-pixel mining (server/training/loss.ts `hardPixelMask`): only pixels
   * whose loss is at least min(`cut`, the `minKept`-th largest loss) count. The selection is a
   * constant of the step, so the gradient is the plain one restricted to the kept pixels.
   */
  /**
   * `lovaszWeight`: adds that many times the Lovász-softmax term (`lovasz`) to the loss and its
   * gradient to dLogits.
   */
  crossEntropy(
    logits: GradValue,
    labels: string,
    classWeights: string,
    ignoreIndex: number,
    mining?: { cut: number; minKept: number },
    lovaszWeight?: number,
  ): { loss: string; dLogits: string } {
    const classAxis = { axes: [1], keepdims: 1 };
    const label = this.op('Cast', [this.op('Unsqueeze', [labels, this.constInt64([1])])], { to: 7 /* INT64 */ }); // [N, 1, H, W]
    const valid = this.op('Not', [this.op('Equal', [label, this.constInt64([ignoreIndex], [])])]);
    const safe = this.op('Where', [valid, label, this.constInt64([0], [])]);
    const shifted = this.op('Sub', [logits.name, this.op('ReduceMax', [logits.name], classAxis)]);
    const exp = this.op('Exp', [shifted]);
    const sumExp = this.op('ReduceSum', [exp, this.constInt64([1])], { keepdims: 1 });
    const atTarget = this.op('GatherElements', [shifted, safe], { axis: 1 });
    const nll = this.op('Sub', [this.op('Log', [sumExp]), atTarget]);
    let counted = valid;
    if (mining) {
      const ranked = this.op('Where', [valid, nll, this.constFloat([-1], [])]);
      const [top] = this.node('TopK', [this.op('Reshape', [ranked, this.constInt64([-1])]), this.constInt64([mining.minKept])], { largest: 1, sorted: 1 }, 2);
      const kth = this.op('Slice', [top, this.constInt64([mining.minKept - 1]), this.constInt64([mining.minKept]), this.constInt64([0])]);
      const cut = this.op('Min', [this.op('Squeeze', [kth, this.constInt64([0])]), this.constFloat([mining.cut], [])]);
      counted = this.op('And', [valid, this.op('GreaterOrEqual', [ranked, cut])]);
    }
    const pixelWeight = this.op('Mul', [this.op('Gather', [classWeights, safe], { axis: 0 }), this.op('Cast', [counted], { to: 1 /* FLOAT */ })]);
    const total = this.op('Max', [this.op('ReduceSum', [pixelWeight], { keepdims: 0 }), this.constFloat([1e-6], [])]);
    const loss = this.op('Div', [this.op('ReduceSum', [this.op('Mul', [nll, pixelWeight])], { keepdims: 0 }), total]);
    const scale = this.op('Div', [pixelWeight, total]);
    const softmaxScaled = this.op('Mul', [exp, this.op('Div', [scale, sumExp])]);
    const targetShare = this.op('Mul', [this.op('Sub', [this.op('Div', [this.op('Exp', [atTarget]), sumExp]), this.constFloat([1], [])]), scale]);
    const dLogits = this.op('ScatterElements', [softmaxScaled, safe, targetShare], { axis: 1 });
    if (!lovaszWeight) return { loss, dLogits };
    const lovasz = this.lovasz(logits, this.op('Div', [exp, sumExp]), safe, valid);
    const weight = this.constFloat([lovaszWeight], []);
    return {
      loss: this.op('Add', [loss, this.op('Mul', [lovasz.loss, weight])]),
      dLogits: this.op('Add', [dLogits, this.op('Mul', [lovasz.dLogits, weight])]),
    };
  }

  /**
   * Lovász-softmax over the batch (server/training/loss.ts `lovaszSoftmax`, the reference): per
   * class, over all P = N·H·W pixels at once, the errors |fg − p| sorted by TopK (k = P; ignored
   * pixels ranked −1, so they sort last and count nothing), the Jaccard increments from two
   * CumSums of the sorted foreground, the mean over the classes present. Its gradient: the
   * increments scattered back to their pixels, times ∂e/∂p = 1 − 2·fg, through softmax as
   * p ⊙ (dp − Σ_k p_k dp_k). `safe`: labels [N, 1, H, W] with ignored ones at 0; `valid`: the mask.
   */
  lovasz(logits: GradValue, probs: string, safe: string, valid: string): { loss: string; dLogits: string } {
    const { n, c, h, w } = logits;
    const p = n * h * w;
    const perClass = this.op('Reshape', [this.node('Transpose', [probs], { perm: [1, 0, 2, 3] })[0], this.constInt64([c, p])]); // [C, P]
    const label = this.op('Reshape', [safe, this.constInt64([1, p])]);
    const counted = this.op('Reshape', [valid, this.constInt64([1, p])]);
    const classIds = this.constInt64(
      Array.from({ length: c }, (_, k) => k),
      [c, 1],
    );
    const fg = this.op('Cast', [this.op('And', [this.op('Equal', [label, classIds]), counted])], { to: 1 /* FLOAT */ }); // [C, P]
    const ranked = this.op('Where', [counted, this.op('Abs', [this.op('Sub', [fg, perClass])]), this.constFloat([-1], [])]);
    const [sorted, order] = this.node('TopK', [ranked, this.constInt64([p])], { axis: 1, largest: 1, sorted: 1 }, 2);
    const fgSorted = this.op('GatherElements', [fg, order], { axis: 1 });
    const one = this.constFloat([1], []);
    const axis = this.constInt64([1], []);
    const gts = this.op('ReduceSum', [fg, this.constInt64([1])], { keepdims: 1 }); // [C, 1]
    const intersection = this.op('Sub', [gts, this.op('CumSum', [fgSorted, axis])]);
    const union = this.op('Add', [gts, this.op('CumSum', [this.op('Sub', [one, fgSorted]), axis])]); // ≥ 1 everywhere
    const jaccard = this.op('Sub', [one, this.op('Div', [intersection, union])]);
    const before = this.op(
      'Concat',
      [this.op('Mul', [gts, this.constFloat([0], [])]), this.op('Slice', [jaccard, this.constInt64([0]), this.constInt64([p - 1]), this.constInt64([1])])],
      { axis: 1 },
    );
    const present = this.op('Cast', [this.op('Greater', [gts, this.constFloat([0], [])])], { to: 1 /* FLOAT */ });
    const classShare = this.op('Div', [present, this.op('Max', [this.op('ReduceSum', [present], { keepdims: 0 }), one])]);
    const countedSorted = this.op('Cast', [this.op('GreaterOrEqual', [sorted, this.constFloat([0], [])])], { to: 1 /* FLOAT */ });
    const slope = this.op('Mul', [this.op('Mul', [this.op('Sub', [jaccard, before]), countedSorted]), classShare]); // [C, P], sorted order
    const loss = this.op('ReduceSum', [this.op('Mul', [slope, sorted])], { keepdims: 0 });
    const dErr = this.op('ScatterElements', [this.op('Mul', [fg, this.constFloat([0], [])]), order, slope], { axis: 1 });
    const dPerClass = this.op('Mul', [dErr, this.op('Sub', [one, this.op('Add', [fg, fg])])]);
    const dProbs = this.node('Transpose', [this.op('Reshape', [dPerClass, this.constInt64([c, n, h, w])])], { perm: [1, 0, 2, 3] })[0];
    const dLogits = this.op('Mul', [
      probs,
      this.op('Sub', [dProbs, this.op('ReduceSum', [this.op('Mul', [probs, dProbs]), this.constInt64([1])], { keepdims: 1 })]),
    ]);
    return { loss, dLogits };
  }

  /** Walks the tape from the loss's gradient at `logits`; names every parameter's gradient as an output. */
  backward(logits: GradValue, dLogits: string): void {
    this.accumulate(logits, dLogits);
    for (let i = this.tape.length - 1; i >= 0; i--) {
      const { out, backward } = this.tape[i];
      const grads = this.pending.get(out);
      if (!grads) continue;
      this.pending.delete(out);
      backward(grads.length === 1 ? grads[0] : this.op('Sum', grads));
    }
    for (const name of this.paramNames) {
      const g = this.paramGrads.get(name);
      if (!g) throw new Error(`training graph: no gradient reaches ${name}`);
      this.addOutput(g, { name: gradName(name), type: 'float', dims: [...this.shapes.get(name)!] });
    }
  }
}

function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
  return t;
}
