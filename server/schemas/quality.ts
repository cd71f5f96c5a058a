import { z } from 'zod';
import { NUM_CLASSES } from '../../models/classes.ts';
import { calibrationStatsLength } from '../metrics/calibration.ts';
import { SIZE_BUCKETS, SMALL_OBJECT_CLASSES } from '../metrics/small-object-recall.ts';
import { classIdSchema, intervalSchema, nullableNumber } from './common.ts';

/** Shapes of the JSON columns of PredictionQuality and RunQuality (the metrics beyond mIoU). */

const count = z.number().nonnegative();

/** 13 × 13, row = truth, column = prediction; checked further by costMatrixProblem. */
export const costMatrixSchema = z.array(z.array(z.number().finite().nonnegative()).length(NUM_CLASSES)).length(NUM_CLASSES);
export type CostMatrix = z.infer<typeof costMatrixSchema>;

/** The metrics a run computes beyond mIoU that cost CPU per frame (docs/metrics.md); each can be switched off. */
export const qualityOptionsSchema = z.object({ calibration: z.boolean(), boundary: z.boolean() });
export type QualityOptions = z.infer<typeof qualityOptionsSchema>;
/** What a new evaluation computes unless told otherwise: everything. */
export const DEFAULT_QUALITY_OPTIONS: QualityOptions = { calibration: true, boundary: true };
/** A run stored before it had a quality row computed neither. */
export const LEGACY_QUALITY_OPTIONS: QualityOptions = { calibration: false, boundary: false };

/** One image's summable counts (see each metric's module in server/metrics for the layout). */
export const predictionQualityCountsSchema = z.object({
  /** Null when not asked for, or when the model gives no probabilities (an imported ONNX graph returns labels only). */
  calibration: z.array(count).length(calibrationStatsLength()).nullable(),
  safety: z.array(count).length(NUM_CLASSES * NUM_CLASSES),
  /** Null when not asked for. */
  boundary: z
    .array(count)
    .length(2 * NUM_CLASSES)
    .nullable(),
  bandPx: z.number().int().positive(),
  smallObjects: z.array(count).length(SMALL_OBJECT_CLASSES.length * SIZE_BUCKETS.length * 2),
});
export type PredictionQualityCounts = z.infer<typeof predictionQualityCountsSchema>;

const absent = z.object({ available: z.literal(false), reason: z.string() });

export const calibrationSummarySchema = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    bins: z.number().int().positive(),
    ece: intervalSchema,
    /** ECE of the pixels predicted as each class. */
    perClass: z.array(intervalSchema).length(NUM_CLASSES),
    reliability: z.array(z.object({ lower: z.number(), upper: z.number(), pixels: count, confidence: nullableNumber, accuracy: nullableNumber })),
    coverage: z.array(z.object({ threshold: z.number(), coverage: nullableNumber, miou: nullableNumber, pixelAccuracy: nullableNumber })),
  }),
  absent,
]);

export const safetySummarySchema = z.object({
  error: intervalSchema,
  /** The same cost matrix without the row weighting, for reading how much nearness adds. */
  unweightedError: nullableNumber,
  weighting: z.literal('linear-rows'),
  defaultCostMatrix: z.boolean(),
});

export const temporalSummarySchema = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    pairs: z.number().int().nonnegative(),
    flicker: intervalSchema,
    gtChange: intervalSchema,
    perClass: z.array(z.object({ flicker: intervalSchema, gtChange: nullableNumber })).length(NUM_CLASSES),
    worst: z.array(z.object({ imageIdA: z.string(), keyA: z.string(), imageIdB: z.string(), keyB: z.string(), flicker: z.number(), gtChange: z.number() })),
    /** Worst runs of consecutive frames, overall (classId null) and per class; absent in summaries stored before them. */
    segments: z
      .array(
        z.object({
          classId: classIdSchema.nullable(),
          flicker: z.number(),
          gtChange: z.number(),
          frames: z.array(z.object({ imageId: z.string(), key: z.string() })).min(2),
        }),
      )
      .optional(),
  }),
  absent,
]);

export const boundarySummarySchema = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    bandPx: z.number().int().positive(),
    mean: intervalSchema,
    perClass: z.array(intervalSchema).length(NUM_CLASSES),
  }),
  absent,
]);

export const smallObjectSummarySchema = z.object({
  classes: z.array(z.number().int()),
  buckets: z.array(z.string()),
  /** [class][bucket] */
  recall: z.array(z.array(intervalSchema.extend({ objects: count, found: count }))),
});

export const runQualitySummarySchema = z.object({
  images: z.number().int().nonnegative(),
  resamplingUnit: z.string(),
  calibration: calibrationSummarySchema,
  safety: safetySummarySchema,
  temporal: temporalSummarySchema,
  boundary: boundarySummarySchema,
  smallObjects: smallObjectSummarySchema,
});
export type RunQualitySummary = z.infer<typeof runQualitySummarySchema>;
