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
    expect(tip?.callback_data).toMatch(/^c:/);
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
    await say('selesai', /Ringkasan laporan/);
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
});
