import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeStaleDrafts, scheduleDraftPurge } from '../../../bot/tickets/draftPurge.ts';
import { createHarness, type Harness, type TurnOptions } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { confirm, storedPhoto, tipToReview } from '../../flows/report/reportJourney.ts';

const DAY = 86_400_000;

describe.each(storeKinds)('the stale draft purge on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const exists = (relative: string) => existsSync(path.join(h.dataDir, relative));

  it('drops drafts untouched for DRAFT_TTL_DAYS with their files, keeps live drafts and tickets, tells the user', async () => {
    const prisma = h.app.store.prisma;
    const shared = await storedPhoto(h, 'shared', { r: 1, g: 2, b: 3 });
    const abandonedOnly = await storedPhoto(h, 'abandoned', { r: 4, g: 5, b: 6 });
    const liveOnly = await storedPhoto(h, 'live', { r: 7, g: 8, b: 9 });
    const stray = await storedPhoto(h, 'sent-to-menu', { r: 10, g: 11, b: 12 });

    // A submitted ticket holds the shared photo.
    await tipToReview(h, { chat: 'filer', locale: 'id', evidence: [shared] });
    await confirm(h, { chat: 'filer', locale: 'id' });
    // An abandoned draft holds the shared photo and its own.
    const abandoned: TurnOptions = { chat: 'abandoned' };
    await tipToReview(h, { chat: 'abandoned', locale: 'id', evidence: [shared, abandonedOnly] });
    // A draft still in use holds its own photo.
    const live: TurnOptions = { chat: 'live' };
    await tipToReview(h, { chat: 'live', locale: 'en', evidence: [liveOnly] });
    // A photo sent to the menu is stored but used by nothing.
    await h.send({ type: 'user.sendMedia', media: stray }, { chat: 'menu-user' });

    const now = new Date(Date.now() + 8 * DAY);
    const liveKey = h.app.runtime.chatKey({ channel: 'terminal', chatId: 'live' });
    await prisma.chat.update({ where: { key: liveKey }, data: { updatedAt: new Date(now.getTime() - DAY) } });

    const summary = await purgeStaleDrafts(h.app, now);
    expect(summary.drafts).toBe(1);
    expect(summary.files).toBe(4);
    for (const file of [abandonedOnly.path, abandonedOnly.strippedPath!, stray.path, stray.strippedPath!]) expect(exists(file), file).toBe(false);
    for (const file of [shared.path, shared.strippedPath!, liveOnly.path, liveOnly.strippedPath!]) expect(exists(file), file).toBe(true);

    const abandonedKey = h.app.runtime.chatKey({ channel: 'terminal', chatId: 'abandoned' });
    const abandonedChat = await prisma.chat.findUniqueOrThrow({ where: { key: abandonedKey } });
    expect(abandonedChat.flow).toBe('menu');
    expect(abandonedChat.updatedAt.toISOString()).toBe(now.toISOString());
    const notice = await prisma.outbox.findFirstOrThrow({ where: { kind: 'chat.message', destination: { equals: { type: 'chat', chatKey: abandonedChat.key } } } });
    expect(notice.payload).toEqual({ messages: [{ type: 'text', text: { key: 'report.draftExpired', params: { days: 7 } } }] });
    expect((await prisma.chat.findUniqueOrThrow({ where: { key: liveKey } })).flow).toBe('report');

    // The reset chat is at the menu, whole: the next message gets the menu, not an apology for lost state.
    const next = await h.say('apa kabar', abandoned);
    expect(next.all).toContain('tidak ada di menu');
    expect(next.all).not.toContain('tidak dapat dilanjutkan');
    // The live draft goes on.
    const review = await h.say('send the report', live);
    expect(review.all).toContain('Your information has been sent.');

    // A second run finds nothing more.
    expect(await purgeStaleDrafts(h.app, now)).toEqual({ drafts: 0, files: 0 });
  });

  it('drops a report kept aside for DRAFT_TTL_DAYS with its files and tells the user, and keeps a fresher one whole', async () => {
    const prisma = h.app.store.prisma;
    const oldPhoto = await storedPhoto(h, 'kept-old', { r: 21, g: 22, b: 23 });
    const freshPhoto = await storedPhoto(h, 'kept-fresh', { r: 24, g: 25, b: 26 });
    for (const [chat, photo] of [['kept-old', oldPhoto], ['kept-fresh', freshPhoto]] as const) {
      await tipToReview(h, { chat, locale: 'id', evidence: [photo] });
      await h.command('status', '', { chat });
      await h.say('ya', { chat });
    }
    const now = new Date(Date.now() + 8 * DAY);
    const oldKey = h.app.runtime.chatKey({ channel: 'terminal', chatId: 'kept-old' });
    const freshKey = h.app.runtime.chatKey({ channel: 'terminal', chatId: 'kept-fresh' });
    // The fresher draft was left a day before the purge runs; the other one eight days before.
    const leftAt = new Date(now.getTime() - DAY).toISOString();
    await prisma.$executeRaw`UPDATE "Chat" SET "memory" = jsonb_set("memory", '{draft:report,keptAt}', to_jsonb(${leftAt}::text)),
      "draftKeptAt" = ${leftAt}::timestamptz AT TIME ZONE 'UTC' WHERE "key" = ${freshKey}`;
    // The saves record when each draft was left, from the memory they write.
    const keptAt = await prisma.chat.findMany({ where: { key: { in: [oldKey, freshKey] } }, select: { key: true, draftKeptAt: true, memory: true } });
    for (const chat of keptAt) {
      expect(chat.draftKeptAt?.toISOString()).toBe((chat.memory as { 'draft:report': { keptAt: string } })['draft:report'].keptAt);
    }

    expect(await purgeStaleDrafts(h.app, now)).toEqual({ drafts: 1, files: 2 });
    for (const file of [oldPhoto.path, oldPhoto.strippedPath!]) expect(exists(file), file).toBe(false);
    for (const file of [freshPhoto.path, freshPhoto.strippedPath!]) expect(exists(file), file).toBe(true);
    const notice = await prisma.outbox.findFirstOrThrow({ where: { kind: 'chat.message', destination: { equals: { type: 'chat', chatKey: oldKey } } } });
    expect(notice.payload).toEqual({ messages: [{ type: 'text', text: { key: 'report.draftExpired', params: { days: 7 } } }] });
    expect(await prisma.outbox.count({ where: { kind: 'chat.message', destination: { equals: { type: 'chat', chatKey: freshKey } } } })).toBe(0);
    expect(await purgeStaleDrafts(h.app, now)).toEqual({ drafts: 0, files: 0 });

    const expired = await h.command('lapor', '', { chat: 'kept-old' });
    expect(expired.all).not.toContain('Kita lanjutkan');
    const resumed = await h.command('lapor', '', { chat: 'kept-fresh' });
    expect(resumed.texts[0]).toContain('Kita lanjutkan laporan Anda');
    // Taken up again, it is no longer kept aside.
    expect((await prisma.chat.findUniqueOrThrow({ where: { key: freshKey } })).draftKeptAt).toBeNull();
  });

  it('runs on a schedule that the app stops on close', async () => {
    const t: TurnOptions = { chat: 'scheduled' };
    await h.command('lapor', '', t);
    await h.choose('tip', t);
    const schedule = scheduleDraftPurge(
      { ...h.app, onClose: () => undefined },
      { firstRunMs: 3_600_000, intervalMs: 3_600_000, clock: () => new Date(Date.now() + 30 * DAY) },
    );
    await schedule.runNow();
    await schedule.stop();
    const chat = await h.app.store.prisma.chat.findUniqueOrThrow({ where: { key: h.app.runtime.chatKey({ channel: 'terminal', chatId: 'scheduled' }) } });
    expect(chat.flow).toBe('menu');
    await schedule.runNow();
  });
});
