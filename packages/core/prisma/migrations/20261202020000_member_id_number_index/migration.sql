-- One member per national ID number, compared through a keyed blind index (HMAC of the digits
-- under a key derived from TRUST_DATA_KEY). SQL cannot compute it, so existing members get
-- their index on their next update (or from the registry's backfillIdNumberIndex()).

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "idNumberIndex" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Member_idNumberIndex_key" ON "Member"("idNumberIndex");
