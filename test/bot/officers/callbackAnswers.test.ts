/**
 * Telegram shows a button press's answer only when it has at most 200 characters: a longer one is refused, and the
 * officer sees nothing at all. A plain officer who presses the office-choice button of /hubungkan gets a short popup
 * and reads the full explanation (why only a coordinator links, whom to ask) as a message in the chat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite } from '../../../bot/officers/invites.ts';
import { attachOfficerDesk } from '../../../bot/officers/telegramOfficerHooks.ts';
import { fitCallbackAnswer } from '../../../bot/channels/telegram/callbackAnswer.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { startKit, textOf, type Kit } from '../channels/telegram/telegramKit.ts';

const OFFICER = 7201;
const GROUP = -100779;

describe.each(storeKinds)('answers to officers’ button presses over Telegram, on %s', (kind) => {
  let kit: Kit;

  beforeAll(async () => {
    kit = await startKit({ kind, mode: 'polling', probe: false, now: '2026-11-22T03:00:00.000Z' });
    attachOfficerDesk(kit.app, kit.channel);
    const invite = await kit.app.store.prisma.$transaction((tx) =>
      createInvite(tx, { officeCode: '19.05', role: 'officer', expiresAt: new Date('2026-12-01T00:00:00Z') }),
    );
    const from = kit.fake.calls.length;
    kit.fake.pushUpdate(kit.fake.textUpdate(OFFICER, `/petugas ${invite}`, { from: { id: OFFICER, first_name: 'Budi' } }));
    await kit.fake.waitForSent(OFFICER, /terdaftar sebagai petugas/, 5000, from);
  });
  afterAll(async () => {
    await kit?.close();
  });

  it("shows a plain officer who presses an office to link a short popup, and the full explanation in the chat", async () => {
    // A coordinator's choice of offices, still on screen in the group (any member can press it).
    const choice = await kit.channel.enqueue(String(GROUP), (telegram) => telegram.sendMessage(GROUP, 'Pilih kantor'));
    const from = kit.fake.calls.length;
    kit.fake.pushUpdate(kit.fake.callbackUpdate(GROUP, choice.message_id, 'o:link:19.05', { id: OFFICER, first_name: 'Budi' }));
    const answer = await kit.fake.waitFor((c) => c.method === 'answerCallbackQuery', 5000, from);
    expect(answer.ok).toBe(true);
    expect(String(answer.params.text)).toContain('Hanya koordinator Bawaslu Kabupaten Bangka Barat');
    expect(String(answer.params.text).length).toBeLessThanOrEqual(200);
    const explained = await kit.fake.waitForSent(GROUP, /netra invite --office 19\.05 --role coordinator/, 5000, from);
    expect(textOf(explained)).toContain('Hanya koordinator Bawaslu Kabupaten Bangka Barat yang dapat menghubungkan grup');
    expect(await kit.app.store.prisma.officeChat.findMany()).toEqual([]);
  });

  it('cuts any longer answer the channel is given to what Telegram takes, so the presser still sees it', async () => {
    kit.channel.registerCallbackPrefix('zz', (ctx) => ctx.answer(`Panjang ${'sekali '.repeat(60)}`, { alert: true }));
    const shown = await kit.channel.enqueue(String(GROUP), (telegram) => telegram.sendMessage(GROUP, 'Tombol'));
    const from = kit.fake.calls.length;
    kit.fake.pushUpdate(kit.fake.callbackUpdate(GROUP, shown.message_id, 'zz:1', { id: OFFICER, first_name: 'Budi' }));
    const answer = await kit.fake.waitFor((c) => c.method === 'answerCallbackQuery', 5000, from);
    expect(answer.ok).toBe(true);
    expect(String(answer.params.text)).toMatch(/^Panjang sekali .*…$/);
    expect(String(answer.params.text)).toHaveLength(200);
  });
});

describe('an answer to a button press', () => {
  it("is cut to Telegram's 200 characters, whole characters only, saying it was cut", () => {
    expect(fitCallbackAnswer('Diterima.')).toBe('Diterima.');
    expect(fitCallbackAnswer('a'.repeat(200))).toBe('a'.repeat(200));
    const cut = fitCallbackAnswer(`${'b'.repeat(198)}😀😀 selesai`);
    expect(cut).toBe(`${'b'.repeat(198)}…`);
    expect(fitCallbackAnswer('🙂'.repeat(150))).toBe(`${'🙂'.repeat(99)}…`);
  });
});
