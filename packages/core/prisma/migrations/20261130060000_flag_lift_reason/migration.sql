-- AlterTable
ALTER TABLE "Flag" ADD COLUMN     "liftReason" BYTEA,
ADD COLUMN     "liftedBy" TEXT;
