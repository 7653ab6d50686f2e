-- Every turn saves its chat and changes "updatedAt". Indexed, that column made each save a full update (a new
-- heap tuple and an entry in each of the table's indexes, left for vacuum to clear); unindexed, and with room left
-- on each page, a save becomes a heap-only (HOT) update that touches no index.
DROP INDEX "Chat_updatedAt_idx";
ALTER TABLE "Chat" SET (fillfactor = 80);
-- The hourly draft purge looks for chats mid-report untouched for days. It finds them among the chats in the report
-- flow, through an index on a column no save changes ("flow" changes only when a chat enters or leaves a flow), so
-- it reads neither the whole table nor stands in the way of heap-only saves.
CREATE INDEX "Chat_reportDrafts_idx" ON "Chat"("key") WHERE "flow" = 'report';
