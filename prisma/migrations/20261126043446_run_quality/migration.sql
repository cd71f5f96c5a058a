-- CreateTable
CREATE TABLE "PredictionQuality" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "counts" JSONB NOT NULL,

    CONSTRAINT "PredictionQuality_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunQuality" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "costMatrix" JSONB NOT NULL,
    "options" JSONB NOT NULL,
    "summary" JSONB,
    "safetyError" DOUBLE PRECISION,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RunQuality_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PredictionQuality_runId_imageId_key" ON "PredictionQuality"("runId", "imageId");

-- CreateIndex
CREATE UNIQUE INDEX "RunQuality_runId_key" ON "RunQuality"("runId");

-- AddForeignKey
ALTER TABLE "PredictionQuality" ADD CONSTRAINT "PredictionQuality_runId_fkey" FOREIGN KEY ("runId") REFERENCES "EvaluationRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PredictionQuality" ADD CONSTRAINT "PredictionQuality_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "DatasetImage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunQuality" ADD CONSTRAINT "RunQuality_runId_fkey" FOREIGN KEY ("runId") REFERENCES "EvaluationRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
