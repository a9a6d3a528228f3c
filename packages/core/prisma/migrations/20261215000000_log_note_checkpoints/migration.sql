-- AlterTable
ALTER TABLE "LogCheckpoint" ADD COLUMN     "logKeyId" TEXT,
ADD COLUMN     "note" TEXT;

-- CreateTable
CREATE TABLE "LogKey" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" "KeyStatus" NOT NULL,
    "publicKey" BYTEA NOT NULL,
    "privateKey" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMP(3),
    "reason" TEXT,

    CONSTRAINT "LogKey_pkey" PRIMARY KEY ("id")
);
