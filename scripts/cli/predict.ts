import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { architectureSchema, ARCH_CHOICES, ARCHITECTURES } from '../../models/config.ts';
import { config, INFERENCE_BACKENDS } from '../../server/config.ts';
import { decodeRgb } from '../../server/dataset/decode.ts';
import { disposeSegmenters, getSegmenter } from '../../server/inference/segmenter.ts';
import { parseArgs, UsageError } from './args.ts';
import { ProgressBar } from './progress.ts';

export const PREDICT_USAGE = `predict --arch ${ARCH_CHOICES} --in <dir> --out <dir> [--checkpoint DIR] [--backend auto|onnx|wasm|tfjs-node]`;

/** Writes one label PNG per input image in CARLA's own format: class id in the red channel, green and blue 0. */
export async function predictCommand(argv: string[]): Promise<void> {
  const { flags } = parseArgs(argv, { arch: 'string', in: 'string', out: 'string', checkpoint: 'string', backend: 'string' });
  const arch = architectureSchema.safeParse(flags.arch);
  if (!arch.success) throw new UsageError(`--arch must be one of ${ARCHITECTURES.join(', ')}`);
  if (typeof flags.in !== 'string' || typeof flags.out !== 'string') throw new UsageError('--in and --out are required');
  const backend = INFERENCE_BACKENDS.find((b) => b === (flags.backend ?? 'auto'));
  if (!backend) throw new UsageError(`--backend must be ${INFERENCE_BACKENDS.join(', ')}`);
  let inDir = path.resolve(flags.in);
  const entries = await readdir(inDir).catch(() => {
    throw new UsageError(`${inDir}: cannot read folder`);
  });
  if (entries.includes('CameraRGB')) inDir = path.join(inDir, 'CameraRGB');
  const files = (await readdir(inDir)).filter((f) => /\.(png|jpe?g|webp)$/i.test(f)).sort();
  if (!files.length) throw new UsageError(`${inDir}: no PNG, JPEG or WebP images`);
  const outDir = path.resolve(flags.out);
  await mkdir(outDir, { recursive: true });
  const segmenter = await getSegmenter(String(flags.checkpoint ?? path.join(config.checkpointsDir, arch.data)), backend);
  const bar = new ProgressBar(`predict ${arch.data}`, files.length);
  let ms = 0;
  for (const [i, f] of files.entries()) {
    const img = await decodeRgb(await readFile(path.join(inDir, f)), f);
    const s = await segmenter.segment(img);
    ms += s.latencyMs;
    const rgb = new Uint8Array(img.width * img.height * 3);
    for (let p = 0; p < s.label.data.length; p++) rgb[p * 3] = s.label.data[p];
    await writeFile(
      path.join(outDir, f.replace(/\.[^.]+$/, '.png')),
      await sharp(rgb, { raw: { width: img.width, height: img.height, channels: 3 } })
        .png()
        .toBuffer(),
    );
    bar.update(i + 1, `${(ms / (i + 1)).toFixed(0)} ms/img on ${s.backend}`);
  }
  await disposeSegmenters();
  console.log(`wrote ${files.length} label PNGs to ${outDir} (${segmenter.backend}, ${(ms / files.length).toFixed(1)} ms per image)`);
}
