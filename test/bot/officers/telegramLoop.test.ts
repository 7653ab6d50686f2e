/**
 * The whole loop over the fake Bot API with the real Telegram channel, report flow and officer desk: a citizen
 * files a tip, the office group receives the ticket with its PDF and the stripped photo, an outsider's press is
 * refused, the officer acknowledges and asks, the citizen answers, the officer sets a status, and the citizen
 * is told each step in their chat.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Message } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../bot/audit/auditLog.ts';
import { createInvite } from '../../../bot/officers/invites.ts';
import { officerServices } from '../../../bot/officers/officerServices.ts';
import { reporterReplyCommands } from '../../../bot/officers/reporterReplies.ts';
import { attachOfficerDesk } from '../../../bot/officers/telegramOfficerHooks.ts';
import { route } from '../../../flows/router.ts';
import type { ApiCall } from '../../support/fakeBotApi.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { pdfText } from '../documents/fixtures.ts';
import { startKit, textOf, type Kit } from '../channels/telegram/telegramKit.ts';
import { prismaSql } from '../../../bot/store/store.ts';

const CITIZEN = 6001;
const OFFICER = 7001;
const OUTSIDER = 9999;
const GROUP = -100777;

type Keyboard = Array<Array<{ text: string; callback_data: string }>>;
const keyboardOf = (call: ApiCall): Keyboard =>
  (call.params.reply_markup as { inline_keyboard?: Keyboard } | undefined)?.inline_keyboard ?? [];

/** Whether `/jawab` reaches the reply flow through the router (once the flow is registered there). */
const replyRouted = route({ type: 'user.sendCommand', at: new Date().toISOString(), name: 'jawab', args: '' }, { flow: 'menu', prompt: null }).type === 'startFlow';

describe.each(storeKinds)('the officer loop over Telegram on %s', (kind) => {
  let kit: Kit;

  beforeAll(async () => {
    kit = await startKit({ kind, mode: 'polling', probe: false, now: '2026-11-22T03:00:00.000Z' });
    attachOfficerDesk(kit.app, kit.channel);
  });
  afterAll(async () => {
    await kit?.close();
  });

  /** Pushes an update and waits for the first bot call to `chat` after it (matching when given). */
  const push = async (update: Parameters<Kit['fake']['pushUpdate']>[0], chat: number, match?: string | RegExp) => {
    const from = kit.fake.calls.length;
    kit.fake.pushUpdate(update);
    return kit.fake.waitForSent(chat, match, 5000, from);
  };
  const officerSays = (text: string, chat = GROUP, match?: string | RegExp) =>
    push(kit.fake.textUpdate(chat, text, { from: { id: OFFICER, first_name: 'Sari' } }), chat, match);
  const press = async (messageId: number, data: string, user: number) => {
    const from = kit.fake.calls.length;
    kit.fake.pushUpdate(kit.fake.callbackUpdate(GROUP, messageId, data, { id: user, first_name: user === OFFICER ? 'Sari' : 'Orang' }));
    return kit.fake.waitFor((c) => c.method === 'answerCallbackQuery', 5000, from);
  };
  /** Replies to the bot's prompt (Telegram ForceReply) as the officer. */
  const replyToPrompt = async (prompt: ApiCall, text: string, match?: string | RegExp) => {
    const update = kit.fake.textUpdate(GROUP, text, { from: { id: OFFICER, first_name: 'Sari' } }) as { message: Message.TextMessage };
    Object.assign(update.message, { reply_to_message: prompt.result });
    return push(update as Parameters<Kit['fake']['pushUpdate']>[0], GROUP, match);
  };
  /** What the citizen sees (markup removed). */
  const citizenTexts = () => kit.fake.messages(CITIZEN).map((m) => m.text ?? '').join('\n');

  it('enrols the officer by invite and links the office group', async () => {
    const code = await kit.app.store.prisma.$transaction((tx) =>
      // A coordinator: only a coordinator links the office's group.
      createInvite(tx, { officeCode: '19.05', role: 'coordinator', expiresAt: new Date('2026-12-01T00:00:00Z') }),
    );
    await officerSays(`/petugas ${code}`, OFFICER, /terdaftar sebagai koordinator/);
    await officerSays('/hubungkan', GROUP, /saluran tiket/);
    expect(await kit.app.store.prisma.officeChat.findMany()).toEqual([expect.objectContaining({ officeCode: '19.05', chatId: String(GROUP) })]);
  });

  let code = '';
  let cardId = 0;
  const photo = sharp({ create: { width: 320, height: 240, channels: 3, background: '#2050a0' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'TestCam' } })
    .toBuffer();

  it('delivers a citizen report to the group: card with buttons, the B.1 PDF and the stripped photo with its SHA-256', async () => {
    const say = (text: string, match?: RegExp) => push(kit.fake.textUpdate(CITIZEN, text), CITIZEN, match);
    await say('/start', /Apa yang ingin Anda lakukan/);
    const from = kit.fake.calls.length;
    kit.fake.pushUpdate(kit.fake.textUpdate(CITIZEN, '/lapor'));
    const kindQuestion = await kit.fake.waitFor((c) => c.ok && c.chatId === CITIZEN && keyboardOf(c).length > 0, 5000, from);
    await push(kit.fake.callbackUpdate(CITIZEN, (kindQuestion.result as Message).message_id, keyboardOf(kindQuestion)[0]![0]!.callback_data), CITIZEN);
    for (const answer of ['setuju', 'tidak tahu', 'Kepala Dinas Pendidikan', 'Dinas Pendidikan Kabupaten Bangka Barat', 'PNS', '1', '20/11/2026', 'hari ini']) {
      await say(answer);
    }
    await say('bangka barat', /Kabupaten Bangka Barat/);
    await say('lewati');
    await say('Pada 20 November kepala dinas mengunggah foto kampanye calon bupati di Facebook dan meminta para guru membagikannya.');
    await push(kit.fake.photoUpdate(CITIZEN, await photo), CITIZEN, /Bukti ke-1/);
    await say('selesai', /Ringkasan informasi awal/);
    const filed = await say('kirim laporan', /NTR-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    code = /NTR-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(textOf(filed))![0];

    const before = kit.fake.calls.length;
    await officerServices(kit.app).worker.drain();
    const groupCalls = kit.fake.calls.slice(before).filter((c) => c.chatId === GROUP && c.ok);
    const card = groupCalls.find((c) => c.method === 'sendMessage' && textOf(c).includes(code))!;
    expect(textOf(card)).toContain(`Laporan baru ${code}`);
    expect(textOf(card)).toContain('Terlapor: <b>tidak diketahui</b>');
    expect(textOf(card)).toContain('Kepala Dinas Pendidikan');
    expect(keyboardOf(card).flat().map((b) => b.callback_data)).toContain(`o:ack:${code}`);
    cardId = (card.result as Message).message_id;
    const uploads = kit.fake.files.filter((f) => String(f.chatId) === String(GROUP));
    const pdf = uploads.find((f) => f.fileName === `Formulir-B1-${code}.pdf`)!;
    expect((await pdfText(pdf.data)).text).toContain(code);
    const original = createHash('sha256').update(await photo).digest('hex');
    const sentPhoto = uploads.find((f) => f.fileName !== pdf.fileName)!;
    const sentSha = createHash('sha256').update(sentPhoto.data).digest('hex');
    expect(sentSha).not.toBe(original);
    expect(sentPhoto.data.includes(Buffer.from('TestCam'))).toBe(false);
    const caption = groupCalls.find((c) => c.method === 'sendDocument' && textOf(c).includes(sentSha));
    expect(textOf(caption!)).toContain(original);
  });

  it("refuses an outsider's button press and logs it", async () => {
    const answer = await press(cardId, `o:ack:${code}`, OUTSIDER);
    expect(answer.params).toMatchObject({ show_alert: true });
    expect(String(answer.params.text)).toContain('hanya petugas');
    const ticket = await kit.app.store.prisma.ticket.findUniqueOrThrow({ where: { code } });
    expect(ticket.acknowledgedAt).toBeNull();
    expect(await kit.app.store.prisma.auditLog.count({ where: { action: 'access.denied', ticketId: ticket.id } })).toBe(1);
  });

  it('lets the officer acknowledge and ask; the citizen is told and answers; the answer reaches the group', async () => {
    const from = kit.fake.calls.length;
    await press(cardId, `o:ack:${code}`, OFFICER);
    await kit.fake.waitFor((c) => c.method === 'editMessageReplyMarkup' && c.chatId === GROUP, 5000, from);
    await kit.fake.waitForSent(GROUP, `${code} diterima oleh Sari`, 5000, from);
    await officerServices(kit.app).worker.drain();
    expect(citizenTexts()).toContain(`Laporan ${code} telah diterima oleh petugas Bawaslu Kabupaten Bangka Barat`);

    const askFrom = kit.fake.calls.length;
    await press(cardId, `o:ask:${code}`, OFFICER);
    const prompt = await kit.fake.waitForSent(GROUP, `#tanya ${code}`, 5000, askFrom);
    expect(prompt.params.reply_markup).toMatchObject({ force_reply: true, selective: true });
    await replyToPrompt(prompt, 'Apakah Anda menyimpan tautan unggahan Facebook tersebut?', /Pertanyaan untuk pelapor/);
    await officerServices(kit.app).worker.drain();
    expect(citizenTexts()).toContain('Apakah Anda menyimpan tautan unggahan Facebook tersebut?');
    expect(citizenTexts()).toContain(`/jawab ${code}`);

    const answer = 'Ya, tautannya https://facebook.com/share/p/abc123 dan masih bisa dibuka.';
    if (replyRouted) {
      await push(kit.fake.textUpdate(CITIZEN, `/jawab ${code}`), CITIZEN, /Silakan tulis jawaban/);
      await push(kit.fake.textUpdate(CITIZEN, answer), CITIZEN, /bukti tambahan/);
      await push(kit.fake.textUpdate(CITIZEN, 'kirim jawaban'), CITIZEN, /sudah diteruskan/);
    } else {
      // Until the router sends /jawab to the reply flow, the flow's commands are run as it would run them.
      const chatKey = kit.app.runtime.chatKey({ channel: 'telegram', chatId: String(CITIZEN) });
      const commands = reporterReplyCommands();
      await kit.app.store.prisma.$transaction(async (tx) => {
        const ctx = { tx, sql: prismaSql(tx), chatKey, channel: 'telegram' as const, locale: 'id' as const, at: new Date('2026-11-22T03:00:00Z') };
        expect(await commands.lookupReply!({ type: 'lookupReply', code: null }, ctx)).toMatchObject({ status: 'found' });
        await commands.submitReply!({ type: 'submitReply', code, text: answer, media: [], links: ['https://facebook.com/share/p/abc123'] }, ctx);
      });
    }
    const relayFrom = kit.fake.calls.length;
    await officerServices(kit.app).worker.drain();
    const relayed = kit.fake.calls.slice(relayFrom).find((c) => c.chatId === GROUP && textOf(c).includes('Jawaban pelapor'))!;
    expect(textOf(relayed)).toContain(answer);
    expect(textOf(relayed)).not.toContain(String(CITIZEN));
  });

  it('lets the officer set a status with a reason, and the citizen reads both', async () => {
    const from = kit.fake.calls.length;
    await press(cardId, `o:st:${code}`, OFFICER);
    const statusMenu = await kit.fake.waitFor((c) => c.method === 'editMessageReplyMarkup' && c.chatId === GROUP, 5000, from);
    const handling = keyboardOf(statusMenu).flat().find((b) => b.callback_data === `o:st:${code}:handling`)!;
    expect(handling.text).toBe('Sedang ditangani');
    const reasonFrom = kit.fake.calls.length;
    await press(cardId, handling.callback_data, OFFICER);
    const prompt = await kit.fake.waitForSent(GROUP, `#ditangani ${code}`, 5000, reasonFrom);
    // A photo in reply is not dropped silently: the officer is asked again for text.
    const photoReply = kit.fake.photoUpdate(GROUP, await photo, { from: { id: OFFICER, first_name: 'Sari' } });
    Object.assign(photoReply.message, { reply_to_message: prompt.result });
    const again = await push(photoReply, GROUP, /hanya dapat berupa teks/);
    expect(textOf(again)).toContain(`#ditangani ${code}`);
    expect(again.params.reply_markup).toMatchObject({ force_reply: true });
    expect((await kit.app.store.prisma.ticket.findUniqueOrThrow({ where: { code } })).status).toBe('acknowledged');
    await replyToPrompt(again, 'Kami memanggil terlapor untuk klarifikasi minggu depan.', /Sedang ditangani/);
    await officerServices(kit.app).worker.drain();
    const texts = citizenTexts();
    expect(texts).toContain(`Status laporan ${code} kini: Sedang ditangani.`);
    expect(texts).toContain('Kami memanggil terlapor untuk klarifikasi minggu depan.');
    expect((await kit.app.store.prisma.ticket.findUniqueOrThrow({ where: { code } })).status).toBe('handling');
    expect((await verifyAuditLog(kit.app.store.prisma)).ok).toBe(true);
    // Every Bot API call was accepted (valid HTML, existing messages, fitting callback data).
    expect(kit.fake.calls.filter((c) => !c.ok && c.method !== 'getUpdates')).toEqual([]);
  });

  it('answers /tiket in the group with the open tickets', async () => {
    const list = await officerSays('/tiket', GROUP, /Tiket terbuka/);
    expect(textOf(list)).toContain(code);
    expect(keyboardOf(list).flat()[0]?.callback_data).toBe(`o:show:${code}`);
  });
});

