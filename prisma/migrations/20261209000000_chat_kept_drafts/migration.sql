-- A report left for another command is kept in the chat's memory under "draft:report" until it is taken up again
-- or the hourly draft purge expires it. The purge finds those chats through this partial index; a save that does not
-- change "memory" (nearly every save) still leaves the index alone and stays a heap-only (HOT) update.
CREATE INDEX "Chat_keptDrafts_idx" ON "Chat"("key") WHERE ("memory" -> 'draft:report') IS NOT NULL;
