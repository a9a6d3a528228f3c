-- Erasure completeness (issue 17): erasures wait here, unlogged, until a whole past UTC day is
-- published in the transparency log as one count (`personal-data.erasures`), so no log entry sits
-- at the moment of an erasure next to the member's status change (data-rights/erasure-counts.ts).

-- CreateTable
CREATE TABLE "PendingErasure" (
    "id" TEXT NOT NULL,
    "ground" TEXT NOT NULL,
    "erasedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PendingErasure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PendingErasure_erasedAt_idx" ON "PendingErasure"("erasedAt");
