import * as tf from '@tensorflow/tfjs';

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

export const DEFAULT_ADAMW: AdamWOptions = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-4 };

/**
 * AdamW (Loshchilov & Hutter 2019): Adam with DECOUPLED weight decay, w ← w − lr·(m̂/(√v̂+ε) + λ·w).
 * TF.js ships only L2-coupled Adam. Decay applies to conv kernels only (not biases or
 * batch-norm parameters). The learning rate is passed per step (cosine schedule).
 */
export class AdamW {
  step = 0;
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();

  constructor(readonly opts: AdamWOptions = DEFAULT_ADAMW) {}

  apply(vars: Map<string, tf.Variable>, grads: Record<string, tf.Tensor>, lr: number): void {
    this.step++;
    const { beta1, beta2, epsilon, weightDecay } = this.opts;
    const c1 = 1 - beta1 ** this.step;
    const c2 = 1 - beta2 ** this.step;
    tf.tidy(() => {
      for (const [name, w] of vars) {
        const g = grads[w.name];
        if (!g) continue;
        const m = this.slot(this.m, name, w);
        const v = this.slot(this.v, name, w);
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), epsilon));
        const decay = name.endsWith('/kernel') ? weightDecay : 0;
        w.assign(tf.sub(decay ? tf.mul(w, 1 - lr * decay) : w, tf.mul(update, lr)));
      }
    });
  }

  private slot(store: Map<string, tf.Variable>, name: string, like: tf.Variable): tf.Variable {
    let s = store.get(name);
    if (!s) {
      s = tf.variable(tf.zerosLike(like), false);
      store.set(name, s);
    }
    return s;
  }

  dispose(): void {
    for (const s of [...this.m.values(), ...this.v.values()]) s.dispose();
    this.m.clear();
    this.v.clear();
  }
}

/** Linear warm-up, then cosine decay to `minLr` at the last step. */
export function cosineLr(step: number, totalSteps: number, maxLr: number, warmupSteps: number, minLr = 0): number {
  if (step < warmupSteps) return (maxLr * (step + 1)) / warmupSteps;
  const t = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
  return minLr + 0.5 * (maxLr - minLr) * (1 + Math.cos(Math.PI * t));
}
