import { describe, expect, it } from 'vitest';
import { telegramLimits } from '../../../bot/channels/telegram/sendQueue.ts';
import { telegramOptions } from '../../../bot/cli/startCommand.ts';
import { loadConfig } from '../../../bot/config.ts';
import { HealthRegistry } from '../../../bot/http/health.ts';
import type { HttpServer } from '../../../bot/http/httpServer.ts';
import { createMetrics } from '../../../bot/http/metrics.ts';
import { Secrets } from '../../../bot/security/secrets.ts';

const token = '123456:ABC-DEF';
const app = { secrets: new Secrets(Buffer.alloc(32, 7)) };
// `netra start` hands over its running HTTP server; these options only carry it along to the webhook.
const parts = { server: {} as HttpServer, health: new HealthRegistry(), metrics: createMetrics() };

describe('the Telegram channel as `netra start` configures it', () => {
  it('paces all chats together at Telegram’s 30 calls a second by default', () => {
    expect(telegramOptions(app, loadConfig({}), token, parts).limits).toEqual(telegramLimits);
  });

  it('paces them at TELEGRAM_MESSAGES_PER_SECOND when set, keeping the per-chat and per-group limits', () => {
    const limits = telegramOptions(app, loadConfig({ TELEGRAM_MESSAGES_PER_SECOND: '120' }), token, parts).limits;
    expect(limits).toEqual({ ...telegramLimits, globalPerSec: 120 });
  });

  it('never leaves the webhook open: without a configured secret it derives one from NETRA_SECRET', () => {
    const config = loadConfig({ TELEGRAM_WEBHOOK_URL: 'https://netra.example.org/telegram/webhook' });
    const webhook = telegramOptions(app, config, token, parts).webhook;
    expect(webhook?.url).toBe('https://netra.example.org/telegram/webhook');
    expect(webhook?.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(webhook?.secret).toBe(telegramOptions(app, config, token, parts).webhook?.secret);
    const configured = loadConfig({ TELEGRAM_WEBHOOK_URL: 'https://netra.example.org/telegram/webhook', TELEGRAM_WEBHOOK_SECRET: 'given_secret' });
    expect(telegramOptions(app, configured, token, parts).webhook?.secret).toBe('given_secret');
  });
});
