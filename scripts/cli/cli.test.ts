import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { committedSweepCards, OFFICIAL_DIR } from '../../test/fixtures.ts';
import { decodeLabel } from '../../server/dataset/decode.ts';

function cli(args: string[], env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, ['--import', 'tsx', path.resolve('scripts/cli.ts'), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
}

describe('npm run cli', () => {
  it('predict writes a valid CARLA label PNG (class id in red) for each official frame', async () => {
    const ck = await makeTestCheckpoint('segnet', 3);
    const out = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-pred-'));
    cli(['predict', '--arch', 'segnet', '--checkpoint', ck, '--in', OFFICIAL_DIR, '--out', out]);
    const files = (await readdir(out)).sort();
    expect(files).toEqual(['train_0.png', 'train_1.png', 'train_2.png', 'val_1.png']);
    for (const f of files) {
      const label = await decodeLabel(await readFile(path.join(out, f)), f); // refuses green/blue ≠ 0 and values > 12
      expect([label.width, label.height]).toEqual([800, 600]);
    }
  });

  it('score gives mIoU 1 for ground truth against itself, as a table and as JSON', () => {
    const seg = path.join(OFFICIAL_DIR, 'CameraSeg');
    expect(cli(['score', '--gt', OFFICIAL_DIR, '--pred', seg])).toMatch(/mIoU 100\.00/);
    const json = JSON.parse(cli(['score', '--gt', OFFICIAL_DIR, '--pred', seg, '--json']));
    expect(json.miou).toBe(1);
    expect(json.images).toBe(4);
    expect(json.hood).toBe('ignore');
  });

  it('data check prints the per-class frequencies of the official frames', () => {
    const out = cli(['data', 'check', OFFICIAL_DIR, '--heldout']);
    expect(out).toMatch(/4 frames OK/);
    expect(out).toMatch(/ 7 {2}Road\s+\d+\s+\d+\.\d+%/);
  });

  it('refuses an unknown option with usage and exit code 2', () => {
    let code = 0;
    try {
      cli(['eval', '--arch', 'resnet', '--split', 'val']);
    } catch (e) {
      code = (e as { status: number }).status;
    }
    expect(code).toBe(2);
  });

  it('eval --cost-matrix refuses a file that is not JSON before touching any database', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-cost-'));
    const file = path.join(dir, 'cost.json');
    await writeFile(file, 'pedestrian,road,10');
    let failure: { status: number; stderr: string } | null = null;
    try {
      cli(['eval', '--arch', 'unet', '--split', 'val', '--cost-matrix', file]);
    } catch (e) {
      failure = e as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(2);
    expect(failure?.stderr).toMatch(/--cost-matrix: .*is not JSON/);
  });

  it('export-onnx and card --arch take every shipped folder of the architecture, two of one architecture included', async () => {
    const shipped = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-shipped-'));
    const folders = ['segnet', 'segnet-second'];
    for (const [i, f] of folders.entries()) await cp(await makeTestCheckpoint('segnet', 31 + i), path.join(shipped, f), { recursive: true });
    const env = { PIXELDRIVE_CHECKPOINTS: shipped };
    expect(cli(['export-onnx', '--arch', 'all'], env).match(/^exported: /gm)).toHaveLength(2);
    for (const f of folders) expect(existsSync(path.join(shipped, f, 'model.onnx')), f).toBe(true);
    expect(cli(['card', '--arch', 'segnet'], env).match(/^SegNet +official-frame mIoU \d+\.\d → /gm)).toHaveLength(2);
    for (const f of folders) expect(JSON.parse(await readFile(path.join(shipped, f, 'card.json'), 'utf8')).officialMiou, f).toBeGreaterThanOrEqual(0);
    let failure: { status: number; stderr: string } | null = null;
    try {
      cli(['card', '--arch', 'unet'], env);
    } catch (e) {
      failure = e as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(2);
    expect(failure?.stderr).toMatch(/no finished checkpoint of unet in /);
  });

  it('experiments import imports the sweep cards once, and refuses a folder that is not there', () => {
    expect(cli(['experiments', 'import'])).toMatch(/^imported bench-results\/sweep-unet-6ep\/s1-recipe\/card\.json \(training run \w+\)$/m);
    const again = new RegExp(`^0 imported, ${committedSweepCards().length} already imported, 0 registered as a checkpoint$`, 'm');
    expect(cli(['experiments', 'import'])).toMatch(again);
    let failure: { status: number; stderr: string } | null = null;
    try {
      cli(['experiments', 'import', '--from', 'no/such/sweeps']);
    } catch (e) {
      failure = e as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(1);
    expect(failure?.stderr).toMatch(/no\/such\/sweeps: no such folder/);
  });
});
