import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from '../../app/api/models/route.ts';
import { pointAtFile, TORCH_FIXTURE, TORCH_FIXTURE_ADAPTER } from '../../test/bad-model-imports.ts';
import { config } from '../config.ts';
import { AppError } from '../errors.ts';
import { parseAdapter } from './adapter.ts';
import { checkModelAgainstAdapter } from './check-model-against-adapter.ts';
import { dryRunInSandbox } from './dry-run-in-sandbox.ts';
import { decodeOnnx, encodeOnnx, onnx, renameTensor, type ModelProto } from './onnx-graph.ts';
import { wrapOnnxModel } from './wrap-onnx-model.ts';

const run = promisify(execFile);
/** A secret in the checkout, where an external-data reference resolved against the working directory finds it. */
const SECRET = randomBytes(24).toString('hex');
const SECRET_FILE = `.pixeldrive/test-secret-${process.pid}.txt`;

/** The torch fixture with its first weight's bytes taken from `location` (ONNX external data). */
async function externalDataModel(location: string): Promise<Uint8Array> {
  const m = decodeOnnx(new Uint8Array(await readFile(TORCH_FIXTURE)));
  pointAtFile(m.graph!.initializer![0], location, SECRET.length);
  return onnx.ModelProto.encode(m).finish();
}

function post(bytes: Uint8Array, name: string): Promise<Response> {
  return readFile(TORCH_FIXTURE_ADAPTER, 'utf8').then((adapter) => {
    const form = new FormData();
    form.set('file', new File([new Uint8Array(bytes)], 'model.onnx'));
    form.set('adapter', adapter);
    form.set('name', name);
    return POST(new Request('http://localhost/api/models', { method: 'POST', body: form }));
  });
}

beforeAll(async () => {
  config.modelsDir = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-models-'));
  await writeFile(SECRET_FILE, SECRET, { mode: 0o600 });
});

afterAll(async () => {
  await rm(SECRET_FILE, { force: true });
});

describe('a model with external data', () => {
  it('would have ONNX Runtime read the file it names (the threat is real)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-ext-'));
    await writeFile(path.join(dir, 'secret.bin'), Buffer.from(new Float32Array([1.5, 2.5]).buffer));
    const t = { name: 'w', dataType: onnx.TensorProto.DataType.FLOAT, dims: [2] };
    pointAtFile(t, 'secret.bin', 8);
    const model = onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ version: 13 }],
      graph: {
        name: 'g',
        initializer: [t],
        node: [{ opType: 'Identity', input: ['w'], output: ['y'] }],
        output: [{ name: 'y', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 2 }] } } } }],
      },
    });
    await writeFile(path.join(dir, 'model.onnx'), onnx.ModelProto.encode(model).finish());
    const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'));
    expect([...((await session.run({})).y.data as Float32Array)]).toEqual([1.5, 2.5]);
    await session.release();
    await rm(dir, { recursive: true, force: true });
  });

  it('is refused over HTTP, naming the tensor, with nothing of the file in the answer', async () => {
    const res = await post(await externalDataModel(SECRET_FILE), 'external data http');
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(JSON.parse(text).message).toMatch(/^The model cannot be imported: tensor ".+" \(initializer\) keeps its data in an external file/);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(SECRET.slice(0, 8));
  });

  it('is refused by the CLI, with nothing of the file in its output', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-cli-'));
    const file = path.join(dir, 'model.onnx');
    await writeFile(file, await externalDataModel(SECRET_FILE));
    const r = await run(
      process.execPath,
      ['--import', 'tsx', path.resolve('scripts/cli.ts'), 'models', 'import', file, '--adapter', TORCH_FIXTURE_ADAPTER, '--name', 'external data cli'],
      { encoding: 'utf8' },
    ).then(
      () => ({ code: 0, out: '' }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/keeps its data in an external file/);
    expect(r.out).not.toContain(SECRET.slice(0, 8));
    await rm(dir, { recursive: true, force: true });
  });
});

/** The torch fixture whose scores also depend on a tensor of 2^31 floats (8 GiB) made from a shape computed at run time. */
async function runtimeHugeModel(): Promise<{ model: ModelProto; scores: string; adapter: ReturnType<typeof parseAdapter> }> {
  const m = decodeOnnx(new Uint8Array(await readFile(TORCH_FIXTURE)));
  const g = m.graph!;
  renameTensor(g, 'scores', 'scores_raw');
  g.output![0].name = 'scores';
  const int64 = (name: string, v: number) => ({ name, dataType: onnx.TensorProto.DataType.INT64, dims: [1], int64Data: [v] });
  g.initializer!.push(int64('huge_a', 65536), int64('huge_b', 32768));
  g.node!.push(
    { opType: 'Mul', input: ['huge_a', 'huge_b'], output: ['huge_shape'] },
    {
      opType: 'ConstantOfShape',
      input: ['huge_shape'],
      output: ['huge'],
      attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: { dataType: 1, dims: [1], floatData: [1] } }],
    },
    { opType: 'ReduceSum', input: ['huge'], output: ['huge_sum'], attribute: [{ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 }] },
    { opType: 'Add', input: ['scores_raw', 'huge_sum'], output: ['scores'] },
  );
  const model = decodeOnnx(encodeOnnx(m)); // the declared shapes pass: the size only exists at run time
  const adapter = parseAdapter(await readFile(TORCH_FIXTURE_ADAPTER, 'utf8'));
  const { scores } = wrapOnnxModel(model, adapter, checkModelAgainstAdapter(model, adapter));
  return { model, scores, adapter };
}

describe('the dry-run sandbox', () => {
  it('stops a graph that grows past its memory limit, without the calling process growing', async () => {
    const { model, scores, adapter } = await runtimeHugeModel();
    const before = process.memoryUsage().rss;
    const error = await dryRunInSandbox(model, adapter, scores, { maxRssBytes: 512 * 1024 ** 2, timeoutMs: 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).userMessage).toBe(
      'The model cannot be imported: the model was stopped during its dry run: it needed more than 0.5 GiB of memory.',
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 ** 2);
  });

  it('stops a dry run that outlives its time limit', async () => {
    const m = decodeOnnx(new Uint8Array(await readFile(TORCH_FIXTURE)));
    const adapter = parseAdapter(await readFile(TORCH_FIXTURE_ADAPTER, 'utf8'));
    const { scores } = wrapOnnxModel(m, adapter, checkModelAgainstAdapter(m, adapter));
    const error = await dryRunInSandbox(m, adapter, scores, { maxRssBytes: 1024 ** 3, timeoutMs: 50 }).catch((e: unknown) => e);
    expect((error as AppError).userMessage).toMatch(/stopped during its dry run: it ran longer than 0\.05 s/);
    // The same graph within the default limits runs, so only the limit stopped it.
    expect((await dryRunInSandbox(m, adapter, scores)).params).toBeGreaterThan(0);
  });

  it('checks one upload at a time: a short line waits, the rest get 503 with Retry-After', async () => {
    const bytes = new Uint8Array(await readFile(TORCH_FIXTURE));
    const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => post(bytes, `queued import ${i}`)));
    // Five served in turn (the first stores the model unless another test did, the rest find it stored), one turned away.
    expect(responses.filter((r) => r.status === 503)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200 || r.status === 201)).toHaveLength(5);
    expect(responses.find((r) => r.status === 503)!.headers.get('retry-after')).toBe('3');
  });
});
