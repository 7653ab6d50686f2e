
-- CreateTable
CREATE TABLE "Chat" (
    "key" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "addressEnc" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'id',
    "flow" TEXT NOT NULL DEFAULT 'menu',
    "flowVersion" INTEGER NOT NULL DEFAULT 1,
    "snapshot" JSONB,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "recentMessages" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "prompt" JSONB,
    "unreachableAt" TIMESTAMP(3),
    "bannedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Chat_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Ticket" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'received',
    "category" TEXT NOT NULL,
    "officeCode" TEXT NOT NULL,
    "regencyCode" TEXT,
    "provinceCode" TEXT,
    "reporterChatKey" TEXT NOT NULL,
    "pseudonym" TEXT NOT NULL,
    "receiptHash" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'id',
    "details" JSONB NOT NULL,
    "reporterIdentityEnc" TEXT,
    "witnessesEnc" TEXT,
    "eventDate" TIMESTAMP(3),
    "learnedDate" TIMESTAMP(3),
    "deadline" TIMESTAMP(3),
    "acknowledgedAt" TIMESTAMP(3),
    "escalatedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "purgedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Evidence" (
    "id" TEXT NOT NULL,
    "ticketId" TEXT,
    "chatKey" TEXT,
    "kind" TEXT NOT NULL,
    "mime" TEXT,
    "fileName" TEXT,
    "size" INTEGER,
    "sha256" TEXT,
    "path" TEXT,
    "strippedPath" TEXT,
    "url" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Evidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketEvent" (
    "id" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT,
    "text" TEXT,
    "actor" TEXT NOT NULL,
    "internal" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Outbox" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "destination" JSONB NOT NULL,
    "payload" JSONB NOT NULL,
    "dedupKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "lockedUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "Outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Office" (
    "code" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "parentCode" TEXT,
    "email" TEXT,
    "webhookUrl" TEXT,
    "webhookSecretEnc" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Office_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "OfficeChat" (
    "id" TEXT NOT NULL,
    "officeCode" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "linkedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OfficeChat_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Officer" (
    "id" TEXT NOT NULL,
    "officeCode" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'officer',
    "userKey" TEXT NOT NULL,
    "addressEnc" TEXT NOT NULL,
    "displayName" TEXT,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Officer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invite" (
    "codeHash" TEXT NOT NULL,
    "officeCode" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'officer',
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "usedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invite_pkey" PRIMARY KEY ("codeHash")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "seq" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "ticketId" TEXT,
    "data" JSONB NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "QuizAttempt" (
    "id" TEXT NOT NULL,
    "chatKey" TEXT NOT NULL,
    "questionIds" TEXT[],
    "answers" JSONB NOT NULL DEFAULT '[]',
    "score" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL,
    "passed" BOOLEAN NOT NULL DEFAULT false,
    "agency" TEXT,
    "regencyCode" TEXT,
    "employment" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "QuizAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Certificate" (
    "code" TEXT NOT NULL,
    "attemptId" TEXT NOT NULL,
    "nameEnc" TEXT,
    "score" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'id',
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Certificate_pkey" PRIMARY KEY ("code")
);

-- CreateIndex
CREATE INDEX "Chat_updatedAt_idx" ON "Chat"("updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_code_key" ON "Ticket"("code");

-- CreateIndex
CREATE INDEX "Ticket_officeCode_status_idx" ON "Ticket"("officeCode", "status");

-- CreateIndex
CREATE INDEX "Ticket_reporterChatKey_idx" ON "Ticket"("reporterChatKey");

-- CreateIndex
CREATE INDEX "Ticket_createdAt_idx" ON "Ticket"("createdAt");

-- CreateIndex
CREATE INDEX "Evidence_ticketId_idx" ON "Evidence"("ticketId");

-- CreateIndex
CREATE INDEX "Evidence_chatKey_idx" ON "Evidence"("chatKey");

-- CreateIndex
CREATE INDEX "TicketEvent_ticketId_createdAt_idx" ON "TicketEvent"("ticketId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Outbox_dedupKey_key" ON "Outbox"("dedupKey");

-- CreateIndex
CREATE INDEX "Outbox_status_nextAttemptAt_idx" ON "Outbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "OfficeChat_officeCode_chatId_key" ON "OfficeChat"("officeCode", "chatId");

-- CreateIndex
CREATE INDEX "Officer_userKey_idx" ON "Officer"("userKey");

-- CreateIndex
CREATE UNIQUE INDEX "Officer_officeCode_userKey_key" ON "Officer"("officeCode", "userKey");

-- CreateIndex
CREATE INDEX "QuizAttempt_chatKey_startedAt_idx" ON "QuizAttempt"("chatKey", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Certificate_attemptId_key" ON "Certificate"("attemptId");

-- AddForeignKey
ALTER TABLE "Evidence" ADD CONSTRAINT "Evidence_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TicketEvent" ADD CONSTRAINT "TicketEvent_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfficeChat" ADD CONSTRAINT "OfficeChat_officeCode_fkey" FOREIGN KEY ("officeCode") REFERENCES "Office"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Officer" ADD CONSTRAINT "Officer_officeCode_fkey" FOREIGN KEY ("officeCode") REFERENCES "Office"("code") ON DELETE CASCADE ON UPDATE CASCADE;

