-- CreateTable
CREATE TABLE "OfficerPrompt" (
    "officerId" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "officeCode" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OfficerPrompt_pkey" PRIMARY KEY ("officerId","ticketId","action")
);
