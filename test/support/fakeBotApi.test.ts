import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Markup, Telegraf, TelegramError } from 'telegraf';
import { message } from 'telegraf/filters';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTelegramHtml, startFakeBotApi, type FakeBotApi, type FakeBotApiOptions } from './fakeBotApi.ts';

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeApi(options?: FakeBotApiOptions): Promise<FakeBotApi> {
  const fake = await startFakeBotApi(options);
  cleanups.push(() => fake.close());
  return fake;
}

function botFor(fake: FakeBotApi): Telegraf {
  return new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
}

/** Launches polling and registers a cleanup that stops the bot and waits for its loop to end. */
async function launch(bot: Telegraf): Promise<void> {
  let running: Promise<void> = Promise.resolve();
  await new Promise<void>((started, failed) => {
    running = bot.launch({}, started);
    running.catch(failed);
  });
  cleanups.push(async () => {
    bot.stop('test finished');
    await running;
  });
}

async function listen(handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return (server.address() as AddressInfo).port;
}

async function rejection(promise: Promise<unknown>): Promise<TelegramError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof TelegramError)) throw new Error(`expected a TelegramError, got ${String(error)}`);
  return error;
}

async function raw(fake: FakeBotApi, path: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${fake.apiRoot}${path}`, init);
  return { status: response.status, body: await response.json() };
}

describe('fake Telegram Bot API with a real telegraf bot', () => {
  it('answers a text message to a bot that long-polls', async () => {
    const fake = await fakeApi();
    const bot = botFor(fake);
    bot.on(message('text'), (ctx) => ctx.reply(`<b>Halo</b>, ${ctx.message.text}`, { parse_mode: 'HTML' }));
    await launch(bot);

    fake.pushUpdate(fake.textUpdate(42, 'apa kabar'));
    const call = await fake.waitForSent(42, 'Halo');

    expect(call.params).toMatchObject({ chat_id: 42, parse_mode: 'HTML', text: '<b>Halo</b>, apa kabar' });
    const transcript = fake.messages(42);
    expect(transcript.map((entry) => [entry.sender, entry.messageId, entry.text])).toEqual([
      ['user', 1, 'apa kabar'],
      ['bot', 2, 'Halo, apa kabar'],
    ]);
    expect(transcript[1]?.message).toMatchObject({ entities: [{ type: 'bold', offset: 0, length: 4 }] });
  });

  it('delivers a button press, records answerCallbackQuery and applies editMessageText', async () => {
    const fake = await fakeApi();
    const bot = botFor(fake);
    bot.start((ctx) => ctx.reply('Lanjutkan laporan?', Markup.inlineKeyboard([Markup.button.callback('Ya', 'yes')])));
    bot.action('yes', async (ctx) => {
      await ctx.answerCbQuery('Oke');
      await ctx.editMessageText('Terima kasih');
    });
    await launch(bot);

    fake.pushUpdate(fake.textUpdate(7, '/start'));
    const question = await fake.waitForSent(7, 'Lanjutkan');
    const questionId = (question.result as { message_id: number }).message_id;
    expect(fake.messages(7).at(-1)?.message).toMatchObject({
      reply_markup: { inline_keyboard: [[{ text: 'Ya', callback_data: 'yes' }]] },
    });

    fake.pushUpdate(fake.callbackUpdate(7, questionId, 'yes'));
    await fake.waitFor((call) => call.method === 'editMessageText');

    expect(fake.calls.find((call) => call.method === 'answerCallbackQuery')).toMatchObject({ ok: true, params: { text: 'Oke' } });
    const edited = fake.messages(7).find((entry) => entry.messageId === questionId);
    expect(edited).toMatchObject({ text: 'Terima kasih', editCount: 1 });
    expect(edited?.message).not.toHaveProperty('reply_markup');
  });

  it('lets getFileLink download the largest size of a received photo', async () => {
    const fake = await fakeApi();
    const bot = botFor(fake);
    const content = Buffer.from('bytes of a photo of a campaign event '.repeat(50));
    let downloaded: Buffer | undefined;
    bot.on(message('photo'), async (ctx) => {
      const largest = ctx.message.photo[ctx.message.photo.length - 1];
      if (!largest) throw new Error('no photo size');
      const link = await ctx.telegram.getFileLink(largest.file_id);
      const response = await fetch(link);
      downloaded = Buffer.from(await response.arrayBuffer());
      await ctx.reply(`received ${downloaded.length} bytes`);
    });
    await launch(bot);

    const update = fake.pushUpdate(fake.photoUpdate(3, content, { caption: 'bukti' }));
    await fake.waitForSent(3, 'received');

    expect(downloaded?.equals(content)).toBe(true);
    const sizes = update.message.photo;
    expect(sizes).toHaveLength(3);
    expect(sizes.map((size) => size.width)).toEqual([90, 320, 1280]);
    expect(fake.calls.find((call) => call.method === 'getFile')?.params.file_id).toBe(sizes[2]?.file_id);
  });

  it('records a multipart sendDocument upload with its exact bytes and serves it back', async () => {
    const fake = await fakeApi();
    const bot = botFor(fake);
    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\r\n--boundary-like line\r\n\r\n'), everyByte, everyByte]);

    const sent = await bot.telegram.sendDocument(
      42,
      { source: pdf, filename: 'laporan-123.pdf' },
      { caption: '<b>Laporan</b> #123', parse_mode: 'HTML', reply_markup: { inline_keyboard: [[{ text: 'Buka', callback_data: 'open' }]] } },
    );

    expect(fake.files).toHaveLength(1);
    const [file] = fake.files;
    expect(file).toMatchObject({ field: 'document', fileName: 'laporan-123.pdf', mimeType: 'application/pdf', method: 'sendDocument', chatId: 42 });
    expect(file?.data.equals(pdf)).toBe(true);
    const call = fake.sent(42)[0];
    expect(call?.params).toMatchObject({ caption: '<b>Laporan</b> #123', reply_markup: { inline_keyboard: [[{ text: 'Buka' }]] } });
    expect(sent).toMatchObject({ caption: 'Laporan #123', document: { file_name: 'laporan-123.pdf', file_size: pdf.length } });

    const link = await bot.telegram.getFileLink(sent.document.file_id);
    expect(Buffer.from(await (await fetch(link)).arrayBuffer()).equals(pdf)).toBe(true);
  });

  it('posts pushed updates to the webhook with the secret token header', async () => {
    const fake = await fakeApi();
    const bot = botFor(fake);
    bot.on(message('text'), (ctx) => ctx.reply('diterima lewat webhook'));
    const secrets: unknown[] = [];
    const callback = bot.webhookCallback('/hook', { secretToken: 'rahasia_123' });
    const port = await listen((req, res) => {
      secrets.push(req.headers['x-telegram-bot-api-secret-token']);
      void callback(req, res);
    });
    const url = `http://127.0.0.1:${port}/hook`;

    await bot.telegram.setWebhook(url, { secret_token: 'rahasia_123' });
    fake.pushUpdate(fake.textUpdate(5, 'halo'));
    await fake.webhookIdle();

    expect(secrets).toEqual(['rahasia_123']);
    expect(fake.webhookDeliveries).toEqual([{ updateId: 1, status: 200, error: undefined }]);
    expect(fake.sent(5).map((call) => call.params.text)).toEqual(['diterima lewat webhook']);
    expect(await bot.telegram.getWebhookInfo()).toMatchObject({ url, pending_update_count: 0 });
    expect((await rejection(bot.telegram.getUpdates(0, 100, 0, undefined))).code).toBe(409);
  });

  it('executes an API call that the bot puts in its webhook response', async () => {
    const fake = await fakeApi();
    const bot = botFor(fake);
    bot.action('ok', (ctx) => ctx.answerCbQuery('Siap'));
    const port = await listen(bot.webhookCallback('/hook'));
    await bot.telegram.setWebhook(`http://127.0.0.1:${port}/hook`);

    fake.pushUpdate(fake.callbackUpdate(8, 99, 'ok'));
    await fake.webhookIdle();

    expect(fake.calls.find((call) => call.method === 'answerCallbackQuery')).toMatchObject({
      ok: true,
      via: 'webhookReply',
      params: { text: 'Siap' },
    });
  });
});

describe('fake Telegram Bot API faults and limits', () => {
  it('returns 429 with retry_after once after failNext, then succeeds', async () => {
    const fake = await fakeApi();
    const bot = botFor(fake);
    fake.failNext('sendMessage', { code: 429, retryAfter: 2 });

    const error = await rejection(bot.telegram.sendMessage(1, 'coba'));
    expect(error.code).toBe(429);
    expect(error.description).toBe('Too Many Requests: retry after 2');
    expect(error.parameters).toEqual({ retry_after: 2 });
    await expect(bot.telegram.sendMessage(1, 'coba')).resolves.toMatchObject({ text: 'coba' });
    expect(fake.stats.tooManyRequests).toBe(1);
    expect(fake.sent(1)).toHaveLength(1);
  });

  it('applies queued faults in order and drops a request held by a timeout fault', async () => {
    const fake = await fakeApi();
    const bot = botFor(fake);
    fake.failNext('sendMessage', { code: 500 }).failNext('sendMessage', { code: 400, description: 'Bad Request: chat not found' });
    fake.failNext('getMe', { timeoutMs: 30 });

    expect(await rejection(bot.telegram.sendMessage(1, 'a'))).toMatchObject({ code: 500, description: 'Internal Server Error' });
    expect(await rejection(bot.telegram.sendMessage(1, 'a'))).toMatchObject({ code: 400, description: 'Bad Request: chat not found' });
    await expect(bot.telegram.sendMessage(1, 'a')).resolves.toMatchObject({ text: 'a' });
    await expect(bot.telegram.getMe()).rejects.toMatchObject({ name: 'FetchError' });
    expect(fake.calls.at(-1)).toMatchObject({ method: 'getMe', ok: false, dropped: true });
    await expect(bot.telegram.getMe()).resolves.toMatchObject({ is_bot: true });
  });

  it('answers 403 to sends to a user who blocked the bot', async () => {
    const fake = await fakeApi();
    const bot = botFor(fake);
    fake.blockUser(9);

    const error = await rejection(bot.telegram.sendMessage(9, 'halo'));
    expect(error.code).toBe(403);
    expect(error.description).toBe('Forbidden: bot was blocked by the user');
    await expect(bot.telegram.sendMessage(10, 'halo')).resolves.toMatchObject({ chat: { id: 10 } });
    fake.unblockUser(9);
    await expect(bot.telegram.sendMessage(9, 'halo')).resolves.toMatchObject({ chat: { id: 9 } });
  });

  it('rate-limits a private chat, a group and the whole bot like Telegram', async () => {
    let now = 0;
    const fake = await fakeApi({ rateLimits: { perChatBurst: 3 }, now: () => now });
    const bot = botFor(fake);

    for (let index = 0; index < 3; index += 1) await bot.telegram.sendMessage(1, `pesan ${index}`);
    const privateError = await rejection(bot.telegram.sendMessage(1, 'terlalu cepat'));
    expect(privateError).toMatchObject({ code: 429, parameters: { retry_after: 1 } });
    now += 1000;
    await expect(bot.telegram.sendMessage(1, 'sudah boleh')).resolves.toMatchObject({ text: 'sudah boleh' });

    now = 10_000;
    for (let index = 0; index < 20; index += 1) await bot.telegram.sendMessage(-100, `grup ${index}`);
    expect(await rejection(bot.telegram.sendMessage(-100, 'grup 21'))).toMatchObject({ code: 429, parameters: { retry_after: 3 } });

    now = 100_000;
    for (let chat = 1000; chat < 1030; chat += 1) await bot.telegram.sendMessage(chat, 'siaran');
    expect(await rejection(bot.telegram.sendMessage(2000, 'siaran'))).toMatchObject({ code: 429 });
    expect(fake.stats.tooManyRequests).toBe(3);
  });

  it('repeats the same chaos for the same seed', async () => {
    const outcomes = async (): Promise<string[]> => {
      const fake = await fakeApi({ failureRate: 0.5, seed: 7 });
      const bot = botFor(fake);
      const seen: string[] = [];
      for (let index = 0; index < 16; index += 1) {
        seen.push(await bot.telegram.sendMessage(1, 'x').then(() => 'ok', (error: TelegramError) => String(error.code)));
      }
      return seen;
    };
    const first = await outcomes();
    expect(await outcomes()).toEqual(first);
    expect(first).toContain('ok');
    expect(first.some((outcome) => outcome === '429' || outcome === '500')).toBe(true);
  });
});

describe('fake Telegram Bot API protocol details', () => {
  it('wakes a waiting long poll as soon as an update is pushed and forgets updates below the offset', async () => {
    const fake = await fakeApi();
    const started = Date.now();
    const poll = raw(fake, `/bot${fake.token}/getUpdates?timeout=10`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const pushed = fake.pushUpdate(fake.textUpdate(1, 'halo'));

    const { body } = await poll;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(body).toMatchObject({ ok: true, result: [{ update_id: pushed.update_id, message: { text: 'halo' } }] });

    const confirm = await raw(fake, `/bot${fake.token}/getUpdates`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `offset=${pushed.update_id + 1}`,
    });
    expect(confirm.body).toEqual({ ok: true, result: [] });
  });

  it('delivers only the update types named in allowed_updates', async () => {
    const fake = await fakeApi();
    fake.pushUpdate(fake.callbackUpdate(1, 1, 'x'));
    const text = fake.pushUpdate(fake.textUpdate(1, 'halo'));

    const { body } = await raw(fake, `/bot${fake.token}/getUpdates?allowed_updates=${encodeURIComponent('["message"]')}`);
    expect((body as { result: Array<{ update_id: number }> }).result.map((update) => update.update_id)).toEqual([text.update_id]);
  });

  it('answers 404 for an unknown method and 401 for a wrong token', async () => {
    const fake = await fakeApi();
    expect(await raw(fake, `/bot${fake.token}/sendTelepathy`, { method: 'POST' })).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: 'Not Found: method not found' },
    });
    expect(await raw(fake, '/bot999:wrong/getMe')).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    expect(await raw(fake, `/bot${fake.token}/GETME`)).toMatchObject({ status: 200, body: { ok: true, result: { is_bot: true } } });
  });

  it('refuses getFile for a file over 20 MB as Telegram does', async () => {
    const fake = await fakeApi();
    const bot = botFor(fake);
    const big = fake.registerFile(Buffer.from('head'), { fileSize: 25 * 1024 * 1024 });
    const update = fake.documentUpdate(1, Buffer.from('%PDF'), 'besar.pdf', 'application/pdf', { fileSize: 21 * 1024 * 1024 });

    expect(await rejection(bot.telegram.getFile(big.file_id))).toMatchObject({ code: 400, description: 'Bad Request: file is too big' });
    expect(await rejection(bot.telegram.getFile(update.message.document.file_id))).toMatchObject({ code: 400 });
    expect(await rejection(bot.telegram.getFile('nope'))).toMatchObject({ description: 'Bad Request: invalid file_id' });
  });

  it('rejects HTML that Telegram cannot parse and unchanged edits', async () => {
    const fake = await fakeApi();
    const bot = botFor(fake);

    expect(await rejection(bot.telegram.sendMessage(1, 'baris<br>baru', { parse_mode: 'HTML' }))).toMatchObject({
      description: `Bad Request: can't parse entities: Unsupported start tag "br" at byte offset 5`,
    });
    expect(await rejection(bot.telegram.sendMessage(1, '<b>tebal', { parse_mode: 'HTML' }))).toMatchObject({
      description: `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`,
    });
    const sent = await bot.telegram.sendMessage(1, 'a &lt; b', { parse_mode: 'HTML' });
    expect(sent.text).toBe('a < b');
    expect(await rejection(bot.telegram.editMessageText(1, sent.message_id, undefined, 'a &lt; b', { parse_mode: 'HTML' }))).toMatchObject({
      description: expect.stringContaining('message is not modified') as unknown,
    });
  });

  it('parses nested HTML into UTF-16 entities', () => {
    expect(parseTelegramHtml('🙂 <b>Hi <i>you</i></b> <a href="https://x.id">link</a>')).toEqual({
      text: '🙂 Hi you link',
      entities: [
        { type: 'bold', offset: 3, length: 6 },
        { type: 'italic', offset: 6, length: 3 },
        { type: 'text_link', offset: 10, length: 4, url: 'https://x.id' },
      ],
    });
  });

  it('stores, returns and deletes bot commands per scope', async () => {
    const fake = await fakeApi();
    const bot = botFor(fake);
    await bot.telegram.setMyCommands([{ command: 'lapor', description: 'Buat laporan' }], { language_code: 'id' });

    expect(await bot.telegram.getMyCommands({ language_code: 'id' })).toEqual([{ command: 'lapor', description: 'Buat laporan' }]);
    expect(await bot.telegram.getMyCommands()).toEqual([]);
    expect(await rejection(bot.telegram.setMyCommands([{ command: 'Lapor!', description: 'x' }]))).toMatchObject({ code: 400 });
    await bot.telegram.deleteMyCommands({ language_code: 'id' });
    expect(fake.commands(undefined, 'id')).toEqual([]);
  });

  it('rejects waitFor with the recent calls when nothing matches', async () => {
    const fake = await fakeApi();
    await botFor(fake).telegram.sendMessage(4, 'sesuatu yang lain');

    await expect(fake.waitFor((call) => call.method === 'sendPhoto', 50)).rejects.toThrow(
      /within 50 ms[\s\S]*#0 sendMessage chat=4 ok "sesuatu yang lain"/,
    );
  });
});
