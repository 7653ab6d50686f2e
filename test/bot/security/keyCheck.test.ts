/**
 * A process whose key is not the one the database's personal data was encrypted with refuses to start, instead of
 * writing data nobody can read later (a second process or a CLI run without NETRA_SECRET generates its own key).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../bot/app.ts';
import { loadConfig } from '../../../bot/config.ts';
import { openOperatorContext } from '../../../bot/offices/operatorContext.ts';
import { KeyMismatchError } from '../../../bot/security/keyCheck.ts';
import { createTestDatabase, dropTestDatabase, storeKinds } from '../../support/testDatabase.ts';

const KEY_A = Buffer.alloc(32, 21).toString('base64');
const KEY_B = Buffer.alloc(32, 22).toString('base64');

describe.each(storeKinds)('the key check on %s', (kind) => {
  let dataDir: string;
  let databaseUrl: string | undefined;
  const env = (secret: string) => ({
    NETRA_DATA_DIR: dataDir,
    NETRA_SECRET: secret,
    LOG_LEVEL: 'silent',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const start = (secret: string) => createApp(loadConfig(env(secret)), { logger: pino({ level: 'silent' }) });

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'netra-keycheck-'));
    databaseUrl = kind === 'postgres' ? await createTestDatabase() : undefined;
  });
  afterEach(async () => {
    if (databaseUrl) await dropTestDatabase(databaseUrl);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a process and an operator command with another key, and accepts the first key again', async () => {
    const first = await start(KEY_A);
    await first.runtime.handle({ channel: 'terminal', chatId: 'warga-1' }, { type: 'user.sendCommand', name: 'start', args: '' });
    await first.close();

    await expect(start(KEY_B)).rejects.toThrow(KeyMismatchError);
    await expect(openOperatorContext(env(KEY_B))).rejects.toThrow(/encrypted with another key/);
    const again = await start(KEY_A);
    expect(await again.store.prisma.chat.count()).toBe(1);
    await again.close();
  });

  it('checks a database from before fingerprints were kept by reading one chat address', async () => {
    const first = await start(KEY_A);
    await first.runtime.handle({ channel: 'terminal', chatId: 'warga-2' }, { type: 'user.sendCommand', name: 'start', args: '' });
    await first.store.prisma.setting.deleteMany({});
    await first.close();

    await expect(start(KEY_B)).rejects.toThrow(KeyMismatchError);
    const again = await start(KEY_A);
    expect(await again.store.prisma.setting.count()).toBe(1);
    await again.close();
  });
});
