import { NUM_CLASSES } from '../../models/classes.ts';
import { bootstrapAdditive, sumInBlocks, sumVectors, type StatisticInterval } from '../metrics/additive-bootstrap.ts';
import { boundaryIous } from '../metrics/boundary-iou.ts';
import { worstFlickerSegments } from '../metrics/flicker-segments.ts';
import { CALIBRATION_BINS, calibrationErrors, coverageCurve, reliabilityBins } from '../metrics/calibration.ts';
import { meanIgnoringNaN } from '../metrics/class-metrics.ts';
import { safetyWeightedError } from '../metrics/safety-weighted-error.ts';
import { SIZE_BUCKETS, SMALL_OBJECT_CLASSES, smallObjectRecalls } from '../metrics/small-object-recall.ts';
import { temporalRates } from '../metrics/temporal-stability.ts';
import type { CostMatrix, PredictionQualityCounts, RunQualitySummary } from '../schemas/quality.ts';
import type { StoredInterval } from '../schemas/common.ts';

export interface FramePair {
  imageIdA: string;
  keyA: string;
  imageIdB: string;
  keyB: string;
  /** temporalPairCounts of the two frames. */
  counts: Float64Array;
}

export interface RunQualityInput {
  /** One per evaluated image, in frame order (the order the bootstrap blocks follow). */
  images: readonly PredictionQualityCounts[];
  /** Frames per resampling unit (bootstrapBlockSize); also consecutive pairs per unit for flicker. */
  blockSize: number;
  costMatrix: CostMatrix;
  defaultCostMatrix: boolean;
  /** Consecutive frame pairs, or why the run has none. */
  temporal: { pairs: readonly FramePair[] } | { reason: string };
  /** Why calibration is absent (not asked for, or the model gives no probabilities), where it is. */
  calibrationAbsentReason: string;
  boundaryAbsentReason: string;
  /** The run's summed (unweighted) confusion counts, row-major C·C: the error without the distance weighting. */
  confusion: Float64Array;
  resamples?: number;
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);
const stored = (i: StatisticInterval): StoredInterval => ({ estimate: finite(i.estimate), low: finite(i.low), high: finite(i.high) });
const WORST_PAIRS = 6;
/** Segments: 3 pairs = 4 consecutive frames, the 3 worst overall and the worst of each class. */
const SEGMENT_PAIRS = 3;
const WORST_SEGMENTS = 3;
/** A class's segment needs this many stable pixels of it per pair (0.1% of an 800×600 frame). */
const MIN_STABLE_PER_PAIR = 500;

/** The worst flickering runs of consecutive frames, overall then per class (classes with too few stable pixels have none). */
function flickerSegments(pairs: readonly FramePair[]): NonNullable<Extract<RunQualitySummary['temporal'], { available: true }>['segments']> {
  const frames = (start: number, end: number) => [
    { imageId: pairs[start].imageIdA, key: pairs[start].keyA },
    ...pairs.slice(start, end).map((p) => ({ imageId: p.imageIdB, key: p.keyB })),
  ];
  const of = (classId: number | null, count: number) =>
    worstFlickerSegments(pairs, { length: SEGMENT_PAIRS, count, ...(classId === null ? {} : { classId, minStable: MIN_STABLE_PER_PAIR * SEGMENT_PAIRS }) }).map(
      (w) => ({
        classId,
        flicker: w.flicker,
        gtChange: w.gtChange,
        frames: frames(w.start, w.end),
      }),
    );
  return [...of(null, WORST_SEGMENTS), ...Array.from({ length: NUM_CLASSES }, (_, k) => of(k, 1)).flat()];
}

/** A run's metrics beyond mIoU with 95% bootstrap intervals over the same units as its mIoU. */
export function summariseRunQuality(input: RunQualityInput): RunQualitySummary {
  const { images, blockSize } = input;
  if (images.length === 0) throw new RangeError('summariseRunQuality: no images');
  const opts = { resamples: input.resamples ?? 1000 };
  const units = (pick: (c: PredictionQualityCounts) => readonly number[]) =>
    sumInBlocks(
      images.map((c) => Float64Array.from(pick(c))),
      blockSize,
    );

  let calibration: RunQualitySummary['calibration'];
  if (images.every((c) => c.calibration !== null)) {
    const u = units((c) => c.calibration!);
    const [ece, ...perClass] = bootstrapAdditive(u, (s) => calibrationErrors(s), opts).map(stored);
    const total = sumVectors(u);
    calibration = {
      available: true,
      bins: CALIBRATION_BINS,
      ece,
      perClass,
      reliability: reliabilityBins(total).map((b) => ({ ...b, confidence: finite(b.confidence), accuracy: finite(b.accuracy) })),
      coverage: coverageCurve(total).map((p) => ({
        threshold: p.threshold,
        coverage: finite(p.coverage),
        miou: finite(p.miou),
        pixelAccuracy: finite(p.pixelAccuracy),
      })),
    };
  } else calibration = { available: false, reason: input.calibrationAbsentReason };

  const safetyUnits = units((c) => c.safety);
  const [error] = bootstrapAdditive(safetyUnits, (s) => [safetyWeightedError(s, input.costMatrix)], opts).map(stored);

  let temporal: RunQualitySummary['temporal'];
  if ('reason' in input.temporal) temporal = { available: false, reason: input.temporal.reason };
  else if (input.temporal.pairs.length === 0) temporal = { available: false, reason: 'no two evaluated frames are consecutive frames of one recording' };
  else {
    const pairs = input.temporal.pairs;
    const rates = bootstrapAdditive(
      sumInBlocks(
        pairs.map((p) => p.counts),
        blockSize,
      ),
      (s) => temporalRates(s),
      opts,
    );
    const point = temporalRates(sumVectors(pairs.map((p) => p.counts)));
    const worst = pairs
      .map((p) => {
        const [flicker, gtChange] = temporalRates(p.counts);
        return { imageIdA: p.imageIdA, keyA: p.keyA, imageIdB: p.imageIdB, keyB: p.keyB, flicker, gtChange };
      })
      .filter((p) => Number.isFinite(p.flicker) && Number.isFinite(p.gtChange))
      .sort((a, b) => b.flicker - a.flicker)
      .slice(0, WORST_PAIRS);
    temporal = {
      available: true,
      pairs: pairs.length,
      flicker: stored(rates[0]),
      gtChange: stored(rates[1]),
      perClass: Array.from({ length: NUM_CLASSES }, (_, k) => ({ flicker: stored(rates[2 + k]), gtChange: finite(point[2 + NUM_CLASSES + k]) })),
      worst,
      segments: flickerSegments(pairs),
    };
  }

  let boundary: RunQualitySummary['boundary'];
  if (images.every((c) => c.boundary !== null)) {
    const [mean, ...perClass] = bootstrapAdditive(
      units((c) => c.boundary!),
      (s) => {
        const ious = boundaryIous(s);
        return [meanIgnoringNaN(ious), ...ious];
      },
      opts,
    ).map(stored);
    boundary = { available: true, bandPx: images[0].bandPx, mean, perClass };
  } else boundary = { available: false, reason: input.boundaryAbsentReason };

  const small = units((c) => c.smallObjects);
  const smallTotal = sumVectors(small);
  const recalls = bootstrapAdditive(small, (s) => smallObjectRecalls(s), opts).map(stored);
  const nb = SIZE_BUCKETS.length;

  return {
    images: images.length,
    resamplingUnit: blockSize > 1 ? `block of ${blockSize} consecutive frames (flicker: ${blockSize} consecutive pairs)` : 'image',
    calibration,
    safety: {
      error,
      unweightedError: finite(safetyWeightedError(input.confusion, input.costMatrix)),
      weighting: 'linear-rows',
      defaultCostMatrix: input.defaultCostMatrix,
    },
    temporal,
    boundary,
    smallObjects: {
      classes: [...SMALL_OBJECT_CLASSES],
      buckets: SIZE_BUCKETS.map((b) => b.label),
      recall: SMALL_OBJECT_CLASSES.map((_, i) =>
        SIZE_BUCKETS.map((_, b) => ({ ...recalls[i * nb + b], objects: smallTotal[(i * nb + b) * 2], found: smallTotal[(i * nb + b) * 2 + 1] })),
      ),
    },
  };
}
