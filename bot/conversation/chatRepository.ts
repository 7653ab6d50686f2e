/**
 * Loads and saves a chat's conversation state. The hot path of every turn: raw statements straight on the driver
 * outside transactions (Prisma's query layer costs about half the throughput here), and in the turn's transaction
 * when commands run. A save is a compare-and-set on `revision`, so a turn that raced another never overwrites newer
 * state.
 *
 * Outside transactions, the loads (and the saves) of chats whose turns run at the same time share statements: while
 * the statements already sent are running, new requests wait and then go out together as one (DataLoader). Alone, a
 * request goes out at once; under load, one statement serves dozens of chats, which is far cheaper for Netra and
 * for PostgreSQL than a statement (and a round trip, and a system call each way) per chat. These shared statements
 * run on the store's chat-state connections, whose commits do not wait for the disk: a turn that wrote nothing but
 * its chat's state does not wait for a flush (on a virtual disk, now and then hundreds of milliseconds).
 */
import DataLoader from 'dataloader';
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
  /** What the chat keeps of its flows between their runs, by flow id (see `FlowDefinition.remember`). */
  memory: unknown;
  revision: number;
  recentMessages: string[];
  bannedAt: Date | null;
}

/**
 * Where a statement runs: the store's driver (the shared loads and saves then go on its chat-state connections,
 * see {@link Store.relaxedQuery}), an open raw transaction, or an open Prisma transaction.
 */
export type SqlExecutor = { query: Store['query']; relaxedQuery?: Store['relaxedQuery'] } | { sql: Sql } | { tx: Tx };

async function run<T>(db: SqlExecutor, sql: string, params: unknown[]): Promise<T[]> {
  if ('tx' in db) return db.tx.$queryRawUnsafe<T[]>(sql, ...params);
  if ('sql' in db) return db.sql.query<T>(sql, params);
  return db.query<T>(sql, params);
}

/**
 * Where a flow's unfinished work left for another command is kept in the chat's memory (see
 * `FlowDefinition.keepsDraft`): `draft:<flow id>`.
 */
export const KEPT_DRAFT_PREFIX = 'draft:';

/**
 * `"draftKeptAt"` as a save writes it: from the memory written, when the report's kept draft is there (its `keptAt`, an
 * ISO instant, stored as UTC like every Prisma DateTime), else NULL; unchanged when the memory is not written. `memory`
 * is the SQL of the memory written (NULL: unchanged), `current` the column's current value.
 */
function draftKeptAtFrom(memory: string, current: string): string {
  return `CASE WHEN ${memory} IS NULL THEN ${current} ELSE ((${memory} -> '${KEPT_DRAFT_PREFIX}report' ->> 'keptAt')::timestamptz AT TIME ZONE 'UTC') END`;
}

/** How many handled inbound message ids a chat remembers for de-duplication. */
export const RECENT_MESSAGES_KEPT = 20;

const selectChat = `SELECT "key", "channel", "locale", "flow", "flowVersion", "snapshot", "prompt", "memory", "revision",
  "recentMessages", "bannedAt" FROM "Chat" WHERE "key" = $1`;

/** Reads a chat's state, or null for a chat never seen. */
export async function loadChat(db: SqlExecutor, key: string): Promise<ChatState | null> {
  if ('query' in db) return batchesOf(db).load.load(key);
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
  /** Absent: what the chat keeps of its flows stays as it is. */
  memory?: unknown;
  recentMessages: string[];
}

const insertChat = `INSERT INTO "Chat" ("key", "channel", "addressEnc", "locale", "flow", "flowVersion", "snapshot",
  "prompt", "revision", "recentMessages", "memory", "updatedAt")
  VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, 1, $9::text[], $10::jsonb, now())
  ON CONFLICT ("key") DO NOTHING RETURNING "revision"`;

const updateChat = `UPDATE "Chat" SET "locale" = $2, "flow" = $3, "flowVersion" = $4, "snapshot" = $5::jsonb,
  "prompt" = $6::jsonb, "revision" = "revision" + 1, "recentMessages" = $7::text[], "memory" = COALESCE($9::jsonb, "memory"), "updatedAt" = now(),
  "unreachableAt" = NULL, "draftKeptAt" = ${draftKeptAtFrom('$9::jsonb', '"draftKeptAt"')}
  WHERE "key" = $1 AND "revision" = $8 RETURNING "revision"`;

/**
 * Saves a chat if nobody else did since `expectedRevision` was read (0 = the chat is new); a chat that just wrote
 * to us is reachable again, so `unreachableAt` is cleared. Returns false when the compare-and-set lost, so the
 * caller can retry the turn on fresh state.
 */
export async function saveChat(db: SqlExecutor, write: ChatWrite, expectedRevision: number): Promise<boolean> {
  if ('query' in db && expectedRevision > 0) {
    return batchesOf(db).save.load({ ...write, recentMessages: write.recentMessages.slice(-RECENT_MESSAGES_KEPT), expectedRevision });
  }
  const snapshot = JSON.stringify(write.snapshot ?? null);
  const prompt = JSON.stringify(write.prompt ?? null);
  const memory = write.memory === undefined ? null : JSON.stringify(write.memory);
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
          memory,
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
          memory,
        ]);
  return rows.length === 1;
}

// ----- shared statements -----

/** Statements that may run at once per kind (loads, saves): the rest of the pool stays for transactions. */
const STATEMENTS_IN_FLIGHT = 2;
/** The most chats one statement serves. */
const MAX_BATCH = 256;

type SavedWrite = ChatWrite & { expectedRevision: number };

interface Batches {
  load: DataLoader<string, ChatState | null>;
  loadSlots: Slots;
  save: DataLoader<SavedWrite, boolean>;
  saveSlots: Slots;
}

/**
 * DataLoader's schedule: a batch goes out on the next tick while fewer than STATEMENTS_IN_FLIGHT of its kind are
 * running, else as soon as one of them finishes (it keeps gathering requests meanwhile).
 */
class Slots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  readonly schedule = (dispatch: () => void): void => {
    if (this.running < STATEMENTS_IN_FLIGHT) {
      this.running += 1;
      process.nextTick(dispatch);
    } else {
      this.waiting.push(dispatch);
    }
  };

  /** A statement finished: its slot goes to the batch waiting longest. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}

const batchesByStore = new WeakMap<object, Batches>();

function batchesOf(store: { query: Store['query']; relaxedQuery?: Store['relaxedQuery'] }): Batches {
  let batches = batchesByStore.get(store);
  if (!batches) {
    const db = { query: store.relaxedQuery ?? store.query };
    const loadSlots = new Slots();
    const saveSlots = new Slots();
    batches = {
      loadSlots,
      saveSlots,
      load: new DataLoader((keys) => loadMany(db, keys).finally(() => loadSlots.release()), {
        cache: false,
        maxBatchSize: MAX_BATCH,
        batchScheduleFn: loadSlots.schedule,
      }),
      save: new DataLoader((writes) => saveMany(db, writes).finally(() => saveSlots.release()), {
        cache: false,
        maxBatchSize: MAX_BATCH,
        batchScheduleFn: saveSlots.schedule,
      }),
    };
    batchesByStore.set(store, batches);
  }
  return batches;
}

export const selectChats = selectChat.replace('WHERE "key" = $1', 'WHERE "key" = ANY($1::text[])');

async function loadMany(db: { query: Store['query'] }, keys: readonly string[]): Promise<Array<ChatState | null | Error>> {
  try {
    const rows = await db.query<ChatState>(selectChats, [[...keys]]);
    const byKey = new Map(rows.map((row) => [row.key, row]));
    return keys.map((key) => byKey.get(key) ?? null);
  } catch {
    // One chat's trouble (or a dropped connection) must not fail the others: each goes again alone.
    return Promise.all(keys.map((key) => run<ChatState>(db, selectChat, [key]).then((rows) => rows[0] ?? null, (error: unknown) => toError(error))));
  }
}

// The keys come once more as an array ($2): the planner cannot see how many rows jsonb_to_recordset gives and
// guesses a hundred, so with a few thousand chats analysed it joined them against a scan of the whole table (with
// 2,000 chats, PostgreSQL's CPU per update was 2.5 times as high in the benchmark); on the keys it looks up the
// primary key instead, whatever the size of the table.
export const updateChats = `UPDATE "Chat" AS c SET "locale" = v."locale", "flow" = v."flow", "flowVersion" = v."flowVersion",
  "snapshot" = v."snapshot", "prompt" = v."prompt", "memory" = COALESCE(v."memory", c."memory"), "revision" = c."revision" + 1,
  "recentMessages" = ARRAY(SELECT jsonb_array_elements_text(v."recent")), "updatedAt" = now(), "unreachableAt" = NULL,
  "draftKeptAt" = ${draftKeptAtFrom('v."memory"', 'c."draftKeptAt"')}
  FROM jsonb_to_recordset($1::jsonb) AS v("key" text, "locale" text, "flow" text, "flowVersion" int, "snapshot" jsonb,
    "prompt" jsonb, "memory" jsonb, "recent" jsonb, "expected" int)
  WHERE c."key" = ANY($2::text[]) AND c."key" = v."key" AND c."revision" = v."expected" RETURNING c."key"`;

async function saveMany(db: { query: Store['query'] }, writes: readonly SavedWrite[]): Promise<Array<boolean | Error>> {
  // A chat twice in one statement could not tell which of its two saves won: the later ones go alone.
  const first = new Map<string, number>();
  writes.forEach((w, i) => first.has(w.key) || first.set(w.key, i));
  const together = writes.filter((w, i) => first.get(w.key) === i);
  let saved: Set<string>;
  try {
    const rows = await db.query<{ key: string }>(updateChats, [
      JSON.stringify(
        together.map((w) => ({
          key: w.key,
          locale: w.locale,
          flow: w.flow,
          flowVersion: w.flowVersion,
          snapshot: w.snapshot ?? null,
          prompt: w.prompt ?? null,
          memory: w.memory ?? null,
          recent: w.recentMessages,
          expected: w.expectedRevision,
        })),
      ),
      together.map((w) => w.key),
    ]);
    saved = new Set(rows.map((r) => r.key));
  } catch {
    // As for loads: each goes again alone (this also settles a deadlock between two processes' statements).
    return await Promise.all(writes.map((w) => saveChat({ sql: { query: db.query } }, w, w.expectedRevision).catch(toError)));
  }
  return await Promise.all(
    writes.map((w, i) =>
      first.get(w.key) === i ? saved.has(w.key) : saveChat({ sql: { query: db.query } }, w, w.expectedRevision).catch(toError),
    ),
  );
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
