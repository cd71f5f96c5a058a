import * as tf from '@tensorflow/tfjs';
import { bilinearTaps } from '../../models/bilinear.ts';

let registered = false;

/**
 * TF.js 4.22's ResizeBilinearGrad on the cpu and wasm backends ignores `halfPixelCenters`: it
 * returns the adjoint of the legacy (corner-aligned-origin) resize, not of the resize the
 * forward pass computed. U-Net and DeepLabV3+ upsample with half-pixel centres, so their
 * gradients were off by up to the whole value at every decoder stage. This kernel is the
 * exact adjoint: each output gradient goes back to the two taps per axis it was read from.
 */
export function registerResizeBilinearGrad(backends: readonly string[]): void {
  if (registered) return;
  registered = true;
  for (const backendName of backends) {
    const original = tf.getKernel('ResizeBilinearGrad', backendName);
    if (original) tf.unregisterKernel('ResizeBilinearGrad', backendName);
    tf.registerKernel({
      kernelName: 'ResizeBilinearGrad',
      backendName,
      kernelFunc: ({ inputs, attrs, backend: anyBackend }) => {
        const backend = anyBackend as tf.KernelBackend;
        const { images, dy } = inputs as unknown as { images: tf.TensorInfo; dy: tf.TensorInfo };
        const { alignCorners, halfPixelCenters } = attrs as unknown as { alignCorners: boolean; halfPixelCenters: boolean };
        if (alignCorners || !halfPixelCenters) {
          if (!original) throw new Error(`ResizeBilinearGrad (${backendName}): only half-pixel centres are supported`);
          return original.kernelFunc({ inputs, attrs, backend: anyBackend });
        }
        const [n, h, w, c] = images.shape;
        const [, oh, ow] = dy.shape;
        const grad = backend.readSync(dy.dataId) as Float32Array;
        const dx = resizeBilinearAdjointNhwc(grad, n, h, w, c, oh, ow);
        return { dataId: backend.write(dx, images.shape, 'float32'), shape: images.shape, dtype: 'float32' } as tf.TensorInfo;
      },
    });
  }
}

/** dx[n, i, j, c] = Σ over outputs (y, x) reading (i, j) of their weight · dy[n, y, x, c]. */
function resizeBilinearAdjointNhwc(dy: Float32Array, n: number, h: number, w: number, c: number, oh: number, ow: number): Float32Array {
  const ty = bilinearTaps(h, oh);
  const tx = bilinearTaps(w, ow);
  const dx = new Float32Array(n * h * w * c);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      const rows = [ty.i0[y], ty.i1[y]];
      const wy = [ty.w0[y], ty.w1[y]];
      for (let x = 0; x < ow; x++) {
        const cols = [tx.i0[x], tx.i1[x]];
        const wx = [tx.w0[x], tx.w1[x]];
        const src = ((b * oh + y) * ow + x) * c;
        for (let r = 0; r < 2; r++) {
          for (let q = 0; q < 2; q++) {
            const weight = wy[r] * wx[q];
            if (weight === 0) continue;
            const dst = ((b * h + rows[r]) * w + cols[q]) * c;
            for (let k = 0; k < c; k++) dx[dst + k] += weight * dy[src + k];
          }
        }
      }
    }
  }
  return dx;
}
