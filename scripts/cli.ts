import './cli/guard-cli.ts';
import '../server/inference/tfjs-support.ts';
import path from 'node:path';
import { reportFailure } from '../server/startup/report-failure.ts';
import { UsageError } from './cli/args.ts';
import { CARD_USAGE, cardCommand } from './cli/card.ts';
import { DATA_USAGE, dataCommand } from './cli/data.ts';
import { EVAL_USAGE, evalCommand } from './cli/eval.ts';
import { EXPERIMENTS_USAGE, experimentsCommand } from './cli/experiments.ts';
import { EXPORT_USAGE, exportOnnxCommand } from './cli/export-onnx.ts';
import { LEADERBOARD_USAGE, leaderboardCommand } from './cli/leaderboard.ts';
import { MODELS_USAGE, modelsCommand } from './cli/models.ts';
import { PREDICT_USAGE, predictCommand } from './cli/predict.ts';
import { QUANTIZE_USAGE, quantizeCommand } from './cli/quantize.ts';
import { SCORE_USAGE, scoreCommand } from './cli/score.ts';
import { TRAIN_USAGE, trainCommand } from './cli/train.ts';

process.env.CHECKPOINT_DISABLE ??= '1';

const COMMANDS: Record<string, { usage: string; run: (argv: string[]) => Promise<void> }> = {
  data: { usage: DATA_USAGE, run: dataCommand },
  train: { usage: TRAIN_USAGE, run: trainCommand },
  eval: { usage: EVAL_USAGE, run: evalCommand },
  score: { usage: SCORE_USAGE, run: scoreCommand },
  predict: { usage: PREDICT_USAGE, run: predictCommand },
  'export-onnx': { usage: EXPORT_USAGE, run: exportOnnxCommand },
  card: { usage: CARD_USAGE, run: cardCommand },
  models: { usage: MODELS_USAGE, run: modelsCommand },
  quantize: { usage: QUANTIZE_USAGE, run: quantizeCommand },
  leaderboard: { usage: LEADERBOARD_USAGE, run: leaderboardCommand },
  experiments: { usage: EXPERIMENTS_USAGE, run: experimentsCommand },
};

function usage(): string {
  return (
    'usage: npm run cli -- <command> [options]\n\n' +
    Object.values(COMMANDS)
      .map((c) => `  ${c.usage}`)
      .join('\n')
  );
}

const [name, ...rest] = process.argv.slice(2);
const cmd = name ? COMMANDS[name] : undefined;
if (!cmd) {
  console.error(name && name !== '--help' ? `unknown command "${name}"\n\n${usage()}` : usage());
  process.exit(name === '--help' ? 0 : 2);
}
try {
  await cmd.run(rest);
  process.exit(process.exitCode ?? 0);
} catch (e) {
  if (e instanceof UsageError) {
    console.error(`error: ${e.message}\n\n  ${cmd.usage}`);
    process.exit(2);
  }
  reportFailure(e, { what: `cli ${name}`, logDir: path.resolve('.pixeldrive/logs'), prefix: 'error: ' });
  process.exit(1);
}
