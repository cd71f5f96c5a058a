import path from 'node:path';
import { config } from '../../server/config.ts';
import type { LoadedFrame } from '../../server/dataset/read-dataset.ts';
import { loadFrame, scanDataset } from '../../server/dataset/read-dataset.ts';
import { imageQualityCounts } from '../../server/evaluation/image-quality-counts.ts';
import { getSegmenter } from '../../server/inference/segmenter.ts';

interface QualityCost {
  arch: string;
  backend: string;
  frames: number;
  rounds: number;
  /** Per frame, median over rounds: inference + the per-image counts an evaluation stores, with calibration and boundary IoU off and on. */
  offMsPerFrame: number;
  onMsPerFrame: number;
  addedMsPerFrame: number;
  /** The same split by where the time goes (medians): the probabilities from the runtime, and the counts. */
  addedInferenceMs: number;
  addedCountsMs: number;
  /** Process CPU time per frame (all threads, the runtime's included), median over rounds: less sensitive than wall time to other work on the machine. */
  offCpuMsPerFrame: number;
  onCpuMsPerFrame: number;
  addedCpuMsPerFrame: number;
  /** Size of one image's stored counts (JSON), off and on. */
  countsBytesOff: number;
  countsBytesOn: number;
}

const BATCH = 4;

/**
 * What "every evaluation computes everything" costs: the work of an evaluation chunk that depends
 * on the two options (the runtime returning softmax probabilities; calibration and boundary-band
 * counts), off and on, interleaved round by round on the same frames so a busy machine slows both.
 */
export async function benchQualityCost({ arch = 'unet', rounds = 5 }: { arch?: string; rounds?: number } = {}): Promise<QualityCost> {
  const scanned = await scanDataset(path.join(config.dataDir, 'carla-drive'));
  const frames: LoadedFrame[] = await Promise.all(scanned.frames.filter((f) => f.split === 'val').map((f) => loadFrame(scanned, f)));
  const segmenter = await getSegmenter(path.resolve(config.checkpointsDir, arch));
  const pass = async (on: boolean) => {
    let inferMs = 0;
    let countsMs = 0;
    let bytes = 0;
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < frames.length; i += BATCH) {
      const batch = frames.slice(i, i + BATCH);
      const t0 = performance.now();
      const out = await segmenter.segmentBatch(
        batch.map((f) => f.rgb),
        { probabilities: on && segmenter.providesProbabilities },
      );
      const t1 = performance.now();
      batch.forEach((f, j) => {
        const probs = out[j].probabilities;
        bytes += JSON.stringify(imageQualityCounts(f.label, out[j].label, probs ? { data: probs, ...segmenter.inputSize } : null, { boundary: on })).length;
      });
      inferMs += t1 - t0;
      countsMs += performance.now() - t1;
    }
    const cpu = process.cpuUsage(cpu0);
    return {
      infer: inferMs / frames.length,
      counts: countsMs / frames.length,
      bytes: bytes / frames.length,
      cpu: (cpu.user + cpu.system) / 1000 / frames.length,
    };
  };
  await pass(true); // warm-up
  const off: Awaited<ReturnType<typeof pass>>[] = [];
  const on: Awaited<ReturnType<typeof pass>>[] = [];
  for (let r = 0; r < rounds; r++) {
    off.push(await pass(false));
    on.push(await pass(true));
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const r1 = (x: number) => +x.toFixed(1);
  const offMs = med(off.map((p) => p.infer + p.counts));
  const onMs = med(on.map((p) => p.infer + p.counts));
  return {
    arch,
    backend: segmenter.backend,
    frames: frames.length,
    rounds,
    offMsPerFrame: r1(offMs),
    onMsPerFrame: r1(onMs),
    addedMsPerFrame: r1(onMs - offMs),
    addedInferenceMs: r1(med(on.map((p) => p.infer)) - med(off.map((p) => p.infer))),
    addedCountsMs: r1(med(on.map((p) => p.counts)) - med(off.map((p) => p.counts))),
    offCpuMsPerFrame: r1(med(off.map((p) => p.cpu))),
    onCpuMsPerFrame: r1(med(on.map((p) => p.cpu))),
    addedCpuMsPerFrame: r1(med(on.map((p) => p.cpu)) - med(off.map((p) => p.cpu))),
    countsBytesOff: Math.round(off[0].bytes),
    countsBytesOn: Math.round(on[0].bytes),
  };
}
