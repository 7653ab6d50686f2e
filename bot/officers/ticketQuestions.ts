/**
 * Officers' questions to a reporter and the offices that wait for the answers: what the reporter's `/jawab` and an
 * officer's status change both need to know about a ticket. A question is an officer's "Minta info" or the reason of
 * "Perlu informasi tambahan"; it is open until the reporter answers after it.
 */
import { LATE_ANSWER_DAYS } from '../../flows/reply/replyCommands.ts';
import { isWithin, officeChain } from '../offices/officeDirectory.ts';
import type { PrismaClient, Tx } from '../store/store.ts';
import { isOpenStatus } from './ticketStatus.ts';

type Db = PrismaClient | Tx;

/** "Perlu informasi tambahan" asks the reporter too: its reason is what the office wants to know. */
export const ASKING_STATUS = { type: 'status', status: 'needs-info' } as const;

/** Officer events that show an office works on a ticket (a transfer only sends it on). */
const WORK_EVENTS = ['acknowledged', 'question', 'status', 'note'];

const DAY_MS = 86_400_000;

/** The officers' open question on a ticket, with the office of the officer who asked. */
export interface OpenQuestion {
  id: string;
  text: string | null;
  askerOffice: string | null;
}

/**
 * The officers' latest question on a ticket while it waits for its answer (none once the reporter answered after
 * it; an answer at the same instant counts), with the office of the officer who asked.
 */
export async function openQuestion(db: Db, ticketId: string): Promise<OpenQuestion | null> {
  const [question, answer] = await Promise.all(
    [{ OR: [{ type: 'question' }, ASKING_STATUS] }, { type: 'answer' }].map((where) =>
      db.ticketEvent.findFirst({ where: { ticketId, ...where }, orderBy: { createdAt: 'desc' }, select: { id: true, text: true, actor: true, createdAt: true } }),
    ),
  );
  if (!question || (answer && answer.createdAt.getTime() >= question.createdAt.getTime())) return null;
  const asker = await db.officer.findUnique({ where: { id: question.actor }, select: { officeCode: true } });
  return { id: question.id, text: question.text, askerOffice: asker?.officeCode ?? null };
}

/**
 * Whether the reporter may still write to a ticket: `open` while it is handled; `late` for {@link LATE_ANSWER_DAYS}
 * days after it was closed, when only the answer to a question asked before still goes through (an officer may
 * close a ticket while the reporter is still finding the photo asked for); `closed` after that.
 */
export function answerWindow(ticket: { status: string; closedAt: Date | null }, at: Date): 'open' | 'late' | 'closed' {
  if (!ticket.closedAt) return isOpenStatus(ticket.status) ? 'open' : 'closed';
  return at.getTime() - ticket.closedAt.getTime() <= LATE_ANSWER_DAYS * DAY_MS ? 'late' : 'closed';
}

/** The earliest closing instant of a ticket that still takes a late answer at `at`. */
export function lateAnswerCutoff(at: Date): Date {
  return new Date(at.getTime() - LATE_ANSWER_DAYS * DAY_MS);
}

/**
 * The offices above a ticket's office that work on it, nearest first: those whose officers acknowledged it, asked
 * its reporter, set its status or wrote a note (a provinsi that stepped in from a reminder's copy). They get the
 * reporter's answers beside the ticket's office. An office that is no longer above it (the ticket was transferred
 * to another province) gets nothing more.
 */
export async function officesAbove(db: Db, ticket: { id: string; officeCode: string }): Promise<string[]> {
  const events = await db.ticketEvent.findMany({
    where: { ticketId: ticket.id, type: { in: WORK_EVENTS } },
    select: { actor: true },
    distinct: ['actor'],
  });
  if (events.length === 0) return [];
  const officers = await db.officer.findMany({ where: { id: { in: events.map((e) => e.actor) } }, select: { officeCode: true } });
  const chain = officeChain(ticket.officeCode);
  return [...new Set(officers.map((o) => o.officeCode))]
    .filter((code) => code !== ticket.officeCode && isWithin(ticket.officeCode, code))
    .sort((a, b) => chain.indexOf(a) - chain.indexOf(b));
}
