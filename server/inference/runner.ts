/** What produced a number: shown next to every latency and stored with every run. */
export type BackendName = 'onnxruntime-cpu' | 'tfjs-node-gpu' | 'tfjs-node' | 'tfjs-wasm' | 'tfjs-cpu';

export interface RunnerOutput {
  /** Class ids [n, outH, outW]. */
  labels: Uint8Array;
  /** Softmax probabilities [n, C, H, W] at the model's input size, when asked for. */
  probabilities?: Float32Array;
}

/**
 * One loaded network on one backend. `run` takes normalised NHWC images at the model's input
 * size and owns them from then on (a threaded runner moves their buffer to its thread).
 */
export interface Runner {
  backend: BackendName;
  run(images: Float32Array, n: number, outH: number, outW: number, wantProbabilities: boolean): Promise<RunnerOutput>;
  dispose(): Promise<void>;
}

/** Serialises calls on one runner: a session uses every core already, interleaving runs only adds contention. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => {});
    return next;
  }
}

export function softmaxChannelsFirst(logits: Float32Array, n: number, c: number, hw: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < hw; p++) {
      let max = -Infinity;
      for (let k = 0; k < c; k++) max = Math.max(max, logits[(b * c + k) * hw + p]);
      let sum = 0;
      for (let k = 0; k < c; k++) sum += out[(b * c + k) * hw + p] = Math.exp(logits[(b * c + k) * hw + p] - max);
      for (let k = 0; k < c; k++) out[(b * c + k) * hw + p] /= sum;
    }
  }
  return out;
}
