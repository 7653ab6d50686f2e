/**
 * Retention: personal data is kept only as long as it serves the report (UU 27/2022 on personal data). Once a
 * ticket has been closed for RETENTION_DAYS, its reporter identity, witnesses, free texts, evidence files and
 * the link to the reporter's chat are removed; what remains is anonymous statistics (category, kind, status,
 * office/regency/province codes, created month). Delivered outbox payloads and certificate names age out the
 * same way. Every step is idempotent and safe to run from several processes at once.
 */
import { access, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { App } from '../app.ts';
import { Prisma } from '../store/store.ts';
import { CERTIFICATE_NAME_REMOVED, certificatePath } from '../education/certificates.ts';

/**
 * The ticket statuses after which a ticket counts as closed for retention: the officers' "bukan pelanggaran"
 * (`not-violation`) and "selesai" (`done`), as named in bot/officers/ticketStatus.ts. A reopened ticket (any
 * other status) is never purged, even if it carries an old `closedAt`.
 */
export const RETENTION_CLOSED_STATUSES = ['not-violation', 'done'] as const;

/**
 * The `details` fields kept after a purge (paths into the submitted draft, flows/report/reportCommands.ts):
 * enumerated values only. Names, positions, agencies, place details, the kecamatan, map pins, dates, the
 * description and evidence links all go. A value under one of these paths survives only if it is a boolean or a
 * short code (`pns`, `19.05`), so free text in a field meant for a code is still dropped.
 */
export const RETAINED_DETAIL_PATHS = [
  'kind',
  'category',
  'convertedFromFormal',
  'terlapor.employment',
  'place.provinceCode',
  'place.regencyCode',
] as const;

const CODE_VALUE = /^[a-z0-9][a-z0-9._-]{0,39}$/i;

/** The parts of an app retention needs (the CLI and the scheduler pass the whole app). */
export type RetentionApp = Pick<App, 'store' | 'dataDir' | 'logger' | 'config'>;

/** Options of a retention run. */
export interface RetentionOptions {
  /** Count what would be purged, change nothing. */
  dryRun?: boolean;
  /** Tickets handled per query (memory bound, not a limit on the run). */
  batchSize?: number;
}

/** What a ticket purge did (or, in a dry run, would do). */
export interface TicketPurgeSummary {
  tickets: number;
  evidenceRows: number;
  /** Evidence files removed from disk (originals and stripped copies). */
  files: number;
  /** Ticket events whose text was removed. */
  eventTexts: number;
}

/** What a whole retention run did. */
export interface RetentionSummary extends TicketPurgeSummary {
  dryRun: boolean;
  cutoff: Date;
  /** Outbox rows whose payload was removed. */
  outboxPayloads: number;
  /** Certificates whose holder's name was removed (the certificate itself stays verifiable). */
  certificateNames: number;
}

/** The instant before which data has outlived its retention. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * 86_400_000);
}

/** Runs every retention step: tickets, outbox payloads, certificate names. */
export async function runRetention(app: RetentionApp, now: Date, options: RetentionOptions = {}): Promise<RetentionSummary> {
  const cutoff = retentionCutoff(now, app.config.RETENTION_DAYS);
  const tickets = await purgeClosedTickets(app, now, options);
  const outboxPayloads = await purgeOutboxPayloads(app, cutoff, options);
  const certificateNames = await purgeCertificateNames(app, cutoff, options);
  return { ...tickets, dryRun: options.dryRun === true, cutoff, outboxPayloads, certificateNames };
}

/**
 * Purges the personal data and evidence of tickets closed more than RETENTION_DAYS before `now`. A closed ticket
 * without `closedAt` (written before that field was kept) counts from its last update.
 */
export async function purgeClosedTickets(
  app: RetentionApp,
  now: Date,
  options: RetentionOptions = {},
): Promise<TicketPurgeSummary> {
  const { prisma } = app.store;
  const cutoff = retentionCutoff(now, app.config.RETENTION_DAYS);
  const batchSize = options.batchSize ?? 100;
  const summary: TicketPurgeSummary = { tickets: 0, evidenceRows: 0, files: 0, eventTexts: 0 };
  for (let after = ''; ; ) {
    const batch = await prisma.ticket.findMany({
      where: { ...purgeableTickets(cutoff), id: { gt: after } },
      orderBy: { id: 'asc' },
      take: batchSize,
      select: { id: true },
    });
    if (batch.length === 0) break;
    for (const { id } of batch) {
      const done = options.dryRun ? await countTicket(app, id) : await purgeTicket(app, id, now);
      if (!done) continue;
      summary.tickets += 1;
      summary.evidenceRows += done.evidenceRows;
      summary.files += done.files;
      summary.eventTexts += done.eventTexts;
    }
    after = batch[batch.length - 1]!.id;
  }
  return summary;
}

function purgeableTickets(cutoff: Date): Prisma.TicketWhereInput {
  return {
    purgedAt: null,
    status: { in: [...RETENTION_CLOSED_STATUSES] },
    OR: [{ closedAt: { lt: cutoff } }, { closedAt: null, updatedAt: { lt: cutoff } }],
  };
}

type TicketCounts = Omit<TicketPurgeSummary, 'tickets'>;

async function countTicket(app: RetentionApp, ticketId: string): Promise<TicketCounts> {
  const { prisma } = app.store;
  const evidence = await prisma.evidence.findMany({ where: { ticketId }, select: { path: true, strippedPath: true } });
  let files = 0;
  for (const file of evidenceFiles(evidence)) if ((await otherReferences(app, file, ticketId)) === 0) files += 1;
  const eventTexts = await prisma.ticketEvent.count({ where: { ticketId, text: { not: null } } });
  return { evidenceRows: evidence.length, files, eventTexts };
}

/**
 * Purges one ticket. Files go first, then the rows in one transaction: a crash in between leaves the ticket
 * unpurged, and the next run finishes it (a file already gone is fine). Returns null when another process
 * purged it first.
 */
async function purgeTicket(
  app: RetentionApp,
  ticketId: string,
  now: Date,
  onPurged?: (tx: Prisma.TransactionClient) => Promise<void>,
): Promise<TicketCounts | null> {
  const { prisma } = app.store;
  const evidence = await prisma.evidence.findMany({ where: { ticketId }, select: { path: true, strippedPath: true } });
  let files = 0;
  for (const file of evidenceFiles(evidence)) {
    // Files are named by their SHA-256, so the same photo sent for two reports is one file: keep it while
    // another ticket or a draft still refers to it.
    if ((await otherReferences(app, file, ticketId)) > 0) continue;
    if (await removeFile(app, file)) files += 1;
  }
  return prisma.$transaction(async (tx) => {
    const ticket = await tx.ticket.findUnique({ where: { id: ticketId }, select: { details: true, createdAt: true, purgedAt: true } });
    if (!ticket || ticket.purgedAt) return null;
    const claimed = await tx.ticket.updateMany({
      where: { id: ticketId, purgedAt: null },
      data: {
        details: anonymousDetails(ticket.details) as Prisma.InputJsonValue,
        reporterIdentityEnc: null,
        witnessesEnc: null,
        // The pseudonym and the chat key link a reporter's tickets to each other and to the chat.
        pseudonym: '',
        reporterChatKey: '',
        eventDate: null,
        learnedDate: null,
        deadline: null,
        createdAt: startOfJakartaMonth(ticket.createdAt),
        purgedAt: now,
      },
    });
    if (claimed.count === 0) return null;
    const events = await tx.ticketEvent.updateMany({ where: { ticketId, text: { not: null } }, data: { text: null } });
    const rows = await tx.evidence.deleteMany({ where: { ticketId } });
    // An erasure on request is audit-logged in the same transaction: no purge without its record.
    await onPurged?.(tx);
    app.logger.info({ ticketId }, 'retention: ticket purged');
    return { evidenceRows: rows.count, files, eventTexts: events.count };
  });
}

/** What purging one ticket on request found. */
export type TicketErasure =
  | { status: 'purged'; ticketId: string; wasOpen: boolean; counts: TicketCounts; outboxPayloads: number }
  | { status: 'notFound' }
  | { status: 'alreadyPurged'; ticketId: string }
  | { status: 'open'; ticketId: string; ticketStatus: string; officeCode: string }
  | { status: 'filesMissing'; ticketId: string; dataDir: string };

/**
 * Purges one ticket now, as retention would once it aged out: on a reporter's request to erase their data
 * (UU 27/2022) or for a report sent by mistake. An open ticket is purged only when `includeOpen` is given (its
 * office then keeps a report without its details). Delivered outbox rows about it lose their payload too.
 */
export async function purgeTicketByCode(
  app: RetentionApp,
  code: string,
  now: Date,
  options: { includeOpen?: boolean; onPurged?: (tx: Prisma.TransactionClient, ticketId: string, wasOpen: boolean) => Promise<void> } = {},
): Promise<TicketErasure> {
  const { prisma } = app.store;
  const ticket = await prisma.ticket.findUnique({ where: { code }, select: { id: true, status: true, officeCode: true, purgedAt: true } });
  if (!ticket) return { status: 'notFound' };
  if (ticket.purgedAt) return { status: 'alreadyPurged', ticketId: ticket.id };
  const closed = (RETENTION_CLOSED_STATUSES as readonly string[]).includes(ticket.status);
  if (!closed && !options.includeOpen) return { status: 'open', ticketId: ticket.id, ticketStatus: ticket.status, officeCode: ticket.officeCode };
  // Run from another directory than the bot's, the evidence files would all look gone and stay on disk for good
  // once their rows are deleted: refuse when none of them is found.
  const files = evidenceFiles(await prisma.evidence.findMany({ where: { ticketId: ticket.id }, select: { path: true, strippedPath: true } }));
  if (files.length > 0 && !(await anyExists(app, files))) return { status: 'filesMissing', ticketId: ticket.id, dataDir: path.resolve(app.dataDir) };
  const counts = await purgeTicket(app, ticket.id, now, options.onPurged ? (tx) => options.onPurged!(tx, ticket.id, !closed) : undefined);
  if (!counts) return { status: 'alreadyPurged', ticketId: ticket.id };
  const outboxPayloads = await prisma.$executeRaw`
    UPDATE "Outbox"
    SET "payload" = '{"purged":true}'::jsonb,
        "destination" = jsonb_build_object('type', "destination"->'type'),
        "lastError" = NULL
    WHERE "status" <> 'pending' AND "payload"->>'ticketId' = ${ticket.id}`;
  return { status: 'purged', ticketId: ticket.id, wasOpen: !closed, counts, outboxPayloads };
}

function evidenceFiles(rows: Array<{ path: string | null; strippedPath: string | null }>): string[] {
  const files = new Set<string>();
  for (const row of rows) {
    if (row.path) files.add(row.path);
    if (row.strippedPath) files.add(row.strippedPath);
  }
  return [...files];
}

async function otherReferences(app: RetentionApp, file: string, ticketId: string): Promise<number> {
  return app.store.prisma.evidence.count({
    where: {
      OR: [{ path: file }, { strippedPath: file }],
      // `ticketId <> x` is not true for drafts (NULL), so drafts are named explicitly.
      AND: [{ OR: [{ ticketId: null }, { ticketId: { not: ticketId } }] }],
    },
  });
}

async function anyExists(app: RetentionApp, files: readonly string[]): Promise<boolean> {
  const root = path.resolve(app.dataDir);
  for (const file of files) {
    try {
      await access(path.resolve(root, file));
      return true;
    } catch {
      // Not there: try the next.
    }
  }
  return false;
}

/** Deletes a file under the data directory; true when it existed. Never touches a path outside it. */
async function removeFile(app: RetentionApp, relative: string): Promise<boolean> {
  const root = path.resolve(app.dataDir);
  const absolute = path.resolve(root, relative);
  if (!absolute.startsWith(root + path.sep)) {
    app.logger.warn('retention: an evidence path points outside the data directory; left alone');
    return false;
  }
  try {
    await unlink(absolute);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The report details reduced to the enumerated fields in RETAINED_DETAIL_PATHS, marked as purged. */
export function anonymousDetails(details: unknown): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const dotted of RETAINED_DETAIL_PATHS) {
    const segments = dotted.split('.');
    let value: unknown = details;
    for (const segment of segments) {
      value = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[segment] : undefined;
    }
    if (typeof value === 'boolean' || (typeof value === 'string' && CODE_VALUE.test(value))) {
      let target = kept;
      for (const segment of segments.slice(0, -1)) {
        target[segment] ??= {};
        target = target[segment] as Record<string, unknown>;
      }
      target[segments[segments.length - 1]!] = value;
    }
  }
  return { ...kept, purged: true };
}

const JAKARTA_OFFSET_MS = 7 * 3_600_000;

/** The first instant of the month (Western Indonesia Time, UTC+7, no daylight saving) that `date` falls in. */
export function startOfJakartaMonth(date: Date): Date {
  const local = new Date(date.getTime() + JAKARTA_OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - JAKARTA_OFFSET_MS);
}

/**
 * Removes the payload (and the address, keeping only the destination type) of outbox rows that are finished and
 * older than the cutoff: delivered ones by their delivery time, dead letters by their creation. A pending row is
 * never touched, so no delivery is lost.
 */
export async function purgeOutboxPayloads(app: RetentionApp, cutoff: Date, options: RetentionOptions = {}): Promise<number> {
  const { prisma } = app.store;
  if (options.dryRun) {
    const rows = await prisma.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM "Outbox"
      WHERE "status" <> 'pending' AND COALESCE("doneAt", "createdAt") < ${cutoff}
        AND NOT ("payload" @> '{"purged":true}'::jsonb)`;
    return rows[0]?.n ?? 0;
  }
  return prisma.$executeRaw`
    UPDATE "Outbox"
    SET "payload" = '{"purged":true}'::jsonb,
        "destination" = jsonb_build_object('type', "destination"->'type'),
        "lastError" = NULL
    WHERE "status" <> 'pending' AND COALESCE("doneAt", "createdAt") < ${cutoff}
      AND NOT ("payload" @> '{"purged":true}'::jsonb)`;
}

/**
 * Removes the holder's name from certificates issued before the cutoff. The certificate stays verifiable by its
 * code (score, date); only the name is gone, marked as removed (not as never given) so a check can say so.
 */
export async function purgeCertificateNames(app: RetentionApp, cutoff: Date, options: RetentionOptions = {}): Promise<number> {
  const where = { AND: [{ nameEnc: { not: null } }, { nameEnc: { not: CERTIFICATE_NAME_REMOVED } }], issuedAt: { lt: cutoff } } satisfies Prisma.CertificateWhereInput;
  if (options.dryRun) return app.store.prisma.certificate.count({ where });
  const named = await app.store.prisma.certificate.findMany({ where, select: { code: true } });
  const { count } = await app.store.prisma.certificate.updateMany({ where: { ...where, code: { in: named.map((c) => c.code) } }, data: { nameEnc: CERTIFICATE_NAME_REMOVED } });
  // The PDF prints the name too: the copy kept here goes with it (the holder has theirs from the chat).
  for (const { code } of named) await removeFile(app, certificatePath(code));
  return count;
}
