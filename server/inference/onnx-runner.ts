import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { config } from '../config.ts';
import { createOnnxSession, runOnnxSession, type OnnxRequest, type OnnxResult } from './onnx-session.ts';
import type { ThreadReply, ThreadRequest } from './onnx-session-thread.ts';
import { softmaxChannelsFirst, type Runner, type RunnerOutput } from './runner.ts';

type RunOnnx = (req: OnnxRequest) => Promise<OnnxResult>;

/**
 * ONNX Runtime on CPU, from the graph PixelDrive exports (server/inference/build-onnx-graph.ts).
 * onnxruntime-node computes synchronously on the thread that calls `run`, so in-process the
 * event loop stalls for the whole forward pass: an evaluation stops decoding and storing, the
 * web server stops answering (a 12 MP playground upload held it for over a second). So each
 * session lives in a worker thread; a thread that cannot start (no project sources beside
 * the server, PIXELDRIVE_ONNX_THREAD=0) falls back to running in-process.
 */
export async function createOnnxRunner(
  file: string,
  opts: { inputWidth: number; inputHeight: number; numClasses: number; threads?: number; thread?: boolean },
): Promise<Runner & { threaded: boolean }> {
  const { inputWidth: W, inputHeight: H, numClasses: C } = opts;
  const session = await openOnnxSession(file, opts.threads ?? 0, (opts.thread ?? config.onnxThread) && canStartThread());
  const { run, dispose } = session;
  return {
    backend: 'onnxruntime-cpu',
    threaded: session.threaded,
    async run(images, n, outH, outW, wantProbabilities): Promise<RunnerOutput> {
      const out = await run({ images, imageDims: [n, H, W, 3], outHeight: outH, outWidth: outW, wantLogits: wantProbabilities });
      return { labels: out.labels, probabilities: out.logits && softmaxChannelsFirst(out.logits, n, C, H * W) };
    },
    dispose,
  };
}

export interface OnnxSessionHandle {
  run: RunOnnx;
  dispose: () => Promise<void>;
  threaded: boolean;
}

/** A session of any runtime graph: in a worker thread where one can start, else in-process. */
export async function openOnnxSession(file: string, threads: number, inThread = config.onnxThread && canStartThread()): Promise<OnnxSessionHandle> {
  if (inThread) {
    try {
      return await startSessionThread(file, threads);
    } catch (e) {
      console.warn(`[inference] ONNX thread unavailable (${(e as Error).message}); running in-process`);
    }
  }
  return inProcessSession(file, threads);
}

async function inProcessSession(file: string, threads: number): Promise<OnnxSessionHandle> {
  const session = await createOnnxSession(file, threads);
  return { run: (req) => runOnnxSession(session, file, req), dispose: () => session.release(), threaded: false };
}

/**
 * The thread's entry is TypeScript source, loaded through tsx. From source it sits beside this
 * file; inside the Next.js bundle this file is a compiled chunk, so the entry is looked up in
 * the project folder the server runs from.
 */
const SOURCE_DIR = config.inNextBundle
  ? path.join(/* turbopackIgnore: true */ process.cwd(), 'server/inference')
  : path.dirname(fileURLToPath(import.meta.url));
const THREAD_ENTRY = path.join(/* turbopackIgnore: true */ SOURCE_DIR, 'onnx-session-thread.ts');

function canStartThread(): boolean {
  return existsSync(THREAD_ENTRY);
}

async function startSessionThread(file: string, threads: number): Promise<OnnxSessionHandle> {
  // A worker thread does not inherit tsx's loader: register it, then load the entry.
  const entry = pathToFileURL(THREAD_ENTRY).href;
  const worker = new Worker(`import(${JSON.stringify(tsxEsmApi())}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`, {
    eval: true,
    workerData: { file, threads },
  });
  worker.unref();
  const pending = new Map<number, { resolve: (r: OnnxResult) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let dead: Error | null = null;
  const fail = (e: Error) => {
    dead ??= e;
    for (const p of pending.values()) p.reject(dead);
    pending.clear();
  };
  await new Promise<void>((resolve, reject) => {
    const onMessage = (m: ThreadReply) => {
      settle();
      if ('ready' in m) resolve();
      else reject(new Error('failed' in m ? m.failed : 'ONNX thread did not start'));
    };
    const onError = (e: Error) => (settle(), reject(e));
    const onExit = (code: number) => (settle(), reject(new Error(`ONNX thread exited (${code}) while starting`)));
    // (Not removeAllListeners: the Worker keeps listeners of its own.)
    const settle = () => worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
  worker.on('message', (m: ThreadReply) => {
    if (!('id' in m)) return;
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
    if (!p) return;
    if ('error' in m) p.reject(new Error(m.error));
    else p.resolve({ labels: m.labels, logits: m.logits });
  });
  worker.on('error', (e) => fail(e));
  worker.on('exit', (code) => fail(new Error(`ONNX thread exited (${code})`)));
  return {
    run: (req) =>
      new Promise<OnnxResult>((resolve, reject) => {
        if (dead) return reject(dead);
        const id = nextId++;
        // The runner owns the input (Runner.run): its buffer moves to the thread instead of being copied.
        const images = req.images.byteLength === req.images.buffer.byteLength ? req.images : req.images.slice();
        try {
          worker.postMessage({ ...req, images, id } satisfies ThreadRequest, [images.buffer as ArrayBuffer]);
        } catch (e) {
          return reject(e as Error);
        }
        pending.set(id, { resolve, reject });
        worker.ref(); // a forward pass in flight keeps the process alive, an idle thread does not
      }),
    dispose: async () => {
      fail(new Error('ONNX session released'));
      await worker.terminate();
    },
    threaded: true,
  };
}

/** File URL of tsx's ESM API, per its package exports (test runners do not all implement import.meta.resolve). */
function tsxEsmApi(): string {
  const pkgFile = createRequire(path.join(/* turbopackIgnore: true */ SOURCE_DIR, 'onnx-runner.ts')).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(path.join(path.dirname(pkgFile), pkg.exports['./esm/api'].import.default)).href;
}
