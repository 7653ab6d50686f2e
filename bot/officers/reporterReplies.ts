/**
 * The reporter's side of "Minta info": the command handlers of the reply flow. A reporter may answer only about
 * tickets filed from the same chat; the answer becomes a TicketEvent, new files and links become Evidence of the
 * ticket, and an `office.notify` outbox row carries both to the office, all in the turn's transaction.
 */
import {
  lookupReplyCommandSchema,
  submitReplyCommandSchema,
  type LookupReplyResult,
  type SubmitReplyResult,
} from '../../flows/reply/replyCommands.ts';
import type { CommandHandler } from '../conversation/conversationRuntime.ts';
import { enqueueOutbox } from '../forwarding/outbox.ts';
import { isWithin, officeName } from '../offices/officeDirectory.ts';
import type { Tx } from '../store/store.ts';
import { isOpenStatus } from './ticketStatus.ts';

/** "Perlu informasi tambahan" asks the reporter too: its reason is what the office wants to know. */
const ASKING_STATUS = { type: 'status', status: 'needs-info' };

/** Tickets whose latest question is newer than the reporter's latest answer (an answer at the same instant counts). */
async function awaitingAnswer(tx: Tx, chatKey: string): Promise<Array<{ code: string; category: string }>> {
  const tickets = await tx.ticket.findMany({
    where: { reporterChatKey: chatKey, closedAt: null, purgedAt: null },
    select: {
      code: true,
      category: true,
      status: true,
      events: { where: { OR: [{ type: { in: ['question', 'answer'] } }, ASKING_STATUS] }, select: { type: true, createdAt: true } },
    },
    orderBy: { createdAt: 'desc' },
    take: 50,
  });
  const latest = (events: Array<{ type: string; createdAt: Date }>, types: readonly string[]) =>
    Math.max(-Infinity, ...events.filter((e) => types.includes(e.type)).map((e) => e.createdAt.getTime()));
  return tickets
    .filter((t) => isOpenStatus(t.status) && latest(t.events, ['question', 'status']) > latest(t.events, ['answer']))
    .map((t) => ({ code: t.code, category: t.category }));
}

/**
 * The officers' latest question on a ticket while it waits for its answer (none once the reporter answered after
 * it), with the office of the officer who asked.
 */
async function openQuestion(tx: Tx, ticketId: string): Promise<{ id: string; text: string | null; askerOffice: string | null } | null> {
  const [question, answer] = await Promise.all(
    [{ OR: [{ type: 'question' }, ASKING_STATUS] }, { type: 'answer' }].map((where) =>
      tx.ticketEvent.findFirst({ where: { ticketId, ...where }, orderBy: { createdAt: 'desc' }, select: { id: true, text: true, actor: true, createdAt: true } }),
    ),
  );
  if (!question || (answer && answer.createdAt.getTime() >= question.createdAt.getTime())) return null;
  const asker = await tx.officer.findUnique({ where: { id: question.actor }, select: { officeCode: true } });
  return { id: question.id, text: question.text, askerOffice: asker?.officeCode ?? null };
}

async function target(tx: Tx, chatKey: string, code: string): Promise<LookupReplyResult> {
  const ticket = await tx.ticket.findUnique({
    where: { code },
    select: { id: true, code: true, officeCode: true, reporterChatKey: true, status: true, closedAt: true, purgedAt: true },
  });
  if (!ticket || ticket.reporterChatKey !== chatKey || ticket.purgedAt) return { status: 'notFound', code };
  if (ticket.closedAt || !isOpenStatus(ticket.status)) return { status: 'closed', code };
  // A question answered already is not shown as waiting: the reporter then adds information to the report.
  const question = await openQuestion(tx, ticket.id);
  // Named as the question's own notice named it: the office of the officer who asked.
  return {
    status: 'found',
    target: { code: ticket.code, office: officeName(question?.askerOffice ?? ticket.officeCode), question: question?.text ?? null },
  };
}

/** `lookupReply` and `submitReply`, for `app.runtime.registerCommands`. */
export function reporterReplyCommands(): Record<string, CommandHandler> {
  return {
    lookupReply: async (command, ctx): Promise<LookupReplyResult> => {
      const { code } = lookupReplyCommandSchema.parse(command);
      if (code) return target(ctx.tx, ctx.chatKey, code);
      const waiting = await awaitingAnswer(ctx.tx, ctx.chatKey);
      if (waiting.length === 0) return { status: 'none' };
      if (waiting.length === 1) return target(ctx.tx, ctx.chatKey, waiting[0]!.code);
      const shown = waiting.slice(0, 10);
      return { status: 'choose', codes: shown.map((t) => t.code), categories: shown.map((t) => t.category) };
    },
    submitReply: async (command, ctx): Promise<SubmitReplyResult> => {
      const reply = submitReplyCommandSchema.parse(command);
      const { tx, at } = ctx;
      const ticket = await tx.ticket.findUnique({
        where: { code: reply.code },
        select: { id: true, code: true, officeCode: true, reporterChatKey: true, status: true, closedAt: true, purgedAt: true },
      });
      // A ticket closed while the answer was being written still gets it: the answer is never dropped, and the office
      // is told the ticket was closed (the question was asked while it was open).
      if (!ticket || ticket.reporterChatKey !== ctx.chatKey || ticket.purgedAt) return { status: 'failed' };
      // The answer goes to the ticket's office, and to the office that asked when that was another one above it (a
      // provinsi that stepped in, from a reminder's copy): the one waiting for it must see it.
      const question = await openQuestion(tx, ticket.id);
      const asker = question?.askerOffice;
      const offices = [ticket.officeCode];
      if (asker && asker !== ticket.officeCode && isWithin(ticket.officeCode, asker)) offices.push(asker);
      const event = await tx.ticketEvent.create({
        data: { ticketId: ticket.id, type: 'answer', text: reply.text, actor: 'reporter', createdAt: at },
      });
      const evidenceIds: string[] = [];
      // One millisecond apart, so the office receives them in the order they were sent (ties go by random id).
      let order = 0;
      const nextAt = () => new Date(at.getTime() + order++);
      for (const media of reply.media) {
        const row = await tx.evidence.create({
          data: {
            ticketId: ticket.id,
            kind: media.kind,
            mime: media.mime ?? null,
            fileName: media.fileName ?? null,
            size: media.size,
            sha256: media.sha256,
            path: media.path,
            strippedPath: media.strippedPath ?? null,
            createdAt: nextAt(),
          },
        });
        evidenceIds.push(row.id);
      }
      for (const url of reply.links) {
        const row = await tx.evidence.create({ data: { ticketId: ticket.id, kind: 'link', url, createdAt: nextAt() } });
        evidenceIds.push(row.id);
      }
      await enqueueOutbox(
        tx,
        offices.map((officeCode, i) => ({
          kind: 'office.notify',
          destination: { type: 'office', officeCode },
          payload: {
            ticketId: ticket.id,
            notice: 'answer',
            eventId: event.id,
            evidenceIds,
            ...(question ? { questionId: question.id } : {}),
            ...(isOpenStatus(ticket.status) ? {} : { closedStatus: ticket.status }),
            // The asker's copy is skipped where the ticket's office has no destination of its own and so reaches the
            // asker anyway: one office must not get the answer twice.
            ...(i > 0 ? { besideOfficeCode: ticket.officeCode } : {}),
          },
          dedupKey: `ticket:${ticket.id}:answer:${event.id}${i === 0 ? '' : `:${officeCode}`}`,
        })),
        at,
      );
      return { status: 'sent', code: ticket.code, office: officeName(offices.at(-1)!), files: reply.media.length };
    },
  };
}
