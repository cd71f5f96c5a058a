-- AlterTable
ALTER TABLE "TrainingRun" ADD COLUMN     "trainedHere" BOOLEAN NOT NULL DEFAULT false;
