/**
 * The real whatsapp-web.js client, built with Netra's options, on a machine that cannot reach WhatsApp: the start
 * must fail cleanly (error reported, client destroyed, no Chromium left running). Chromium is told to resolve no
 * host at all, so the test stays offline even where the network is up. Where Chromium is not installed, the
 * failure is the missing browser, which must be just as clean.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWhatsAppChannel } from '../../../../bot/channels/whatsapp/whatsappChannel.ts';
import {
  ChromiumNotFoundError,
  createWhatsAppClient,
  whatsappClientOptions,
  whatsappProfileDir,
} from '../../../../bot/channels/whatsapp/whatsappClient.ts';
import { createHarness, type Harness } from '../../../support/chatHarness.ts';
import { waitFor } from './waitFor.ts';

/** Processes whose command line names this Chromium profile. */
function browsersUsing(profile: string): number {
  const result = spawnSync('pgrep', ['-f', '--', profile], { encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean).length;
}

describe('the real whatsapp-web.js client offline', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('pglite');
  });
  afterAll(async () => {
    await h.close();
  });

  it('keeps the session in the data directory and never lets puppeteer pick a browser of its own', () => {
    const options = whatsappClientOptions({ dataDir: h.dataDir, chromiumPath: '/usr/bin/chromium' });
    expect(options?.puppeteer?.executablePath).toBe('/usr/bin/chromium');
    expect(options?.authStrategy).toMatchObject({ dataPath: `${h.dataDir}/whatsapp` });
    expect(options?.webVersionCache).toEqual({ type: 'local', path: `${h.dataDir}/whatsapp/web-cache` });
    expect(() => createWhatsAppClient({ dataDir: h.dataDir, chromiumPath: '/nonexistent/chromium' })).toThrow(ChromiumNotFoundError);
  });

  it('fails to start cleanly: the error is reported, destroy() runs and no Chromium is left', { timeout: 30_000 }, async () => {
    const chromiumPath = h.app.config.CHROMIUM_PATH;
    const installed = existsSync(chromiumPath);
    const profile = whatsappProfileDir(h.dataDir);
    const errors: unknown[] = [];
    let destroyCalls = 0;
    const started = Date.now();
    const channel = await startWhatsAppChannel(h.app, {
      createClient: () => {
        const client = createWhatsAppClient({
          dataDir: h.dataDir,
          chromiumPath,
          extraArgs: ['--host-resolver-rules=MAP * ~NOTFOUND'],
        });
        const destroy = client.destroy.bind(client);
        client.destroy = () => {
          destroyCalls += 1;
          return destroy();
        };
        return client;
      },
      initTimeoutMs: 20_000,
      // One attempt is enough here; the restart itself is tested with a fake client.
      backoff: { initialMs: 60_000, maxMs: 60_000 },
      terminal: null,
      onError: (error) => errors.push(error),
    });
    await waitFor(() => errors.length > 0, 25_000, 20);
    expect(channel.state()).toBe('disconnected');
    if (installed) {
      expect(String(errors[0])).toMatch(/ERR_NAME_NOT_RESOLVED/);
      expect(existsSync(profile)).toBe(true);
      await waitFor(() => destroyCalls > 0, 5_000, 20);
    } else {
      expect(errors[0]).toBeInstanceOf(ChromiumNotFoundError);
    }
    await waitFor(() => browsersUsing(profile) === 0, 5_000, 50);
    await channel.stop();
    expect(browsersUsing(profile)).toBe(0);
    expect(Date.now() - started).toBeLessThan(25_000);
  });
});
