/**
 * Drives Netra through the real runtime and store, as a channel would: `say('2')`, `command('lapor')`, and read
 * back the replies rendered as plain text. State goes through the database (JSON) between every turn.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { Locale } from '../../content/locales/index.ts';
import type { OutboundMessage, TextRef, UnstampedUserEvent } from '../../flows/messages.ts';
import { lookupText } from '../../flows/shared/texts.ts';
import { createApp, type App } from '../../bot/app.ts';
import { loadConfig } from '../../bot/config.ts';
import type { ChatRef, TurnResult } from '../../bot/conversation/conversationRuntime.ts';
import { toPlainText } from '../../bot/i18n.ts';
import { createTestStore, type StoreKind } from './testDatabase.ts';

/** A fixed test secret (32 bytes, base64). */
export const TEST_SECRET = Buffer.alloc(32, 7).toString('base64');

/** One turn's replies, rendered. */
export interface Reply {
  result: TurnResult;
  messages: OutboundMessage[];
  /** Each message's text as the terminal shows it (markup removed). */
  texts: string[];
  /** All texts joined, for `toContain` checks. */
  all: string;
  /** Labels of the last message with choices. */
  choices: string[];
  /** Values of the last message with choices. */
  values: string[];
}

export interface Harness {
  app: App;
  dataDir: string;
  /** The clock the app sees; move it with `setNow`. */
  now(): Date;
  setNow(date: Date | string): void;
  say(text: string, options?: TurnOptions): Promise<Reply>;
  command(name: string, args?: string, options?: TurnOptions): Promise<Reply>;
  choose(value: string, options?: TurnOptions): Promise<Reply>;
  send(event: UnstampedUserEvent, options?: TurnOptions): Promise<Reply>;
  render(messages: OutboundMessage[], locale: Locale): string[];
  close(): Promise<void>;
}

export interface TurnOptions {
  /** Chat id on the terminal channel (default "alice"). */
  chat?: string;
  channel?: ChatRef['channel'];
  messageId?: string;
}

export interface HarnessOptions {
  now?: string;
  env?: Record<string, string>;
}

/**
 * Every text a conversation driven through the harness shows is checked for a parameter its template names but
 * the flow never gave (i18next would leave `{{name}}` in the reply), so each flow test also guards the texts it
 * shows. Checked against the template, not the rendered text, where a user's own `{{...}}` may rightly appear.
 */
function assertFilled(ref: TextRef | undefined, locale: Locale): void {
  if (!ref || !('key' in ref)) return;
  const given = ref.params ?? {};
  for (const [, name] of (lookupText(ref.key, locale) ?? '').matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)) {
    if (!(name! in given)) throw new Error(`the text ${ref.key} (${locale}) was shown without its parameter "${name}"`);
  }
  for (const value of Object.values(given)) if (typeof value === 'object' && 'key' in value) assertFilled({ key: value.key }, locale);
}

function assertMessageFilled(message: OutboundMessage, locale: Locale): void {
  if (message.type === 'text') {
    assertFilled(message.text, locale);
    for (const choice of message.choices ?? []) assertFilled(choice.label, locale);
  } else if ('caption' in message && typeof message.caption === 'object') {
    assertFilled(message.caption, locale);
  }
}

/** Creates an app on a fresh store of the given kind. */
export async function createHarness(kind: StoreKind, options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'netra-test-'));
  const store = await createTestStore(kind);
  let now = new Date(options.now ?? '2026-11-22T03:00:00.000Z');
  const config = loadConfig({ NETRA_SECRET: TEST_SECRET, NETRA_DATA_DIR: dataDir, ...options.env });
  const app = await createApp(config, { store, logger: pino({ level: 'silent' }), clock: () => now });

  const render = (messages: OutboundMessage[], locale: Locale) =>
    messages.map((m) => {
      const r = app.renderer.message(m, locale);
      assertMessageFilled(m, locale);
      const file = m.type === 'document' ? `[document ${m.fileName}] ` : m.type === 'photo' ? '[photo] ' : '';
      return file + toPlainText(r.text);
    });

  const send = async (event: UnstampedUserEvent, turn: TurnOptions = {}): Promise<Reply> => {
    const ref: ChatRef = { channel: turn.channel ?? 'terminal', chatId: turn.chat ?? 'alice' };
    const result = await app.runtime.handle(ref, event, turn.messageId);
    const texts = render(result.messages, result.locale);
    const last = [...result.messages].reverse().find((m) => m.type === 'text' && m.choices?.length);
    const rendered = last ? app.renderer.message(last, result.locale) : undefined;
    return {
      result,
      messages: result.messages,
      texts,
      all: texts.join('\n'),
      choices: rendered?.choices.map((c) => toPlainText(c.label)) ?? [],
      values: rendered?.choices.map((c) => c.value) ?? [],
    };
  };

  return {
    app,
    dataDir,
    now: () => now,
    setNow: (date) => {
      now = new Date(date);
    },
    send,
    say: (text, turn) => send({ type: 'user.sendText', text }, turn),
    command: (name, args = '', turn) => send({ type: 'user.sendCommand', name, args }, turn),
    choose: (value, turn) => send({ type: 'user.chooseOption', value }, turn),
    render,
    async close() {
      await app.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
