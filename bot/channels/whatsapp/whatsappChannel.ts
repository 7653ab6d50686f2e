/**
 * WhatsApp as a channel, the wiring: keeps one whatsapp-web.js client alive (timeout on `initialize()`, destroy
 * and restart with backoff on failure or disconnect, QR code for pairing), turns each private message into one
 * turn of the runtime (files stored first), delivers the replies through the throttle, and registers the
 * channel's sender so officers' questions and status updates reach WhatsApp reporters.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import qrcodeTerminal from 'qrcode-terminal';
import type { Locale } from '../../../content/locales/index.ts';
import { say, type OutboundMessage, type UnstampedUserEvent } from '../../../flows/messages.ts';
import type { App } from '../../app.ts';
import type { ChatRef } from '../../conversation/conversationRuntime.ts';
import { KeyedQueue } from '../../conversation/keyedQueue.ts';
import { DeliveryError } from '../../errors.ts';
import type { Metrics } from '../../http/metrics.ts';
import { chatRef } from '../../logger.ts';
import { within, withTimeout } from '../../jobs/timeouts.ts';
import { storeMedia } from '../../media/mediaStore.ts';
import { DocumentCleaningUnavailableError } from '../../media/documentCleaning.ts';
import type { ChannelSender } from '../channelSender.ts';
import { SendThrottle } from './sendThrottle.ts';
import { mergeTexts, renderOutbound, toInboundEvent, WHATSAPP_TEXT_LIMIT, type WhatsAppInbound, type WhatsAppPart } from './whatsappAdapter.ts';
import {
  createWhatsAppClient,
  mediaFromFile,
  whatsappDir,
  type WhatsAppClientLike,
  type WhatsAppMessageLike,
  type WhatsAppSendOptions,
} from './whatsappClient.ts';

/** What the health endpoint reports. */
export type WhatsAppState = 'starting' | 'pairing' | 'ready' | 'disconnected';

/** A running WhatsApp channel. */
export interface WhatsAppChannel {
  /** The client's state now. */
  state(): WhatsAppState;
  /** Stops the client and closes the browser; turns in flight finish first (bounded). Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves when every received message has been handled and every queued reply sent. */
  idle(): Promise<void>;
}

/** Tuning; the defaults suit production, tests shorten the waits. */
export interface WhatsAppChannelOptions {
  /** Builds a client (default: the real whatsapp-web.js client on `CHROMIUM_PATH`). Called again on each restart. */
  createClient?: () => WhatsAppClientLike;
  /** How long `initialize()` may take (it navigates with no timeout of its own). */
  initTimeoutMs?: number;
  /** How long `destroy()` may take before the browser is killed. */
  destroyTimeoutMs?: number;
  /** Restart delays: `initialMs * factor^n`, capped at `maxMs`; back to `initialMs` once the client is ready. */
  backoff?: { initialMs: number; maxMs: number; factor?: number };
  /** Gap between two messages to one chat. */
  perChatIntervalMs?: number;
  /** Global cap (default: config WHATSAPP_MESSAGES_PER_MINUTE). */
  messagesPerMinute?: number;
  /** Files larger than this are refused as `tooLarge`. */
  maxMediaBytes?: number;
  /** How long a download or a send may take. */
  mediaTimeoutMs?: number;
  sendTimeoutMs?: number;
  /** How long `stop()` waits for turns and replies in flight. */
  shutdownGraceMs?: number;
  /** Where the pairing QR code is drawn (default stdout; null: only the PNG). */
  terminal?: NodeJS.WritableStream | null;
  /** Called on every state change (the health registry may listen). */
  onStateChange?: (state: WhatsAppState) => void;
  /** Called with each client failure (tests; logs already carry it). */
  onError?: (error: unknown) => void;
  /** Prometheus metrics: updates, turn time, sends, send errors and the send queue's depth. */
  metrics?: Metrics;
}

/** `initialize()` did not finish in time. */
export class WhatsAppInitTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`WhatsApp client did not initialise within ${timeoutMs} ms`);
    this.name = 'WhatsAppInitTimeoutError';
  }
}

/** The client reported a disconnect (logout, conflict, navigation) or an authentication failure. */
export class WhatsAppDisconnectedError extends Error {
  constructor(readonly reason: string) {
    super(`WhatsApp client disconnected: ${reason}`);
    this.name = 'WhatsAppDisconnectedError';
  }
}

const defaults = {
  initTimeoutMs: 120_000,
  destroyTimeoutMs: 15_000,
  backoff: { initialMs: 5_000, maxMs: 300_000, factor: 2 },
  perChatIntervalMs: 1_000,
  // WhatsApp itself refuses media above 16 MB (documents go higher); larger evidence is better sent as a link.
  maxMediaBytes: 50 * 1024 * 1024,
  mediaTimeoutMs: 120_000,
  sendTimeoutMs: 60_000,
  shutdownGraceMs: 10_000,
};

const SEEN_CAPACITY = 5_000;

/**
 * Starts the WhatsApp channel on an app and returns at once; the client connects in the background and restarts
 * itself until stopped. Closing the app stops it too.
 */
export async function startWhatsAppChannel(app: App, options: WhatsAppChannelOptions = {}): Promise<WhatsAppChannel> {
  const channel = new WhatsAppSupervisor(app, options);
  app.onClose(() => channel.stop());
  channel.start();
  return channel;
}

/**
 * The channel as a `/healthz` check (fits the HTTP server's HealthRegistry): ready is ok, starting or waiting to
 * be paired is degraded, disconnected (restarting) is down.
 */
export function whatsappHealthCheck(channel: Pick<WhatsAppChannel, 'state'>): () => {
  status: 'ok' | 'degraded' | 'down';
  detail: string;
} {
  const verdicts = {
    ready: { status: 'ok', detail: 'ready' },
    starting: { status: 'degraded', detail: 'starting' },
    pairing: { status: 'degraded', detail: 'pairing: scan the QR code (terminal, or whatsapp/pairing-qr.png in the data directory)' },
    disconnected: { status: 'down', detail: 'disconnected: restarting with backoff' },
  } as const;
  return () => ({ ...verdicts[channel.state()] });
}

class WhatsAppSupervisor implements WhatsAppChannel {
  private status: WhatsAppState = 'starting';
  private client: WhatsAppClientLike | undefined;
  private init: PendingInit | undefined;
  private generation = 0;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private disposing: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | undefined;
  private readonly chats = new KeyedQueue();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly seen = new Set<string>();
  private readonly throttle: SendThrottle;
  private readonly createClient: () => WhatsAppClientLike;
  private readonly settings: typeof defaults & { textLimit: number };
  private readonly sender: ChannelSender;
  private queuedSends = 0;
  private untrackDepth: (() => void) | undefined;

  constructor(
    private readonly app: App,
    private readonly options: WhatsAppChannelOptions,
  ) {
    this.settings = {
      ...defaults,
      ...pickDefined(options, ['initTimeoutMs', 'destroyTimeoutMs', 'perChatIntervalMs', 'maxMediaBytes', 'mediaTimeoutMs', 'sendTimeoutMs', 'shutdownGraceMs']),
      backoff: { ...defaults.backoff, ...options.backoff },
      textLimit: WHATSAPP_TEXT_LIMIT,
    };
    this.throttle = new SendThrottle({
      perChatIntervalMs: this.settings.perChatIntervalMs,
      messagesPerMinute: options.messagesPerMinute ?? app.config.WHATSAPP_MESSAGES_PER_MINUTE,
    });
    this.createClient =
      options.createClient ??
      (() => createWhatsAppClient({ dataDir: app.dataDir, chromiumPath: app.config.CHROMIUM_PATH }));
    this.sender = {
      channel: 'whatsapp',
      send: (chatId, messages, locale) =>
        this.track(this.chats.run(chatId, () => this.deliver(chatId, messages, locale))).catch((error: unknown) => {
          throw error instanceof DeliveryError ? error : new DeliveryError(describe(error), false);
        }),
    };
  }

  state(): WhatsAppState {
    return this.status;
  }

  start(): void {
    this.untrackDepth = this.options.metrics?.trackQueueDepth('whatsapp', () => this.queuedSends);
    this.launch();
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.generation += 1;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // Turns already running finish and their replies go out while the client is still up.
    await within(this.idle(), this.settings.shutdownGraceMs);
    await this.throttle.stop();
    if (this.app.senders.get('whatsapp') === this.sender) this.app.senders.delete('whatsapp');
    this.untrackDepth?.();
    const client = this.client;
    const init = this.init;
    this.client = undefined;
    await this.disposing;
    if (client) await this.dispose(client, init, true);
    this.setState('disconnected');
    this.app.logger.info('WhatsApp channel stopped');
  }

  // --- client lifecycle -------------------------------------------------------------------------------------

  private launch(): void {
    if (this.stopping) return;
    const generation = ++this.generation;
    const current = () => generation === this.generation && !this.stopping;
    this.setState('starting');
    let client: WhatsAppClientLike;
    try {
      client = this.createClient();
    } catch (error) {
      this.fail(generation, error, undefined, undefined);
      return;
    }
    this.client = client;
    client.on('qr', (qr) => {
      if (current()) void this.showQr(qr);
    });
    client.on('authenticated', () => {
      if (current() && this.status === 'pairing') this.setState('starting');
    });
    client.on('ready', () => {
      if (current()) this.ready();
    });
    client.on('disconnected', (reason) => {
      if (current()) this.fail(generation, new WhatsAppDisconnectedError(safeReason(reason)), client, init);
    });
    client.on('auth_failure', () => {
      if (current()) this.fail(generation, new WhatsAppDisconnectedError('authentication failed'), client, init);
    });
    client.on('message', (message) => {
      if (current()) this.receive(message);
    });
    const init: PendingInit = { promise: Promise.resolve().then(() => client.initialize()), settled: false };
    const settle = () => {
      init.settled = true;
    };
    init.promise.then(settle, settle);
    this.init = init;
    void withTimeout(init.promise, this.settings.initTimeoutMs, () => new WhatsAppInitTimeoutError(this.settings.initTimeoutMs)).catch(
      (error: unknown) => this.fail(generation, error, client, init),
    );
  }

  private ready(): void {
    this.attempt = 0;
    this.setState('ready');
    this.app.senders.set('whatsapp', this.sender);
    rmSync(qrFile(this.app.dataDir), { force: true });
    this.app.logger.info('WhatsApp client ready');
  }

  /** Destroys a failed client and schedules a new one. Events of the failed client are ignored from here on. */
  private fail(generation: number, error: unknown, client: WhatsAppClientLike | undefined, init: PendingInit | undefined): void {
    if (generation !== this.generation || this.stopping) return;
    this.generation += 1;
    this.client = undefined;
    this.init = undefined;
    this.setState('disconnected');
    const { initialMs, maxMs, factor } = this.settings.backoff;
    const delay = Math.min(maxMs, initialMs * factor ** this.attempt);
    this.attempt += 1;
    this.app.logger.warn({ err: describe(error), attempt: this.attempt, retryInMs: delay }, 'WhatsApp client failed; restarting it');
    this.options.onError?.(error);
    const previous = this.disposing;
    this.disposing = previous.then(() => (client ? this.dispose(client, init, false) : undefined));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.disposing.then(() => this.launch());
    }, delay);
  }

  /**
   * Closes a client's browser. `destroy()` only closes a browser the client already holds, so when
   * `initialize()` was still running (a timeout), the client is destroyed again once it settles, in case its
   * browser finished launching in between. A `destroy()` that hangs gets the browser process killed.
   */
  private async dispose(client: WhatsAppClientLike, init: PendingInit | undefined, waitForLate: boolean): Promise<void> {
    await this.destroy(client);
    if (!init || init.settled) return;
    const late = init.promise.then(
      () => this.destroy(client),
      () => this.destroy(client),
    );
    if (waitForLate) await within(late, this.settings.destroyTimeoutMs);
  }

  private async destroy(client: WhatsAppClientLike): Promise<void> {
    try {
      await withTimeout(client.destroy(), this.settings.destroyTimeoutMs, () => new Error('destroy() timed out'));
    } catch (error) {
      this.app.logger.warn({ err: describe(error) }, 'WhatsApp client did not close cleanly; killing its browser');
      browserProcess(client)?.kill('SIGKILL');
    }
  }

  private setState(state: WhatsAppState): void {
    if (state === this.status) return;
    this.status = state;
    this.options.onStateChange?.(state);
  }

  private async showQr(qr: string): Promise<void> {
    this.setState('pairing');
    const file = qrFile(this.app.dataDir);
    const terminal = this.options.terminal === undefined ? process.stdout : this.options.terminal;
    if (terminal) {
      qrcodeTerminal.generate(qr, { small: true }, (art) =>
        terminal.write(
          `\nWhatsApp: link Netra's number. On that phone open WhatsApp > Settings > Linked devices > Link a device, ` +
            `and scan this code (it changes every ~20 s; also saved as ${file}):\n${art}\n`,
        ),
      );
    }
    try {
      const png = await QRCode.toBuffer(qr, { width: 480, margin: 2 });
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      // Private and written whole: whoever holds this code can link the number to their own browser until it expires.
      writeFileSync(`${file}.tmp`, png, { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
      // Paired while the file was being written: a stale code must not stay behind.
      if (this.status !== 'pairing') rmSync(file, { force: true });
    } catch (error) {
      this.app.logger.warn({ err: describe(error) }, 'could not save the WhatsApp pairing QR code');
    }
    this.app.logger.info({ file }, 'WhatsApp is waiting to be paired: scan the QR code');
  }

  // --- inbound ----------------------------------------------------------------------------------------------

  private receive(message: WhatsAppMessageLike): void {
    let mapped: WhatsAppInbound;
    try {
      mapped = toInboundEvent(message);
    } catch (error) {
      this.app.logger.warn({ err: describe(error) }, 'unreadable WhatsApp message skipped');
      return;
    }
    if (mapped.type === 'ignore') {
      this.count('ignored');
      this.app.logger.debug({ reason: mapped.reason }, 'WhatsApp message ignored');
      return;
    }
    const serialized = message.id?._serialized;
    if (!serialized) return;
    // A WhatsApp message id embeds the sender's number (`false_<number>@c.us_<id>`); the runtime stores ids for
    // de-duplication, so it gets a keyed hash instead.
    const messageId = `wa:${this.app.secrets.hmac(`whatsapp-message:${serialized}`).slice(0, 32)}`;
    if (!this.firstSight(messageId)) {
      this.count('duplicate');
      return;
    }
    this.count(mapped.type === 'media' ? 'file' : mapped.event.type.replace(/^user\.send/, '').toLowerCase());
    const chatId = message.from;
    void this.track(this.chats.run(chatId, () => this.turn(chatId, message, mapped, messageId)));
  }

  /** True the first time an id is seen; the runtime de-duplicates too, this saves a second download. */
  private firstSight(messageId: string): boolean {
    if (this.seen.has(messageId)) return false;
    this.seen.add(messageId);
    if (this.seen.size > SEEN_CAPACITY) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }

  private async turn(chatId: string, message: WhatsAppMessageLike, mapped: WhatsAppInbound, messageId: string): Promise<void> {
    const ref: ChatRef = { channel: 'whatsapp', chatId };
    const chat = chatRef(this.app.runtime.chatKey(ref));
    const started = performance.now();
    try {
      const event = mapped.type === 'media' ? await this.fetchMedia(message, mapped) : mapped.type === 'event' ? mapped.event : undefined;
      if (!event) return;
      const result = await this.app.runtime.handle(ref, event, messageId);
      this.options.metrics?.turnSeconds.observe({ channel: 'whatsapp' }, (performance.now() - started) / 1000);
      if (result.duplicate) return;
      await this.deliver(chatId, result.messages, result.locale);
    } catch (error) {
      this.app.logger.error({ chat, err: describe(error) }, 'WhatsApp turn failed');
      if (error instanceof DeliveryError) return;
      await this.deliver(chatId, [say('common.error')], this.app.config.NETRA_DEFAULT_LOCALE).catch(() => undefined);
    }
  }

  /** Downloads and stores a file before the turn, so the flow only ever sees a stored file. */
  private async fetchMedia(
    message: WhatsAppMessageLike,
    mapped: Extract<WhatsAppInbound, { type: 'media' }>,
  ): Promise<UnstampedUserEvent> {
    const unavailable = (reason: 'tooLarge' | 'downloadFailed' | 'notProcessed'): UnstampedUserEvent => ({
      type: 'user.sendUnavailableMedia',
      kind: mapped.kind,
      reason,
    });
    // A chat over its message limit gets its usual answer from the runtime without the file being fetched.
    if (await this.app.runtime.overLimit({ channel: 'whatsapp', chatId: message.from })) return unavailable('downloadFailed');
    let media;
    try {
      media = await withTimeout(message.downloadMedia(), this.settings.mediaTimeoutMs, () => new Error('download timed out'));
    } catch (error) {
      this.app.logger.warn({ err: describe(error), kind: mapped.kind }, 'WhatsApp media download failed');
      return unavailable('downloadFailed');
    }
    if (!media?.data) return unavailable('downloadFailed');
    if (Math.floor((media.data.length * 3) / 4) > this.settings.maxMediaBytes) return unavailable('tooLarge');
    const bytes = Buffer.from(media.data, 'base64');
    const mime = media.mimetype?.split(';')[0]?.trim();
    try {
      const stored = await storeMedia(this.app.dataDir, bytes, {
        kind: mapped.kind,
        ...(mime ? { mime } : {}),
        ...(media.filename ? { fileName: media.filename } : {}),
        ...(mapped.caption ? { caption: mapped.caption } : {}),
      });
      return { type: 'user.sendMedia', media: stored };
    } catch (error) {
      // Not stored (the disk, or a document whose cleaning could not run): the chat is asked to send it again.
      if (error instanceof DocumentCleaningUnavailableError) {
        this.app.logger.warn({ kind: mapped.kind }, 'document not taken: its cleaning could not run');
        return unavailable('notProcessed');
      }
      this.app.logger.warn({ err: describe(error), kind: mapped.kind }, 'WhatsApp media could not be stored');
      return unavailable('downloadFailed');
    }
  }

  // --- outbound ---------------------------------------------------------------------------------------------

  private async deliver(chatId: string, messages: OutboundMessage[], locale: Locale): Promise<void> {
    const parts = mergeTexts(
      messages.flatMap((m) => renderOutbound(m, this.app.renderer, locale, this.settings.textLimit)),
      this.settings.textLimit,
    );
    for (const part of parts) await this.sendPart(chatId, part);
  }

  private async sendPart(chatId: string, part: WhatsAppPart): Promise<void> {
    // Link previews make WhatsApp Web fetch the linked page; read receipts have broken sending before (1.34.x).
    const base: WhatsAppSendOptions = { linkPreview: false, sendSeen: false };
    const [content, options] = part.type === 'text' ? [part.text, base] : this.fileContent(part, base);
    const method = part.type === 'text' ? 'text' : part.asDocument ? 'document' : 'photo';
    this.queuedSends += 1;
    try {
      await this.throttle.schedule(chatId, async () => {
        const client = this.client;
        if (!client || this.status !== 'ready') {
          this.options.metrics?.sendErrors.inc({ channel: 'whatsapp', code: 'disconnected' });
          throw new DeliveryError('WhatsApp is not connected', false);
        }
        try {
          await withTimeout(client.sendMessage(chatId, content, options), this.settings.sendTimeoutMs, () => new Error('send timed out'));
        } catch (error) {
          this.options.metrics?.sendErrors.inc({ channel: 'whatsapp', code: error instanceof Error && error.message === 'send timed out' ? 'timeout' : 'error' });
          throw new DeliveryError(`WhatsApp send failed: ${describe(error)}`, false);
        }
        this.options.metrics?.sent.inc({ channel: 'whatsapp', method });
      });
    } finally {
      this.queuedSends -= 1;
    }
  }

  private fileContent(part: Extract<WhatsAppPart, { type: 'file' }>, base: WhatsAppSendOptions) {
    const root = path.resolve(this.app.dataDir);
    const absolute = path.resolve(root, part.path);
    if (!absolute.startsWith(root + path.sep)) throw new DeliveryError('file outside the data directory', true);
    let media;
    try {
      media = mediaFromFile(absolute);
    } catch {
      throw new DeliveryError('file to send is missing', true);
    }
    if (part.fileName) media.filename = part.fileName;
    const options: WhatsAppSendOptions = {
      ...base,
      ...(part.caption ? { caption: part.caption } : {}),
      ...(part.asDocument ? { sendMediaAsDocument: true } : {}),
    };
    return [media, options] as const;
  }

  private count(kind: string): void {
    this.options.metrics?.updates.inc({ channel: 'whatsapp', kind });
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const done = () => this.inFlight.delete(promise);
    promise.then(done, done);
    return promise;
  }
}

/** A running `initialize()`, and whether it has finished. */
interface PendingInit {
  promise: Promise<void>;
  settled: boolean;
}

function qrFile(dataDir: string): string {
  return path.join(whatsappDir(dataDir), 'pairing-qr.png');
}

function pickDefined<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

/** The browser process of a real client (puppeteer), to kill when `destroy()` hangs. */
function browserProcess(client: WhatsAppClientLike): { kill(signal: string): unknown } | null | undefined {
  const browser = (client as { pupBrowser?: { process?: () => { kill(signal: string): unknown } | null } }).pupBrowser;
  return browser?.process?.();
}

function safeReason(reason: unknown): string {
  return typeof reason === 'string' ? scrub(reason).slice(0, 80) : 'unknown';
}

/** An error as one log-safe line: WhatsApp ids and long numbers (phone numbers) are masked. */
function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return scrub(text.split('\n')[0] ?? '').slice(0, 300);
}

function scrub(text: string): string {
  return text.replace(/[\w.+-]+@(c\.us|lid|g\.us|s\.whatsapp\.net|broadcast)\b/g, '<wid>').replace(/\+?\d[\d\s-]{6,}\d/g, '<number>');
}
