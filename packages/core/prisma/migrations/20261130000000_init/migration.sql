-- The whole model of prisma/schema.prisma, written by hand in Prisma's own style
-- (the schema engine cannot run on our machines; see docs/MIGRATIONS.md).

-- CreateEnum
CREATE TYPE "Platform" AS ENUM ('FACEBOOK', 'ZALO', 'TIKTOK', 'YOUTUBE', 'INSTAGRAM', 'X', 'THREADS', 'TELEGRAM', 'WEBSITE');
CREATE TYPE "MemberKind" AS ENUM ('KOL', 'PAGE_ADMIN', 'GROUP_ADMIN', 'BUSINESS', 'AGENCY');
CREATE TYPE "MemberStatus" AS ENUM ('PENDING', 'ACTIVE', 'SUSPENDED', 'EXPELLED', 'WITHDRAWN');
CREATE TYPE "OwnershipStatus" AS ENUM ('UNVERIFIED', 'VERIFIED', 'REVOKED');
CREATE TYPE "ChallengeStatus" AS ENUM ('OPEN', 'CONFIRMED', 'FAILED', 'EXPIRED');
CREATE TYPE "PledgeStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'SUPERSEDED');
CREATE TYPE "SignatureMethod" AS ENUM ('IN_PERSON', 'ONLINE');
CREATE TYPE "AssessmentDecision" AS ENUM ('PASS', 'FAIL');
CREATE TYPE "BadgeProgram" AS ENUM ('KOL_TRUST', 'ALLIANCE_MEMBER', 'OFFICIAL_CHANNEL');
CREATE TYPE "BadgeStatus" AS ENUM ('ACTIVE', 'SUSPENDED', 'REVOKED');
CREATE TYPE "ReasonCategory" AS ENUM ('ISSUED', 'RENEWED', 'REINSTATED', 'UNDER_INVESTIGATION', 'CODE_OF_CONDUCT_VIOLATION', 'LEGAL_VIOLATION', 'PLEDGE_NOT_RENEWED', 'MEMBER_REQUEST', 'ACCOUNT_COMPROMISED', 'ADMINISTRATIVE', 'OTHER');
CREATE TYPE "ReportCategory" AS ENUM ('IMPERSONATION', 'SCAM', 'MISINFORMATION', 'UNDISCLOSED_ADVERTISING', 'OTHER');
CREATE TYPE "ReportStatus" AS ENUM ('OPEN', 'CONFIRMED', 'DISMISSED');
CREATE TYPE "KeyAlgorithm" AS ENUM ('EdDSA', 'ES256');
CREATE TYPE "KeyStatus" AS ENUM ('CURRENT', 'RETIRED', 'COMPROMISED');

-- CreateTable
CREATE TABLE "Member" (
    "id" TEXT NOT NULL,
    "kind" "MemberKind" NOT NULL,
    "status" "MemberStatus" NOT NULL DEFAULT 'PENDING',
    "displayName" TEXT NOT NULL,
    "searchText" TEXT NOT NULL,
    "province" TEXT,
    "categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "privateData" BYTEA,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberStatusEvent" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "status" "MemberStatus" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reasonCategory" "ReasonCategory" NOT NULL,
    "reasonPrivate" BYTEA,
    "actorId" TEXT,

    CONSTRAINT "MemberStatusEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Account" (
    "id" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "key" TEXT NOT NULL,
    "platformId" TEXT,
    "handle" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "displayName" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccountIdentifier" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "activeKey" TEXT,
    "handle" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "validFrom" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "validTo" TIMESTAMP(3),

    CONSTRAINT "AccountIdentifier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccountAdmin" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "ownership" "OwnershipStatus" NOT NULL DEFAULT 'UNVERIFIED',
    "verifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccountAdmin_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OwnershipEvent" (
    "id" TEXT NOT NULL,
    "accountAdminId" TEXT NOT NULL,
    "ownership" "OwnershipStatus" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT NOT NULL,

    CONSTRAINT "OwnershipEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OwnershipChallenge" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "status" "ChallengeStatus" NOT NULL DEFAULT 'OPEN',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "confirmedAt" TIMESTAMP(3),
    "confirmedBy" TEXT,

    CONSTRAINT "OwnershipChallenge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PledgeVersion" (
    "id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "titleVi" TEXT NOT NULL,
    "titleEn" TEXT NOT NULL,
    "textVi" TEXT NOT NULL,
    "textEn" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "status" "PledgeStatus" NOT NULL DEFAULT 'DRAFT',
    "effectiveAt" TIMESTAMP(3),
    "graceEndsAt" TIMESTAMP(3),
    "publishedAt" TIMESTAMP(3),
    "supersededAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PledgeVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PledgeSignature" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "pledgeVersionId" TEXT NOT NULL,
    "signedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "method" "SignatureMethod" NOT NULL,
    "evidenceHash" TEXT,
    "withdrawnAt" TIMESTAMP(3),
    "withdrawReason" TEXT,

    CONSTRAINT "PledgeSignature_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Assessment" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "program" "BadgeProgram" NOT NULL,
    "steps" TEXT[],
    "scores" JSONB NOT NULL,
    "totalScore" INTEGER NOT NULL,
    "passingScore" INTEGER NOT NULL,
    "decision" "AssessmentDecision" NOT NULL,
    "officerId" TEXT NOT NULL,
    "assessedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "validUntil" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Assessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Badge" (
    "id" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "program" "BadgeProgram" NOT NULL,
    "status" "BadgeStatus" NOT NULL DEFAULT 'ACTIVE',
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Badge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BadgeEvent" (
    "id" TEXT NOT NULL,
    "badgeId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "status" "BadgeStatus" NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reasonCategory" "ReasonCategory" NOT NULL,
    "reasonPrivate" BYTEA,
    "actorId" TEXT,

    CONSTRAINT "BadgeEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Report" (
    "id" TEXT NOT NULL,
    "accountKey" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "category" "ReportCategory" NOT NULL,
    "description" TEXT NOT NULL,
    "reporterContact" BYTEA,
    "status" "ReportStatus" NOT NULL DEFAULT 'OPEN',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "resolvedBy" TEXT,
    "resolution" TEXT,

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Flag" (
    "id" TEXT NOT NULL,
    "accountKey" TEXT NOT NULL,
    "platform" "Platform" NOT NULL,
    "category" "ReportCategory" NOT NULL,
    "reportId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "liftedAt" TIMESTAMP(3),

    CONSTRAINT "Flag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SigningKey" (
    "id" TEXT NOT NULL,
    "algorithm" "KeyAlgorithm" NOT NULL,
    "status" "KeyStatus" NOT NULL,
    "publicJwk" JSONB NOT NULL,
    "privateJwk" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMP(3),
    "compromisedAt" TIMESTAMP(3),
    "reason" TEXT,
    "publishUntil" TIMESTAMP(3),

    CONSTRAINT "SigningKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attestation" (
    "id" TEXT NOT NULL,
    "badgeId" TEXT NOT NULL,
    "kid" TEXT NOT NULL,
    "jws" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "statusListId" TEXT NOT NULL,
    "statusIdx" INTEGER NOT NULL,
    "supersededAt" TIMESTAMP(3),

    CONSTRAINT "Attestation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StatusList" (
    "id" TEXT NOT NULL,
    "bits" INTEGER NOT NULL DEFAULT 2,
    "capacity" INTEGER NOT NULL,
    "nextIdx" INTEGER NOT NULL DEFAULT 0,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "jwt" TEXT,
    "jwtRevision" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StatusList_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LogEntry" (
    "idx" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "leafHash" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LogEntry_pkey" PRIMARY KEY ("idx")
);

-- CreateTable
CREATE TABLE "LogCheckpoint" (
    "size" INTEGER NOT NULL,
    "rootHash" BYTEA NOT NULL,
    "jws" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LogCheckpoint_pkey" PRIMARY KEY ("size")
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("scope","key")
);

-- CreateTable
CREATE TABLE "PersonalDataAccess" (
    "id" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "fields" TEXT[],
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PersonalDataAccess_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Member_status_idx" ON "Member"("status");
CREATE INDEX "Member_province_idx" ON "Member"("province");
CREATE INDEX "Member_searchText_idx" ON "Member"("searchText");
CREATE INDEX "MemberStatusEvent_memberId_at_idx" ON "MemberStatusEvent"("memberId", "at");
CREATE UNIQUE INDEX "Account_key_key" ON "Account"("key");
CREATE UNIQUE INDEX "Account_platform_platformId_key" ON "Account"("platform", "platformId");
CREATE UNIQUE INDEX "AccountIdentifier_activeKey_key" ON "AccountIdentifier"("activeKey");
CREATE INDEX "AccountIdentifier_key_validFrom_idx" ON "AccountIdentifier"("key", "validFrom");
CREATE INDEX "AccountIdentifier_accountId_idx" ON "AccountIdentifier"("accountId");
CREATE INDEX "AccountAdmin_memberId_idx" ON "AccountAdmin"("memberId");
CREATE UNIQUE INDEX "AccountAdmin_accountId_memberId_key" ON "AccountAdmin"("accountId", "memberId");
CREATE INDEX "OwnershipEvent_accountAdminId_at_idx" ON "OwnershipEvent"("accountAdminId", "at");
CREATE INDEX "OwnershipChallenge_accountId_memberId_idx" ON "OwnershipChallenge"("accountId", "memberId");
CREATE UNIQUE INDEX "PledgeVersion_version_key" ON "PledgeVersion"("version");
CREATE INDEX "PledgeSignature_memberId_pledgeVersionId_idx" ON "PledgeSignature"("memberId", "pledgeVersionId");
CREATE INDEX "Assessment_memberId_program_idx" ON "Assessment"("memberId", "program");
CREATE INDEX "Badge_memberId_idx" ON "Badge"("memberId");
CREATE INDEX "BadgeEvent_badgeId_at_idx" ON "BadgeEvent"("badgeId", "at");
CREATE INDEX "Report_status_createdAt_idx" ON "Report"("status", "createdAt");
CREATE INDEX "Report_accountKey_idx" ON "Report"("accountKey");
CREATE INDEX "Flag_accountKey_idx" ON "Flag"("accountKey");
CREATE INDEX "Attestation_badgeId_idx" ON "Attestation"("badgeId");
CREATE UNIQUE INDEX "Attestation_statusListId_statusIdx_key" ON "Attestation"("statusListId", "statusIdx");
CREATE INDEX "PersonalDataAccess_memberId_at_idx" ON "PersonalDataAccess"("memberId", "at");

-- AddForeignKey
ALTER TABLE "MemberStatusEvent" ADD CONSTRAINT "MemberStatusEvent_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AccountIdentifier" ADD CONSTRAINT "AccountIdentifier_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AccountAdmin" ADD CONSTRAINT "AccountAdmin_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AccountAdmin" ADD CONSTRAINT "AccountAdmin_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "OwnershipEvent" ADD CONSTRAINT "OwnershipEvent_accountAdminId_fkey" FOREIGN KEY ("accountAdminId") REFERENCES "AccountAdmin"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "OwnershipChallenge" ADD CONSTRAINT "OwnershipChallenge_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "OwnershipChallenge" ADD CONSTRAINT "OwnershipChallenge_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "PledgeSignature" ADD CONSTRAINT "PledgeSignature_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "PledgeSignature" ADD CONSTRAINT "PledgeSignature_pledgeVersionId_fkey" FOREIGN KEY ("pledgeVersionId") REFERENCES "PledgeVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Assessment" ADD CONSTRAINT "Assessment_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Badge" ADD CONSTRAINT "Badge_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "BadgeEvent" ADD CONSTRAINT "BadgeEvent_badgeId_fkey" FOREIGN KEY ("badgeId") REFERENCES "Badge"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Flag" ADD CONSTRAINT "Flag_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Attestation" ADD CONSTRAINT "Attestation_badgeId_fkey" FOREIGN KEY ("badgeId") REFERENCES "Badge"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Attestation" ADD CONSTRAINT "Attestation_statusListId_fkey" FOREIGN KEY ("statusListId") REFERENCES "StatusList"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
