/**
 * Telegram as a channel, the wiring: telegraf receives updates (long polling, or the webhook on Netra's HTTP
 * server), the adapter says what each one is, files are fetched and stored before the turn, the runtime runs the
 * turn, and the replies go out through the send queue (Telegram's rate limits, retries, blocked users).
 *
 * Citizens are served in private chats only. Groups belong to modules that hook in (officers): group commands,
 * callback prefixes and a catch-all for group updates; without a hook the bot stays silent in groups.
 */
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { Input, Telegraf, TelegramError, type Telegram } from 'telegraf';
import type { Update, User } from 'telegraf/types';
import type { Locale } from '../../../content/locales/index.ts';
import { say, type OutboundMessage, type UnstampedUserEvent } from '../../../flows/messages.ts';
import type { App } from '../../app.ts';
import { loadChat } from '../../conversation/chatRepository.ts';
import { STALE_BUTTON_KEY, type ChatRef, type TurnHints, type TurnResult } from '../../conversation/conversationRuntime.ts';
import { KeyedQueue } from '../../conversation/keyedQueue.ts';
import { promptTag } from '../../conversation/promptTag.ts';
import { DeliveryError } from '../../errors.ts';
import type { HealthCheckResult, HealthRegistry } from '../../http/health.ts';
import type { HttpServer } from '../../http/httpServer.ts';
import type { Metrics } from '../../http/metrics.ts';
import { toPlainText } from '../../i18n.ts';
import { chatRef } from '../../logger.ts';
import { within } from '../../jobs/timeouts.ts';
import { storeMedia } from '../../media/mediaStore.ts';
import { DocumentCleaningUnavailableError } from '../../media/documentCleaning.ts';
import type { ChannelSender } from '../channelSender.ts';
import { leanCallApi, type BotApiTarget } from './botApiClient.ts';
import { botCommands } from './botCommands.ts';
import { fitCallbackAnswer } from './callbackAnswer.ts';
import { choiceData, customPrefixPattern, reservedPrefixes } from './callbackData.ts';
import { BOT_API_DOWNLOAD_LIMIT, downloadTelegramFile, FileTooLargeError } from './fileDownload.ts';
import { SendQueue, type RetryPolicy, type SendLimits } from './sendQueue.ts';
import {
  choiceKeyboard,
  chosenEdit,
  DEFAULT_PAGE_SIZE,
  htmlToEntities,
  joinTexts,
  renderOutbound,
  toInboundEvent,
  type IncomingTelegramFile,
  type RenderOptions,
  type TelegramCall,
  type TelegramChat,
  type TelegramInbound,
} from './telegramAdapter.ts';
import { createWebhookHandler, type WebhookAnswer } from './telegramWebhook.ts';

/** Update types Netra asks Telegram for. */
export const allowedUpdates = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

/** How the channel receives updates and paces what it sends. */
export interface TelegramChannelOptions {
  token: string;
  /** A self-hosted Bot API server (or the tests' fake); default https://api.telegram.org. */
  apiRoot?: string;
  /** Receive updates on Netra's HTTP server instead of long polling. */
  webhook?: { url: string; secret: string; server: HttpServer; maxConnections?: number };
  metrics?: Metrics;
  health?: HealthRegistry;
  /** Telegram's flood limits (default), other figures, or `false` for none (order per chat is always kept). */
  limits?: SendLimits | false;
  retry?: Partial<RetryPolicy>;
  /** Largest file fetched from users (default: the Bot API's 20 MB). */
  maxFileBytes?: number;
  /** Choices per keyboard page. */
  pageSize?: number;
  /** Register the command menu with setMyCommands at start (default true). */
  registerCommands?: boolean;
}

/** What a hook sees of an update. */
export interface TelegramHookContext {
  readonly channel: TelegramChannel;
  readonly update: Update;
  readonly inbound: TelegramInbound;
  readonly chat: TelegramChat;
  /** The chat id as the sender and the outbox use it. Personal data: never log it. */
  readonly chatId: string;
  readonly from: User | undefined;
  /** Answers the button press (once); the channel answers with nothing if the hook did not. */
  answer(text?: string, options?: { alert?: boolean }): Promise<void>;
  /** Sends messages to this chat through the queue; resolves when delivered. */
  reply(messages: OutboundMessage[], locale: Locale, options?: RenderOptions): Promise<void>;
}

/** Handles a command (`/hubungkan args`): `args` is the text after the command. */
export type TelegramCommandHandler = (ctx: TelegramHookContext, args: string) => Promise<void> | void;
/** Handles a press on a button whose data is `<prefix>:<payload>`. */
export type TelegramCallbackHandler = (ctx: TelegramHookContext, payload: string) => Promise<void> | void;
/** Sees an update before the default handling; returning true means it was handled. */
export type TelegramUpdateHandler = (ctx: TelegramHookContext) => Promise<boolean | void> | boolean | void;

/** Where a command hook applies. */
export type CommandScope = 'group' | 'private' | 'any';

type State = 'created' | 'running' | 'stopping' | 'stopped' | 'failed';

/** Netra's Telegram channel. Create it, `start()` it; `stop()` (or `app.close()`) drains it. */
export class TelegramChannel implements ChannelSender {
  readonly channel = 'telegram' as const;
  readonly bot: Telegraf;
  private readonly queue: SendQueue;
  private readonly chatQueue = new KeyedQueue();
  private readonly commands = new Map<string, { scope: CommandScope; handler: TelegramCommandHandler }>();
  private readonly callbackHandlers = new Map<string, TelegramCallbackHandler>();
  private readonly groupHandlers: TelegramUpdateHandler[] = [];
  private readonly privateHandlers: TelegramUpdateHandler[] = [];
  private readonly cleanups: Array<() => void> = [];
  private readonly maxFileBytes: number;
  private readonly pageSize: number;
  private readonly dataDir: string;
  private readonly agent: http.Agent;
  private state: State = 'created';
  private polling: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private inFlight = 0;
  private readonly idleWaiters: Array<() => void> = [];
  /** Work updates leave to run after their turns, in order per chat (see {@link afterTurn}). */
  private readonly afterTurns = new KeyedQueue();
  private lastApiOkAt = 0;
  private lastApiFailure: { at: number; code: string } | undefined;
  private readonly failureListeners: Array<(error: unknown) => void> = [];

  constructor(
    private readonly app: App,
    private readonly options: TelegramChannelOptions,
  ) {
    const apiRoot = options.apiRoot ?? 'https://api.telegram.org';
    const agent = (this.agent = apiRoot.startsWith('http:')
      ? new http.Agent({ keepAlive: true, keepAliveMsecs: 10_000 })
      : new https.Agent({ keepAlive: true, keepAliveMsecs: 10_000 }));
    this.bot = new Telegraf(options.token, {
      telegram: { apiRoot, agent, webhookReply: false },
      // Our own timeouts bound a turn (downloads); telegraf's would only log and leave it running.
      handlerTimeout: 300_000,
    });
    this.observeApiCalls(this.bot.telegram, { apiRoot, token: options.token, agent });
    this.maxFileBytes = options.maxFileBytes ?? BOT_API_DOWNLOAD_LIMIT;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.dataDir = path.resolve(app.dataDir);
    this.queue = new SendQueue({
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.retry ? { retry: options.retry } : {}),
      onAttemptError: (code) => options.metrics?.sendErrors.inc({ channel: 'telegram', code }),
      onBlocked: (chatId) => void this.markUnreachable(chatId, true),
    });
    this.bot.use((ctx) => this.handleUpdate(ctx.update));
    this.bot.catch((error) => this.app.logger.error({ err: describe(error, options.token) }, 'telegram update failed'));
    app.onClose(() => this.stop());
  }

  /** The Bot API client (for modules that need a call the channel does not offer). */
  get telegram(): Telegram {
    return this.bot.telegram;
  }

  /** Messages queued or in flight. */
  get queueDepth(): number {
    return this.queue.depth;
  }

  /** Starts receiving: resolves once polling runs or the webhook is set. Rejects on a bad token or API root. */
  async start(): Promise<void> {
    if (this.state !== 'created') throw new Error(`Telegram channel already ${this.state}`);
    this.bot.botInfo = await this.telegram.getMe();
    this.app.links.telegramBot = this.bot.botInfo.username;
    if (this.options.registerCommands !== false) await this.registerCommandMenu();
    this.app.senders.set('telegram', this);
    if (this.options.metrics) this.cleanups.push(this.options.metrics.trackQueueDepth('telegram', () => this.queue.depth));
    if (this.options.health) this.cleanups.push(this.options.health.register('telegram', () => this.health()));

    const { webhook } = this.options;
    if (webhook) {
      const route = new URL(webhook.url).pathname || '/';
      this.cleanups.push(
        webhook.server.route(
          'POST',
          route,
          createWebhookHandler({
            secret: webhook.secret,
            // Straight to the channel: telegraf's dispatch would build a client, a context and a 300 s timer per
            // update that the channel does not use (it has its own ordering and error handling).
            // A button's answer (answerCallbackQuery) rides in the webhook's response: one Bot API request less
            // per press. Its result is of no use (the spinner stops either way), so nothing is lost by not seeing it.
            handle: (update) => this.handleUpdate(update, { answerInResponse: true }),
            accepting: () => this.state === 'running',
          }),
        ),
      );
      this.state = 'running';
      await this.telegram.setWebhook(webhook.url, {
        secret_token: webhook.secret,
        allowed_updates: [...allowedUpdates],
        ...(webhook.maxConnections ? { max_connections: webhook.maxConnections } : {}),
      });
      this.app.logger.info({ mode: 'webhook', bot: this.bot.botInfo.username }, 'telegram channel started');
      return;
    }
    await new Promise<void>((started, failed) => {
      this.polling = this.bot.launch({ allowedUpdates: [...allowedUpdates] }, () => {
        this.state = 'running';
        started();
      });
      this.polling.then(
        () => undefined,
        (error: unknown) => {
          const wasRunning = this.state === 'running';
          if (this.state !== 'stopping' && this.state !== 'stopped') this.state = 'failed';
          this.app.logger.error({ err: describe(error, this.options.token) }, 'telegram polling stopped');
          if (wasRunning) for (const listener of this.failureListeners) listener(error);
          failed(error);
        },
      );
    });
    this.app.logger.info({ mode: 'polling', bot: this.bot.botInfo.username }, 'telegram channel started');
  }

  /** Called if receiving fails for good after start (polling refused: another instance, a revoked token). */
  onFailure(listener: (error: unknown) => void): void {
    this.failureListeners.push(listener);
  }

  /**
   * Stops gracefully: no more updates are fetched (the webhook answers 503, so Telegram keeps them), the updates
   * in progress finish their turns, and the send queue is drained (up to `timeoutMs`).
   */
  stop(options: { timeoutMs?: number } = {}): Promise<void> {
    this.stopping ??= this.shutdown(options.timeoutMs ?? 30_000);
    return this.stopping;
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    const wasRunning = this.state === 'running';
    if (this.state !== 'failed') this.state = 'stopping';
    if (this.polling) {
      if (wasRunning) {
        try {
          this.bot.stop('shutdown');
        } catch {
          // Polling had already ended.
        }
      }
      await this.polling.catch(() => undefined);
    }
    await this.idle();
    await this.app.runtime.drain();
    const deadline = Date.now() + timeoutMs;
    await within(this.afterTurns.drain(), timeoutMs);
    if (!(await this.queue.drain(Math.max(0, deadline - Date.now())))) {
      this.app.logger.warn({ pending: this.queue.depth }, 'telegram send queue not drained in time');
    }
    if (this.app.senders.get('telegram') === this) this.app.senders.delete('telegram');
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    // Kept-alive connections to the Bot API would otherwise keep the process running.
    this.agent.destroy();
    this.state = 'stopped';
  }

  // ----- hooks for other modules -----

  /**
   * Handles commands by name (without the slash; `/name@bot` works too). Group commands are the officers' way in
   * (`/hubungkan`, `/tiket`); a private one takes precedence over the conversation's commands.
   */
  registerCommand(names: string[], handler: TelegramCommandHandler, options: { scope?: CommandScope } = {}): void {
    for (const name of names) this.commands.set(name.toLowerCase(), { scope: options.scope ?? 'group', handler });
  }

  /** Handles presses on buttons whose data is `<prefix>:<payload>` (in any chat). */
  registerCallbackPrefix(prefix: string, handler: TelegramCallbackHandler): void {
    if (!customPrefixPattern.test(prefix) || reservedPrefixes.has(prefix)) {
      throw new Error(`Callback prefix "${prefix}" is reserved or malformed`);
    }
    this.callbackHandlers.set(prefix, handler);
  }

  /** Sees every group update no command or callback hook took. */
  onGroupUpdate(handler: TelegramUpdateHandler): void {
    this.groupHandlers.push(handler);
  }

  /** Sees private updates before the conversation does; returning true means handled. */
  onPrivateUpdate(handler: TelegramUpdateHandler): void {
    this.privateHandlers.push(handler);
  }

  // ----- sending -----

  /**
   * Delivers messages to a chat through the queue (ChannelSender, used by the outbox worker). Resolves when all
   * are delivered; rejects with a DeliveryError (permanent for a blocked user: the chat is marked unreachable).
   */
  async send(chatId: string, messages: OutboundMessage[], locale: Locale, options: RenderOptions = {}): Promise<void> {
    await Promise.all(this.deliver(chatId, messages, locale, options));
  }

  /**
   * Runs work an update leaves for after its turn (an officer's notices, which a group receives at Telegram's pace of
   * about 20 messages a minute), so that it holds neither the update's answer nor the chat's next update. A chat's
   * work runs in the order it was left; a graceful stop waits for it as it waits for the send queue, within the
   * same time.
   */
  afterTurn(chatId: string, task: () => Promise<void>): void {
    this.afterTurns.run(chatId, task).catch((error: unknown) => {
      this.app.logger.warn({ err: describe(error, this.options.token) }, 'telegram work after a turn failed');
    });
  }

  /** Runs any Bot API call for a chat through the queue (its order, pacing and retries). */
  enqueue<T>(chatId: string, call: (telegram: Telegram) => Promise<T>): Promise<T> {
    return this.queue.enqueue(chatId, () => call(this.telegram));
  }

  private deliver(chatId: string, messages: OutboundMessage[], locale: Locale, options: RenderOptions = {}): Array<Promise<void>> {
    const calls = joinTexts(messages.flatMap((m) => renderOutbound(m, this.app.renderer, locale, { pageSize: this.pageSize, ...options })));
    return calls.map((call) => this.queue.enqueue(chatId, () => this.perform(chatId, call)));
  }

  private async perform(chatId: string, call: TelegramCall): Promise<void> {
    const extra = { parse_mode: 'HTML' as const };
    try {
      switch (call.method) {
        case 'sendMessage':
          await this.telegram.sendMessage(chatId, call.text, {
            ...extra,
            link_preview_options: { is_disabled: true },
            ...(call.keyboard ? { reply_markup: call.keyboard } : {}),
          });
          break;
        case 'sendDocument':
          await this.telegram.sendDocument(chatId, Input.fromLocalFile(this.resolveFile(call.path), call.fileName), {
            ...extra,
            ...(call.caption ? { caption: call.caption } : {}),
          });
          break;
        case 'sendPhoto':
          await this.telegram.sendPhoto(chatId, Input.fromLocalFile(this.resolveFile(call.path)), {
            ...extra,
            ...(call.caption ? { caption: call.caption } : {}),
          });
          break;
      }
    } catch (error) {
      // A text whose markup Telegram refuses is still worth delivering: send it as plain text.
      if (call.method === 'sendMessage' && error instanceof TelegramError && /can't parse entities/i.test(error.description)) {
        this.app.logger.warn({ err: error.description }, 'telegram refused the markup; sent as plain text');
        await this.telegram.sendMessage(chatId, toPlainText(call.text), {
          ...(call.keyboard ? { reply_markup: call.keyboard } : {}),
        });
      } else {
        throw error;
      }
    }
    this.options.metrics?.sent.inc({ channel: 'telegram', method: call.method });
  }

  private resolveFile(relative: string): string {
    const absolute = path.resolve(this.dataDir, relative);
    if (path.relative(this.dataDir, absolute).startsWith('..')) throw new DeliveryError('File outside the data directory', true);
    return absolute;
  }

  // ----- receiving -----

  /**
   * Handles one update (polling and the webhook both end here; the benchmark may call it directly). Resolves
   * when the update's turn is committed and its replies are queued; never rejects. With `answerInResponse`, a
   * button press is answered by the value it resolves to (for the webhook's response body) instead of by an
   * answerCallbackQuery request.
   */
  handleUpdate(update: Update, options: { answerInResponse?: boolean } = {}): Promise<WebhookAnswer | undefined> {
    const started = performance.now();
    const inbound = toInboundEvent(update, this.bot.botInfo ? { botUsername: this.bot.botInfo.username } : {});
    // Group service messages (a member joined, the group became a supergroup) still go to the group hooks.
    const forGroups = inbound.chat?.type === 'group' || inbound.chat?.type === 'supergroup';
    if (!inbound.chat || inbound.chat.type === 'channel' || (inbound.type === 'ignored' && !forGroups)) {
      this.count('ignored');
      return Promise.resolve(undefined);
    }
    const chatId = String(inbound.chat.id);
    const located = inbound as TelegramInbound & { chat: TelegramChat };
    const answers: { held?: WebhookAnswer } | undefined = options.answerInResponse ? {} : undefined;
    this.inFlight += 1;
    // One chat's updates run in arrival order: a batch from getUpdates arrives all at once, and a photo's
    // download must not let the text after it overtake it.
    return this.chatQueue
      .run(chatId, () => this.process(update, located, chatId, started, answers))
      .catch((error: unknown) => {
        this.app.logger.error({ err: describe(error, this.options.token) }, 'telegram update failed');
      })
      .then(() => answers?.held)
      .finally(() => {
        this.inFlight -= 1;
        if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      });
  }

  private idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async process(
    update: Update,
    inbound: TelegramInbound & { chat: TelegramChat },
    chatId: string,
    started: number,
    answers?: { held?: WebhookAnswer },
  ): Promise<void> {
    const ctx = this.hookContext(update, inbound, chatId, answers);
    try {
      if (inbound.chat.type !== 'private') {
        this.count('group');
        await this.dispatchGroup(ctx);
        return;
      }
      if (await this.dispatchPrivateHooks(ctx)) return;
      const ref: ChatRef = { channel: 'telegram', chatId };
      switch (inbound.type) {
        case 'edited':
          this.count('edited');
          await this.politeNotice(ref, 'telegram.editedIgnored');
          return;
        case 'membership':
          this.count('membership');
          await this.onMembership(update, chatId);
          return;
        case 'callback':
          this.count('callback');
          await this.onPress(ctx, inbound, ref, started);
          return;
        case 'file':
          this.count('file');
          this.queue.unblock(chatId);
          // A chat over its message limit gets its usual answer from the runtime without the file being fetched.
          const event: UnstampedUserEvent = (await this.app.runtime.overLimit(ref))
            ? { type: 'user.sendUnavailableMedia', kind: inbound.file.kind, reason: 'downloadFailed' }
            : await this.fileEvent(inbound.file);
          await this.runTurn(ref, event, update, started);
          return;
        case 'event':
          this.count('message');
          this.queue.unblock(chatId);
          await this.runTurn(ref, inbound.event, update, started);
          return;
      }
    } catch (error) {
      this.count('error');
      const key = this.app.runtime.chatKey({ channel: 'telegram', chatId });
      this.app.logger.error({ chat: chatRef(key), err: describe(error, this.options.token) }, 'telegram turn failed');
      if (inbound.chat.type === 'private') this.fireAndForget(chatId, [say('common.error')], this.app.config.NETRA_DEFAULT_LOCALE);
    } finally {
      await ctx.answer().catch(() => undefined);
    }
  }

  private async runTurn(
    ref: ChatRef,
    event: UnstampedUserEvent,
    update: Update,
    started: number,
    hints: TurnHints = {},
    /** Runs before the replies are queued; returns the replies still to send (it may have shown some otherwise). */
    beforeReplies?: (result: TurnResult) => OutboundMessage[],
  ): Promise<void> {
    const language = languageOf(update);
    const result = await this.app.runtime.handle(ref, event, `tg:${update.update_id}`, language ? { ...hints, locale: language } : hints);
    this.options.metrics?.turnSeconds.observe({ channel: 'telegram' }, (performance.now() - started) / 1000);
    if (result.duplicate) {
      this.count('duplicate');
      return;
    }
    const replies = beforeReplies ? beforeReplies(result) : result.messages;
    this.fireAndForget(ref.chatId, replies, result.locale);
  }

  /** Queues replies without waiting for them (the turn is committed; delivery failures are logged). */
  private fireAndForget(chatId: string, messages: OutboundMessage[], locale: Locale): void {
    for (const delivery of this.deliver(chatId, messages, locale)) delivery.catch((error: unknown) => this.logDeliveryFailure(chatId, error));
  }

  private logDeliveryFailure(chatId: string, error: unknown): void {
    const key = this.app.runtime.chatKey({ channel: 'telegram', chatId });
    const code = error instanceof DeliveryError ? error.code : undefined;
    this.app.logger.warn({ chat: chatRef(key), code, err: describe(error, this.options.token) }, 'telegram delivery failed');
  }

  private async fileEvent(file: IncomingTelegramFile): Promise<UnstampedUserEvent> {
    const unavailable = (reason: 'tooLarge' | 'downloadFailed' | 'notProcessed'): UnstampedUserEvent => ({
      type: 'user.sendUnavailableMedia',
      kind: file.kind,
      reason,
    });
    if (file.fileSize !== undefined && file.fileSize > this.maxFileBytes) return unavailable('tooLarge');
    try {
      const bytes = await downloadTelegramFile(this.telegram, file.fileId, { maxBytes: this.maxFileBytes });
      const media = await storeMedia(this.app.dataDir, bytes, {
        kind: file.kind,
        ...(file.mime ? { mime: file.mime } : {}),
        ...(file.fileName ? { fileName: file.fileName } : {}),
        ...(file.caption ? { caption: file.caption } : {}),
      });
      return { type: 'user.sendMedia', media };
    } catch (error) {
      if (error instanceof FileTooLargeError) return unavailable('tooLarge');
      if (error instanceof DocumentCleaningUnavailableError) {
        this.app.logger.warn({ kind: file.kind }, 'document not taken: its cleaning could not run');
        return unavailable('notProcessed');
      }
      this.app.logger.warn({ kind: file.kind, err: describe(error, this.options.token) }, 'telegram file download failed');
      return unavailable('downloadFailed');
    }
  }

  /** A press on one of Netra's buttons in a private chat. */
  private async onPress(
    ctx: TelegramHookContext,
    inbound: Extract<TelegramInbound, { type: 'callback' }>,
    ref: ChatRef,
    started: number,
  ): Promise<void> {
    const { data } = inbound;
    if (data.type === 'noop') return;
    if (data.type === 'page') {
      await this.showPage(ctx, inbound, ref, data.page);
      return;
    }
    // Stop the button's spinner before the turn runs.
    void ctx.answer().catch(() => undefined);
    this.queue.unblock(ref.chatId);
    const event: UnstampedUserEvent =
      data.type === 'choice'
        ? { type: 'user.chooseOption', value: data.value }
        : data.type === 'choiceIndex'
          ? { type: 'user.sendText', text: String(data.index + 1) }
          : { type: 'user.sendUnsupported', what: 'staleButton' };
    // A tagged button counts only while its question is on screen; data that is not ours can belong to none.
    const press = data.type === 'choice' || data.type === 'choiceIndex' ? data.promptTag : null;
    const pressed = inbound.message;
    await this.runTurn(ref, event, ctx.update, started, press === undefined ? {} : { pressedPrompt: press }, (result) => {
      if (data.type !== 'choice' && data.type !== 'choiceIndex') return result.messages;
      // The pressed question shows what was chosen (or, if the answer did not fit it, just loses its buttons),
      // queued before the replies so the chat reads in order. A comment on that answer (right or wrong and why,
      // what was recorded) goes with it, as long as a new message follows: the next question stands on its own.
      const [first, ...rest] = result.messages;
      const understood = !(first?.type === 'text' && 'key' in first.text && (first.text.key === 'common.notUnderstood' || first.text.key === STALE_BUTTON_KEY));
      const line = (label: string) =>
        toPlainText(this.app.renderer.text({ key: 'telegram.chosen', params: { label } }, result.locale));
      const comment =
        first?.type === 'text' && first.feedback && !first.choices?.length && rest.length > 0
          ? htmlToEntities(this.app.renderer.message(first, result.locale).text)
          : undefined;
      const withComment = comment ? chosenEdit(pressed, inbound.rawData, line, comment) : undefined;
      if (withComment && first) {
        // If Telegram refuses the edit (the message is gone, say), the comment is sent as a message after all, in
        // the same place in the chat's queue, so nothing is lost and the chat still reads in order.
        this.enqueue(ref.chatId, async (t) => {
          try {
            await t.editMessageText(ref.chatId, pressed.messageId, undefined, withComment.text, { entities: withComment.entities });
          } catch (error) {
            if (!(error instanceof TelegramError && error.code === 400)) throw error;
            for (const call of renderOutbound(first, this.app.renderer, result.locale, { pageSize: this.pageSize })) {
              await this.perform(ref.chatId, call);
            }
          }
        }).catch((error: unknown) => this.logDeliveryFailure(ref.chatId, error));
        return rest;
      }
      const edit = understood ? chosenEdit(pressed, inbound.rawData, line) : undefined;
      this.editQuietly(ref.chatId, (t) =>
        edit
          ? t.editMessageText(ref.chatId, pressed.messageId, undefined, edit.text, { entities: edit.entities })
          : t.editMessageReplyMarkup(ref.chatId, pressed.messageId, undefined, undefined),
      );
      return result.messages;
    });
  }

  /** Shows another page of the choices on screen, if the pressed message still holds the current question. */
  private async showPage(
    ctx: TelegramHookContext,
    inbound: Extract<TelegramInbound, { type: 'callback' }>,
    ref: ChatRef,
    page: number,
  ): Promise<void> {
    const key = this.app.runtime.chatKey(ref);
    const chat = await loadChat(this.app.store, key);
    const locale = toLocale(chat?.locale, this.app.config.NETRA_DEFAULT_LOCALE);
    const prompt = chat?.prompt as OutboundMessage | null | undefined;
    const choices = prompt?.type === 'text' ? (prompt.choices ?? []) : [];
    // The buttons on screen were made for this question: tagged with it, or (sent before tags) untagged.
    const tag = promptTag(prompt);
    const current = new Set(choices.flatMap((c, i) => [choiceData(c.value, i), ...(tag ? [choiceData(c.value, i, 'c', tag)] : [])]));
    const shown = (inbound.message.keyboard ?? [])
      .flat()
      .map((b) => ('callback_data' in b ? b.callback_data : ''))
      .filter((d) => /^[cnkm]:/.test(d));
    const messageId = inbound.message.messageId;
    if (!prompt || prompt.type !== 'text' || shown.length === 0 || !shown.every((d) => current.has(d))) {
      await ctx.answer(toPlainText(this.app.renderer.text({ key: 'telegram.staleButton' }, locale)));
      this.editQuietly(ref.chatId, (t) => t.editMessageReplyMarkup(ref.chatId, messageId, undefined, undefined));
      return;
    }
    await ctx.answer();
    const rendered = this.app.renderer.message(prompt, locale);
    const board = choiceKeyboard(rendered.choices, this.app.renderer, locale, { page, pageSize: this.pageSize, ...(tag ? { promptTag: tag } : {}) });
    this.editQuietly(ref.chatId, (t) => t.editMessageReplyMarkup(ref.chatId, messageId, undefined, board.markup));
  }

  /** Queues an edit; one that Telegram refuses (not modified, message gone) changes nothing worth reporting. */
  private editQuietly(chatId: string, edit: (telegram: Telegram) => Promise<unknown>): void {
    this.enqueue(chatId, edit).catch((error: unknown) => {
      if (!(error instanceof DeliveryError && error.permanent && error.code === 400)) this.logDeliveryFailure(chatId, error);
    });
  }

  private async politeNotice(ref: ChatRef, key: string): Promise<void> {
    const chat = await loadChat(this.app.store, this.app.runtime.chatKey(ref));
    this.fireAndForget(ref.chatId, [say(key)], toLocale(chat?.locale, this.app.config.NETRA_DEFAULT_LOCALE));
  }

  /** A private chat's `my_chat_member`: the user blocked the bot (kicked) or unblocked it (member). */
  private async onMembership(update: Update, chatId: string): Promise<void> {
    const status = (update as { my_chat_member?: { new_chat_member?: { status?: string } } }).my_chat_member?.new_chat_member?.status;
    if (status === 'kicked') await this.markUnreachable(chatId, true);
    else if (status === 'member') {
      this.queue.unblock(chatId);
      await this.markUnreachable(chatId, false);
    }
  }

  /** Records on the chat that the user can (not) be reached, for the outbox worker. */
  private async markUnreachable(chatId: string, unreachable: boolean): Promise<void> {
    const key = this.app.runtime.chatKey({ channel: 'telegram', chatId });
    try {
      const changed = await this.app.store.query(
        unreachable
          ? 'UPDATE "Chat" SET "unreachableAt" = now() WHERE "key" = $1 AND "unreachableAt" IS NULL RETURNING "key"'
          : 'UPDATE "Chat" SET "unreachableAt" = NULL WHERE "key" = $1 AND "unreachableAt" IS NOT NULL RETURNING "key"',
        [key],
      );
      // Groups have no Chat row (offices keep their own); only a citizen's chat is marked.
      if (changed.length > 0) {
        this.app.logger.info({ chat: chatRef(key), unreachable }, unreachable ? 'telegram user blocked the bot' : 'telegram user unblocked the bot');
      }
    } catch (error) {
      this.app.logger.error({ chat: chatRef(key), err: describe(error, this.options.token) }, 'could not mark chat reachability');
    }
  }

  // ----- hooks -----

  private hookContext(
    update: Update,
    inbound: TelegramInbound & { chat: TelegramChat },
    chatId: string,
    answers?: { held?: WebhookAnswer },
  ): TelegramHookContext {
    let answered = inbound.type !== 'callback';
    const from = inbound.type === 'callback' ? inbound.from : 'from' in inbound ? inbound.from : undefined;
    return {
      channel: this,
      update,
      inbound,
      chat: inbound.chat,
      chatId,
      from,
      answer: async (given, options = {}) => {
        if (answered || inbound.type !== 'callback') return;
        answered = true;
        const text = given === undefined ? undefined : fitCallbackAnswer(given);
        if (answers) {
          answers.held = {
            method: 'answerCallbackQuery',
            callback_query_id: inbound.queryId,
            ...(text ? { text } : {}),
            ...(options.alert ? { show_alert: true } : {}),
          };
          return;
        }
        await this.telegram
          .answerCbQuery(inbound.queryId, text, options.alert ? { show_alert: true } : {})
          .catch(() => undefined);
      },
      reply: (messages, locale, options) => this.send(chatId, messages, locale, options),
    };
  }

  private async dispatchGroup(ctx: TelegramHookContext): Promise<void> {
    if (await this.dispatchCommandOrCallback(ctx, 'group')) return;
    for (const handler of this.groupHandlers) if ((await handler(ctx)) === true) return;
  }

  private async dispatchPrivateHooks(ctx: TelegramHookContext): Promise<boolean> {
    if (await this.dispatchCommandOrCallback(ctx, 'private')) return true;
    for (const handler of this.privateHandlers) if ((await handler(ctx)) === true) return true;
    return false;
  }

  private async dispatchCommandOrCallback(ctx: TelegramHookContext, where: 'group' | 'private'): Promise<boolean> {
    const { inbound } = ctx;
    if (inbound.type === 'event' && inbound.event.type === 'user.sendCommand') {
      const command = this.commands.get(inbound.event.name);
      if (command && (command.scope === 'any' || command.scope === where)) {
        await command.handler(ctx, inbound.event.args);
        return true;
      }
    }
    if (inbound.type === 'callback' && inbound.data.type === 'custom') {
      const handler = this.callbackHandlers.get(inbound.data.prefix);
      if (handler) {
        await handler(ctx, inbound.data.payload);
        return true;
      }
    }
    return false;
  }

  // ----- setup, health, metrics -----

  private async registerCommandMenu(): Promise<void> {
    const scope = { type: 'all_private_chats' as const };
    try {
      await this.telegram.setMyCommands(botCommands(this.app.renderer, 'id'), { scope });
      await this.telegram.setMyCommands(botCommands(this.app.renderer, 'en'), { scope, language_code: 'en' });
    } catch (error) {
      this.app.logger.warn({ err: describe(error, this.options.token) }, 'could not register the telegram command menu');
    }
  }

  /**
   * Records the outcome of every Bot API call on the bot's client, for /healthz; the calls every turn makes take
   * the lean path (botApiClient.ts).
   */
  private observeApiCalls(telegram: Telegram, target: BotApiTarget): void {
    const callApi = leanCallApi(telegram, target);
    telegram.callApi = (async (...args: Parameters<typeof callApi>) => {
      try {
        const result = await callApi(...args);
        this.lastApiOkAt = Date.now();
        return result;
      } catch (error) {
        if (!(error instanceof Error && error.name === 'AbortError')) {
          const code = error instanceof TelegramError ? String(error.code) : 'network';
          // 4xx answers concern one call (a blocked user, a stale message), not the connection to Telegram.
          if (!(error instanceof TelegramError) || error.code >= 500 || error.code === 401 || error.code === 409) {
            this.lastApiFailure = { at: Date.now(), code };
          }
        }
        throw error;
      }
    }) as typeof telegram.callApi;
  }

  private health(): HealthCheckResult {
    const mode = this.options.webhook ? 'webhook' : 'polling';
    if (this.state === 'failed') return { status: 'down', detail: `${mode}: stopped after an error` };
    if (this.state !== 'running') return { status: 'down', detail: `${mode}: ${this.state}` };
    if (this.lastApiFailure && this.lastApiFailure.at > this.lastApiOkAt) {
      return { status: 'degraded', detail: `${mode}: last Bot API call failed (${this.lastApiFailure.code}), retrying` };
    }
    return { status: 'ok', detail: `${mode}, ${this.queue.depth} queued` };
  }

  private count(kind: string): void {
    this.options.metrics?.updates.inc({ channel: 'telegram', kind });
  }
}

function toLocale(value: string | undefined, fallback: Locale): Locale {
  return value === 'id' || value === 'en' ? value : fallback;
}

/** An error as a log line: its name and message, with the bot token (part of Bot API URLs) removed. */
function describe(error: unknown, token: string): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split(token).join('<token>');
}

/** The sender's two-letter language from Telegram (e.g. "en" from "en-GB"), if any. */
function languageOf(update: Update): string | undefined {
  const from = 'message' in update ? update.message.from : 'callback_query' in update ? update.callback_query.from : undefined;
  return from?.language_code?.slice(0, 2).toLowerCase();
}
