/**
 * The dry run's sandboxed process (dry-run-in-sandbox.ts starts it). Reads one request from
 * stdin — a 4-byte length, the JSON header, then the runtime graph's bytes — and writes one JSON
 * answer line to stdout. Its working directory is an empty temporary folder and its environment
 * carries no secrets, so even a graph that slipped past the decoder's checks finds nothing to read.
 */
import { AppError } from '../errors.ts';
import type { Adapter } from './adapter.ts';
import { dryRunOnnxModel, type DryRunResult } from './dry-run-onnx-model.ts';
import { decodeOnnx } from './onnx-graph.ts';

export type SandboxAnswer = { ok: true; result: DryRunResult } | { ok: false; code: AppError['code']; message: string; userMessage: string };

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const input = await readStdin();
const headerLength = input.readUInt32LE(0);
const header = JSON.parse(input.subarray(4, 4 + headerLength).toString('utf8')) as { adapter: Adapter; scores: string };
let answer: SandboxAnswer;
try {
  const model = decodeOnnx(new Uint8Array(input.buffer, input.byteOffset + 4 + headerLength), 'the runtime graph');
  answer = { ok: true, result: await dryRunOnnxModel(model, header.adapter, header.scores) };
} catch (e) {
  if (!(e instanceof AppError)) console.error(`[onnx import] dry run failed: ${(e as Error)?.stack ?? e}`);
  answer =
    e instanceof AppError
      ? { ok: false, code: e.code, message: e.message, userMessage: e.userMessage }
      : { ok: false, code: 'INTERNAL', message: 'the dry run failed (see the log above)', userMessage: 'The dry run failed on the server.' };
}
process.stdout.write(JSON.stringify(answer) + '\n');
