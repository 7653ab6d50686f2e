/**
 * The floor: a bot that does Netra's input and output for each update and nothing else. It takes the webhook as
 * Netra does (node:http, the secret header, the JSON body), loads and saves the chat's conversation state through
 * Netra's own statements (`loadChat` and the compare-and-set `saveChat`, shared between concurrent chats as in
 * Netra), and makes as many Bot API calls per update as Netra does in the closed loop, on Netra's lean client:
 * on two updates in three an edit of the previous question, then the question (1 sendMessage and 0.67
 * editMessageText per update). It runs no state machine, validates and renders nothing. What it reaches is the
 * most that any bot with Netra's input and output can reach on this machine; the distance from it to Netra is the
 * cost of Netra's own work.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { callJson, type BotApiTarget } from '../../bot/channels/telegram/botApiClient.ts';
import { loadChat, saveChat } from '../../bot/conversation/chatRepository.ts';
import { openStore } from '../../bot/store/store.ts';
import { serveChild, type ChildConfig } from './childProcess.ts';

const WEBHOOK_SECRET = 'netra-bench-floor';

/** A conversation state of Netra's size (a quiz halfway: 1.1 KB of snapshot, 0.5 KB of prompt). */
function initialSnapshot(): { turn: number; answers: Array<{ chosen: string; questionId: string }>; questions: unknown[] } {
  const topics = ['social-media', 'legal-basis', 'who-decides', 'sanctions', 'reporting', 'prohibited-acts'];
  return {
    turn: 0,
    answers: [],
    questions: Array.from({ length: 10 }, (_, index) => ({ id: `${topics[index % topics.length]}-0${index}`, optionOrder: ['b', 'c', 'a', 'd'] })),
  };
}

const PROMPT = {
  text: { key: 'quiz.question', params: { total: 10, number: 8 } },
  type: 'text',
  prompt: true,
  choices: Array.from({ length: 4 }, (_, index) => ({
    label: { localized: { id: `Pilihan jawaban nomor ${index + 1} yang cukup panjang untuk ukuran aslinya`, en: `Answer option ${index + 1}` } },
    value: `q8-${index + 1}`,
  })),
};

interface TextUpdate {
  message?: { chat?: { id?: number }; text?: string };
}

serveChild(
  async (config: ChildConfig) => {
    if (config.bot !== 'floor') throw new Error('floorChild runs the floor bot only');
    const store = await openStore({ databaseUrl: config.databaseUrl, ...(config.poolSize ? { poolSize: config.poolSize } : {}) });
    const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 10_000 });
    const target: BotApiTarget = { apiRoot: config.apiRoot, token: config.token, agent };
    /** The message id of each chat's last question (what Netra edits when it is answered). */
    const lastQuestion = new Map<number, number>();
    let updates = 0;

    const turn = async (chatId: number): Promise<void> => {
      updates += 1;
      const n = updates;
      const key = `floor:${chatId}`;
      const state = await loadChat(store, key);
      const snapshot = (state?.snapshot as ReturnType<typeof initialSnapshot> | undefined) ?? initialSnapshot();
      snapshot.turn += 1;
      snapshot.answers = [...snapshot.answers.slice(-9), { chosen: 'a', questionId: `question-${snapshot.turn}` }];
      const saved = await saveChat(
        store,
        {
          key,
          channel: 'telegram',
          addressEnc: () => 'floor',
          locale: 'id',
          flow: 'quiz',
          flowVersion: 1,
          snapshot,
          prompt: PROMPT,
          recentMessages: [...(state?.recentMessages ?? []), String(n)],
        },
        state?.revision ?? 0,
      );
      if (!saved) throw new Error('floor: compare-and-set lost (a chat sends one update at a time)');
      const previous = lastQuestion.get(chatId);
      if (previous !== undefined && n % 3 !== 0) {
        await callJson(target, 'editMessageText', { chat_id: chatId, message_id: previous, text: 'Pertanyaan sebelumnya\n\n✅ Jawaban: halo' });
      }
      const question = (await callJson(target, 'sendMessage', {
        chat_id: chatId,
        text: `Pertanyaan ${snapshot.turn}: apa jawaban Anda?`,
        reply_markup: { inline_keyboard: [[{ text: 'Ya', callback_data: 'c:1' }, { text: 'Tidak', callback_data: 'c:2' }]] },
      })) as { message_id: number };
      lastQuestion.set(chatId, question.message_id);
    };

    const server = http.createServer((req, res) => {
      if (req.method !== 'POST' || req.headers['x-telegram-bot-api-secret-token'] !== WEBHOOK_SECRET) {
        res.writeHead(401).end();
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const update = JSON.parse(Buffer.concat(chunks).toString('utf8')) as TextUpdate;
        res.writeHead(200).end();
        const chatId = update.message?.chat?.id;
        if (typeof chatId === 'number') void turn(chatId).catch((error: unknown) => process.stderr.write(`floor: ${String(error)}\n`));
      });
    });
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await callJson(target, 'setWebhook', { url: `http://127.0.0.1:${port}/floor`, secret_token: WEBHOOK_SECRET, max_connections: 100 });
    return {
      port,
      async stop() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        agent.destroy();
        await store.close();
      },
    };
  },
  { warnings: () => 0, samples: () => [] },
);
