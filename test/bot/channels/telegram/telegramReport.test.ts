import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Message } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiCall } from '../../../support/fakeBotApi.ts';
import { startKit, textOf, type Kit } from './telegramKit.ts';

describe('A tip reported over Telegram', () => {
  let kit: Kit;
  beforeAll(async () => {
    kit = await startKit({ kind: 'postgres', mode: 'polling', probe: false, now: '2026-11-22T03:00:00.000Z' });
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('goes from /lapor through buttons, typed answers and a photo to a ticket code', async () => {
    const { fake } = kit;
    const chat = 6001;
    /** Sends a text and waits for the first reply to it (matching `expected` when given). */
    const say = async (text: string, expected?: RegExp): Promise<ApiCall> => {
      const from = fake.calls.length;
      fake.pushUpdate(fake.textUpdate(chat, text));
      return fake.waitForSent(chat, expected, 5000, from);
    };
    const keyboardOf = (call: ApiCall) =>
      ((call.params.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data: string }>> } | undefined)?.inline_keyboard ?? []).flat();

    await say('/start', /Apa yang ingin Anda lakukan/);
    const from = fake.calls.length;
    fake.pushUpdate(fake.textUpdate(chat, '/lapor'));
    const kind = await fake.waitFor((c) => c.ok && c.chatId === chat && keyboardOf(c).length > 0, 5000, from);
    const [tip] = keyboardOf(kind);
    expect(tip?.callback_data).toMatch(/^k:/);
    const pressFrom = fake.calls.length;
    fake.pushUpdate(fake.callbackUpdate(chat, (kind.result as Message).message_id, tip?.callback_data ?? ''));
    await fake.waitFor((c) => c.method === 'editMessageText' && c.chatId === chat, 5000, pressFrom);
    expect(fake.messages(chat).find((m) => m.messageId === (kind.result as Message).message_id)?.text).toContain('✅ Pilihan Anda:');

    await say('setuju');
    await say('tidak tahu');
    await say('Kepala Dinas Pendidikan');
    await say('Dinas Pendidikan Kabupaten Bangka Barat');
    await say('PNS');
    await say('1');
    await say('20/11/2026');
    await say('hari ini');
    await say('bangka barat', /Kabupaten Bangka Barat/);
    await say('lewati');
    await say('Pada 20 November kepala dinas mengunggah foto kampanye calon bupati di Facebook dan meminta para guru membagikannya.');

    const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#2050a0' } }).jpeg().toBuffer();
    const photoFrom = fake.calls.length;
    fake.pushUpdate(fake.photoUpdate(chat, photo));
    await fake.waitForSent(chat, /Bukti ke-1/, 5000, photoFrom);
    await say('selesai', /Ringkasan informasi awal/);
    const filed = await say('kirim laporan', /NTR-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    await fake.waitForSent(chat, createHash('sha256').update(photo).digest('hex'), 5000, filed.seq);

    const tickets = await kit.app.store.prisma.ticket.findMany({ include: { evidence: true } });
    expect(tickets).toHaveLength(1);
    expect(tickets[0]?.kind).toBe('tip');
    expect(tickets[0]?.evidence.map((e) => e.sha256)).toEqual([createHash('sha256').update(photo).digest('hex')]);
    // Telegram took every message (valid HTML, within limits) at the first try.
    expect(fake.calls.filter((c) => c.chatId === chat && !c.ok)).toEqual([]);
    expect(fake.sent(chat).map(textOf).join('\n')).toContain('Informasi awal');
  });

  it('refuses a press on an earlier question\'s button, though the question on screen offers the same value, and keeps to it', async () => {
    const { fake } = kit;
    const chat = 6002;
    type Button = { text: string; callback_data: string };
    const keyboardOf = (call: ApiCall): Button[] =>
      ((call.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
    const asked = async (push: () => void, expected: RegExp): Promise<ApiCall> => {
      const from = fake.calls.length;
      push();
      return fake.waitFor((c) => c.ok && c.method === 'sendMessage' && c.chatId === chat && expected.test(textOf(c)), 5000, from);
    };
    const type = (text: string, expected: RegExp) => asked(() => fake.pushUpdate(fake.textUpdate(chat, text)), expected);
    const press = (call: ApiCall, label: RegExp, expected: RegExp) => {
      const button = keyboardOf(call).find((b) => label.test(b.text));
      expect(button?.callback_data).toMatch(/^k:/);
      return asked(() => fake.pushUpdate(fake.callbackUpdate(chat, (call.result as Message).message_id, button?.callback_data ?? '')), expected);
    };

    await type('/lapor', /Bagaimana Anda ingin menyampaikannya/);
    await type('1', /privasi Anda/);
    const nameQuestion = await type('setuju', /Siapa yang dilaporkan/);
    const positionQuestion = await type('Budi Santoso', /Apa jabatannya/);
    // "Tidak tahu" under the name question, pressed while the position is asked: refused, the position asked again.
    const markupFrom = fake.calls.length;
    const again = await press(nameQuestion, /Tidak tahu/, /Apa jabatannya/);
    expect(textOf(again)).toContain('sudah tidak berlaku');
    // The old question loses its buttons, so it cannot be pressed again.
    await fake.waitFor((c) => c.method === 'editMessageReplyMarkup' && c.chatId === chat && c.params.message_id === (nameQuestion.result as Message).message_id, 5000, markupFrom);
    // The same button under the question on screen (read back from the store) counts.
    await press(positionQuestion, /Tidak tahu/, /Di instansi atau OPD mana/);
    const [row] = await kit.app.store.query<{ snapshot: { context: { terlapor: { name: string | null; position: string | null } } } }>(
      'SELECT "snapshot" FROM "Chat" WHERE "flow" = $1 ORDER BY "updatedAt" DESC LIMIT 1',
      ['report'],
    );
    expect(row?.snapshot.context.terlapor).toMatchObject({ name: 'Budi Santoso', position: null });
  });
});

