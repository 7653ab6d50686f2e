/**
 * The status flow's commands: the reports filed from this chat, one of them with its history, and any report by
 * code and receipt. Wrong receipts are counted per chat and per code, so nobody can guess a receipt (10^16
 * possibilities) by trying, from one chat or from many chats against one code.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import {
  checkTicketCommandSchema,
  showMyTicketCommandSchema,
  type CheckTicketResult,
  type ListMyReportsResult,
  type ShowMyTicketResult,
  type TicketSummary,
  type TicketView,
} from '../../flows/status/statusCommands.ts';
import { parseReceipt, parseTicketCode } from '../../flows/status/ticketCode.ts';
import type { App } from '../app.ts';
import type { CommandContext, CommandHandler } from '../conversation/conversationRuntime.ts';
import { chatRef } from '../logger.ts';
import { recommendationTarget } from '../../flows/report/reportContext.ts';
import { otherRulesOf } from '../forwarding/ticketDossier.ts';
import { officeName } from '../offices/officeDirectory.ts';
import type { Tx } from '../store/store.ts';
import { DUMMY_RECEIPT_HASH, verifyReceipt } from './ticketCodes.ts';
import { LISTED_REPORTS } from '../../flows/status/status.machine.ts';

/** Limits on wrong receipts. */
export interface ReceiptLimits {
  /** Wrong attempts one chat may make per window. */
  perChat: number;
  /** Wrong attempts against one code (from any chats) per window. */
  perCode: number;
  windowSeconds: number;
}

export const defaultReceiptLimits: ReceiptLimits = { perChat: 5, perCode: 10, windowSeconds: 15 * 60 };

/** Counts wrong receipts in memory (per process; a restart forgets, which only helps a patient guesser a little). */
export class ReceiptLimiter {
  private readonly byChat: RateLimiterMemory;
  private readonly byCode: RateLimiterMemory;

  constructor(private readonly limits: ReceiptLimits = defaultReceiptLimits) {
    this.byChat = new RateLimiterMemory({ points: limits.perChat, duration: limits.windowSeconds });
    this.byCode = new RateLimiterMemory({ points: limits.perCode, duration: limits.windowSeconds });
  }

  /** Milliseconds until this chat may try this code again, or 0 when it may try now. */
  async blockedFor(chatKey: string, code: string): Promise<number> {
    const [chat, ticket] = await Promise.all([this.byChat.get(chatKey), this.byCode.get(code)]);
    const wait = (res: typeof chat, points: number) => (res && res.consumedPoints >= points ? res.msBeforeNext : 0);
    return Math.max(wait(chat, this.limits.perChat), wait(ticket, this.limits.perCode));
  }

  /** Counts one wrong attempt. */
  async fail(chatKey: string, code: string): Promise<void> {
    await Promise.all([this.byChat.penalty(chatKey, 1), this.byCode.penalty(code, 1)]);
  }
}

const ticketSelect = { id: true, code: true, kind: true, status: true, officeCode: true, createdAt: true, details: true } as const;
type TicketRow = { id: string; code: string; kind: string; status: string; officeCode: string; createdAt: Date; details: unknown };

function summary(app: App, row: TicketRow): TicketSummary {
  return {
    code: row.code,
    kind: row.kind === 'formal' ? 'formal' : 'tip',
    status: row.status,
    office: officeName(row.officeCode),
    createdAt: row.createdAt.toISOString(),
    recommendedTo: recommendationTarget(otherRulesOf(row.details), app.config.RECOMMENDATION_BODY),
  };
}

async function view(app: App, tx: Tx, row: TicketRow): Promise<TicketView> {
  const events = await tx.ticketEvent.findMany({
    where: { ticketId: row.id, internal: false },
    orderBy: { createdAt: 'asc' },
    select: { type: true, status: true, text: true, createdAt: true },
  });
  return {
    ...summary(app, row),
    history: events.map((e) => ({ type: e.type, status: e.status, text: e.text, at: e.createdAt.toISOString() })),
  };
}

/** The reports filed from the chat, newest first. */
export async function listMyReports(app: App, ctx: CommandContext): Promise<ListMyReportsResult> {
  const where = { reporterChatKey: ctx.chatKey };
  const [rows, total] = await Promise.all([
    ctx.tx.ticket.findMany({ where, orderBy: { createdAt: 'desc' }, take: LISTED_REPORTS, select: ticketSelect }),
    ctx.tx.ticket.count({ where }),
  ]);
  return { tickets: rows.map((row) => summary(app, row)), total };
}

/** One report filed from the chat (no receipt needed: the chat itself is the proof). */
export async function showMyTicket(app: App, command: unknown, ctx: CommandContext): Promise<ShowMyTicketResult> {
  const code = parseTicketCode(showMyTicketCommandSchema.parse(command).code);
  const row = code ? await ctx.tx.ticket.findUnique({ where: { code }, select: { ...ticketSelect, reporterChatKey: true } }) : null;
  if (!row || row.reporterChatKey !== ctx.chatKey) return { status: 'notFound' };
  return { status: 'found', ticket: await view(app, ctx.tx, row) };
}

/** Any report, by code and receipt. An unknown code and a wrong receipt answer alike, in about the same time. */
export async function checkTicket(app: App, limiter: ReceiptLimiter, command: unknown, ctx: CommandContext): Promise<CheckTicketResult> {
  const parsed = checkTicketCommandSchema.parse(command);
  const code = parseTicketCode(parsed.code) ?? parsed.code.slice(0, 20);
  const receipt = parseReceipt(parsed.receipt) ?? '';
  const wait = await limiter.blockedFor(ctx.chatKey, code);
  if (wait > 0) return { status: 'rateLimited', retryAfterMinutes: Math.max(1, Math.ceil(wait / 60_000)) };
  const row = await ctx.tx.ticket.findUnique({ where: { code }, select: { ...ticketSelect, receiptHash: true } });
  const matches = await verifyReceipt(app.secrets, receipt, row?.receiptHash ?? DUMMY_RECEIPT_HASH);
  if (!row || !matches) {
    await limiter.fail(ctx.chatKey, code);
    app.logger.info({ chat: chatRef(ctx.chatKey) }, 'wrong ticket code or receipt');
    return { status: 'notFound' };
  }
  return { status: 'found', ticket: await view(app, ctx.tx, row) };
}

/** The status flow's command handlers, bound to an app and a limiter. */
export function statusCommands(app: App, limiter: ReceiptLimiter = new ReceiptLimiter()): Record<string, CommandHandler> {
  return {
    listMyReports: (_command, ctx) => listMyReports(app, ctx),
    showMyTicket: (command, ctx) => showMyTicket(app, command, ctx),
    checkTicket: (command, ctx) => checkTicket(app, limiter, command, ctx),
  };
}
