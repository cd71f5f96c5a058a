-- AlterTable
ALTER TABLE "TrainingRun" ADD COLUMN     "keepBestOnStop" BOOLEAN NOT NULL DEFAULT false;
