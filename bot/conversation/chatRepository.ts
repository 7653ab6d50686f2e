/**
 * Loads and saves a chat's conversation state. The hot path of every turn: one raw statement each way, straight
 * on the driver outside transactions (Prisma's query layer costs about half the throughput here), and through the
 * turn's Prisma transaction when commands run. A save is a compare-and-set on `revision`, so a turn that raced
 * another never overwrites newer state.
 */
import type { Sql, Store, Tx } from '../store/store.ts';

/** A chat's state as the runtime uses it. */
export interface ChatState {
  key: string;
  channel: string;
  locale: string;
  flow: string;
  flowVersion: number;
  snapshot: unknown;
  prompt: unknown;
  revision: number;
  recentMessages: string[];
  bannedAt: Date | null;
}

/** Where a statement runs: the store's driver, an open raw transaction, or an open Prisma transaction. */
export type SqlExecutor = { query: Store['query'] } | { sql: Sql } | { tx: Tx };

async function run<T>(db: SqlExecutor, sql: string, params: unknown[]): Promise<T[]> {
  if ('tx' in db) return db.tx.$queryRawUnsafe<T[]>(sql, ...params);
  if ('sql' in db) return db.sql.query<T>(sql, params);
  return db.query<T>(sql, params);
}

/** How many handled inbound message ids a chat remembers for de-duplication. */
export const RECENT_MESSAGES_KEPT = 20;

const selectChat = `SELECT "key", "channel", "locale", "flow", "flowVersion", "snapshot", "prompt", "revision",
  "recentMessages", "bannedAt" FROM "Chat" WHERE "key" = $1`;

/** Reads a chat's state, or null for a chat never seen. */
export async function loadChat(db: SqlExecutor, key: string): Promise<ChatState | null> {
  const rows = await run<ChatState>(db, selectChat, [key]);
  return rows[0] ?? null;
}

/**
 * Locks a chat's row for the rest of the transaction if it is still at `expectedRevision`; false when another turn
 * saved it since (or holds it and then saves: the lock waits for that turn, and the row no longer matches).
 */
export async function lockChat(db: SqlExecutor, key: string, expectedRevision: number): Promise<boolean> {
  const rows = await run(db, `SELECT "revision" FROM "Chat" WHERE "key" = $1 AND "revision" = $2 FOR UPDATE`, [key, expectedRevision]);
  return rows.length === 1;
}

/** What a turn writes back. */
export interface ChatWrite {
  key: string;
  channel: string;
  /** Encrypted address; only written when the chat is created. */
  addressEnc: () => string;
  locale: string;
  flow: string;
  flowVersion: number;
  snapshot: unknown;
  prompt: unknown;
  recentMessages: string[];
}

const insertChat = `INSERT INTO "Chat" ("key", "channel", "addressEnc", "locale", "flow", "flowVersion", "snapshot",
  "prompt", "revision", "recentMessages", "updatedAt")
  VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, 1, $9::text[], now())
  ON CONFLICT ("key") DO NOTHING RETURNING "revision"`;

const updateChat = `UPDATE "Chat" SET "locale" = $2, "flow" = $3, "flowVersion" = $4, "snapshot" = $5::jsonb,
  "prompt" = $6::jsonb, "revision" = "revision" + 1, "recentMessages" = $7::text[], "updatedAt" = now(),
  "unreachableAt" = NULL
  WHERE "key" = $1 AND "revision" = $8 RETURNING "revision"`;

/**
 * Saves a chat if nobody else did since `expectedRevision` was read (0 = the chat is new); a chat that just wrote
 * to us is reachable again, so `unreachableAt` is cleared. Returns false when the compare-and-set lost, so the
 * caller can retry the turn on fresh state.
 */
export async function saveChat(db: SqlExecutor, write: ChatWrite, expectedRevision: number): Promise<boolean> {
  const snapshot = JSON.stringify(write.snapshot ?? null);
  const prompt = JSON.stringify(write.prompt ?? null);
  const recent = write.recentMessages.slice(-RECENT_MESSAGES_KEPT);
  const rows =
    expectedRevision === 0
      ? await run(db, insertChat, [
          write.key,
          write.channel,
          write.addressEnc(),
          write.locale,
          write.flow,
          write.flowVersion,
          snapshot,
          prompt,
          recent,
        ])
      : await run(db, updateChat, [
          write.key,
          write.locale,
          write.flow,
          write.flowVersion,
          snapshot,
          prompt,
          recent,
          expectedRevision,
        ]);
  return rows.length === 1;
}
