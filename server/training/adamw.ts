interface AdamWOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** A parameter's learning rate as a multiple of the step's (e.g. a pretrained encoder's 0.25); 1 for all when absent. */
  lrScale?: (name: string) => number;
}

const DEFAULT_ADAMW: AdamWOptions = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-4 };

/**
 * AdamW (Loshchilov & Hutter 2019): Adam with DECOUPLED weight decay, w ← w − lr·(m̂/(√v̂+ε) + λ·w).
 * Decay applies to conv kernels only (not biases or batch-norm parameters). The learning rate
 * is passed per step (cosine schedule). Works on plain Float32Arrays so that every training
 * engine (TF.js or ONNX Runtime) runs the same optimiser and saves the same state.
 */
export class AdamW {
  step = 0;
  readonly m = new Map<string, Float32Array>();
  readonly v = new Map<string, Float32Array>();

  constructor(readonly opts: AdamWOptions = DEFAULT_ADAMW) {}

  /** One step over every parameter that has a gradient; updates `params` in place. */
  apply(params: ReadonlyMap<string, Float32Array>, grads: ReadonlyMap<string, Float32Array>, stepLr: number): void {
    this.step++;
    const { beta1, beta2, epsilon, weightDecay, lrScale } = this.opts;
    const c1 = 1 - beta1 ** this.step;
    const c2 = 1 - beta2 ** this.step;
    for (const [name, g] of grads) {
      const lr = stepLr * (lrScale?.(name) ?? 1);
      const w = params.get(name);
      if (!w) throw new Error(`AdamW: gradient for unknown parameter ${name}`);
      if (g.length !== w.length) throw new Error(`AdamW: gradient of ${name} has ${g.length} values, the parameter ${w.length}`);
      const m = this.slot(this.m, name, w.length);
      const v = this.slot(this.v, name, w.length);
      const keep = name.endsWith('/kernel') ? 1 - lr * weightDecay : 1;
      for (let i = 0; i < w.length; i++) {
        m[i] = m[i] * beta1 + g[i] * (1 - beta1);
        v[i] = v[i] * beta2 + g[i] * g[i] * (1 - beta2);
        w[i] = w[i] * keep - lr * (m[i] / c1 / (Math.sqrt(v[i] / c2) + epsilon));
      }
    }
  }

  private slot(store: Map<string, Float32Array>, name: string, size: number): Float32Array {
    let s = store.get(name);
    if (!s) {
      s = new Float32Array(size);
      store.set(name, s);
    }
    return s;
  }
}

/** Linear warm-up, then cosine decay to `minLr` at the last step. */
export function cosineLr(step: number, totalSteps: number, maxLr: number, warmupSteps: number, minLr = 0): number {
  if (step < warmupSteps) return (maxLr * (step + 1)) / warmupSteps;
  const t = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
  return minLr + 0.5 * (maxLr - minLr) * (1 + Math.cos(Math.PI * t));
}
