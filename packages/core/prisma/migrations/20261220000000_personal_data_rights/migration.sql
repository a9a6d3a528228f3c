-- Personal data rights (issue 17, Law 91/2025/QH15): per-member data keys (crypto-shredding on
-- erasure), restriction, the legal basis per purpose, purposes of officers' reads, and data
-- subjects' requests. Members sealed before per-member keys are moved to their own key by the
-- registry when it opens (members/member-data-keys.ts): SQL cannot seal.

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "dataKey" BYTEA,
ADD COLUMN     "erasedAt" TIMESTAMP(3),
ADD COLUMN     "restrictedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "PersonalDataAccess" ADD COLUMN     "purpose" TEXT,
ADD COLUMN     "legalBasis" TEXT,
ADD COLUMN     "reason" BYTEA;

-- CreateTable
CREATE TABLE "ProcessingBasis" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "basis" TEXT NOT NULL,
    "noticeVersion" INTEGER,
    "method" TEXT,
    "givenAt" TIMESTAMP(3) NOT NULL,
    "recordedBy" TEXT NOT NULL,
    "withdrawnAt" TIMESTAMP(3),
    "withdrawnBy" TEXT,

    CONSTRAINT "ProcessingBasis_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataRightsRequest" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "detail" BYTEA,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),
    "answeredBy" TEXT,
    "answer" BYTEA,

    CONSTRAINT "DataRightsRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PersonalDataAccess_actorId_at_idx" ON "PersonalDataAccess"("actorId", "at");

-- CreateIndex
CREATE INDEX "ProcessingBasis_memberId_purpose_idx" ON "ProcessingBasis"("memberId", "purpose");

-- CreateIndex
CREATE INDEX "DataRightsRequest_memberId_createdAt_idx" ON "DataRightsRequest"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "DataRightsRequest_status_dueAt_idx" ON "DataRightsRequest"("status", "dueAt");

-- Members registered before legal bases were recorded gave their personal data under the
-- membership agreement: record that basis (CONTRACT) for the purposes it was collected for, so
-- their data stays readable. The operator confirms this reading (docs/PRIVACY.md, "Migration").
INSERT INTO "ProcessingBasis" ("id", "memberId", "purpose", "basis", "givenAt", "recordedBy")
SELECT gen_random_uuid()::text, m."id", p."purpose", 'CONTRACT', m."createdAt", 'migration:20261220000000'
FROM "Member" m CROSS JOIN (VALUES ('CERTIFICATION'), ('IDENTITY_CHECK'), ('CONTACT')) AS p("purpose")
WHERE m."privateData" IS NOT NULL;
