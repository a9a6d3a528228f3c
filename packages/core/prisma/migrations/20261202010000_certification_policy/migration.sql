-- CreateEnum
CREATE TYPE "PolicyStatus" AS ENUM ('PROPOSED', 'APPROVED');

-- AlterTable
ALTER TABLE "Assessment" ADD COLUMN     "policyVersion" INTEGER;

-- AlterTable
ALTER TABLE "PledgeVersion" ADD COLUMN     "approvedBy" TEXT,
ADD COLUMN     "graceDays" INTEGER,
ADD COLUMN     "proposedBy" TEXT;

-- CreateTable
CREATE TABLE "CertificationPolicy" (
    "id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "PolicyStatus" NOT NULL DEFAULT 'PROPOSED',
    "passingScore" INTEGER NOT NULL,
    "groupMinimums" JSONB NOT NULL,
    "validityMonths" INTEGER NOT NULL,
    "minGraceDays" INTEGER NOT NULL,
    "assessmentPrograms" "BadgeProgram"[],
    "effectiveFrom" TIMESTAMP(3) NOT NULL,
    "proposedBy" TEXT NOT NULL,
    "proposedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "approvedBy" TEXT,
    "approvedAt" TIMESTAMP(3),

    CONSTRAINT "CertificationPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CertificationPolicy_version_key" ON "CertificationPolicy"("version");

-- CreateIndex
CREATE INDEX "CertificationPolicy_status_effectiveFrom_idx" ON "CertificationPolicy"("status", "effectiveFrom");

-- Version 1, the national scheme's defaults, in force from the epoch: pass at 70 of 100, at
-- least half of each group's maximum (rounded up), 12 months' validity, at least 30 days to
-- re-sign a new pledge version, an assessment for every program.
INSERT INTO "CertificationPolicy" ("id", "version", "status", "passingScore", "groupMinimums", "validityMonths", "minGraceDays", "assessmentPrograms", "effectiveFrom", "proposedBy", "proposedAt", "approvedBy", "approvedAt")
VALUES (
    '00000000-0000-7000-8000-000000000001', 1, 'APPROVED', 70,
    '{"LEGAL_COMPLIANCE": 15, "CONTENT_QUALITY": 10, "TRANSPARENCY": 10, "COMMUNITY_IMPACT": 8, "CONDUCT_HISTORY": 8}'::jsonb,
    12, 30, ARRAY['KOL_TRUST', 'ALLIANCE_MEMBER', 'OFFICIAL_CHANNEL']::"BadgeProgram"[],
    TIMESTAMP '1970-01-01 00:00:00', 'system', TIMESTAMP '1970-01-01 00:00:00', 'system', TIMESTAMP '1970-01-01 00:00:00'
);
