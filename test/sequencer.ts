import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The longest timeout a test file declares (`300_000` and the like, in ms): how long it expects to take at worst. */
function declaredTimeout(file: string): number {
  return Math.max(0, ...[...readFileSync(file, 'utf8').matchAll(/\b(\d+)_000\b/g)].map((m) => Number(m[1]) * 1000));
}

/**
 * The order files start in when several tiers share one run (integration + process): the process
 * files first, longest declared timeout first. They are long and mostly wait (a dead worker's
 * heartbeat, a restart), so started early their waits overlap the integration files' work; in
 * vitest's default order (larger files first, and these are short files) they would start last and
 * end the run alone. The integration files keep vitest's order: from its cache, failed and longer
 * files first; without one (a fresh clone), larger files first.
 */
export class ProcessFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const processFiles = sorted.filter((f) => f.project.name === 'process');
    const timeouts = new Map(processFiles.map((f) => [f.moduleId, declaredTimeout(f.moduleId)]));
    processFiles.sort((a, b) => timeouts.get(b.moduleId)! - timeouts.get(a.moduleId)!);
    return [...processFiles, ...sorted.filter((f) => f.project.name !== 'process')];
  }
}
