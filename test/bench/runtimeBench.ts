/**
 * The runtime and the store alone, without HTTP: the same scripted reports and quizzes driven straight into
 * `app.runtime.handle` in one process, with the replies rendered as Telegram would show them. It tells what the
 * turn costs apart from telegraf and the network, and is the quickest thing to profile:
 *
 *   npx tsx test/bench/runtimeBench.ts [--store postgres|pglite] [--chats 64] [--duration 10]
 *   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof test/bench/runtimeBench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import sharp from 'sharp';
import { createApp } from '../../bot/app.ts';
import { renderOutbound } from '../../bot/channels/telegram/telegramAdapter.ts';
import { loadConfig } from '../../bot/config.ts';
import { storeMedia } from '../../bot/media/mediaStore.ts';
import type { UnstampedUserEvent } from '../../flows/messages.ts';
import { openStore } from '../../bot/store/store.ts';
import { createTestDatabase, dropTestDatabase } from '../support/testDatabase.ts';
import { decide, newScript, startCommand, type BotMessage, type UserAction } from './conversationScript.ts';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'postgres' },
    chats: { type: 'string', default: '64' },
    duration: { type: 'string', default: '10' },
    pool: { type: 'string', default: '10' },
    socket: { type: 'string' },
  },
});
const kind = values.store === 'pglite' ? 'pglite' : 'postgres';
const chats = Number(values.chats);
const durationMs = Number(values.duration) * 1000;

const dataDir = mkdtempSync(path.join(tmpdir(), 'netra-runtime-bench-'));
const databaseUrl = kind === 'postgres' ? await createTestDatabase() : undefined;
// --socket DIR reaches the same server through its Unix socket instead of TCP.
const connectTo = databaseUrl && values.socket ? databaseUrl.replace('@127.0.0.1:5432/', `@${encodeURIComponent(values.socket)}/`) : databaseUrl;
if (process.env.NETRA_BENCH_PRELOAD) await import(process.env.NETRA_BENCH_PRELOAD);
const store = connectTo ? await openStore({ databaseUrl: connectTo, poolSize: Number(values.pool) }) : await openStore({ memory: true });
const config = loadConfig({
  NETRA_SECRET: Buffer.alloc(32, 11).toString('base64'),
  NETRA_DATA_DIR: dataDir,
  RATE_LIMIT_PER_MINUTE: '1000000',
  REPORTS_PER_DAY: '1000000',
});
const app = await createApp(config, { store, logger: pino({ level: 'silent' }) });
const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#2050a0' } }).jpeg().toBuffer();

let turns = 0;
let stopped = false;
let nextMessageId = 1;

async function chat(index: number): Promise<void> {
  const ref = { channel: 'telegram' as const, chatId: String(9_000_000 + index) };
  let conversation: 'report' | 'quiz' = index % 2 === 0 ? 'report' : 'quiz';
  let script = newScript(conversation);
  let action: UserAction = startCommand(conversation);
  while (!stopped) {
    const event: UnstampedUserEvent =
      action.type === 'text'
        ? action.text.startsWith('/')
          ? { type: 'user.sendCommand', name: action.text.slice(1), args: '' }
          : { type: 'user.sendText', text: action.text }
        : action.type === 'press'
          ? { type: 'user.chooseOption', value: action.data.slice(2) }
          : { type: 'user.sendMedia', media: await storeMedia(app.dataDir, photo, { kind: 'photo', mime: 'image/jpeg' }) };
    script.turns += 1;
    const result = await app.runtime.handle(ref, event, `rt:${nextMessageId++}`);
    turns += 1;
    let decided: UserAction | undefined;
    for (const message of result.messages) {
      for (const call of renderOutbound(message, app.renderer, result.locale)) {
        const bot: BotMessage = {
          method: call.method,
          text: call.method === 'sendMessage' ? call.text : (call.caption ?? ''),
          buttons: call.method === 'sendMessage' ? (call.keyboard?.inline_keyboard.flat() ?? []).map((b) => ('callback_data' in b ? b.callback_data : '')) : [],
          messageId: 1,
        };
        const decision = decide(script, bot);
        if (decision.type === 'finished') {
          conversation = script.filed || script.scored ? (conversation === 'report' ? 'quiz' : 'report') : conversation;
          script = newScript(conversation);
          decided = startCommand(conversation);
        } else if (decision.type === 'act') decided = decision.action;
        if (decided) break;
      }
      if (decided) break;
    }
    action = decided ?? { type: 'text', text: '/batal' };
  }
}

const started = performance.now();
const cpuFrom = process.cpuUsage();
const loops = Array.from({ length: chats }, (_, index) => chat(index));
await new Promise((resolve) => setTimeout(resolve, durationMs));
stopped = true;
await Promise.all(loops);
const elapsed = performance.now() - started;
const cpu = process.cpuUsage(cpuFrom);
process.stdout.write(
  `${kind}: ${turns} turns in ${(elapsed / 1000).toFixed(1)} s = ${Math.round((turns * 1000) / elapsed)} turns/s, ` +
    `CPU ${(((cpu.user + cpu.system) / 1000 / elapsed) * 100).toFixed(0)}% of one core\n`,
);
await app.close();
await store.close();
if (databaseUrl) await dropTestDatabase(databaseUrl);
rmSync(dataDir, { recursive: true, force: true });
