/**
 * What officers do to a ticket: acknowledge it, ask the reporter a question, set a status with a reason, transfer
 * it to another office, write an internal note. Each action is one transaction that updates the ticket, records a
 * TicketEvent (the history reporters and officers read), appends to the audit log, and enqueues what must be
 * delivered (the reporter's notification, a forward to the new office, the notice to the offices working on the
 * ticket), so an action is never half done and no notice of it is lost.
 */
import type { Localized, OutboundMessage } from '../../flows/messages.ts';
import { say } from '../../flows/messages.ts';
import { LATE_ANSWER_DAYS } from '../../flows/reply/replyCommands.ts';
import { appendAudit } from '../audit/auditLog.ts';
import { recommendationTarget } from '../../flows/report/reportContext.ts';
import { enqueueOutbox } from '../forwarding/outbox.ts';
import { otherRulesOf } from '../forwarding/ticketDossier.ts';
import type { Renderer } from '../i18n.ts';
import { toPlainText } from '../i18n.ts';
import { officeName } from '../offices/officeDirectory.ts';
import type { Tx } from '../store/store.ts';
import type { ActionNotice } from './actionNotices.ts';
import type { OfficerRecord } from './officerRepository.ts';
import { officesAbove, openQuestion } from './ticketQuestions.ts';
import { closedStatuses, statusKey, type SettableStatus } from './ticketStatus.ts';

/** The ticket fields actions read. */
export interface ActionTicket {
  id: string;
  code: string;
  status: string;
  officeCode: string;
  reporterChatKey: string;
  acknowledgedAt: Date | null;
  /** The report's fields (JSON); read here only for whom the reported person answers to. */
  details: unknown;
}

/** Who acted and where, as other officers are told of it. */
export interface ActionOrigin {
  /** The name other officers know the officer by (their Telegram name as they acted). */
  officerName?: string;
  chatType: 'private' | 'group';
  /** The group the action was taken in, which sees it already. A private chat's id (the officer's) is never stored. */
  groupChatId?: string;
}

/** Shared by every action. */
export interface ActionContext {
  tx: Tx;
  officer: OfficerRecord;
  at: Date;
  renderer: Renderer;
  /** The body Bawaslu recommends to (config RECOMMENDATION_BODY). */
  recommendationBody: string;
  /**
   * Id of the TicketEvent the action records. The desk derives it from the officer's Telegram message, so the same
   * message delivered twice (Telegram redelivers what a crashed process did not acknowledge; two processes may get
   * it at once) cannot record the action twice: the second insert violates the primary key.
   */
  eventId?: string;
  /** Where the officer acted (the desk's chat); without it, as from their private chat under their enrolled name. */
  origin?: ActionOrigin;
}

/**
 * Raised when the ticket changed since the officer's view of it was read (another officer moved it or set its
 * status meanwhile): the action is rolled back rather than applied to a ticket that is no longer what it was.
 */
export class TicketChangedError extends Error {
  constructor(readonly code: string) {
    super(`ticket ${code} changed meanwhile`);
    this.name = 'TicketChangedError';
  }
}

/** Updates the ticket only if its office and status are still those the action was decided on. */
async function updateUnchanged(tx: Tx, ticket: ActionTicket, data: Parameters<Tx['ticket']['updateMany']>[0]['data']): Promise<void> {
  const updated = await tx.ticket.updateMany({ where: { id: ticket.id, officeCode: ticket.officeCode, status: ticket.status }, data });
  if (updated.count === 0) throw new TicketChangedError(ticket.code);
}

/** A status label in both languages with the recommending body filled in, for messages rendered later. */
export function statusLabel(renderer: Renderer, status: string, body: Localized): Localized {
  const ref = { key: statusKey(status), params: { body } };
  return { id: toPlainText(renderer.text(ref, 'id')), en: toPlainText(renderer.text(ref, 'en')) };
}

function eventIdOf(ctx: ActionContext): { id?: string } {
  return ctx.eventId ? { id: ctx.eventId } : {};
}

function officerActor(officer: OfficerRecord): string {
  return `officer:${officer.id}`;
}

/** Enqueues messages to the reporter's chat, rendered in their language when delivered. */
export async function notifyReporter(
  tx: Tx,
  ticket: Pick<ActionTicket, 'id' | 'reporterChatKey'>,
  eventId: string,
  messages: OutboundMessage[],
  at: Date,
): Promise<void> {
  // A ticket whose personal data was erased (`netra tickets purge`) no longer knows its reporter's chat.
  if (!ticket.reporterChatKey) return;
  await enqueueOutbox(
    tx,
    [
      {
        kind: 'chat.message',
        destination: { type: 'chat', chatKey: ticket.reporterChatKey },
        payload: { messages, ticketId: ticket.id },
        dedupKey: `ticket:${ticket.id}:event:${eventId}:reporter`,
      },
    ],
    at,
  );
}

/**
 * Tells the offices working on the ticket what an officer did: its office (before a transfer: the office it leaves;
 * the office it goes to gets the ticket itself), the officer's own, and the offices above that acted on it (a
 * provinsi that stepped in from a reminder's copy). One fan-out row, written with the action: the worker sends it to
 * each of their destinations once (groups or officers, e-mail, webhook), except the chat the action was taken in
 * and the officer's own private chat, which saw it.
 */
async function notifyOffices(
  ctx: ActionContext,
  ticket: Pick<ActionTicket, 'id' | 'officeCode'>,
  eventId: string,
  details: Pick<ActionNotice, 'ticketStatus' | 'toOfficeCode' | 'receiverOfficeCode' | 'openQuestion'>,
  at: Date = ctx.at,
): Promise<void> {
  const { tx, officer, origin } = ctx;
  const offices = [...new Set([ticket.officeCode, officer.officeCode, ...(await officesAbove(tx, ticket))])];
  const action: ActionNotice = {
    offices,
    officerId: officer.id,
    officeCode: officer.officeCode,
    ...(origin?.officerName ? { officerName: origin.officerName } : {}),
    chatType: origin?.chatType ?? 'private',
    ...(origin?.chatType === 'group' && origin.groupChatId ? { groupChatId: origin.groupChatId } : {}),
    ticketOfficeCode: ticket.officeCode,
    ...details,
  };
  await enqueueOutbox(
    tx,
    [
      {
        kind: 'office.notify',
        destination: { type: 'office', officeCode: ticket.officeCode },
        payload: { ticketId: ticket.id, notice: 'action', eventId, action },
        dedupKey: `ticket:${ticket.id}:action:${eventId}`,
      },
    ],
    at,
  );
}

/** Acknowledges a ticket ("Terima"). Returns false when it had been acknowledged already. */
export async function acknowledgeTicket(ctx: ActionContext, ticket: ActionTicket): Promise<boolean> {
  const { tx, officer, at } = ctx;
  const updated = await tx.ticket.updateMany({
    where: { id: ticket.id, acknowledgedAt: null, officeCode: ticket.officeCode, status: ticket.status },
    data: { acknowledgedAt: at, ...(ticket.status === 'received' ? { status: 'acknowledged' } : {}) },
  });
  if (updated.count === 0) {
    // Acknowledged by someone else meanwhile (said so), or moved or set to another status (the view is stale).
    const now = await tx.ticket.findUnique({ where: { id: ticket.id }, select: { acknowledgedAt: true, officeCode: true } });
    if (now?.acknowledgedAt && now.officeCode === ticket.officeCode) return false;
    throw new TicketChangedError(ticket.code);
  }
  const status = ticket.status === 'received' ? 'acknowledged' : ticket.status;
  const event = await tx.ticketEvent.create({
    data: { ticketId: ticket.id, type: 'acknowledged', status, actor: officer.id, createdAt: at },
  });
  await appendAudit(tx, {
    actor: officerActor(officer),
    action: 'ticket.acknowledge',
    ticketId: ticket.id,
    data: { code: ticket.code, officeCode: officer.officeCode, eventId: event.id },
    at,
  });
  await notifyReporter(
    tx,
    ticket,
    event.id,
    [say('officer.reporter.acknowledged', { code: ticket.code, office: officeName(officer.officeCode) })],
    at,
  );
  await notifyOffices(ctx, ticket, event.id, { ticketStatus: status });
  return true;
}

/**
 * Sets a status with its reason; the reporter is told both, and, when it closes the ticket before they answered a
 * question, that the answer is still taken for a while.
 */
export async function setTicketStatus(
  ctx: ActionContext,
  ticket: ActionTicket,
  status: SettableStatus,
  reason: string,
): Promise<void> {
  const { tx, officer, at, renderer } = ctx;
  const closed = closedStatuses.includes(status);
  await updateUnchanged(tx, ticket, {
    status,
    ...(ticket.acknowledgedAt ? {} : { acknowledgedAt: at }),
    closedAt: closed ? at : null,
  });
  const event = await tx.ticketEvent.create({
    data: { ...eventIdOf(ctx), ticketId: ticket.id, type: 'status', status, text: reason, actor: officer.id, createdAt: at },
  });
  await appendAudit(tx, {
    actor: officerActor(officer),
    action: 'ticket.status',
    ticketId: ticket.id,
    data: { code: ticket.code, from: ticket.status, to: status, eventId: event.id },
    at,
  });
  const otherRules = otherRulesOf(ticket.details);
  const body = recommendationTarget(otherRules, ctx.recommendationBody);
  const messages: OutboundMessage[] = [
    say('officer.reporter.statusChanged', {
      code: ticket.code,
      status: statusLabel(renderer, status, body),
      office: officeName(officer.officeCode),
      reason,
    }),
  ];
  // Who decides on a sanction after a recommendation depends on whom the report names.
  const note = `officer.reporter.statusNote.${status}${status === 'recommended' && otherRules ? 'Other' : ''}`;
  if (renderer.has(note, 'id')) messages.push(say(note, { body, code: ticket.code }));
  // Closed while the reporter may still be finding what was asked: the answer is still taken for a while.
  const waiting = closed && (await openQuestion(tx, ticket.id)) !== null;
  if (waiting) messages.push(say('officer.reporter.openQuestionOnClose', { code: ticket.code, days: LATE_ANSWER_DAYS }));
  await notifyReporter(tx, ticket, event.id, messages, at);
  await notifyOffices(ctx, ticket, event.id, { ticketStatus: status, ...(waiting ? { openQuestion: true } : {}) });
}

/** Relays an officer's question to the reporter, who answers with /jawab. */
export async function askReporter(ctx: ActionContext, ticket: ActionTicket, question: string): Promise<void> {
  const { tx, officer, at } = ctx;
  // Touching the row locks it until the question is recorded, so a transfer cannot slip in between.
  await updateUnchanged(tx, ticket, { updatedAt: at });
  const event = await tx.ticketEvent.create({
    data: { ...eventIdOf(ctx), ticketId: ticket.id, type: 'question', text: question, actor: officer.id, createdAt: at },
  });
  await appendAudit(tx, {
    actor: officerActor(officer),
    action: 'ticket.question',
    ticketId: ticket.id,
    data: { code: ticket.code, eventId: event.id },
    at,
  });
  await notifyReporter(
    tx,
    ticket,
    event.id,
    [say('officer.reporter.question', { code: ticket.code, office: officeName(officer.officeCode), question })],
    at,
  );
  await notifyOffices(ctx, ticket, event.id, { ticketStatus: ticket.status });
}

/** Stores a note only officers see. */
export async function addInternalNote(ctx: ActionContext, ticket: ActionTicket, note: string): Promise<void> {
  const { tx, officer, at } = ctx;
  const event = await tx.ticketEvent.create({
    data: { ...eventIdOf(ctx), ticketId: ticket.id, type: 'note', text: note, actor: officer.id, internal: true, createdAt: at },
  });
  await appendAudit(tx, {
    actor: officerActor(officer),
    action: 'ticket.note',
    ticketId: ticket.id,
    data: { code: ticket.code, eventId: event.id },
    at,
  });
  await notifyOffices(ctx, ticket, event.id, { ticketStatus: ticket.status });
}

/**
 * Moves a ticket to another office: it becomes that office's (unacknowledged, `received`) ticket and is forwarded
 * there with everything attached; the reporter is told where it went. `receiverOfficeCode` is the office that
 * receives it for the target (an office above when the target has no destination yet; null for none), as the
 * officer was told, for the notice to the other offices.
 */
export async function transferTicket(
  ctx: ActionContext,
  ticket: ActionTicket,
  targetCode: string,
  receiverOfficeCode?: string | null,
): Promise<void> {
  const { tx, officer, at } = ctx;
  await updateUnchanged(tx, ticket, { officeCode: targetCode, status: 'received', acknowledgedAt: null, escalatedAt: null, closedAt: null });
  const event = await tx.ticketEvent.create({
    data: {
      ...eventIdOf(ctx),
      ticketId: ticket.id,
      type: 'transferred',
      status: 'received',
      text: `${officeName(ticket.officeCode)} -> ${officeName(targetCode)}`,
      actor: officer.id,
      createdAt: at,
    },
  });
  await appendAudit(tx, {
    actor: officerActor(officer),
    action: 'ticket.transfer',
    ticketId: ticket.id,
    data: { code: ticket.code, from: ticket.officeCode, to: targetCode, eventId: event.id },
    at,
  });
  await enqueueOutbox(
    tx,
    [
      {
        kind: 'ticket.forward',
        destination: { type: 'office', officeCode: targetCode },
        payload: { ticketId: ticket.id, reason: 'transfer', fromOfficeCode: ticket.officeCode },
        dedupKey: `ticket:${ticket.id}:transfer:${event.id}`,
      },
    ],
    at,
  );
  await notifyReporter(
    tx,
    ticket,
    event.id,
    [say('officer.reporter.transferred', { code: ticket.code, office: officeName(targetCode) })],
    at,
  );
  // An office that moves the ticket to itself is also told of the move: after the ticket reaches it, not in an order
  // left to the rows' random ids (both are written at the same instant).
  await notifyOffices(
    ctx,
    ticket,
    event.id,
    { ticketStatus: 'received', toOfficeCode: targetCode, ...(receiverOfficeCode !== undefined ? { receiverOfficeCode } : {}) },
    new Date(at.getTime() + 1),
  );
}
