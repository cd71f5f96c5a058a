-- AlterTable
ALTER TABLE "TrainingRun" ADD COLUMN     "card" JSONB,
ADD COLUMN     "origin" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "TrainingRun_origin_key" ON "TrainingRun"("origin");

