/**
 * Everything a promise test runs Netra in: a fresh PostgreSQL database, a data directory, the fake Bot API, the
 * webhook relay (Telegram's retrying delivery) and Netra child processes on it, plus a store and the secrets in the
 * test process to look at what Netra wrote.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Secrets } from '../../../bot/security/secrets.ts';
import { openStore, type Store } from '../../../bot/store/store.ts';
import { TEST_SECRET } from '../../support/chatHarness.ts';
import { startFakeBotApi, type FakeBotApi, type FakeBotApiOptions } from '../../support/fakeBotApi.ts';
import { createTestDatabase, dropTestDatabase } from '../../support/testDatabase.ts';
import { freePort, NetraProcess } from './netraProcess.ts';
import { WebhookRelay, type RelayOptions } from './webhookRelay.ts';

/** The application name of the test's own connections, which the database fault leaves alone. */
export const OBSERVER = 'netra-observer';

/** The secret the relay and Netra agree on for the webhook. */
export const WEBHOOK_SECRET = 'promise-webhook-secret';

export interface WorldOptions {
  fake?: FakeBotApiOptions;
  relay?: Omit<RelayOptions, 'targets'>;
  /** Extra environment for every Netra process (SMTP_URL, LOG_LEVEL, ...). */
  env?: Record<string, string>;
  /** Keep all output lines of the children (privacy test). */
  keepOutput?: boolean;
}

/** A running world. */
export interface World {
  fake: FakeBotApi;
  relay: WebhookRelay;
  databaseUrl: string;
  dataDir: string;
  secrets: Secrets;
  /** The test's own connection to Netra's database (opened by `open()` after the first start migrated it). */
  store: Store;
  /** The Netra processes started so far, in order (running or not). */
  processes: NetraProcess[];
  /** Ports the relay delivers to: the running processes'. */
  ports: number[];
  /** The environment of a Netra process listening on `port`. */
  env(port: number): Record<string, string>;
  /** Starts a Netra process on `port` (a new free one by default) and waits until it runs. */
  startNetra(port?: number): Promise<NetraProcess>;
  /** Runs a one-shot `netra` subcommand on the world's database. */
  cli(args: string[]): Promise<{ code: number | null; output: string }>;
  /** `Chat.key` of a Telegram chat. */
  chatKey(chatId: number | string): string;
  /** A plain connection to the database (closed by the caller), for raw checks that must not share a pool. */
  connect(): Promise<pg.Client>;
  close(): Promise<void>;
}

/** Creates a world; no Netra process runs yet. */
export async function createWorld(options: WorldOptions = {}): Promise<World> {
  const fake = await startFakeBotApi(options.fake);
  const databaseUrl = await createTestDatabase();
  // A connection held open marks the database as in use, so a test run starting meanwhile (which removes idle
  // leftovers) leaves it alone even while a fault has cut every other connection.
  const holder = new pg.Client({ connectionString: observerUrl(databaseUrl) });
  holder.on('error', () => undefined);
  await holder.connect();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'netra-promise-'));
  const secrets = new Secrets(Buffer.from(TEST_SECRET, 'base64'));
  const ports: number[] = [];
  const relay = await WebhookRelay.start({ ...options.relay, targets: () => ports });
  const processes: NetraProcess[] = [];
  let store: Store | undefined;

  const env = (port: number): Record<string, string> => ({
    DATABASE_URL: databaseUrl,
    NETRA_DATA_DIR: dataDir,
    NETRA_SECRET: TEST_SECRET,
    PORT: String(port),
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    // Updates by webhook, through the relay (Telegram's retrying delivery).
    TELEGRAM_WEBHOOK_URL: relay.url,
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    LOG_LEVEL: 'info',
    // Scripted chats type faster than people and file many reports; abuse limits have their own tests.
    RATE_LIMIT_PER_MINUTE: '100000',
    REPORTS_PER_DAY: '100000',
    // Workers run in the children as in production (vitest's NODE_ENV=test is not passed on).
    NETRA_WORKERS: 'on',
    ...options.env,
  });

  const world: World = {
    fake,
    relay,
    databaseUrl,
    dataDir,
    secrets,
    get store(): Store {
      if (!store) throw new Error('world.store is opened by the first startNetra()');
      return store;
    },
    processes,
    ports,
    env,
    async startNetra(port) {
      const chosen = port ?? (await freePort());
      const netra = NetraProcess.start({ env: env(chosen), keepOutput: options.keepOutput ?? false });
      processes.push(netra);
      await netra.started();
      if (!ports.includes(chosen)) ports.push(chosen);
      store ??= await openStore({ databaseUrl: observerUrl(databaseUrl), poolSize: 3, migrate: false });
      return netra;
    },
    cli: (args) => {
      const { PORT: _port, ...rest } = env(1);
      return NetraProcess.run(rest, args);
    },
    chatKey: (chatId) => secrets.hmac(`telegram:${chatId}`),
    async connect() {
      const client = new pg.Client({ connectionString: observerUrl(databaseUrl) });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    },
    async close() {
      for (const netra of processes) await netra.kill('SIGKILL');
      await relay.close();
      await fake.close();
      await store?.close();
      await holder.end().catch(() => undefined);
      await dropTestDatabase(databaseUrl);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return world;
}

function observerUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', OBSERVER);
  return url.toString();
}
