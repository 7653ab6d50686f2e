import fc from 'fast-check';
import type { Update } from 'telegraf/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { choice, say, type OutboundMessage } from '../../../../flows/messages.ts';
import { MAX_CALLBACK_BYTES, parseCallbackData } from '../../../../bot/channels/telegram/callbackData.ts';
import { promptTag } from '../../../../bot/conversation/promptTag.ts';
import {
  chosenEdit,
  htmlToEntities,
  joinTexts,
  MAX_TEXT,
  renderOutbound,
  splitHtml,
  toInboundEvent,
  type TelegramCall,
} from '../../../../bot/channels/telegram/telegramAdapter.ts';
import { Renderer } from '../../../../bot/i18n.ts';
import { feedbackMessage } from '../../../../flows/quiz/quizMessages.ts';
import { quizQuestions } from '../../../../flows/quiz/questionBank.ts';
import { violations } from '../../../../content/violations.ts';
import { parseTelegramHtml } from '../../../support/fakeBotApi.ts';

const privateChat = { id: 42, type: 'private', first_name: 'Sari' };
const group = { id: -100500, type: 'supergroup', title: 'Bawaslu Bangka Barat' };
const from = { id: 42, is_bot: false, first_name: 'Sari', language_code: 'id' };

function messageUpdate(content: Record<string, unknown>, chat: Record<string, unknown> = privateChat): Update {
  return { update_id: 7, message: { message_id: 3, date: 1_700_000_000, chat, from, ...content } } as unknown as Update;
}

function file(id: string, size?: number) {
  return { file_id: id, file_unique_id: `u${id}`, ...(size === undefined ? {} : { file_size: size }) };
}

describe('toInboundEvent', () => {
  it('maps a text message to user.sendText', () => {
    expect(toInboundEvent(messageUpdate({ text: 'Kabupaten Bangka Barat' }))).toMatchObject({
      type: 'event',
      chat: { id: 42, type: 'private' },
      messageId: 3,
      event: { type: 'user.sendText', text: 'Kabupaten Bangka Barat' },
    });
  });

  it('maps commands with arguments, in any case, addressed to this bot or to none', () => {
    const options = { botUsername: 'netra_bot' };
    expect(toInboundEvent(messageUpdate({ text: '/status NTR-AB12-CD34 1234' }), options)).toMatchObject({
      event: { type: 'user.sendCommand', name: 'status', args: 'NTR-AB12-CD34 1234' },
    });
    expect(toInboundEvent(messageUpdate({ text: '/Lapor@Netra_Bot' }), options)).toMatchObject({
      event: { type: 'user.sendCommand', name: 'lapor', args: '' },
    });
    expect(toInboundEvent(messageUpdate({ text: '/start kuis' }), options)).toMatchObject({
      event: { type: 'user.sendCommand', name: 'start', args: 'kuis' },
    });
  });

  it('makes texts well-formed: a lone surrogate becomes U+FFFD, emoji stay', () => {
    expect(toInboundEvent(messageUpdate({ text: 'a\uD800b 👍' }))).toMatchObject({
      event: { type: 'user.sendText', text: 'a\uFFFDb 👍' },
    });
    expect(toInboundEvent(messageUpdate({ photo: [{ ...file('p'), width: 1, height: 1 }], caption: '\uDC00' }))).toMatchObject({
      file: { caption: '\uFFFD' },
    });
  });

  it('ignores a command addressed to another bot', () => {
    expect(toInboundEvent(messageUpdate({ text: '/start@other_bot' }), { botUsername: 'netra_bot' })).toMatchObject({
      type: 'ignored',
      reason: 'otherBot',
    });
  });

  it('keeps a slash that starts no command as text', () => {
    expect(toInboundEvent(messageUpdate({ text: '/ tanya saja' }))).toMatchObject({
      event: { type: 'user.sendText', text: '/ tanya saja' },
    });
  });

  it('takes the largest size of a photo, with its caption', () => {
    const photo = [
      { ...file('small', 1_000), width: 90, height: 60 },
      { ...file('large', 90_000), width: 1280, height: 960 },
      { ...file('medium', 9_000), width: 320, height: 240 },
    ];
    expect(toInboundEvent(messageUpdate({ photo, caption: 'spanduk di kantor camat' }))).toMatchObject({
      type: 'file',
      file: { fileId: 'large', fileSize: 90_000, kind: 'photo', mime: 'image/jpeg', caption: 'spanduk di kantor camat' },
    });
  });

  it('maps documents, videos, voice notes, audio and animations to files of their kind', () => {
    const cases: Array<[Record<string, unknown>, object]> = [
      [{ document: { ...file('d', 10), file_name: 'surat.pdf', mime_type: 'application/pdf' } }, { kind: 'document', fileName: 'surat.pdf', mime: 'application/pdf' }],
      [{ video: { ...file('v'), mime_type: 'video/mp4', duration: 3, width: 1, height: 1 } }, { kind: 'video', mime: 'video/mp4' }],
      [{ video_note: { ...file('vn'), length: 1, duration: 1 } }, { kind: 'video', mime: 'video/mp4' }],
      [{ voice: { ...file('vo'), duration: 2 } }, { kind: 'voice', mime: 'audio/ogg' }],
      [{ audio: { ...file('a'), duration: 2, mime_type: 'audio/mpeg', file_name: 'rekaman.mp3' } }, { kind: 'audio', fileName: 'rekaman.mp3' }],
      [{ animation: { ...file('g'), mime_type: 'video/mp4' }, document: { ...file('g') } }, { kind: 'animation' }],
    ];
    for (const [content, expected] of cases) {
      expect(toInboundEvent(messageUpdate(content))).toMatchObject({ type: 'file', file: expected });
    }
  });

  it('maps locations and contacts, and stickers and polls to unsupported', () => {
    expect(toInboundEvent(messageUpdate({ location: { latitude: -2.05, longitude: 105.2 } }))).toMatchObject({
      event: { type: 'user.sendLocation', latitude: -2.05, longitude: 105.2 },
    });
    expect(
      toInboundEvent(messageUpdate({ contact: { phone_number: '+6281234567890', first_name: 'Budi', last_name: 'S' } })),
    ).toMatchObject({ event: { type: 'user.sendContact', phone: '+6281234567890', name: 'Budi S' } });
    expect(toInboundEvent(messageUpdate({ sticker: { ...file('s'), type: 'regular' } }))).toMatchObject({
      event: { type: 'user.sendUnsupported', what: 'sticker' },
    });
    expect(toInboundEvent(messageUpdate({ poll: { id: 'p' } }))).toMatchObject({
      event: { type: 'user.sendUnsupported', what: 'poll' },
    });
  });

  it('ignores service messages, channel posts and updates it does not know', () => {
    expect(toInboundEvent(messageUpdate({ pinned_message: { message_id: 1 } }))).toMatchObject({ type: 'ignored', reason: 'service' });
    const post = { update_id: 1, channel_post: { message_id: 1, date: 1, chat: { id: -1001, type: 'channel' }, text: 'x' } };
    expect(toInboundEvent(post as unknown as Update)).toMatchObject({ type: 'ignored', reason: 'channelPost' });
    expect(toInboundEvent({ update_id: 1, poll_answer: {} } as unknown as Update)).toMatchObject({ type: 'ignored', reason: 'unknown' });
  });

  it('marks edited messages, and tells group chats apart', () => {
    const edited = { update_id: 1, edited_message: { message_id: 1, date: 1, edit_date: 2, chat: privateChat, text: 'x' } };
    expect(toInboundEvent(edited as unknown as Update)).toEqual({ type: 'edited', chat: { id: 42, type: 'private' } });
    expect(toInboundEvent(messageUpdate({ text: 'halo' }, group))).toMatchObject({ chat: { id: -100500, type: 'supergroup' } });
  });

  it('maps a button press with the pressed message, and never trusts odd callback data', () => {
    const update = {
      update_id: 9,
      callback_query: {
        id: 'q1',
        from,
        chat_instance: 'ci',
        data: 'c:report',
        message: {
          message_id: 5,
          date: 1,
          chat: privateChat,
          text: 'Apa yang ingin Anda lakukan?',
          reply_markup: { inline_keyboard: [[{ text: 'Laporkan', callback_data: 'c:report' }]] },
        },
      },
    } as unknown as Update;
    expect(toInboundEvent(update)).toMatchObject({
      type: 'callback',
      queryId: 'q1',
      data: { type: 'choice', value: 'report' },
      message: { messageId: 5, text: 'Apa yang ingin Anda lakukan?' },
    });
    for (const data of [undefined, '', 'garbage', 'c:', 'p:x', 'n:-1', ':', 'Z:1', 'x'.repeat(65), 'k:', 'k:abcdef', 'k:ab', 'm:abcdefx', 'm:abc*ef1']) {
      expect(parseCallbackData(data).type).toMatch(/^(invalid|noop)$/);
    }
  });
});

describe('renderOutbound', () => {
  let renderer: Renderer;
  beforeAll(async () => {
    renderer = await Renderer.create();
  });

  const text = (calls: TelegramCall[]) => calls.map((c) => (c.method === 'sendMessage' ? c.text : (c.caption ?? '')));

  it('escapes user-provided text for HTML parse mode and keeps the template markup', () => {
    const hostile = '<b>x</b> & <script>';
    const calls = renderOutbound(say('common.unknownCommand', { command: hostile }), renderer, 'id');
    const [html] = text(calls);
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;');
    expect(parseTelegramHtml(html ?? '').text).toContain('/<b>x</b> & <script>');
  });

  it('shows choices as an inline keyboard whose data fits in 64 bytes', () => {
    const message: OutboundMessage = { type: 'text', text: { key: 'menu.ask' }, prompt: true, choices: [choice('report', 'menu.items.report'), choice('x'.repeat(48), 'menu.items.help')] };
    const [call] = renderOutbound(message, renderer, 'en');
    expect(call?.method).toBe('sendMessage');
    const buttons = call?.method === 'sendMessage' ? (call.keyboard?.inline_keyboard.flat() ?? []) : [];
    expect(buttons.map((b) => b.text)).toEqual(['Report a violation', 'Help']);
    const tag = promptTag(message) ?? '';
    expect(tag).toMatch(/^[A-Za-z0-9_-]{6}$/);
    expect(buttons.map((b) => ('callback_data' in b ? b.callback_data : ''))).toEqual([`k:${tag}report`, `k:${tag}${'x'.repeat(48)}`]);
    expect(parseCallbackData(`k:${tag}report`)).toEqual({ type: 'choice', value: 'report', promptTag: tag });
  });

  it('tags a question\'s buttons with that question, and reads the tag alike from the question as stored', () => {
    const name: OutboundMessage = { type: 'text', text: { key: 'report.terlapor.askName' }, prompt: true, typed: true, choices: [choice('unknown', 'report.common.unknown')] };
    const position: OutboundMessage = { ...name, text: { key: 'report.terlapor.askPosition' } };
    const keepBudi: OutboundMessage = { ...name, choices: [{ ...choice('keep', 'report.common.keepValue', { value: 'Budi' }), exact: true }] };
    const keepAndi: OutboundMessage = { ...name, choices: [{ ...choice('keep', 'report.common.keepValue', { value: 'Andi' }), exact: true }] };
    const dataOf = (message: OutboundMessage) =>
      renderOutbound(message, renderer, 'id').flatMap((c) => (c.method === 'sendMessage' ? (c.keyboard?.inline_keyboard.flat() ?? []) : [])).map((b) => ('callback_data' in b ? b.callback_data : ''));
    // The same value under two questions, or a keep button that named another answer, are different buttons.
    expect(dataOf(name)).not.toEqual(dataOf(position));
    expect(dataOf(keepBudi)).not.toEqual(dataOf(keepAndi));
    // The same question asked again with another count keeps its buttons: after a photo album, "Selesai" under
    // "Bukti ke-1 diterima" still counts while "ke-3" is the latest.
    const evidence = (n: number): OutboundMessage => ({ type: 'text', text: { key: 'report.evidence.received', params: { number: n } }, prompt: true, choices: [choice('done', 'report.evidence.done')] });
    expect(promptTag(evidence(1))).toBe(promptTag(evidence(3)));
    // PostgreSQL's jsonb reorders keys: the question read back has the same tag.
    const reordered = JSON.parse(JSON.stringify({ choices: name.choices, typed: true, prompt: true, text: name.text, type: 'text' })) as OutboundMessage;
    expect(promptTag(reordered)).toBe(promptTag(name));
    // A message that is no question carries untagged buttons (nothing stored to check them against).
    expect(dataOf(say('report.terlapor.askName', undefined, [choice('unknown', 'report.common.unknown')]))).toEqual(['c:unknown']);
    // Too long with the tag: the index, tagged.
    const long: OutboundMessage = { ...name, choices: [choice('é'.repeat(30), 'report.common.unknown'), choice('z', 'report.common.unknown')] };
    const longTag = promptTag(long) ?? '';
    expect(dataOf(long)).toEqual([`m:${longTag}0`, `k:${longTag}z`]);
    expect(parseCallbackData(`m:${longTag}0`)).toEqual({ type: 'choiceIndex', index: 0, promptTag: longTag });
  });

  it('keeps every choice button within Telegram limits, whatever the value', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 48, unit: 'grapheme' }), { minLength: 1, maxLength: 30 }), (values) => {
        const message: OutboundMessage = { type: 'text', text: { literal: 'q' }, prompt: true, choices: values.map((v) => ({ value: v, label: { literal: v } })) };
        for (const call of renderOutbound(message, renderer, 'id')) {
          if (call.method !== 'sendMessage') continue;
          for (const button of call.keyboard?.inline_keyboard.flat() ?? []) {
            const data = 'callback_data' in button ? button.callback_data : '';
            expect(Buffer.byteLength(data)).toBeGreaterThan(0);
            expect(Buffer.byteLength(data)).toBeLessThanOrEqual(MAX_CALLBACK_BYTES);
            expect(parseCallbackData(data)).toMatchObject({ type: expect.stringMatching(/^(choice|choiceIndex|page|noop)$/) as string });
          }
        }
      }),
    );
  });

  it('lists answers too long for a button in the text, numbered, and answers them with number buttons', () => {
    const long = 'Ya, karena PPPK termasuk ASN sehingga aturan netralitas berlaku sepenuhnya';
    const message: OutboundMessage = {
      type: 'text',
      text: { literal: 'Apakah aturan netralitas berlaku bagi PPPK?' },
      choices: [
        { value: 'a', label: { literal: 'Tidak' } },
        { value: 'b', label: { literal: long } },
      ],
    };
    const [call] = renderOutbound(message, renderer, 'id');
    const html = call?.method === 'sendMessage' ? call.text : '';
    expect(html).toContain('<b>1.</b> Tidak');
    expect(html).toContain(`<b>2.</b> ${long}`);
    const buttons = call?.method === 'sendMessage' ? (call.keyboard?.inline_keyboard.flat() ?? []) : [];
    expect(buttons.map((b) => b.text)).toEqual(['1', '2']);
    expect(buttons.map((b) => ('callback_data' in b ? b.callback_data : ''))).toEqual(['c:a', 'c:b']);
  });

  it('paginates a long list with numbered buttons, previous/next and the typed-number hint', () => {
    const choices = Array.from({ length: 20 }, (_, i) => ({ value: `r${i}`, label: { literal: `Kecamatan ${i + 1}` } }));
    const message: OutboundMessage = { type: 'text', text: { literal: 'Pilih kecamatan' }, choices };
    const [first] = renderOutbound(message, renderer, 'id', { pageSize: 8 });
    const rows = first?.method === 'sendMessage' ? (first.keyboard?.inline_keyboard ?? []) : [];
    expect(rows).toHaveLength(9);
    expect(rows[0]?.[0]?.text).toBe('1. Kecamatan 1');
    expect(rows[8]?.map((b) => b.text)).toEqual(['1/3', 'Berikutnya ▶']);
    expect(first?.method === 'sendMessage' && first.text).toContain('Balas dengan angka 1–20.');

    const [last] = renderOutbound(message, renderer, 'id', { pageSize: 8, page: 2 });
    const lastRows = last?.method === 'sendMessage' ? (last.keyboard?.inline_keyboard ?? []) : [];
    expect(lastRows[0]?.[0]).toEqual({ text: '17. Kecamatan 17', callback_data: 'c:r16' });
    expect(lastRows.at(-1)?.map((b) => ('callback_data' in b ? b.callback_data : ''))).toEqual(['p:1', 'x']);
  });

  it('splits a text over 4,096 characters, each part parseable, the keyboard on the last', () => {
    const paragraph = `<b>${'Netralitas ASN adalah kewajiban. '.repeat(20)}</b>`;
    const long = Array.from({ length: 12 }, () => paragraph).join('\n\n');
    const parts = splitHtml(long, 4096);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4096);
      expect(() => parseTelegramHtml(part)).not.toThrow();
    }
    const words = (html: string) => parseTelegramHtml(html).text.replace(/\s+/g, '');
    expect(parts.map(words).join('')).toBe(words(long));

    const message: OutboundMessage = { type: 'text', text: { literal: 'kata '.repeat(2000) }, choices: [choice('ok', 'common.yes')] };
    const calls = renderOutbound(message, renderer, 'id');
    expect(calls.length).toBe(3);
    expect(calls.map((c) => c.method === 'sendMessage' && c.keyboard !== undefined)).toEqual([false, false, true]);
  });

  it('cuts inside a bold run and reopens it in the next part', () => {
    const parts = splitHtml(`<b>${'kata '.repeat(2000)}</b>`, 4096);
    expect(parts.length).toBe(3);
    expect(parts[0]?.endsWith('</b>')).toBe(true);
    expect(parts[1]?.startsWith('<b>')).toBe(true);
  });

  it('sends documents from the data directory, with a long caption as a separate text', () => {
    const short = renderOutbound({ type: 'document', path: 'receipts/a.pdf', fileName: 'tanda-terima.pdf', caption: { literal: 'Tanda terima' } }, renderer, 'id');
    expect(short).toEqual([{ method: 'sendDocument', path: 'receipts/a.pdf', fileName: 'tanda-terima.pdf', caption: 'Tanda terima' }]);
    const long = renderOutbound({ type: 'photo', path: 'p.jpg', caption: { literal: 'y'.repeat(1500) } }, renderer, 'id');
    expect(long.map((c) => c.method)).toEqual(['sendPhoto', 'sendMessage']);
  });
});

describe('joinTexts', () => {
  let renderer: Renderer;
  beforeAll(async () => {
    renderer = await Renderer.create();
  });

  const keyboard = { inline_keyboard: [[{ text: 'Ya', callback_data: 'c:yes' }]] };
  const text = (t: string, withButtons = false): TelegramCall => ({ method: 'sendMessage', text: t, ...(withButtons ? { keyboard } : {}) });

  it('joins texts without buttons into the question after them, which keeps its buttons', () => {
    expect(joinTexts([text('Tercatat: <b>Bangka Barat</b>.'), text('Terima kasih.'), text('Apa status Anda?', true)])).toEqual([
      { method: 'sendMessage', text: 'Tercatat: <b>Bangka Barat</b>.\n\nTerima kasih.\n\nApa status Anda?', keyboard },
    ]);
  });

  it('ends a message at a text with buttons, so the buttons stay under their own question', () => {
    const joined = joinTexts([text('Pilih satu', true), text('Catatan'), text('Lanjut?', true)]);
    expect(joined).toEqual([text('Pilih satu', true), { method: 'sendMessage', text: 'Catatan\n\nLanjut?', keyboard }]);
  });

  it('keeps files in their place and never joins across them', () => {
    const photo: TelegramCall = { method: 'sendPhoto', path: 'p.jpg' };
    expect(joinTexts([text('Sebelum'), photo, text('Sesudah')])).toEqual([text('Sebelum'), photo, text('Sesudah')]);
  });

  it('leaves two texts apart when together they would pass the limit', () => {
    const long = 'a'.repeat(3000);
    expect(joinTexts([text(long), text('b'.repeat(1095))])).toHaveLength(2);
    expect(joinTexts([text(long), text('b'.repeat(1094))])).toHaveLength(1);
  });

  it('joins a turn as rendered into messages Telegram parses, each within its limit', () => {
    const turn = [say('menu.greeting'), say('menu.privacyNotice'), say('menu.ask', undefined, [choice('report', 'menu.items.report')])];
    const calls = joinTexts(turn.flatMap((m) => renderOutbound(m, renderer, 'id')));
    expect(calls).toHaveLength(1);
    const only = calls[0] as Extract<TelegramCall, { method: 'sendMessage' }>;
    expect(only.keyboard?.inline_keyboard.flat().map((b) => b.text)).toEqual(['Laporkan pelanggaran']);
    expect(() => parseTelegramHtml(only.text)).not.toThrow();
    expect(only.text.length).toBeLessThanOrEqual(MAX_TEXT);
  });
});

describe('chosenEdit', () => {
  const pressed = {
    messageId: 5,
    text: 'Apa yang ingin Anda lakukan?',
    entities: [{ type: 'bold' as const, offset: 0, length: 3 }],
    keyboard: [[{ text: '12. Laporkan pelanggaran', callback_data: 'c:report' }]],
  };

  it('appends the chosen label in italics and keeps the formatting', () => {
    const edit = chosenEdit(pressed, 'c:report', (label) => `✅ ${label}`);
    expect(edit?.text).toBe('Apa yang ingin Anda lakukan?\n\n✅ Laporkan pelanggaran');
    expect(edit?.entities).toEqual([
      { type: 'bold', offset: 0, length: 3 },
      { type: 'italic', offset: 30, length: '✅ Laporkan pelanggaran'.length },
    ]);
  });

  it('gives up on an unknown button or a message without text', () => {
    expect(chosenEdit(pressed, 'c:other', (l) => l)).toBeUndefined();
    expect(chosenEdit({ messageId: 1 }, 'c:report', (l) => l)).toBeUndefined();
  });

  it('adds a comment on the answer after the chosen line, its entities shifted to their place', () => {
    const comment = htmlToEntities('✅ <b>Benar.</b> Pasal 5 &amp; 9');
    const edit = chosenEdit(pressed, 'c:report', (label) => `✅ ${label}`, comment);
    expect(edit?.text).toBe('Apa yang ingin Anda lakukan?\n\n✅ Laporkan pelanggaran\n\n✅ Benar. Pasal 5 & 9');
    const bold = edit?.entities.find((e) => e.type === 'bold' && e.offset > 3);
    expect(edit?.text.slice(bold?.offset, (bold?.offset ?? 0) + (bold?.length ?? 0))).toBe('Benar.');
  });

  it('gives up when the comment would make the message longer than Telegram allows', () => {
    expect(chosenEdit(pressed, 'c:report', (l) => l, { text: 'x'.repeat(4_070), entities: [] })).toBeUndefined();
  });
});

describe('htmlToEntities', () => {
  let renderer: Renderer;
  beforeAll(async () => {
    renderer = await Renderer.create();
  });

  it('reads markup, links and escapes as Telegram does, in UTF-16 offsets', () => {
    const html = '😀 <b>tebal <i>miring</i></b> &lt;tag&gt; <a href="https://bawaslu.go.id/?a=1&amp;b=2">tautan</a> <code>x</code>';
    expect(htmlToEntities(html)).toEqual(parseTelegramHtml(html));
  });

  it('agrees with Telegram on every quiz feedback and every recorded classification, in both languages', () => {
    for (const locale of ['id', 'en'] as const) {
      for (const question of quizQuestions) {
        for (const option of question.options) {
          const html = renderer.message(feedbackMessage(question, option.id), locale).text;
          expect(htmlToEntities(html), `${question.id} ${option.id} ${locale}`).toEqual(parseTelegramHtml(html));
        }
      }
      for (const violation of violations) {
        const html = renderer.text(
          {
            key: 'report.category.chosen',
            params: { label: violation.label, examples: violation.examples, legalBasis: violation.legalBasis, sanction: { key: `report.sanction.${violation.sanctionLevel}` } },
          },
          locale,
        );
        expect(htmlToEntities(html), `${violation.id} ${locale}`).toEqual(parseTelegramHtml(html));
      }
    }
  });

  it('drops a closing tag that closes nothing, and an empty run', () => {
    expect(htmlToEntities('a</b><i></i>b')).toEqual({ text: 'ab', entities: [] });
  });
});
