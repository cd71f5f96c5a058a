import { ARCHITECTURES, ARCH_LABEL, type Architecture, ARCH_CHOICES } from '../../models/config.ts';
import { registerEmbeddedDefaults } from '../../server/first-start/register-embedded-defaults.ts';
import { createVariants, VARIANT_KINDS, type VariantKind } from '../../server/variants/create-variants.ts';
import { intFlag, parseArgs, UsageError } from './args.ts';
import { withCliDatabase } from './database.ts';
import { shippedArchitectures } from '../../server/checkpoints/shipped-architectures.ts';

export const QUANTIZE_USAGE = `quantize --arch ${ARCH_CHOICES}|all [--kind fp16|int8|all] [--frames 32]`;

/** Makes and registers the fp16 and int8 variants of the shipped checkpoints (evaluate them with eval --model). */
export async function quantizeCommand(argv: string[]): Promise<void> {
  const { flags } = parseArgs(argv, { arch: 'string', kind: 'string', frames: 'string' });
  const arch = String(flags.arch ?? '');
  if (arch !== 'all' && !(ARCHITECTURES as readonly string[]).includes(arch)) throw new UsageError(`--arch must be ${ARCHITECTURES.join(', ')} or all`);
  const kind = String(flags.kind ?? 'all');
  if (kind !== 'all' && !(VARIANT_KINDS as readonly string[]).includes(kind)) throw new UsageError('--kind must be fp16, int8 or all');
  const frames = intFlag(flags, 'frames', 32);
  await withCliDatabase(async () => {
    await registerEmbeddedDefaults({ log: (m) => console.error(m), queueEvaluations: false });
    for (const a of arch === 'all' ? shippedArchitectures() : [arch as Architecture]) {
      const results = await createVariants({ arch: a, kinds: kind === 'all' ? VARIANT_KINDS : [kind as VariantKind], calibrationFrames: frames });
      for (const r of results) {
        const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
        console.log(
          `${r.created ? 'made' : 'up to date'}: ${r.name.padEnd(16)} ${kib(r.fileBytes).padStart(10)} (fp32 ${kib(r.parentBytes)}, ${(r.parentBytes / r.fileBytes).toFixed(2)}× smaller)  evaluate: npm run cli -- eval --model "${r.name}" --split val`,
        );
      }
      if (!results.length) console.log(`${ARCH_LABEL[a]}: nothing to do`);
    }
  });
}
