/**
 * Netra as the benchmark runs it: the same wiring as `netra start` in webhook mode (app, HTTP server with
 * /healthz and /metrics, Telegram channel with metrics and health, the officers' desk carrying office
 * deliveries), pointed at the fake Bot API; the reports' office has its group linked. Abuse limits
 * are lifted (benchmark chats send far more than 30 messages a minute and file many reports a day) and the send
 * queue's pacing is off unless the parent asks for Telegram's limits.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createApp } from '../../bot/app.ts';
import { TelegramChannel } from '../../bot/channels/telegram/telegramChannel.ts';
import { loadConfig } from '../../bot/config.ts';
import { HealthRegistry } from '../../bot/http/health.ts';
import { HttpServer } from '../../bot/http/httpServer.ts';
import { createMetrics } from '../../bot/http/metrics.ts';
import { attachOfficerDesk } from '../../bot/officers/telegramOfficerHooks.ts';
import { readOutboxStatus, watchForwarding, wholeBacklog } from '../../bot/forwarding/outboxStatus.ts';
import { openStore } from '../../bot/store/store.ts';
import { serveChild, type ChildConfig } from './childProcess.ts';

/** The benchmark's fixed secret (32 bytes, base64); the data is synthetic. */
const BENCH_SECRET = Buffer.alloc(32, 11).toString('base64');
const WEBHOOK_SECRET = 'netra-bench-webhook';
/** The Telegram group of the benchmark's Bawaslu office. */
const BENCH_OFFICE_GROUP = '-1009000000905';

let warnings = 0;
const byMessage = new Map<string, { count: number; example: string }>();
// Warnings and errors are counted by message (a benchmark that fails turns must say so) for the report.
const logStream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line === '') continue;
      warnings += 1;
      let msg = line.slice(0, 80);
      let err = '';
      try {
        const parsed = JSON.parse(line) as { msg?: string; err?: string };
        msg = parsed.msg ?? msg;
        err = typeof parsed.err === 'string' ? parsed.err.slice(0, 160) : '';
      } catch {
        // Not JSON: keep the line's start.
      }
      const entry = byMessage.get(msg);
      if (entry) entry.count += 1;
      else byMessage.set(msg, { count: 1, example: err });
    }
    done();
  },
});
const samples = () =>
  [...byMessage]
    .sort((a, b) => b[1].count - a[1].count)
    .slice(0, 5)
    .map(([msg, { count, example }]) => `${count}x ${msg}${example ? ` (${example})` : ''}`);

serveChild(
  async (config: ChildConfig) => {
    if (config.bot !== 'netra') throw new Error('netraChild runs Netra only');
    const env: Record<string, string> = {
      NETRA_SECRET: BENCH_SECRET,
      NETRA_DATA_DIR: config.dataDir,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '1000000',
      REPORTS_PER_DAY: '1000000',
      // The outbox worker and reminders run as in `netra start`, also when the benchmark runs under the tests.
      NETRA_WORKERS: 'on',
    };
    if (config.store === 'postgres') {
      if (!config.databaseUrl) throw new Error('store postgres needs a databaseUrl');
      env.DATABASE_URL = config.databaseUrl;
    }
    const appConfig = loadConfig(env);
    const logger = pino({ level: 'warn' }, logStream);
    // A pool size other than the default needs the store opened here (createApp opens it with its default).
    const store = config.poolSize && config.databaseUrl ? await openStore({ databaseUrl: config.databaseUrl, poolSize: config.poolSize }) : undefined;
    const app = await createApp(appConfig, { logger, ...(store ? { store } : {}) });
    const health = new HealthRegistry();
    const metrics = createMetrics({ processMetrics: true });
    health.register('store', async () => {
      await app.store.query('SELECT 1');
      return { status: 'ok', detail: app.store.kind };
    });
    watchForwarding(app, appConfig, health, metrics);
    // The competent office of the benchmark's reports (Kabupaten Bangka Barat) has its officers' group linked, as
    // a deployed office would: every filed report is forwarded there (message, dossier PDF, evidence).
    await app.store.query(
      `INSERT INTO "OfficeChat" ("id", "officeCode", "chatId", "linkedBy") VALUES (gen_random_uuid()::text, '19.05', $1, 'bench')
       ON CONFLICT DO NOTHING`,
      [BENCH_OFFICE_GROUP],
    );
    const server = await HttpServer.start({ port: 0, host: '127.0.0.1', health, metrics, logger });
    const channel = new TelegramChannel(app, {
      token: config.token,
      apiRoot: config.apiRoot,
      webhook: {
        url: `http://127.0.0.1:${server.port}/telegram/webhook`,
        secret: WEBHOOK_SECRET,
        server,
        // Telegram's maximum; its default of 40 would queue a closed loop of 64 chats at the fake.
        maxConnections: 100,
      },
      health,
      metrics,
      ...(config.limits ? {} : { limits: false as const }),
    });
    // As `netra start`: officers' commands on the same bot, office deliveries through the channel's send queue.
    attachOfficerDesk(app, channel);
    await channel.start();
    return {
      port: server.port,
      queueDepth: () => channel.queueDepth,
      async outbox() {
        const [counts] = await app.store.query<{ officeDeliveries: number }>(
          `SELECT count(*)::int AS "officeDeliveries" FROM "Outbox" WHERE "kind" = 'office.deliver' AND "status" = 'done'`,
        );
        // The backlog as an operator sees it in /metrics (netra_outbox_rows, netra_outbox_oldest_seconds).
        const status = wholeBacklog(await readOutboxStatus(app.store, new Date()));
        return {
          waiting: status.waiting + status.retrying,
          oldestSeconds: status.oldestSeconds,
          officeDeliveries: counts?.officeDeliveries ?? 0,
        };
      },
      async stop() {
        await channel.stop({ timeoutMs: 60_000 });
        await app.close();
        await store?.close();
        await server.close();
      },
    };
  },
  { warnings: () => warnings, samples },
);
