import http from 'node:http';
import { Telegram } from 'telegraf';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { limitsWithGlobalRate, SendQueue, telegramLimits, type SendLimits } from '../../../../bot/channels/telegram/sendQueue.ts';
import { loadConfig } from '../../../../bot/config.ts';
import { DeliveryError } from '../../../../bot/errors.ts';
import { startFakeBotApi, type FakeBotApi } from '../../../support/fakeBotApi.ts';

const fast = { retries: 4, minDelayMs: 20, maxDelayMs: 100 };
const loose: SendLimits = { globalPerSec: 1000, perChatPerSec: 1000, perChatBurst: 100, perGroupPerMin: 60_000, perGroupBurst: 100 };

let fake: FakeBotApi;
let telegram: Telegram;

beforeAll(async () => {
  fake = await startFakeBotApi();
  telegram = new Telegram(fake.token, { apiRoot: fake.apiRoot, agent: new http.Agent({ keepAlive: true }) });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => fake.reset());

const send = (queue: SendQueue, chatId: number, text: string) =>
  queue.enqueue(String(chatId), () => telegram.sendMessage(chatId, text));

const texts = (chatId: number) => fake.sent(chatId).map((c) => c.params.text);

describe('SendQueue', () => {
  it('spaces a burst to one chat at its rate, in order, dropping nothing', async () => {
    const limited = await startFakeBotApi({ rateLimits: { perChatPerSec: 10, perChatBurst: 2, globalPerSec: 1000 } });
    try {
      const client = new Telegram(limited.token, { apiRoot: limited.apiRoot, agent: new http.Agent({ keepAlive: true }) });
      const queue = new SendQueue({ limits: { ...loose, perChatPerSec: 10, perChatBurst: 2 }, retry: fast });
      const started = Date.now();
      await Promise.all(Array.from({ length: 8 }, (_, i) => queue.enqueue('7', () => client.sendMessage(7, `m${i}`))));
      expect(Date.now() - started).toBeGreaterThanOrEqual(550);
      expect(limited.sent(7).map((c) => c.params.text)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
      expect(limited.stats.tooManyRequests).toBe(0);
    } finally {
      await limited.close();
    }
  });

  it('paces all chats together at the global rate', async () => {
    const queue = new SendQueue({ limits: { ...loose, globalPerSec: 20 }, retry: fast });
    const started = Date.now();
    await Promise.all(Array.from({ length: 10 }, (_, i) => send(queue, 100 + i, 'hai')));
    // Ten calls spaced 50 ms apart take at least 450 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(430);
  });

  it('takes its global pace from TELEGRAM_MESSAGES_PER_SECOND and keeps Telegram\'s other limits', async () => {
    const limits = limitsWithGlobalRate(loadConfig({ TELEGRAM_MESSAGES_PER_SECOND: '10' }).TELEGRAM_MESSAGES_PER_SECOND);
    expect(limits).toEqual({ ...telegramLimits, globalPerSec: 10 });
    const queue = new SendQueue({ limits, retry: fast });
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, (_, i) => send(queue, 200 + i, 'hai')));
    // Six chats, one call each: spaced 100 ms apart at 10 a second (at Telegram's default 30, 167 ms in all).
    expect(Date.now() - started).toBeGreaterThanOrEqual(480);
  });

  it('waits retry_after on a 429 and then delivers, keeping the chat in order', async () => {
    const queue = new SendQueue({ limits: loose, retry: fast });
    fake.failNext('sendMessage', { code: 429, retryAfter: 1 });
    const started = Date.now();
    await Promise.all([send(queue, 8, 'first'), send(queue, 8, 'second')]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(texts(8)).toEqual(['first', 'second']);
    expect(fake.calls.filter((c) => c.method === 'sendMessage' && !c.ok).map((c) => c.error?.error_code)).toEqual([429]);
  });

  it('retries 5xx answers and dropped connections with backoff', async () => {
    const codes: string[] = [];
    const queue = new SendQueue({ limits: false, retry: fast, onAttemptError: (code) => codes.push(code) });
    fake.failNext('sendMessage', { code: 502, description: 'Bad Gateway' });
    fake.failNext('sendMessage', { timeoutMs: 30 });
    await send(queue, 9, 'tetap sampai');
    expect(texts(9)).toEqual(['tetap sampai']);
    expect(codes).toEqual(['502', 'network']);
  });

  it('fails for good after its retries, as a transient DeliveryError', async () => {
    const queue = new SendQueue({ limits: false, retry: { ...fast, retries: 1 } });
    fake.failNext('sendMessage', { code: 500 }).failNext('sendMessage', { code: 500 });
    const error = await send(queue, 10, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ permanent: false, code: 500 });
  });

  it('stops at once when the user blocked the bot, and fails the chat fast afterwards', async () => {
    const blocked: string[] = [];
    const queue = new SendQueue({ limits: loose, retry: fast, onBlocked: (chatId) => blocked.push(chatId) });
    fake.blockUser(11);
    const results = await Promise.allSettled([send(queue, 11, 'a'), send(queue, 11, 'b'), send(queue, 11, 'c')]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({ permanent: true, code: 403 });
    }
    expect(fake.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(1);
    expect(blocked).toEqual(['11']);

    fake.unblockUser(11);
    queue.unblock('11');
    await send(queue, 11, 'kembali');
    expect(texts(11)).toEqual(['kembali']);
  });

  it('does not retry a bad request', async () => {
    const queue = new SendQueue({ limits: false, retry: fast });
    const error = await queue.enqueue('12', () => telegram.sendMessage(12, '<b>unclosed', { parse_mode: 'HTML' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ permanent: true, code: 400 });
    expect(fake.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(1);
  });

  it('reports its depth and drains', async () => {
    const queue = new SendQueue({ limits: { ...loose, perChatPerSec: 20, perChatBurst: 1 }, retry: fast });
    const all = Promise.all([send(queue, 13, '1'), send(queue, 13, '2'), send(queue, 13, '3')]);
    expect(queue.depth).toBe(3);
    expect(await queue.drain(5_000)).toBe(true);
    expect(queue.depth).toBe(0);
    await all;
    expect(texts(13)).toEqual(['1', '2', '3']);
  });
});
