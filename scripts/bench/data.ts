import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';

interface DataBenchRow {
  command: 'check' | 'import';
  frames: number;
  wallSeconds: number;
  framesPerSecond: number;
  peakRssMB: number;
}

const TIME = '/usr/bin/time';

/**
 * `data check` and `data import` on the 479 frames of carla-drive and on `copies` times as
 * many (symbolic links under fresh names, so the files are the same but every frame is its
 * own frame to the scan). Each command is its own process (the CLI as users run it); GNU
 * time reports its wall time and peak resident memory. Import needs DATABASE_URL.
 */
export async function benchData(opts: {
  dataDir: string;
  copies: number;
  workDir: string;
}): Promise<{ rows: DataBenchRow[]; rssRatio: { check: number; import: number } }> {
  if (!existsSync(TIME)) throw new Error(`${TIME} (GNU time) is needed to measure peak memory: apt-get install -y time`);
  const source = path.join(opts.dataDir, 'carla-drive');
  const scaled = path.join(opts.workDir, `carla-drive-x${opts.copies}`);
  const frames = await linkCopies(source, scaled, opts.copies);
  const sets = [
    { dir: source, frames: frames / opts.copies },
    { dir: scaled, frames },
  ];
  const rows: DataBenchRow[] = [];
  for (const command of ['check', 'import'] as const) {
    for (const set of sets) {
      const args = command === 'check' ? ['data', 'check', set.dir, '--json'] : ['data', 'import', set.dir, '--name', `bench-${set.frames}`];
      const { wallSeconds, peakRssKB } = await timeCli(args);
      rows.push({ command, frames: set.frames, wallSeconds, framesPerSecond: +(set.frames / wallSeconds).toFixed(1), peakRssMB: Math.round(peakRssKB / 1024) });
    }
  }
  const ratio = (c: DataBenchRow['command']) => {
    const [small, large] = rows.filter((r) => r.command === c);
    return +(large.peakRssMB / small.peakRssMB).toFixed(3);
  };
  await rm(scaled, { recursive: true, force: true });
  return { rows, rssRatio: { check: ratio('check'), import: ratio('import') } };
}

/** `copies` links to every frame of `source` under `c<k>_<stem>` in a flat CARLA layout. */
async function linkCopies(source: string, dest: string, copies: number): Promise<number> {
  await rm(dest, { recursive: true, force: true });
  let frames = 0;
  for (const sub of ['CameraRGB', 'CameraSeg']) {
    await mkdir(path.join(dest, sub), { recursive: true });
    const names = await readdir(path.join(source, sub));
    for (let k = 0; k < copies; k++) {
      for (const name of names) await symlink(path.resolve(source, sub, name), path.join(dest, sub, `c${k}_${name}`));
    }
    frames = names.length * copies;
  }
  return frames;
}

function timeCli(args: string[]): Promise<{ wallSeconds: number; peakRssKB: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TIME, ['-f', 'PDTIME %e %M', process.execPath, '--import', 'tsx', 'scripts/cli.ts', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err = (err + d).slice(-20_000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /PDTIME ([\d.]+) (\d+)/.exec(err);
      if (code !== 0 || !m) return reject(new Error(`cli ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`));
      resolve({ wallSeconds: Number(m[1]), peakRssKB: Number(m[2]) });
    });
  });
}
