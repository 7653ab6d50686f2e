/**
 * The officers' side of the bot on Telegram: enrolment (`/petugas <code>` in a private chat), linking a group as
 * an office's ticket channel (`/hubungkan`, a coordinator's act; `/putuskan`, any officer's), listing and opening
 * tickets (`/tiket`, `/tiket NTR-...`), and the buttons under every forwarded ticket (Terima, Minta info, Ubah
 * status, Alihkan, Catatan internal). What an action does is told to the acting chat at once and to the other
 * offices working on the ticket through the outbox (see `ticketActions.ts`).
 *
 * What an officer types after a button (a question, a reason, a note, a destination office) arrives as a reply to
 * the bot's prompt, whose first line carries a tag and the ticket code (`#tanya NTR-7K3P-9QXA`). Telegram delivers
 * replies to the bot's messages even in groups with privacy mode on, and the tag makes the prompt stateless:
 * nothing is remembered between the button and the reply, so it survives restarts and works across processes.
 *
 * `handle` takes a channel-neutral update and returns effects (messages to send, buttons to change); every
 * decision is re-checked against the database: only active officers of the ticket's office or of an office above
 * it may act, and every refusal is written to the audit log.
 */
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Update } from 'telegraf/types';
import type { Locale } from '../../content/locales/index.ts';
import { getViolation } from '../../content/violations.ts';
import type { TextParams } from '../../flows/messages.ts';
import { appendAudit, recordAudit } from '../audit/auditLog.ts';
import { resolveDestinations } from '../forwarding/officeDestinations.ts';
import { loadDossier, otherRulesOf } from '../forwarding/ticketDossier.ts';
import { escapeHtml, type Renderer } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import { isWithin, lookupOffice, officeName, OFFICE_CODE } from '../offices/officeDirectory.ts';
import type { Secrets } from '../security/secrets.ts';
import type { PrismaClient, Tx } from '../store/store.ts';
import { actionHeadline, type ActionSummary } from './actionNotices.ts';
import { claimInvite } from './invites.ts';
import type { OfficeKeyboard, OfficeMessenger } from './officeMessenger.ts';
import {
  authorizeOfficer,
  enrolOfficer,
  officershipsOf,
  officerUserKey,
  type OfficerRecord,
} from './officerRepository.ts';
import {
  CALLBACK_PREFIX,
  mentionHtml,
  OfficeTexts,
  statusKeyboard,
  ticketCard,
  ticketKeyboard,
  transferKeyboard,
} from './officeViews.ts';
import {
  acknowledgeTicket,
  addInternalNote,
  askReporter,
  setTicketStatus,
  TicketChangedError,
  transferTicket,
  type ActionContext,
  type ActionOrigin,
  type ActionTicket,
} from './ticketActions.ts';
import { openQuestion } from './ticketQuestions.ts';
import { closedStatuses, isOpenStatus, isSettableStatus, settableStatuses, ticketStatuses, type SettableStatus } from './ticketStatus.ts';
import { ownValue } from '../../flows/shared/ownValue.ts';

/** One thing an officer did, as any Telegram adapter can describe it. */
export interface OfficerUpdate {
  userId: string;
  displayName?: string;
  chatId: string;
  chatType: 'private' | 'group' | 'supergroup' | 'channel';
  /** The officer's message (text or command); absent for a button press. */
  text?: string;
  messageId?: number;
  /** A button press. `messageId` is the message the button is under. */
  callback?: { id: string; data: string; messageId?: number };
  /** The message this one replies to, when it is one of the bot's. */
  replyTo?: { fromBot: boolean; text: string; messageId: number };
  /** The message is a photo, a file, a sticker or the like rather than text (read only as a reply to a prompt). */
  nonText?: boolean;
}

/** What to do in response. Texts are Telegram HTML. */
export type OfficerEffect =
  | { type: 'send'; chatId: string; html: string; keyboard?: OfficeKeyboard; forceReply?: boolean; replyTo?: number }
  | { type: 'answerCallback'; id: string; text?: string; alert?: boolean }
  | { type: 'editKeyboard'; chatId: string; messageId: number; keyboard: OfficeKeyboard | null };

export interface OfficerDeskDeps {
  prisma: PrismaClient;
  secrets: Secrets;
  logger: Logger;
  renderer: Renderer;
  clock: () => Date;
  dataDir: string;
  officeLocale: Locale;
  recommendationBody: string;
  /** Whether e-mail can be sent (SMTP_URL), which decides whether an office's address makes it reachable. */
  canEmail: () => boolean;
}

/** Tags of reply prompts, by what the reply means. */
const PROMPT_TAGS = {
  ask: 'tanya',
  note: 'catatan',
  transfer: 'alihkan',
  ...Object.fromEntries(Object.entries(settableStatuses).map(([status, tag]) => [`status:${status}`, tag])),
} as Record<string, string>;
const TAG_ACTIONS = new Map(Object.entries(PROMPT_TAGS).map(([action, tag]) => [tag, action]));
/** A desk prompt starts with its tag and ticket (`#selesai NTR-…`); the same words elsewhere (a reporter's text) are not one. */
const PROMPT_PATTERN = /^#([a-z_]+)\s+(NTR-[A-Z0-9]{4}-[A-Z0-9]{4})/i;
/** A reply to a prompt that withdraws it instead of answering. */
/** Marks the line of a status prompt that shows the ticket's status and office when it was sent. */
const STATE_MARK = '📌';
type TicketState = Pick<ActionTicket, 'status' | 'officeCode' | 'details'>;

/** Tickets per page of `/tiket`. */
const LIST_PAGE = 10;
const CANCEL_REPLY = /^\/?(?:batal(?:kan)?|cancel)(?:@\w+)?(?:\s+(?:aja|saja|ya|dulu|deh|dong|it|please))?[\s.!]*$/i;
const CODE_PATTERN = /\bNTR-?([A-Z0-9]{4})-?([A-Z0-9]{4})\b/i;
const COMMAND_PATTERN = /^\/([A-Za-z_]+)(?:@(\w+))?(?:\s+([\s\S]*))?$/;

const COMMANDS: Record<string, 'enrol' | 'link' | 'unlink' | 'tickets' | 'help'> = {
  petugas: 'enrol',
  officer: 'enrol',
  hubungkan: 'link',
  link: 'link',
  putuskan: 'unlink',
  unlink: 'unlink',
  tiket: 'tickets',
  ticket: 'tickets',
  tickets: 'tickets',
};
/** In groups the bot answers nothing but officer features, so help there is the officers' help. */
const GROUP_COMMANDS: Record<string, 'help'> = { bantuan: 'help', help: 'help', start: 'help' };

const LIMITS = {
  question: { min: 5, max: 1_000 },
  reason: { min: 3, max: 500 },
  note: { min: 1, max: 2_000 },
} as const;

const TICKET_SELECT = {
  id: true,
  code: true,
  status: true,
  officeCode: true,
  reporterChatKey: true,
  acknowledgedAt: true,
  details: true,
} as const;

/** Whether an officership may link a Telegram group to its office. */
function isCoordinator(officer: Pick<OfficerRecord, 'role'>): boolean {
  return officer.role === 'coordinator';
}

/** Normalises what an officer typed as a ticket code (`ntr 7k3p 9qxa` works). */
export function parseTicketCode(text: string): string | null {
  const match = CODE_PATTERN.exec(text.toUpperCase().replace(/\s+/g, '-'));
  return match ? `NTR-${match[1]}-${match[2]}` : null;
}

/** How long whether a Telegram user is an officer is remembered (enrolment here forgets it at once). */
const OFFICER_CACHE_MS = 60_000;

/** Invite codes one Telegram user may try per quarter of an hour. */
export const ENROL_ATTEMPTS = 5;
const ENROL_WINDOW_SECONDS = 15 * 60;

/** The officers' desk. */
export class OfficerDesk {
  readonly texts: OfficeTexts;
  private botUsername: string | undefined;
  /**
   * Codes are 59 random bits, so guessing is hopeless anyway; the limit keeps a flood of attempts from costing a
   * database transaction each, and tells a person who mistypes to check the code instead of trying on.
   */
  private readonly enrolAttempts = new RateLimiterMemory({ points: ENROL_ATTEMPTS, duration: ENROL_WINDOW_SECONDS });
  /**
   * Whether a user (by officer user key) is an enrolled officer, asked of citizens' private messages too
   * ({@link isOfficer}): remembered a minute, so a citizen's turn costs no lookup most of the time.
   */
  private readonly officers = new LRUCache<string, boolean>({ max: 10_000, ttl: OFFICER_CACHE_MS });

  constructor(private readonly deps: OfficerDeskDeps) {
    this.texts = new OfficeTexts(deps.renderer, deps.officeLocale, deps.recommendationBody);
  }

  /** The bot's username, so `/tiket@OtherBot` in a group is left to the other bot. */
  setBotUsername(username: string | undefined): void {
    this.botUsername = username?.toLowerCase();
  }

  /** True when an update is the desk's business (a command, a button or a reply to a prompt of the desk). */
  claims(update: OfficerUpdate): boolean {
    if (update.chatType === 'channel') return false;
    if (update.callback) return update.callback.data.startsWith(`${CALLBACK_PREFIX}:`);
    if (update.replyTo?.fromBot && PROMPT_PATTERN.test(update.replyTo.text)) {
      return TAG_ACTIONS.has(PROMPT_PATTERN.exec(update.replyTo.text)![1]!.toLowerCase());
    }
    const command = this.command(update.text);
    if (!command) return false;
    return command.name in COMMANDS || (update.chatType !== 'private' && command.name in GROUP_COMMANDS);
  }

  /** Handles an update; returns null when it is not the desk's (see `claims`). */
  async handle(update: OfficerUpdate): Promise<OfficerEffect[] | null> {
    if (!this.claims(update)) return null;
    try {
      if (update.callback) return await this.onButton(update, update.callback);
      if (update.replyTo?.fromBot && PROMPT_PATTERN.test(update.replyTo.text)) return await this.onPromptReply(update);
      return await this.onCommand(update);
    } catch (error) {
      const changed = error instanceof TicketChangedError;
      if (!changed) this.deps.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'officer desk failed');
      const failure = changed ? this.t('officer.desk.ticketChanged', { code: error.code }) : this.t('officer.desk.error');
      return update.callback
        ? [{ type: 'answerCallback', id: update.callback.id, text: failure, alert: true }]
        : [this.send(update, failure)];
    }
  }

  // -- an officer's message for nobody -------------------------------------------------------------------------

  /**
   * Whether a private message is plain text the desk does not handle (no command, no reply to a prompt): typed by an
   * officer, it may be a question meant for a reporter (see {@link guideToReporter}).
   */
  mayBeForReporter(update: OfficerUpdate): boolean {
    if (update.chatType !== 'private' || update.callback || update.nonText) return false;
    const text = update.text?.trim() ?? '';
    return text !== '' && !text.startsWith('/') && !this.claims(update);
  }

  /** Whether a Telegram user is an active officer of any office (remembered a minute). */
  async isOfficer(userId: string): Promise<boolean> {
    const userKey = officerUserKey(this.deps.secrets, userId);
    const known = this.officers.get(userKey);
    if (known !== undefined) return known;
    const officer = (await officershipsOf(this.deps.prisma, userKey)).length > 0;
    this.officers.set(userKey, officer);
    return officer;
  }

  /**
   * How to ask a reporter, for an officer whose question went to nobody ("Apakah ada foto lain?" typed in the private
   * chat, answering no prompt): the button and the prompt to reply to, and the citizen menu's commands in case that
   * was meant. A ticket code in the message brings that ticket's ask button (pressing it checks access as always).
   */
  guideToReporter(update: OfficerUpdate): OfficerEffect[] {
    const code = parseTicketCode(update.text ?? '');
    const button = { key: 'officer.button.ask' };
    if (!code) return [this.send(update, this.t('officer.guide.askReporter', { button }))];
    return [
      this.send(update, this.t('officer.guide.askReporterTicket', { code, button }), [
        [{ text: this.t('officer.button.ask'), data: `${CALLBACK_PREFIX}:ask:${code}` }],
      ]),
    ];
  }

  // -- commands ------------------------------------------------------------------------------------------------

  private command(text: string | undefined): { name: string; args: string } | null {
    const match = text ? COMMAND_PATTERN.exec(text.trim()) : null;
    if (!match) return null;
    if (match[2] && this.botUsername && match[2].toLowerCase() !== this.botUsername) return null;
    return { name: match[1]!.toLowerCase(), args: (match[3] ?? '').trim() };
  }

  private async onCommand(update: OfficerUpdate): Promise<OfficerEffect[]> {
    const command = this.command(update.text)!;
    const kind = ownValue(COMMANDS, command.name) ?? ownValue(GROUP_COMMANDS, command.name);
    switch (kind) {
      case 'enrol':
        return this.enrol(update, command.args);
      case 'link':
        return this.link(update, command.args);
      case 'unlink':
        return this.unlink(update);
      case 'tickets':
        if (/^\d{1,3}$/.test(command.args)) return this.listTickets(update, Number(command.args));
        return command.args ? this.showTicket(update, command.args) : this.listTickets(update);
      default:
        return [this.send(update, this.t('officer.help'))];
    }
  }

  private async enrol(update: OfficerUpdate, code: string): Promise<OfficerEffect[]> {
    const { prisma, secrets } = this.deps;
    if (update.chatType !== 'private') {
      return [this.send(update, this.t(code ? 'officer.enrol.inGroup' : 'officer.enrol.privateOnly'))];
    }
    const userKey = officerUserKey(secrets, update.userId);
    if (!code) {
      const roles = await officershipsOf(prisma, userKey);
      if (roles.length === 0) return [this.send(update, this.t('officer.enrol.missingCode'))];
      const list = roles.map((r) => `• ${escapeHtml(officeName(r.officeCode))} (${this.t(`officer.role.${r.role}`)})`).join('\n');
      return [this.send(update, `${this.t('officer.enrol.whoami')}\n${list}\n\n${this.t('officer.help')}`)];
    }
    const allowed = await this.enrolAttempts.consume(userKey).then(
      () => true,
      () => false,
    );
    if (!allowed) {
      this.deps.logger.warn('invite code attempts over the limit');
      return [this.send(update, this.t('officer.enrol.tooMany', { minutes: ENROL_WINDOW_SECONDS / 60 }))];
    }
    const now = this.deps.clock();
    const result = await prisma.$transaction(async (tx) => {
      const claimed = await claimInvite(tx, code, userKey.slice(0, 16), now);
      if (!claimed.ok) return claimed;
      const officer = await enrolOfficer(tx, secrets, {
        telegramUserId: update.userId,
        officeCode: claimed.officeCode,
        role: claimed.role,
        ...(update.displayName ? { displayName: update.displayName } : {}),
      });
      await appendAudit(tx, {
        actor: `officer:${officer.id}`,
        action: 'officer.enrol',
        data: { officeCode: claimed.officeCode, role: claimed.role },
        at: now,
      });
      return { ok: true as const, officer };
    });
    if (!result.ok) {
      this.deps.logger.warn({ reason: result.reason }, 'invite code refused');
      return [this.send(update, this.t(`officer.enrol.${result.reason}`))];
    }
    this.officers.delete(userKey);
    // A plain officer is not told to link a group: that is the coordinator's to do.
    return [
      this.send(
        update,
        this.t(isCoordinator(result.officer) ? 'officer.enrol.done' : 'officer.enrol.doneOfficer', {
          name: update.displayName ?? '',
          role: { key: `officer.role.${result.officer.role}` },
          office: officeName(result.officer.officeCode),
        }),
      ),
    ];
  }

  private async link(update: OfficerUpdate, args: string): Promise<OfficerEffect[]> {
    if (update.chatType === 'private') return [this.send(update, this.t('officer.link.private'))];
    const roles = await officershipsOf(this.deps.prisma, officerUserKey(this.deps.secrets, update.userId));
    if (roles.length === 0) {
      await this.deny(update, 'office.link', null, {});
      return [this.send(update, this.t('officer.link.notOfficer'))];
    }
    let candidates = roles;
    const wanted = args.trim();
    if (wanted) {
      // An office code (19.05) or a name as officers say it ("Bangka Tengah", "Provinsi Jambi", "RI").
      const found = lookupOffice(wanted);
      const named = found.kind === 'found' ? [found.code] : found.kind === 'choices' ? found.codes : [];
      candidates = roles.filter((r) => named.includes(r.officeCode));
      if (candidates.length === 0) {
        // Refused like the button for an office not one's own: logged.
        await this.deny(update, 'office.link', null, { officeCode: found.kind === 'found' ? found.code : null });
        const office = found.kind === 'found' ? officeName(found.code) : wanted.slice(0, 80);
        return [this.send(update, this.t('officer.link.notYourOffice', { office }))];
      }
    }
    // Every member of a linked group reads the office's tickets: only a coordinator decides who that is.
    const coordinated = candidates.filter(isCoordinator);
    if (coordinated.length === 0) return [this.send(update, await this.refuseLink(update, candidates))];
    if (coordinated.length === 1) return this.linkTo(update, coordinated[0]!);
    return [this.chooseOfficeToLink(update, coordinated)];
  }

  /** Refuses linking a group to a plain officer (audit-logged), saying whom to ask; `roles` are theirs asked for. */
  private async refuseLink(update: OfficerUpdate, roles: readonly OfficerRecord[]): Promise<string> {
    const offices = roles.map((r) => r.officeCode);
    await this.deny(update, 'office.link', null, { officeCode: offices[0] ?? null, reason: 'notCoordinator' });
    return this.t('officer.link.coordinatorOnly', { office: offices.map(officeName).join(', '), code: offices[0] ?? '' });
  }

  private chooseOfficeToLink(update: OfficerUpdate, roles: readonly OfficerRecord[]): OfficerEffect {
    return this.send(
      update,
      this.t('officer.link.choose'),
      roles.map((r) => [{ text: officeName(r.officeCode), data: `${CALLBACK_PREFIX}:link:${r.officeCode}` }]),
    );
  }

  private async linkTo(update: OfficerUpdate, officer: OfficerRecord): Promise<OfficerEffect[]> {
    const now = this.deps.clock();
    const link = this.deps.prisma.$transaction(async (tx) => {
      const existing = await tx.officeChat.findUnique({
        where: { officeCode_chatId: { officeCode: officer.officeCode, chatId: update.chatId } },
      });
      if (existing) return false;
      await tx.officeChat.create({ data: { officeCode: officer.officeCode, chatId: update.chatId, linkedBy: officer.id } });
      await appendAudit(tx, {
        actor: `officer:${officer.id}`,
        action: 'office.link',
        data: { officeCode: officer.officeCode, chatType: update.chatType },
        at: now,
      });
      return true;
    });
    // The same /hubungkan handled by two processes at once: the second insert finds the first one's link.
    const created = await link.catch((error: unknown) => {
      if ((error as { code?: unknown }).code === 'P2002') return false;
      throw error;
    });
    return [this.send(update, this.t(created ? 'officer.link.done' : 'officer.link.already', { office: officeName(officer.officeCode) }))];
  }

  private async unlink(update: OfficerUpdate): Promise<OfficerEffect[]> {
    if (update.chatType === 'private') return [this.send(update, this.t('officer.link.private'))];
    const { prisma, secrets } = this.deps;
    const links = await prisma.officeChat.findMany({ where: { chatId: update.chatId } });
    if (links.length === 0) return [this.send(update, this.t('officer.link.none'))];
    const userKey = officerUserKey(secrets, update.userId);
    const now = this.deps.clock();
    const removed: string[] = [];
    for (const link of links) {
      const officer = await authorizeOfficer(prisma, userKey, link.officeCode);
      if (!officer) continue;
      await prisma.$transaction(async (tx) => {
        await tx.officeChat.delete({ where: { id: link.id } });
        await appendAudit(tx, { actor: `officer:${officer.id}`, action: 'office.unlink', data: { officeCode: link.officeCode }, at: now });
      });
      removed.push(officeName(link.officeCode));
    }
    if (removed.length === 0) {
      await this.deny(update, 'office.unlink', null, {});
      return [this.send(update, this.t('officer.denied'))];
    }
    return [this.send(update, this.t('officer.link.removed', { office: removed.join(', ') }))];
  }

  /** The offices whose tickets this user may list here: the group's linked offices they serve, else all theirs. */
  private async listingOffices(update: OfficerUpdate): Promise<string[] | null> {
    const { prisma, secrets } = this.deps;
    const roles = await officershipsOf(prisma, officerUserKey(secrets, update.userId));
    if (roles.length === 0) return null;
    const mine = roles.map((r) => r.officeCode);
    if (update.chatType === 'private') return mine;
    // In a group, only the tickets of the offices the group is linked to (and the officer covers): another office's
    // group, or a group of no office, must not see this officer's tickets.
    const linked = (await prisma.officeChat.findMany({ where: { chatId: update.chatId } })).map((l) => l.officeCode);
    return linked.filter((code) => mine.some((m) => isWithin(code, m)));
  }

  /** The office's open tickets, {@link LIST_PAGE} a page, those waiting longest first (`/tiket 2`: the next ones). */
  private async listTickets(update: OfficerUpdate, page = 1): Promise<OfficerEffect[]> {
    const offices = await this.listingOffices(update);
    if (!offices) {
      await this.deny(update, 'tickets.list', null, {});
      return [this.send(update, this.t('officer.list.notOfficer'))];
    }
    if (offices.length === 0) return [this.send(update, this.t('officer.list.notThisGroup'))];
    const effects: OfficerEffect[] = [];
    for (const office of offices) {
      const where = {
        closedAt: null,
        OR: [
          { officeCode: office },
          ...(office.includes('.') ? [] : [{ escalatedAt: { not: null }, officeCode: office === 'RI' ? { not: office } : { startsWith: `${office}.` } }]),
        ],
      };
      const [count, tickets] = await Promise.all([
        this.deps.prisma.ticket.count({ where }),
        // Those waiting longest first: the oldest are the most urgent (a formal report has 7 days).
        this.deps.prisma.ticket.findMany({
          where,
          orderBy: [{ createdAt: 'asc' }, { code: 'asc' }],
          skip: (Math.max(page, 1) - 1) * LIST_PAGE,
          take: LIST_PAGE,
          select: { code: true, status: true, category: true, createdAt: true, officeCode: true, details: true },
        }),
      ]);
      if (count === 0) {
        effects.push(this.send(update, this.t('officer.list.empty', { office: officeName(office) })));
        continue;
      }
      const lines = tickets.map((t) =>
        this.t('officer.list.item', {
          code: t.code,
          category: getViolation(t.category)?.label ?? t.category,
          status: this.texts.status(t.status, otherRulesOf(t.details)),
          date: this.texts.date(t.createdAt),
          office: t.officeCode === office ? '' : ` · ${officeName(t.officeCode)}`,
        }),
      );
      if (tickets.length === 0) {
        effects.push(this.send(update, this.t('officer.list.pastEnd', { office: officeName(office), count, pages: Math.ceil(count / LIST_PAGE) })));
        continue;
      }
      const shown = (Math.max(page, 1) - 1) * LIST_PAGE + tickets.length;
      const more = count > shown ? [this.t('officer.list.more', { count: count - shown, next: Math.max(page, 1) + 1 })] : [];
      const title = this.t('officer.list.title', { office: officeName(office), count }) + (page > 1 ? ` · ${this.t('officer.list.page', { page })}` : '');
      effects.push(
        this.send(
          update,
          [title, ...lines, ...more, this.t('officer.list.hint')].join('\n'),
          tickets.map((t) => [{ text: t.code, data: `${CALLBACK_PREFIX}:show:${t.code}` }]),
        ),
      );
    }
    return effects;
  }

  private async showTicket(update: OfficerUpdate, args: string): Promise<OfficerEffect[]> {
    const code = parseTicketCode(args);
    if (!code) return [this.send(update, this.t('officer.ticket.badCode'))];
    const access = await this.access(update, code, 'ticket.view');
    if (!access.ok) return [this.send(update, access.message)];
    return [await this.card(update, access.ticket)];
  }

  private async card(update: OfficerUpdate, ticket: ActionTicket): Promise<OfficerEffect> {
    const dossier = await loadDossier(this.deps.prisma, this.deps.secrets, this.deps.dataDir, ticket.id);
    const events = await this.deps.prisma.ticketEvent.findMany({
      where: { ticketId: ticket.id },
      orderBy: { createdAt: 'desc' },
      take: 8,
    });
    // Who acted, by the name an officer enrolled with, and their office when it is not the ticket's.
    const actors = await this.deps.prisma.officer.findMany({
      where: { id: { in: [...new Set(events.map((e) => e.actor))] } },
      select: { id: true, displayName: true, officeCode: true },
    });
    const byId = new Map(actors.map((a) => [a.id, a]));
    const history = events.reverse().map((e) => {
      // A reminder names the office its copy reached (older ones do not).
      const type = e.type === 'reminder' && e.text ? 'reminderCopy' : e.type;
      const item = {
        date: this.texts.date(e.createdAt),
        // Rendered as plain text first: the item escapes it once more.
        text: this.plain(this.deps.renderer.has(`officer.event.${type}`, this.texts.locale) ? `officer.event.${type}` : 'officer.event.other', {
          status: e.status ? this.texts.status(e.status, dossier.terlapor.otherRules) : '',
          text: (e.text ?? '').slice(0, 300),
        }),
      };
      const actor = byId.get(e.actor);
      if (!actor) return this.t('officer.history.item', item);
      const officer = actor.displayName ?? this.plain('officer.role.officer');
      const by =
        actor.officeCode === ticket.officeCode
          ? this.plain('officer.history.by', { officer })
          : this.plain('officer.history.byFrom', { officer, office: officeName(actor.officeCode) });
      return this.t('officer.history.itemBy', { ...item, by });
    });
    const html = [ticketCard(this.texts, dossier, { reason: 'view' }), '', this.t('officer.history.title'), ...history].join('\n');
    return this.send(update, html, ticketKeyboard(this.texts, { code: ticket.code, acknowledged: ticket.acknowledgedAt !== null }));
  }

  // -- buttons ------------------------------------------------------------------------------------------------

  private async onButton(update: OfficerUpdate, callback: NonNullable<OfficerUpdate['callback']>): Promise<OfficerEffect[]> {
    const [, verb = '', target = '', arg, from] = callback.data.split(':');
    const answer = (text?: string, alert = false): OfficerEffect => ({
      type: 'answerCallback',
      id: callback.id,
      ...(text ? { text } : {}),
      ...(alert ? { alert } : {}),
    });
    if (verb === 'link') {
      const role = (await officershipsOf(this.deps.prisma, officerUserKey(this.deps.secrets, update.userId))).find(
        (r) => r.officeCode === target,
      );
      if (!role) {
        await this.deny(update, 'office.link', null, { officeCode: target });
        return [answer(this.plain('officer.denied'), true)];
      }
      if (!isCoordinator(role)) {
        // The explanation is longer than a popup may be (Telegram shows none over 200 characters): it goes to the chat.
        const explanation = await this.refuseLink(update, [role]);
        return [answer(this.plain('officer.link.coordinatorOnlyShort', { office: officeName(role.officeCode) }), true), this.send(update, explanation)];
      }
      return [answer(), ...(await this.linkTo(update, role))];
    }
    const code = parseTicketCode(target);
    if (!code) return [answer(this.plain('officer.ticket.badCode'), true)];
    const access = await this.access(update, code, `button.${verb}`);
    if (!access.ok) return [answer(this.plainOf(access.message), true)];
    const { ticket, officer } = access;
    const messageId = callback.messageId;
    const mainKeyboard = (acknowledged: boolean) => ticketKeyboard(this.texts, { code, acknowledged });
    switch (verb) {
      case 'ack': {
        // The other offices' chats are told through the outbox, in the action's transaction (see ticketActions).
        const done = await this.act(update, officer, (ctx) => acknowledgeTicket(ctx, ticket));
        const effects: OfficerEffect[] = [answer(this.plain(done ? 'officer.desk.ackToast' : 'officer.desk.alreadyAcknowledged', { code }))];
        if (messageId !== undefined) effects.push({ type: 'editKeyboard', chatId: update.chatId, messageId, keyboard: mainKeyboard(true) });
        if (done) effects.push(this.send(update, this.headline(update, officer, ticket, { kind: 'acknowledged' })));
        return effects;
      }
      case 'ask':
        // A closed ticket takes no new question: `/jawab` there takes only the answer to one asked before it closed.
        if (!isOpenStatus(ticket.status)) return [answer(this.plain('officer.desk.askClosed', { code }), true)];
        return [answer(), this.prompt(update, 'ask', code, 'officer.prompt.ask', {}, ticket)];
      case 'note':
        return [answer(), this.prompt(update, 'note', code, 'officer.prompt.note')];
      case 'st': {
        if (arg === undefined) {
          return messageId === undefined
            ? [answer(), this.send(update, this.t('officer.prompt.chooseStatus', { code }), statusKeyboard(this.texts, code, otherRulesOf(ticket.details)))]
            : [answer(), { type: 'editKeyboard', chatId: update.chatId, messageId, keyboard: statusKeyboard(this.texts, code, otherRulesOf(ticket.details)) }];
        }
        if (!isSettableStatus(arg)) return [answer(this.plain('officer.ticket.badCode'), true)];
        const effects: OfficerEffect[] = [answer()];
        if (messageId !== undefined) {
          effects.push({ type: 'editKeyboard', chatId: update.chatId, messageId, keyboard: mainKeyboard(ticket.acknowledgedAt !== null) });
        }
        effects.push(
          this.prompt(update, `status:${arg}`, code, 'officer.prompt.reason', { status: this.texts.status(arg, otherRulesOf(ticket.details)) }, ticket),
        );
        return effects;
      }
      case 'back':
        return messageId === undefined
          ? [answer()]
          : [answer(), { type: 'editKeyboard', chatId: update.chatId, messageId, keyboard: mainKeyboard(ticket.acknowledgedAt !== null) }];
      case 'mv':
        if (!isOpenStatus(ticket.status)) return [answer(this.plainOf(this.transferClosed(ticket)), true)];
        if (arg === undefined) return [answer(), this.prompt(update, 'transfer', code, 'officer.prompt.transfer', {}, ticket)];
        // A choice offered for the ticket at another office than where it is now: another officer moved it since (a
        // second press of the same choice finds it where it was sent, and is told so).
        if (from !== undefined && from !== ticket.officeCode && arg !== ticket.officeCode) {
          return [answer(this.plain('officer.desk.ticketChanged', { code }), true)];
        }
        return [answer(), ...(await this.transfer(update, officer, ticket, arg))];
      case 'show':
        return [answer(), await this.card(update, ticket)];
      default:
        return [answer(this.plain('officer.ticket.badCode'), true)];
    }
  }

  // -- replies to prompts -------------------------------------------------------------------------------------

  private async onPromptReply(update: OfficerUpdate): Promise<OfficerEffect[]> {
    const match = PROMPT_PATTERN.exec(update.replyTo!.text)!;
    const action = TAG_ACTIONS.get(match[1]!.toLowerCase())!;
    const code = match[2]!.toUpperCase();
    const text = (update.text ?? '').trim();
    // "batal" or a command in reply withdraws the prompt: nothing is saved or sent to the reporter. A desk command
    // is then carried out as if sent on its own.
    if (CANCEL_REPLY.test(text)) return [this.send(update, this.t('officer.desk.promptCancelled', { code }))];
    if (text.startsWith('/')) {
      const command = this.command(text);
      if (command && (command.name in COMMANDS || (update.chatType !== 'private' && command.name in GROUP_COMMANDS))) {
        return this.onCommand(update);
      }
      return [this.send(update, this.t('officer.desk.promptCancelled', { code }))];
    }
    // The same message delivered again (Telegram redelivers what a crashed process did not acknowledge) was carried
    // out already: nothing to do or say, whatever the ticket has become since (moved, closed, given another status).
    const once = this.messageEventId(update);
    if (once && (await this.eventExists(once))) return [];
    const access = await this.access(update, code, `reply.${action}`);
    if (!access.ok) return [this.send(update, access.message)];
    // A photo or file in reply would otherwise vanish: ask again for text.
    // A prompt asked again shows the ticket as it is now (notes do not depend on where the ticket is).
    const state = action === 'note' ? undefined : access.ticket;
    if (update.nonText) return [this.prompt(update, action, code, 'officer.desk.textOnly', {}, state)];
    const { ticket, officer } = access;
    const checkLength = (limits: { min: number; max: number }): OfficerEffect | null => {
      // Asked again as a prompt of its own, so a reply to this message is taken as the answer.
      if (text.length < limits.min) return this.prompt(update, action, code, 'officer.desk.tooShort', { min: limits.min }, state);
      if (text.length > limits.max) return this.prompt(update, action, code, 'officer.desk.tooLong', { max: limits.max, length: text.length }, state);
      return null;
    };
    if (action === 'ask') {
      if (!isOpenStatus(ticket.status)) return [this.send(update, this.t('officer.desk.askClosed', { code }))];
      // Moved to another office since the prompt: the question was meant for the ticket where it was then.
      if (!this.showsOffice(update.replyTo!.text, ticket)) return [this.send(update, this.t('officer.desk.ticketChanged', { code }))];
      const problem = checkLength(LIMITS.question);
      if (problem) return [problem];
      if (!(await this.actOnce(update, officer, once, (ctx) => askReporter(ctx, ticket, text)))) return [];
      return [this.send(update, this.headline(update, officer, ticket, { kind: 'question' }))];
    }
    if (action === 'note') {
      const problem = checkLength(LIMITS.note);
      if (problem) return [problem];
      if (!(await this.actOnce(update, officer, once, (ctx) => addInternalNote(ctx, ticket, text)))) return [];
      return [this.send(update, this.headline(update, officer, ticket, { kind: 'note' }))];
    }
    if (action === 'transfer') {
      // Moved since the prompt (by another officer, or by this one's other prompt): where to was decided for the
      // office it was at then.
      if (!this.showsOffice(update.replyTo!.text, ticket)) return [this.send(update, this.t('officer.desk.ticketChanged', { code }))];
      const found = lookupOffice(text);
      if (!text || found.kind === 'none') {
        return [this.prompt(update, 'transfer', code, 'officer.desk.transferNone', { query: text.slice(0, 80) }, ticket)];
      }
      if (found.kind === 'choices') {
        return [this.send(update, this.t('officer.desk.transferChoices', { code }), transferKeyboard(code, found.codes, ticket.officeCode))];
      }
      return this.transfer(update, officer, ticket, found.code, once);
    }
    const status = action.slice('status:'.length) as SettableStatus;
    if (ticket.status === status) {
      return [this.send(update, this.t('officer.desk.statusUnchanged', { code, status: this.texts.status(status, otherRulesOf(ticket.details)) }))];
    }
    // Another officer set a status or moved the ticket after the prompt was sent: whoever replies, the reason was
    // written for the ticket as the prompt showed it.
    if (!this.showsState(update.replyTo!.text, ticket)) return [this.send(update, this.t('officer.desk.ticketChanged', { code }))];
    const problem = checkLength(LIMITS.reason);
    if (problem) return [problem];
    if (!(await this.actOnce(update, officer, once, (ctx) => setTicketStatus(ctx, ticket, status, text)))) return [];
    // Closed before the reporter answered a question: the answer may still come, and officers should expect it.
    const waiting = closedStatuses.includes(status) && (await openQuestion(this.deps.prisma, ticket.id)) !== null;
    return [this.send(update, this.headline(update, officer, ticket, { kind: 'status', status, openQuestion: waiting }))];
  }

  private async transfer(
    update: OfficerUpdate,
    officer: OfficerRecord,
    ticket: ActionTicket,
    target: string,
    once?: string,
  ): Promise<OfficerEffect[]> {
    // A closed ticket is not moved: the new office would receive it as new and unanswered, and the reporter, told it
    // was closed, would read that it went on. Reopening is a status change, with its reason.
    if (!isOpenStatus(ticket.status)) return [this.send(update, this.transferClosed(ticket))];
    const code = target.toUpperCase();
    if (!OFFICE_CODE.test(code) || !(await this.deps.prisma.office.findUnique({ where: { code } }))) {
      return [this.prompt(update, 'transfer', ticket.code, 'officer.desk.transferNone', { query: target.slice(0, 80) }, ticket)];
    }
    if (code === ticket.officeCode) {
      return [this.send(update, this.t('officer.desk.transferSame', { code: ticket.code, office: officeName(code) }))];
    }
    // An office that receives nothing through Netra yet (no group, officer, e-mail or webhook): the ticket goes on to
    // the first office above it that does, which the officer, and the offices told of the transfer, should know.
    const receiver = (await resolveDestinations(this.deps.prisma, code, { email: this.deps.canEmail() }))?.officeCode ?? null;
    if (!(await this.actOnce(update, officer, once, (ctx) => transferTicket(ctx, ticket, code, receiver)))) return [];
    return [this.send(update, this.headline(update, officer, ticket, { kind: 'transferred', toOfficeCode: code, receiverOfficeCode: receiver }))];
  }

  // -- helpers ------------------------------------------------------------------------------------------------

  /** What an action did, as the chat it was taken in reads it (the other chats read it too, from the outbox). */
  private headline(
    update: OfficerUpdate,
    officer: OfficerRecord,
    ticket: ActionTicket,
    action: Pick<ActionSummary, 'kind' | 'status' | 'openQuestion' | 'toOfficeCode' | 'receiverOfficeCode'>,
  ): string {
    return actionHeadline(this.texts, {
      ...action,
      code: ticket.code,
      officer: this.officerName(update, officer),
      officerOfficeCode: officer.officeCode,
      ticketOfficeCode: ticket.officeCode,
      otherRules: otherRulesOf(ticket.details),
    });
  }

  private transferClosed(ticket: ActionTicket): string {
    return this.t('officer.desk.transferClosed', { code: ticket.code, status: this.texts.status(ticket.status, otherRulesOf(ticket.details)) });
  }

  /** Loads a ticket and checks the user may act on it; a refusal is audit-logged. */
  private async access(
    update: OfficerUpdate,
    code: string,
    action: string,
  ): Promise<{ ok: true; ticket: ActionTicket; officer: OfficerRecord } | { ok: false; message: string }> {
    const { prisma, secrets } = this.deps;
    const userKey = officerUserKey(secrets, update.userId);
    const ticket = await prisma.ticket.findUnique({ where: { code }, select: TICKET_SELECT });
    const officer = ticket ? await authorizeOfficer(prisma, userKey, ticket.officeCode) : null;
    if (!ticket || !officer) {
      const isOfficer = (await officershipsOf(prisma, userKey)).length > 0;
      await this.deny(update, action, ticket?.id ?? null, { code });
      // Someone who is no officer learns nothing, not even whether the ticket exists.
      if (!isOfficer) return { ok: false, message: this.t('officer.denied') };
      if (!ticket) return { ok: false, message: this.t('officer.ticket.notFound', { code }) };
      // An officer of an office that sent the ticket on (pressing its old card's buttons) is told where it went.
      const movedAway = await this.transferredAwayFrom(ticket.id, userKey);
      return {
        ok: false,
        message: this.t(movedAway ? 'officer.ticket.movedAway' : 'officer.denied', { code, office: officeName(ticket.officeCode) }),
      };
    }
    // In a group, only tickets of an office the group is linked to (or of one below it): the card shows a formal
    // report's identity and witnesses, which another office's group, or a group of no office, must not see. The
    // listing keeps to the same rule (`listingOffices`).
    if (update.chatType !== 'private') {
      const linked = await prisma.officeChat.findMany({ where: { chatId: update.chatId }, select: { officeCode: true } });
      if (!linked.some((l) => isWithin(ticket.officeCode, l.officeCode))) {
        await this.deny(update, action, ticket.id, { code, group: 'notLinked' });
        return { ok: false, message: this.t('officer.ticket.notThisGroup', { code }) };
      }
    }
    return { ok: true, ticket, officer };
  }

  /** Whether the ticket was transferred by an officer of one of this user's offices (so it once was theirs). */
  private async transferredAwayFrom(ticketId: string, userKey: string): Promise<boolean> {
    const { prisma } = this.deps;
    const transfers = await prisma.ticketEvent.findMany({ where: { ticketId, type: 'transferred' }, select: { actor: true } });
    if (transfers.length === 0) return false;
    const mine = new Set((await officershipsOf(prisma, userKey)).map((r) => r.officeCode));
    const actors = await prisma.officer.findMany({ where: { id: { in: transfers.map((t) => t.actor) } }, select: { officeCode: true } });
    return actors.some((a) => mine.has(a.officeCode));
  }

  private async deny(update: OfficerUpdate, action: string, ticketId: string | null, data: Record<string, unknown>): Promise<void> {
    const userKey = officerUserKey(this.deps.secrets, update.userId);
    this.deps.logger.warn({ user: userKey.slice(0, 12), action }, 'officer action refused');
    await recordAudit(this.deps.prisma, {
      actor: `telegram:${userKey.slice(0, 12)}`,
      action: 'access.denied',
      ticketId,
      data: { ...data, attempted: action, chatType: update.chatType },
      at: this.deps.clock(),
    });
  }

  /**
   * Runs an action in one transaction, which also enqueues its notice to the other offices' chats: the chat it was
   * taken in and the officer's private chat are named so they get no copy.
   */
  private async act<T>(update: OfficerUpdate, officer: OfficerRecord, fn: (ctx: ActionContext) => Promise<T>, eventId?: string): Promise<T> {
    const at = this.deps.clock();
    const group = update.chatType !== 'private';
    const origin: ActionOrigin = {
      officerName: this.officerName(update, officer),
      chatType: group ? 'group' : 'private',
      ...(group ? { groupChatId: update.chatId } : {}),
    };
    return this.deps.prisma.$transaction((tx: Tx) =>
      fn({ tx, officer, at, renderer: this.deps.renderer, recommendationBody: this.deps.recommendationBody, origin, ...(eventId ? { eventId } : {}) }),
    );
  }

  /**
   * Runs an action whose event is recorded under `eventId` (see `messageEventId`), unless that event exists: then
   * the same message was handled already (Telegram delivered it again after a crash, or to two processes at once)
   * and nothing happens, as for a redelivered turn. Returns whether the action ran.
   */
  private async actOnce(
    update: OfficerUpdate,
    officer: OfficerRecord,
    eventId: string | undefined,
    fn: (ctx: ActionContext) => Promise<void>,
  ): Promise<boolean> {
    if (eventId && (await this.eventExists(eventId))) return false;
    try {
      await this.act(update, officer, fn, eventId);
      return true;
    } catch (error) {
      if (eventId && (error as { code?: unknown }).code === 'P2002') return false;
      // The same message handled at once elsewhere changed the ticket first: that was this action, done already.
      if (eventId && error instanceof TicketChangedError && (await this.eventExists(eventId))) {
        return false;
      }
      throw error;
    }
  }

  private async eventExists(id: string): Promise<boolean> {
    return (await this.deps.prisma.ticketEvent.findUnique({ where: { id }, select: { id: true } })) !== null;
  }

  /**
   * The id an officer's message gives the event it causes: the same message (chat, message id, text, prompt
   * answered) gives the same id.
   */
  private messageEventId(update: OfficerUpdate): string | undefined {
    if (update.messageId === undefined) return undefined;
    const message = JSON.stringify([update.chatId, update.messageId, update.replyTo?.messageId ?? null, update.text ?? '']);
    const hex = this.deps.secrets.hmac(`officer-message:${message}`);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  }

  /**
   * A question the officer answers by replying. A status change's also shows the ticket's status and office as they
   * are now (`state`): the reply is taken only while the ticket is still so ({@link showsState}).
   */
  private prompt(update: OfficerUpdate, action: string, code: string, key: string, params: TextParams = {}, state?: TicketState): OfficerEffect {
    const tag = PROMPT_TAGS[action]!;
    const mention = update.chatType === 'private' ? '' : `${mentionHtml(update.userId, update.displayName)}, `;
    return {
      type: 'send',
      chatId: update.chatId,
      html: `#${tag} ${code}\n${mention}${this.t(key, { code, ...params })}${state ? `\n${this.stateLine(state)}` : ''}`,
      forceReply: true,
    };
  }

  private stateLine(ticket: TicketState): string {
    return `${STATE_MARK} ${this.t('officer.prompt.state', { status: this.texts.status(ticket.status, otherRulesOf(ticket.details)), office: officeName(ticket.officeCode) })}`;
  }

  /** Whether a prompt's text shows the ticket as it is now ("Terima" meanwhile changes nothing decided on). */
  private showsState(promptText: string, ticket: TicketState): boolean {
    // A prompt sent before prompts showed the state: taken as before.
    if (!promptText.includes(STATE_MARK)) return true;
    const shows = (state: TicketState) => promptText.includes(this.plainOf(this.stateLine(state)));
    return shows(ticket) || (ticket.status === 'acknowledged' && shows({ ...ticket, status: 'received' }));
  }

  /** Whether a prompt's text shows the ticket at the office it is at now, whatever its status. */
  private showsOffice(promptText: string, ticket: TicketState): boolean {
    if (!promptText.includes(STATE_MARK)) return true;
    return ticketStatuses.some((status) => promptText.includes(this.plainOf(this.stateLine({ ...ticket, status }))));
  }

  private officerName(update: OfficerUpdate, officer: OfficerRecord): string {
    return update.displayName ?? officer.displayName ?? this.plain('officer.role.officer');
  }

  private send(update: OfficerUpdate, html: string, keyboard?: OfficeKeyboard): OfficerEffect {
    return {
      type: 'send',
      chatId: update.chatId,
      html,
      ...(keyboard && keyboard.length > 0 ? { keyboard } : {}),
      ...(update.messageId !== undefined && !update.callback ? { replyTo: update.messageId } : {}),
    };
  }

  private t(key: string, params?: TextParams): string {
    return this.texts.t(key, params);
  }

  private plain(key: string, params?: TextParams): string {
    return this.plainOf(this.t(key, params));
  }

  private plainOf(html: string): string {
    return html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
}

/** Performs a desk's effects through a messenger; a failure is logged and the rest still run. */
export async function applyEffects(messenger: OfficeMessenger, effects: OfficerEffect[], logger: Logger): Promise<void> {
  for (const effect of effects) {
    try {
      if (effect.type === 'send') {
        await messenger.sendText(effect.chatId, effect.html, {
          ...(effect.keyboard ? { keyboard: effect.keyboard } : {}),
          ...(effect.forceReply ? { forceReply: true } : {}),
          ...(effect.replyTo !== undefined ? { replyTo: effect.replyTo } : {}),
        });
      } else if (effect.type === 'answerCallback') {
        await messenger.answerCallback(effect.id, effect.text, effect.alert);
      } else {
        await messenger.editKeyboard(effect.chatId, effect.messageId, effect.keyboard);
      }
    } catch (error) {
      logger.warn({ err: error instanceof Error ? error.message : String(error), effect: effect.type }, 'officer reply failed');
    }
  }
}

/** Reads a raw Telegram update as an OfficerUpdate (null for kinds the desk never handles). */
export function fromTelegramUpdate(update: Update): OfficerUpdate | null {
  if ('callback_query' in update) {
    const query = update.callback_query;
    const message = query.message;
    if (!message || !('data' in query)) return null;
    return {
      userId: String(query.from.id),
      displayName: [query.from.first_name, query.from.last_name].filter(Boolean).join(' '),
      chatId: String(message.chat.id),
      chatType: message.chat.type,
      callback: { id: query.id, data: query.data, messageId: message.message_id },
    };
  }
  if (!('message' in update) || !update.message.from) return null;
  const message = update.message;
  const from = message.from!;
  const sender = {
    userId: String(from.id),
    displayName: [from.first_name, from.last_name].filter(Boolean).join(' '),
    chatId: String(message.chat.id),
    chatType: message.chat.type,
    messageId: message.message_id,
  };
  const reply = 'reply_to_message' in message ? message.reply_to_message : undefined;
  const replyText = reply && 'text' in reply ? reply.text : undefined;
  if ('text' in message) {
    return {
      ...sender,
      text: message.text,
      ...(reply && replyText !== undefined
        ? { replyTo: { fromBot: reply.from?.is_bot === true, text: replyText, messageId: reply.message_id } }
        : {}),
    };
  }
  // A photo, file or sticker: the desk reads it only as a reply to one of the bot's messages (a prompt).
  if (!reply || replyText === undefined || reply.from?.is_bot !== true) return null;
  return { ...sender, nonText: true, replyTo: { fromBot: true, text: replyText, messageId: reply.message_id } };
}
