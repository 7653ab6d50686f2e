/**
 * A ticket closed while the reporter still owed an answer: the answer to a question asked before the closing still
 * reaches the office, marked as come after it, for LATE_ANSWER_DAYS; anything else about a closed ticket is refused
 * politely with what to do instead (a new report, /status). Driven through the conversation runtime, as a reporter
 * types it, and the officers' desk.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../bot/conversation/conversationRuntime.ts';
import { toPlainText } from '../../../bot/i18n.ts';
import { createInvite } from '../../../bot/officers/invites.ts';
import type { OfficerEffect, OfficerUpdate } from '../../../bot/officers/officerDesk.ts';
import { officerServices, type OfficerServices } from '../../../bot/officers/officerServices.ts';
import { reporterReplyCommands } from '../../../bot/officers/reporterReplies.ts';
import { prismaSql } from '../../../bot/store/store.ts';
import { LATE_ANSWER_DAYS } from '../../../flows/reply/replyCommands.ts';
import { createHarness, type Harness } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { createTicket, FakeOfficeMessenger, RecordingSender } from '../forwarding/support/fixtures.ts';

const GROUP = '-1001905';
const OFFICER = '801';
const DAY = 86_400_000;

describe.each(storeKinds)('answers about a closed ticket, on %s', (kind) => {
  let h: Harness;
  let services: OfficerServices;
  let messenger: FakeOfficeMessenger;
  let reporter: RecordingSender;
  let callbackNo = 0;
  let messageNo = 0;

  const press = (data: string) =>
    services.desk.handle({ userId: OFFICER, displayName: 'Sari', chatId: GROUP, chatType: 'supergroup', callback: { id: `cb${(callbackNo += 1)}`, data, messageId: 40 } });
  const reply = (effects: OfficerEffect[] | null, text: string) => {
    const prompt = (effects ?? []).find((e) => e.type === 'send' && e.forceReply);
    if (!prompt || prompt.type !== 'send') throw new Error('no prompt');
    const update: OfficerUpdate = {
      userId: OFFICER,
      displayName: 'Sari',
      chatId: GROUP,
      chatType: 'supergroup',
      text,
      messageId: (messageNo += 1),
      replyTo: { fromBot: true, text: toPlainText(prompt.html), messageId: 90 },
    };
    return services.desk.handle(update);
  };
  const texts = (effects: OfficerEffect[] | null) => (effects ?? []).flatMap((e) => (e.type === 'send' ? [toPlainText(e.html)] : [])).join('\n');
  const ask = async (code: string, question: string) => reply(await press(`o:ask:${code}`), question);
  const close = async (code: string, reason = 'Kajian selesai: tidak cukup bukti.') => reply(await press(`o:st:${code}:done`), reason);
  /** What the office group received since `from`, as plain text. */
  const groupSince = (from: number) => messenger.calls.slice(from).flatMap((c) => (c.chatId === GROUP && c.method === 'sendText' ? [c.text ?? ''] : []));
  const command = (chatKey: string, name: 'lookupReply' | 'submitReply', payload: Record<string, unknown>) =>
    h.app.store.prisma.$transaction((tx) => {
      const ctx: CommandContext = { tx, sql: prismaSql(tx), chatKey, channel: 'terminal', locale: 'id', at: h.now() };
      return reporterReplyCommands()[name]!({ type: name, ...payload } as never, ctx);
    });

  let reporterNo = 0;
  /** A ticket of a reporter who chatted with the bot before (the runtime knows the chat), waiting at the menu. */
  const reporterTicket = async () => {
    const chatId = `reporter-closed-${(reporterNo += 1)}`;
    await h.command('start', '', { chat: chatId });
    return createTicket(h.app, { officeCode: '19.05', withFiles: false, createdAt: h.now(), chatId });
  };

  beforeAll(async () => {
    h = await createHarness(kind);
    services = officerServices(h.app);
    messenger = new FakeOfficeMessenger();
    services.setMessenger(messenger);
    reporter = new RecordingSender(h.app);
    h.app.senders.set('terminal', reporter);
    const code = await h.app.store.prisma.$transaction((tx) =>
      // A coordinator: only a coordinator links the office's group.
      createInvite(tx, { officeCode: '19.05', role: 'coordinator', expiresAt: new Date('2026-12-31T00:00:00Z') }),
    );
    await services.desk.handle({ userId: OFFICER, displayName: 'Sari', chatId: OFFICER, chatType: 'private', text: `/petugas ${code}`, messageId: 1 });
    await services.desk.handle({ userId: OFFICER, displayName: 'Sari', chatId: GROUP, chatType: 'supergroup', text: '/hubungkan', messageId: 2 });
  });
  beforeEach(() => {
    h.setNow(new Date(h.now().getTime() + 3_600_000));
  });
  afterAll(async () => {
    await h.close();
  });

  it('takes the answer to a question asked before the ticket was closed, says so to the reporter, and marks it for the office', async () => {
    const { ticket, chatId } = await reporterTicket();
    await ask(ticket.code, 'Apakah ada foto terlapor di panggung?');
    h.setNow(new Date(h.now().getTime() + 60_000));
    await close(ticket.code);
    h.setNow(new Date(h.now().getTime() + 2 * DAY));

    // A plain /jawab still finds the question, and says the report is closed but the answer goes.
    const asked = await h.command('jawab', '', { chat: chatId });
    expect(asked.all).toContain('Apakah ada foto terlapor di panggung?');
    expect(asked.all).toContain('Laporan ini sudah ditutup (Selesai), tetapi jawaban Anda atas pertanyaan ini tetap akan diteruskan');
    await h.say('Ada, fotonya diambil warga dari depan panggung.', { chat: chatId });
    const sent = await h.choose('send', { chat: chatId });
    expect(sent.all).toContain(`Jawaban Anda untuk ${ticket.code} sudah diteruskan ke Bawaslu Kabupaten Bangka Barat`);
    expect(sent.all).toContain(`Catatan: laporan ${ticket.code} sudah ditutup (Selesai). Petugas tetap membaca jawaban Anda`);

    const from = messenger.calls.length;
    await services.worker.drain(100);
    const relayed = groupSince(from).filter((t) => t.includes('fotonya diambil warga'));
    expect(relayed).toHaveLength(1);
    expect(relayed[0]).toContain('Menjawab pertanyaan Bawaslu Kabupaten Bangka Barat: Apakah ada foto terlapor di panggung?');
    expect(relayed[0]).toContain('sudah ditutup (Selesai) saat pelapor mengirim jawaban ini');

    // Answered, the question no longer keeps the closed report open to more.
    const again = await h.command('jawab', ticket.code, { chat: chatId });
    expect(again.all).toContain(`Laporan ${ticket.code} sudah ditutup`);
    expect(again.all).toContain('/lapor');
  });

  it('refuses new information about a closed ticket that asked nothing, and says to file a new report instead', async () => {
    const { ticket, chatId, chatKey } = await reporterTicket();
    await close(ticket.code);
    h.setNow(new Date(h.now().getTime() + DAY));
    const refused = await h.command('jawab', `${ticket.code} Terlapor kampanye lagi hari ini di pasar.`, { chat: chatId });
    expect(refused.all).toContain(`Laporan ${ticket.code} sudah ditutup, jadi keterangan tambahan tidak lagi diteruskan ke petugas`);
    expect(refused.all).toContain('silakan buat laporan baru dengan /lapor');
    expect(refused.all).toContain('ketik /status');

    // Nor does a submission that reaches the bot anyway (an older conversation) get through.
    const before = await h.app.store.prisma.outbox.count({ where: { kind: 'office.notify' } });
    const submitted = await command(chatKey, 'submitReply', { code: ticket.code, text: 'Terlapor kampanye lagi hari ini di pasar.', media: [], links: [] });
    expect(submitted).toEqual({ status: 'closed', code: ticket.code });
    expect(await h.app.store.prisma.ticketEvent.count({ where: { ticketId: ticket.id, type: 'answer' } })).toBe(0);
    expect(await h.app.store.prisma.outbox.count({ where: { kind: 'office.notify' } })).toBe(before);
  });

  it(`refuses the answer to a question once ${LATE_ANSWER_DAYS} days have passed since the closing, saying why`, async () => {
    const { ticket, chatId, chatKey } = await reporterTicket();
    await ask(ticket.code, 'Siapa yang mengambil videonya?');
    h.setNow(new Date(h.now().getTime() + 60_000));
    await close(ticket.code);
    h.setNow(new Date(h.now().getTime() + LATE_ANSWER_DAYS * DAY - 60_000));
    expect(await command(chatKey, 'lookupReply', { code: null })).toMatchObject({ status: 'found', target: { code: ticket.code, closedStatus: 'done' } });

    h.setNow(new Date(h.now().getTime() + 2 * 60_000));
    expect(await command(chatKey, 'lookupReply', { code: null })).toEqual({ status: 'none' });
    const late = await h.command('jawab', ticket.code, { chat: chatId });
    expect(late.all).toContain(`Laporan ${ticket.code} sudah ditutup lebih dari ${LATE_ANSWER_DAYS} hari yang lalu`);
    expect(late.all).toContain('/lapor');
    expect(await command(chatKey, 'submitReply', { code: ticket.code, text: 'Videonya dari adik saya.', media: [], links: [] })).toEqual({
      status: 'closed',
      code: ticket.code,
    });
  });

  it('still passes on information begun while the ticket was open and sent after an officer closed it', async () => {
    const { ticket, chatId } = await reporterTicket();
    const writing = await h.command('jawab', ticket.code, { chat: chatId });
    expect(writing.all).toContain(`Silakan tulis keterangan tambahan untuk laporan ${ticket.code}`);
    await h.say('Saya punya rekaman suara orasinya.', { chat: chatId });
    h.setNow(new Date(h.now().getTime() + 60_000));
    await close(ticket.code);
    h.setNow(new Date(h.now().getTime() + 60_000));
    const sent = await h.choose('send', { chat: chatId });
    expect(sent.all).toContain(`Jawaban Anda untuk ${ticket.code} sudah diteruskan`);
    expect(sent.all).toContain(`Catatan: laporan ${ticket.code} sudah ditutup (Selesai)`);
    const from = messenger.calls.length;
    await services.worker.drain(100);
    expect(groupSince(from).filter((t) => t.includes('rekaman suara orasinya') && t.includes('sudah ditutup (Selesai)'))).toHaveLength(1);
  });

  it('tells the reporter, when the ticket is closed before they answered, how long the answer is still taken, and the officer that it may come', async () => {
    const { ticket, chatId } = await reporterTicket();
    await ask(ticket.code, 'Di kecamatan mana acaranya?');
    h.setNow(new Date(h.now().getTime() + 60_000));
    const closed = await close(ticket.code);
    expect(texts(closed)).toContain(`Pelapor masih dapat menjawabnya dalam ${LATE_ANSWER_DAYS} hari`);
    await services.worker.drain(100);
    expect(reporter.textsFor(chatId)).toContain(`ketik /jawab ${ticket.code} dalam ${LATE_ANSWER_DAYS} hari ke depan`);

    // A ticket closed with no question waiting says nothing of the kind.
    const other = await reporterTicket();
    expect(texts(await close(other.ticket.code))).not.toContain('Pelapor masih dapat menjawabnya');
    await services.worker.drain(100);
    expect(reporter.textsFor(other.chatId)).not.toContain('hari ke depan');
  });
});
