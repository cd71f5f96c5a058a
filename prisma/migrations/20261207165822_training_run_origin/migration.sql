-- AlterTable
ALTER TABLE "TrainingRun" ADD COLUMN     "card" JSONB,
ADD COLUMN     "origin" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "TrainingRun_origin_key" ON "TrainingRun"("origin");

-- The history run registered with a shipped checkpoint took its selection mIoU from the card
-- valMiou (the val split), not from the selection split that chose its epoch. It takes the
-- card selection number now (null for a card from before the selection split existed).
UPDATE "TrainingRun" t
SET "bestValMiou" = (c."card" -> 'selection' ->> 'miou')::double precision
FROM "Checkpoint" c
WHERE t."checkpointId" = c."id" AND NOT t."trainedHere";
