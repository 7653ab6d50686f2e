import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_SECRET } from '../../support/chatHarness.ts';
import { startFakeBotApi, type FakeBotApi } from '../../support/fakeBotApi.ts';
import { createTestDatabase, dropTestDatabase } from '../../support/testDatabase.ts';
import { npmStartArgs } from '../../support/npmStart.ts';

const root = path.resolve(import.meta.dirname, '../../..');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function startNetra(env: Record<string, string>): Started {
  const child = spawn(process.execPath, npmStartArgs(), {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fake Bot API, a data directory, a free port and, unless the test uses embedded PGlite, a PostgreSQL database. */
async function setup(store: 'pglite' | 'postgres'): Promise<{ fake: FakeBotApi; dataDir: string; port: number; db: Record<string, string> }> {
  const fake = await startFakeBotApi();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'netra-start-'));
  const databaseUrl = store === 'postgres' ? await createTestDatabase() : undefined;
  // A connection held open marks the database as in use, so a test run starting meanwhile (which removes idle
  // leftovers) leaves it alone while the child process boots.
  const holder = databaseUrl ? new pg.Client({ connectionString: databaseUrl }) : undefined;
  await holder?.connect();
  cleanups.push(async () => {
    await fake.close();
    await holder?.end();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { fake, dataDir, port: await freePort(), db: databaseUrl ? { DATABASE_URL: databaseUrl } : {} };
}

/** Resolves once netra logged that it runs (a long poll is recorded only when it returns). */
async function started(netra: Started): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (!netra.output().includes('"netra started"')) {
    if (Date.now() > deadline || netra.child.exitCode !== null) throw new Error(`netra did not start:\n${netra.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function watch(started: Started): void {
  cleanups.push(async () => {
    if (started.child.exitCode === null) started.child.kill('SIGKILL');
    await started.exit;
  });
}

describe('netra start', () => {
  it('polls Telegram, answers, serves /healthz and /metrics with the forwarding backlog, and exits 0 on SIGTERM', { timeout: 60_000 }, async () => {
    // The default store: embedded PGlite in the data directory.
    const { fake, dataDir, port } = await setup('pglite');
    const netra = startNetra({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      NETRA_DATA_DIR: dataDir,
      NETRA_SECRET: TEST_SECRET,
      PORT: String(port),
    });
    watch(netra);
    await started(netra);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      checks: { store: { status: 'ok' }, telegram: { status: 'ok' }, forwarding: { status: 'ok', detail: 'nothing waiting' } },
    });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('netra_outbox_rows{to="offices",state="waiting"} 0');
    expect(metrics).toContain('netra_outbox_oldest_seconds{to="reporters"} 0');

    fake.pushUpdate(fake.textUpdate(777_123, 'halo rahasia'));
    await fake.waitForSent(777_123, 'Apa yang ingin Anda lakukan?', 10_000);

    netra.child.kill('SIGTERM');
    expect(await netra.exit).toBe(0);
    const logs = netra.output();
    expect(logs).toContain('netra stopped');
    // No personal data in the logs: neither the chat id nor what the user wrote.
    expect(logs).not.toContain('777123');
    expect(logs).not.toContain('halo rahasia');
    expect(logs).not.toContain(fake.token);
  });

  it('serves a webhook with its secret on the HOST it is given, and exits 0 on SIGINT', { timeout: 60_000 }, async () => {
    const { fake, dataDir, port, db } = await setup('postgres');
    // 127.0.0.2 is loopback too on Linux: listening there only, Netra does not answer on 127.0.0.1.
    const netra = startNetra({
      ...db,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.2:${port}/telegram`,
      TELEGRAM_WEBHOOK_SECRET: 'child-secret',
      NETRA_DATA_DIR: dataDir,
      NETRA_SECRET: TEST_SECRET,
      PORT: String(port),
      HOST: '127.0.0.2',
    });
    watch(netra);
    await started(netra);
    expect(fake.calls.find((c) => c.method === 'setWebhook')?.params).toMatchObject({ secret_token: 'child-secret' });
    const unauthorised = await fetch(`http://127.0.0.2:${port}/telegram`, { method: 'POST', body: '{"update_id":1}' });
    expect(unauthorised.status).toBe(401);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();

    fake.pushUpdate(fake.textUpdate(888_321, '/start'));
    await fake.waitForSent(888_321, 'Apa yang ingin Anda lakukan?', 10_000);
    expect(fake.webhookDeliveries.at(-1)?.status).toBe(200);

    netra.child.kill('SIGINT');
    expect(await netra.exit).toBe(0);
  });

  it('exits 1 with a clear log line when the token is refused', { timeout: 60_000 }, async () => {
    const { fake, dataDir, port, db } = await setup('postgres');
    const netra = startNetra({
      ...db,
      TELEGRAM_BOT_TOKEN: '999:WrongTokenForTheFake',
      TELEGRAM_API_ROOT: fake.apiRoot,
      NETRA_DATA_DIR: dataDir,
      NETRA_SECRET: TEST_SECRET,
      PORT: String(port),
    });
    watch(netra);
    expect(await netra.exit).toBe(1);
    expect(netra.output()).toContain('netra could not start');
    expect(netra.output()).not.toContain('WrongTokenForTheFake');
  });
});
