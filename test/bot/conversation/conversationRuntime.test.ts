import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../support/chatHarness.ts';
import type { OutboundMessage } from '../../../flows/messages.ts';
import { storeKinds } from '../../support/testDatabase.ts';

describe.each(storeKinds)('the conversation runtime on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
  });
  afterAll(async () => {
    await h.close();
  });

  it('greets a new user with the privacy notice and the six-entry menu, whatever they first send', async () => {
    const reply = await h.say('halo', { chat: 'new-user' });
    expect(reply.all).toContain('Selamat datang di Netra');
    expect(reply.all).toContain('Kami hanya menyimpan data yang diperlukan');
    expect(reply.choices).toEqual([
      'Laporkan pelanggaran',
      'Kuis netralitas ASN',
      'Pelajari aturan',
      'Cek status laporan',
      'Bahasa / Language',
      'Bantuan',
    ]);
  });

  it('accepts a menu choice typed as its number or as its words', async () => {
    await h.command('start', '', { chat: 'typist' });
    const byNumber = await h.say('6', { chat: 'typist' });
    expect(byNumber.all).toContain('Pilih salah satu menu');
    const byWords = await h.say('bantuan', { chat: 'typist' });
    expect(byWords.all).toContain('Pilih salah satu menu');
    const byLabel = await h.say('bahasa / language', { chat: 'typist' });
    expect(byLabel.all).toContain('Language switched to English');
  });

  it('switches to English with /bahasa and back again, showing the question in the new language', async () => {
    await h.command('start', '', { chat: 'lang' });
    const english = await h.command('bahasa', '', { chat: 'lang' });
    expect(english.all).toContain('Language switched to English');
    expect(english.choices[0]).toBe('Report a violation');
    const indonesian = await h.command('language', '', { chat: 'lang' });
    expect(indonesian.all).toContain('Bahasa diganti ke Bahasa Indonesia');
    expect(indonesian.choices[0]).toBe('Laporkan pelanggaran');
  });

  it('keeps the language a user names, saying so when it was already that one, and explains a name it does not know instead of switching, mid-report too', async () => {
    const t = { chat: 'lang-named' };
    await h.command('start', '', t);
    const same = await h.command('bahasa', 'indonesia', t);
    expect(same.all).toContain('Netra sudah memakai Bahasa Indonesia.');
    expect(same.all).not.toContain('Bahasa diganti');
    expect(same.choices[0]).toBe('Laporkan pelanggaran');
    await h.command('lapor', '', t);
    const unknown = await h.command('bahasa', 'klingon', t);
    expect(unknown.result.locale).toBe('id');
    expect(unknown.all).toContain('/bahasa inggris');
    expect(unknown.choices).toEqual(['Informasi awal (anonim)', 'Laporan resmi']);
    const english = await h.say('bahasa inggris', t);
    expect(english.all).toContain('Language switched to English');
    expect(english.choices).toEqual(['Initial information (anonymous)', 'Formal report']);
    const again = await h.command('language', 'english', t);
    expect(again.all).toContain('Netra is already in English.');
    expect(again.choices).toEqual(['Initial information (anonymous)', 'Formal report']);
  });

  it('remembers the language per user', async () => {
    await h.command('start', '', { chat: 'eng' });
    await h.command('language', 'en', { chat: 'eng' });
    const other = await h.say('/start', { chat: 'ind' });
    expect(other.all).toContain('Selamat datang');
    const again = await h.say('what is this', { chat: 'eng' });
    expect(again.all).toContain('Sorry, that is not on the menu');
  });

  it('starts a new chat in the menu even when its first message only sets the language', async () => {
    const first = await h.command('language', 'en', { chat: 'first-language' });
    expect(first.all).toContain('Language switched to English');
    expect(first.choices[0]).toBe('Report a violation');
    const next = await h.say('6', { chat: 'first-language' });
    expect(next.all).not.toContain('Netra was updated');
    expect(next.all).toContain('Choose a menu entry');
  });

  it("greets a new chat in the language its channel reports, and keeps the chat's own choice afterwards", async () => {
    const ref = { channel: 'telegram' as const, chatId: 'hinted' };
    const first = await h.app.runtime.handle(ref, { type: 'user.sendText', text: 'hi' }, undefined, { locale: 'en' });
    expect(first.locale).toBe('en');
    await h.app.runtime.handle(ref, { type: 'user.sendCommand', name: 'bahasa', args: 'id' });
    const later = await h.app.runtime.handle(ref, { type: 'user.sendText', text: '6' }, undefined, { locale: 'en' });
    expect(later.locale).toBe('id');
  });

  it('greets a new chat without a language hint in the language of its first command, and only a new chat', async () => {
    const terminal = (chatId: string) => ({ channel: 'terminal' as const, chatId });
    const english = await h.app.runtime.handle(terminal('en-first'), { type: 'user.sendCommand', name: 'report', args: '' });
    expect(english.locale).toBe('en');
    expect(JSON.stringify(english.messages)).toContain('"report.kind.ask"');
    const indonesian = await h.app.runtime.handle(terminal('id-first'), { type: 'user.sendCommand', name: 'lapor', args: '' });
    expect(indonesian.locale).toBe('id');
    const deepLink = await h.app.runtime.handle(terminal('deep-link'), { type: 'user.sendCommand', name: 'start', args: 'quiz' });
    expect(deepLink.locale).toBe('en');
    // A word that exists in both languages says nothing: the default stays.
    expect((await h.app.runtime.handle(terminal('neutral'), { type: 'user.sendText', text: 'menu' })).locale).toBe('id');
    // The channel's own hint wins, and a known chat keeps its language whatever command it sends.
    const hinted = await h.app.runtime.handle({ channel: 'telegram', chatId: 'hinted-id' }, { type: 'user.sendCommand', name: 'report', args: '' }, undefined, { locale: 'id' });
    expect(hinted.locale).toBe('id');
    expect((await h.app.runtime.handle(terminal('id-first'), { type: 'user.sendCommand', name: 'quiz', args: '' })).locale).toBe('id');
    // A first sentence plainly in English is greeted in English.
    const sentence = await h.app.runtime.handle(terminal('en-sentence'), { type: 'user.sendText', text: 'I want to report a civil servant who is campaigning' });
    expect(sentence.locale).toBe('en');
  });

  it('greets a new chat whose first message asks for help, then gives the help', async () => {
    for (const first of [{ type: 'user.sendCommand' as const, name: 'help', args: '' }, { type: 'user.sendText' as const, text: 'bantuan' }]) {
      const reply = await h.app.runtime.handle({ channel: 'terminal', chatId: `help-first-${first.type}` }, first);
      const keys = reply.messages.map((m) => (m.type === 'text' && 'key' in m.text ? m.text.key : ''));
      expect(keys).toContain('common.help');
      expect(keys).toContain('menu.ask');
    }
  });

  it('greets a new chat whose first message is a command or a deep link, with the privacy notice, before the flow it asks for', async () => {
    const keysOf = (reply: { messages: readonly OutboundMessage[] }) => reply.messages.map((m) => (m.type === 'text' && 'key' in m.text ? m.text.key : ''));
    const report = await h.app.runtime.handle({ channel: 'terminal', chatId: 'command-first' }, { type: 'user.sendCommand', name: 'lapor', args: '' });
    expect(keysOf(report).slice(0, 2)).toEqual(['menu.greeting', 'menu.privacyNotice']);
    expect(keysOf(report)).toContain('report.kind.ask');
    const quiz = await h.app.runtime.handle({ channel: 'terminal', chatId: 'link-first' }, { type: 'user.sendCommand', name: 'start', args: 'quiz' });
    expect(keysOf(quiz).slice(0, 2)).toEqual(['menu.greeting', 'menu.privacyNotice']);
    const cancel = await h.app.runtime.handle({ channel: 'terminal', chatId: 'cancel-first' }, { type: 'user.sendCommand', name: 'batal', args: '' });
    expect(keysOf(cancel)).toEqual(['menu.greeting', 'menu.privacyNotice', 'menu.ask']);
    // Only a new chat: the same command from a known chat goes straight to its flow.
    const again = await h.app.runtime.handle({ channel: 'terminal', chatId: 'command-first' }, { type: 'user.sendCommand', name: 'kuis', args: '' });
    expect(keysOf(again)).not.toContain('menu.greeting');
    expect(keysOf(again)).not.toContain('menu.privacyNotice');
  });

  it('answers a new or known chat that types a name every object inherits, as a command or as text', async () => {
    for (const word of ['constructor', '__proto__', 'toString']) {
      const asCommand = await h.command(word, '', { chat: `proto-command-${word}` });
      expect(asCommand.result.locale).toBe('id');
      expect(asCommand.texts.length).toBeGreaterThan(0);
      const asText = await h.say(word, { chat: `proto-command-${word}` });
      expect(asText.texts.length).toBeGreaterThan(0);
      expect((await h.say(word, { chat: `proto-text-${word}` })).texts.length).toBeGreaterThan(0);
    }
  });

  it('answers a redelivered message once: no second reply and no second write', async () => {
    await h.command('start', '', { chat: 'dup', messageId: 'm1' });
    const first = await h.say('6', { chat: 'dup', messageId: 'm2' });
    expect(first.texts.length).toBeGreaterThan(0);
    const before = await h.app.store.prisma.chat.findUniqueOrThrow({ where: { key: first.result.chatKey } });
    const again = await h.say('6', { chat: 'dup', messageId: 'm2' });
    expect(again.result.duplicate).toBe(true);
    expect(again.texts).toEqual([]);
    const after = await h.app.store.prisma.chat.findUniqueOrThrow({ where: { key: first.result.chatKey } });
    expect(after.revision).toBe(before.revision);
  });

  it('keeps the turns of one chat in order when they arrive together', async () => {
    await h.command('start', '', { chat: 'burst' });
    const replies = await Promise.all([
      h.command('language', 'en', { chat: 'burst' }),
      h.say('6', { chat: 'burst' }),
      h.command('bahasa', 'id', { chat: 'burst' }),
      h.say('6', { chat: 'burst' }),
    ]);
    expect(replies[1]?.all).toContain('Choose a menu entry');
    expect(replies[3]?.all).toContain('Pilih salah satu menu');
    const chat = await h.app.store.prisma.chat.findUniqueOrThrow({ where: { key: replies[0]!.result.chatKey } });
    expect(chat.revision).toBe(5);
  });

  it('explains /privasi and /bantuan and then asks the same question again', async () => {
    await h.command('start', '', { chat: 'info' });
    const privacy = await h.command('privasi', '', { chat: 'info' });
    expect(privacy.all).toContain('Privasi Anda');
    expect(privacy.texts.at(-1)).toContain('Apa yang ingin Anda lakukan?');
    const help = await h.command('help', '', { chat: 'info' });
    expect(help.texts.at(-1)).toContain('Apa yang ingin Anda lakukan?');
  });

  it('guides the user after an unknown command or a sticker', async () => {
    await h.command('start', '', { chat: 'odd' });
    const unknown = await h.command('frobnicate', '', { chat: 'odd' });
    expect(unknown.all).toContain('Perintah /frobnicate tidak saya kenali');
    expect(unknown.all).toContain('/lapor');
    await h.command('lapor', '', { chat: 'odd' });
    // Inside a flow too, the list of commands itself, and the question on screen again.
    const inReport = await h.command('frobnicate', '', { chat: 'odd' });
    expect(inReport.all).toContain('/status');
    expect(inReport.choices.length).toBeGreaterThan(0);
    await h.command('batal', '', { chat: 'odd' });
    const sticker = await h.send({ type: 'user.sendUnsupported', what: 'sticker' }, { chat: 'odd' });
    expect(sticker.all).toContain('tidak ada di menu');
    expect(sticker.choices).toHaveLength(6);
  });

  it('says politely when a menu entry is not available and returns to the menu', async () => {
    const runtime = h.app.runtime as unknown as { flows: Map<string, unknown> };
    const saved = runtime.flows.get('quiz');
    runtime.flows.delete('quiz');
    try {
      await h.command('start', '', { chat: 'missing' });
      const reply = await h.say('2', { chat: 'missing' });
      expect(reply.all).toContain('fitur ini belum tersedia');
      expect(reply.choices).toHaveLength(6);
    } finally {
      if (saved) runtime.flows.set('quiz', saved);
    }
  });

  it('restarts a user at the menu with an apology when the stored snapshot no longer fits its flow', async () => {
    const start = await h.command('start', '', { chat: 'stale' });
    await h.app.store.prisma.chat.update({
      where: { key: start.result.chatKey },
      data: { snapshot: { status: 'active', value: 'aStateThatNoLongerExists', context: { intro: 'none', next: null } } },
    });
    const reply = await h.say('1', { chat: 'stale' });
    expect(reply.all).toContain('Mohon maaf, percakapan sebelumnya tidak dapat dilanjutkan');
    expect(reply.choices).toHaveLength(6);
    await h.app.store.prisma.chat.update({ where: { key: start.result.chatKey }, data: { flowVersion: 99 } });
    const again = await h.say('1', { chat: 'stale' });
    expect(again.all).toContain('Mohon maaf');
  });

  it('gives a chat id on two channels two keys, the same ones every time they are asked', () => {
    const runtime = h.app.runtime;
    const telegram = runtime.chatKey({ channel: 'telegram', chatId: '777' });
    const whatsapp = runtime.chatKey({ channel: 'whatsapp', chatId: '777' });
    expect(telegram).not.toBe(whatsapp);
    expect(runtime.chatKey({ channel: 'telegram', chatId: '777' })).toBe(telegram);
    expect(runtime.chatKey({ channel: 'whatsapp', chatId: '777' })).toBe(whatsapp);
    expect(telegram).toBe(h.app.secrets.hmac('telegram:777'));
  });

  it('stores the chat under a keyed hash, with its address only encrypted', async () => {
    const reply = await h.say('halo', { chat: 'private-chat-id-4242' });
    const rows = await h.app.store.prisma.chat.findMany();
    const row = rows.find((r) => r.key === reply.result.chatKey);
    expect(row).toBeDefined();
    expect(JSON.stringify(rows)).not.toContain('private-chat-id-4242');
    expect(h.app.secrets.decrypt(row!.addressEnc)).toBe('terminal:private-chat-id-4242');
  });
});
