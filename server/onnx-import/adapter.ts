import { z } from 'zod';
import { NUM_CLASSES } from '../../models/classes.ts';
import { formatZodError } from '../../models/config.ts';
import { AppError } from '../errors.ts';

/**
 * How PixelDrive feeds an imported ONNX model and reads its answer. Every convention a
 * PyTorch, Keras or mmsegmentation export may differ in is stated here, nothing is guessed:
 *   value fed = (pixel · scale − mean[c]) / std[c], c in the MODEL's channel order (after `colorOrder`).
 */
export const adapterSchema = z
  .object({
    input: z.object({
      name: z.string().min(1).max(200),
      layout: z.enum(['NCHW', 'NHWC']),
      /** A fixed input size, or "any": the frame's own size rounded to `multipleOf`, longer side at most `maxSide`. */
      size: z.union([z.object({ width: z.number().int().min(8).max(4096), height: z.number().int().min(8).max(4096) }), z.literal('any')]),
      multipleOf: z.number().int().min(1).max(256).default(32),
      maxSide: z.number().int().min(32).max(4096).default(1024),
      colorOrder: z.enum(['RGB', 'BGR']),
      normalize: z.object({
        scale: z.number().positive().finite(),
        mean: z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]),
        std: z.tuple([z.number().positive().finite(), z.number().positive().finite(), z.number().positive().finite()]),
      }),
    }),
    output: z.object({
      name: z.string().min(1).max(200),
      /** logits / probabilities: [N, classes, h, w] (or NHWC with layout); labels: [N, h, w] or [N, 1, h, w] class ids. */
      kind: z.enum(['logits', 'probabilities', 'labels']),
      layout: z.enum(['NCHW', 'NHWC']).default('NCHW'),
    }),
    /** One entry per model class, in the model's order: the CARLA id it counts as, or null (ignored). */
    classes: z
      .array(
        z.object({
          name: z.string().max(100).default(''),
          carla: z
            .number()
            .int()
            .min(0)
            .max(NUM_CLASSES - 1)
            .nullable(),
        }),
      )
      .min(2)
      .max(1000),
  })
  .strict();

export type Adapter = z.output<typeof adapterSchema>;

/** Parses an adapter (JSON text or object); a bad one is an INVALID_INPUT naming each field. */
export function parseAdapter(input: unknown): Adapter {
  let raw = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new AppError('INVALID_INPUT', `adapter is not JSON: ${(e as Error).message}`, 'The adapter is not valid JSON.');
    }
  }
  const r = adapterSchema.safeParse(raw);
  if (!r.success) {
    const message = formatZodError('invalid adapter', r.error);
    throw new AppError('INVALID_INPUT', message, message);
  }
  if (r.data.classes.every((c) => c.carla === null))
    throw new AppError('INVALID_INPUT', 'adapter maps no model class to a CARLA class', 'The adapter maps no model class to a CARLA class.');
  return r.data;
}

/** Model classes left out of the argmax (logits/probabilities) or scored as Unlabeled (label maps). */
export function unmappedClasses(adapter: Adapter): string[] {
  return adapter.classes.flatMap((c, i) => (c.carla === null ? [c.name || `#${i}`] : []));
}

/** Canonical JSON (sorted keys): part of an imported model's identity. */
export function canonicalAdapter(adapter: Adapter): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(adapter));
}

/**
 * PixelDrive's own exported graphs (server/inference/build-onnx-graph.ts) as an adapter: NHWC,
 * RGB/127.5 − 1, logits in CARLA order. Used to run int8/fp16 variants and to import the
 * exported U-Net back in.
 */
export function pixeldriveAdapter(opts: { inputWidth: number; inputHeight: number; numClasses: number }): Adapter {
  return adapterSchema.parse({
    input: {
      name: 'image',
      layout: 'NHWC',
      size: { width: opts.inputWidth, height: opts.inputHeight },
      colorOrder: 'RGB',
      normalize: { scale: 1, mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5] },
    },
    output: { name: 'logits', kind: 'logits' },
    classes: Array.from({ length: opts.numClasses }, (_, i) => ({ carla: i })),
  });
}
