-- AlterTable
ALTER TABLE "EvaluationRun" ADD COLUMN     "tta" TEXT NOT NULL DEFAULT 'none';
