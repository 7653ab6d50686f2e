/**
 * The ban list: an operator suspends the chat behind an abusive reporter, named by a ticket code or the
 * pseudonym officers see, without ever learning who it is. The runtime then answers that chat only with the
 * suspension notice (bot/conversation/conversationRuntime.ts). Every ban and unban is written to the audit log.
 */
import { appendAudit } from '../audit/auditLog.ts';
import { chatRef } from '../logger.ts';
import type { Store } from '../store/store.ts';

const TICKET_CODE = /^NTR-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

/** Why a ban target could not be resolved to one chat. */
export type BanProblem = 'notFound' | 'ambiguous' | 'purged' | 'noChat';

/** Raised when a ticket code or pseudonym does not lead to exactly one reporter's chat. */
export class BanTargetError extends Error {
  constructor(
    readonly problem: BanProblem,
    readonly target: string,
    /** Ticket codes involved (for `ambiguous`), so the operator can pick one. */
    readonly codes: string[] = [],
  ) {
    super(
      {
        notFound: `No ticket has the code or pseudonym "${target}".`,
        ambiguous: `The pseudonym "${target}" belongs to tickets from different chats (${codes.join(', ')}): name one ticket code instead.`,
        purged: `The ticket "${target}" has been purged under the retention rules: its reporter can no longer be traced.`,
        noChat: `The chat behind "${target}" no longer exists.`,
      }[problem],
    );
    this.name = 'BanTargetError';
  }
}

/** What a ban or unban changed. */
export interface BanResult {
  /** Short reference of the chat (first characters of its key): never the chat id. */
  chat: string;
  /** How the target was found. */
  via: 'code' | 'pseudonym';
  /** The reporter's tickets matched by the target. */
  codes: string[];
  banned: boolean;
  /** False when the chat was already in the requested state (nothing written, nothing audited). */
  changed: boolean;
  /** When the chat was banned (the original moment if it already was). */
  bannedAt: Date | null;
}

/** Options of a ban change. */
export interface BanOptions {
  /** The operator's reason, kept in the audit log (keep personal data out of it). */
  reason?: string;
  at: Date;
  /** Who acts, as the audit log names actors (`cli` for the netra command). */
  actor?: string;
}

/** Finds the one chat behind a ticket code or a pseudonym. */
export async function findReporterChat(
  store: Pick<Store, 'prisma'>,
  target: string,
): Promise<{ chatKey: string; via: BanResult['via']; codes: string[]; ticketId: string }> {
  const wanted = target.trim();
  if (!wanted) throw new BanTargetError('notFound', target);
  const code = wanted.toUpperCase();
  const tickets = TICKET_CODE.test(code)
    ? await store.prisma.ticket.findMany({ where: { code }, select: { id: true, code: true, reporterChatKey: true } })
    : await store.prisma.ticket.findMany({
        where: { pseudonym: { equals: wanted, mode: 'insensitive' } },
        select: { id: true, code: true, reporterChatKey: true },
        orderBy: { createdAt: 'asc' },
      });
  const via = TICKET_CODE.test(code) ? 'code' : 'pseudonym';
  const first = tickets[0];
  if (!first) throw new BanTargetError('notFound', wanted);
  const chats = new Set(tickets.map((t) => t.reporterChatKey));
  if (chats.size > 1) throw new BanTargetError('ambiguous', wanted, tickets.map((t) => t.code));
  if (!first.reporterChatKey) throw new BanTargetError('purged', wanted);
  return { chatKey: first.reporterChatKey, via, codes: tickets.map((t) => t.code), ticketId: first.id };
}

/** Bans (`ban: true`) or unbans the chat behind a ticket code or pseudonym, and audits the change. */
export async function setBan(
  store: Pick<Store, 'prisma'>,
  target: string,
  ban: boolean,
  options: BanOptions,
): Promise<BanResult> {
  const found = await findReporterChat(store, target);
  return store.prisma.$transaction(async (tx) => {
    const chat = await tx.chat.findUnique({ where: { key: found.chatKey }, select: { bannedAt: true } });
    if (!chat) throw new BanTargetError('noChat', target.trim());
    const base = { chat: chatRef(found.chatKey), via: found.via, codes: found.codes, banned: ban };
    if ((chat.bannedAt !== null) === ban) return { ...base, changed: false, bannedAt: chat.bannedAt };
    const bannedAt = ban ? options.at : null;
    await tx.chat.update({ where: { key: found.chatKey }, data: { bannedAt } });
    await appendAudit(tx, {
      actor: options.actor ?? 'cli',
      action: ban ? 'chat.ban' : 'chat.unban',
      ticketId: found.ticketId,
      data: { chat: base.chat, via: found.via, ...(options.reason ? { reason: options.reason.slice(0, 500) } : {}) },
      at: options.at,
    });
    return { ...base, changed: true, bannedAt };
  });
}
