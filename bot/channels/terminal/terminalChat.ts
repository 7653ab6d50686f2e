/**
 * `npm run chat`: Netra in the terminal. Interactive on a TTY (with a prompt), or scripted with piped stdin (one
 * message per line, replies on stdout, exits after the last reply when stdin ends).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { App } from '../../app.ts';
import type { Locale } from '../../../content/locales/index.ts';
import { say, type UnstampedUserEvent } from '../../../flows/messages.ts';
import type { ChatRef } from '../../conversation/conversationRuntime.ts';
import { kindFromFileName, storeMedia } from '../../media/mediaStore.ts';
import { DocumentCleaningUnavailableError } from '../../media/documentCleaning.ts';
import { renderOutbound, toInboundEvent } from './terminalAdapter.ts';

export interface TerminalChatOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Lets several people share one data directory in the terminal (`--as`). */
  user?: string;
}

/** Runs the chat until input ends. */
export async function runTerminalChat(app: App, options: TerminalChatOptions = {}): Promise<void> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
  const ref: ChatRef = { channel: 'terminal', chatId: options.user ?? 'local' };
  const rl = createInterface({ input, terminal: interactive, ...(interactive ? { output } : {}) });
  const write = (text: string) => output.write(`${text}\n`);
  // Take lines from the start: a line read while we look up the resumed question must not be lost.
  const lines = rl[Symbol.asyncIterator]();

  // The chat's language as its last turn left it (texts the terminal writes itself follow it).
  let locale: Locale = app.config.NETRA_DEFAULT_LOCALE;
  if (interactive) {
    const resumed = await app.runtime.resume(ref);
    if (resumed) {
      locale = resumed.locale;
      for (const m of resumed.messages) write(renderOutbound(m, app.renderer, locale, app.dataDir));
    } else {
      write(renderOutbound(say('terminal.startHint'), app.renderer, locale));
    }
    rl.setPrompt('> ');
    rl.prompt();
  }

  const turn = async (event: UnstampedUserEvent) => {
    const result = await app.runtime.handle(ref, event);
    locale = result.locale;
    for (const message of result.messages) write(renderOutbound(message, app.renderer, locale, app.dataDir));
  };

  for await (const line of { [Symbol.asyncIterator]: () => lines }) {
    const mapped = toInboundEvent(line);
    if (mapped.type !== 'empty') {
      try {
        if (mapped.type === 'event') {
          await turn(mapped.event);
        } else {
          const event = await attach(app.dataDir, mapped.path);
          // A typo in a path is the typist's to fix: say so here, and the conversation waits as it was.
          if (event) await turn(event);
          else write(renderOutbound(say('terminal.fileNotFound', { path: mapped.path }), app.renderer, locale));
        }
      } catch (error) {
        app.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'terminal turn failed');
        write(renderOutbound(say('common.error'), app.renderer, locale));
      }
    }
    if (interactive) rl.prompt();
  }
}

/** The event for an attached file, or null when it cannot be read (no such file, a folder, no permission). */
async function attach(dataDir: string, filePath: string) {
  const resolved = path.resolve(filePath);
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolved);
  } catch {
    return null;
  }
  try {
    const { kind, mime } = kindFromFileName(resolved);
    const media = await storeMedia(dataDir, bytes, { kind, ...(mime ? { mime } : {}), fileName: path.basename(resolved) });
    return { type: 'user.sendMedia' as const, media };
  } catch (error) {
    const reason = error instanceof DocumentCleaningUnavailableError ? ('notProcessed' as const) : ('downloadFailed' as const);
    return { type: 'user.sendUnavailableMedia' as const, kind: 'document' as const, reason };
  }
}
