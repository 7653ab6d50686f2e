/**
 * The submission across a restart: the process stops between the confirmation and the reply, a new process
 * opens the same database, and the channel delivers the unanswered confirmation again (as Telegram does with an
 * update it never saw acknowledged). Exactly one ticket exists whichever side of the commit the stop fell on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../bot/app.ts';
import { loadConfig } from '../../../bot/config.ts';
import type { ChatRef } from '../../../bot/conversation/conversationRuntime.ts';
import { toPlainText } from '../../../bot/i18n.ts';
import { openStore, type Store } from '../../../bot/store/store.ts';
import { reportCommands } from '../../../bot/tickets/reportSubmission.ts';
import type { UnstampedUserEvent } from '../../../flows/messages.ts';
import { TEST_SECRET, type Harness, type Reply } from '../../support/chatHarness.ts';
import { createTestDatabase, dropTestDatabase, storeKinds, type StoreKind } from '../../support/testDatabase.ts';
import { filedFrom, tipToReview } from '../../flows/report/reportJourney.ts';

const NOW = new Date('2026-11-22T03:00:00.000Z');

interface Process {
  app: App;
  store: Store;
  /** The harness view of the process, for the journey helpers. */
  h: Harness;
}

/** Starts a "process": a store on the shared database and an app on it. */
async function startProcess(kind: StoreKind, dataDir: string, databaseUrl: string | undefined): Promise<Process> {
  const store = kind === 'pglite' ? await openStore({ dataDir }) : await openStore({ databaseUrl: databaseUrl! });
  const config = loadConfig({ NETRA_SECRET: TEST_SECRET, NETRA_DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '100000' });
  const app = await createApp(config, { store, logger: pino({ level: 'silent' }), clock: () => NOW });
  const send = async (event: UnstampedUserEvent, turn: { chat?: string; messageId?: string } = {}): Promise<Reply> => {
    const ref: ChatRef = { channel: 'telegram', chatId: turn.chat ?? 'alice' };
    const result = await app.runtime.handle(ref, event, turn.messageId);
    const texts = result.messages.map((m) => toPlainText(app.renderer.message(m, result.locale).text));
    const last = [...result.messages].reverse().find((m) => m.type === 'text' && m.choices?.length);
    const rendered = last ? app.renderer.message(last, result.locale) : undefined;
    return {
      result,
      messages: result.messages,
      texts,
      all: texts.join('\n'),
      choices: rendered?.choices.map((c) => toPlainText(c.label)) ?? [],
      values: rendered?.choices.map((c) => c.value) ?? [],
    };
  };
  const h = {
    app,
    dataDir,
    send,
    say: (text: string, turn?: { chat?: string; messageId?: string }) => send({ type: 'user.sendText', text }, turn),
    command: (name: string, args = '', turn?: { chat?: string; messageId?: string }) => send({ type: 'user.sendCommand', name, args }, turn),
    choose: (value: string, turn?: { chat?: string; messageId?: string }) => send({ type: 'user.chooseOption', value }, turn),
  } as unknown as Harness;
  return { app, store, h };
}

async function stopProcess(process: Process): Promise<void> {
  await process.app.close();
  await process.store.close();
}

describe.each(storeKinds)('a submission interrupted by a restart on %s', (kind) => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function sharedDatabase(): Promise<{ dataDir: string; databaseUrl: string | undefined }> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'netra-restart-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const databaseUrl = kind === 'postgres' ? await createTestDatabase() : undefined;
    if (databaseUrl) cleanups.push(() => dropTestDatabase(databaseUrl));
    return { dataDir, databaseUrl };
  }

  it('stopped before the commit: no ticket; the redelivered confirmation after restart files exactly one', async () => {
    const { dataDir, databaseUrl } = await sharedDatabase();
    const first = await startProcess(kind, dataDir, databaseUrl);
    await tipToReview(first.h, { chat: 'rina', locale: 'id', links: ['https://x.com/a/status/1'] });
    const real = reportCommands(first.app).submitReport!;
    first.app.runtime.registerCommands({
      submitReport: async (command, ctx) => {
        await real(command, ctx);
        throw new Error('process killed after the insert, before the commit');
      },
    });
    await expect(first.h.say('kirim laporan', { chat: 'rina', messageId: 'update-100' })).rejects.toThrow('process killed');
    await stopProcess(first);

    const second = await startProcess(kind, dataDir, databaseUrl);
    cleanups.push(() => stopProcess(second));
    expect(await second.store.prisma.ticket.count()).toBe(0);
    const resumed = await second.app.runtime.resume({ channel: 'telegram', chatId: 'rina' });
    expect(resumed?.messages.at(-1)).toMatchObject({ text: { key: 'report.review.ask' } });
    // The question says "the summary above": the summary comes with it.
    expect(resumed?.messages.map((m) => (m.type === 'text' && 'key' in m.text ? m.text.key : ''))).toEqual(['menu.welcomeBack', 'report.review.summary', 'report.review.ask']);
    const filed = filedFrom(await second.h.say('kirim laporan', { chat: 'rina', messageId: 'update-100' }));
    expect(await second.store.prisma.ticket.count()).toBe(1);
    expect(await second.store.prisma.outbox.count({ where: { kind: 'ticket.forward' } })).toBe(1);
    expect(filed.code).toMatch(/^NTR-/);
  });

  it('stopped after the commit, before the reply: the redelivered confirmation files nothing more, and /status shows the ticket', async () => {
    const { dataDir, databaseUrl } = await sharedDatabase();
    const first = await startProcess(kind, dataDir, databaseUrl);
    await tipToReview(first.h, { chat: 'rina', locale: 'id', links: ['https://x.com/a/status/2'] });
    // The turn commits; the process dies before the reply reaches the user.
    const lost = await first.h.say('kirim laporan', { chat: 'rina', messageId: 'update-200' });
    const { code } = filedFrom(lost);
    await stopProcess(first);

    const second = await startProcess(kind, dataDir, databaseUrl);
    cleanups.push(() => stopProcess(second));
    const redelivered = await second.h.say('kirim laporan', { chat: 'rina', messageId: 'update-200' });
    expect(redelivered.result.duplicate).toBe(true);
    expect(await second.store.prisma.ticket.count()).toBe(1);
    const status = await second.h.command('status', '', { chat: 'rina' });
    expect(status.all).toContain(code);
  });
});
