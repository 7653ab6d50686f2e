/**
 * The yardstick: a bare telegraf bot that answers every message with its text, on a webhook like Netra's (plain
 * node:http, a kept-alive agent to the Bot API, replies as separate API calls rather than in the webhook's
 * answer). Whatever this process reaches is what telegraf and the fake Bot API allow on this machine.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Telegraf } from 'telegraf';
import { serveChild, type ChildConfig } from './childProcess.ts';

const WEBHOOK_SECRET = 'netra-bench-echo';

serveChild(
  async (config: ChildConfig) => {
    if (config.bot !== 'echo') throw new Error('echoChild runs the echo bot only');
    const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 10_000 });
    const bot = new Telegraf(config.token, { telegram: { apiRoot: config.apiRoot, agent, webhookReply: false } });
    bot.on('message', (ctx) => ctx.reply('text' in ctx.message ? ctx.message.text : 'ok'));
    bot.botInfo = await bot.telegram.getMe();
    const server = http.createServer(bot.webhookCallback('/echo', { secretToken: WEBHOOK_SECRET }));
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await bot.telegram.setWebhook(`http://127.0.0.1:${port}/echo`, { secret_token: WEBHOOK_SECRET, max_connections: 100 });
    return {
      port,
      async stop() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        agent.destroy();
      },
    };
  },
  { warnings: () => 0, samples: () => [] },
);
