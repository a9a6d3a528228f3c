-- CreateTable
CREATE TABLE "RegistrySetting" (
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RegistrySetting_pkey" PRIMARY KEY ("name")
);
