/**
 * Wires offices, officers and forwarding into an app: seeds the offices (every start), registers the reply
 * flow's commands, and builds the outbox worker (ticket forwarding, office notices, reporter notifications), the
 * reminder schedule and the officers' desk. Workers start by themselves except under tests (`NODE_ENV=test`) or
 * with `NETRA_WORKERS=off`; tests drive them with `worker.drain()` and `remind()`.
 *
 * The Telegram channel hands officer updates to `officerServices(app).desk.handleTelegramUpdate(update, telegram)`.
 */
import type { App } from '../app.ts';
import { remindUnacknowledged } from '../forwarding/escalation.ts';
import { forwardingHandlers, forwardingLane, isFanOut } from '../forwarding/forwarding.ts';
import { createSmtpMailer, type Mailer } from '../forwarding/mailer.ts';
import { OutboxWorker, type OutboxItem } from '../forwarding/outboxWorker.ts';
import { seedOffices } from '../offices/officeSeed.ts';
import type { OfficeMessenger } from './officeMessenger.ts';
import { OfficerDesk } from './officerDesk.ts';
import { reporterReplyCommands } from './reporterReplies.ts';
import { createTelegramClient, TelegramOfficeMessenger } from './telegramOfficeMessenger.ts';

/** What `installOfficerServices` adds to an app. */
export interface OfficerServices {
  desk: OfficerDesk;
  worker: OutboxWorker;
  /** Sends due reminders for unacknowledged tickets now. */
  remind(): Promise<string[]>;
  /** The Telegram sender for office chats (set from TELEGRAM_BOT_TOKEN; tests put a fake here). */
  messenger(): OfficeMessenger | undefined;
  setMessenger(messenger: OfficeMessenger | undefined): void;
  setMailer(mailer: Mailer | undefined): void;
  /** Replaces the clock of the worker, reminders and desk (tests). */
  setClock(clock: () => Date): void;
  /** Starts polling the outbox and the reminder schedule (idempotent). */
  start(): void;
  stop(): Promise<void>;
}

export interface OfficerServicesOptions {
  /** Start the worker and reminders now (default: unless NODE_ENV=test or NETRA_WORKERS=off). */
  autoStart?: boolean;
  pollMs?: number;
  remindEveryMs?: number;
}

const installed = new WeakMap<App, OfficerServices>();

/** The services installed on an app. */
export function officerServices(app: App): OfficerServices {
  const services = installed.get(app);
  if (!services) throw new Error('Officer services are not installed on this app');
  return services;
}

function defaultAutoStart(app: App): boolean {
  const flag = app.config.NETRA_WORKERS;
  if (flag === 'off') return false;
  if (flag === 'on') return true;
  return process.env.NODE_ENV !== 'test';
}

/** Installs everything; returns the services (also available through `officerServices(app)`). */
export async function installOfficerServices(app: App, options: OfficerServicesOptions = {}): Promise<OfficerServices> {
  const { config, logger, store } = app;
  const changed = await seedOffices(store.prisma);
  if (changed > 0) logger.info({ offices: changed }, 'offices seeded');
  if (!config.SMTP_URL) {
    const withEmail = await store.prisma.office.count({ where: { email: { not: null } } });
    if (withEmail > 0) {
      logger.warn(
        { offices: withEmail },
        'offices have an e-mail address but SMTP_URL is not set: no e-mail is sent, and their tickets go to their groups or officers, or up to the office above',
      );
    }
  }
  app.runtime.registerCommands(reporterReplyCommands());

  let clock = app.clock;
  const now = () => clock();
  let messenger: OfficeMessenger | undefined = config.TELEGRAM_BOT_TOKEN
    ? new TelegramOfficeMessenger(createTelegramClient(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT))
    : undefined;
  let mailer: Mailer | undefined;
  let mailerOverridden = false;
  const getMailer = () => {
    if (!mailer && !mailerOverridden && config.SMTP_URL) mailer = createSmtpMailer(config.SMTP_URL, config.MAIL_FROM);
    return mailer;
  };

  const common = {
    prisma: store.prisma,
    store,
    secrets: app.secrets,
    logger,
    renderer: app.renderer,
    dataDir: app.dataDir,
    clock: now,
    officeLocale: config.NETRA_DEFAULT_LOCALE,
    recommendationBody: config.RECOMMENDATION_BODY,
    canEmail: () => getMailer() !== undefined,
  };
  const worker = new OutboxWorker({
    store,
    logger,
    clock: now,
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    deliveryTimeoutMs: config.OUTBOX_DELIVERY_TIMEOUT,
    // Embedded PGlite runs its queries in this thread: there deliveries go one at a time and step aside while
    // citizens' turns are waiting. (On PostgreSQL stepping aside made no difference to the tail latency that the
    // benchmark's noise could show, and it slowed deliveries while a few turns waited on the network.) Each row is
    // claimed when its turn comes: a batch claimed at once under load (up to a second of stepping aside per row)
    // would hold a report's delivery behind twenty other reports' fan-outs. A fan-out, which only routes a ticket
    // (a few statements, none of the delivery's documents), goes at once.
    ...(store.kind === 'pglite'
      ? { concurrency: 1, batchSize: 1, busy: () => app.runtime.inFlight > 0, stepsAside: (item: OutboxItem) => !isFanOut(item) }
      : {}),
    laneOf: forwardingLane,
    handlers: forwardingHandlers({
      ...common,
      escalateAfterMs: config.ESCALATE_AFTER,
      messenger: () => messenger,
      mailer: getMailer,
      senders: app.senders,
    }),
  });
  const desk = new OfficerDesk(common);
  const remind = () =>
    remindUnacknowledged({ prisma: store.prisma, logger, clock: now, escalateAfterMs: config.ESCALATE_AFTER, canEmail: common.canEmail });

  let reminderTimer: NodeJS.Timeout | undefined;
  const services: OfficerServices = {
    desk,
    worker,
    remind,
    messenger: () => messenger,
    setMessenger: (m) => void (messenger = m),
    setMailer: (m) => {
      mailer = m;
      mailerOverridden = true;
    },
    setClock: (c) => void (clock = c),
    start() {
      worker.start(options.pollMs ?? 2_000);
      if (!reminderTimer) {
        reminderTimer = setInterval(() => {
          remind().catch((error: unknown) =>
            logger.error({ err: error instanceof Error ? error.message : String(error) }, 'reminder run failed'),
          );
        }, options.remindEveryMs ?? 10 * 60_000);
        reminderTimer.unref();
      }
    },
    async stop() {
      if (reminderTimer) clearInterval(reminderTimer);
      reminderTimer = undefined;
      await worker.stop();
      mailer?.close();
    },
  };
  installed.set(app, services);
  app.onClose(() => services.stop());
  if (options.autoStart ?? defaultAutoStart(app)) services.start();
  return services;
}
