import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { adapterSchema, type Adapter } from './adapter.ts';

/**
 * An imported model (or int8/fp16 variant) on disk, one folder per content hash:
 *   model.onnx       the file as imported, byte for byte (its sha256 is in the descriptor)
 *   adapter.json     how it is fed and read
 *   runtime.onnx     the graph PixelDrive runs (server/onnx-import/wrap-onnx-model.ts)
 *   onnx-model.json  the descriptor below
 */
export const ONNX_MODEL_FORMAT = 'pixeldrive-onnx/1';
export const SOURCE_FILE = 'model.onnx';
export const ADAPTER_FILE = 'adapter.json';
export const RUNTIME_FILE = 'runtime.onnx';
export const DESCRIPTOR_FILE = 'onnx-model.json';

const descriptorSchema = z.object({
  format: z.literal(ONNX_MODEL_FORMAT),
  /** sha256 of the file's sha256 and the canonical adapter: the model's identity. */
  identity: z.string().regex(/^[0-9a-f]{64}$/),
  fileSha256: z.string().regex(/^[0-9a-f]{64}$/),
  source: z.string(),
});
export type OnnxModelDescriptor = z.infer<typeof descriptorSchema>;

export function isOnnxModelFolder(dir: string): boolean {
  return existsSync(path.join(dir, DESCRIPTOR_FILE));
}

export async function readOnnxModelFolder(dir: string): Promise<{ descriptor: OnnxModelDescriptor; adapter: Adapter; runtimeFile: string }> {
  const parsed = descriptorSchema.safeParse(JSON.parse(await readFile(path.join(dir, DESCRIPTOR_FILE), 'utf8')));
  if (!parsed.success) throw new Error(`${dir}: not an imported ONNX model folder (${parsed.error.issues[0].message})`);
  const descriptor = parsed.data;
  const adapter = adapterSchema.parse(JSON.parse(await readFile(path.join(dir, ADAPTER_FILE), 'utf8')));
  return { descriptor, adapter, runtimeFile: path.join(dir, RUNTIME_FILE) };
}
