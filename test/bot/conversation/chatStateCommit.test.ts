import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../bot/app.ts';
import { loadConfig } from '../../../bot/config.ts';
import { ConversationRuntime } from '../../../bot/conversation/conversationRuntime.ts';
import { Secrets } from '../../../bot/security/secrets.ts';
import { openStore, type Store } from '../../../bot/store/store.ts';
import { createTestDatabase, createTestStore, dropTestDatabase, storeKinds } from '../../support/testDatabase.ts';

const setting = "SELECT current_setting('synchronous_commit') AS \"value\"";
const valueOf = (rows: Array<{ value: string }>) => rows[0]?.value;

describe.each(storeKinds)('the chat state of a turn that writes nothing else, on %s', (kind) => {
  let store: Store;
  /** Statements the runtime sent through the chat-state connections. */
  const relaxed: string[] = [];
  let runtime: ConversationRuntime;

  beforeAll(async () => {
    store = await createTestStore(kind);
    const watched: Store = {
      ...store,
      relaxedQuery: (sql, params) => {
        relaxed.push(sql);
        return store.relaxedQuery(sql, params);
      },
    };
    runtime = new ConversationRuntime({ store: watched, secrets: new Secrets(Buffer.alloc(32, 5)), logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await store.close();
  });

  it('is loaded and saved on the chat-state connections and seen at once by the next turn and by others', async () => {
    const ref = { channel: 'terminal' as const, chatId: 'plain' };
    await runtime.handle(ref, { type: 'user.sendCommand', name: 'start', args: '' });
    relaxed.length = 0;
    await runtime.handle(ref, { type: 'user.sendText', text: 'halo' });
    expect(relaxed.some((sql) => sql.includes('FROM "Chat" WHERE "key" = ANY'))).toBe(true);
    expect(relaxed.some((sql) => sql.startsWith('UPDATE "Chat"'))).toBe(true);
    // Read on the main connections: the save is visible there without waiting for the disk.
    expect(await store.query<{ revision: number }>('SELECT "revision" FROM "Chat"')).toEqual([{ revision: 2 }]);
    await runtime.handle(ref, { type: 'user.sendText', text: 'halo lagi' });
    expect(await store.query<{ revision: number }>('SELECT "revision" FROM "Chat"')).toEqual([{ revision: 3 }]);
  });
});

describe('how long a commit waits on PostgreSQL', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('does not wait for the disk on the chat-state connections, and does in transactions and other statements', async () => {
    const store = await createTestStore('postgres');
    cleanups.push(() => store.close());
    expect(valueOf(await store.relaxedQuery<{ value: string }>(setting))).toBe('off');
    expect(valueOf(await store.query<{ value: string }>(setting))).toBe('on');
    expect(valueOf(await store.transaction((sql) => sql.query<{ value: string }>(setting)))).toBe('on');
    expect(valueOf(await store.prisma.$queryRawUnsafe<Array<{ value: string }>>(setting))).toBe('on');
  });

  it('waits for the disk on the chat state too when the operator sets CHAT_STATE_SYNC_COMMIT', async () => {
    const databaseUrl = await createTestDatabase();
    cleanups.push(() => dropTestDatabase(databaseUrl));
    const dataDir = mkdtempSync(path.join(tmpdir(), 'netra-sync-commit-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = { DATABASE_URL: databaseUrl, NETRA_DATA_DIR: dataDir, NETRA_SECRET: Buffer.alloc(32, 9).toString('base64') };
    const strict = await createApp(loadConfig({ ...env, CHAT_STATE_SYNC_COMMIT: 'true' }), { logger: pino({ level: 'silent' }) });
    try {
      expect(valueOf(await strict.store.relaxedQuery<{ value: string }>(setting))).toBe('on');
    } finally {
      await strict.close();
    }
    const relaxed = await createApp(loadConfig(env), { logger: pino({ level: 'silent' }) });
    try {
      expect(valueOf(await relaxed.store.relaxedQuery<{ value: string }>(setting))).toBe('off');
    } finally {
      await relaxed.close();
    }
  });

  it('keeps the time zone of the main connections on the chat-state ones', async () => {
    const databaseUrl = await createTestDatabase();
    cleanups.push(() => dropTestDatabase(databaseUrl));
    const store = await openStore({ databaseUrl, syncChatState: false });
    cleanups.push(() => store.close());
    expect(await store.relaxedQuery("SELECT current_setting('TimeZone') AS \"value\"")).toEqual([{ value: 'UTC' }]);
  });
});
