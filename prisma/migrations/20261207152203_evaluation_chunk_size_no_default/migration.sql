-- AlterTable
ALTER TABLE "EvaluationRun" ALTER COLUMN "chunkSize" DROP DEFAULT;
