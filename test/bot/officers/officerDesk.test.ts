import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../bot/audit/auditLog.ts';
import { toPlainText } from '../../../bot/i18n.ts';
import { createInvite } from '../../../bot/officers/invites.ts';
import type { OfficerEffect, OfficerUpdate } from '../../../bot/officers/officerDesk.ts';
import { ENROL_ATTEMPTS, parseTicketCode } from '../../../bot/officers/officerDesk.ts';
import { officerServices, type OfficerServices } from '../../../bot/officers/officerServices.ts';
import { authorizeOfficer, officerUserKey, revokeOfficer } from '../../../bot/officers/officerRepository.ts';
import { reporterReplyCommands } from '../../../bot/officers/reporterReplies.ts';
import {
  acknowledgeTicket,
  askReporter,
  setTicketStatus,
  TicketChangedError,
  transferTicket,
  type ActionContext,
} from '../../../bot/officers/ticketActions.ts';
import { createHarness, type Harness } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { createTicket, FakeOfficeMessenger, RecordingSender } from '../forwarding/support/fixtures.ts';
import { prismaSql } from '../../../bot/store/store.ts';
import type { CommandContext } from '../../../bot/conversation/conversationRuntime.ts';

const GROUP = '-100500';

function texts(effects: OfficerEffect[] | null): string {
  return (effects ?? [])
    .map((e) => (e.type === 'send' ? toPlainText(e.html) : e.type === 'answerCallback' ? `[toast] ${e.text ?? ''}` : '[keyboard]'))
    .join('\n');
}

describe('ticket codes as officers type them', () => {
  it('are read in any case, with or without dashes', () => {
    expect(parseTicketCode('ntr-7k3p-9qxa')).toBe('NTR-7K3P-9QXA');
    expect(parseTicketCode('NTR 7K3P 9QXA')).toBe('NTR-7K3P-9QXA');
    expect(parseTicketCode('tiket 12')).toBeNull();
  });
});

describe.each(storeKinds)('officer desk on %s', (kind) => {
  let h: Harness;
  let services: OfficerServices;
  let messenger: FakeOfficeMessenger;
  let reporter: RecordingSender;
  let callbackNo = 0;

  const desk = () => services.desk;
  const privateMessage = (userId: string, text: string, name = 'Sari Dewi'): OfficerUpdate => ({
    userId,
    displayName: name,
    chatId: userId,
    chatType: 'private',
    text,
    messageId: 1,
  });
  const groupMessage = (userId: string, text: string, replyTo?: OfficerUpdate['replyTo']): OfficerUpdate => ({
    userId,
    displayName: `User ${userId}`,
    chatId: GROUP,
    chatType: 'supergroup',
    text,
    messageId: 2,
    ...(replyTo ? { replyTo } : {}),
  });
  const press = (userId: string, data: string, chatId = GROUP): OfficerUpdate => ({
    userId,
    displayName: `User ${userId}`,
    chatId,
    chatType: chatId.startsWith('-') ? 'supergroup' : 'private',
    callback: { id: `cb${(callbackNo += 1)}`, data, messageId: 77 },
  });
  /** Answers the prompt an effect list contains, as Telegram delivers a reply to the bot's message. */
  const answerPrompt = (effects: OfficerEffect[] | null, userId: string, text: string) => {
    const prompt = (effects ?? []).find((e) => e.type === 'send' && e.forceReply);
    if (!prompt || prompt.type !== 'send') throw new Error('no prompt');
    return desk().handle(groupMessage(userId, text, { fromBot: true, text: toPlainText(prompt.html), messageId: 90 }));
  };
  const invite = (officeCode: string, role: 'officer' | 'coordinator' = 'officer') =>
    h.app.store.prisma.$transaction((tx) =>
      createInvite(tx, { officeCode, role, expiresAt: new Date(h.now().getTime() + 7 * 86_400_000) }),
    );

  beforeAll(async () => {
    h = await createHarness(kind);
    services = officerServices(h.app);
    messenger = new FakeOfficeMessenger();
    services.setMessenger(messenger);
    reporter = new RecordingSender(h.app);
    h.app.senders.set('terminal', reporter);
  });
  afterAll(async () => {
    await h.close();
  });

  it('enrols an officer with a one-time code in a private chat, and only there', async () => {
    const code = await invite('19.05');
    const inGroup = await desk().handle(groupMessage('501', `/petugas ${code}`));
    expect(texts(inGroup)).toContain('kirim kode undangan di chat pribadi');
    const done = await desk().handle(privateMessage('501', `/petugas ${code}`));
    expect(texts(done)).toContain('Anda kini terdaftar sebagai petugas Bawaslu Kabupaten Bangka Barat');
    const reused = await desk().handle(privateMessage('502', `/officer ${code}`));
    expect(texts(reused)).toContain('sudah dipakai');
    const wrong = await desk().handle(privateMessage('502', '/petugas PTG-2222-3333-4444'));
    expect(texts(wrong)).toContain('tidak dikenal');
    const whoami = await desk().handle(privateMessage('501', '/petugas'));
    expect(texts(whoami)).toContain('Bawaslu Kabupaten Bangka Barat (petugas)');
    await desk().handle(privateMessage('503', `/petugas ${await invite('19', 'coordinator')}`, 'Rina'));
  });

  it('stops taking invite codes from a user after five attempts in a quarter of an hour, even a valid one', async () => {
    for (let i = 0; i < ENROL_ATTEMPTS; i += 1) {
      expect(texts(await desk().handle(privateMessage('590', '/petugas PTG-2222-3333-4444')))).toContain('tidak dikenal');
    }
    const code = await invite('19.05');
    const refused = await desk().handle(privateMessage('590', `/petugas ${code}`));
    expect(texts(refused)).toContain('Terlalu banyak percobaan kode undangan');
    // Another user is not held up, and the code was not used up by the refused attempt.
    expect(texts(await desk().handle(privateMessage('591', `/petugas ${code}`)))).toContain('Anda kini terdaftar');
  });

  it('links a group only for a coordinator, and leaves other commands and chats alone', async () => {
    const outsider = await desk().handle(groupMessage('999', '/hubungkan'));
    expect(texts(outsider)).toContain('Hanya petugas terdaftar');
    expect(texts(await desk().handle(groupMessage('501', '/hubungkan')))).toContain('Hanya koordinator Bawaslu Kabupaten Bangka Barat');
    expect(await h.app.store.prisma.officeChat.count()).toBe(0);
    await desk().handle(privateMessage('509', `/petugas ${await invite('19.05', 'coordinator')}`, 'Yanti'));
    const linked = await desk().handle(groupMessage('509', '/hubungkan@netra_bot'));
    expect(texts(linked)).toContain('Grup ini sekarang menjadi saluran tiket Bawaslu Kabupaten Bangka Barat');
    expect(texts(await desk().handle(groupMessage('509', '/link')))).toContain('sudah terhubung');
    expect(await h.app.store.prisma.officeChat.findMany()).toEqual([expect.objectContaining({ officeCode: '19.05', chatId: GROUP })]);
    expect(desk().claims(privateMessage('501', '/lapor'))).toBe(false);
    expect(desk().claims(groupMessage('501', 'selamat pagi semua'))).toBe(false);
    expect(desk().claims(privateMessage('501', '/bantuan'))).toBe(false);
    expect(desk().claims(groupMessage('501', '/bantuan'))).toBe(true);
  });

  it('links a group by the office name an officer types, and refuses an office they are not enrolled at', async () => {
    await desk().handle(privateMessage('520', `/petugas ${await invite('32.04', 'coordinator')}`));
    const inOtherGroup = (text: string): OfficerUpdate => ({ ...groupMessage('520', text), chatId: '-100777' });
    const refused = await desk().handle(inOtherGroup('/hubungkan Bangka Barat'));
    expect(texts(refused)).toContain('tidak terdaftar sebagai petugas kantor Bawaslu Kabupaten Bangka Barat');
    expect(await h.app.store.prisma.officeChat.count({ where: { chatId: '-100777' } })).toBe(0);
    // "Bandung" names three offices; the officer is enrolled at one of them.
    const linked = await desk().handle(inOtherGroup('/hubungkan bandung'));
    expect(texts(linked)).toContain('saluran tiket Bawaslu Kabupaten Bandung');
    expect(await h.app.store.prisma.officeChat.findMany({ where: { chatId: '-100777' } })).toEqual([expect.objectContaining({ officeCode: '32.04' })]);
    // Enrolment and "where am I enrolled" happen in a private chat; a group is told so, not shown the desk's help.
    expect(texts(await desk().handle(inOtherGroup('/petugas')))).toContain('Ketik /petugas di chat pribadi dengan bot');
  });

  it('lets an officer acknowledge a ticket, tells the reporter, and refuses an outsider', async () => {
    const { ticket, chatId } = await createTicket(h.app, { officeCode: '19.05', locale: 'en' });
    await services.worker.drain();
    const card = messenger.to(GROUP).find((c) => c.method === 'sendText' && c.text?.includes(ticket.code))!;
    expect(card.keyboard?.[0]?.[0]?.data).toBe(`o:ack:${ticket.code}`);

    const refused = await desk().handle(press('999', `o:ack:${ticket.code}`));
    expect(refused).toEqual([expect.objectContaining({ type: 'answerCallback', alert: true })]);
    expect(texts(refused)).toContain('hanya petugas kantor');
    const otherOffice = await desk().handle(privateMessage('504', `/petugas ${await invite('32.01')}`));
    expect(texts(otherOffice)).toContain('Bogor');
    expect(texts(await desk().handle(press('504', `o:ack:${ticket.code}`)))).toContain('hanya petugas kantor');
    const denied = await h.app.store.prisma.auditLog.findMany({ where: { action: 'access.denied', ticketId: ticket.id } });
    expect(denied).toHaveLength(2);
    // The refused user appears only as a keyed-hash prefix, never by Telegram id.
    expect(denied.map((d) => d.actor)).toEqual([expect.stringMatching(/^telegram:[0-9a-f]{12}$/), expect.stringMatching(/^telegram:[0-9a-f]{12}$/)]);
    expect(denied.map((d) => d.data)).toEqual([
      { code: ticket.code, attempted: 'button.ack', chatType: 'supergroup' },
      { code: ticket.code, attempted: 'button.ack', chatType: 'supergroup' },
    ]);

    const ack = await desk().handle(press('501', `o:ack:${ticket.code}`));
    expect(texts(ack)).toContain(`${ticket.code} diterima oleh User 501`);
    expect(ack).toContainEqual(expect.objectContaining({ type: 'editKeyboard', messageId: 77 }));
    const edited = ack!.find((e) => e.type === 'editKeyboard');
    expect(edited?.type === 'editKeyboard' && edited.keyboard?.flat().map((b) => b.data)).not.toContain(`o:ack:${ticket.code}`);
    expect(texts(await desk().handle(press('501', `o:ack:${ticket.code}`)))).toContain('sudah diterima sebelumnya');
    const stored = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(stored).toMatchObject({ status: 'acknowledged', acknowledgedAt: h.now() });

    await services.worker.drain();
    expect(reporter.textsFor(chatId)).toContain(`Your report ${ticket.code} has been acknowledged by an officer of Bawaslu Kabupaten Bangka Barat`);
  });

  it('relays a question to the reporter, whose answer and new evidence come back to the office', async () => {
    const { ticket, chatId, chatKey } = await createTicket(h.app, { officeCode: '19.05' });
    const prompt = await desk().handle(press('501', `o:ask:${ticket.code}`));
    const promptEffect = prompt!.find((e) => e.type === 'send')!;
    expect(promptEffect).toMatchObject({ forceReply: true });
    expect(promptEffect.type === 'send' && promptEffect.html).toMatch(new RegExp(`^#tanya ${ticket.code}\\n<a href="tg://user\\?id=501">`));
    const tooShort = await answerPrompt(prompt, '501', 'ok');
    expect(texts(tooShort)).toContain('terlalu singkat');
    // The refusal is a prompt of its own: replying to it is the answer.
    const sent = await answerPrompt(tooShort, '501', 'Apakah ada foto spanduk di lokasi?');
    expect(texts(sent)).toContain('Pertanyaan untuk pelapor');
    await services.worker.drain();
    expect(reporter.textsFor(chatId)).toContain('Apakah ada foto spanduk di lokasi?');
    expect(reporter.textsFor(chatId)).toContain(`/jawab ${ticket.code}`);

    const commands = reporterReplyCommands();
    const at = h.now();
    const lookup = await h.app.store.prisma.$transaction((tx) =>
      commands.lookupReply!({ type: 'lookupReply', code: null }, { tx, sql: prismaSql(tx), chatKey, channel: 'terminal', locale: 'id', at }),
    );
    expect(lookup).toEqual({
      status: 'found',
      target: { code: ticket.code, office: 'Bawaslu Kabupaten Bangka Barat', question: 'Apakah ada foto spanduk di lokasi?' },
    });
    const stranger = await h.app.store.prisma.$transaction((tx) =>
      commands.lookupReply!({ type: 'lookupReply', code: ticket.code }, { tx, sql: prismaSql(tx), chatKey: 'someone-else', channel: 'terminal', locale: 'id', at }),
    );
    expect(stranger).toEqual({ status: 'notFound', code: ticket.code });
    const evidence = (await h.app.store.prisma.evidence.findFirstOrThrow({ where: { ticketId: ticket.id, kind: 'photo' } }))!;
    const document = (await h.app.store.prisma.evidence.findFirstOrThrow({ where: { ticketId: ticket.id, kind: 'document' } }))!;
    const earlier = (await h.app.store.prisma.evidence.findMany({ where: { ticketId: ticket.id }, select: { id: true } })).map((e) => e.id);
    const result = await h.app.store.prisma.$transaction((tx) =>
      commands.submitReply!(
        {
          type: 'submitReply',
          code: ticket.code,
          text: 'Ada, spanduknya di pagar kantor camat.',
          media: [
            {
              kind: 'photo',
              mime: 'image/jpeg',
              fileName: 'spanduk.jpg',
              size: evidence.size!,
              sha256: evidence.sha256!,
              path: evidence.path!,
              strippedPath: evidence.strippedPath!,
            },
            {
              kind: 'document',
              mime: 'application/pdf',
              fileName: 'surat.pdf',
              size: document.size!,
              sha256: document.sha256!,
              path: document.path!,
              strippedPath: document.strippedPath!,
            },
          ],
          links: ['https://example.org/spanduk'],
        },
        { tx, sql: prismaSql(tx), chatKey, channel: 'terminal', locale: 'id', at },
      ),
    );
    expect(result).toEqual({ status: 'sent', code: ticket.code, office: 'Bawaslu Kabupaten Bangka Barat', files: 2 });
    // Stored in the order sent, so they reach the office in that order.
    const added = await h.app.store.prisma.evidence.findMany({ where: { ticketId: ticket.id, id: { notIn: earlier } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    expect(added.map((e) => e.kind)).toEqual(['photo', 'document', 'link']);
    expect(new Set(added.map((e) => e.createdAt.getTime())).size).toBe(3);
    const before = messenger.calls.length;
    await services.worker.drain();
    const relayed = messenger.calls.slice(before).filter((c) => c.chatId === GROUP);
    expect(relayed[0]!.text).toContain('Jawaban pelapor');
    expect(relayed[0]!.text).toContain('Ada, spanduknya di pagar kantor camat.');
    expect(relayed[0]!.text).toContain('Pelapor Elang-42');
    expect(relayed[0]!.text).not.toContain(chatId);
    expect(relayed[1]).toMatchObject({ method: 'sendDocument', file: expect.objectContaining({ fileName: `${ticket.code}-tambahan-1.jpg` }) });
    expect(relayed[2]).toMatchObject({ method: 'sendDocument', file: expect.objectContaining({ fileName: `${ticket.code}-tambahan-2.pdf` }) });
    const lookupAfter = await h.app.store.prisma.$transaction((tx) =>
      commands.lookupReply!({ type: 'lookupReply', code: null }, { tx, sql: prismaSql(tx), chatKey, channel: 'terminal', locale: 'id', at }),
    );
    expect(lookupAfter).toEqual({ status: 'none' });
  });

  it('sets a status with a reason the reporter reads, in their language', async () => {
    const { ticket, chatId } = await createTicket(h.app, { officeCode: '19.05', locale: 'en' });
    const menu = await desk().handle(press('501', `o:st:${ticket.code}`));
    const statusButtons = menu!.find((e) => e.type === 'editKeyboard');
    expect(statusButtons?.type === 'editKeyboard' && statusButtons.keyboard?.flat().map((b) => b.text)).toEqual([
      'Sedang ditangani',
      'Perlu informasi tambahan',
      'Direkomendasikan ke BKN',
      'Bukan pelanggaran',
      'Selesai',
      '⬅️ Kembali',
    ]);
    const prompt = await desk().handle(press('501', `o:st:${ticket.code}:recommended`));
    expect(texts(prompt)).toContain(`#direkomendasikan ${ticket.code}`);
    expect(texts(await answerPrompt(prompt, '501', 'Bukti cukup: foto dan video kehadiran terlapor di kampanye.'))).toContain(
      'Direkomendasikan ke BKN',
    );
    await services.worker.drain();
    const received = reporter.textsFor(chatId);
    expect(received).toContain(`The status of report ${ticket.code} is now: Recommended to BKN.`);
    expect(received).toContain('Bukti cukup: foto dan video kehadiran terlapor di kampanye.');
    expect(received).toContain('official in charge of staff (PPK)');

    const done = await desk().handle(press('501', `o:st:${ticket.code}:done`));
    await answerPrompt(done, '501', 'Rekomendasi sudah dikirim.');
    const closed = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(closed).toMatchObject({ status: 'done', closedAt: h.now() });
  });

  it("recommends a village head's case to the competent authority, not BKN, and tells the reporter who decides", async () => {
    const { ticket, chatId } = await createTicket(h.app, { officeCode: '19.05', employment: 'village' });
    const menu = await desk().handle(press('501', `o:st:${ticket.code}`));
    const statusButtons = menu!.find((e) => e.type === 'editKeyboard');
    const labels = statusButtons?.type === 'editKeyboard' ? statusButtons.keyboard!.flat().map((b) => b.text) : [];
    expect(labels).toContain('Direkomendasikan ke instansi yang berwenang');
    expect(labels.join(' ')).not.toContain('BKN');
    const prompt = await desk().handle(press('501', `o:st:${ticket.code}:recommended`));
    const set = texts(await answerPrompt(prompt, '501', 'Terbukti menghadiri kampanye; diteruskan ke bupati.'));
    expect(set).toContain('Direkomendasikan ke instansi yang berwenang');
    await services.worker.drain();
    const received = reporter.textsFor(chatId);
    expect(received).toContain(`Status laporan ${ticket.code} kini: Direkomendasikan ke instansi yang berwenang.`);
    expect(received).toContain('instansi atau pihak yang berwenang atas orang yang dilaporkan');
    expect(received).not.toContain('BKN');
    expect(received).not.toContain('Pejabat Pembina Kepegawaian');
    expect(texts(await desk().handle(groupMessage('501', '/tiket')))).toContain('Direkomendasikan ke instansi yang berwenang');
  });

  it('delivers an answer written while an officer closed the ticket, saying it was closed, instead of dropping it', async () => {
    const { ticket, chatKey } = await createTicket(h.app, { officeCode: '19.05' });
    await answerPrompt(await desk().handle(press('501', `o:ask:${ticket.code}`)), '501', 'Jam berapa kejadiannya?');
    const commands = reporterReplyCommands();
    const run = <T,>(fn: (ctx: CommandContext) => Promise<T>) =>
      h.app.store.prisma.$transaction((tx) => fn({ tx, sql: prismaSql(tx), chatKey, channel: 'terminal', locale: 'id', at: h.now() }));
    expect(await run((ctx) => commands.lookupReply!({ type: 'lookupReply', code: null }, ctx))).toMatchObject({ status: 'found' });
    // Meanwhile another officer closes it.
    await answerPrompt(await desk().handle(press('501', `o:st:${ticket.code}:done`)), '501', 'Kajian sudah ditutup.');
    const sent = await run((ctx) => commands.submitReply!({ type: 'submitReply', code: ticket.code, text: 'Sekitar jam sembilan pagi.', media: [], links: [] }, ctx));
    expect(sent).toMatchObject({ status: 'sent', office: 'Bawaslu Kabupaten Bangka Barat' });
    // Reopened before the answer is delivered: the office still reads that it came while the ticket was closed.
    await answerPrompt(await desk().handle(press('501', `o:st:${ticket.code}:handling`)), '501', 'Dibuka lagi untuk dikaji.');
    const before = messenger.calls.length;
    await services.worker.drain();
    const relayed = messenger.calls.slice(before).filter((c) => c.chatId === GROUP && c.text?.includes('Sekitar jam sembilan pagi.'));
    expect(relayed).toHaveLength(1);
    expect(relayed[0]!.text).toContain('sudah ditutup (Selesai) saat pelapor mengirim jawaban ini');
  });

  it('takes the reason for "needs more information" as a question the reporter answers with a plain /jawab', async () => {
    const { ticket, chatKey } = await createTicket(h.app, { officeCode: '19.05' });
    await answerPrompt(await desk().handle(press('501', `o:st:${ticket.code}:needs-info`)), '501', 'Mohon kirim tangkapan layar unggahannya.');
    const commands = reporterReplyCommands();
    const run = <T,>(fn: (ctx: CommandContext) => Promise<T>) =>
      h.app.store.prisma.$transaction((tx) => fn({ tx, sql: prismaSql(tx), chatKey, channel: 'terminal', locale: 'id', at: h.now() }));
    expect(await run((ctx) => commands.lookupReply!({ type: 'lookupReply', code: null }, ctx))).toMatchObject({
      status: 'found',
      target: { code: ticket.code, question: 'Mohon kirim tangkapan layar unggahannya.' },
    });
    await run((ctx) => commands.submitReply!({ type: 'submitReply', code: ticket.code, text: 'Tangkapan layarnya saya kirim lewat tautan ini.', media: [], links: [] }, ctx));
    const before = messenger.calls.length;
    await services.worker.drain();
    const relayed = messenger.calls.slice(before).find((c) => c.chatId === GROUP && c.text?.includes('Tangkapan layarnya'));
    expect(relayed?.text).toContain('Menjawab pertanyaan Bawaslu Kabupaten Bangka Barat: Mohon kirim tangkapan layar unggahannya.');
    // Answered, it no longer waits.
    expect(await run((ctx) => commands.lookupReply!({ type: 'lookupReply', code: null }, ctx))).toEqual({ status: 'none' });
  });

  it('withdraws a prompt answered with batal or a command, saving and telling nothing', async () => {
    const { ticket, chatId } = await createTicket(h.app, { officeCode: '19.05' });
    const prompt = await desk().handle(press('501', `o:st:${ticket.code}:done`));
    expect(texts(await answerPrompt(prompt, '501', 'batal'))).toContain(`Dibatalkan: tidak ada yang disimpan atau dikirim untuk ${ticket.code}`);
    // As phone keyboards and people write it, too.
    for (const word of ['Batal.', 'batal aja', 'Cancel!', '/batal@netra_bot']) {
      expect(texts(await answerPrompt(prompt, '501', word))).toContain('Dibatalkan');
    }
    // A desk command in reply is carried out instead of being taken as the reason.
    const listed = await answerPrompt(prompt, '501', '/tiket');
    expect(texts(listed)).toContain(ticket.code);
    expect(texts(listed)).not.toContain('Selesai oleh');
    expect(texts(await answerPrompt(prompt, '501', '/lapor sesuatu'))).toContain('Dibatalkan');
    await services.worker.drain();
    expect(await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ status: 'received', closedAt: null });
    expect(reporter.textsFor(chatId)).not.toContain('Selesai');
  });

  it('reads a prompt only from the start of the bot message, not from a reporter\'s words quoted in it', async () => {
    const { ticket } = await createTicket(h.app, { officeCode: '19.05' });
    const quoted = { fromBot: true, text: `💬 Jawaban pelapor untuk ${ticket.code}:\n\n#selesai ${ticket.code} tolong ditutup`, messageId: 91 };
    expect(desk().claims(groupMessage('501', 'Menurut saya ini perlu dicek lagi.', quoted))).toBe(false);
  });

  it('asks no question on a closed ticket and sets no status twice', async () => {
    const { ticket, chatId } = await createTicket(h.app, { officeCode: '19.05' });
    const handling = await desk().handle(press('501', `o:st:${ticket.code}:handling`));
    await answerPrompt(handling, '501', 'Sedang dikaji oleh tim.');
    // The same message delivered again (Telegram redelivers after a crash) is silent.
    expect(await answerPrompt(handling, '501', 'Sedang dikaji oleh tim.')).toEqual([]);
    const again = await answerPrompt(await desk().handle(press('501', `o:st:${ticket.code}:handling`)), '501', 'Masih dikaji.');
    expect(texts(again)).toContain(`Status ${ticket.code} sudah Sedang ditangani; tidak ada yang diubah`);
    await answerPrompt(await desk().handle(press('501', `o:st:${ticket.code}:done`)), '501', 'Selesai dikaji.');
    const ask = await desk().handle(press('501', `o:ask:${ticket.code}`));
    expect(ask).toEqual([expect.objectContaining({ type: 'answerCallback', alert: true, text: expect.stringContaining('sudah ditutup') })]);
    // Nor is a closed ticket moved (it would reach the other office as new, and the reporter as reopened).
    for (const data of [`o:mv:${ticket.code}`, `o:mv:${ticket.code}:19.04`]) {
      expect(await desk().handle(press('501', data))).toEqual([
        expect.objectContaining({ type: 'answerCallback', alert: true, text: expect.stringContaining('sudah ditutup (Selesai), jadi tidak dialihkan') }),
      ]);
    }
    expect(await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id }, select: { officeCode: true, status: true } })).toEqual({
      officeCode: '19.05',
      status: 'done',
    });
    await services.worker.drain();
    expect(reporter.textsFor(chatId).split('Sedang ditangani')).toHaveLength(2);
    expect(reporter.textsFor(chatId)).not.toContain('dialihkan');
  });

  it('tells a reporter whose report needs information how to add it to that report', async () => {
    const { ticket, chatId } = await createTicket(h.app, { officeCode: '19.05' });
    await answerPrompt(await desk().handle(press('501', `o:st:${ticket.code}:needs-info`)), '501', 'Mohon kirim foto yang lebih jelas.');
    await services.worker.drain();
    // Plain /jawab looks for an officer's question, and there is none here: the code takes the reporter to the report.
    expect(reporter.textsFor(chatId)).toContain(`/jawab ${ticket.code}`);
  });

  it('names the office of the officer who acted to the reporter, the provinsi when it steps in', async () => {
    const { ticket, chatId, chatKey } = await createTicket(h.app, { officeCode: '19.05' });
    await desk().handle(press('503', `o:ack:${ticket.code}`));
    await answerPrompt(await desk().handle(press('503', `o:ask:${ticket.code}`)), '503', 'Di mana tepatnya kampanye itu berlangsung?');
    await services.worker.drain();
    const told = reporter.textsFor(chatId);
    expect(told).toContain(`Laporan ${ticket.code} telah diterima oleh petugas Bawaslu Provinsi Kepulauan Bangka Belitung`);
    expect(told).toContain('Bawaslu Provinsi Kepulauan Bangka Belitung meminta informasi tambahan');
    expect(told).not.toContain('Bawaslu Kabupaten Bangka Barat');

    // The reporter's answer reaches the provinsi that asked (here its officer's private chat) as well as the office
    // of the ticket, each with the question it answers; afterwards the question no longer shows as waiting.
    const commands = reporterReplyCommands();
    const run = <T,>(fn: (ctx: CommandContext) => Promise<T>) =>
      h.app.store.prisma.$transaction((tx) => fn({ tx, sql: prismaSql(tx), chatKey, channel: 'terminal', locale: 'id', at: h.now() }));
    const asked = await run((ctx) => commands.lookupReply!({ type: 'lookupReply', code: ticket.code }, ctx));
    expect(asked).toMatchObject({ target: { office: 'Bawaslu Provinsi Kepulauan Bangka Belitung', question: 'Di mana tepatnya kampanye itu berlangsung?' } });
    const sent = await run((ctx) => commands.submitReply!({ type: 'submitReply', code: ticket.code, text: 'Di lapangan desa, dekat balai.', media: [], links: [] }, ctx));
    expect(sent).toMatchObject({ status: 'sent', office: 'Bawaslu Provinsi Kepulauan Bangka Belitung' });
    const before = messenger.calls.length;
    await services.worker.drain();
    for (const chat of [GROUP, '503']) {
      const relayed = messenger.calls.slice(before).filter((c) => c.chatId === chat && c.text?.includes('Di lapangan desa'));
      expect(relayed).toHaveLength(1);
      expect(relayed[0]!.text).toContain('Menjawab pertanyaan Bawaslu Provinsi Kepulauan Bangka Belitung: Di mana tepatnya kampanye itu berlangsung?');
    }
    h.setNow(new Date(h.now().getTime() + 60_000));
    const later = await run((ctx) => commands.lookupReply!({ type: 'lookupReply', code: ticket.code }, ctx));
    expect(later).toMatchObject({ status: 'found', target: { question: null } });
  });

  it('sets no status from a reason replied after another officer set one since the button was pressed, and says so', async () => {
    const { ticket, chatId } = await createTicket(h.app, { officeCode: '19.05' });
    await desk().handle(privateMessage('506', `/petugas ${await invite('19.05')}`, 'Budi'));
    const sari = await desk().handle(press('501', `o:st:${ticket.code}:done`));
    const budi = await desk().handle(press('506', `o:st:${ticket.code}:not-violation`));
    expect(texts(await answerPrompt(budi, '506', 'Tidak ditemukan unsur pelanggaran netralitas.'))).toContain('Bukan pelanggaran');
    expect(texts(await answerPrompt(sari, '501', 'Sudah selesai dikaji tim.'))).toContain('baru saja diubah petugas lain');
    const prisma = h.app.store.prisma;
    expect((await prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe('not-violation');
    expect(await prisma.ticketEvent.count({ where: { ticketId: ticket.id, type: 'status' } })).toBe(1);
    await services.worker.drain();
    expect(reporter.textsFor(chatId)).not.toContain('Sudah selesai dikaji tim.');
    // Pressed again on the ticket as it is now, the reason sets the status; the prompt says what it is now.
    const again = await desk().handle(press('501', `o:st:${ticket.code}:done`));
    expect(texts(again)).toContain('Status saat ini: Bukan pelanggaran, di Bawaslu Kabupaten Bangka Barat.');
    expect(texts(await answerPrompt(again, '501', 'Sudah selesai dikaji tim.'))).toContain('Status');
    expect((await prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe('done');
  });

  it('takes a status reason after a mere "Terima", and from another officer replying to the prompt, but not after a move', async () => {
    const { ticket } = await createTicket(h.app, { officeCode: '19.05' });
    await desk().handle(privateMessage('507', `/petugas ${await invite('19.05')}`, 'Dewi'));
    const prisma = h.app.store.prisma;
    // "Terima" meanwhile changes nothing decided on; a colleague may answer the prompt.
    const handling = await desk().handle(press('501', `o:st:${ticket.code}:handling`));
    await desk().handle(press('507', `o:ack:${ticket.code}`));
    expect(texts(await answerPrompt(handling, '507', 'Sedang dikaji oleh tim kami.'))).toContain('Sedang ditangani');
    // Moved to another kabupaten after a provinsi officer's prompt was sent: the reason is not applied there.
    await desk().handle(privateMessage('508', `/petugas ${await invite('19')}`, 'Rudi'));
    const provinsi = await desk().handle(press('508', `o:st:${ticket.code}:done`, '508'));
    const seen = await prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id }, select: { id: true, code: true, status: true, officeCode: true, reporterChatKey: true, acknowledgedAt: true, details: true } });
    const rudi = (await authorizeOfficer(prisma, officerUserKey(h.app.secrets, '508'), '19.05'))!;
    await prisma.$transaction((tx) => transferTicket({ tx, officer: rudi, at: h.now(), renderer: h.app.renderer, recommendationBody: 'BKN' }, seen, '19.01'));
    const prompt = (provinsi ?? []).find((e) => e.type === 'send' && e.forceReply);
    const late = await desk().handle({ ...privateMessage('508', 'Selesai dikaji oleh provinsi.'), replyTo: { fromBot: true, text: prompt?.type === 'send' ? toPlainText(prompt.html) : '', messageId: 91 } });
    expect(texts(late)).toContain('baru saja diubah petugas lain');
    await revokeOfficer(prisma, rudi.id, h.now());
    expect((await prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe('received');
  });

  it('applies no action to a ticket another officer moved or changed since it was read, and says so', async () => {
    const { ticket } = await createTicket(h.app, { officeCode: '19.05' });
    const prisma = h.app.store.prisma;
    const select = { id: true, code: true, status: true, officeCode: true, reporterChatKey: true, acknowledgedAt: true, details: true } as const;
    const seen = await prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id }, select });
    const officer = (await authorizeOfficer(prisma, officerUserKey(h.app.secrets, '501'), '19.05'))!;
    const act = <T,>(fn: (ctx: ActionContext) => Promise<T>) =>
      prisma.$transaction((tx) => fn({ tx, officer, at: h.now(), renderer: h.app.renderer, recommendationBody: 'BKN' }));
    // Officer A moves it to 19.04 while officer B still looks at it as 19.05's.
    await act((ctx) => transferTicket(ctx, seen, '19.04'));
    const actions: Array<(ctx: ActionContext) => Promise<unknown>> = [
      (ctx: ActionContext) => setTicketStatus(ctx, seen, 'done', 'Selesai dikaji oleh tim.'),
      (ctx: ActionContext) => transferTicket(ctx, seen, '19.06'),
      (ctx: ActionContext) => acknowledgeTicket(ctx, seen),
      (ctx: ActionContext) => askReporter(ctx, seen, 'Di mana tepatnya kampanye itu berlangsung?'),
    ];
    for (const late of actions) {
      await expect(act(late)).rejects.toBeInstanceOf(TicketChangedError);
    }
    expect(await prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id }, select: { officeCode: true, status: true, closedAt: true, acknowledgedAt: true } })).toEqual({
      officeCode: '19.04',
      status: 'received',
      closedAt: null,
      acknowledgedAt: null,
    });
    expect(await prisma.ticketEvent.count({ where: { ticketId: ticket.id, type: { in: ['status', 'question', 'acknowledged'] } } })).toBe(0);
    expect(h.app.renderer.text({ key: 'officer.desk.ticketChanged', params: { code: ticket.code } }, 'id')).toContain('baru saja diubah petugas lain');
  });

  it('gives the asking provinsi one copy of the answer when the ticket\'s own office reaches it anyway', async () => {
    // Kabupaten Bangka (19.01) has no destination of its own: its tickets go to the provinsi's officer.
    const { ticket, chatKey } = await createTicket(h.app, { officeCode: '19.01' });
    await services.worker.drain();
    const prompt = await desk().handle(press('503', `o:ask:${ticket.code}`, '503'));
    const promptEffect = (prompt ?? []).find((e) => e.type === 'send' && e.forceReply);
    if (!promptEffect || promptEffect.type !== 'send') throw new Error('no prompt');
    const asked = await desk().handle({ ...privateMessage('503', 'Apakah ada saksi lain di lokasi?'), replyTo: { fromBot: true, text: toPlainText(promptEffect.html), messageId: 91 } });
    expect(texts(asked)).toContain('Bawaslu Provinsi Kepulauan Bangka Belitung');
    const commands = reporterReplyCommands();
    await h.app.store.prisma.$transaction((tx) =>
      commands.submitReply!(
        { type: 'submitReply', code: ticket.code, text: 'Ada dua orang guru yang melihatnya.', media: [], links: [] },
        { tx, sql: prismaSql(tx), chatKey, channel: 'terminal', locale: 'id', at: h.now() },
      ),
    );
    const before = messenger.calls.length;
    await services.worker.drain();
    expect(messenger.calls.slice(before).filter((c) => c.text?.includes('Ada dua orang guru'))).toHaveLength(1);
  });

  it("tells the office's group what an officer did in a private chat with the bot, and not what was done in the group", async () => {
    const { ticket } = await createTicket(h.app, { officeCode: '19.05' });
    await services.worker.drain();
    const inPrivate = '501';
    /** Runs an action, then what the worker delivers to the group because of it (the notices go through the outbox). */
    const withGroupNotices = async (action: () => Promise<OfficerEffect[] | null>) => {
      const effects = await action();
      const from = messenger.calls.length;
      await services.worker.drain();
      const toGroup = messenger.calls.slice(from).filter((c) => c.chatId === GROUP && c.method === 'sendText').map((c) => c.text ?? '');
      return { effects, toGroup };
    };
    const replyInPrivate = (effects: OfficerEffect[] | null, text: string) => {
      const prompt = (effects ?? []).find((e) => e.type === 'send' && e.forceReply);
      if (!prompt || prompt.type !== 'send') throw new Error('no prompt');
      return desk().handle({ ...privateMessage(inPrivate, text, 'User 501'), replyTo: { fromBot: true, text: toPlainText(prompt.html), messageId: 91 } });
    };

    const ack = await withGroupNotices(() => desk().handle(press(inPrivate, `o:ack:${ticket.code}`, inPrivate)));
    expect(ack.toGroup).toEqual([`🔒 Dari chat pribadi User 501 dengan bot:\n✅ ${ticket.code} diterima oleh User 501. Pelapor sudah diberi tahu.`]);
    // The officer's own chat gets the confirmation as before.
    expect(ack.effects).toContainEqual(expect.objectContaining({ type: 'send', chatId: inPrivate }));

    const prompt = (action: string) => {
      const [verb, arg] = action.split(':');
      return desk().handle(press(inPrivate, `o:${verb}:${ticket.code}${arg ? `:${arg}` : ''}`, inPrivate));
    };
    const asked = await withGroupNotices(async () => replyInPrivate(await prompt('ask'), 'Kapan foto <itu> diunggah?'));
    expect(asked.toGroup).toHaveLength(1);
    expect(asked.toGroup[0]).toContain(`Pertanyaan untuk pelapor ${ticket.code} sudah dikirim`);
    expect(asked.toGroup[0]).toContain('Kapan foto <itu> diunggah?');

    const noted = await withGroupNotices(async () => replyInPrivate(await prompt('note'), 'Sudah dicek ke BKPSDM.'));
    expect(noted.toGroup[0]).toMatch(/Catatan internal[\s\S]*Sudah dicek ke BKPSDM\./);

    const status = await withGroupNotices(async () => replyInPrivate(await prompt('st:handling'), 'Terlapor dipanggil untuk klarifikasi.'));
    expect(status.toGroup[0]).toMatch(new RegExp(`Status ${ticket.code}: .*oleh User 501[\\s\\S]*Terlapor dipanggil untuk klarifikasi\\.`));

    const moved = await withGroupNotices(async () => replyInPrivate(await prompt('mv'), '19.04'));
    expect(moved.toGroup[0]).toContain(`${ticket.code} dialihkan ke Bawaslu Kabupaten Bangka`);

    // In the group itself, the group sees the action already: only the desk's own answer is sent there.
    const other = await createTicket(h.app, { officeCode: '19.05' });
    await services.worker.drain();
    const inGroup = await withGroupNotices(() => desk().handle(press('501', `o:ack:${other.ticket.code}`)));
    expect(inGroup.toGroup).toEqual([]);
    const answered = (inGroup.effects ?? []).filter((e) => e.type === 'send' && e.chatId === GROUP);
    expect(answered).toHaveLength(1);
    expect(texts(answered)).not.toContain('Dari chat pribadi');
  });

  it('keeps internal notes from the reporter', async () => {
    const { ticket, chatId } = await createTicket(h.app, { officeCode: '19.05' });
    const prompt = await desk().handle(press('501', `o:note:${ticket.code}`));
    expect(texts(await answerPrompt(prompt, '501', 'Cek dulu ke BKPSDM soal status terlapor.'))).toContain('Catatan internal');
    await services.worker.drain();
    expect(reporter.textsFor(chatId)).not.toContain('BKPSDM');
    expect(await h.app.store.prisma.ticketEvent.findFirst({ where: { ticketId: ticket.id, type: 'note' } })).toMatchObject({
      internal: true,
    });
  });

  it('transfers a ticket by name, offering choices when several offices match', async () => {
    const { ticket, chatId } = await createTicket(h.app, { officeCode: '19.05' });
    await services.worker.drain();
    const prompt = await desk().handle(press('501', `o:mv:${ticket.code}`));
    expect(texts(await answerPrompt(prompt, '501', 'zzzzqqq'))).toContain('tidak ditemukan');
    const choices = await answerPrompt(prompt, '501', 'padang');
    const buttons = choices!.find((e) => e.type === 'send')!;
    expect(buttons.type === 'send' && buttons.keyboard?.flat().map((b) => b.data)).toContain(`o:mv:${ticket.code}:13.71:19.05`);
    expect(texts(await answerPrompt(prompt, '501', 'Bangka Barat'))).toContain('sudah berada di Bawaslu Kabupaten Bangka Barat');
    const moved = await answerPrompt(prompt, '501', 'bangka tengah');
    expect(texts(moved)).toContain(`${ticket.code} dialihkan ke Bawaslu Kabupaten Bangka Tengah`);
    // Bangka Tengah has no group or officer here: the officer is told the provinsi receives it meanwhile.
    expect(texts(moved)).toMatch(/belum menerima tiket lewat Netra .* diteruskan ke Bawaslu Provinsi Kepulauan Bangka Belitung/);
    expect(await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({
      officeCode: '19.04',
      status: 'received',
      acknowledgedAt: null,
    });
    // The regency office that lost the ticket can no longer act on it, and its card's buttons say where it went.
    expect(texts(await desk().handle(press('501', `o:ack:${ticket.code}`)))).toContain(
      `Tiket ${ticket.code} sudah dialihkan ke Bawaslu Kabupaten Bangka Tengah`,
    );
    // Someone who is no officer still learns nothing, and an officer of an unrelated office not where it went.
    expect(texts(await desk().handle(press('999', `o:ack:${ticket.code}`)))).toContain('hanya petugas kantor');
    expect(texts(await desk().handle(press('504', `o:ack:${ticket.code}`)))).toContain('hanya petugas kantor');
    await services.worker.drain();
    expect(reporter.textsFor(chatId)).toContain('dialihkan ke Bawaslu Kabupaten Bangka Tengah');
    const transferred = messenger.calls.filter((c) => c.method === 'sendText' && c.text?.includes(`Laporan ${ticket.code} dialihkan dari`));
    expect(transferred).toHaveLength(1);
    expect(transferred[0]!.chatId).toBe('503');
  });

  it('lists open tickets with /tiket and opens one with its history', async () => {
    const { ticket } = await createTicket(h.app, { officeCode: '19.05' });
    for (let i = 1; i <= 4; i += 1) {
      await createTicket(h.app, { officeCode: '19.05', withFiles: false, createdAt: new Date(Date.UTC(2026, 10, 23, i)) });
    }
    await services.worker.drain();
    const list = await desk().handle(groupMessage('501', '/tiket'));
    expect(texts(list)).toContain('Tiket terbuka Bawaslu Kabupaten Bangka Barat');
    // The ten that have waited longest, oldest first, each with its kind of violation.
    const open = await h.app.store.prisma.ticket.findMany({
      where: { officeCode: '19.05', closedAt: null },
      orderBy: [{ createdAt: 'asc' }, { code: 'asc' }],
      select: { code: true },
    });
    expect(open.length).toBeGreaterThan(10);
    const listed = [...texts(list).matchAll(/NTR-[A-Z0-9]{4}-[A-Z0-9]{4}/g)].map((m) => m[0]);
    expect(listed.slice(0, 10)).toEqual(open.slice(0, 10).map((t) => t.code));
    expect(texts(list)).toContain(`${open[0]!.code} · Ikut kampanye · `);
    expect(texts(list)).toContain(`… dan tiket yang lebih baru (${open.length - 10}): ketik /tiket 2.`);
    // The next page lists the next ones.
    const next = await desk().handle(groupMessage('501', '/tiket 2'));
    const listedNext = [...texts(next).matchAll(/NTR-[A-Z0-9]{4}-[A-Z0-9]{4}/g)].map((m) => m[0]);
    expect(listedNext.slice(0, open.length - 10)).toEqual(open.slice(10, 20).map((t) => t.code));
    expect(texts(next)).toContain('halaman 2');
    expect(texts(await desk().handle(groupMessage('501', '/tiket 9')))).toContain('muat dalam 2 halaman');
    await answerPrompt(await desk().handle(press('501', `o:note:${ticket.code}`)), '501', 'Cek foto A & B <penting>');
    const one = await desk().handle(groupMessage('501', `/tiket ${ticket.code.toLowerCase()}`));
    expect(texts(one)).toContain(`Tiket ${ticket.code}`);
    // An officer's text reads as written: escaped for Telegram once, not twice.
    expect(texts(one)).toContain('catatan internal: Cek foto A & B <penting> (oleh Sari Dewi)');
    expect(texts(one)).toContain('Riwayat');
    expect(texts(one)).toContain('diteruskan ke Bawaslu Kabupaten Bangka Barat');
    expect(texts(await desk().handle(groupMessage('999', `/tiket ${ticket.code}`)))).toContain('hanya petugas kantor');
    expect(texts(await desk().handle(privateMessage('999', '/tiket')))).toContain('hanya untuk petugas');
    // In a group of another office, or of none, the officer's tickets are not listed.
    await h.app.store.prisma.officeChat.create({ data: { officeCode: '19.04', chatId: '-100404', linkedBy: 'test' } });
    for (const chatId of ['-100404', '-100999']) {
      const elsewhere = await desk().handle({ ...groupMessage('501', '/tiket'), chatId });
      expect(texts(elsewhere)).toContain('Grup ini bukan saluran tiket kantor Anda');
      expect(texts(elsewhere)).not.toContain(ticket.code);
      // Nor is one ticket opened there, by its code or by a button, nor acted on.
      for (const update of [{ ...groupMessage('501', `/tiket ${ticket.code}`), chatId }, press('501', `o:show:${ticket.code}`, chatId), press('501', `o:ack:${ticket.code}`, chatId)]) {
        const refused = texts(await desk().handle(update));
        expect(refused).toContain(`Tiket ${ticket.code} bukan tiket kantor yang terhubung dengan grup ini`);
        expect(refused).not.toContain('Riwayat');
      }
    }
    expect(await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id }, select: { acknowledgedAt: true } })).toEqual({ acknowledgedAt: null });
    // A group of the provinsi above may open it.
    await h.app.store.prisma.officeChat.create({ data: { officeCode: '19', chatId: '-100019', linkedBy: 'test' } });
    expect(texts(await desk().handle(press('503', `o:show:${ticket.code}`, '-100019')))).toContain('Riwayat');
    expect(texts(await desk().handle(privateMessage('501', '/tiket')))).toContain('Tiket terbuka Bawaslu Kabupaten Bangka Barat');
    // The provinsi coordinator sees the ticket too (an office above may act), and what they do is named with their office.
    await answerPrompt(await desk().handle(press('503', `o:note:${ticket.code}`, '503')), '503', 'Provinsi ikut memantau.');
    const shown = texts(await desk().handle(press('503', `o:show:${ticket.code}`, '503')));
    expect(shown).toContain(`Tiket ${ticket.code}`);
    expect(shown).toContain('catatan internal: Provinsi ikut memantau. (oleh Rina, Bawaslu Provinsi Kepulauan Bangka Belitung)');
  });

  it('refuses the buttons and prompt replies of an officer revoked since, changing nothing and telling the reporter nothing', async () => {
    const { ticket, chatId } = await createTicket(h.app, { officeCode: '19.05', withFiles: false });
    await desk().handle(privateMessage('530', `/petugas ${await invite('19.05')}`, 'Dodi'));
    const prompt = await desk().handle(press('530', `o:st:${ticket.code}:done`));
    const prisma = h.app.store.prisma;
    const dodi = (await authorizeOfficer(prisma, officerUserKey(h.app.secrets, '530'), '19.05'))!;
    await revokeOfficer(prisma, dodi.id, h.now());
    for (const data of [`o:ack:${ticket.code}`, `o:ask:${ticket.code}`, `o:show:${ticket.code}`, `o:mv:${ticket.code}:19.04`]) {
      expect(await desk().handle(press('530', data))).toEqual([
        expect.objectContaining({ type: 'answerCallback', alert: true, text: expect.stringContaining('hanya petugas kantor') }),
      ]);
    }
    // The prompt they were given before still carries nothing out.
    expect(texts(await answerPrompt(prompt, '530', 'Ditutup sebelum saya pindah tugas.'))).toContain('hanya petugas kantor');
    expect(texts(await desk().handle(groupMessage('530', `/tiket ${ticket.code}`)))).toContain('hanya petugas kantor');
    expect(await prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id }, select: { officeCode: true, status: true, acknowledgedAt: true } })).toEqual({
      officeCode: '19.05',
      status: 'received',
      acknowledgedAt: null,
    });
    await services.worker.drain();
    expect(reporter.textsFor(chatId)).toBe('');
  });

  it('keeps the audit chain intact through all of it', async () => {
    const actions = (await h.app.store.prisma.auditLog.findMany({ select: { action: true } })).map((a) => a.action);
    expect(new Set(actions)).toEqual(
      new Set([
        'officer.enrol',
        'office.link',
        'access.denied',
        'ticket.forward',
        'ticket.acknowledge',
        'ticket.question',
        'ticket.status',
        'ticket.note',
        'ticket.transfer',
      ]),
    );
    expect((await verifyAuditLog(h.app.store.prisma)).ok).toBe(true);
  });
});
