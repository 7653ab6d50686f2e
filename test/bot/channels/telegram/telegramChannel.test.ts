import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Message } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say } from '../../../../flows/messages.ts';
import type { ApiCall, NewUpdate } from '../../../support/fakeBotApi.ts';
import { startKit, textOf, WEBHOOK_SECRET, type Kit } from './telegramKit.ts';

const modes = [
  { mode: 'polling', kind: 'pglite' },
  { mode: 'webhook', kind: 'postgres' },
] as const;

async function jpeg(): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: '#b03020' } }).jpeg().toBuffer();
}

const messageIdOf = (call: ApiCall) => (call.result as Message).message_id;

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(modes)('The Telegram channel ($mode, $kind)', ({ mode, kind }) => {
  let kit: Kit;
  let chat = mode === 'polling' ? 1000 : 2000;
  const nextChat = () => ++chat;

  beforeAll(async () => {
    kit = await startKit({ kind, mode });
  });

  afterAll(async () => {
    await kit?.close();
  });

  it('runs a conversation: the menu as buttons, a press shown on the question, a language switch, typed answers', async () => {
    const { fake } = kit;
    const id = nextChat();
    fake.pushUpdate(fake.textUpdate(id, '/start', { from: { first_name: 'Sari' } }));
    const menu = await fake.waitForSent(id, 'Apa yang ingin Anda lakukan?');
    // The greeting, the privacy notice and the menu's question arrive as one message, the buttons under it.
    expect(fake.sent(id)).toHaveLength(1);
    expect(textOf(menu)).toMatch(/^Selamat datang di <b>Netra<\/b>[\s\S]*\n\n🔒 Kami hanya menyimpan data yang diperlukan[\s\S]*\n\nApa yang ingin Anda lakukan\?$/);
    expect(menu.params.parse_mode).toBe('HTML');
    const buttons = (menu.params.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toContain('Bahasa / Language');

    const menuId = messageIdOf(menu);
    const language = buttons.find((b) => b.text === 'Bahasa / Language')?.callback_data ?? '';
    // The button names the question it belongs to as well as the entry.
    expect(language).toMatch(/^k:[A-Za-z0-9_-]{6}language$/);
    fake.pushUpdate(fake.callbackUpdate(id, menuId, language));
    await fake.waitForSent(id, 'What would you like to do?');
    const answered = fake.calls.filter((c) => c.method === 'answerCallbackQuery' && c.ok);
    // Through a webhook the answer rides in the response to Telegram's POST: no request of its own.
    expect(answered.map((c) => c.via)).toEqual([mode === 'webhook' ? 'webhookReply' : 'http']);
    const pressed = fake.messages(id).find((m) => m.messageId === menuId);
    expect(pressed?.text).toMatch(/^Selamat datang di Netra[\s\S]*Apa yang ingin Anda lakukan\?\n\n✅ Your choice: Bahasa \/ Language$/);
    expect(pressed?.message).not.toHaveProperty('reply_markup');
    const afterPress = fake.sent(id).slice(1).map((c) => c.method);
    expect(afterPress[0]).toBe('editMessageText');

    fake.pushUpdate(fake.textUpdate(id, '6'));
    await fake.waitForSent(id, 'Choose a menu entry by pressing its button');

    fake.pushUpdate(fake.textUpdate(id, '/bahasa'));
    await fake.waitForSent(id, 'Bahasa diganti ke Bahasa Indonesia');
  });

  it('stores a photo (its largest size) before the turn and hands the flow its sha256', async () => {
    const { fake } = kit;
    const id = nextChat();
    // The deep link t.me/<bot>?start=lapor arrives as `/start lapor`.
    fake.pushUpdate(fake.textUpdate(id, '/start lapor'));
    await fake.waitForSent(id, 'Kirim bukti');
    const bytes = await jpeg();
    fake.pushUpdate(fake.photoUpdate(id, bytes, { caption: 'spanduk' }));
    const reply = await fake.waitForSent(id, /^bukti photo/);
    const [, , sha256, stored] = textOf(reply).split(' ');
    expect(sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const file = path.join(kit.dataDir, stored ?? '');
    expect(existsSync(file)).toBe(true);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(sha256);

    const voice = Buffer.from('OggS voice note bytes');
    fake.pushUpdate(fake.voiceUpdate(id, voice));
    const heard = await fake.waitForSent(id, /^bukti voice/);
    expect(textOf(heard).split(' ')[2]).toBe(createHash('sha256').update(voice).digest('hex'));
  });

  it('tells the flow a file over 20 MB is too large, by its declared size or by getFile', async () => {
    const { fake } = kit;
    const id = nextChat();
    fake.pushUpdate(fake.textUpdate(id, '/lapor'));
    await fake.waitForSent(id, 'Kirim bukti');
    fake.pushUpdate(fake.documentUpdate(id, Buffer.from('video'), 'rekaman.mp4', 'video/mp4', { fileSize: 30 * 1024 * 1024 }));
    await fake.waitForSent(id, 'tidak tersedia tooLarge');

    const undeclared = fake.documentUpdate(id, Buffer.from('video'), 'rekaman2.mp4', 'video/mp4', { fileSize: 30 * 1024 * 1024 });
    delete (undeclared.message.document as { file_size?: number }).file_size;
    const from = fake.calls.length;
    fake.pushUpdate(undeclared);
    await fake.waitForSent(id, 'tidak tersedia tooLarge', 3000, from);
    expect(fake.calls.some((c) => c.method === 'getFile' && !c.ok && c.error?.description.includes('file is too big'))).toBe(true);
  });

  it('escapes what users write before it reaches HTML parse mode', async () => {
    const { fake } = kit;
    const id = nextChat();
    fake.pushUpdate(fake.textUpdate(id, '/lapor'));
    await fake.waitForSent(id, 'Kirim bukti');
    fake.pushUpdate(fake.textUpdate(id, '<b>x</b> & <script>'));
    const reply = await fake.waitForSent(id, 'tidak saya kenali');
    expect(textOf(reply)).toContain('/&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;');
    expect(fake.messages(id).at(-1)?.text).toContain('/<b>x</b> & <script>');
  });

  it('answers a redelivered update once and writes once', async () => {
    const { fake, app } = kit;
    const id = nextChat();
    const duplicates = async () =>
      (await kit.metrics.updates.get()).values.find((v) => v.labels.kind === 'duplicate')?.value ?? 0;
    const before = await duplicates();
    // Delivered twice at once (one getUpdates batch, or two webhook requests), and once more later.
    const first = fake.pushUpdate(fake.textUpdate(id, '/start'));
    fake.pushUpdate(structuredClone(first));
    await fake.waitForSent(id, 'Apa yang ingin Anda lakukan?');
    const revision = async () =>
      (await app.store.query<{ revision: number }>('SELECT "revision" FROM "Chat" WHERE "key" = $1', [app.runtime.chatKey({ channel: 'telegram', chatId: String(id) })]))[0]?.revision;
    if (mode === 'webhook') fake.pushUpdate(structuredClone(first));
    // A later message proves the redeliveries were processed before it.
    fake.pushUpdate(fake.textUpdate(id, '/privasi'));
    const privacy = await fake.waitForSent(id, 'Privasi Anda');
    expect(textOf(privacy)).toContain('Apa yang ingin Anda lakukan?');
    expect(fake.sent(id).filter((c) => textOf(c).includes('Selamat datang di'))).toHaveLength(1);
    expect(fake.sent(id)).toHaveLength(2);
    expect(await revision()).toBe(2);
    expect((await duplicates()) - before).toBe(mode === 'webhook' ? 2 : 1);
  });

  it('pages through a long list with previous/next, shows the choice made, and takes a typed number', async () => {
    const { fake } = kit;
    const id = nextChat();
    fake.pushUpdate(fake.textUpdate(id, '/lapor'));
    await fake.waitForSent(id, 'Kirim bukti');
    fake.pushUpdate(fake.textUpdate(id, 'daftar'));
    const list = await fake.waitForSent(id, 'Pilih kecamatan');
    expect(textOf(list)).toContain('<i>Balas dengan angka 1–20.</i>');
    const listId = messageIdOf(list);

    let from = fake.calls.length;
    fake.pushUpdate(fake.callbackUpdate(id, listId, 'p:1'));
    const paged = await fake.waitFor((c) => c.method === 'editMessageReplyMarkup' && c.ok, 3000, from);
    const rows = (paged.params.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard;
    expect(rows[0]?.[0]?.text).toBe('9. Kecamatan 9');
    expect(rows.at(-1)?.map((b) => b.text)).toEqual(['◀ Sebelumnya', '2/3', 'Berikutnya ▶']);
    // Another page's buttons still name the question.
    const twelve = rows.flat().find((b) => b.text === '12. Kecamatan 12')?.callback_data ?? '';
    expect(twelve).toMatch(/^k:[A-Za-z0-9_-]{6}d12$/);

    fake.pushUpdate(fake.callbackUpdate(id, listId, twelve));
    await fake.waitForSent(id, 'dipilih d12');
    expect(fake.messages(id).find((m) => m.messageId === listId)?.text).toMatch(/✅ Pilihan Anda: Kecamatan 12$/);

    fake.pushUpdate(fake.textUpdate(id, 'daftar'));
    await fake.waitForSent(id, 'Pilih kecamatan', 3000, fake.calls.length);
    fake.pushUpdate(fake.textUpdate(id, '15'));
    await fake.waitForSent(id, 'dipilih d15');

    // The first list is no longer the question on screen: paging it is refused politely.
    from = fake.calls.length;
    fake.pushUpdate(fake.callbackUpdate(id, listId, 'p:0'));
    const answer = await fake.waitFor((c) => c.method === 'answerCallbackQuery', 3000, from);
    expect(answer.params.text).toContain('Tombol ini sudah tidak berlaku');
  });

  it('answers a forged button as one no longer valid, and asks the question on screen again', async () => {
    const { fake } = kit;
    const id = nextChat();
    fake.pushUpdate(fake.textUpdate(id, '/start'));
    const menu = await fake.waitForSent(id, 'Apa yang ingin Anda lakukan?');
    for (const data of ['zz:nonsense', 'k:______language']) {
      const from = fake.calls.length;
      fake.pushUpdate(fake.callbackUpdate(id, messageIdOf(menu), data));
      await fake.waitFor((c) => c.method === 'answerCallbackQuery' && c.ok, 3000, from);
      const reply = await fake.waitForSent(id, 'sudah tidak berlaku', 3000, from);
      expect(textOf(reply)).toContain('Apa yang ingin Anda lakukan?');
      expect(textOf(reply)).not.toContain('Bahasa diganti');
    }
  });

  it('stays silent in groups and ignores channel posts and edits politely', async () => {
    const { fake } = kit;
    const group = -1_000_000_000_000 - nextChat();
    fake.pushUpdate(fake.textUpdate(group, '/start'));
    fake.pushUpdate(fake.textUpdate(group, 'halo semua'));
    const id = nextChat();
    const edited = { edited_message: { message_id: 1, date: 1, edit_date: 2, chat: { id, type: 'private', first_name: 'A' }, text: 'ubah' } };
    fake.pushUpdate(edited as unknown as NewUpdate);
    await fake.waitForSent(id, 'Pesan yang diubah tidak saya proses');
    const post = { channel_post: { message_id: 1, date: 1, chat: { id: -1009, type: 'channel', title: 'C' }, text: 'post' } };
    fake.pushUpdate(post as unknown as NewUpdate);
    fake.pushUpdate(fake.textUpdate(id, '/privasi'));
    await fake.waitForSent(id, 'Privasi Anda');
    expect(fake.sent(group)).toEqual([]);
    expect(fake.sent(-1009)).toEqual([]);
  });

  it('delivers through the ChannelSender registered on the app', async () => {
    const { fake, app } = kit;
    const id = nextChat();
    await app.senders.get('telegram')?.send(String(id), [say('common.privacy')], 'en');
    expect(textOf(fake.sent(id)[0] as ApiCall)).toContain('<b>Your privacy</b>');
  });

  it('serves /healthz and /metrics', async () => {
    const base = `http://127.0.0.1:${kit.http.port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const report = (await health.json()) as { status: string; checks: Record<string, { status: string; detail: string }> };
    expect(report.status).toBe('ok');
    expect(report.checks.telegram?.detail).toContain(mode);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/netra_updates_total\{channel="telegram",kind="message"\} \d+/);
    expect(metrics).toContain('netra_turn_duration_seconds_bucket');
    expect(metrics).toContain('netra_send_queue_depth{channel="telegram"} ');
    expect(metrics).toMatch(/netra_messages_sent_total\{channel="telegram",method="sendMessage"\} \d+/);
  });

  it('registers the command menu in Indonesian and English', () => {
    const scope = { type: 'all_private_chats' };
    expect(kit.fake.commands(scope).map((c) => (c as { command: string }).command)).toEqual([
      'start', 'lapor', 'kuis', 'belajar', 'status', 'jawab', 'verifikasi', 'sertifikat', 'bahasa', 'batal', 'bantuan', 'privasi',
    ]);
    expect(kit.fake.commands(scope, 'en').map((c) => (c as { command: string }).command)).toEqual([
      'start', 'report', 'quiz', 'learn', 'status', 'answer', 'verify', 'certificate', 'language', 'cancel', 'help', 'privacy',
    ]);
  });
});

describe('The Telegram channel in polling mode', () => {
  let kit: Kit;
  beforeAll(async () => {
    kit = await startKit({ kind: 'pglite', mode: 'polling' });
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('handles two messages of one chat from one getUpdates batch in order', async () => {
    const { fake } = kit;
    const id = 3001;
    fake.pushUpdate(fake.textUpdate(id, '/lapor'));
    await fake.waitForSent(id, 'Kirim bukti');
    const bytes = await jpeg();
    // Pushed in one tick, they arrive in one batch; the photo needs a download and a re-encode first.
    const photo = fake.pushUpdate(fake.photoUpdate(id, bytes));
    const text = fake.pushUpdate(fake.textUpdate(id, 'sesudah foto'));
    await fake.waitForSent(id, 'sesudah foto');
    const batch = fake.calls.find((c) => c.method === 'getUpdates' && Array.isArray(c.result) && (c.result as Array<{ update_id: number }>).some((u) => u.update_id === photo.update_id));
    expect((batch?.result as Array<{ update_id: number }>).map((u) => u.update_id)).toEqual([photo.update_id, text.update_id]);
    const replies = fake.sent(id).map(textOf);
    expect(replies.findIndex((t) => t.startsWith('bukti photo'))).toBeLessThan(replies.findIndex((t) => t.includes('sesudah foto')));
  });

  it('waits out a 429 and then delivers everything in order', async () => {
    const { fake } = kit;
    const id = 3002;
    fake.failNext('sendMessage', { code: 429, retryAfter: 1 });
    const started = Date.now();
    // Two turns' replies: the second waits behind the first, which waits out the 429.
    fake.pushUpdate(fake.textUpdate(id, '/start'));
    fake.pushUpdate(fake.textUpdate(id, '/privasi'));
    await fake.waitForSent(id, 'Privasi Anda', 5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const texts = fake.sent(id).map(textOf);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('Selamat datang di');
    expect(texts[1]).toContain('Privasi Anda');
    const metrics = await kit.metrics.registry.metrics();
    expect(metrics).toMatch(/netra_send_errors_total\{channel="telegram",code="429"\} 1/);
  });

  it('marks a user who blocked the bot unreachable, with no retry storm', async () => {
    const { fake, app } = kit;
    const id = 3003;
    fake.pushUpdate(fake.textUpdate(id, '/start'));
    await fake.waitForSent(id, 'Apa yang ingin Anda lakukan?');
    fake.blockUser(id);
    const from = fake.calls.length;
    fake.pushUpdate(fake.textUpdate(id, '/privasi'));
    const key = app.runtime.chatKey({ channel: 'telegram', chatId: String(id) });
    const marked = await until(async () => {
      const rows = await app.store.query<{ unreachableAt: Date | null }>('SELECT "unreachableAt" FROM "Chat" WHERE "key" = $1', [key]);
      return rows[0]?.unreachableAt ?? undefined;
    });
    expect(marked).toBeInstanceOf(Date);
    await kit.channel.enqueue(String(id), async () => undefined).catch(() => undefined);
    expect(fake.calls.slice(from).filter((c) => c.method === 'sendMessage')).toHaveLength(1);

    // Unblocking (Telegram says so with my_chat_member) makes the chat reachable again.
    fake.unblockUser(id);
    const unblocked = {
      my_chat_member: {
        chat: { id, type: 'private', first_name: 'A' },
        from: { id, is_bot: false, first_name: 'A' },
        date: 1,
        old_chat_member: { status: 'kicked', user: fake.botUser, until_date: 0 },
        new_chat_member: { status: 'member', user: fake.botUser },
      },
    };
    fake.pushUpdate(unblocked as unknown as NewUpdate);
    await until(async () => {
      const rows = await app.store.query<{ unreachableAt: Date | null }>('SELECT "unreachableAt" FROM "Chat" WHERE "key" = $1', [key]);
      return rows[0]?.unreachableAt === null ? true : undefined;
    });
  });

  it('lets group hooks take commands, button prefixes and other group updates', async () => {
    const { fake, channel } = kit;
    const group = -1_000_000_003_004;
    const seen: string[] = [];
    channel.registerCommand(['hubungkan', 'link'], async (ctx, args) => {
      seen.push(`command ${args}`);
      await ctx.reply([say('common.done')], 'id');
    });
    channel.registerCallbackPrefix('o', async (ctx, payload) => {
      seen.push(`button ${payload}`);
      await ctx.answer('Diterima');
    });
    channel.onGroupUpdate((ctx) => {
      if (ctx.inbound.type === 'event' && ctx.inbound.event.type === 'user.sendText') seen.push('text');
      if (ctx.inbound.type === 'ignored' && ctx.inbound.reason === 'service') seen.push('service');
    });
    expect(() => channel.registerCallbackPrefix('c', () => undefined)).toThrow();

    fake.pushUpdate(fake.textUpdate(group, '/hubungkan@netra_test_bot kode'));
    await fake.waitForSent(group, 'Selesai');
    fake.pushUpdate(fake.callbackUpdate(group, 1, 'o:ack:NTR-1'));
    const answer = await fake.waitFor((c) => c.method === 'answerCallbackQuery' && c.params.text === 'Diterima');
    expect(answer.ok).toBe(true);
    fake.pushUpdate(fake.textUpdate(group, 'halo'));
    const joined = {
      message: { message_id: 99, date: 1, chat: { id: group, type: 'supergroup', title: 'G' }, from: { id: 7, is_bot: false, first_name: 'P' }, new_chat_members: [fake.botUser] },
    };
    fake.pushUpdate(joined as unknown as NewUpdate);
    await until(() => (seen.includes('service') ? true : undefined));
    expect(seen).toEqual(['command kode', 'button ack:NTR-1', 'text', 'service']);
  });

  it('finishes a turn in flight on stop: the reply is still sent, then it stops cleanly', async () => {
    let release: () => void = () => undefined;
    let entered: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const slow = await startKit({
      kind: 'pglite',
      mode: 'polling',
      commands: {
        probeSlow: async () => {
          entered();
          await gate;
          return { ok: true };
        },
      },
    });
    try {
      const { fake, channel } = slow;
      fake.pushUpdate(fake.textUpdate(4001, '/lapor'));
      await fake.waitForSent(4001, 'Kirim bukti');
      fake.pushUpdate(fake.textUpdate(4001, 'lambat'));
      await inside;
      let stopped = false;
      const stopping = channel.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(stopped).toBe(false);
      // No new updates are fetched while stopping.
      fake.pushUpdate(fake.textUpdate(4001, '/privasi'));
      release();
      await stopping;
      expect(fake.sent(4001).map(textOf).join('\n')).toMatch(/(^|\n)selesai(\n|$)/);
      expect(fake.sent(4001).map(textOf).join('\n')).not.toContain('Privasi Anda');
    } finally {
      release();
      await slow.close();
    }
  });
});

describe('The Telegram webhook', () => {
  let kit: Kit;
  beforeAll(async () => {
    kit = await startKit({ kind: 'pglite', mode: 'webhook' });
  });
  afterAll(async () => {
    await kit?.close();
  });

  const post = (headers: Record<string, string>, body = '{"update_id":1}') =>
    fetch(`http://127.0.0.1:${kit.http.port}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('was registered with Telegram with its secret', () => {
    const call = kit.fake.calls.find((c) => c.method === 'setWebhook');
    expect(call?.params).toMatchObject({ url: `http://127.0.0.1:${kit.http.port}/telegram/webhook`, secret_token: WEBHOOK_SECRET });
  });

  it('refuses a request without the secret header (401) or with a wrong one (403)', async () => {
    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-telegram-bot-api-secret-token': 'wrong' })).status).toBe(403);
    expect((await post({ 'x-telegram-bot-api-secret-token': `${WEBHOOK_SECRET}x` })).status).toBe(403);
  });

  it('refuses a body that is not an update', async () => {
    expect((await post({ 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET }, 'not json')).status).toBe(400);
    expect((await post({ 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET }, '{"hello":1}')).status).toBe(400);
  });

  it('answers 200 once the turn is done', async () => {
    const update = { update_id: 99, message: { message_id: 1, date: 1, chat: { id: 5001, type: 'private', first_name: 'A' }, from: { id: 5001, is_bot: false, first_name: 'A' }, text: '/start' } };
    const response = await post({ 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET }, JSON.stringify(update));
    expect(response.status).toBe(200);
    await kit.fake.waitForSent(5001, 'Apa yang ingin Anda lakukan?');
  });
});
