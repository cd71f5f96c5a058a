import { getLeaderboard } from '../../server/dashboard/get-leaderboard.ts';
import { parseArgs, UsageError } from './args.ts';
import { withCliDatabase } from './database.ts';

export const LEADERBOARD_USAGE =
  'leaderboard [--split val|test] [--dataset NAME]   print the leaderboard (variants and flip-averaged runs with their paired difference to their parent, adjacent ranks compared)';

const pts = (v: number | null, d = 1) => (v === null ? '—' : (v * 100).toFixed(d));
const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(2)}`;

export async function leaderboardCommand(argv: string[]): Promise<void> {
  const { flags, positional } = parseArgs(argv, { dataset: 'string', split: 'string' });
  if (positional.length) throw new UsageError(`unexpected argument "${positional[0]}"`);
  const split = String(flags.split ?? 'val');
  // The same default as eval: the test split is the official frames'.
  const datasetName = String(flags.dataset ?? (split === 'test' ? 'carla-official' : 'carla-drive'));
  await withCliDatabase(async () => {
    const board = await getLeaderboard({ datasetName, split });
    if (!board.dataset) throw new UsageError(`dataset "${datasetName}" is not registered`);
    console.log(`${datasetName} · ${split} · dataset-level mIoU, 95% bootstrap over ${board.bootstrapUnit}`);
    for (const r of board.rows) {
      const size = r.fileBytes === null ? '' : `${(r.fileBytes / 1024).toFixed(1)} KiB`;
      const vs = r.parent?.vs
        ? `${signed(r.parent.vs.difference.estimate)} [${signed(r.parent.vs.difference.low)}, ${signed(r.parent.vs.difference.high)}] vs ${r.parent.name}, p=${r.parent.vs.pValue.toFixed(3)}`
        : '';
      console.log(
        [
          `${r.rank}.`,
          r.name.padEnd(18),
          r.source.padEnd(8),
          size.padStart(11),
          `mIoU ${pts(r.miou, 2)} [${pts(r.miouLow, 2)}, ${pts(r.miouHigh, 2)}]`,
          `${r.latencyMs?.toFixed(2) ?? '—'} ms/img`,
          vs,
        ].join('  '),
      );
    }
    const print = (title: string, pairs: typeof board.comparisons) => {
      if (pairs.length) console.log(`\n${title}, paired bootstrap on the shared images:`);
      for (const c of pairs) {
        const d = c.result.difference;
        console.log(`  ${c.aName} − ${c.bName}: ${signed(d.estimate)} [${signed(d.low)}, ${signed(d.high)}], p=${c.result.pValue.toFixed(3)}`);
      }
    };
    print('adjacent ranks', board.comparisons);
    print('what pretraining buys (pretrained − the same network from random init)', board.pretraining);
  });
}
