-- Master data key rotation (issue 17): the working secrets are stored, wrapped under the master
-- key; they are filled in by the first open under this code with the values derived until now.

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "dataKeyMasterKeyId" TEXT;

-- CreateTable
CREATE TABLE "RegistrySecret" (
    "name" TEXT NOT NULL,
    "wrapped" BYTEA NOT NULL,
    "masterKeyId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RegistrySecret_pkey" PRIMARY KEY ("name")
);
