import path from 'node:path';
import { importSweepCards } from '../../server/experiments/import-sweep-cards.ts';
import { parseArgs, UsageError } from './args.ts';
import { withCliDatabase } from './database.ts';

export const EXPERIMENTS_USAGE = 'experiments import [--from <dir>]   (default dir: bench-results, cards in <dir>/<sweep>/<run>/card.json)';

/** Imports the recipe sweeps' cards as finished training runs (the Experiments page); running it again adds nothing. */
export async function experimentsCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'import') throw new UsageError(sub ? `unknown experiments subcommand "${sub}"` : 'experiments needs a subcommand');
  const { flags, positional } = parseArgs(rest, { from: 'string' });
  if (positional.length) throw new UsageError(`unexpected argument "${positional[0]}"`);
  const dir = typeof flags.from === 'string' ? path.resolve(flags.from) : undefined;
  await withCliDatabase(async () => {
    const r = await importSweepCards({ dir });
    for (const i of r.imported) console.log(`imported ${i.origin} (training run ${i.runId})`);
    for (const s of r.sameWeights)
      console.log(`not imported ${s.origin}: its weights are the registered checkpoint "${s.checkpoint}", whose history is already a run`);
    console.log(`${r.imported.length} imported, ${r.alreadyImported.length} already imported, ${r.sameWeights.length} registered as a checkpoint`);
  });
}
