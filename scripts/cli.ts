import { UsageError } from './cli/args.ts';
import { TRAIN_USAGE, trainCommand } from './cli/train.ts';

process.env.CHECKPOINT_DISABLE ??= '1';

const COMMANDS: Record<string, { usage: string; run: (argv: string[]) => Promise<void> }> = {
  train: { usage: TRAIN_USAGE, run: trainCommand },
};

function usage(): string {
  return 'usage: npm run cli -- <command> [options]\n\n' + Object.values(COMMANDS).map((c) => `  ${c.usage}`).join('\n');
}

const [name, ...rest] = process.argv.slice(2);
const cmd = name ? COMMANDS[name] : undefined;
if (!cmd) {
  console.error(name ? `unknown command "${name}"\n\n${usage()}` : usage());
  process.exit(2);
}
try {
  await cmd.run(rest);
  process.exit(0);
} catch (e) {
  if (e instanceof UsageError) {
    console.error(`error: ${e.message}\n\n  ${cmd.usage}`);
    process.exit(2);
  }
  console.error(`error: ${(e as Error).message}`);
  if (process.env.DEBUG) console.error(e);
  process.exit(1);
}
