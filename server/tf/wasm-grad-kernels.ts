import * as tf from '@tensorflow/tfjs';

type Pad = 'same' | 'valid' | number;
type Strides = number | [number, number];
let registered = false;

/**
 * Gradient kernels for the wasm backend of TF.js 4.22.
 *
 * - Conv2DBackpropFilter is missing there, so `fit` on a conv net fails.
 * - Conv2DBackpropInput exists but is a scalar loop, about 10x slower than the forward
 *   convolution.
 *
 * Both are re-expressed through the forward Conv2D kernel (XNNPACK) where the algebra
 * allows (stride 1, dilation 1), and through per-tap batched matmuls otherwise:
 *   dW[i,j,:,:] = Σ_{n,y,x} X_pad[n, y·s+i, x·s+j, :]ᵀ · dY[n, y, x, :]
 *              = conv2d(X_padᵀ (batch↔channel), dYᵀ as the filter)      (s = 1)
 *   dX         = conv2d(pad(dY, k−1−p), W rotated 180° with in/out swapped)  (s = 1)
 *
 * - DepthwiseConv2dNativeBackpropFilter / BackpropInput are missing too (MobileNet's depthwise
 *   convs). Per channel they are the same algebra without the channel sums:
 *   dW[i,j,c] = Σ_{n,y,x} X_pad[n, y·s+i, x·s+j, c] · dY[n, y, x, c]   (one product per tap)
 *   dX        = depthwise(pad(dY with s−1 zeros between its rows/cols, k−1−p), W rotated 180°)
 */
export function registerWasmGradientKernels(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) => {
      const { x, dy } = inputs as unknown as { x: tf.Tensor4D; dy: tf.Tensor4D };
      const a = attrs as unknown as { strides: Strides; pad: Pad; dataFormat: string; filterShape: [number, number, number, number] };
      if (a.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter (wasm): NCHW is not supported');
      return conv2dBackpropFilter(x, dy, a.filterShape, a.strides, a.pad) as unknown as tf.TensorInfo;
    },
  });
  tf.registerKernel({
    kernelName: 'DepthwiseConv2dNativeBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) => {
      const { x, dy } = inputs as unknown as { x: tf.Tensor4D; dy: tf.Tensor4D };
      const a = attrs as unknown as DepthwiseAttrs & { filterShape: [number, number, number, number] };
      checkDepthwise(a, a.filterShape);
      return depthwiseBackpropFilter(x, dy, a.filterShape, a.strides, a.pad) as unknown as tf.TensorInfo;
    },
  });
  tf.registerKernel({
    kernelName: 'DepthwiseConv2dNativeBackpropInput',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) => {
      const { dy, filter } = inputs as unknown as { dy: tf.Tensor4D; filter: tf.Tensor4D };
      const a = attrs as unknown as DepthwiseAttrs & { inputShape: [number, number, number, number] };
      checkDepthwise(a, filter.shape);
      return depthwiseBackpropInput(dy, filter, a.inputShape, a.strides, a.pad) as unknown as tf.TensorInfo;
    },
  });
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (!original) return;
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: (args) => {
      const { dy, filter } = args.inputs as unknown as { dy: tf.Tensor4D; filter: tf.Tensor4D };
      const a = args.attrs as unknown as { strides: Strides; pad: Pad; dataFormat: string; inputShape: [number, number, number, number] };
      const [sh, sw] = pair(a.strides);
      if (sh !== 1 || sw !== 1 || a.dataFormat === 'NCHW' || !(dy instanceof tf.Tensor)) return original.kernelFunc(args);
      return conv2dBackpropInputStride1(dy, filter, a.inputShape, a.pad) as unknown as tf.TensorInfo;
    },
  });
}

interface DepthwiseAttrs {
  strides: Strides;
  pad: Pad;
  dilations?: Strides;
  dataFormat?: string;
}

function checkDepthwise(a: DepthwiseAttrs, filterShape: readonly number[]): void {
  const [dh, dw] = pair(a.dilations ?? 1);
  if (dh !== 1 || dw !== 1) throw new Error('depthwise conv gradient (wasm): dilation is not supported');
  if (a.dataFormat === 'NCHW') throw new Error('depthwise conv gradient (wasm): NCHW is not supported');
  if (filterShape[3] !== 1) throw new Error('depthwise conv gradient (wasm): only depth multiplier 1 is supported');
}

function pair(s: Strides): [number, number] {
  return typeof s === 'number' ? [s, s] : s;
}

/** Forward padding of a conv: [top, bottom, left, right]. */
function forwardPadding(h: number, w: number, kh: number, kw: number, sh: number, sw: number, oh: number, ow: number, pad: Pad) {
  let top = 0;
  let left = 0;
  if (pad === 'same') {
    top = Math.floor(Math.max((oh - 1) * sh + kh - h, 0) / 2);
    left = Math.floor(Math.max((ow - 1) * sw + kw - w, 0) / 2);
  } else if (typeof pad === 'number') {
    top = pad;
    left = pad;
  }
  const bottom = Math.max((oh - 1) * sh + kh - h - top, 0);
  const right = Math.max((ow - 1) * sw + kw - w - left, 0);
  return { top, bottom, left, right };
}

function conv2dBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], strides: Strides, pad: Pad): tf.Tensor4D {
  const [kh, kw, ci, co] = filterShape;
  const [sh, sw] = pair(strides);
  const [n, h, w] = x.shape;
  const [, oh, ow] = dy.shape;
  return tf.tidy(() => {
    const p = forwardPadding(h, w, kh, kw, sh, sw, oh, ow, pad);
    // Crop what the forward conv never read (a 'valid' conv may leave a margin).
    const usedH = (oh - 1) * sh + kh - p.top - p.bottom;
    const usedW = (ow - 1) * sw + kw - p.left - p.right;
    const xc = usedH < h || usedW < w ? tf.slice(x, [0, 0, 0, 0], [n, Math.min(h, usedH), Math.min(w, usedW), ci]) : x;
    const xp =
      p.top || p.bottom || p.left || p.right
        ? tf.pad(xc, [
            [0, 0],
            [p.top, p.bottom],
            [p.left, p.right],
            [0, 0],
          ])
        : xc;
    if (sh === 1 && sw === 1) {
      const xt = tf.transpose(xp, [3, 1, 2, 0]) as tf.Tensor4D; // [ci, H, W, n]
      const ft = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [oh, ow, n, co]
      return tf.transpose(tf.conv2d(xt, ft, 1, 'valid'), [1, 2, 0, 3]) as tf.Tensor4D;
    }
    const m = n * oh * ow;
    const dy2 = dy.reshape([m, co]);
    const taps: tf.Tensor2D[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const win = tf.stridedSlice(xp, [0, i, j, 0], [n, i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1, ci], [1, sh, sw, 1]);
        taps.push(tf.matMul(win.reshape([m, ci]), dy2, true, false));
      }
    }
    return tf.stack(taps).reshape([kh, kw, ci, co]) as tf.Tensor4D;
  });
}

function conv2dBackpropInputStride1(dy: tf.Tensor4D, filter: tf.Tensor4D, inputShape: [number, number, number, number], pad: Pad): tf.Tensor4D {
  const [kh, kw] = filter.shape;
  const [, h, w] = inputShape;
  const [, oh, ow] = dy.shape;
  return tf.tidy(() => {
    const p = forwardPadding(h, w, kh, kw, 1, 1, oh, ow, pad);
    const rot = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    const padded = tf.pad(dy, [
      [0, 0],
      [kh - 1 - p.top, kh - 1 - p.bottom],
      [kw - 1 - p.left, kw - 1 - p.right],
      [0, 0],
    ]);
    const full = tf.conv2d(padded, rot, 1, 'valid'); // [n, oh + kh - 1 - ..., ...]
    const [, fh, fw] = full.shape;
    // A 'valid' forward conv may not have read the last rows/cols: their gradient is 0.
    if (fh === h && fw === w) return full;
    return tf.pad(full, [
      [0, 0],
      [0, h - fh],
      [0, w - fw],
      [0, 0],
    ]) as tf.Tensor4D;
  });
}

function depthwiseBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], strides: Strides, pad: Pad): tf.Tensor4D {
  const [kh, kw, c] = filterShape;
  const [sh, sw] = pair(strides);
  const [n, h, w] = x.shape;
  const [, oh, ow] = dy.shape;
  return tf.tidy(() => {
    const p = forwardPadding(h, w, kh, kw, sh, sw, oh, ow, pad);
    const usedH = (oh - 1) * sh + kh - p.top - p.bottom;
    const usedW = (ow - 1) * sw + kw - p.left - p.right;
    const xc = usedH < h || usedW < w ? tf.slice(x, [0, 0, 0, 0], [n, Math.min(h, usedH), Math.min(w, usedW), c]) : x;
    const xp = tf.pad(xc, [
      [0, 0],
      [p.top, p.bottom],
      [p.left, p.right],
      [0, 0],
    ]);
    const taps: tf.Tensor1D[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const win = tf.stridedSlice(xp, [0, i, j, 0], [n, i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1, c], [1, sh, sw, 1]);
        taps.push(tf.sum(tf.mul(win, dy), [0, 1, 2]));
      }
    }
    return tf.stack(taps).reshape([kh, kw, c, 1]) as tf.Tensor4D;
  });
}

function depthwiseBackpropInput(dy: tf.Tensor4D, filter: tf.Tensor4D, inputShape: [number, number, number, number], strides: Strides, pad: Pad): tf.Tensor4D {
  const [kh, kw] = filter.shape;
  const [n, h, w, c] = inputShape;
  const [sh, sw] = pair(strides);
  const [, oh, ow] = dy.shape;
  return tf.tidy(() => {
    const p = forwardPadding(h, w, kh, kw, sh, sw, oh, ow, pad);
    // dY with stride − 1 zeros between neighbours: then the adjoint is a stride-1 correlation.
    const spread =
      sh === 1 && sw === 1
        ? dy
        : tf.slice(
            tf
              .pad(tf.reshape(dy, [n, oh, 1, ow, 1, c]), [
                [0, 0],
                [0, 0],
                [0, sh - 1],
                [0, 0],
                [0, sw - 1],
                [0, 0],
              ])
              .reshape([n, oh * sh, ow * sw, c]),
            [0, 0, 0, 0],
            [n, (oh - 1) * sh + 1, (ow - 1) * sw + 1, c],
          );
    const padded = tf.pad(spread, [
      [0, 0],
      [kh - 1 - p.top, kh - 1],
      [kw - 1 - p.left, kw - 1],
      [0, 0],
    ]);
    const full = tf.depthwiseConv2d(padded as tf.Tensor4D, tf.reverse(filter, [0, 1]) as tf.Tensor4D, 1, 'valid');
    // Rows the forward conv never read (a 'valid' margin) get no gradient; those past the input are dropped.
    const [, fh, fw] = full.shape;
    const kept = tf.slice(full, [0, 0, 0, 0], [n, Math.min(fh, h), Math.min(fw, w), c]);
    return tf.pad(kept, [
      [0, 0],
      [0, h - kept.shape[1]],
      [0, w - kept.shape[2]],
      [0, 0],
    ]) as tf.Tensor4D;
  });
}
