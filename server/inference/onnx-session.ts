import * as ort from 'onnxruntime-node';

/**
 * One forward pass of a runtime graph: PixelDrive's export (server/inference/build-onnx-graph.ts)
 * or an imported model wrapped to the same interface (server/onnx-import/wrap-onnx-model.ts).
 */
export interface OnnxRequest {
  /** Preprocessed images at the model's input size. */
  images: Float32Array;
  /** Shape of `images`: [n, H, W, 3] for PixelDrive's graphs, as its adapter says for an imported one. */
  imageDims: number[];
  /** Size of the label map wanted (the graph resizes the logits to it before the argmax). */
  outHeight: number;
  outWidth: number;
  wantLogits: boolean;
}

export interface OnnxResult {
  labels: Uint8Array;
  logits?: Float32Array;
}

export async function createOnnxSession(file: string | Uint8Array, threads = 0): Promise<ort.InferenceSession> {
  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    // Idle intra-op threads sleep instead of spinning: the cores they would burn decode and
    // store the next images of an evaluation (and serve the web app).
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  return typeof file === 'string' ? ort.InferenceSession.create(file, options) : ort.InferenceSession.create(file, options);
}

/** Runs the graph. onnxruntime-node's `run` computes synchronously on the calling thread. */
export async function runOnnxSession(session: ort.InferenceSession, file: string, req: OnnxRequest): Promise<OnnxResult> {
  const feeds = {
    image: new ort.Tensor('float32', req.images, req.imageDims),
    out_size: new ort.Tensor('int64', BigInt64Array.from([BigInt(req.outHeight), BigInt(req.outWidth)]), [2]),
  };
  const result = await session.run(feeds, req.wantLogits ? ['labels', 'logits'] : ['labels']);
  try {
    if (result.labels.type !== 'uint8')
      throw new Error(`${file}: labels output is ${result.labels.type}, expected uint8 (re-export: npm run cli -- export-onnx --force)`);
    return { labels: result.labels.data as Uint8Array, logits: req.wantLogits ? (result.logits.data as Float32Array) : undefined };
  } finally {
    for (const t of Object.values(result)) t.dispose?.();
  }
}
