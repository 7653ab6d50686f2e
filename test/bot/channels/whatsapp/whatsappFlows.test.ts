/**
 * Whole flows played on WhatsApp through a fake client: what a person types and what comes back, with the real
 * runtime, services and store behind the channel.
 */
import exifr from 'exifr';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWhatsAppChannel, type WhatsAppChannel } from '../../../../bot/channels/whatsapp/whatsappChannel.ts';
import type { TurnResult } from '../../../../bot/conversation/conversationRuntime.ts';
import { enrolOfficer } from '../../../../bot/officers/officerRepository.ts';
import { officerServices } from '../../../../bot/officers/officerServices.ts';
import { askReporter, setTicketStatus, type ActionContext } from '../../../../bot/officers/ticketActions.ts';
import { QUIZ_LENGTH } from '../../../../flows/quiz/questionBank.ts';
import { route } from '../../../../flows/router.ts';
import { createHarness, type Harness } from '../../../support/chatHarness.ts';
import { storeKinds } from '../../../support/testDatabase.ts';
import { answerValue, shownQuestion } from '../../../flows/quiz/quizAnswers.ts';
import { jpegWithExif } from '../../../flows/report/reportJourney.ts';
import { FakeWhatsAppClient } from './fakeWhatsAppClient.ts';
import { waitFor } from './waitFor.ts';

/** Whether `/jawab` reaches the reply flow through the router (once the flow is registered there). */
const replyRouted =
  route({ type: 'user.sendCommand', at: new Date().toISOString(), name: 'jawab', args: '' }, { flow: 'menu', prompt: null }).type === 'startFlow';

const joined = (sent: Array<{ text: string }>) => sent.map((s) => s.text).join('\n\n');

describe.each(storeKinds)('flows on WhatsApp (%s)', (kind) => {
  let h: Harness;
  let client: FakeWhatsAppClient;
  let channel: WhatsAppChannel;
  const turns: TurnResult[] = [];

  /** Sends a text and returns what WhatsApp shows for it (every message sent back, joined). */
  const type = async (from: string, body: string) => {
    const before = client.sent.length;
    client.text(from, body);
    await channel.idle();
    return client.sent.slice(before);
  };

  beforeAll(async () => {
    // A whole report is typed in seconds; the per-chat flood limit is for people.
    h = await createHarness(kind, { env: { RATE_LIMIT_PER_MINUTE: '1000' } });
    client = new FakeWhatsAppClient('ready');
    channel = await startWhatsAppChannel(h.app, { createClient: () => client, perChatIntervalMs: 1, messagesPerMinute: 60_000, terminal: null });
    await waitFor(() => channel.state() === 'ready');
    const handle = h.app.runtime.handle.bind(h.app.runtime);
    vi.spyOn(h.app.runtime, 'handle').mockImplementation(async (...args) => {
      const result = await handle(...args);
      turns.push(result);
      return result;
    });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await h.close();
  });

  it('takes an ASN through the quiz by numbers to a certificate sent as a PDF document', { timeout: 30_000 }, async () => {
    const chat = '6281311112222@c.us';
    await type(chat, 'halo');
    const profile = await type(chat, '2');
    expect(profile.at(-1)?.text).toContain('bolehkah kami mencatat sedikit keterangan');
    expect(profile.at(-1)?.text).toMatch(/1\. Ya, saya bersedia\n2\. Lewati, langsung ke kuis\n\n_Balas dengan angka 1–2\._$/);
    let shown = await type(chat, '2');
    for (let n = 1; n <= QUIZ_LENGTH; n += 1) {
      const text = shown.map((s) => s.text).join('\n\n');
      expect(text).toContain(`*Soal ${n} dari ${QUIZ_LENGTH}*`);
      const messages = turns.at(-1)?.messages ?? [];
      const { choices } = shownQuestion(messages);
      expect(text).toMatch(new RegExp(`\\n${choices.length}\\. .+\\n\\n_Balas dengan angka 1–${choices.length}\\._$`));
      const number = choices.findIndex((c) => c.value === answerValue(messages, true)) + 1;
      shown = await type(chat, String(number));
      expect(shown.map((s) => s.text).join('\n')).toContain('✅ *Benar.*');
    }
    const result = shown.map((s) => s.text).join('\n\n');
    expect(result).toContain(`Skor Anda: *${QUIZ_LENGTH} dari ${QUIZ_LENGTH}*`);
    expect(result).toContain('Nama siapa yang akan dicetak?');
    const confirm = await type(chat, 'Siti Rahmawati, S.Pd.');
    expect(confirm.at(-1)?.text).toContain('Nama yang akan dicetak: *Siti Rahmawati, S.Pd.*');
    const issued = await type(chat, '1');
    const pdf = issued.find((s) => s.media);
    expect(pdf?.media?.mimetype).toBe('application/pdf');
    expect(Buffer.from(pdf?.media?.data ?? '', 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf?.options).toMatchObject({ sendMediaAsDocument: true, caption: expect.stringMatching(/^Sertifikat Netralitas ASN · kode /) });
    const code = /kode (\S+)/.exec(pdf?.options?.caption ?? '')?.[1];
    expect(issued.map((s) => s.text).join('\n')).toContain(`/verifikasi ${code}`);
    const verified = await type('6281399998888@c.us', `/verifikasi ${code}`);
    expect(verified.map((s) => s.text).join('\n')).toContain('Siti Rahmawati');
  });
  /** Types an anonymous tip up to its description (the evidence step is next). */
  const tipToEvidence = async (chat: string) => {
    await type(chat, 'halo');
    const kind = await type(chat, '1');
    expect(joined(kind)).toMatch(/\n1\. .+\n2\. .+/);
    for (const answer of ['1', 'setuju', 'tidak tahu', 'Kepala Dinas Pendidikan', 'Dinas Pendidikan Kabupaten Bangka Barat', 'PNS']) {
      await type(chat, answer);
    }
    // The date question wants a typed date; its two numbered shortcuts are offered as the alternative.
    expect(joined(await type(chat, '1'))).toMatch(/1\. Hari ini\n2\. Kemarin\n\n_Atau balas dengan angka 1–2 untuk memilih\._/);
    await type(chat, '20/11/2026');
    await type(chat, 'hari ini');
    expect(joined(await type(chat, 'bangka barat'))).toContain('Kabupaten Bangka Barat');
    await type(chat, 'lewati');
    await type(chat, 'Pada 20 November kepala dinas mengunggah foto kampanye calon bupati di Facebook dan meminta para guru membagikannya.');
  };

  it('files an anonymous tip typed on WhatsApp with a photo and a voice note as evidence', { timeout: 30_000 }, async () => {
    const chat = '6281355556666@c.us';
    await tipToEvidence(chat);
    const photo = await jpegWithExif('wa-photo', { r: 200, g: 30, b: 30 });
    let before = client.sent.length;
    client.receive({ from: chat, type: 'image', body: 'Unggahan kepala dinas' }, { mimetype: 'image/jpeg', data: photo.toString('base64') });
    await channel.idle();
    expect(joined(client.sent.slice(before))).toMatch(/Bukti ke-1/);
    const voice = Buffer.from('OggS voice note of the head of office');
    before = client.sent.length;
    client.receive({ from: chat, type: 'ptt' }, { mimetype: 'audio/ogg; codecs=opus', data: voice.toString('base64') });
    await channel.idle();
    expect(joined(client.sent.slice(before))).toMatch(/Bukti ke-2/);

    const review = joined(await type(chat, 'selesai'));
    expect(review).toContain('Ringkasan informasi awal');
    const filed = joined(await type(chat, 'kirim laporan'));
    const code = /NTR-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(filed)?.[0];
    expect(code, filed).toBeDefined();
    expect(filed).toMatch(/\b\d{4} \d{4} \d{4} \d{4}\b/);
    expect(filed).toContain('Ditujukan kepada: *Bawaslu Kabupaten Bangka Barat*');

    const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code: code! }, include: { evidence: { orderBy: { createdAt: 'asc' } } } });
    expect(ticket.kind).toBe('tip');
    expect(ticket.evidence.map((e) => e.kind)).toEqual(['photo', 'voice']);
    const [photoRow] = ticket.evidence;
    expect(readFileSync(path.join(h.dataDir, photoRow!.path!))).toEqual(photo);
    // The copy that is forwarded carries no EXIF or GPS.
    const stripped = photoRow!.strippedPath;
    expect(stripped).toBeTruthy();
    expect(await exifr.parse(readFileSync(path.join(h.dataDir, stripped!)), { gps: true })).toBeUndefined();

    // The WhatsApp number is stored only encrypted.
    const row = await h.app.store.prisma.chat.findUniqueOrThrow({ where: { key: ticket.reporterChatKey! } });
    expect(h.app.secrets.decrypt(row.addressEnc)).toBe(`whatsapp:${chat}`);
    const tables = await h.app.store.prisma.$queryRawUnsafe<Array<{ name: string }>>(
      `SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['Chat', 'Ticket', 'Evidence', 'Outbox']));
    for (const { name } of tables) {
      const rows = await h.app.store.prisma.$queryRawUnsafe<Array<{ j: string }>>(`SELECT row_to_json(t)::text AS j FROM "${name}" t`);
      expect(rows.map((r) => r.j).join('\n'), name).not.toContain('81355556666');
    }
  });
  it("relays an officer's question and a status update to a WhatsApp reporter, who answers with /jawab", { timeout: 30_000 }, async () => {
    const chat = '6281377778888@c.us';
    await tipToEvidence(chat);
    await type(chat, 'https://facebook.com/kadis/posts/123');
    await type(chat, 'selesai');
    const code = /NTR-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(joined(await type(chat, 'kirim laporan')))![0];
    const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code } });
    const act = (action: (ctx: ActionContext) => Promise<void>) =>
      h.app.store.prisma.$transaction(async (tx) => {
        const officer = await enrolOfficer(tx, h.app.secrets, { telegramUserId: '7001', officeCode: ticket.officeCode, role: 'officer', displayName: 'Sari' });
        await action({ tx, officer, at: h.now(), renderer: h.app.renderer, recommendationBody: 'BKN' });
      });
    const services = officerServices(h.app);

    let before = client.sent.length;
    await act((ctx) => askReporter(ctx, ticket, 'Apakah Anda menyimpan tautan unggahan Facebook tersebut?'));
    await services.worker.drain();
    const question = joined(client.sent.slice(before).filter((s) => s.chatId === chat));
    expect(question).toContain('Apakah Anda menyimpan tautan unggahan Facebook tersebut?');
    expect(question).toContain(`/jawab ${code}`);

    if (replyRouted) {
      expect(joined(await type(chat, `/jawab ${code}`))).toContain('Silakan tulis jawaban');
      await type(chat, 'Ya, tautannya masih bisa dibuka.');
      expect(joined(await type(chat, 'kirim jawaban'))).toContain('sudah diteruskan');
    }

    before = client.sent.length;
    await act((ctx) => setTicketStatus(ctx, { ...ticket, status: 'received' }, 'handling', 'Kami memanggil terlapor untuk klarifikasi minggu depan.'));
    await services.worker.drain();
    const status = joined(client.sent.slice(before).filter((s) => s.chatId === chat));
    expect(status).toContain(`Status laporan *${code}* kini: *Sedang ditangani*.`);
    expect(status).toContain('Kami memanggil terlapor untuk klarifikasi minggu depan.');

    await type(chat, 'menu');
    const mine = joined(await type(chat, '4'));
    expect(mine).toContain(code);
  });

  it('opens the lessons by number and pages through them by number', async () => {
    const chat = '6281399990000@c.us';
    await type(chat, 'halo');
    const first = joined(await type(chat, '3'));
    expect(first).toMatch(/\(1\/\d+\)/);
    expect(first).toMatch(/\n1\. Berikutnya\n2\. Coba kuis topik ini\n3\. Daftar materi\n4\. Menu utama\n\n_Balas dengan angka 1–4\._$/);
    const second = joined(await type(chat, '1'));
    expect(second).toMatch(/\(2\/\d+\)/);
    expect(second).toMatch(/\n1\. Berikutnya\n2\. Sebelumnya\n/);
    expect(second).not.toMatch(/<\/?(b|i|code)>/);
  });
});
