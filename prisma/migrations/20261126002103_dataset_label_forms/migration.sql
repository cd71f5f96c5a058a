-- AlterTable
ALTER TABLE "Dataset" ADD COLUMN     "labelForms" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "labelPalette" TEXT,
ADD COLUMN     "voidPixels" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "DatasetImage" ADD COLUMN     "voidPixels" INTEGER NOT NULL DEFAULT 0;
