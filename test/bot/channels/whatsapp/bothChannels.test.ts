/**
 * `netra start` with Telegram and WhatsApp in one process, as a child process: Telegram answers while the
 * WhatsApp client (real whatsapp-web.js on Debian's Chromium, unable to reach WhatsApp from this machine) is
 * reported on /healthz, and SIGTERM stops both with exit 0 and no Chromium left behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_SECRET } from '../../../support/chatHarness.ts';
import { startFakeBotApi } from '../../../support/fakeBotApi.ts';
import { waitFor } from './waitFor.ts';
import { npmStartArgs } from '../../../support/npmStart.ts';

const root = path.resolve(import.meta.dirname, '../../../..');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Process ids whose command line names this path. */
function processesUsing(text: string): number[] {
  const result = spawnSync('pgrep', ['-f', '--', text], { encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean).map(Number);
}

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('netra start with both channels', () => {
  it('serves Telegram while WhatsApp restarts, reports WhatsApp on /healthz, and stops both on SIGTERM', { timeout: 60_000 }, async () => {
    const fake = await startFakeBotApi();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'netra-both-'));
    const profile = path.join(dataDir, 'whatsapp', 'session');
    const port = await freePort();
    const child = spawn(process.execPath, npmStartArgs(), {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        LOG_LEVEL: 'info',
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        WHATSAPP_ENABLED: 'true',
        NETRA_DATA_DIR: dataDir,
        NETRA_SECRET: TEST_SECRET,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exit;
      // A browser is left only when the test failed; end the ones this test started.
      for (const pid of processesUsing(profile)) process.kill(pid, 'SIGKILL');
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    await waitFor(() => output.includes('"netra started"') || child.exitCode !== null, 45_000, 50);
    expect(output).toContain('"whatsapp":true');

    fake.pushUpdate(fake.textUpdate(777_456, 'halo dari telegram'));
    await fake.waitForSent(777_456, 'Apa yang ingin Anda lakukan?', 10_000);

    // WhatsApp cannot reach web.whatsapp.com here: it fails, restarts with backoff, and /healthz says so.
    let whatsapp: { status: string; detail: string } | undefined;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const report = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as {
        checks: Record<string, { status: string; detail: string }>;
      };
      expect(report.checks.telegram?.status).toBe('ok');
      whatsapp = report.checks.whatsapp;
      if (whatsapp && whatsapp.detail !== 'starting') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Where the network is up, the client reaches the pairing step instead.
    expect(whatsapp?.status).toMatch(/^(down|degraded)$/);
    expect(whatsapp?.detail).toMatch(/disconnected|QR/);

    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(output).toContain('WhatsApp channel stopped');
    expect(output).toContain('netra stopped');
    expect(processesUsing(profile)).toEqual([]);
    expect(output).not.toContain('777456');
    expect(output).not.toContain('halo dari telegram');
  });
});
