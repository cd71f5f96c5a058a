import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { config } from '../config.ts';
import { getDb } from '../db/client.ts';
import { importedCardSchema } from '../schemas/checkpoint.ts';
import { parseJson } from '../schemas/common.ts';
import { AppError } from '../errors.ts';
import { BoundedSlots } from '../bounded-slots.ts';
import { canonicalAdapter, parseAdapter, unmappedClasses } from './adapter.ts';
import { checkModelAgainstAdapter } from './check-model-against-adapter.ts';
import { dryRunInSandbox } from './dry-run-in-sandbox.ts';
import { decodeOnnx, encodeOnnx } from './onnx-graph.ts';
import { ONNX_MODEL_FORMAT, SOURCE_FILE, ADAPTER_FILE, RUNTIME_FILE, DESCRIPTOR_FILE, type OnnxModelDescriptor } from './onnx-model-folder.ts';
import { wrapOnnxModel } from './wrap-onnx-model.ts';
import { perProcess } from '../per-process.ts';

/**
 * Uploads (app/api/models) one at a time per process: each holds a body of up to the size
 * limit in memory and then a dry run. Taken before the body is read, so a waiting upload costs
 * a socket, not a file.
 */
export const importSlots = perProcess(
  'ImportSlots',
  () =>
    new BoundedSlots({
      slots: 1,
      maxWaiting: 4,
      maxWaitMs: 60_000,
      busyMessage: 'Another model is being imported; retry in a minute.',
    }),
);

type ModelSource = z.infer<typeof importedCardSchema>['source'];

const modelNameSchema = z
  .string()
  .trim()
  .min(1, 'name is empty')
  .max(80, 'name is longer than 80 characters')
  // '·' separates the parts of the names PixelDrive gives (U-Net · MobileNetV2, U-Net · run 3f2a1c), which variants carry on.
  .regex(/^[\p{L}\p{N} ._()+\-·]+$/u, 'name may use letters, digits, spaces and . _ ( ) + - ·');

interface ImportOnnxModelInput {
  bytes: Uint8Array;
  /** Adapter as JSON text or object (server/onnx-import/adapter.ts). */
  adapter: unknown;
  name: string;
  fileName?: string;
  source?: ModelSource;
  /** The fp32 checkpoint an int8/fp16 variant was made from. */
  parentId?: string;
  /** Shown as the architecture: the parent's for variants, 'onnx' for imports. */
  arch?: string;
  maxBytes?: number;
}

export interface ImportOnnxModelResult {
  id: string;
  created: boolean;
  name: string;
  params: number;
  gflops: number;
  fileBytes: number;
  inputSize: string;
  /** Model classes no CARLA class was mapped to (left out of the argmax). */
  unmapped: string[];
}

/**
 * Registers an ONNX segmentation model with its adapter. Everything is checked before
 * anything is stored: size, that it is ONNX, names, dtypes, shapes and the class map
 * against the graph, then a dry run in ONNX Runtime inside a sandboxed process. Stored by content hash (file + adapter)
 * under config.modelsDir; importing the same pair again returns the existing model.
 */
export async function importOnnxModel(input: ImportOnnxModelInput): Promise<ImportOnnxModelResult> {
  const named = modelNameSchema.safeParse(input.name);
  if (!named.success)
    throw new AppError('INVALID_INPUT', `invalid model name: ${named.error.issues[0].message}`, `Invalid model name: ${named.error.issues[0].message}.`);
  const name = named.data;
  const maxBytes = input.maxBytes ?? config.maxModelBytes;
  if (input.bytes.byteLength === 0) throw new AppError('INVALID_INPUT', 'the model file is empty', 'The model file is empty.');
  if (input.bytes.byteLength > maxBytes) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 3 : 1)} MB`;
    throw new AppError(
      'TOO_LARGE',
      `the model file is ${mb(input.bytes.byteLength)}, over the ${mb(maxBytes)} limit`,
      `The model file is larger than ${mb(maxBytes)}.`,
    );
  }
  const adapter = parseAdapter(input.adapter);
  const model = decodeOnnx(input.bytes, input.fileName ?? 'the file');
  const facts = checkModelAgainstAdapter(model, adapter);
  const { scores } = wrapOnnxModel(model, adapter, facts);
  const dry = await dryRunInSandbox(model, adapter, scores);
  const runtime = encodeOnnx(model);

  const fileSha256 = createHash('sha256').update(input.bytes).digest('hex');
  const identity = createHash('sha256').update(fileSha256).update('\n').update(canonicalAdapter(adapter)).digest('hex');
  const db = getDb();
  const existing = await db.checkpoint.findUnique({ where: { weightsSha256: identity } });
  const unmapped = unmappedClasses(adapter);
  const inputSize = `${dry.inputSize.width}×${dry.inputSize.height}`;
  const result = { params: dry.params, gflops: dry.gflops, fileBytes: input.bytes.byteLength, inputSize, unmapped };
  if (existing) return { id: existing.id, created: false, name: existing.name, ...result };
  // Variants share their name with the variants of earlier weights of the same architecture, as checkpoints do.
  if ((input.source ?? 'imported') === 'imported' && (await db.checkpoint.findFirst({ where: { name }, select: { id: true } }))) {
    throw new AppError('CONFLICT', `a model named "${name}" exists already`, `A model named "${name}" exists already; pick another name.`);
  }

  const dir = path.join(config.modelsDir, identity);
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const source = input.source ?? 'imported';
  const descriptor: OnnxModelDescriptor = { format: ONNX_MODEL_FORMAT, identity, fileSha256, source };
  await writeFile(path.join(tmp, SOURCE_FILE), input.bytes);
  await writeFile(path.join(tmp, ADAPTER_FILE), JSON.stringify(adapter, null, 1));
  await writeFile(path.join(tmp, RUNTIME_FILE), runtime);
  await writeFile(path.join(tmp, DESCRIPTOR_FILE), JSON.stringify(descriptor, null, 1));
  // A folder left by an import that crashed before registering is replaced, never trusted.
  if (existsSync(dir)) await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  try {
    const row = await db.checkpoint.create({
      data: {
        arch: input.arch ?? 'onnx',
        source,
        parentId: input.parentId,
        name,
        dir: path.relative(process.cwd(), dir),
        weightsSha256: identity,
        config: adapter as object,
        params: dry.params,
        gflops: dry.gflops,
        fileBytes: input.bytes.byteLength,
        card: parseJson(
          importedCardSchema,
          {
            source,
            fileName: input.fileName ?? null,
            fileSha256,
            producer: [model.producerName, model.producerVersion].filter(Boolean).join(' ') || null,
            opset: facts.opset,
            inputSize,
            unmappedClasses: unmapped,
          },
          'imported model card',
        ),
      },
    });
    return { id: row.id, created: true, name, ...result };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
