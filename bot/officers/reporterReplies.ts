/**
 * The reporter's side of "Minta info": the command handlers of the reply flow. A reporter may answer only about
 * tickets filed from the same chat; the answer becomes a TicketEvent, new files and links become Evidence of the
 * ticket, and an `office.notify` outbox row carries both to the office (and to each office above it that works on
 * the ticket), all in the turn's transaction. A closed ticket takes only the answer to a question asked before it
 * was closed, for `LATE_ANSWER_DAYS`; the reporter is told what to do instead of anything else.
 */
import {
  lookupReplyCommandSchema,
  submitReplyCommandSchema,
  type LookupReplyResult,
  type SubmitReplyResult,
} from '../../flows/reply/replyCommands.ts';
import type { CommandHandler } from '../conversation/conversationRuntime.ts';
import { enqueueOutbox } from '../forwarding/outbox.ts';
import { officeName } from '../offices/officeDirectory.ts';
import type { Tx } from '../store/store.ts';
import { answerWindow, ASKING_STATUS, lateAnswerCutoff, officesAbove, openQuestion } from './ticketQuestions.ts';

/**
 * Tickets whose latest question is newer than the reporter's latest answer (an answer at the same instant counts),
 * while they are open or closed too recently for that question to have lapsed.
 */
async function awaitingAnswer(tx: Tx, chatKey: string, at: Date): Promise<Array<{ code: string; category: string }>> {
  const tickets = await tx.ticket.findMany({
    where: { reporterChatKey: chatKey, purgedAt: null, OR: [{ closedAt: null }, { closedAt: { gte: lateAnswerCutoff(at) } }] },
    select: {
      code: true,
      category: true,
      status: true,
      closedAt: true,
      events: { where: { OR: [{ type: { in: ['question', 'answer'] } }, ASKING_STATUS] }, select: { type: true, createdAt: true } },
    },
    orderBy: { createdAt: 'desc' },
    take: 50,
  });
  const latest = (events: Array<{ type: string; createdAt: Date }>, types: readonly string[]) =>
    Math.max(-Infinity, ...events.filter((e) => types.includes(e.type)).map((e) => e.createdAt.getTime()));
  return tickets
    .filter((t) => answerWindow(t, at) !== 'closed' && latest(t.events, ['question', 'status']) > latest(t.events, ['answer']))
    .map((t) => ({ code: t.code, category: t.category }));
}

const TICKET_SELECT = { id: true, code: true, officeCode: true, reporterChatKey: true, status: true, closedAt: true, purgedAt: true } as const;

async function target(tx: Tx, chatKey: string, code: string, at: Date): Promise<LookupReplyResult> {
  const ticket = await tx.ticket.findUnique({ where: { code }, select: TICKET_SELECT });
  if (!ticket || ticket.reporterChatKey !== chatKey || ticket.purgedAt) return { status: 'notFound', code };
  // A question answered already is not shown as waiting: the reporter then adds information to the report.
  const question = await openQuestion(tx, ticket.id);
  const window = answerWindow(ticket, at);
  if (window !== 'open') {
    // Closed: only the answer to a question asked before the closing is still taken, and only for a while.
    if (window === 'closed' || !question) return { status: 'closed', code, ...(question ? { expired: true } : {}) };
  }
  // Named as the question's own notice named it: the office of the officer who asked.
  return {
    status: 'found',
    target: {
      code: ticket.code,
      office: officeName(question?.askerOffice ?? ticket.officeCode),
      question: question?.text ?? null,
      ...(window === 'late' ? { closedStatus: ticket.status } : {}),
    },
  };
}

/** `lookupReply` and `submitReply`, for `app.runtime.registerCommands`. */
export function reporterReplyCommands(): Record<string, CommandHandler> {
  return {
    lookupReply: async (command, ctx): Promise<LookupReplyResult> => {
      const { code } = lookupReplyCommandSchema.parse(command);
      if (code) return target(ctx.tx, ctx.chatKey, code, ctx.at);
      const waiting = await awaitingAnswer(ctx.tx, ctx.chatKey, ctx.at);
      if (waiting.length === 0) return { status: 'none' };
      if (waiting.length === 1) return target(ctx.tx, ctx.chatKey, waiting[0]!.code, ctx.at);
      const shown = waiting.slice(0, 10);
      return { status: 'choose', codes: shown.map((t) => t.code), categories: shown.map((t) => t.category) };
    },
    submitReply: async (command, ctx): Promise<SubmitReplyResult> => {
      const reply = submitReplyCommandSchema.parse(command);
      const { tx, at } = ctx;
      const ticket = await tx.ticket.findUnique({ where: { code: reply.code }, select: TICKET_SELECT });
      if (!ticket || ticket.reporterChatKey !== ctx.chatKey || ticket.purgedAt) return { status: 'failed' };
      const question = await openQuestion(tx, ticket.id);
      const window = answerWindow(ticket, at);
      if (window !== 'open') {
        // Closed while the reporter was writing, or before: an answer to a question asked before the closing, or
        // one begun while the ticket was open, still goes (for a while), so what the office asked for is never lost.
        // Anything else about a closed ticket is refused; a new event is a new report.
        const begunOpen = reply.startedAt !== undefined && ticket.closedAt !== null && Date.parse(reply.startedAt) <= ticket.closedAt.getTime();
        if (window === 'closed' || (!question && !begunOpen)) return { status: 'closed', code: ticket.code };
      }
      // The answer goes to the ticket's office and to the offices above it that work on the ticket (a provinsi that
      // stepped in from a reminder's copy, asked, acknowledged or set a status): each must see what the others asked
      // and what came back.
      const offices = [ticket.officeCode, ...(await officesAbove(tx, ticket))];
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
            ...(window === 'open' ? {} : { closedStatus: ticket.status }),
            // A copy for an office above is skipped where the ticket's office has no destination of its own and so
            // reaches that office anyway: one office must not get the answer twice.
            ...(i > 0 ? { besideOfficeCode: ticket.officeCode } : {}),
          },
          dedupKey: `ticket:${ticket.id}:answer:${event.id}${i === 0 ? '' : `:${officeCode}`}`,
        })),
        at,
      );
      // The reporter is told the office that asked (it waits for the answer), else the one handling the ticket.
      const asker = question?.askerOffice;
      const named = asker && offices.includes(asker) ? asker : ticket.officeCode;
      return {
        status: 'sent',
        code: ticket.code,
        office: officeName(named),
        files: reply.media.length,
        ...(window === 'open' ? {} : { closedStatus: ticket.status }),
      };
    },
  };
}
