/**
 * Wires Netra's parts from a configuration: store, keys, logger, renderer, conversation runtime. Every entry
 * point (terminal chat, `netra start`, tests) builds on this.
 */
import path from 'node:path';
import type { ChannelSender } from './channels/channelSender.ts';
import { getProvince, getRegency } from '../content/regions/regions.ts';
import { ConfigError, type Config } from './config.ts';
import { ConversationRuntime, type CommandHandler } from './conversation/conversationRuntime.ts';
import { stopPdfThreads } from './documents/pdfThreads.ts';
import { stopCleaningThreads } from './media/documentCleaning.ts';
import { Renderer } from './i18n.ts';
import { createLogger, type Logger } from './logger.ts';
import { checkKey } from './security/keyCheck.ts';
import { loadMasterSecret, Secrets } from './security/secrets.ts';
import { installServices } from './services.ts';
import { openConfiguredStore, type Store } from './store/store.ts';

/** A running Netra. */
export interface App {
  config: Config;
  dataDir: string;
  store: Store;
  secrets: Secrets;
  logger: Logger;
  renderer: Renderer;
  runtime: ConversationRuntime;
  /** The clock every service reads (fixed in tests). */
  clock: () => Date;
  /** Senders of the channels running in this process, by channel name. */
  senders: Map<ChannelSender['channel'], ChannelSender>;
  /**
   * Where people reach this bot, once a channel knows it (the Telegram bot's username after it starts): a
   * certificate's QR code then opens its check in the chat.
   */
  links: { telegramBot?: string };
  /** Hooks run on close, in reverse order (channels, workers). */
  onClose(fn: () => Promise<void> | void): void;
  close(): Promise<void>;
}

/** Optional parts to pass in (tests use an in-memory store and a fixed clock). */
export interface AppOptions {
  logger?: Logger;
  store?: Store;
  clock?: () => Date;
  /** Extra command handlers (domain services add theirs). */
  commands?: Record<string, CommandHandler>;
}

/** Builds an app. The caller owns it and must close it. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  // A served area with a code no region has would refuse every report: stop at start instead.
  const unknownAreas = (config.NETRA_SERVED_AREA ?? []).filter((code) => !(code.includes('.') ? getRegency(code) : getProvince(code)));
  if (unknownAreas.length > 0) {
    throw new ConfigError([{ variable: 'NETRA_SERVED_AREA', expected: `province or regency codes that exist (${unknownAreas.join(', ')} does not)` }]);
  }
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const dataDir = path.resolve(config.NETRA_DATA_DIR);
  const master = loadMasterSecret(config.NETRA_SECRET, dataDir, (file) =>
    logger.warn(
      { file },
      'NETRA_SECRET is not set: generated a new secret in the data directory. Back it up, or set NETRA_SECRET; without it the encrypted personal data cannot be read.',
    ),
  );
  const secrets = new Secrets(master);
  const store =
    options.store ??
    (await openConfiguredStore(config));
  try {
    await checkKey(store.prisma, secrets, { dataDir: config.NETRA_SECRET ? undefined : dataDir });
  } catch (error) {
    if (!options.store) await store.close();
    throw error;
  }
  const renderer = await Renderer.create();
  const runtime = new ConversationRuntime({
    store,
    secrets,
    logger,
    defaultLocale: config.NETRA_DEFAULT_LOCALE,
    messagesPerMinute: config.RATE_LIMIT_PER_MINUTE,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.commands ? { commands: options.commands } : {}),
  });
  const closers: Array<() => Promise<void> | void> = [];
  const app: App = {
    config,
    dataDir,
    store,
    secrets,
    logger,
    renderer,
    runtime,
    clock: options.clock ?? (() => new Date()),
    senders: new Map(),
    links: {},
    onClose: (fn) => void closers.push(fn),
    async close() {
      for (const fn of closers.reverse()) await fn();
      await runtime.drain();
      await stopPdfThreads();
      await stopCleaningThreads();
      if (!options.store) await store.close();
      logger.flush?.();
    },
  };
  await installServices(app);
  return app;
}
