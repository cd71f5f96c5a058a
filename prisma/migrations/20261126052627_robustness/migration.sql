-- CreateTable
CREATE TABLE "RobustnessRun" (
    "runId" TEXT NOT NULL,
    "corruptions" JSONB NOT NULL,
    "severities" JSONB NOT NULL,
    "results" JSONB,

    CONSTRAINT "RobustnessRun_pkey" PRIMARY KEY ("runId")
);

-- CreateTable
CREATE TABLE "RobustnessImage" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "confusions" JSONB NOT NULL,

    CONSTRAINT "RobustnessImage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RobustnessImage_runId_imageId_key" ON "RobustnessImage"("runId", "imageId");

-- AddForeignKey
ALTER TABLE "RobustnessRun" ADD CONSTRAINT "RobustnessRun_runId_fkey" FOREIGN KEY ("runId") REFERENCES "EvaluationRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RobustnessImage" ADD CONSTRAINT "RobustnessImage_runId_fkey" FOREIGN KEY ("runId") REFERENCES "RobustnessRun"("runId") ON DELETE CASCADE ON UPDATE CASCADE;
