/**
 * An officer's private chat with the bot is also a citizen's: the officer may report, check a status or take the
 * quiz. A question typed there for a reporter, outside any prompt, must not fall to the citizen menu: the officer is
 * told how to ask the reporter. Over the fake Bot API with the real Telegram channel, flows and officer desk.
 */
import type { Message } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvite } from '../../../bot/officers/invites.ts';
import { attachOfficerDesk } from '../../../bot/officers/telegramOfficerHooks.ts';
import type { ApiCall } from '../../support/fakeBotApi.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { startKit, textOf, type Kit } from '../channels/telegram/telegramKit.ts';
import { createTicket } from '../forwarding/support/fixtures.ts';

const OFFICER = 7101;
const CITIZEN = 6101;
/** The citizen menu's question. */
const MENU = 'Apa yang ingin Anda lakukan?';

type Keyboard = Array<Array<{ text: string; callback_data: string }>>;
const keyboardOf = (call: ApiCall): Keyboard =>
  (call.params.reply_markup as { inline_keyboard?: Keyboard } | undefined)?.inline_keyboard ?? [];

describe.each(storeKinds)('an officer in a private chat with the bot on %s', (kind) => {
  let kit: Kit;
  let code = '';

  beforeAll(async () => {
    kit = await startKit({ kind, mode: 'polling', probe: false, now: '2026-11-22T03:00:00.000Z' });
    attachOfficerDesk(kit.app, kit.channel);
    const invite = await kit.app.store.prisma.$transaction((tx) =>
      createInvite(tx, { officeCode: '19.05', role: 'officer', expiresAt: new Date('2026-12-01T00:00:00Z') }),
    );
    await say(OFFICER, `/petugas ${invite}`, /terdaftar sebagai petugas/);
    code = (await createTicket(kit.app, { officeCode: '19.05', withFiles: false })).ticket.code;
  });
  afterAll(async () => {
    await kit?.close();
  });

  /** Sends a text as the user of a private chat and waits for the bot's first answer (matching, when given). */
  async function say(chat: number, text: string, match?: string | RegExp, replyTo?: unknown): Promise<ApiCall> {
    const from = kit.fake.calls.length;
    const update = kit.fake.textUpdate(chat, text, { from: { id: chat, first_name: chat === OFFICER ? 'Sari' : 'Budi' } });
    if (replyTo) Object.assign(update.message, { reply_to_message: replyTo });
    kit.fake.pushUpdate(update);
    return kit.fake.waitForSent(chat, match, 5000, from);
  }
  /** What the bot sent to a chat from call `from` on, once a marker message (a desk command's answer) has come. */
  async function sentSince(chat: number, from: number): Promise<string> {
    await say(chat, '/petugas', 'Anda terdaftar sebagai petugas di');
    return kit.fake.calls
      .slice(from)
      .filter((call) => call.ok && call.method === 'sendMessage' && call.chatId === chat)
      .map(textOf)
      .join('\n');
  }

  it('is told how to ask the reporter, not shown the citizen menu, after a question typed outside any prompt', async () => {
    const from = kit.fake.calls.length;
    const guidance = await say(OFFICER, 'Apakah ada foto lain?');
    expect(textOf(guidance)).toContain('tidak diteruskan kepada siapa pun');
    expect(textOf(guidance)).toContain('❓ Minta info');
    expect(textOf(guidance)).toContain('balas pesan pertanyaan dari bot');
    expect(textOf(guidance)).toContain('/tiket');
    expect(textOf(guidance)).toContain('/menu');
    expect(await sentSince(OFFICER, from)).not.toContain(MENU);
  });

  it('is offered the ask button of the ticket whose code the question names, and its prompt still takes the question', async () => {
    const guidance = await say(OFFICER, `tanya pelapor ${code.toLowerCase()} apakah ada saksi`);
    expect(textOf(guidance)).toContain(`pelapor ${code}`);
    expect(keyboardOf(guidance).flat()).toEqual([expect.objectContaining({ callback_data: `o:ask:${code}` })]);
    // The button opens the desk's prompt in this chat; a reply to it is the question, as before.
    const from = kit.fake.calls.length;
    kit.fake.pushUpdate(kit.fake.callbackUpdate(OFFICER, (guidance.result as Message).message_id, `o:ask:${code}`, { id: OFFICER, first_name: 'Sari' }));
    const prompt = await kit.fake.waitForSent(OFFICER, `#tanya ${code}`, 5000, from);
    const sent = await say(OFFICER, 'Apakah ada saksi lain yang melihat kejadian itu?', /Pertanyaan untuk pelapor/, prompt.result);
    expect(textOf(sent)).toContain(`Pertanyaan untuk pelapor ${code} sudah dikirim`);
    const asked = await kit.app.store.prisma.ticketEvent.findFirst({ where: { type: 'question' }, orderBy: { createdAt: 'desc' } });
    expect(asked?.text).toBe('Apakah ada saksi lain yang melihat kejadian itu?');
  });

  it('still uses the citizen features: /lapor starts a report, whose questions take the typed words, and the menu understands requests', async () => {
    const from = kit.fake.calls.length;
    await say(OFFICER, '/lapor', 'Laporkan dugaan pelanggaran netralitas');
    // Inside the report, a typed question is the report's business, not the desk's.
    await say(OFFICER, 'Apakah ada foto lain?');
    await say(OFFICER, '/batal', MENU);
    // At the menu, a choice typed by its number and a request in words are still the citizen's.
    await say(OFFICER, '4', 'Belum ada laporan yang dikirim dari akun ini');
    await say(OFFICER, '/menu', MENU);
    await say(OFFICER, 'saya mau ikut kuis', 'Sebelum mulai');
    const shown = await sentSince(OFFICER, from);
    expect(shown).toContain('Laporkan dugaan pelanggaran netralitas');
    expect(shown).not.toContain('tidak diteruskan kepada siapa pun');
  });

  it('leaves a citizen who types the same question with the citizen menu, as before', async () => {
    const answer = await say(CITIZEN, 'Apakah ada foto lain?', MENU);
    expect(textOf(answer)).toContain(MENU);
    expect(kit.fake.sent(CITIZEN).map(textOf).join('\n')).not.toContain('tidak diteruskan kepada siapa pun');
  });
});
