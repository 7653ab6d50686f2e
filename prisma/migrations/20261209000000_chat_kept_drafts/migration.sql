-- A report left for another command is kept in the chat's memory under "draft:report" until it is taken up again
-- or the hourly draft purge expires it. "draftKeptAt" says when it was left (NULL: none kept); the saves set it from
-- the memory they write, and the purge finds kept drafts through the partial index on it. An index on "memory"
-- itself would have made every save that changes the memory (a lesson card read) a full update instead of a
-- heap-only one; "draftKeptAt" changes only when a draft is kept or taken up.
ALTER TABLE "Chat" ADD COLUMN "draftKeptAt" TIMESTAMP(3);
CREATE INDEX "Chat_keptDrafts_idx" ON "Chat"("key") WHERE "draftKeptAt" IS NOT NULL;
