-- AlterTable: test-time augmentation of an evaluation ('none' | 'flip'), existing runs are plain
ALTER TABLE "EvaluationRun" ADD COLUMN     "tta" TEXT NOT NULL DEFAULT 'none';
