/**
 * The outbox handlers that carry tickets to offices and news to reporters:
 * - `ticket.forward` / `office.notify` (destination: an office) fan out into one `office.deliver` row per concrete
 *   destination of the office that will receive (escalating to provinsi, then RI, when an office has none), in the
 *   transaction that completes the fan-out, each with its own dedupKey: every destination gets it once.
 * - An officer's action (`office.notify` with `notice: 'action'`) fans out to the destinations of every office working
 *   on the ticket at once, each destination once (a group linked to two of them, an office that escalates to
 *   another among them), skipping the chat the action was taken in and the acting officer's private chat.
 * - `office.deliver` sends the ticket (card with buttons, Formulir B.1 PDF, evidence files with their SHA-256) or
 *   a notice (a reporter's answer, a reminder, an officer's action) to a Telegram group or officer, an e-mail
 *   address or a webhook. An officer's action is read without the dossier, and its webhook event names the ticket
 *   only (no reporter, witnesses or evidence).
 * - `chat.message` sends messages to a reporter's chat through the channel it came from, in its language.
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import type { Locale } from '../../content/locales/index.ts';
import { outboundMessageSchema } from '../../flows/messages.ts';
import { appendAuditSql } from '../audit/auditLog.ts';
import type { ChannelSender } from '../channels/channelSender.ts';
import { renderPdf } from '../documents/pdfThreads.ts';
import { DeliveryError } from '../errors.ts';
import { toPlainText, type Renderer } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import { officeName, parentOfficeCode } from '../offices/officeDirectory.ts';
import {
  actionFromLine,
  actionNoticeHtml,
  actionNoticeSchema,
  isActionKind,
  type ActionNotice,
} from '../officers/actionNotices.ts';
import type { OfficeMessenger } from '../officers/officeMessenger.ts';
import { evidenceCaption, OfficeTexts, ticketCard, ticketKeyboard, type CardReason } from '../officers/officeViews.ts';
import type { Secrets } from '../security/secrets.ts';
import type { PrismaClient, Store } from '../store/store.ts';
import type { Mailer } from './mailer.ts';
import { resolveDestinations } from './officeDestinations.ts';
import type { Destination, NewOutboxRow } from './outbox.ts';
import { destinationLane, type OutboxContext, type OutboxHandler, type OutboxItem, type OutboxResult } from './outboxWorker.ts';
import {
  deadlineStatusId,
  loadDossier,
  otherRulesOf,
  placeLine,
  reportFormData,
  TicketMissingError,
  type TicketDossier,
} from './ticketDossier.ts';
import { postWebhook } from './webhook.ts';

/** What the handlers need from the app. */
export interface ForwardingDeps {
  prisma: PrismaClient;
  /** Raw statements on the store's driver, for what every forwarded ticket reads. */
  store: Pick<Store, 'query'>;
  secrets: Secrets;
  logger: Logger;
  renderer: Renderer;
  dataDir: string;
  clock: () => Date;
  /** Language of texts sent to offices. */
  officeLocale: Locale;
  recommendationBody: string;
  /** How long offices have before a reminder (for the reminder's wording). */
  escalateAfterMs: number;
  messenger: () => OfficeMessenger | undefined;
  mailer: () => Mailer | undefined;
  senders: Map<ChannelSender['channel'], ChannelSender>;
  fetch?: typeof fetch;
}

const forwardPayloadSchema = z.object({
  ticketId: z.string(),
  reason: z.enum(['new', 'transfer', 'reminder']).catch('new'),
  fromOfficeCode: z.string().optional(),
});

const noticeSchema = z.object({
  type: z.literal('notice'),
  notice: z.enum(['answer', 'reminder', 'action']),
  eventId: z.string().optional(),
  /** For an answer: the officers' question it answers. */
  questionId: z.string().optional(),
  /** For the asking office's copy of an answer: the ticket's office, whose own copy may reach the same office. */
  besideOfficeCode: z.string().optional(),
  /** For an answer sent while the ticket was closed: its status then. */
  closedStatus: z.string().optional(),
  evidenceIds: z.array(z.string()).default([]),
  since: z.string().optional(),
  /** For an officer's action: who acted, where, and what the event alone does not say. */
  action: actionNoticeSchema.optional(),
});

const deliverPayloadSchema = z.object({
  ticketId: z.string(),
  /** The office addressed (the one whose destination this is). */
  officeCode: z.string(),
  item: z.discriminatedUnion('type', [
    z.object({ type: z.literal('ticket'), reason: z.enum(['new', 'escalated', 'transfer', 'reminder']), fromOfficeCode: z.string().optional() }),
    noticeSchema,
  ]),
});
type DeliverPayload = z.infer<typeof deliverPayloadSchema>;

const notifyPayloadSchema = z.object({ ticketId: z.string() }).and(noticeSchema.omit({ type: true }));
type NotifyPayload = z.infer<typeof notifyPayloadSchema>;

const chatPayloadSchema = z.object({ messages: z.array(outboundMessageSchema).min(1) });

/** What an action notice reads of its ticket: no identity, no evidence, of the details only whom the report names. */
interface ActionTicketRow {
  id: string;
  code: string;
  kind: string;
  category: string;
  status: string;
  officeCode: string;
  terlapor: unknown;
  reported: unknown;
}

/** How long a message to a chat waits for its channel to run in this process (it starts after the worker). */
const CHANNEL_WAIT_MS = 5_000;
/** The longest such wait, reached as the message ages (a channel that never runs here is polled rarely). */
const CHANNEL_WAIT_MAX_MS = 10 * 60_000;

/** Total size of files attached to one e-mail; the rest are listed with their SHA-256 (mail servers cap ~25 MB). */
const EMAIL_ATTACHMENT_BUDGET = 15 * 1024 * 1024;

/** A ticket's PDF file name. */
export function pdfFileName(code: string): string {
  return `Formulir-B1-${code}.pdf`;
}

/** Kinds that only fan a ticket out into deliveries: they send nothing themselves. */
const FAN_OUT_KINDS: ReadonlySet<string> = new Set(['ticket.forward', 'office.notify']);

/**
 * Whether a row only routes a ticket (a few statements: find the office's destinations, queue a delivery for each)
 * and sends nothing itself.
 */
export function isFanOut(item: Pick<OutboxItem, 'kind'>): boolean {
  return FAN_OUT_KINDS.has(item.kind);
}

/**
 * The outbox worker's lanes for forwarding: what goes to one destination stays in order, but the fan-outs of
 * different tickets to one office run side by side (they send nothing, so there is no order to keep between
 * them; in a rush of reports from one kabupaten they would otherwise go one at a time). A ticket's own fan-outs
 * (its forward, then notices about it) keep their order.
 */
export function forwardingLane(item: OutboxItem): string {
  const ticketId = item.payload.ticketId;
  const lane = destinationLane(item);
  return isFanOut(item) && typeof ticketId === 'string' ? `${lane} ${ticketId}` : lane;
}

/** The outbox handlers of forwarding, keyed by kind. */
export function forwardingHandlers(deps: ForwardingDeps): Record<string, OutboxHandler> {
  const texts = new OfficeTexts(deps.renderer, deps.officeLocale, deps.recommendationBody);

  const fanOut = async (item: OutboxItem, build: (officeCode: string, skipped: string[]) => DeliverPayload) => {
    if (item.destination.type !== 'office') throw new DeliveryError('fan-out needs an office destination', true);
    const resolved = await resolveDestinations(deps.store, item.destination.officeCode, { email: deps.mailer() !== undefined });
    if (!resolved) {
      // Not a failed attempt: nothing can be done until an office up to RI has a destination; keep it queued.
      throw new DeliveryError(
        `no destination for ${item.destination.officeCode} nor any office above it (link a group or enrol an officer at Bawaslu RI)`,
        false,
        undefined,
        15 * 60_000,
      );
    }
    const payload = build(resolved.officeCode, resolved.skipped);
    const rows: NewOutboxRow[] = resolved.destinations.map((d) => ({
      kind: 'office.deliver',
      destination: d.destination,
      payload: payload as unknown as Record<string, unknown>,
      dedupKey: `${item.dedupKey}>${d.key}`,
    }));
    return { resolved, rows };
  };

  const forward: OutboxHandler = async (item) => {
    const payload = forwardPayloadSchema.parse(item.payload);
    const [ticket] = await deps.store.query<{ id: string; code: string }>('SELECT "id", "code" FROM "Ticket" WHERE "id" = $1', [payload.ticketId]);
    if (!ticket) {
      deps.logger.warn({ outbox: item.id }, 'ticket to forward no longer exists');
      return;
    }
    const { resolved, rows } = await fanOut(item, (officeCode, skipped) => ({
      ticketId: payload.ticketId,
      officeCode,
      item: {
        type: 'ticket',
        reason: payload.reason === 'new' ? (skipped.length > 0 ? 'escalated' : 'new') : payload.reason,
        ...(payload.reason === 'new' && skipped[0] ? { fromOfficeCode: skipped[0] } : {}),
        ...(payload.reason !== 'new' && payload.fromOfficeCode ? { fromOfficeCode: payload.fromOfficeCode } : {}),
      },
    }));
    const at = deps.clock();
    return {
      enqueue: rows,
      write: async (sql) => {
        await sql.query(
          `INSERT INTO "TicketEvent" ("id", "ticketId", "type", "text", "actor", "createdAt")
            VALUES ($1, $2, 'forwarded', $3, 'system', ($4::timestamptz AT TIME ZONE 'UTC'))`,
          [randomUUID(), ticket.id, officeName(resolved.officeCode), at.toISOString()],
        );
        if (resolved.skipped.length > 0) {
          await sql.query(
            `UPDATE "Ticket" SET "escalatedAt" = ($2::timestamptz AT TIME ZONE 'UTC'), "updatedAt" = ($2::timestamptz AT TIME ZONE 'UTC')
              WHERE "id" = $1 AND "escalatedAt" IS NULL`,
            [ticket.id, at.toISOString()],
          );
        }
        await appendAuditSql(sql, {
          actor: 'system',
          action: 'ticket.forward',
          ticketId: ticket.id,
          data: {
            code: ticket.code,
            requested: item.destination.type === 'office' ? item.destination.officeCode : null,
            officeCode: resolved.officeCode,
            skipped: resolved.skipped,
            reason: payload.reason,
            destinations: rows.map((r) => r.destination.type),
          },
          at,
        });
      },
    };
  };

  /**
   * An officer's action, to every office working on the ticket: each office's destinations as its tickets' (groups,
   * else officers; e-mail; webhook; an office with none reaches the one above), merged so each destination gets one
   * copy, without the group the action was taken in nor the acting officer's private chat (any of their
   * officerships). A chat that serves only the officer's office here is told the officer's name and where they acted
   * (their private chat, or another group of that office); any other destination, which office acted.
   */
  const notifyAction = async (item: OutboxItem, payload: NotifyPayload, action: ActionNotice): Promise<OutboxResult> => {
    const means = { email: deps.mailer() !== undefined };
    const resolved = (await Promise.all(action.offices.map((office) => resolveDestinations(deps.store, office, means)))).filter(
      (r): r is NonNullable<typeof r> => r !== null,
    );
    if (resolved.length === 0 && action.offices.length > 0) {
      throw new DeliveryError('no office working on the ticket has a destination, nor any office above it', false, undefined, 15 * 60_000);
    }
    // Officers by the person (one Telegram user may serve several offices), the acting officer among them.
    const officerIds = new Set([action.officerId]);
    for (const r of resolved) for (const d of r.destinations) if (d.destination.type === 'officer') officerIds.add(d.destination.officerId);
    const people = new Map(
      (await deps.prisma.officer.findMany({ where: { id: { in: [...officerIds] } }, select: { id: true, userKey: true } })).map((o) => [o.id, o.userKey]),
    );
    const actor = people.get(action.officerId);
    // "Another group of this office" only for a group linked to the officer's office (not another office's group).
    const inOfficeGroup =
      action.chatType === 'group' &&
      action.groupChatId !== undefined &&
      (
        await deps.store.query<{ linked: number }>('SELECT 1 AS "linked" FROM "OfficeChat" WHERE "officeCode" = $1 AND "chatId" = $2', [
          action.officeCode,
          action.groupChatId,
        ])
      ).length > 0;
    // Each destination once (by what it reaches), with its dedupKey's suffix and the offices it serves here.
    const targets = new Map<string, { key: string; destination: Destination; offices: string[] }>();
    for (const r of resolved) {
      for (const { key, destination } of r.destinations) {
        let reaches: string;
        let dedup: string;
        if (destination.type === 'telegram') {
          if (destination.chatId === action.groupChatId) continue;
          reaches = dedup = `tg:${destination.chatId}`;
        } else if (destination.type === 'officer') {
          const person = people.get(destination.officerId);
          if (!person || person === actor) continue;
          reaches = `person:${person}`;
          dedup = key;
        } else {
          // An office's e-mail or webhook, as set when delivering: two offices' are two destinations.
          reaches = dedup = `${key}:${r.officeCode}`;
        }
        const target = targets.get(reaches) ?? { key: dedup, destination, offices: [] };
        target.offices.push(r.officeCode);
        targets.set(reaches, target);
      }
    }
    const { offices: _offices, groupChatId: _groupChatId, ...told } = action;
    const rows: NewOutboxRow[] = [...targets.values()].map(({ key, destination: reached, offices }) => {
      const others = reached.type === 'telegram' ? [...new Set(offices)].filter((office) => office !== reached.officeCode) : [];
      const destination: Destination = reached.type === 'telegram' && others.length > 0 ? { ...reached, alsoFor: others } : reached;
      const chat = destination.type === 'telegram' || destination.type === 'officer';
      // A chat that also serves another office here is told which office acted, for that office's members.
      const own = chat && offices.every((office) => office === action.officeCode);
      const from: ActionNotice['from'] = !own ? 'office' : action.chatType === 'private' ? 'private' : inOfficeGroup ? 'group' : 'office';
      const deliver: DeliverPayload = {
        ticketId: payload.ticketId,
        officeCode: own ? action.officeCode : offices[0]!,
        item: { type: 'notice', notice: 'action', evidenceIds: [], ...(payload.eventId ? { eventId: payload.eventId } : {}), action: { ...told, offices: [], from } },
      };
      return { kind: 'office.deliver', destination, payload: deliver as unknown as Record<string, unknown>, dedupKey: `${item.dedupKey}>${key}` };
    });
    return { enqueue: rows };
  };

  const notify: OutboxHandler = async (item) => {
    const payload = notifyPayloadSchema.parse(item.payload);
    if (payload.notice === 'action') {
      if (!payload.action) throw new DeliveryError('an action notice without its action', true);
      return notifyAction(item, payload, payload.action);
    }
    if (payload.besideOfficeCode && item.destination.type === 'office') {
      const means = { email: deps.mailer() !== undefined };
      const [main, mine] = await Promise.all([
        resolveDestinations(deps.store, payload.besideOfficeCode, means),
        resolveDestinations(deps.store, item.destination.officeCode, means),
      ]);
      if (main && mine && main.officeCode === mine.officeCode) return { enqueue: [] };
    }
    const { rows } = await fanOut(item, (officeCode) => ({
      ticketId: payload.ticketId,
      officeCode,
      item: {
        type: 'notice',
        notice: payload.notice,
        evidenceIds: payload.evidenceIds,
        ...(payload.eventId ? { eventId: payload.eventId } : {}),
        ...(payload.questionId ? { questionId: payload.questionId } : {}),
        ...(payload.closedStatus ? { closedStatus: payload.closedStatus } : {}),
        ...(payload.since ? { since: payload.since } : {}),
      },
    }));
    return { enqueue: rows };
  };

  const deliver: OutboxHandler = async (item, ctx) => {
    const payload = deliverPayloadSchema.parse(item.payload);
    if (payload.item.type === 'notice' && payload.item.notice === 'action') return deliverAction(item, payload, payload.item, ctx);
    let dossier: TicketDossier;
    try {
      dossier = await loadDossier(deps.store, deps.secrets, deps.dataDir, payload.ticketId, { cleanDocuments: true });
    } catch (error) {
      if (error instanceof TicketMissingError) {
        deps.logger.warn({ outbox: item.id }, 'ticket to deliver no longer exists');
        return;
      }
      throw error;
    }
    const parts = payload.item.type === 'ticket' ? await ticketParts(dossier, payload) : await noticeParts(dossier, payload);
    return send(item, payload, parts, ctx);
  };

  /**
   * An officer's action, read with one small statement: no dossier (the reporter's identity is not decrypted, no
   * evidence file is read or hashed), as a notice needs only the ticket's code and what its status is called.
   */
  const deliverAction = async (item: OutboxItem, payload: DeliverPayload, notice: z.infer<typeof noticeSchema>, ctx: OutboxContext) => {
    const [ticket] = await deps.store.query<ActionTicketRow>(
      `SELECT "id", "code", "kind", "category", "status", "officeCode", "details"->'terlapor' AS "terlapor", "details"->'reported' AS "reported"
        FROM "Ticket" WHERE "id" = $1`,
      [payload.ticketId],
    );
    if (!ticket) {
      deps.logger.warn({ outbox: item.id }, 'ticket to deliver no longer exists');
      return;
    }
    return send(item, payload, await actionParts(ticket, notice.eventId, notice.action), ctx);
  };

  const send = async (item: OutboxItem, payload: DeliverPayload, parts: Parts, ctx: OutboxContext): Promise<void> => {
    switch (item.destination.type) {
      case 'telegram':
      case 'officer':
        return deliverTelegram(item.destination, parts, ctx);
      case 'email':
        return deliverEmail(item, parts);
      case 'webhook':
        return deliverWebhook(item, payload, parts);
      default:
        throw new DeliveryError(`office.deliver cannot go to ${item.destination.type}`, true);
    }
  };

  interface Parts {
    /** The ticket's code (the e-mail's footer). */
    code: string;
    subject: string;
    html: string;
    /** The ticket's buttons (none under an action notice, as under the desk's own messages). */
    keyboard?: ReturnType<typeof ticketKeyboard>;
    pdf?: { fileName: string; bytes: Buffer; caption: string };
    files: Array<{ fileName: string; path: string; mime?: string; caption: string; sha256: string; size?: number }>;
    webhookEvent: string;
    webhookExtra: Record<string, unknown>;
    /** The ticket as the webhook's receiver is told of it. */
    webhookTicket: Record<string, unknown>;
  }

  const ticketParts = async (dossier: TicketDossier, payload: DeliverPayload): Promise<Parts> => {
    const item = payload.item;
    if (item.type !== 'ticket') throw new Error('not a ticket');
    const reason: CardReason = item.reason;
    const html = ticketCard(texts, dossier, {
      reason,
      ...(item.fromOfficeCode ? { fromOfficeCode: item.fromOfficeCode } : {}),
      hours: Math.round(deps.escalateAfterMs / 3_600_000),
    });
    const bytes = await renderPdf({
      kind: 'reportForm',
      data: reportFormData(dossier, { code: payload.officeCode, name: officeName(payload.officeCode) }),
      options: { locale: deps.officeLocale, generatedAt: deps.clock() },
    });
    const sendable = dossier.evidence.filter((e) => e.sendPath);
    return {
      code: dossier.code,
      subject: texts.t(`officer.email.subject.${dossier.kind}`, {
        code: dossier.code,
        category: dossier.category?.label ?? dossier.categoryId,
        office: officeName(payload.officeCode),
      }),
      html,
      keyboard: ticketKeyboard(texts, { code: dossier.code, acknowledged: dossier.acknowledgedAt !== null }),
      pdf: { fileName: pdfFileName(dossier.code), bytes, caption: texts.t(dossier.kind === 'tip' ? 'officer.file.pdfTip' : 'officer.file.pdf', { code: dossier.code }) },
      files: sendable.map((e, i) => ({
        fileName: e.fileName ?? `${dossier.code}-${i + 1}${extensionOf(e.sendPath!)}`,
        path: e.sendPath!,
        ...(e.mime ? { mime: e.mime } : {}),
        caption: evidenceCaption(texts, dossier.code, e, i + 1, sendable.length),
        sha256: e.sentSha256 ?? '',
        ...(e.size !== undefined ? { size: e.size } : {}),
      })),
      webhookEvent: 'ticket.forwarded',
      webhookExtra: { reason: item.reason, fromOfficeCode: item.fromOfficeCode ?? null },
      webhookTicket: webhookTicket(dossier),
    };
  };

  const noticeParts = async (dossier: TicketDossier, payload: DeliverPayload): Promise<Parts> => {
    const item = payload.item;
    if (item.type !== 'notice') throw new Error('not a notice');
    if (item.notice === 'action') throw new Error('an action notice is delivered without a dossier');
    const keyboard = ticketKeyboard(texts, { code: dossier.code, acknowledged: dossier.acknowledgedAt !== null });
    if (item.notice === 'reminder') {
      // The copy goes to the office above, or past it to the first one that receives anything (as its delivery
      // resolves it); at Bawaslu RI there is none above, and no copy.
      const parent = parentOfficeCode(payload.officeCode);
      const copy = parent ? await resolveDestinations(deps.store, parent, { email: deps.mailer() !== undefined }) : null;
      const params = {
        code: dossier.code,
        since: texts.date(item.since ? new Date(item.since) : dossier.createdAt),
        hours: Math.round(deps.escalateAfterMs / 3_600_000),
      };
      return {
        code: dossier.code,
        subject: texts.t('officer.email.subject.reminder', { code: dossier.code }),
        html: copy
          ? texts.t('officer.notice.reminder', { ...params, parent: officeName(copy.officeCode) })
          : texts.t('officer.notice.reminderNoCopy', params),
        keyboard,
        files: [],
        webhookEvent: 'ticket.reminder',
        webhookExtra: {},
        webhookTicket: webhookTicket(dossier),
      };
    }
    const event = item.eventId ? await deps.prisma.ticketEvent.findUnique({ where: { id: item.eventId } }) : null;
    // The question answered, and who asked it: an office may get the answer to a question another office asked.
    const question = item.questionId ? await deps.prisma.ticketEvent.findUnique({ where: { id: item.questionId } }) : null;
    const asker = question ? await deps.prisma.officer.findUnique({ where: { id: question.actor }, select: { officeCode: true } }) : null;
    const files = dossier.evidence.filter((e) => item.evidenceIds.includes(e.id) && e.sendPath);
    const links = dossier.evidence.filter((e) => item.evidenceIds.includes(e.id) && e.url).map((e) => e.url!);
    return {
      code: dossier.code,
      subject: texts.t('officer.email.subject.answer', { code: dossier.code }),
      html: [
        texts.t('officer.notice.answer', { code: dossier.code, pseudonym: dossier.reporter.pseudonym, text: event?.text ?? '' }),
        ...(question?.text
          ? [texts.t('officer.notice.answerTo', { office: asker ? officeName(asker.officeCode) : '-', question: question.text.slice(0, 500) })]
          : []),
        // Written while an officer closed the ticket: delivered all the same, and said so (as it was then).
        ...(item.closedStatus ? [texts.t('officer.notice.answerClosed', { status: texts.status(item.closedStatus, dossier.terlapor.otherRules) })] : []),
        ...(links.length > 0 ? [texts.t('officer.card.links', { links: links.join('\n') })] : []),
        ...(files.length > 0 ? [texts.t('officer.notice.answerFiles', { count: files.length })] : []),
      ].join('\n\n'),
      keyboard,
      files: files.map((e, i) => ({
        fileName: e.fileName ?? `${dossier.code}-tambahan-${i + 1}${extensionOf(e.sendPath!)}`,
        path: e.sendPath!,
        ...(e.mime ? { mime: e.mime } : {}),
        caption: evidenceCaption(texts, dossier.code, e, i + 1, files.length),
        sha256: e.sentSha256 ?? '',
        ...(e.size !== undefined ? { size: e.size } : {}),
      })),
      webhookEvent: 'ticket.answer',
      webhookExtra: { answer: event?.text ?? '', answeredAt: event?.createdAt.toISOString() ?? null },
      webhookTicket: webhookTicket(dossier),
    };
  };

  /**
   * An officer's action: who acted (as this destination is told), what they did, and their words. A webhook is told
   * which ticket, as the action left it (office, status), never who reported it nor the evidence: it got those with
   * the ticket itself, and an action goes to every office working on the ticket, one it has left too.
   */
  const actionParts = async (ticket: ActionTicketRow, eventId: string | undefined, action: ActionNotice | undefined): Promise<Parts> => {
    const event = eventId ? await deps.prisma.ticketEvent.findUnique({ where: { id: eventId } }) : null;
    if (!event || !action || !isActionKind(event.type)) throw new DeliveryError('an action notice whose event or action is missing', true);
    const enrolled = action.officerName
      ? null
      : await deps.prisma.officer.findUnique({ where: { id: action.officerId }, select: { displayName: true } });
    const officer = action.officerName ?? enrolled?.displayName ?? toPlainText(texts.t('officer.role.officer'));
    // The transfer's event text names the offices; acceptance has none. The others carry the officer's own words.
    const words = event.type === 'question' || event.type === 'note' || event.type === 'status' ? event.text : null;
    const code = ticket.code;
    const html = actionNoticeHtml(
      texts,
      {
        kind: event.type,
        code,
        officer,
        officerOfficeCode: action.officeCode,
        ticketOfficeCode: action.ticketOfficeCode,
        status: event.status,
        otherRules: otherRulesOf({ terlapor: ticket.terlapor, reported: ticket.reported }),
        ...(action.openQuestion ? { openQuestion: true } : {}),
        ...(action.toOfficeCode ? { toOfficeCode: action.toOfficeCode } : {}),
        ...(action.receiverOfficeCode !== undefined ? { receiverOfficeCode: action.receiverOfficeCode } : {}),
      },
      words,
    );
    return {
      code,
      subject: texts.t('officer.email.subject.action', { code, office: officeName(action.officeCode) }),
      html: `${actionFromLine(texts, action.from, officer, action.officeCode)}\n${html}`,
      files: [],
      webhookEvent: 'ticket.action',
      webhookExtra: {
        action: {
          type: event.type,
          at: event.createdAt.toISOString(),
          officer: { name: officer, office: { code: action.officeCode, name: officeName(action.officeCode) } },
          text: words ?? null,
          status: event.type === 'status' || event.type === 'acknowledged' ? event.status : null,
          fromOfficeCode: action.ticketOfficeCode,
          toOfficeCode: action.toOfficeCode ?? null,
        },
      },
      webhookTicket: {
        id: ticket.id,
        code,
        kind: ticket.kind === 'formal' ? 'formal' : 'tip',
        category: { id: ticket.category },
        // As the action left it (a notice from before these were recorded: as the ticket is now).
        officeCode: action.toOfficeCode ?? action.ticketOfficeCode,
        status: action.ticketStatus ?? ticket.status,
      },
    };
  };

  /** Card, PDF, then each file; progress is saved after each so a retry resumes instead of repeating. */
  const deliverTelegram = async (destination: Destination, parts: Parts, ctx: OutboxContext): Promise<void> => {
    const messenger = deps.messenger();
    if (!messenger) throw new DeliveryError('Telegram is not configured in this process (TELEGRAM_BOT_TOKEN)', false);
    const chatId = await telegramChatId(destination);
    if (chatId === null) {
      deps.logger.info({ destination: destination.type }, 'officer revoked or group unlinked before delivery; skipped');
      return;
    }
    const steps: Array<() => Promise<unknown>> = [
      () => messenger.sendText(chatId, parts.html, parts.keyboard ? { keyboard: parts.keyboard } : {}),
      ...(parts.pdf
        ? [() => messenger.sendDocument(chatId, { fileName: parts.pdf!.fileName, bytes: parts.pdf!.bytes, mime: 'application/pdf' }, parts.pdf!.caption)]
        : []),
      ...parts.files.map((f) => () => messenger.sendDocument(chatId, { fileName: f.fileName, path: f.path, ...(f.mime ? { mime: f.mime } : {}) }, f.caption)),
    ];
    for (let i = ctx.progress; i < steps.length; i += 1) {
      await steps[i]!();
      await ctx.saveProgress(i + 1);
    }
  };

  /**
   * The chat to send to, or null when the officer was revoked or the group unlinked since (`/putuskan`, `netra
   * office unlink`): its members must not receive the office's tickets any more. The ticket stays with its office
   * (`/tiket`, reminders to its present destinations).
   */
  const telegramChatId = async (destination: Destination): Promise<string | null> => {
    if (destination.type === 'telegram') {
      // A raw statement: this runs for every delivery to a group, and Prisma's query building costs more than it.
      const [linked] = await deps.store.query<{ linked: number }>(
        'SELECT 1 AS "linked" FROM "OfficeChat" WHERE "officeCode" = ANY($1::text[]) AND "chatId" = $2 LIMIT 1',
        [[destination.officeCode, ...(destination.alsoFor ?? [])], destination.chatId],
      );
      return linked ? destination.chatId : null;
    }
    if (destination.type !== 'officer') throw new DeliveryError('not a Telegram destination', true);
    const officer = await deps.prisma.officer.findUnique({ where: { id: destination.officerId } });
    if (!officer || officer.revokedAt) return null;
    const address = deps.secrets.decrypt(officer.addressEnc);
    return address.slice(address.indexOf(':') + 1);
  };

  const deliverEmail = async (item: OutboxItem, parts: Parts): Promise<void> => {
    const mailer = deps.mailer();
    if (!mailer) throw new DeliveryError('e-mail is not configured (SMTP_URL)', false);
    const office = await deps.prisma.office.findUnique({ where: { code: destinationOffice(item.destination) } });
    if (!office?.email) {
      deps.logger.info({ office: destinationOffice(item.destination) }, 'office e-mail removed before delivery; skipped');
      return;
    }
    let budget = EMAIL_ATTACHMENT_BUDGET;
    const attachments: Parameters<Mailer['send']>[0]['attachments'] = [];
    if (parts.pdf) {
      attachments.push({ filename: parts.pdf.fileName, content: parts.pdf.bytes, contentType: 'application/pdf' });
      budget -= parts.pdf.bytes.length;
    }
    const notAttached: string[] = [];
    for (const file of parts.files) {
      const size = file.size ?? (await stat(file.path)).size;
      if (size <= budget) {
        attachments.push({ filename: file.fileName, path: file.path, ...(file.mime ? { contentType: file.mime } : {}) });
        budget -= size;
      } else {
        notAttached.push(`${file.fileName} (SHA-256 ${file.sha256})`);
      }
    }
    const filesHtml = parts.files.map((f) => toPlainText(f.caption).replace(/\n/g, ' · ')).join('\n');
    const footer = [
      ...(filesHtml ? [texts.t('officer.email.files'), filesHtml] : []),
      ...(notAttached.length > 0 ? [texts.t('officer.email.notAttached', { files: notAttached.join(', ') })] : []),
      texts.t('officer.email.footer', { code: parts.code }),
    ].join('\n\n');
    const bodyHtml = `${parts.html}\n\n${footer}`;
    await mailer.send({
      to: office.email,
      subject: toPlainText(parts.subject),
      text: toPlainText(bodyHtml),
      html: `<div style="font-family:sans-serif">${bodyHtml.replace(/\n/g, '<br>')}</div>`,
      messageId: `<${item.dedupKey.replace(/[^A-Za-z0-9.:-]/g, '.')}@netra>`,
      attachments,
    });
  };

  const deliverWebhook = async (item: OutboxItem, payload: DeliverPayload, parts: Parts) => {
    const office = await deps.prisma.office.findUnique({ where: { code: destinationOffice(item.destination) } });
    if (!office?.webhookUrl || !office.webhookSecretEnc) {
      deps.logger.info({ office: destinationOffice(item.destination) }, 'office webhook removed before delivery; skipped');
      return;
    }
    const body = {
      event: parts.webhookEvent,
      deliveryId: item.dedupKey,
      sentAt: deps.clock().toISOString(),
      office: { code: payload.officeCode, name: officeName(payload.officeCode) },
      ...parts.webhookExtra,
      ticket: parts.webhookTicket,
      ...(parts.pdf ? { pdf: { fileName: parts.pdf.fileName, contentType: 'application/pdf', base64: parts.pdf.bytes.toString('base64') } } : {}),
      files: parts.files.map((f) => ({ fileName: f.fileName, mime: f.mime ?? null, sha256: f.sha256, size: f.size ?? null })),
    };
    await postWebhook(
      office.webhookUrl,
      deps.secrets.decrypt(office.webhookSecretEnc),
      { event: parts.webhookEvent, deliveryId: item.dedupKey, body },
      deps.fetch ? { fetch: deps.fetch } : {},
    );
  };

  const chatMessage: OutboxHandler = async (item, ctx) => {
    if (item.destination.type !== 'chat') throw new DeliveryError('chat.message needs a chat destination', true);
    const { messages } = chatPayloadSchema.parse(item.payload);
    const chat = await deps.prisma.chat.findUnique({
      where: { key: item.destination.chatKey },
      select: { addressEnc: true, locale: true, unreachableAt: true },
    });
    if (!chat) throw new DeliveryError('the chat no longer exists', true);
    if (chat.unreachableAt) throw new DeliveryError('the chat is unreachable (blocked the bot)', true);
    const address = deps.secrets.decrypt(chat.addressEnc);
    const colon = address.indexOf(':');
    const channel = address.slice(0, colon) as ChannelSender['channel'];
    const sender = deps.senders.get(channel);
    if (!sender) {
      // Not a failed attempt: at start the worker runs before the channels, and in a deployment of several
      // processes another one may run this channel. Come back soon instead of backing off for minutes, and less
      // often as the message ages, so one for a channel that never runs here costs little and is never lost.
      const age = ctx.now.getTime() - item.createdAt.getTime();
      const wait = Math.min(CHANNEL_WAIT_MAX_MS, Math.max(CHANNEL_WAIT_MS, Math.round(age / 10)));
      throw new DeliveryError(`the ${channel} channel is not running in this process`, false, undefined, wait);
    }
    await sender.send(address.slice(colon + 1), messages, chat.locale === 'en' ? 'en' : 'id');
  };

  return { 'ticket.forward': forward, 'office.notify': notify, 'office.deliver': deliver, 'chat.message': chatMessage };
}

function destinationOffice(destination: Destination): string {
  return 'officeCode' in destination ? destination.officeCode : '';
}

function extensionOf(file: string): string {
  const match = /\.[A-Za-z0-9]{1,5}$/.exec(file);
  return match ? match[0] : '';
}

/** The ticket as a webhook receiver gets it (identity only for formal reports, as in the other channels). */
export function webhookTicket(dossier: TicketDossier): Record<string, unknown> {
  return {
    id: dossier.id,
    code: dossier.code,
    kind: dossier.kind,
    status: dossier.status,
    officeCode: dossier.officeCode,
    category: dossier.category
      ? { id: dossier.categoryId, label: dossier.category.label.id, legalBasis: dossier.category.legalBasis.id, sanctionLevel: dossier.category.sanctionLevel }
      : { id: dossier.categoryId },
    terlapor: dossier.terlapor,
    event: {
      date: dossier.event.date?.toISOString() ?? null,
      learnedDate: dossier.event.learnedDate?.toISOString() ?? null,
      deadline: dossier.event.deadline?.toISOString() ?? null,
      deadlineStatus: deadlineStatusId(dossier),
    },
    place: { label: placeLine(dossier), detail: dossier.place.detail, location: dossier.place.location ?? null },
    description: dossier.description,
    links: dossier.links,
    evidence: dossier.evidence.map((e) => ({
      kind: e.kind,
      fileName: e.fileName ?? null,
      mime: e.mime ?? null,
      size: e.size ?? null,
      sha256: e.sentSha256 ?? null,
      originalSha256: e.originalSha256 ?? null,
      stripped: e.stripped,
      url: e.url ?? null,
      missing: e.missing,
      withheld: e.withheld,
    })),
    witnesses: dossier.witnesses,
    reporter:
      dossier.reporter.kind === 'identity'
        ? {
            pseudonym: dossier.reporter.pseudonym,
            name: dossier.reporter.name,
            address: dossier.reporter.address,
            phone: dossier.reporter.phone,
            email: dossier.reporter.email ?? null,
          }
        : { pseudonym: dossier.reporter.pseudonym },
    createdAt: dossier.createdAt.toISOString(),
    acknowledgedAt: dossier.acknowledgedAt?.toISOString() ?? null,
  };
}
