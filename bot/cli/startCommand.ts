/**
 * `netra start`: runs the configured channels until SIGTERM/SIGINT. Telegram by long polling, or by webhook when
 * TELEGRAM_WEBHOOK_URL is set; WhatsApp when WHATSAPP_ENABLED; the HTTP server on PORT in every mode
 * (`/healthz`, `/metrics`, the webhook). On a signal it shuts down in order: stop fetching updates, finish the
 * turns in flight, drain the send queues, close the store, exit 0. A second signal exits at once.
 */
import { parseArgs } from 'node:util';
import type { App } from '../app.ts';
import { createApp } from '../app.ts';
import { BOT_API_DOWNLOAD_LIMIT } from '../channels/telegram/fileDownload.ts';
import { limitsWithGlobalRate } from '../channels/telegram/sendQueue.ts';
import { TelegramChannel, type TelegramChannelOptions } from '../channels/telegram/telegramChannel.ts';
import { startWhatsAppChannel, type WhatsAppState } from '../channels/whatsapp/whatsappChannel.ts';
import { loadConfig, type Config } from '../config.ts';
import { HealthRegistry, type HealthCheckResult } from '../http/health.ts';
import { HttpServer } from '../http/httpServer.ts';
import { createMetrics, type Metrics } from '../http/metrics.ts';
import { watchForwarding } from '../forwarding/outboxStatus.ts';
import { createLogger, type Logger } from '../logger.ts';
import { attachOfficerDesk } from '../officers/telegramOfficerHooks.ts';

/** How long shutdown waits for queued messages before it gives up on them. */
const DRAIN_TIMEOUT_MS = 20_000;
/** Files fetched through a self-hosted Bot API server (which lifts the 20 MB limit) stop here. */
const SELF_HOSTED_MAX_FILE_BYTES = 100 * 1024 * 1024;

export async function run(args: string[] = []): Promise<number> {
  // Everything is configured in the environment; an option here would be ignored, so it is refused instead.
  parseArgs({ args, options: {} });
  const config = loadConfig();
  if (!config.TELEGRAM_BOT_TOKEN && !config.WHATSAPP_ENABLED) {
    process.stderr.write(
      'No channel is configured. Set TELEGRAM_BOT_TOKEN (see README: "Telegram") or WHATSAPP_ENABLED=true,\n' +
        'or try Netra in this terminal with: npm run chat\n',
    );
    return 2;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const app = await createApp(config, { logger });
  const health = new HealthRegistry();
  const metrics = createMetrics({ processMetrics: true });
  health.register('store', async () => {
    await app.store.query('SELECT 1');
    return { status: 'ok', detail: app.store.kind };
  });
  watchForwarding(app, config, health, metrics);

  // Resolves with the reason to stop: a signal, or a channel that can no longer receive.
  let stop: (reason: { signal?: string; error?: unknown }) => void = () => undefined;
  const stopped = new Promise<{ signal?: string; error?: unknown }>((resolve) => (stop = resolve));
  const onSignal = (signal: NodeJS.Signals) => stop({ signal });
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);

  let server: HttpServer | undefined;
  let telegram: TelegramChannel | undefined;
  let failure: unknown;
  try {
    server = await HttpServer.start({ port: config.PORT, ...(config.HOST ? { host: config.HOST } : {}), health, metrics, logger });
    if (config.TELEGRAM_BOT_TOKEN) {
      telegram = createTelegram(app, config, config.TELEGRAM_BOT_TOKEN, { server, health, metrics });
      // Officers enrol, link their groups and act on tickets through the same bot; office deliveries then share
      // the channel's send queue (Telegram's limits, retries).
      attachOfficerDesk(app, telegram);
      telegram.onFailure((error) => stop({ error }));
      await telegram.start();
    }
    if (config.WHATSAPP_ENABLED) await startWhatsApp(app, health, metrics);
    logger.info({ port: server.port, telegram: telegramMode(config), whatsapp: config.WHATSAPP_ENABLED }, 'netra started');
    const reason = await stopped;
    failure = reason.error;
    logger.info({ signal: reason.signal, failed: reason.error !== undefined }, 'netra shutting down');
  } catch (error) {
    failure = error;
    logger.fatal({ err: error instanceof Error ? error.message : String(error) }, 'netra could not start');
  }

  const forceExit = (signal: NodeJS.Signals) => {
    logger.warn({ signal }, 'second signal: exiting without finishing');
    logger.flush?.();
    process.exit(130);
  };
  process.removeListener('SIGTERM', onSignal);
  process.removeListener('SIGINT', onSignal);
  process.once('SIGTERM', forceExit);
  process.once('SIGINT', forceExit);
  try {
    await shutdown(app, logger, telegram, server);
  } finally {
    process.removeListener('SIGTERM', forceExit);
    process.removeListener('SIGINT', forceExit);
  }
  const code = failure === undefined ? 0 : 1;
  // Whatever library still holds a handle must not keep a stopped server alive; unref'd, so a clean exit is
  // not delayed by it.
  setTimeout(() => process.exit(code), 5_000).unref();
  return code;
}

function createTelegram(
  app: App,
  config: Config,
  token: string,
  parts: { server: HttpServer; health: HealthRegistry; metrics: Metrics },
): TelegramChannel {
  return new TelegramChannel(app, telegramOptions(app, config, token, parts));
}

/** The Telegram channel's options as a deployment's configuration gives them. */
export function telegramOptions(
  app: Pick<App, 'secrets'>,
  config: Config,
  token: string,
  parts: { server: HttpServer; health: HealthRegistry; metrics: Metrics },
): TelegramChannelOptions {
  const webhookUrl = config.TELEGRAM_WEBHOOK_URL;
  return {
    token,
    ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
    ...(webhookUrl
      ? {
          webhook: {
            url: webhookUrl,
            // Without a configured secret, one derived from NETRA_SECRET: the webhook is never left open.
            secret: config.TELEGRAM_WEBHOOK_SECRET ?? app.secrets.hmac('telegram-webhook-secret').slice(0, 64),
            server: parts.server,
          },
        }
      : {}),
    limits: limitsWithGlobalRate(config.TELEGRAM_MESSAGES_PER_SECOND),
    maxFileBytes: config.TELEGRAM_API_ROOT ? SELF_HOSTED_MAX_FILE_BYTES : BOT_API_DOWNLOAD_LIMIT,
    health: parts.health,
    metrics: parts.metrics,
  };
}

async function startWhatsApp(app: App, health: HealthRegistry, metrics: Metrics): Promise<void> {
  let state: WhatsAppState = 'starting';
  const verdicts: Record<WhatsAppState, HealthCheckResult> = {
    ready: { status: 'ok', detail: 'ready' },
    starting: { status: 'degraded', detail: 'starting' },
    pairing: { status: 'degraded', detail: 'waiting for the QR code to be scanned' },
    disconnected: { status: 'down', detail: 'disconnected, restarting' },
  };
  health.register('whatsapp', () => verdicts[state]);
  await startWhatsAppChannel(app, { metrics, onStateChange: (next) => (state = next) });
}

/** Stops in order; each step is logged, and one failing does not skip the next. */
async function shutdown(app: App, logger: Logger, telegram: TelegramChannel | undefined, server: HttpServer | undefined): Promise<void> {
  const step = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      logger.error({ step: name, err: error instanceof Error ? error.message : String(error) }, 'shutdown step failed');
    }
  };
  // Telegram first: stop fetching, finish its turns, drain its queue. Then the rest of the app (WhatsApp, workers,
  // the remaining turns, the store), and the HTTP server last so /healthz answers until the end.
  if (telegram) await step('telegram', () => telegram.stop({ timeoutMs: DRAIN_TIMEOUT_MS }));
  await step('app', () => app.close());
  if (server) await step('http', () => server.close());
  logger.info('netra stopped');
  logger.flush?.();
}

function telegramMode(config: Config): string {
  if (!config.TELEGRAM_BOT_TOKEN) return 'off';
  return config.TELEGRAM_WEBHOOK_URL ? 'webhook' : 'polling';
}
