/**
 * An office group gets about 20 messages a minute from a bot, and tickets are delivered there too, so the group's
 * send queue is often behind. An officer's button press must still be answered at once: the action commits, the
 * toast rides in the webhook's answer, and the notices it causes wait their turn in the queue without holding the
 * update (Telegram would deliver it again) or the group's next update.
 */
import type { Message } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramLimits } from '../../../bot/channels/telegram/sendQueue.ts';
import { createInvite } from '../../../bot/officers/invites.ts';
import { officerServices } from '../../../bot/officers/officerServices.ts';
import { attachOfficerDesk } from '../../../bot/officers/telegramOfficerHooks.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { startKit, textOf, type Kit } from '../channels/telegram/telegramKit.ts';
import { createTicket } from '../forwarding/support/fixtures.ts';

const OFFICER = 7101;
const GROUP = -100778;
const BACKLOG = 6;

describe.each(storeKinds)('an officer’s button press in a busy office group, over the webhook on %s', (kind) => {
  let kit: Kit;

  beforeAll(async () => {
    // Two messages a second in a group, no burst: the backlog below takes about three seconds to go out.
    kit = await startKit({
      kind,
      mode: 'webhook',
      probe: false,
      now: '2026-11-22T03:00:00.000Z',
      channel: { limits: { ...telegramLimits, perGroupPerMin: 120, perGroupBurst: 1 } },
    });
    attachOfficerDesk(kit.app, kit.channel);
    const invite = await kit.app.store.prisma.$transaction((tx) =>
      // A coordinator: only a coordinator links the office's group.
      createInvite(tx, { officeCode: '19.05', role: 'coordinator', expiresAt: new Date('2026-12-01T00:00:00Z') }),
    );
    const say = async (chat: number, text: string, match: RegExp) => {
      const from = kit.fake.calls.length;
      kit.fake.pushUpdate(kit.fake.textUpdate(chat, text, { from: { id: OFFICER, first_name: 'Sari' } }));
      await kit.fake.waitForSent(chat, match, 5000, from);
    };
    await say(OFFICER, `/petugas ${invite}`, /terdaftar sebagai koordinator/);
    await say(GROUP, '/hubungkan', /saluran tiket/);
  });
  afterAll(async () => {
    await kit?.close();
  });

  /** A ticket delivered to the group: its code and the message id of its card. */
  const deliveredTicket = async () => {
    const {
      ticket: { code },
    } = await createTicket(kit.app, { officeCode: '19.05', withFiles: false });
    await officerServices(kit.app).worker.drain();
    const card = kit.fake.sent(GROUP).find((c) => c.method === 'sendMessage' && textOf(c).includes(`Laporan baru ${code}`))!;
    return { code, cardId: (card.result as Message).message_id };
  };
  /** Queues messages to the group ahead of anything the press causes. */
  const fillQueue = () =>
    Array.from({ length: BACKLOG }, (_, i) => kit.channel.enqueue(String(GROUP), (telegram) => telegram.sendMessage(GROUP, `antrean ${i + 1}`)));
  const groupTexts = () => kit.fake.messages(GROUP).map((m) => m.text ?? '');

  it('answers the press and commits the action before the queued messages are out, then sends its notices after them', async () => {
    const { code, cardId } = await deliveredTicket();
    const backlog = fillQueue();
    const from = kit.fake.calls.length;
    kit.fake.pushUpdate(kit.fake.callbackUpdate(GROUP, cardId, `o:ack:${code}`, { id: OFFICER, first_name: 'Sari' }));
    await kit.fake.webhookIdle();

    // The webhook was answered while the group's queue still held the last of the backlog.
    expect(groupTexts()).not.toContain(`antrean ${BACKLOG}`);
    expect(kit.fake.webhookDeliveries.at(-1)).toMatchObject({ status: 200, error: undefined });
    const toast = kit.fake.calls.slice(from).find((c) => c.method === 'answerCallbackQuery')!;
    expect(toast.via).toBe('webhookReply');
    expect(String(toast.params.text)).toContain(`${code} diterima`);
    const ticket = await kit.app.store.prisma.ticket.findUniqueOrThrow({ where: { code } });
    expect(ticket.acknowledgedAt).not.toBeNull();

    // The notices follow the backlog, in order: the card's keyboard, then the group's notice.
    await Promise.all(backlog);
    const notice = await kit.fake.waitForSent(GROUP, `${code} diterima oleh Sari`, 10_000, from);
    const edit = kit.fake.calls.slice(from).find((c) => c.method === 'editMessageReplyMarkup' && c.chatId === GROUP)!;
    const last = kit.fake.calls.slice(from).find((c) => c.method === 'sendMessage' && textOf(c) === `antrean ${BACKLOG}`)!;
    expect(last.seq).toBeLessThan(edit.seq);
    expect(edit.seq).toBeLessThan(notice.seq);
  });

  it('still sends the notices of a press when the bot is stopped right after answering it', async () => {
    const { code, cardId } = await deliveredTicket();
    fillQueue();
    const from = kit.fake.calls.length;
    kit.fake.pushUpdate(kit.fake.callbackUpdate(GROUP, cardId, `o:ack:${code}`, { id: OFFICER, first_name: 'Sari' }));
    await kit.fake.webhookIdle();
    expect(kit.fake.sent(GROUP).some((c) => c.seq >= from && textOf(c).includes(`${code} diterima oleh Sari`))).toBe(false);

    await kit.channel.stop();
    expect(kit.fake.sent(GROUP).some((c) => c.seq >= from && textOf(c).includes(`${code} diterima oleh Sari`))).toBe(true);
  });
});
