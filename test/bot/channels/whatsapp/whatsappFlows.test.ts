/**
 * Whole flows played on WhatsApp through a fake client: what a person types and what comes back, with the real
 * runtime, services and store behind the channel.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWhatsAppChannel, type WhatsAppChannel } from '../../../../bot/channels/whatsapp/whatsappChannel.ts';
import type { TurnResult } from '../../../../bot/conversation/conversationRuntime.ts';
import { QUIZ_LENGTH } from '../../../../flows/quiz/questionBank.ts';
import { createHarness, type Harness } from '../../../support/chatHarness.ts';
import { storeKinds } from '../../../support/testDatabase.ts';
import { answerValue, shownQuestion } from '../../../flows/quiz/quizAnswers.ts';
import { FakeWhatsAppClient } from './fakeWhatsAppClient.ts';
import { waitFor } from './waitFor.ts';

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
    h = await createHarness(kind);
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
});
