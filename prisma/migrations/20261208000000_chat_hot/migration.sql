-- Every turn saves its chat and changes "updatedAt". Indexed, that column made each save a full update (a new
-- heap tuple and an entry in each of the table's indexes, left for vacuum to clear); unindexed, and with room left
-- on each page, a save becomes a heap-only (HOT) update that touches no index. The hourly draft purge, the only
-- reader of "updatedAt", reads the table through instead.
DROP INDEX "Chat_updatedAt_idx";
ALTER TABLE "Chat" SET (fillfactor = 80);
