/**
 * The architectures are written once against this small set of operations and run
 * by four interpreters: `TfOps` (TensorFlow.js tensors: the reference, training and
 * inference), `OnnxOps` (emits the inference ONNX graph from the same weights),
 * `OrtTrainOps` (emits the ONNX Runtime training graph with its gradients) and `ShapeOps`
 * (shapes and FLOPs, no data). One definition, so no engine can drift from another.
 *
 * Tensors are NHWC in TF.js and NCHW in ONNX; the interpreters hide that.
 */
export interface Ops<T, I = unknown> {
  /** 'same'-padded k×k convolution, stride 1 or 2 (see `samePadding`), optional dilation (atrous) at stride 1. */
  conv(x: T, name: string, outChannels: number, opts?: ConvOptions): T;
  /**
   * 'same'-padded k×k depthwise convolution (a grouped conv with one group per channel, depth
   * multiplier 1, no bias): kernel `${name}/depthwise_kernel` [k, k, C, 1], Keras' layout.
   */
  depthwiseConv(x: T, name: string, opts?: DepthwiseOptions): T;
  batchNorm(x: T, name: string): T;
  relu(x: T): T;
  /** min(max(x, 0), 6), MobileNet's activation. */
  relu6(x: T): T;
  /** Element-wise sum of two values of one shape (residual connections). */
  add(a: T, b: T): T;
  /** 2×2 max-pool, stride 2. */
  maxPool(x: T): T;
  /** 2×2 max-pool that also returns where each maximum came from (first maximum wins on ties). */
  maxPoolWithIndices(x: T): { pooled: T; indices: I };
  /** Places each value at its pooling index, zeros elsewhere (SegNet's decoder). */
  maxUnpool(x: T, indices: I): T;
  /** Concatenates along channels. */
  concat(xs: T[]): T;
  /** Bilinear resize (half-pixel centres) to the spatial size of `like`. */
  resizeLike(x: T, like: T): T;
  /** Global average pool, then broadcast back to the spatial size of `like`. */
  imagePool(x: T, like: T): T;
  channels(x: T): number;
}

export interface ConvOptions {
  kernel?: number;
  dilation?: number;
  /** Convs followed by batch norm carry no bias. */
  bias?: boolean;
  /** 1 (default) or 2; a stride-2 conv takes no dilation. */
  stride?: Stride;
}

export type Stride = 1 | 2;

export interface DepthwiseOptions {
  kernel?: number;
  stride?: Stride;
}

/**
 * Zero padding [before, after] of one spatial axis for a 'same' conv, TensorFlow's rule:
 * total = max((⌈size/stride⌉ − 1)·stride + span − size, 0), the odd one after. At stride 2 on an
 * even size a 3×3 kernel pads only bottom/right by 1: what Keras' MobileNetV2 does with its
 * explicit ZeroPadding2D((0, 1), (0, 1)) before a 'valid' conv. Odd sizes are refused at stride 2
 * (Keras pads them differently from TensorFlow), so every interpreter agrees on every input.
 */
export function samePadding(size: number, kernel: number, stride: Stride, dilation = 1): [number, number] {
  if (stride === 2 && size % 2) throw new Error(`a stride-2 conv needs an even size, got ${size}`);
  const span = dilation * (kernel - 1) + 1;
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + span - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** conv → batch norm → ReLU, the building block of all three networks. */
export function convBnRelu<T, I>(ops: Ops<T, I>, x: T, name: string, channels: number, opts: Omit<ConvOptions, 'bias'> = {}): T {
  return ops.relu(ops.batchNorm(ops.conv(x, `${name}.conv`, channels, { ...opts, bias: false }), `${name}.bn`));
}
