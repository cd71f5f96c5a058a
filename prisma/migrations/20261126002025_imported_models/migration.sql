-- AlterTable
ALTER TABLE "Checkpoint" ADD COLUMN     "fileBytes" INTEGER,
ADD COLUMN     "parentId" TEXT,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'trained';

-- AddForeignKey
ALTER TABLE "Checkpoint" ADD CONSTRAINT "Checkpoint_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Checkpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;
