/**
 * The append-only audit log of officer actions and sensitive exports. Each entry's hash covers its own fields and
 * the previous entry's hash, so editing or removing an entry breaks the chain from that point on; `verifyAuditLog`
 * walks the chain and names the first entry that no longer fits.
 *
 * Appends are serialised with a transaction-scoped advisory lock, and `seq` is assigned as "last + 1" under that
 * lock (not from the sequence), so a valid chain has no gaps and a removed entry shows as one.
 */
import { createHash } from 'node:crypto';
import { prismaSql, type PrismaClient, type Sql, type Tx } from '../store/store.ts';

/** The lock key that serialises appends across processes (any fixed number unique to the audit log). */
const AUDIT_LOCK = 727_073;

/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an audit entry records. `data` must be JSON and must not carry personal data in clear. */
export interface AuditEntry {
  /** Who acted: `officer:<id>`, `cli`, `system`, `telegram:<userKey prefix>` for someone refused. */
  actor: string;
  /** What happened, dotted: `ticket.acknowledge`, `ticket.status`, `access.denied`, `tickets.export`. */
  action: string;
  ticketId?: string | null;
  data?: Record<string, unknown>;
  at: Date;
}

/** One stored entry as the chain sees it. */
export interface AuditRow {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  ticketId: string | null;
  data: unknown;
  prevHash: string;
  hash: string;
}

/**
 * JSON with object keys sorted at every level: PostgreSQL's jsonb does not keep key order, so the hash must not
 * depend on it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The hash of an entry given the previous hash. */
export function auditHash(prevHash: string, row: Omit<AuditRow, 'prevHash' | 'hash'>): string {
  const body = canonicalJson([row.seq, row.at.toISOString(), row.actor, row.action, row.ticketId ?? null, row.data ?? {}]);
  return createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
}

/** Appends one entry inside the caller's transaction; returns its sequence number and hash. */
export async function appendAudit(tx: Tx, entry: AuditEntry): Promise<{ seq: number; hash: string }> {
  return appendAuditSql(prismaSql(tx), entry);
}

/** {@link appendAudit} inside an open raw transaction. */
export async function appendAuditSql(sql: Sql, entry: AuditEntry): Promise<{ seq: number; hash: string }> {
  await sql.query(`SELECT 1 AS "locked" FROM pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const [last] = await sql.query<{ seq: number; hash: string }>('SELECT "seq", "hash" FROM "AuditLog" ORDER BY "seq" DESC LIMIT 1');
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  // Milliseconds are what the database keeps, so the hash is computed over exactly what is stored.
  const at = new Date(Math.floor(entry.at.getTime()));
  const data = JSON.parse(JSON.stringify(entry.data ?? {})) as Record<string, unknown>;
  const ticketId = entry.ticketId ?? null;
  const hash = auditHash(prevHash, { seq, at, actor: entry.actor, action: entry.action, ticketId, data });
  await sql.query(
    `INSERT INTO "AuditLog" ("seq", "at", "actor", "action", "ticketId", "data", "prevHash", "hash")
      VALUES ($1, ($2::timestamptz AT TIME ZONE 'UTC'), $3, $4, $5, $6::jsonb, $7, $8)`,
    [seq, at.toISOString(), entry.actor, entry.action, ticketId, JSON.stringify(data), prevHash, hash],
  );
  return { seq, hash };
}

/** Appends one entry in a transaction of its own (for actions that write nothing else, e.g. a refused press). */
export async function recordAudit(prisma: PrismaClient, entry: AuditEntry): Promise<{ seq: number; hash: string }> {
  return prisma.$transaction((tx) => appendAudit(tx, entry));
}

/** One thing wrong with the chain. */
export interface AuditProblem {
  seq: number;
  problem: 'edited' | 'missing' | 'unlinked';
  detail: string;
}

/** What `verifyAuditLog` found. */
export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** The last entry: note it down; a later verify that no longer finds it proves the tail was cut. */
  head: { seq: number; hash: string } | null;
  problems: AuditProblem[];
}

/**
 * Walks the whole chain in order. An edited entry no longer matches its hash; a removed entry leaves a gap in
 * `seq` and a `prevHash` that points at nothing. `expect` (a head noted earlier) also catches a cut tail.
 */
export async function verifyAuditLog(
  prisma: PrismaClient,
  options: { batchSize?: number; expect?: { seq: number; hash: string } } = {},
): Promise<AuditVerification> {
  const batchSize = options.batchSize ?? 1_000;
  const problems: AuditProblem[] = [];
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  let head: AuditVerification['head'] = null;
  let expectedFound = options.expect === undefined;
  for (let after = 0; ; ) {
    const rows = await prisma.auditLog.findMany({ where: { seq: { gt: after } }, orderBy: { seq: 'asc' }, take: batchSize });
    if (rows.length === 0) break;
    for (const row of rows) {
      entries += 1;
      if (row.seq !== expectedSeq) {
        problems.push({
          seq: row.seq,
          problem: 'missing',
          detail: `entries ${expectedSeq}..${row.seq - 1} are missing`,
        });
      }
      if (row.prevHash !== prevHash) {
        problems.push({ seq: row.seq, problem: 'unlinked', detail: 'does not follow the entry before it' });
      }
      const recomputed = auditHash(row.prevHash, row);
      if (recomputed !== row.hash) {
        problems.push({ seq: row.seq, problem: 'edited', detail: 'its content no longer matches its hash' });
      }
      if (options.expect && row.seq === options.expect.seq) expectedFound = row.hash === options.expect.hash;
      expectedSeq = row.seq + 1;
      prevHash = row.hash;
      head = { seq: row.seq, hash: row.hash };
      after = row.seq;
    }
  }
  if (!expectedFound && options.expect) {
    problems.push({
      seq: options.expect.seq,
      problem: 'missing',
      detail: `the entry noted earlier (${options.expect.seq}) is gone or changed: the log was cut or rewritten`,
    });
  }
  return { ok: problems.length === 0, entries, head, problems };
}
