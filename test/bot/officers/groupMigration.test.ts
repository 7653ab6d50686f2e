import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followGroupMigration } from '../../../bot/officers/telegramOfficerHooks.ts';
import { createHarness, type Harness } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';

describe.each(storeKinds)('an office group that becomes a supergroup, on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
  });
  afterAll(async () => {
    await h.close();
  });

  it('keeps its office link and its waiting deliveries, under the new chat id', async () => {
    const prisma = h.app.store.prisma;
    await prisma.officeChat.create({ data: { officeCode: '19.05', chatId: '-1001', linkedBy: 'test' } });
    const destination = { type: 'telegram', chatId: '-1001', officeCode: '19.05' };
    await prisma.outbox.create({ data: { kind: 'office.delivery', destination, payload: {}, dedupKey: 'm:pending' } });
    await prisma.outbox.create({ data: { kind: 'office.delivery', destination, payload: {}, dedupKey: 'm:done', status: 'done' } });

    const update = { update_id: 1, message: { message_id: 5, date: 0, chat: { id: -1001, type: 'group' }, migrate_to_chat_id: -100999 } };
    expect(await followGroupMigration(h.app, { update: update as never })).toBe(true);

    expect((await prisma.officeChat.findMany({ where: { officeCode: '19.05' } })).map((c) => c.chatId)).toEqual(['-100999']);
    const pending = await prisma.outbox.findUniqueOrThrow({ where: { dedupKey: 'm:pending' } });
    expect(pending.destination).toEqual({ ...destination, chatId: '-100999' });
    const done = await prisma.outbox.findUniqueOrThrow({ where: { dedupKey: 'm:done' } });
    expect(done.destination).toEqual(destination);
  });

  it('moves the acting group of waiting action notices too, so the group is not sent its own action', async () => {
    const prisma = h.app.store.prisma;
    const destination = { type: 'office', officeCode: '19.05' };
    const action = { offices: ['19.05'], officerId: 'o1', officeCode: '19.05', chatType: 'group', groupChatId: '-1003', ticketOfficeCode: '19.05' };
    const payload = { ticketId: 't1', notice: 'action', eventId: 'e1', action };
    await prisma.outbox.create({ data: { kind: 'office.notify', destination, payload, dedupKey: 'a:pending' } });
    await prisma.outbox.create({ data: { kind: 'office.notify', destination, payload, dedupKey: 'a:done', status: 'done' } });

    const update = { update_id: 3, message: { message_id: 7, date: 0, chat: { id: -1003, type: 'group' }, migrate_to_chat_id: -100998 } };
    expect(await followGroupMigration(h.app, { update: update as never })).toBe(true);

    const pending = await prisma.outbox.findUniqueOrThrow({ where: { dedupKey: 'a:pending' } });
    expect(pending.payload).toEqual({ ...payload, action: { ...action, groupChatId: '-100998' } });
    expect(pending.destination).toEqual(destination);
    const done = await prisma.outbox.findUniqueOrThrow({ where: { dedupKey: 'a:done' } });
    expect(done.payload).toEqual(payload);
  });

  it('leaves every other group update to the officers desk', async () => {
    const update = { update_id: 2, message: { message_id: 6, date: 0, chat: { id: -1002, type: 'group' }, text: '/tiket' } };
    expect(await followGroupMigration(h.app, { update: update as never })).toBe(false);
  });
});
