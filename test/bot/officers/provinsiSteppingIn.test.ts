/**
 * A kabupaten leaves a ticket unacknowledged; the reminder copies it to the provinsi, which steps in from the copy
 * in its own group. Both offices then work on one ticket: each must see what the other did, the questions either
 * asked the reporter and every answer, while the reporter stays a pseudonym. Actions decided on a ticket that
 * another officer moved meanwhile are not carried out.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../bot/conversation/conversationRuntime.ts';
import { toPlainText } from '../../../bot/i18n.ts';
import { createInvite } from '../../../bot/officers/invites.ts';
import type { OfficerEffect } from '../../../bot/officers/officerDesk.ts';
import { officerServices, type OfficerServices } from '../../../bot/officers/officerServices.ts';
import { reporterReplyCommands } from '../../../bot/officers/reporterReplies.ts';
import { prismaSql } from '../../../bot/store/store.ts';
import { createHarness, type Harness } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { createTicket, FakeOfficeMessenger, officerUpdates, RecordingSender } from '../forwarding/support/fixtures.ts';

const KABUPATEN_GROUP = '-1001905';
const PROVINSI_GROUP = '-1000019';
const SARI = '701';
const RINA = '702';
const BUDI = '703';
const KABUPATEN = 'Bawaslu Kabupaten Bangka Barat';
const PROVINSI = 'Bawaslu Provinsi Kepulauan Bangka Belitung';
const HOUR = 3_600_000;

describe.each(storeKinds)('a provinsi stepping in on a kabupaten ticket, on %s', (kind) => {
  let h: Harness;
  let services: OfficerServices;
  let messenger: FakeOfficeMessenger;

  const names: Record<string, string> = { [SARI]: 'Sari', [RINA]: 'Rina', [BUDI]: 'Budi' };
  const { message, press, reply } = officerUpdates(() => services.desk, names);
  const sentTo = (effects: OfficerEffect[] | null, chatId: string) =>
    (effects ?? []).flatMap((e) => (e.type === 'send' && e.chatId === chatId ? [toPlainText(e.html)] : []));
  const answer = (chatKey: string, code: string, text: string) =>
    h.app.store.prisma.$transaction((tx) => {
      const ctx: CommandContext = { tx, sql: prismaSql(tx), chatKey, channel: 'terminal', locale: 'id', at: h.now() };
      return reporterReplyCommands().submitReply!({ type: 'submitReply', code, text, media: [], links: [] }, ctx);
    });
  /** What reached each office group after `from` (the messenger's call index), as plain text. */
  const groupTexts = (chatId: string, from: number) =>
    messenger.calls.slice(from).flatMap((c) => (c.chatId === chatId && c.method === 'sendText' ? [c.text ?? ''] : []));
  const invite = (officeCode: string, role: 'officer' | 'coordinator') =>
    h.app.store.prisma.$transaction((tx) => createInvite(tx, { officeCode, role, expiresAt: new Date(h.now().getTime() + 30 * 86_400_000) }));
  /** Runs an action, then returns its effects and the call index from which the worker delivered what it caused. */
  const acted = async (action: () => Promise<OfficerEffect[] | null>) => {
    const effects = await action();
    const from = messenger.calls.length;
    await services.worker.drain(200);
    return { effects, from };
  };

  /** A ticket of the kabupaten, left unacknowledged until the reminder copied it to the provinsi group. */
  const remindedTicket = async () => {
    const created = await createTicket(h.app, { officeCode: '19.05', withFiles: false, createdAt: h.now() });
    await services.worker.drain(200);
    h.setNow(new Date(h.now().getTime() + 49 * HOUR));
    expect(await services.remind()).toContain(created.ticket.id);
    await services.worker.drain(200);
    return created;
  };

  beforeAll(async () => {
    h = await createHarness(kind);
    services = officerServices(h.app);
    messenger = new FakeOfficeMessenger();
    services.setMessenger(messenger);
    h.app.senders.set('terminal', new RecordingSender(h.app));
    // Sari and Rina are their offices' coordinators, who link the groups.
    for (const [user, office, role] of [
      [SARI, '19.05', 'coordinator'],
      [RINA, '19', 'coordinator'],
      [BUDI, '19.05', 'officer'],
    ] as const) {
      await services.desk.handle(message(user, user, `/petugas ${await invite(office, role)}`));
    }
    await services.desk.handle(message(SARI, KABUPATEN_GROUP, '/hubungkan'));
    await services.desk.handle(message(RINA, PROVINSI_GROUP, '/hubungkan'));
  });
  beforeEach(() => {
    h.setNow(new Date(h.now().getTime() + HOUR));
  });
  afterAll(async () => {
    await h.close();
  });

  it("tells the provinsi on the reminder's copy that what it does there is told to the kabupaten, and the kabupaten who got the copy", async () => {
    const from = messenger.calls.length;
    const { ticket } = await remindedTicket();
    const copy = groupTexts(PROVINSI_GROUP, from).find((t) => t.includes(`Salinan untuk perhatian: ${ticket.code}`));
    expect(copy).toContain(`Bila Anda menindaklanjutinya di sini, ${KABUPATEN} ikut diberi tahu, dan jawaban pelapor diteruskan ke kedua kantor.`);
    // The kabupaten reads in the ticket's history who got the copy, and so who may step in.
    const shown = await services.desk.handle(message(SARI, KABUPATEN_GROUP, `/tiket ${ticket.code}`));
    expect(sentTo(shown, KABUPATEN_GROUP).join('\n')).toContain(`pengingat dikirim; salinan ke ${PROVINSI}`);
  });

  it("tells the kabupaten group that the provinsi asked the reporter from the reminder's copy, with the question", async () => {
    const { ticket } = await remindedTicket();
    const prompt = await press(RINA, PROVINSI_GROUP, `o:ask:${ticket.code}`);
    const asked = await acted(() => reply(prompt, RINA, 'Siapa saja yang hadir di lokasi?'));
    expect(sentTo(asked.effects, PROVINSI_GROUP).join('\n')).toContain(
      `Jawabannya akan diteruskan ke ${PROVINSI} dan ke ${KABUPATEN}, yang menangani tiket ini.`,
    );
    const told = groupTexts(KABUPATEN_GROUP, asked.from);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(`🏢 Dari Rina, ${PROVINSI}:`);
    expect(told[0]).toContain(`Pertanyaan untuk pelapor ${ticket.code} sudah dikirim`);
    expect(told[0]).toContain('Siapa saja yang hadir di lokasi?');
  });

  it("passes the reporter's answer to the provinsi question to both offices, each with the question, under the pseudonym only", async () => {
    const { ticket, chatId, chatKey } = await remindedTicket();
    await reply(await press(RINA, PROVINSI_GROUP, `o:ask:${ticket.code}`), RINA, 'Kapan tepatnya acara itu dimulai?');
    expect(await answer(chatKey, ticket.code, 'Sekitar pukul sembilan pagi.')).toMatchObject({ status: 'sent', office: PROVINSI });
    const from = messenger.calls.length;
    await services.worker.drain(200);
    for (const group of [KABUPATEN_GROUP, PROVINSI_GROUP]) {
      const relayed = groupTexts(group, from).filter((t) => t.includes('Sekitar pukul sembilan pagi.'));
      expect(relayed).toHaveLength(1);
      expect(relayed[0]).toContain(`Menjawab pertanyaan ${PROVINSI}: Kapan tepatnya acara itu dimulai?`);
      expect(relayed[0]).toContain('Pelapor Elang-42');
      expect(relayed[0]).not.toContain(chatId);
      expect(relayed[0]).not.toContain(chatKey);
    }
  });

  it('keeps passing answers to the provinsi that asked after the kabupaten asked a question of its own, and tells it of that question', async () => {
    const { ticket, chatKey } = await remindedTicket();
    await reply(await press(RINA, PROVINSI_GROUP, `o:ask:${ticket.code}`), RINA, 'Apakah ada foto spanduknya?');
    h.setNow(new Date(h.now().getTime() + 60_000));
    const prompt = await press(SARI, KABUPATEN_GROUP, `o:ask:${ticket.code}`);
    const kabupatenAsked = await acted(() => reply(prompt, SARI, 'Siapa nama kepala desanya?'));
    const toProvinsi = groupTexts(PROVINSI_GROUP, kabupatenAsked.from);
    expect(toProvinsi).toHaveLength(1);
    expect(toProvinsi[0]).toContain(`🏢 Dari Sari, ${KABUPATEN}:`);
    expect(toProvinsi[0]).toContain('Siapa nama kepala desanya?');

    await answer(chatKey, ticket.code, 'Namanya Pak Darto; fotonya saya kirim nanti.');
    const from = messenger.calls.length;
    await services.worker.drain(200);
    for (const group of [KABUPATEN_GROUP, PROVINSI_GROUP]) {
      const relayed = groupTexts(group, from).filter((t) => t.includes('Namanya Pak Darto'));
      expect(relayed).toHaveLength(1);
      expect(relayed[0]).toContain(`Menjawab pertanyaan ${KABUPATEN}: Siapa nama kepala desanya?`);
    }
  });

  it("tells the kabupaten group when the provinsi acknowledges the ticket or sets its status from the copy", async () => {
    const { ticket } = await remindedTicket();
    const ack = await acted(() => press(RINA, PROVINSI_GROUP, `o:ack:${ticket.code}`));
    expect(groupTexts(KABUPATEN_GROUP, ack.from)).toEqual([`🏢 Dari Rina, ${PROVINSI}:\n✅ ${ticket.code} diterima oleh Rina. Pelapor sudah diberi tahu.`]);
    const prompt = await press(RINA, PROVINSI_GROUP, `o:st:${ticket.code}:handling`);
    const status = await acted(() => reply(prompt, RINA, 'Provinsi ikut mengkaji.'));
    expect(groupTexts(KABUPATEN_GROUP, status.from).join('\n')).toMatch(/Dari Rina, Bawaslu Provinsi[\s\S]*Sedang ditangani[\s\S]*Provinsi ikut mengkaji\./);
  });

  it('stops passing answers to a provinsi once the ticket was transferred to another province', async () => {
    const { ticket, chatKey } = await remindedTicket();
    await reply(await press(RINA, PROVINSI_GROUP, `o:ask:${ticket.code}`), RINA, 'Di desa mana tepatnya kejadiannya?');
    await reply(await press(SARI, KABUPATEN_GROUP, `o:mv:${ticket.code}`), SARI, '32.01');
    expect(await answer(chatKey, ticket.code, 'Ternyata di Kabupaten Bogor, bukan Bangka Barat.')).toMatchObject({
      status: 'sent',
      office: 'Bawaslu Kabupaten Bogor',
    });
    const notices = await h.app.store.prisma.outbox.findMany({ where: { kind: 'office.notify', payload: { path: ['ticketId'], equals: ticket.id } } });
    const answers = notices.filter((n) => (n.payload as { notice?: string }).notice === 'answer');
    expect(answers.map((n) => (n.destination as { officeCode: string }).officeCode)).toEqual(['32.01']);
  });

  it('asks no question decided for the office the ticket was at, once another officer moved it', async () => {
    const { ticket, chatId } = await remindedTicket();
    const prompt = await press(RINA, PROVINSI_GROUP, `o:ask:${ticket.code}`);
    // Meanwhile the kabupaten sends it to its neighbour, still under the same provinsi.
    await reply(await press(SARI, KABUPATEN_GROUP, `o:mv:${ticket.code}`), SARI, '19.04');
    const late = await reply(prompt, RINA, 'Apakah terlapor hadir sebagai pembicara?');
    expect(sentTo(late, PROVINSI_GROUP).join('\n')).toContain('baru saja diubah petugas lain');
    expect(await h.app.store.prisma.ticketEvent.count({ where: { ticketId: ticket.id, type: 'question' } })).toBe(0);
    await services.worker.drain(200);
    expect((h.app.senders.get('terminal') as RecordingSender).textsFor(chatId)).not.toContain('pembicara');
  });

  it('transfers no ticket another officer moved since the transfer prompt or the choice of offices was offered', async () => {
    const { ticket } = await remindedTicket();
    const prisma = h.app.store.prisma;
    const prompt = await press(RINA, PROVINSI_GROUP, `o:mv:${ticket.code}`);
    const choices = await reply(prompt, RINA, 'padang');
    const choice = (choices ?? []).flatMap((e) => (e.type === 'send' ? (e.keyboard ?? []).flat() : [])).find((b) => b.data.includes(':13.71'));
    expect(choice?.data).toBe(`o:mv:${ticket.code}:13.71:19.05`);
    // Sari moves it first.
    await reply(await press(SARI, KABUPATEN_GROUP, `o:mv:${ticket.code}`), SARI, '19.04');
    const pressed = await press(RINA, PROVINSI_GROUP, choice!.data);
    expect(pressed).toEqual([expect.objectContaining({ type: 'answerCallback', alert: true, text: expect.stringContaining('baru saja diubah petugas lain') })]);
    expect(sentTo(await reply(prompt, RINA, '19.06'), PROVINSI_GROUP).join('\n')).toContain('baru saja diubah petugas lain');
    expect((await prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).officeCode).toBe('19.04');
  });

  it('says a transfer choice pressed twice was carried out already, and stays silent when a transfer reply is delivered again', async () => {
    const { ticket } = await remindedTicket();
    const prisma = h.app.store.prisma;
    const choices = await reply(await press(RINA, PROVINSI_GROUP, `o:mv:${ticket.code}`), RINA, 'belitung');
    const choice = (choices ?? []).flatMap((e) => (e.type === 'send' ? (e.keyboard ?? []).flat() : [])).find((b) => b.data.includes(':19.02:'))!;
    expect(sentTo(await press(RINA, PROVINSI_GROUP, choice.data), PROVINSI_GROUP).join('\n')).toContain(`${ticket.code} dialihkan ke Bawaslu Kabupaten Belitung`);
    const twice = await press(RINA, PROVINSI_GROUP, choice.data);
    expect(sentTo(twice, PROVINSI_GROUP).join('\n')).toContain(`${ticket.code} sudah berada di Bawaslu Kabupaten Belitung`);
    expect(await prisma.ticketEvent.count({ where: { ticketId: ticket.id, type: 'transferred' } })).toBe(1);

    // The provinsi moves it on by replying to a prompt, and Telegram delivers that reply a second time.
    const prompt = (await press(RINA, PROVINSI_GROUP, `o:mv:${ticket.code}`))!.find((e) => e.type === 'send' && e.forceReply)!;
    const update = message(RINA, PROVINSI_GROUP, '19.06', { fromBot: true, text: prompt.type === 'send' ? toPlainText(prompt.html) : '', messageId: 91 });
    expect(sentTo(await services.desk.handle(update), PROVINSI_GROUP).join('\n')).toContain('dialihkan ke Bawaslu Kabupaten Belitung Timur');
    expect(await services.desk.handle(update)).toEqual([]);
    expect(await prisma.ticketEvent.count({ where: { ticketId: ticket.id, type: 'transferred' } })).toBe(2);
  });

  it("tells an office's other officers in their private chats when it has no group, and its other group when it has two", async () => {
    const prisma = h.app.store.prisma;
    await prisma.officeChat.deleteMany({ where: { chatId: KABUPATEN_GROUP } });
    const { ticket } = await createTicket(h.app, { officeCode: '19.05', withFiles: false, createdAt: h.now() });
    await services.worker.drain(200);
    const acked = await acted(() => press(SARI, SARI, `o:ack:${ticket.code}`));
    expect(groupTexts(BUDI, acked.from)).toEqual([`🔒 Dari chat pribadi Sari dengan bot:\n✅ ${ticket.code} diterima oleh Sari. Pelapor sudah diberi tahu.`]);
    // Sari reads the desk's answer in her chat, and gets no copy of the notice.
    expect(sentTo(acked.effects, SARI)).toHaveLength(1);
    expect(groupTexts(SARI, acked.from)).toEqual([]);

    await prisma.officeChat.createMany({
      data: [
        { officeCode: '19.05', chatId: KABUPATEN_GROUP, linkedBy: 'test' },
        { officeCode: '19.05', chatId: '-1001906', linkedBy: 'test' },
      ],
    });
    const prompt = await press(SARI, KABUPATEN_GROUP, `o:note:${ticket.code}`);
    const noted = await acted(() => reply(prompt, SARI, 'Sudah ditelepon ke BKPSDM.'));
    expect(groupTexts('-1001906', noted.from)).toEqual([
      `👥 Dari grup lain kantor ini, oleh Sari:\n📝 Catatan internal untuk ${ticket.code} tersimpan. Catatan ini tidak dikirim ke pelapor.\nSudah ditelepon ke BKPSDM.`,
    ]);
    expect(sentTo(noted.effects, KABUPATEN_GROUP)).toHaveLength(1);
    expect(groupTexts(KABUPATEN_GROUP, noted.from)).toEqual([]);
    expect(groupTexts(BUDI, noted.from)).toEqual([]);
    await prisma.officeChat.deleteMany({ where: { chatId: '-1001906' } });
  });
});
