/**
 * The architectures are written once against this small set of operations and run
 * by two interpreters: `TfOps` (TensorFlow.js tensors, for training and inference) and
 * `OnnxOps` (emits an ONNX graph from the same weights). One definition, so the
 * exported graph cannot drift from the trained one.
 *
 * Tensors are NHWC in TF.js and NCHW in ONNX; the interpreters hide that.
 */
export interface Ops<T, I = unknown> {
  /** 'same'-padded k×k convolution, stride 1, optional dilation (atrous). */
  conv(x: T, name: string, outChannels: number, opts?: ConvOptions): T;
  batchNorm(x: T, name: string): T;
  relu(x: T): T;
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
}

/** conv → batch norm → ReLU, the building block of all three networks. */
export function convBnRelu<T, I>(ops: Ops<T, I>, x: T, name: string, channels: number, opts: Omit<ConvOptions, 'bias'> = {}): T {
  return ops.relu(ops.batchNorm(ops.conv(x, `${name}.conv`, channels, { ...opts, bias: false }), `${name}.bn`));
}
