-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Dataset" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "root" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "splitFingerprint" TEXT NOT NULL,
    "ignorePolicy" JSONB NOT NULL,
    "classPixels" JSONB NOT NULL,
    "hoodPixels" INTEGER NOT NULL DEFAULT 0,
    "hoodMasks" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetImage" (
    "id" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "subset" TEXT NOT NULL DEFAULT '',
    "split" TEXT NOT NULL,
    "imagePath" TEXT NOT NULL,
    "labelPath" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,
    "classPixels" JSONB NOT NULL,

    CONSTRAINT "DatasetImage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Checkpoint" (
    "id" TEXT NOT NULL,
    "arch" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "dir" TEXT NOT NULL,
    "weightsSha256" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "params" INTEGER NOT NULL,
    "gflops" DOUBLE PRECISION NOT NULL,
    "card" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Checkpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingRun" (
    "id" TEXT NOT NULL,
    "arch" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "options" JSONB NOT NULL,
    "datasetId" TEXT,
    "checkpointId" TEXT,
    "epochsTotal" INTEGER NOT NULL,
    "epochsDone" INTEGER NOT NULL DEFAULT 0,
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "backend" TEXT,
    "ignorePolicy" JSONB,
    "bestEpoch" INTEGER,
    "bestValMiou" DOUBLE PRECISION,
    "wallSeconds" DOUBLE PRECISION,
    "error" TEXT,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "TrainingRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingEpoch" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL,
    "trainLoss" DOUBLE PRECISION NOT NULL,
    "valLoss" DOUBLE PRECISION NOT NULL,
    "valMiou" DOUBLE PRECISION NOT NULL,
    "valPixelAccuracy" DOUBLE PRECISION NOT NULL,
    "perClassIou" JSONB NOT NULL,
    "lr" DOUBLE PRECISION NOT NULL,
    "seconds" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "TrainingEpoch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvaluationRun" (
    "id" TEXT NOT NULL,
    "checkpointId" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "split" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "totalImages" INTEGER NOT NULL,
    "chunkSize" INTEGER NOT NULL DEFAULT 16,
    "backend" TEXT,
    "ignorePolicy" JSONB NOT NULL,
    "confusion" JSONB,
    "metrics" JSONB,
    "miou" DOUBLE PRECISION,
    "imagesPerSecond" DOUBLE PRECISION,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "EvaluationRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClassMetric" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "classId" INTEGER NOT NULL,
    "iou" DOUBLE PRECISION,
    "iouLow" DOUBLE PRECISION,
    "iouHigh" DOUBLE PRECISION,
    "precision" DOUBLE PRECISION,
    "recall" DOUBLE PRECISION,
    "dice" DOUBLE PRECISION,
    "support" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "ClassMetric_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Prediction" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "labelPng" BYTEA NOT NULL,
    "confusion" JSONB NOT NULL,
    "imageMiou" DOUBLE PRECISION,
    "latencyMs" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Prediction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlaygroundUpload" (
    "id" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "imagePng" BYTEA NOT NULL,
    "sampleImageId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlaygroundUpload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlaygroundPrediction" (
    "id" TEXT NOT NULL,
    "uploadId" TEXT NOT NULL,
    "checkpointId" TEXT NOT NULL,
    "labelPng" BYTEA NOT NULL,
    "classPercents" JSONB NOT NULL,
    "imageMiou" DOUBLE PRECISION,
    "latencyMs" DOUBLE PRECISION NOT NULL,
    "backend" TEXT NOT NULL,

    CONSTRAINT "PlaygroundPrediction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HealthCheck" (
    "id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "workerPid" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "HealthCheck_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Dataset_name_key" ON "Dataset"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Dataset_contentHash_key" ON "Dataset"("contentHash");

-- CreateIndex
CREATE INDEX "DatasetImage_datasetId_split_idx" ON "DatasetImage"("datasetId", "split");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetImage_datasetId_key_key" ON "DatasetImage"("datasetId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Checkpoint_weightsSha256_key" ON "Checkpoint"("weightsSha256");

-- CreateIndex
CREATE INDEX "TrainingRun_status_idx" ON "TrainingRun"("status");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingEpoch_runId_epoch_key" ON "TrainingEpoch"("runId", "epoch");

-- CreateIndex
CREATE INDEX "EvaluationRun_datasetId_split_status_idx" ON "EvaluationRun"("datasetId", "split", "status");

-- CreateIndex
CREATE INDEX "EvaluationRun_checkpointId_idx" ON "EvaluationRun"("checkpointId");

-- CreateIndex
CREATE UNIQUE INDEX "ClassMetric_runId_classId_key" ON "ClassMetric"("runId", "classId");

-- CreateIndex
CREATE INDEX "Prediction_imageId_idx" ON "Prediction"("imageId");

-- CreateIndex
CREATE UNIQUE INDEX "Prediction_runId_imageId_key" ON "Prediction"("runId", "imageId");

-- CreateIndex
CREATE INDEX "PlaygroundUpload_createdAt_idx" ON "PlaygroundUpload"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PlaygroundPrediction_uploadId_checkpointId_key" ON "PlaygroundPrediction"("uploadId", "checkpointId");

-- AddForeignKey
ALTER TABLE "DatasetImage" ADD CONSTRAINT "DatasetImage_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRun" ADD CONSTRAINT "TrainingRun_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRun" ADD CONSTRAINT "TrainingRun_checkpointId_fkey" FOREIGN KEY ("checkpointId") REFERENCES "Checkpoint"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingEpoch" ADD CONSTRAINT "TrainingEpoch_runId_fkey" FOREIGN KEY ("runId") REFERENCES "TrainingRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvaluationRun" ADD CONSTRAINT "EvaluationRun_checkpointId_fkey" FOREIGN KEY ("checkpointId") REFERENCES "Checkpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvaluationRun" ADD CONSTRAINT "EvaluationRun_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClassMetric" ADD CONSTRAINT "ClassMetric_runId_fkey" FOREIGN KEY ("runId") REFERENCES "EvaluationRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_runId_fkey" FOREIGN KEY ("runId") REFERENCES "EvaluationRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "DatasetImage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlaygroundPrediction" ADD CONSTRAINT "PlaygroundPrediction_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "PlaygroundUpload"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlaygroundPrediction" ADD CONSTRAINT "PlaygroundPrediction_checkpointId_fkey" FOREIGN KEY ("checkpointId") REFERENCES "Checkpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;
