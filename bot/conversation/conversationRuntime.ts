/**
 * One inbound message = one turn: serialise per chat, skip a message already handled, restore the active flow
 * from its stored snapshot, route and send the one event, collect what the flow emits, run its commands and save
 * the new snapshot in one transaction (compare-and-set on `revision`), and hand the replies back to the channel.
 */
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import { createActor, type Actor, type AnyStateMachine } from 'xstate';
import { z } from 'zod';
import type { Locale } from '../../content/locales/index.ts';
import type { FlowCommand, FlowDefinition, FlowEmitted, FlowId, FlowOutput } from '../../flows/flow.ts';
import { ask, choice, say, type InboundEvent, type OutboundMessage, type UnstampedUserEvent } from '../../flows/messages.ts';
import { flowRegistry } from '../../flows/registry.ts';
import { CANCEL_QUESTION_KEY, isLeaveQuestion, languageOfCommand, leaveValue, route, STAY_VALUE } from '../../flows/router.ts';
import { ConcurrentTurnError, FlowError, UnknownCommandError } from '../errors.ts';
import { chatRef, type Logger } from '../logger.ts';
import type { Secrets } from '../security/secrets.ts';
import { prismaSql, type Sql, type Store, type Tx } from '../store/store.ts';
import { KEPT_DRAFT_PREFIX, loadChat, lockChat, saveChat, type ChatState, type SqlExecutor } from './chatRepository.ts';
import { KeyedQueue } from './keyedQueue.ts';
import { promptTag } from './promptTag.ts';

/** Where a message came from: the channel and the channel's own chat id (personal data: never logged). */
export interface ChatRef {
  channel: 'telegram' | 'whatsapp' | 'terminal';
  chatId: string;
}

/** What a channel knows of the user beyond the message. */
export interface TurnHints {
  /** The user's language as the channel reports it (Telegram's language_code); used only for a new chat. */
  locale?: string;
  /**
   * The event is a press on a button of the question tagged so (see `promptTag`); null when the button cannot be
   * told apart (forged or unknown data). Unless that question is the one on screen, the press is stale: it is
   * answered as such and the question on screen is asked again, whatever its value would have meant here.
   */
  pressedPrompt?: string | null;
}

/** What a stale button press is answered with. */
export const STALE_BUTTON_KEY = 'common.staleButton';

/** What a turn produced for the channel to deliver. */
export interface TurnResult {
  chatKey: string;
  locale: Locale;
  messages: OutboundMessage[];
  /** True when the message had been handled before (a redelivery): nothing was written or replied. */
  duplicate: boolean;
}

/** What every command handler gets: the chat it runs for. */
export interface PureCommandContext {
  chatKey: string;
  channel: ChatRef['channel'];
  locale: Locale;
  at: Date;
}

/** What a handler that reads or writes the store gets: the turn's open transaction, as raw SQL. */
export interface SqlCommandContext extends PureCommandContext {
  sql: Sql;
}

/** What a handler written against Prisma gets: the turn's Prisma transaction (and the same as raw SQL). */
export interface CommandContext extends SqlCommandContext {
  tx: Tx;
}

/**
 * Runs a command inside the turn's transaction; its return value goes back to the flow. A plain function is given
 * a Prisma transaction; {@link sqlCommand} and {@link pureCommand} mark handlers that need less, so their turns run
 * on a raw transaction or none at all (several times cheaper: this is the hot path of every report and quiz).
 */
export type CommandHandler = ((command: FlowCommand, ctx: CommandContext) => Promise<unknown>) & { readonly [NEEDS]?: Needs };

const NEEDS = Symbol('netra.commandNeeds');
type Needs = 'nothing' | 'sql' | 'prisma';

/** A handler that touches no store (encryption, configuration): its turn opens no transaction for it. */
export function pureCommand(handler: (command: FlowCommand, ctx: PureCommandContext) => Promise<unknown>): CommandHandler {
  return Object.assign((command: FlowCommand, ctx: CommandContext) => handler(command, ctx), { [NEEDS]: 'nothing' as const });
}

/** A handler that uses the turn's transaction through raw SQL only. */
export function sqlCommand(handler: (command: FlowCommand, ctx: SqlCommandContext) => Promise<unknown>): CommandHandler {
  return Object.assign((command: FlowCommand, ctx: CommandContext) => handler(command, ctx), { [NEEDS]: 'sql' as const });
}

function needsOf(handler: CommandHandler): Needs {
  return handler[NEEDS] ?? 'prisma';
}

/** Thrown inside a raw transaction when a command needs Prisma after all: the turn runs again on Prisma's. */
class NeedsPrismaError extends Error {}

export interface RuntimeOptions {
  store: Store;
  secrets: Secrets;
  logger: Logger;
  commands?: Record<string, CommandHandler>;
  flows?: FlowDefinition[];
  defaultLocale?: Locale;
  clock?: () => Date;
  /** Messages a chat may send per minute before it is asked to slow down (abuse control). */
  messagesPerMinute?: number;
}

/** A kept draft: the flow's snapshot as stored, the question it was asking, its flow's version, and when it was left. */
const keptDraftSchema = z.object({ snapshot: z.unknown(), prompt: z.unknown(), version: z.number().int(), keptAt: z.string() });

/** Whether a stored snapshot can still run in its flow: the flow's version, active, with a context the flow still reads. */
function snapshotFits(definition: FlowDefinition, version: number, stored: unknown): boolean {
  const snapshot = stored as { status?: unknown; context?: unknown } | null;
  return definition.version === version && snapshot?.status === 'active' && definition.contextSchema.safeParse(snapshot.context).success;
}

/** Whether a kept draft can still go on in its flow. */
function keptDraftFits(definition: FlowDefinition, value: unknown): boolean {
  const kept = keptDraftSchema.safeParse(value);
  return kept.success && snapshotFits(definition, kept.data.version, kept.data.snapshot);
}

const MAX_ATTEMPTS = 8;
const MAX_FLOW_HOPS = 4;

/** The conversation runtime shared by every channel. */
export class ConversationRuntime {
  private readonly queue = new KeyedQueue();
  /** Chat keys of recent chats (a few hundred kilobytes at most). */
  private readonly chatKeys = new LRUCache<string, string>({ max: 5_000 });
  private readonly flows: Map<FlowId, FlowDefinition>;
  private readonly commands: Record<string, CommandHandler>;
  private readonly clock: () => Date;
  private readonly defaultLocale: Locale;
  private readonly limiter: RateLimiterMemory;

  constructor(private readonly options: RuntimeOptions) {
    this.flows = flowRegistry(options.flows);
    this.commands = options.commands ?? {};
    this.clock = options.clock ?? (() => new Date());
    this.defaultLocale = options.defaultLocale ?? 'id';
    this.limiter = new RateLimiterMemory({ points: options.messagesPerMinute ?? 30, duration: 60 });
  }

  /** Adds command handlers (domain services register theirs at startup). */
  registerCommands(handlers: Record<string, CommandHandler>): void {
    Object.assign(this.commands, handlers);
  }

  /** The HMAC key under which a chat is stored (remembered for the chats seen lately: a turn asks for it often). */
  chatKey(ref: ChatRef): string {
    const id = `${ref.channel}:${ref.chatId}`;
    let key = this.chatKeys.get(id);
    if (key === undefined) {
      key = this.options.secrets.hmac(id);
      this.chatKeys.set(id, key);
    }
    return key;
  }

  /** Turns queued or running. */
  get inFlight(): number {
    return this.queue.size;
  }

  /** Resolves when no turn is queued or running (graceful shutdown). */
  drain(): Promise<void> {
    return this.queue.drain();
  }

  /**
   * Welcomes a returning user back to the question they were last asked, with what the flow shows with it (the
   * report's summary), as a language switch shows it: for a terminal restarted mid-conversation, whose screen is
   * gone. Null for a chat with no question on screen.
   */
  async resume(ref: ChatRef): Promise<{ locale: Locale; messages: OutboundMessage[] } | null> {
    const key = this.chatKey(ref);
    const chat = await loadChat(this.options.store, key);
    if (!chat?.prompt) return null;
    const result = await this.queue.run(key, () => this.retrying(key, ref, null, undefined, {}));
    return { locale: result.locale, messages: result.messages };
  }

  /**
   * True while the chat has used up its messages for the current window: its next event will be refused. Channels
   * ask before fetching a file, so a flood of photos is not downloaded only to be turned away. Uses up nothing.
   */
  async overLimit(ref: ChatRef): Promise<boolean> {
    const used = await this.limiter.get(this.chatKey(ref));
    return used !== null && used.consumedPoints >= (this.options.messagesPerMinute ?? 30);
  }

  /**
   * Handles one inbound event. `messageId` identifies the inbound message for de-duplication (a redelivered
   * update produces no second reply and no second write); omit it where the channel cannot redeliver.
   */
  async handle(
    ref: ChatRef,
    event: UnstampedUserEvent,
    messageId?: string,
    hints: TurnHints = {},
  ): Promise<TurnResult> {
    const key = this.chatKey(ref);
    // Checked before the chat's queue and the database, so a flood from one chat costs others nothing.
    const limited = await this.limiter.consume(key).then(
      () => undefined,
      (rejection: RateLimiterRes) => rejection,
    );
    if (limited) {
      // Say it once per window; stay silent for the rest of the flood.
      const first = limited.consumedPoints === (this.options.messagesPerMinute ?? 30) + 1;
      if (!first) return { chatKey: key, locale: this.defaultLocale, messages: [], duplicate: false };
      const chat = await loadChat(this.options.store, key);
      const locale = chat ? toLocale(chat.locale, this.defaultLocale) : this.defaultLocale;
      return { chatKey: key, locale, messages: [say('common.rateLimited')], duplicate: false };
    }
    const clean = wellFormed(event);
    return this.queue.run(key, () => this.retrying(key, ref, clean, messageId, hints));
  }

  /** Runs a turn, again on a concurrent one or when its commands turn out to need Prisma. */
  private async retrying(
    key: string,
    ref: ChatRef,
    event: UnstampedUserEvent | null,
    messageId: string | undefined,
    hints: TurnHints,
  ): Promise<TurnResult> {
    let prismaNeeded = false;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.turn(key, ref, event, messageId, hints, prismaNeeded);
      } catch (error) {
        if (error instanceof NeedsPrismaError && !prismaNeeded) {
          prismaNeeded = true;
          continue;
        }
        if (error instanceof ConcurrentTurnError && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /** One turn: the user's event, or (null) the question on screen shown again to a returning user. */
  private async turn(
    key: string,
    ref: ChatRef,
    userEvent: UnstampedUserEvent | null,
    messageId: string | undefined,
    hints: TurnHints,
    prismaNeeded: boolean,
  ): Promise<TurnResult> {
    const { store } = this.options;
    const now = this.clock();
    const at = now.toISOString();
    const chat = await loadChat(this.options.store, key);
    if (chat && messageId !== undefined && chat.recentMessages.includes(messageId)) {
      return { chatKey: key, locale: toLocale(chat.locale, this.defaultLocale), messages: [], duplicate: true };
    }
    if (chat?.bannedAt) {
      return { chatKey: key, locale: toLocale(chat.locale, this.defaultLocale), messages: [say('common.banned')], duplicate: false };
    }
    // A new chat is greeted in the language its channel reports, else in the language of its first command.
    const firstLocale =
      hints.locale === 'en' || hints.locale === 'id' ? hints.locale : ((userEvent && languageOfCommand(userEvent)) ?? this.defaultLocale);
    const turn = new Turn(this.flows, this.options.logger, key, at, chat, firstLocale);
    if (userEvent) turn.receive({ ...userEvent, at } as InboundEvent, hints.pressedPrompt);
    else turn.showAgain();

    const write = () => ({
      key,
      channel: ref.channel,
      addressEnc: () => this.options.secrets.encrypt(`${ref.channel}:${ref.chatId}`),
      locale: turn.locale,
      flow: turn.flowId,
      flowVersion: turn.flowVersion,
      snapshot: turn.persist(),
      prompt: turn.prompt,
      memory: turn.memory(),
      recentMessages: messageId === undefined ? (chat?.recentMessages ?? []) : [...(chat?.recentMessages ?? []), messageId],
    });
    const expected = chat?.revision ?? 0;

    const base: PureCommandContext = { chatKey: key, channel: ref.channel, locale: turn.locale, at: now };
    const handlerFor = (type: string): CommandHandler => {
      const handler = this.commands[type];
      if (!handler) throw new UnknownCommandError(type);
      return handler;
    };
    const runNext = async (ctx: CommandContext, allowed: Needs): Promise<void> => {
      const pending = turn.pendingCommands.shift();
      if (!pending) return;
      const handler = handlerFor(pending.command.type);
      const needs = needsOf(handler);
      if ((allowed === 'nothing' && needs !== 'nothing') || (allowed === 'sql' && needs === 'prisma')) throw new NeedsPrismaError();
      const result = await handler(pending.command, { ...ctx, locale: turn.locale });
      turn.deliverResult(pending.flow, pending.command.type, result);
    };

    // Commands that touch no store run first, outside any transaction (they have no effects to roll back).
    // (Handlers get only what they declared they need: `runNext` checks before calling.)
    const outside = base as CommandContext;
    while (turn.pendingCommands.length > 0 && needsOf(handlerFor(turn.pendingCommands[0]!.command.type)) === 'nothing') {
      await runNext(outside, 'nothing');
    }

    // The rest run with the snapshot's save in one transaction. Commands write before the snapshot is saved, so
    // the compare-and-set alone comes too late when two processes run the same message at once (Telegram retried a
    // slow webhook): both would write, and a unique key (one ticket per draft) would fail the second with an error
    // for the user. The first to lock the chat goes on; the other waits, finds the revision moved, and retries
    // (then as a duplicate).
    const inTransaction = async (db: SqlExecutor, ctx: CommandContext, allowed: Needs): Promise<void> => {
      if (expected > 0 && !(await lockChat(db, key, expected))) throw new ConcurrentTurnError(key, expected);
      while (turn.pendingCommands.length > 0) await runNext(ctx, allowed);
      if (!(await saveChat(db, write(), expected))) throw new ConcurrentTurnError(key, expected);
    };
    if (turn.pendingCommands.length === 0) {
      if (!(await saveChat(store, write(), expected))) throw new ConcurrentTurnError(key, expected);
    } else if (!prismaNeeded && !turn.pendingCommands.some((p) => needsOf(handlerFor(p.command.type)) === 'prisma')) {
      await store.transaction((sql) => inTransaction({ sql }, { ...base, sql } as CommandContext, 'sql'));
    } else {
      await store.prisma.$transaction((tx) => inTransaction({ tx }, { ...base, tx, sql: prismaSql(tx) }, 'prisma'), {
        timeout: 30_000,
        maxWait: 30_000,
      });
    }
    return { chatKey: key, locale: turn.locale, messages: turn.finish(), duplicate: false };
  }
}

function toLocale(value: string, fallback: Locale): Locale {
  return value === 'id' || value === 'en' ? value : fallback;
}

interface ActiveFlow {
  definition: FlowDefinition;
  actor: Actor<AnyStateMachine>;
  failed: unknown;
}

/** The in-memory work of one turn: the active flow's actor, the replies and the commands it emitted. */
class Turn {
  locale: Locale;
  readonly replies: OutboundMessage[] = [];
  readonly pendingCommands: Array<{ flow: ActiveFlow; command: FlowCommand }> = [];
  prompt: OutboundMessage | null;
  private active: ActiveFlow | undefined;
  private repeatPrompt = false;
  private readonly previousPrompt: OutboundMessage | null;
  /** What the chat keeps of each flow between its runs (see `FlowDefinition.remember`), by flow id. */
  private readonly remembered: Record<string, unknown>;
  /** True once this turn changed what is kept: only then does the save write it. */
  private rememberedChanged = false;
  /** True once this turn kept a flow's draft (and said so). */
  private keptNow = false;
  /** No chat was stored: whatever it sent first, it is greeted and told what is kept of it (the privacy notice). */
  private readonly newChat: boolean;

  constructor(
    private readonly flows: Map<FlowId, FlowDefinition>,
    private readonly logger: Logger,
    private readonly chatKey: string,
    private readonly at: string,
    chat: ChatState | null,
    defaultLocale: Locale,
  ) {
    this.locale = chat ? toLocale(chat.locale, defaultLocale) : defaultLocale;
    this.newChat = chat === null;
    this.previousPrompt = (chat?.prompt as OutboundMessage | null) ?? null;
    this.prompt = this.previousPrompt;
    const memory = chat?.memory;
    this.remembered = memory !== null && typeof memory === 'object' && !Array.isArray(memory) ? { ...(memory as Record<string, unknown>) } : {};
    if (chat) {
      this.active = this.restore(chat);
      if (!this.active) {
        this.replies.push(say('common.flowReset'));
        this.prompt = null;
      }
    }
  }

  get flowId(): FlowId {
    return this.active?.definition.id ?? 'menu';
  }

  get flowVersion(): number {
    return this.active?.definition.version ?? 1;
  }

  /** Routes and sends the user's event; `pressedPrompt` as in {@link TurnHints}. */
  receive(event: InboundEvent, pressedPrompt?: string | null): void {
    if (pressedPrompt !== undefined && (pressedPrompt === null || !this.active || promptTag(this.prompt) !== pressedPrompt)) {
      this.replies.push(say(STALE_BUTTON_KEY));
      this.repeatPrompt = true;
      if (!this.active) this.start('menu', { intro: 'greet' });
      this.settle();
      return;
    }
    const decision = route(event, { flow: this.active?.definition.id, prompt: this.active ? this.prompt : null });
    switch (decision.type) {
      case 'forward':
        this.send(decision.event);
        break;
      case 'startFlow':
        if (decision.cancel && this.confirmsCancel()) this.askToLeave(decision.flow, 'cancel');
        else if (decision.confirm && this.hasUnsavedWork()) this.askToLeave(decision.flow, 'switch', decision.params);
        else this.startFirst(decision.flow, decision.params);
        break;
      case 'leaveFlow':
        if (!decision.cancelled) this.keepDraft(decision.flow);
        this.start(decision.flow, decision.flow === 'menu' ? { intro: decision.cancelled ? 'cancelled' : 'none' } : (decision.params ?? {}));
        break;
      case 'stayInFlow': {
        const resume = this.prompt?.type === 'text' ? (this.prompt.resume as OutboundMessage | undefined) : undefined;
        this.replies.push(say('common.leaveStay'));
        if (resume) {
          // The flow's question again, and what it shows with it (the report's summary), as a language switch does.
          this.prompt = resume;
          this.repeatPrompt = true;
          if (this.active) this.send({ type: 'system.localeChanged', at: this.at });
        }
        break;
      }
      case 'toggleLocale':
        this.setLocale(this.locale === 'id' ? 'en' : 'id');
        break;
      case 'setLocale':
        this.setLocale(decision.locale);
        break;
      case 'help': {
        if (!this.active) {
          // A chat's very first message asks for help: the greeting and the menu, then the help asked for.
          this.start('menu', { intro: 'greet' });
          this.settle();
          this.replies.push(say('common.help'));
          break;
        }
        const before = this.replies.length;
        this.send(decision.event);
        if (this.replies.length === before) this.replies.push(say('common.help'));
        this.repeatPrompt = true;
        break;
      }
      case 'inform':
        if (decision.lead) this.replies.push(say(decision.lead));
        this.replies.push(say(decision.key, decision.params));
        this.repeatPrompt = true;
        break;
      case 'unknownCommand':
        // The list itself, not a pointer to /bantuan: inside a flow, /bantuan explains the question on screen.
        this.replies.push(say('common.unknownCommand', { command: decision.name.slice(0, 32) }), say('common.help'));
        this.repeatPrompt = true;
        break;
    }
    // A chat seen for the first time always ends its first turn in a flow (the menu), whatever it sent.
    if (!this.active) this.start('menu', { intro: 'greet' });
    this.settle();
  }

  /**
   * Starts a flow asked for by a command or a phrase. A chat's first message that is a command (`/lapor`, `/kuis`, a
   * `/start` link to the quiz) is greeted first, with the privacy notice, as any other first message is by the menu.
   */
  private startFirst(flow: FlowId, params: Record<string, unknown>): void {
    if (this.newChat && flow === 'menu') {
      this.start(flow, { ...params, intro: 'greet' });
      return;
    }
    if (this.newChat) this.replies.push(say('menu.greeting'), say('menu.privacyNotice'));
    this.start(flow, params);
  }

  /** Welcomes back to the question on screen and shows it again, with what the flow shows with it. */
  showAgain(): void {
    this.replies.push(say('menu.welcomeBack'));
    this.repeatPrompt = true;
    if (!this.active) this.start('menu', { intro: 'none' });
    else if (!isLeaveQuestion(this.prompt)) this.send({ type: 'system.localeChanged', at: this.at });
    this.settle();
  }

  /** Sends a command's result back to the flow that asked for it (if it is still the active one). */
  deliverResult(flow: ActiveFlow, command: string, result: unknown): void {
    if (flow !== this.active) return;
    this.send({ type: 'system.commandResult', at: this.at, command, result } as InboundEvent);
    this.settle();
  }

  /** The active flow's snapshot as stored (JSON). */
  persist(): unknown {
    return this.active ? this.active.actor.getPersistedSnapshot() : null;
  }

  /** What the chat keeps of its flows, the active one's read from its snapshot now; undefined when unchanged. */
  memory(): Record<string, unknown> | undefined {
    if (this.active) this.keep(this.active);
    return this.rememberedChanged ? this.remembered : undefined;
  }

  private keep(active: ActiveFlow): void {
    const remember = active.definition.remember;
    if (!remember || active.failed !== undefined) return;
    const snapshot = active.actor.getSnapshot();
    const kept = snapshot.status === 'active' || snapshot.status === 'done' ? remember(snapshot) : undefined;
    const id = active.definition.id;
    if (kept === undefined || JSON.stringify(kept) === JSON.stringify(this.remembered[id])) return;
    this.remembered[id] = kept;
    this.rememberedChanged = true;
  }

  /** The replies to deliver, ending with the question on screen when it must be shown again. */
  finish(): OutboundMessage[] {
    const askedNow = this.replies.some((m) => m.type === 'text' && m.prompt);
    if (this.replies.length === 0 && this.prompt) {
      this.replies.push(say('common.notUnderstood'));
      this.repeatPrompt = true;
    }
    if (this.repeatPrompt && !askedNow && this.prompt) this.replies.push(this.prompt);
    return this.replies;
  }

  private confirmsCancel(): boolean {
    if (!this.active?.definition.confirmsCancel) return false;
    const snapshot = this.active.actor.getSnapshot();
    return snapshot.status === 'active' && this.active.definition.confirmsCancel(snapshot);
  }

  private hasUnsavedWork(): boolean {
    if (!this.active?.definition.hasUnsavedWork) return false;
    const snapshot = this.active.actor.getSnapshot();
    return snapshot.status === 'active' && this.active.definition.hasUnsavedWork(snapshot);
  }

  /**
   * Asks before a command throws away the user's work. The flow is left as it is; its question travels with ours
   * (`resume`) so "stay" can ask it again. Of a command's arguments, only what the flow it starts lets ride in the
   * button's value is kept (`carriedArgs`: a topic, a code; never a receipt).
   */
  private askToLeave(flow: FlowId, why: 'switch' | 'cancel' = 'switch', params: Record<string, unknown> = {}): void {
    const cancel = why === 'cancel';
    const snapshot = this.active?.actor.getSnapshot();
    const own = snapshot?.status === 'active' ? this.active?.definition.leaveQuestion?.(snapshot, why, { flow, params }) : undefined;
    // The same flow's command again ("/kuis" in the quiz) starts it over: said so, rather than "switch".
    const restart = !cancel && flow === this.flowId && params.certificate !== true;
    const key = own?.key ?? (cancel ? CANCEL_QUESTION_KEY : restart ? 'common.restartConfirm' : 'common.leaveConfirm');
    const yes = cancel ? 'common.cancelYes' : own ? (own.yes ?? 'common.leaveYes') : restart ? 'common.restartYes' : 'common.leaveYes';
    const carried = this.flows.get(flow)?.carriedArgs?.(params);
    const question = ask(key, { ...own?.params, flow: { key: `common.flowNames.${this.flowId}` } }, [
      choice(leaveValue(flow, params, carried), yes),
      choice(STAY_VALUE, 'common.leaveNo'),
    ]);
    const resume = this.prompt?.type === 'text' && this.prompt.resume ? this.prompt.resume : this.prompt;
    this.replies.push({ ...question, ...(resume ? { resume } : {}) } as OutboundMessage);
  }

  /** Keeps the active flow's unfinished work as it is left for `target`, when the flow keeps drafts. */
  private keepDraft(target: FlowId): void {
    const active = this.active;
    if (!active?.definition.keepsDraft || target === active.definition.id || !this.hasUnsavedWork()) return;
    // The question on screen is ours (leave the flow?): the flow's own travels with it.
    const asked = this.prompt?.type === 'text' && this.prompt.resume ? this.prompt.resume : this.prompt;
    this.remembered[KEPT_DRAFT_PREFIX + active.definition.id] = {
      snapshot: active.actor.getPersistedSnapshot(),
      prompt: asked ?? null,
      version: active.definition.version,
      keptAt: this.at,
    };
    this.rememberedChanged = true;
    this.keptNow = true;
    this.replies.push(say(active.definition.keepsDraft.kept));
  }

  /**
   * Starts a flow from the draft kept for it, if there is one that still fits the flow, and says so; the draft is no
   * longer kept either way (one that no longer fits starts the flow afresh).
   */
  private resumeDraft(definition: FlowDefinition): boolean {
    const slot = KEPT_DRAFT_PREFIX + definition.id;
    if (!definition.keepsDraft || this.remembered[slot] === undefined) return false;
    const kept = keptDraftSchema.safeParse(this.remembered[slot]);
    delete this.remembered[slot];
    this.rememberedChanged = true;
    if (!kept.success || !this.restoreSnapshot(definition, kept.data.version, kept.data.snapshot)) {
      // Netra was updated meanwhile and the draft no longer fits the flow: said, rather than a silent fresh start.
      this.replies.push(say('common.draftNotResumed'));
      return false;
    }
    this.replies.push(say(definition.keepsDraft.resumed));
    this.prompt = (kept.data.prompt as OutboundMessage | null) ?? null;
    this.repeatPrompt = true;
    // The flow may ask afresh (the evidence with its count, the summary with its question) or step back from a
    // question that should not greet a returning user; else the question kept is asked again.
    this.send({ type: 'system.resumed', at: this.at });
    return true;
  }

  /**
   * The text that says a flow's unfinished work is kept, when one is that can still go on; not in the turn that kept it
   * (leaving for the menu has just said so).
   */
  private draftWaiting(): string | undefined {
    if (this.keptNow) return undefined;
    for (const definition of this.flows.values()) {
      if (definition.keepsDraft && keptDraftFits(definition, this.remembered[KEPT_DRAFT_PREFIX + definition.id])) return definition.keepsDraft.waiting;
    }
    return undefined;
  }

  private setLocale(locale: Locale): void {
    // "/bahasa english" in English changes nothing, and says so rather than "switched".
    const already = locale === this.locale;
    this.locale = locale;
    this.replies.push(say(already ? 'common.languageAlready' : 'common.languageChanged'));
    this.repeatPrompt = true;
    // A flow that shows more than its question (the report's summary) shows it again in the new language; not while
    // the question on screen is ours (leave the flow?), which is asked again instead.
    if (this.active && !isLeaveQuestion(this.prompt)) this.send({ type: 'system.localeChanged', at: this.at });
  }

  private send(event: InboundEvent): void {
    if (!this.active) {
      this.start('menu', { intro: 'greet' });
      return;
    }
    this.active.actor.send(event);
  }

  private start(flowId: FlowId, params: Record<string, unknown>): void {
    this.stopActive();
    const definition = this.flows.get(flowId);
    if (!definition) {
      this.replies.push(say('common.notAvailable'));
      this.start('menu', { intro: 'none' });
      return;
    }
    this.prompt = null;
    if (this.resumeDraft(definition)) return;
    // The menu says that a draft is kept, and how to go on with it.
    const waiting = flowId === 'menu' ? this.draftWaiting() : undefined;
    const given = waiting ? { ...params, waiting } : params;
    const remembered = this.remembered[flowId];
    this.active = this.spawn(definition, { input: { at: this.at, params: given, ...(remembered === undefined ? {} : { remembered }) } });
    this.active.actor.start();
  }

  private restore(chat: ChatState): ActiveFlow | undefined {
    const definition = this.flows.get(chat.flow as FlowId);
    return definition ? this.restoreSnapshot(definition, chat.flowVersion, chat.snapshot) : undefined;
  }

  /** Makes a stored snapshot the active flow, if it still fits the flow's version and context; else none is active. */
  private restoreSnapshot(definition: FlowDefinition, version: number, stored: unknown): ActiveFlow | undefined {
    if (!snapshotFits(definition, version, stored)) return undefined;
    try {
      // Restoring resolves the stored state value against the machine: one that no longer exists throws here.
      const active = this.spawn(definition, { snapshot: stored as never, input: { at: this.at, params: {} } });
      active.actor.start();
      if (!active.failed) return active;
    } catch (error) {
      this.logger.warn({ chat: chatRef(this.chatKey), flow: definition.id, err: describe(error) }, 'stored snapshot no longer fits its flow');
    }
    this.active = undefined;
    return undefined;
  }

  private spawn(definition: FlowDefinition, options: { input: unknown; snapshot?: never }): ActiveFlow {
    const actor = createActor(definition.machine, options);
    const active: ActiveFlow = { definition, actor, failed: undefined };
    actor.on('reply', (e: FlowEmitted) => {
      if (e.type === 'reply' && active === this.active) this.replies.push(e.message);
    });
    actor.on('command', (e: FlowEmitted) => {
      if (e.type !== 'command' || active !== this.active) return;
      if (e.command.type === 'toggleLocale') this.setLocaleQuietly(this.locale === 'id' ? 'en' : 'id');
      else if (e.command.type === 'setLocale') this.setLocaleQuietly(e.command.locale === 'en' ? 'en' : 'id');
      else this.pendingCommands.push({ flow: active, command: e.command });
    });
    actor.subscribe({ error: (error) => (active.failed = error) });
    this.active = active;
    return active;
  }

  private setLocaleQuietly(locale: Locale): void {
    this.locale = locale;
    this.replies.push(say('common.languageChanged'));
  }

  /** Follows finished flows to the next one and recovers from a failed flow. */
  private settle(): void {
    for (let hop = 0; hop < MAX_FLOW_HOPS && this.active; hop += 1) {
      const active = this.active;
      if (active.failed !== undefined) {
        const error = new FlowError(active.definition.id, active.failed);
        this.logger.error({ chat: chatRef(this.chatKey), flow: active.definition.id, err: describe(error) }, 'flow failed');
        this.replies.push(say('common.flowReset'));
        this.pendingCommands.length = 0;
        this.start('menu', { intro: 'none' });
        continue;
      }
      const snapshot = active.actor.getSnapshot();
      if (snapshot.status !== 'done') break;
      const output = (snapshot.output ?? {}) as FlowOutput;
      const next = output.next ?? { flow: 'menu' as const, params: { intro: 'none' } };
      this.start(next.flow, next.params ?? {});
    }
    const latest = [...this.replies].reverse().find((m) => m.type === 'text' && m.prompt);
    if (latest) this.prompt = latest;
  }

  private stopActive(): void {
    if (this.active) {
      const stopping = this.active;
      this.keep(stopping);
      this.active = undefined;
      stopping.actor.stop();
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Makes every string of an inbound event storable: a NUL or a lone UTF-16 surrogate (which a JavaScript client can
 * hand over) cannot be kept in PostgreSQL text or jsonb, so a flow that remembered one could never save again.
 * NUL carries no meaning and is dropped; a lone surrogate becomes U+FFFD, as a decoder would make it.
 */
function wellFormed<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\uFFFD') as T;
  if (Array.isArray(value)) return value.map(wellFormed) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wellFormed(v)])) as T;
  }
  return value;
}
