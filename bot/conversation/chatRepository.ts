/**
 * Loads and saves a chat's conversation state. The hot path of every turn, so it uses one raw statement each
 * way; a save is a compare-and-set on `revision`, so a turn that raced another never overwrites newer state.
 */
import { Prisma, type PrismaClient, type Tx } from '../store/store.ts';

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

type Db = PrismaClient | Tx;

/** How many handled inbound message ids a chat remembers for de-duplication. */
export const RECENT_MESSAGES_KEPT = 20;

/** Reads a chat's state, or null for a chat never seen. */
export async function loadChat(db: Db, key: string): Promise<ChatState | null> {
  const rows = await db.$queryRaw<ChatState[]>`
    SELECT "key", "channel", "locale", "flow", "flowVersion", "snapshot", "prompt", "revision",
           "recentMessages", "bannedAt"
    FROM "Chat" WHERE "key" = ${key}`;
  return rows[0] ?? null;
}

/** What a turn writes back. */
export interface ChatWrite {
  key: string;
  channel: string;
  addressEnc: string;
  locale: string;
  flow: string;
  flowVersion: number;
  snapshot: unknown;
  prompt: unknown;
  recentMessages: string[];
}

/**
 * Saves a chat if nobody else did since `expectedRevision` was read (0 = the chat is new). Returns false when
 * the compare-and-set lost, so the caller can retry the turn on fresh state.
 */
export async function saveChat(db: Db, write: ChatWrite, expectedRevision: number): Promise<boolean> {
  const snapshot = JSON.stringify(write.snapshot ?? null);
  const prompt = JSON.stringify(write.prompt ?? null);
  const recent = write.recentMessages.slice(-RECENT_MESSAGES_KEPT);
  const count =
    expectedRevision === 0
      ? await db.$executeRaw`
        INSERT INTO "Chat" ("key", "channel", "addressEnc", "locale", "flow", "flowVersion", "snapshot", "prompt",
                            "revision", "recentMessages", "updatedAt")
        VALUES (${write.key}, ${write.channel}, ${write.addressEnc}, ${write.locale}, ${write.flow},
                ${write.flowVersion}, ${snapshot}::jsonb, ${prompt}::jsonb, 1, ${recent}::text[], now())
        ON CONFLICT ("key") DO NOTHING`
      : await db.$executeRaw`
        UPDATE "Chat" SET "locale" = ${write.locale}, "flow" = ${write.flow}, "flowVersion" = ${write.flowVersion},
               "snapshot" = ${snapshot}::jsonb, "prompt" = ${prompt}::jsonb, "revision" = "revision" + 1,
               "recentMessages" = ${recent}::text[], "updatedAt" = now()
        WHERE "key" = ${write.key} AND "revision" = ${expectedRevision}`;
  return count === 1;
}

/** Used by commands that need a chat's locale without a whole turn. */
export async function chatLocale(db: Db, key: string): Promise<string | null> {
  const rows = await db.$queryRaw<Array<{ locale: string }>>(
    Prisma.sql`SELECT "locale" FROM "Chat" WHERE "key" = ${key}`,
  );
  return rows[0]?.locale ?? null;
}
