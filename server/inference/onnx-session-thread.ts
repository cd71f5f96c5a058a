import { parentPort, workerData } from 'node:worker_threads';
import type { InferenceSession } from 'onnxruntime-node';
import { createOnnxSession, runOnnxSession, type OnnxRequest } from './onnx-session.ts';

/**
 * Worker-thread side of the threaded ONNX runner (server/inference/onnx-runner.ts): one
 * session, one request at a time. Inputs and outputs move as transferred buffers.
 */
export type ThreadRequest = { id: number } & OnnxRequest;
export type ThreadReply = { id: number; labels: Uint8Array; logits?: Float32Array } | { id: number; error: string } | { ready: true } | { failed: string };

const port = parentPort!;
const { file, threads } = workerData as { file: string; threads: number };
let session: InferenceSession;
try {
  session = await createOnnxSession(file, threads);
  port.postMessage({ ready: true } satisfies ThreadReply);
} catch (e) {
  port.postMessage({ failed: (e as Error).message } satisfies ThreadReply);
  process.exit(1);
}

port.on('message', async (req: ThreadRequest) => {
  try {
    const out = await runOnnxSession(session, file, req);
    // Copies the thread owns, so they can be transferred rather than cloned.
    const labels = out.labels.slice();
    const logits = out.logits?.slice();
    port.postMessage({ id: req.id, labels, logits } satisfies ThreadReply, logits ? [labels.buffer, logits.buffer] : [labels.buffer]);
  } catch (e) {
    port.postMessage({ id: req.id, error: (e as Error).message } satisfies ThreadReply);
  }
});
