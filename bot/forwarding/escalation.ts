/**
 * Reminders for tickets nobody acknowledged: once `ESCALATE_AFTER` has passed since a ticket reached its office
 * (submission or transfer), the office that receives it gets a reminder and the office above it a copy of the
 * ticket. Run on a schedule; safe in several processes (the reminder's dedupKey is derived from the ticket and
 * its assignment time, so a second run or process enqueues nothing new).
 */
import { appendAudit } from '../audit/auditLog.ts';
import type { Logger } from '../logger.ts';
import { officeName, parentOfficeCode } from '../offices/officeDirectory.ts';
import type { PrismaClient } from '../store/store.ts';
import { resolveDestinations } from './officeDestinations.ts';
import { enqueueOutbox } from './outbox.ts';

export interface EscalationDeps {
  prisma: PrismaClient;
  logger: Logger;
  clock: () => Date;
  escalateAfterMs: number;
  /** Whether e-mail can be sent (SMTP_URL): an office with only an address otherwise has no destination. */
  canEmail: () => boolean;
}

/** Sends due reminders; returns the tickets reminded now. */
export async function remindUnacknowledged(deps: EscalationDeps, limit = 100): Promise<string[]> {
  const now = deps.clock();
  const cutoff = new Date(now.getTime() - deps.escalateAfterMs);
  // Only tickets still due: reached their office (submission or last transfer) before the cutoff and not reminded
  // since. Those reminded already must not take the run's places, or a backlog of them would stop every reminder.
  // Timestamps are stored in UTC without a zone, so the epoch of `assignedAt` is its instant.
  const due = await deps.prisma.$queryRawUnsafe<Array<{ id: string; code: string; officeCode: string; assignedAtMs: number }>>(
    `SELECT t."id", t."code", t."officeCode", round(extract(epoch FROM a."assignedAt") * 1000)::float8 AS "assignedAtMs" FROM "Ticket" t
      CROSS JOIN LATERAL (SELECT COALESCE(
        (SELECT max(e."createdAt") FROM "TicketEvent" e WHERE e."ticketId" = t."id" AND e."type" = 'transferred'),
        t."createdAt") AS "assignedAt") a
      WHERE t."acknowledgedAt" IS NULL AND t."closedAt" IS NULL AND t."purgedAt" IS NULL AND t."status" = 'received'
        AND a."assignedAt" <= ($1::timestamptz AT TIME ZONE 'UTC')
        AND NOT EXISTS (SELECT 1 FROM "TicketEvent" r
          WHERE r."ticketId" = t."id" AND r."type" = 'reminder' AND r."createdAt" >= a."assignedAt")
      ORDER BY t."createdAt" LIMIT $2`,
    cutoff.toISOString(),
    limit,
  );
  const reminded: string[] = [];
  for (const ticket of due) {
    const assignedAt = new Date(Number(ticket.assignedAtMs));
    const resolved = await resolveDestinations(deps.prisma, ticket.officeCode, { email: deps.canEmail() });
    const office = resolved?.officeCode ?? ticket.officeCode;
    const parent = parentOfficeCode(office);
    // The office the copy reaches (past a parent with no destination), named in the ticket's history: the office
    // that receives the ticket should know who may step in.
    const copyTo = parent ? await resolveDestinations(deps.prisma, parent, { email: deps.canEmail() }) : null;
    const key = `ticket:${ticket.id}:reminder:${assignedAt.getTime()}`;
    const done = await deps.prisma.$transaction(async (tx) => {
      const fresh = await enqueueOutbox(
        tx,
        [
          {
            kind: 'office.notify',
            destination: { type: 'office', officeCode: office },
            payload: { ticketId: ticket.id, notice: 'reminder', since: assignedAt.toISOString() },
            dedupKey: key,
          },
        ],
        now,
      );
      if (fresh === 0) return false;
      if (parent) {
        await enqueueOutbox(
          tx,
          [
            {
              kind: 'ticket.forward',
              destination: { type: 'office', officeCode: parent },
              payload: { ticketId: ticket.id, reason: 'reminder', fromOfficeCode: office },
              dedupKey: `${key}:parent`,
            },
          ],
          now,
        );
      }
      await tx.ticketEvent.create({
        data: {
          ticketId: ticket.id,
          type: 'reminder',
          actor: 'system',
          internal: true,
          text: copyTo ? officeName(copyTo.officeCode) : null,
          createdAt: now,
        },
      });
      await tx.ticket.update({ where: { id: ticket.id }, data: { escalatedAt: now } });
      await appendAudit(tx, {
        actor: 'system',
        action: 'ticket.remind',
        ticketId: ticket.id,
        data: { code: ticket.code, officeCode: office, copyTo: parent },
        at: now,
      });
      return true;
    });
    if (done) reminded.push(ticket.id);
  }
  if (reminded.length > 0) deps.logger.info({ count: reminded.length }, 'reminded offices of unacknowledged tickets');
  return reminded;
}
