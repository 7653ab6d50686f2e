/**
 * "Cek status laporan" through the runtime: the reports of this chat, a report's history, and a report checked
 * from another device with its code and receipt, with wrong receipts limited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../flows/messages.ts';
import { createHarness, type Harness, type TurnOptions } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { confirm, tipToReview, type Filed } from '../report/reportJourney.ts';

function keysOf(messages: OutboundMessage[]): string[] {
  return messages.flatMap((m) => (m.type === 'text' && 'key' in m.text ? [m.text.key] : []));
}

describe.each(storeKinds)('the status flow on %s', (kind) => {
  let h: Harness;
  let first: Filed;
  let second: Filed;

  beforeAll(async () => {
    h = await createHarness(kind, { env: { RATE_LIMIT_PER_MINUTE: '100000', RECOMMENDATION_BODY: 'Badan Kepegawaian Negara (BKN)' } });
    await tipToReview(h, { chat: 'owner', locale: 'id', links: ['https://x.com/a/status/1'] });
    first = await confirm(h, { chat: 'owner', locale: 'id' });
    h.setNow('2026-11-23T03:00:00.000Z');
    await tipToReview(h, { chat: 'owner', locale: 'id', links: ['https://x.com/a/status/2'] });
    second = await confirm(h, { chat: 'owner', locale: 'id' });
    // What officers did meanwhile (their own modules write these).
    const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code: first.code } });
    await h.app.store.prisma.ticket.update({ where: { id: ticket.id }, data: { status: 'recommended' } });
    await h.app.store.prisma.ticketEvent.createMany({
      data: [
        { ticketId: ticket.id, type: 'forwarded', text: 'Bawaslu Kabupaten Bangka Barat', actor: 'system', createdAt: new Date('2026-11-22T03:01:00Z') },
        { ticketId: ticket.id, type: 'acknowledged', status: 'acknowledged', actor: 'o1', createdAt: new Date('2026-11-22T04:00:00Z') },
        { ticketId: ticket.id, type: 'note', text: 'catatan internal rahasia', actor: 'o1', internal: true, createdAt: new Date('2026-11-22T05:00:00Z') },
        { ticketId: ticket.id, type: 'status', status: 'recommended', text: 'Terbukti <b>melanggar</b>', actor: 'o1', createdAt: new Date('2026-11-24T05:00:00Z') },
      ],
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists the reports filed from this chat with kind, status in words, office and date', async () => {
    const list = await h.command('status', '', { chat: 'owner' });
    expect(keysOf(list.messages)).toEqual(['status.list', 'status.askNext']);
    expect(list.all).toContain(`${first.code} · informasi awal · Bawaslu telah menyampaikan rekomendasi kepada Badan Kepegawaian Negara (BKN) · Bawaslu Kabupaten Bangka Barat · dikirim 22 November 2026`);
    expect(list.all).toContain(`${second.code} · informasi awal · terkirim, menunggu ditanggapi Bawaslu`);
    expect(list.all.indexOf(second.code)).toBeLessThan(list.all.indexOf(first.code));
    expect(list.choices).toEqual([second.code, first.code, 'Cek dengan kode + tanda terima', 'Menu utama']);
  });

  it('answers a wish to withdraw a report with who decides and how to ask, then the reports sent with their codes', async () => {
    await h.command('batal', '', { chat: 'owner' });
    const withdraw = await h.say('sy mau cabut laporan sy yg kemarin min', { chat: 'owner' });
    expect(keysOf(withdraw.messages)).toEqual(['menu.withdraw', 'status.list', 'status.askNext']);
    expect(withdraw.all).toContain('dengan kodenya, saya tampilkan di bawah ini');
    expect(withdraw.all).toContain(`${first.code} · informasi awal`);
    expect(withdraw.choices).toEqual([second.code, first.code, 'Cek dengan kode + tanda terima', 'Menu utama']);
    await h.command('batal', '', { chat: 'owner' });
  });

  it('shows a report of this chat with its history, without internal notes', async () => {
    await h.command('status', '', { chat: 'owner' });
    const view = await h.say(first.code, { chat: 'owner' });
    expect(keysOf(view.messages)).toEqual(['status.ticket', 'status.askNext']);
    // Initial information is called so, not a report.
    expect(view.all).toContain(`Informasi awal ${first.code}`);
    expect(view.all).toContain('22 November 2026 — Informasi awal dikirim melalui Netra');
    expect(view.all).toContain('22 November 2026 — Diteruskan kepada Bawaslu Kabupaten Bangka Barat');
    expect(view.all).toContain('22 November 2026 — Diterima petugas Bawaslu');
    expect(view.all).toContain('24 November 2026 — Status: Bawaslu telah menyampaikan rekomendasi kepada Badan Kepegawaian Negara (BKN). Keterangan: Terbukti <b>melanggar</b>');
    expect(view.all).not.toContain('catatan internal');
    const html = h.app.renderer.message(view.messages[0]!, 'id').text;
    expect(html).toContain('Terbukti &lt;b&gt;melanggar&lt;/b&gt;');
  });

  it('says a report on a village head was recommended to the competent authority, not to BKN', async () => {
    const t: TurnOptions = { chat: 'villager' };
    await tipToReview(h, { chat: 'villager', locale: 'id', links: ['https://x.com/a/status/9'] });
    const filed = await confirm(h, { chat: 'villager', locale: 'id' });
    const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code: filed.code } });
    const details = ticket.details as { terlapor: Record<string, unknown> };
    await h.app.store.prisma.ticket.update({
      where: { id: ticket.id },
      data: { status: 'recommended', details: { ...details, terlapor: { ...details.terlapor, employment: 'village' } } },
    });
    await h.app.store.prisma.ticketEvent.create({
      data: { ticketId: ticket.id, type: 'status', status: 'recommended', text: 'Diteruskan ke bupati', actor: 'o1', createdAt: new Date('2026-11-24T05:00:00Z') },
    });
    const list = await h.command('status', '', t);
    expect(list.all).toContain(`${filed.code} · informasi awal · Bawaslu telah menyampaikan rekomendasi kepada instansi yang berwenang`);
    const view = await h.say(filed.code, t);
    expect(view.all).toContain('Status: Bawaslu telah menyampaikan rekomendasi kepada instansi yang berwenang. Keterangan: Diteruskan ke bupati');
    expect(view.all).not.toContain('BKN');
  });

  it('says so in English when this chat has filed nothing', async () => {
    await h.command('start', '', { chat: 'newcomer' });
    await h.command('language', 'en', { chat: 'newcomer' });
    const empty = await h.command('status', '', { chat: 'newcomer' });
    expect(keysOf(empty.messages)).toEqual(['status.noReports', 'status.askNextNoList']);
    expect(empty.all).toContain('No report has been sent from this account yet');
    expect(empty.choices).toEqual(['Check with code + receipt', 'Main menu']);
    const help = await h.command('help', '', { chat: 'newcomer' });
    expect(help.all).toContain('so there is no list to choose from');
    expect(help.all).not.toContain('This shows the reports sent from this account');
  });

  it('points an account of what happened typed at the status check to the report and the lessons', async () => {
    const t: TurnOptions = { chat: 'story-at-status' };
    await h.command('start', '', t);
    await h.command('status', '', t);
    const story = await h.say('kepala sekolah nyuruh guru pilih calon tertentu, gmn?', t);
    expect(keysOf(story.messages)).toEqual(['status.storyHere', 'status.askNextNoList']);
  });

  it('shows the same view from another device with /status CODE RECEIPT, and not another chat\'s report without it', async () => {
    const other: TurnOptions = { chat: 'other-device' };
    await h.command('start', '', other);
    const view = await h.command('status', `${first.code} ${first.receipt}`, other);
    expect(keysOf(view.messages)).toEqual(['status.ticket', 'status.askNextNoList']);
    expect(view.all).toContain('Diteruskan kepada Bawaslu Kabupaten Bangka Barat');
    // Typing another chat's code alone asks for the receipt.
    await h.command('status', '', other);
    const asked = await h.say(second.code, other);
    expect(keysOf(asked.messages)).toEqual(['status.askReceipt']);
  });

  it('shows the report at once when its code and receipt are typed at the menu, or as a chat\'s first message', async () => {
    const typed: TurnOptions = { chat: 'menu-typed' };
    await h.command('start', '', typed);
    const view = await h.say(`cek status ${first.code} ${first.receipt}`, typed);
    expect(keysOf(view.messages)).toEqual(['status.ticket', 'status.askNextNoList']);
    expect(view.all).toContain('Diteruskan kepada Bawaslu Kabupaten Bangka Barat');
    const opening = await h.say(`${second.code} ${first.receipt.replace(/ /g, '')}`, { chat: 'first-message' });
    // A wrong receipt is answered as /status answers it, and the receipt is never stored with the conversation.
    expect(keysOf(opening.messages)).toContain('status.notFound');
    const chat = await h.app.store.prisma.chat.findUniqueOrThrow({ where: { key: view.result.chatKey } });
    expect(JSON.stringify(chat)).not.toContain(first.receipt.replace(/ /g, ''));
    // A receipt a digit short is said to be so, and asked for.
    await h.command('menu', '', typed);
    const short = await h.say(`cek status ${second.code} ${second.receipt.slice(0, -1)}`, typed);
    expect(keysOf(short.messages)).toEqual(['status.errors.receipt', 'status.askReceipt']);
  });

  it('asks for the code and then the receipt, step by step, in English', async () => {
    const t: TurnOptions = { chat: 'stepwise' };
    await h.command('start', '', t);
    await h.command('language', 'en', t);
    await h.command('status', '', t);
    const askCode = await h.choose('lookup', t);
    expect(askCode.all).toContain('Write your report code');
    const notCode = await h.say('my report please', t);
    expect(keysOf(notCode.messages)).toEqual(['status.errors.code', 'status.askCode']);
    const askReceipt = await h.say(second.code.toLowerCase(), t);
    expect(askReceipt.all).toContain(`16-digit receipt number of report ${second.code}`);
    const notReceipt = await h.say('12345', t);
    expect(keysOf(notReceipt.messages)).toEqual(['status.errors.receipt', 'status.askReceipt']);
    const view = await h.say(second.receipt.replace(/ /g, '-'), t);
    expect(view.all).toContain(`Initial information ${second.code}`);
    expect(view.all).toContain('Status: received, waiting for Bawaslu');
    // The receipt was never stored with the conversation.
    const chat = await h.app.store.prisma.chat.findUniqueOrThrow({ where: { key: view.result.chatKey } });
    expect(JSON.stringify(chat)).not.toContain(second.receipt.replace(/ /g, ''));
  });

  it('shows a report sent from this chat with /status CODE, without asking for its receipt', async () => {
    const owner: TurnOptions = { chat: 'owner' };
    const view = await h.command('status', second.code.toLowerCase(), owner);
    expect(keysOf(view.messages)).toEqual(['status.ticket', 'status.askNextNoList']);
    expect(view.all).toContain(second.code);
    // Typed after "check with code + receipt" too.
    await h.command('status', '', owner);
    await h.choose('lookup', owner);
    expect(keysOf((await h.say(first.code, owner)).messages)).toEqual(['status.ticket', 'status.askNext']);
    // Pasted at the main menu, too.
    await h.command('menu', '', owner);
    expect(keysOf((await h.say(second.code, owner)).messages)).toEqual(['status.ticket', 'status.askNextNoList']);
  });

  it('says what is wrong with a receipt given with the code that is not 16 digits, and asks for it', async () => {
    const t: TurnOptions = { chat: 'short-receipt' };
    await h.command('start', '', t);
    const short = await h.command('status', `${second.code} 1234`, t);
    expect(keysOf(short.messages)).toEqual(['status.errors.receipt', 'status.askReceipt']);
    // A code without its prefix, with the right receipt, is looked up at once.
    const unprefixed = await h.command('status', `${second.code.slice(4)} ${second.receipt}`, t);
    expect(keysOf(unprefixed.messages)).toEqual(['status.ticket', 'status.askNextNoList']);
    // The code alone still just asks for the receipt.
    expect(keysOf((await h.command('status', second.code, t)).messages)).toEqual(['status.askReceipt']);
  });

  it('answers a wrong receipt and an unknown code alike', async () => {
    const t: TurnOptions = { chat: 'wrong-once' };
    await h.command('start', '', t);
    const wrong = await h.command('status', `${second.code} 0000 0000 0000 0000`, t);
    const unknown = await h.command('status', 'NTR-2222-2222 0000 0000 0000 0000', t);
    expect(keysOf(wrong.messages)).toEqual(['status.notFound', 'status.askNextNoList']);
    expect(keysOf(unknown.messages)).toEqual(['status.notFound', 'status.askNextNoList']);
  });

  it('checks a corrected receipt sent alone after "does not match", with the code looked up', async () => {
    const t: TurnOptions = { chat: 'wrong-then-right' };
    await h.command('start', '', t);
    expect(keysOf((await h.command('status', `${second.code} 0000 0000 0000 0000`, t)).messages)[0]).toBe('status.notFound');
    expect(keysOf((await h.say(second.receipt, t)).messages)).toEqual(['status.ticket', 'status.askNextNoList']);
    // Once it matched, a receipt alone is no longer read against that code.
    const other = keysOf((await h.say(first.receipt, t)).messages);
    expect(other).not.toContain('status.notFound');
    expect(other).not.toContain('status.ticket');
  });

  it('never reads a receipt as a report code, and says a receipt alone needs its code', async () => {
    const owner: TurnOptions = { chat: 'owner' };
    await h.command('status', '', owner);
    expect(keysOf((await h.say(first.code, owner)).messages)).toEqual(['status.ticket', 'status.askNext']);
    // "1125 4875 9787 8738" holds "4875 9787", which has the shape of a code.
    const receipt = await h.say('1125 4875 9787 8738', owner);
    expect(keysOf(receipt.messages)).toEqual(['status.receiptAlone', 'status.askNext']);
    expect(receipt.all).not.toContain('NTR-4875-9787');
  });

  it('stops a chat after five wrong receipts, even when the sixth is right', async () => {
    const t: TurnOptions = { chat: 'guesser' };
    await h.command('start', '', t);
    for (let i = 0; i < 5; i += 1) {
      const wrong = await h.command('status', `${first.code} 1111 2222 3333 444${i}`, t);
      expect(keysOf(wrong.messages)[0]).toBe('status.notFound');
    }
    const limited = await h.command('status', `${first.code} ${first.receipt}`, t);
    expect(keysOf(limited.messages)[0]).toBe('status.rateLimited');
    expect(limited.all).toMatch(/coba lagi sekitar 1[0-5] menit lagi/);
    // Its own reports still list (no receipt needed there).
    expect(keysOf((await h.command('status', '', t)).messages)[0]).toBe('status.noReports');
  });

  it('stops guesses against one code spread over many chats', async () => {
    await tipToReview(h, { chat: 'target', locale: 'id', links: ['https://x.com/a/status/3'] });
    const target = await confirm(h, { chat: 'target', locale: 'id' });
    for (let i = 0; i < 10; i += 1) {
      const chat: TurnOptions = { chat: `botnet-${i}` };
      await h.command('start', '', chat);
      expect(keysOf((await h.command('status', `${target.code} 9999 8888 7777 666${i}`, chat)).messages)[0]).toBe('status.notFound');
    }
    const honest: TurnOptions = { chat: 'honest-device' };
    await h.command('start', '', honest);
    const limited = await h.command('status', `${target.code} ${target.receipt}`, honest);
    expect(keysOf(limited.messages)[0]).toBe('status.rateLimited');
    // Another code is not affected.
    expect(keysOf((await h.command('status', `${second.code} ${second.receipt}`, honest)).messages)[0]).toBe('status.ticket');
  });

  it('leaves to the menu with "kembali" or the menu choice, and explains /status arguments it cannot read', async () => {
    const t: TurnOptions = { chat: 'leaver' };
    await h.command('start', '', t);
    const odd = await h.command('status', 'tolong cek', t);
    expect(keysOf(odd.messages)).toEqual(['status.badArgs', 'status.noReports', 'status.askNextNoList']);
    const help = await h.command('bantuan', '', t);
    // No list to choose from: the help speaks of the check by code and receipt only.
    expect(keysOf(help.messages)).toEqual(['status.help.choosingNoList', 'status.askNextNoList']);
    expect(keysOf((await h.say('kembali', t)).messages)).toEqual(['menu.ask']);
    await h.command('status', '', t);
    expect(keysOf((await h.choose('menu', t)).messages)).toEqual(['menu.ask']);
  });
});
