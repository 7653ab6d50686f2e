/**
 * The transactional outbox: rows written in the same transaction as the change they announce, delivered later by
 * `OutboxWorker`. Each row names what to deliver (`kind`), where (`destination`) and a `dedupKey` that is unique
 * per logical delivery, so writing the same delivery twice (a retried submission, a re-run expansion) enqueues
 * it once.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { PrismaClient, Sql, Tx } from '../store/store.ts';

type Db = PrismaClient | Tx;

/** Where a row goes. `office` rows are fanned out into concrete destinations by the worker. */
export const destinationSchema = z.discriminatedUnion('type', [
  /** An office, resolved at delivery time to its groups, officers, e-mail and webhook (escalating if none). */
  z.object({ type: z.literal('office'), officeCode: z.string() }),
  /** A citizen's chat, by Chat.key (the address is decrypted only to send). */
  z.object({ type: z.literal('chat'), chatKey: z.string(), channel: z.string().optional() }),
  /**
   * A Telegram group linked to an office; `alsoFor` names the other offices it serves in this row (one notice to a
   * group linked to several offices working on a ticket), which is delivered while any of them has the group linked.
   */
  z.object({ type: z.literal('telegram'), chatId: z.string(), officeCode: z.string(), alsoFor: z.array(z.string()).optional() }),
  /** An officer's private Telegram chat. */
  z.object({ type: z.literal('officer'), officerId: z.string(), officeCode: z.string() }),
  /** The office's e-mail address as set when delivering. */
  z.object({ type: z.literal('email'), officeCode: z.string() }),
  /** The office's webhook as set when delivering. */
  z.object({ type: z.literal('webhook'), officeCode: z.string() }),
]);
export type Destination = z.infer<typeof destinationSchema>;

/** A row to enqueue. */
export interface NewOutboxRow {
  kind: string;
  destination: Destination;
  payload: Record<string, unknown>;
  dedupKey: string;
}

/**
 * Enqueues rows, skipping any whose dedupKey exists already (that delivery is enqueued or done). `at` is the
 * moment the change happened (the app's clock); the row is due from then. Returns how many rows were new.
 */
export async function enqueueOutbox(db: Db, rows: NewOutboxRow[], at: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const created = await db.outbox.createMany({
    data: rows.map((row) => ({
      kind: row.kind,
      destination: row.destination as never,
      payload: row.payload as never,
      dedupKey: row.dedupKey,
      nextAttemptAt: at,
      createdAt: at,
    })),
    skipDuplicates: true,
  });
  return created.count;
}

const insertOutboxRows = `INSERT INTO "Outbox" ("id", "kind", "destination", "payload", "dedupKey", "nextAttemptAt", "createdAt")
  SELECT r."id", r."kind", r."destination", r."payload", r."dedupKey", ($2::timestamptz AT TIME ZONE 'UTC'),
    ($2::timestamptz AT TIME ZONE 'UTC')
  FROM jsonb_to_recordset($1::jsonb) AS r("id" text, "kind" text, "destination" jsonb, "payload" jsonb, "dedupKey" text)
  ON CONFLICT ("dedupKey") DO NOTHING
  RETURNING "id"`;

/** {@link enqueueOutbox} in one raw statement, inside an open raw transaction (the outbox worker's completions). */
export async function enqueueOutboxSql(sql: Sql, rows: NewOutboxRow[], at: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const values = rows.map((row) => ({ id: randomUUID(), kind: row.kind, destination: row.destination, payload: row.payload, dedupKey: row.dedupKey }));
  return (await sql.query(insertOutboxRows, [JSON.stringify(values), at.toISOString()])).length;
}

/** The row a report submission writes so its ticket reaches the office of the incident's regency. */
export function ticketForwardRow(ticketId: string, officeCode: string): NewOutboxRow {
  return {
    kind: 'ticket.forward',
    destination: { type: 'office', officeCode },
    payload: { ticketId },
    dedupKey: `ticket:${ticketId}:forward`,
  };
}

/** Rows `netra outbox` shows: undelivered ones first (dead, then retrying, then pending). */
export async function listOutbox(
  db: Db,
  options: { status?: 'pending' | 'dead' | 'done' | 'discarded' | 'failing' | 'all'; limit?: number } = {},
) {
  const status = options.status ?? 'failing';
  const where =
    status === 'all'
      ? {}
      : status === 'failing'
        ? { OR: [{ status: 'dead' }, { status: 'pending', attempts: { gt: 0 } }, { status: 'pending', lastError: { not: null } }] }
        : { status };
  return db.outbox.findMany({
    where,
    orderBy: [{ status: 'asc' }, { nextAttemptAt: 'asc' }],
    take: options.limit ?? 50,
    select: {
      id: true,
      kind: true,
      destination: true,
      dedupKey: true,
      status: true,
      attempts: true,
      nextAttemptAt: true,
      lastError: true,
      createdAt: true,
      doneAt: true,
    },
  });
}

/** Counts by status, for `netra outbox` and metrics. */
export async function outboxCounts(db: Db): Promise<Record<string, number>> {
  const groups = await db.outbox.groupBy({ by: ['status'], _count: { _all: true } });
  return Object.fromEntries(groups.map((g) => [g.status, g._count._all]));
}

/**
 * Gives up a dead-lettered row for good (a delivery that can never succeed, such as a message to a reporter who
 * blocked the bot, or to a group that no longer exists after its tickets were sent elsewhere): it leaves the
 * backlog and `/healthz`, and keeps its reason. Only a dead row: a pending one may still be delivered.
 */
export async function discardOutbox(
  db: Db,
  idOrPrefix: string,
  reason: string,
  options: { officeDeliveries?: boolean } = {},
): Promise<{ id: string; kind: string; destination: unknown } | null> {
  if (idOrPrefix.length < 4) return null;
  const rows = await db.outbox.findMany({
    where: {
      id: { startsWith: idOrPrefix.toLowerCase() },
      status: 'dead',
      // What routes or carries a ticket to its office is given up only when asked: the office might never get it.
      ...(options.officeDeliveries ? {} : { kind: { notIn: ['ticket.forward', 'office.notify', 'office.deliver'] } }),
    },
    select: { id: true, kind: true, destination: true },
    take: 2,
  });
  if (rows.length !== 1) return null;
  const row = rows[0]!;
  const { count } = await db.outbox.updateMany({
    where: { id: row.id, status: 'dead' },
    data: { status: 'discarded', lastError: `discarded by the operator: ${reason}`.slice(0, 500), lockedUntil: null },
  });
  return count === 1 ? row : null;
}

/**
 * Puts a dead (or failing) row back in the queue with a fresh attempt count, due now. `idOrPrefix` may be the
 * first characters of the id as listed. Returns the ids requeued.
 */
export async function retryOutbox(db: Db, idOrPrefix: string | 'all-dead', now: Date): Promise<string[]> {
  const where =
    idOrPrefix === 'all-dead'
      ? { status: 'dead' }
      : { id: { startsWith: idOrPrefix.toLowerCase() }, status: { in: ['dead', 'pending'] } };
  const rows = await db.outbox.findMany({ where, select: { id: true }, take: idOrPrefix === 'all-dead' ? 10_000 : 2 });
  if (idOrPrefix !== 'all-dead' && (rows.length !== 1 || idOrPrefix.length < 4)) return [];
  const ids = rows.map((r) => r.id);
  await db.outbox.updateMany({
    where: { id: { in: ids } },
    data: { status: 'pending', attempts: 0, nextAttemptAt: now, lockedUntil: null },
  });
  return ids;
}
