-- Lookalike detection: each account's handle skeleton and its one-character deletions
-- (packages/core/src/accounts/skeleton.ts), indexed for the symmetric-delete search.

-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "skeleton" TEXT,
ADD COLUMN     "skeletonVariants" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE INDEX "Account_skeleton_idx" ON "Account"("skeleton");

-- CreateIndex
CREATE INDEX "Account_skeletonVariants_idx" ON "Account" USING GIN ("skeletonVariants");
