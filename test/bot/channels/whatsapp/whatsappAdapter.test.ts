import { beforeAll, describe, expect, it } from 'vitest';
import { mergeTexts, parseVCard, renderOutbound, toInboundEvent, type WhatsAppMessageFields } from '../../../../bot/channels/whatsapp/whatsappAdapter.ts';
import { Renderer } from '../../../../bot/i18n.ts';
import { locales, resources } from '../../../../content/locales/index.ts';
import { ask, askTyped, choice, say, type OutboundMessage } from '../../../../flows/messages.ts';

const person = '6281234567890@c.us';
const message = (fields: Partial<WhatsAppMessageFields>): WhatsAppMessageFields => ({
  from: person,
  fromMe: false,
  type: 'chat',
  body: '',
  hasMedia: false,
  ...fields,
});

describe('toInboundEvent', () => {
  it.each([
    ['its own messages', { fromMe: true, body: 'menu' }, 'own'],
    ['group chats', { from: '120363025555555555@g.us', body: 'menu' }, 'group'],
    ['status updates', { from: 'status@broadcast', body: 'halo' }, 'status'],
    ['status flagged messages', { isStatus: true, body: 'halo' }, 'status'],
    ['broadcast lists', { from: '1234567890@broadcast', body: 'halo' }, 'broadcast'],
    ['channels (newsletters)', { from: '120363000000000000@newsletter', body: 'halo' }, 'otherSender'],
    ['revoked messages', { type: 'revoked' }, 'system'],
    ['reactions', { type: 'reaction', body: '👍' }, 'system'],
    ['album headers', { type: 'album' }, 'system'],
    ['blank texts', { body: '  \n ' }, 'empty'],
  ] as const)('ignores %s', (_, fields, reason) => {
    expect(toInboundEvent(message(fields))).toEqual({ type: 'ignore', reason });
  });

  it('accepts private chats addressed by phone number or by LID', () => {
    expect(toInboundEvent(message({ body: 'halo' }))).toEqual({ type: 'event', event: { type: 'user.sendText', text: 'halo' } });
    expect(toInboundEvent(message({ from: '123456789012345@lid', body: 'halo' })).type).toBe('event');
  });

  it('keeps keywords as text for the router and reads slash forms as commands', () => {
    expect(toInboundEvent(message({ body: 'batal' }))).toEqual({ type: 'event', event: { type: 'user.sendText', text: 'batal' } });
    expect(toInboundEvent(message({ body: '/status NTR-AB12-CD34 1234' }))).toEqual({
      type: 'event',
      event: { type: 'user.sendCommand', name: 'status', args: 'NTR-AB12-CD34 1234' },
    });
    expect(toInboundEvent(message({ body: '/Lapor' }))).toEqual({ type: 'event', event: { type: 'user.sendCommand', name: 'lapor', args: '' } });
  });

  it.each([
    ['image', 'photo'],
    ['video', 'video'],
    ['document', 'document'],
    ['ptt', 'voice'],
    ['audio', 'audio'],
  ] as const)('asks for a download of a %s as %s evidence, with its caption', (type, kind) => {
    expect(toInboundEvent(message({ type, hasMedia: true, body: ' di kantor camat ' }))).toEqual({ type: 'media', kind, caption: 'di kantor camat' });
  });

  it('tells a GIF from a video and reports media WhatsApp no longer holds as a failed download', () => {
    expect(toInboundEvent(message({ type: 'video', hasMedia: true, isGif: true }))).toEqual({ type: 'media', kind: 'animation' });
    expect(toInboundEvent(message({ type: 'image', hasMedia: false }))).toEqual({
      type: 'event',
      event: { type: 'user.sendUnavailableMedia', kind: 'photo', reason: 'downloadFailed' },
    });
  });

  it('maps a shared location to coordinates and refuses impossible ones', () => {
    expect(toInboundEvent(message({ type: 'location', location: { latitude: -6.2, longitude: '106.8' } }))).toEqual({
      type: 'event',
      event: { type: 'user.sendLocation', latitude: -6.2, longitude: 106.8 },
    });
    expect(toInboundEvent(message({ type: 'location', location: { latitude: 200, longitude: 0 } }))).toEqual({
      type: 'event',
      event: { type: 'user.sendUnsupported', what: 'location' },
    });
  });

  it('reads a shared contact from its vCard and calls stickers and polls unsupported', () => {
    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nN:;Budi;;;\nFN:Budi Santoso\nitem1.TEL;waid=6281298765432:+62 812-9876-5432\nEND:VCARD';
    expect(toInboundEvent(message({ type: 'vcard', body: vcard, vCards: [vcard] }))).toEqual({
      type: 'event',
      event: { type: 'user.sendContact', phone: '+62 812-9876-5432', name: 'Budi Santoso' },
    });
    expect(toInboundEvent(message({ type: 'sticker', hasMedia: true }))).toEqual({ type: 'event', event: { type: 'user.sendUnsupported', what: 'sticker' } });
    expect(toInboundEvent(message({ type: 'poll_creation' }))).toEqual({ type: 'event', event: { type: 'user.sendUnsupported', what: 'poll_creation' } });
  });

  it('finds no contact in a vCard without a number', () => {
    expect(parseVCard('BEGIN:VCARD\nFN:Tanpa Nomor\nEND:VCARD')).toBeUndefined();
  });
});

describe('renderOutbound', () => {
  let renderer: Renderer;
  beforeAll(async () => {
    renderer = await Renderer.create();
  });

  it('renders choices as numbered lines with a hint to reply with the number', () => {
    const question = ask('menu.ask', undefined, [choice('report', 'menu.items.report'), choice('quiz', 'menu.items.quiz'), choice('help', 'menu.items.help')]);
    const [part] = renderOutbound(question, renderer, 'id');
    expect(part).toEqual({
      type: 'text',
      text: 'Apa yang ingin Anda lakukan?\n\n1. Laporkan pelanggaran\n2. Kuis netralitas ASN\n3. Bantuan\n\n_Balas dengan angka 1–3._',
    });
    // One choice beside a question that wants typed text ("1. Tidak tahu"): the hint does not read as "only 1".
    expect(renderOutbound(ask('menu.ask', undefined, [choice('report', 'menu.items.report')]), renderer, 'en')[0]).toMatchObject({
      text: expect.stringMatching(/1\. Report a violation\n\n_To choose it, reply with 1\._$/),
    });
    expect(renderOutbound(ask('menu.ask', undefined, [choice('report', 'menu.items.report')]), renderer, 'id')[0]).toMatchObject({
      text: expect.stringMatching(/_Untuk memilihnya, balas dengan angka 1\._$/),
    });
  });

  it('offers the numbers as an alternative under a question that wants a typed date or name', () => {
    const date = askTyped('report.when.askEventDate', undefined, [choice('today', 'report.when.today'), choice('yesterday', 'report.when.yesterday')]);
    expect(renderOutbound(date, renderer, 'id')[0]).toMatchObject({ text: expect.stringMatching(/1\. Hari ini\n2\. Kemarin\n\n_Atau balas dengan angka 1–2 untuk memilih\._$/) });
    expect(renderOutbound(date, renderer, 'en')[0]).toMatchObject({ text: expect.stringMatching(/_Or reply with a number from 1 to 2 to choose\._$/) });
  });

  it('turns HTML markup into WhatsApp formatting and restores escaped characters', () => {
    const [part] = renderOutbound(say('menu.greeting'), renderer, 'id');
    expect(part?.type === 'text' && part.text).toMatch(/^Selamat datang di \*Netra\* 👋/);
    const [literal] = renderOutbound({ type: 'text', text: { literal: 'A & B <c>' } }, renderer, 'id');
    expect(literal).toEqual({ type: 'text', text: 'A & B <c>' });
  });

  it('uses the keyword wording of help on WhatsApp, in both languages', () => {
    const [id] = renderOutbound(say('common.help'), renderer, 'id');
    const [en] = renderOutbound(say('common.help'), renderer, 'en');
    expect(id?.type === 'text' && id.text).toContain('*batal* — batalkan langkah saat ini');
    expect(en?.type === 'text' && en.text).toContain('*cancel* — cancel the current step');
    expect(id?.type === 'text' && id.text).toContain('*kembali* — kembali ke pertanyaan sebelumnya');
    expect(en?.type === 'text' && en.text).toContain('*back* — back to the previous question');
  });

  it('explains location pins, contact cards, moving between lessons and unknown language names in WhatsApp\'s own terms', () => {
    const text = (key: string, locale: 'id' | 'en') => {
      const [part] = renderOutbound(say(key), renderer, locale);
      return part?.type === 'text' ? part.text : '';
    };
    for (const locale of ['id', 'en'] as const) {
      expect(text('report.help.askingPlaceDetail', locale)).not.toContain('Telegram');
      expect(text('report.help.askingPlaceDetail', locale)).toContain('iPhone');
      expect(text('report.help.askingReporterPhone', locale)).not.toContain('Telegram');
      expect(text('report.help.askingReporterPhone', locale)).toContain('📎');
    }
    expect(text('learn.intro', 'id')).toContain('Ketik *lanjut*');
    expect(text('learn.intro', 'en')).not.toContain('Press');
    expect(text('common.languageUnknown', 'id')).toContain('*bahasa inggris*');
    expect(text('common.languageUnknown', 'en')).toContain('*language english*');
  });

  it('asks for a number, not a button press, in the quiz, the lessons and the report\'s choice reminders', () => {
    const text = (key: string, locale: 'id' | 'en') => {
      const [part] = renderOutbound(say(key, { count: 10, pass: 80, last: 4, topic: 'Sanksi', list: '1. Kampanye', guesses: '1. Kampanye' }), renderer, locale);
      return part?.type === 'text' ? part.text : '';
    };
    const keys = [
      'quiz.intro', 'quiz.introTopic', 'quiz.answerHint', 'quiz.help', 'learn.listHelp', 'learn.help', 'learn.typed', 'report.errors.useChoices',
      'report.help.choosingCategory', 'report.category.guess',
    ];
    for (const key of keys) {
      expect(text(key, 'id'), key).not.toMatch(/tombol/i);
      expect(text(key, 'id'), key).toMatch(/membalas angka/);
      expect(text(key, 'en'), key).not.toMatch(/button/i);
      expect(text(key, 'en'), key).toMatch(/replying with/);
    }
  });

  it('never tells the user to press a button, in any text WhatsApp can show, in both languages', () => {
    for (const locale of locales) {
      const keys = [...new Set(keysOf(resources[locale]))].filter((key) => !NOT_ON_WHATSAPP.test(key));
      expect(keys.length).toBeGreaterThan(300);
      const shown = (key: string) => renderOutbound(say(key), renderer, locale).map((p) => (p.type === 'text' ? p.text : (p.caption ?? ''))).join('\n');
      const pointing = keys.filter((key) => BUTTON_WORDS[locale].test(shown(key)));
      expect(pointing, `${locale} texts that point to a button on WhatsApp`).toEqual([]);
    }
  });

  it('splits a long text into readable parts at line breaks', () => {
    const paragraph = 'Netralitas ASN wajib dijaga selama masa kampanye. '.repeat(20).trimEnd();
    const original = Array.from({ length: 12 }, () => paragraph).join('\n');
    const long: OutboundMessage = { type: 'text', text: { literal: original } };
    const parts = renderOutbound(long, renderer, 'id');
    expect(parts.length).toBe(3);
    for (const p of parts) expect(p.type === 'text' && p.text.length).toBeLessThanOrEqual(4_000);
    expect(parts.map((p) => (p.type === 'text' ? p.text : '')).join('\n')).toBe(original);
  });

  it('sends documents as documents with their file name and photos as photos', () => {
    expect(renderOutbound({ type: 'document', path: 'certificates/c.pdf', fileName: 'sertifikat.pdf', caption: { key: 'menu.title' } }, renderer, 'id')).toEqual([
      { type: 'file', path: 'certificates/c.pdf', fileName: 'sertifikat.pdf', caption: 'Menu utama', asDocument: true },
    ]);
    expect(renderOutbound({ type: 'photo', path: 'evidence/ab/x.clean.jpg' }, renderer, 'id')).toEqual([
      { type: 'file', path: 'evidence/ab/x.clean.jpg', asDocument: false },
    ]);
  });

  it('sends a caption too long for WhatsApp as a text after the file', () => {
    const caption = { literal: 'keterangan '.repeat(150) };
    const parts = renderOutbound({ type: 'document', path: 'a.pdf', fileName: 'a.pdf', caption }, renderer, 'id');
    expect(parts).toEqual([
      { type: 'file', path: 'a.pdf', fileName: 'a.pdf', asDocument: true },
      { type: 'text', text: caption.literal },
    ]);
  });
});

describe('mergeTexts', () => {
  it('joins consecutive texts of a turn but keeps files in their place and parts within the limit', () => {
    const file = { type: 'file' as const, path: 'a.pdf', asDocument: true };
    expect(
      mergeTexts([{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }, file, { type: 'text', text: 'c' }, { type: 'text', text: 'x'.repeat(10) }], 12),
    ).toEqual([{ type: 'text', text: 'a\n\nb' }, file, { type: 'text', text: 'c' }, { type: 'text', text: 'x'.repeat(10) }]);
  });
});

/** Every text key of a locale (`menu.help`, `report.errors.useChoices`), plural forms by their base key. */
function keysOf(tree: unknown, prefix = ''): string[] {
  if (typeof tree === 'string') return [prefix.replace(/_(?:zero|one|two|few|many|other)$/, '')];
  if (tree === null || typeof tree !== 'object') return [];
  return Object.entries(tree).flatMap(([key, value]) => keysOf(value, prefix ? `${prefix}.${key}` : key));
}

/** Words that send the user to a button, which WhatsApp does not show (tapping 📎 to attach a pin is no button). */
const BUTTON_WORDS = { id: /\b(?:tombol\w*|tekan|menekan)\b/i, en: /\b(?:button\w*|press|pressing)\b/i } as const;
/**
 * Texts WhatsApp never shows: another channel's own, the officers' (who work on Telegram), and those answering a
 * press on a button that is no longer valid.
 */
const NOT_ON_WHATSAPP = /^(?:telegram|terminal|officer)\.|^(?:common\.staleButton|report\.errors\.staleChoice)$/;
