/**
 * The terminal as a channel: one line in = one message, replies as plain text with numbered choices. Pure
 * mapping only; the loop lives in terminalChat.ts.
 */
import path from 'node:path';
import type { Locale } from '../../../content/locales/index.ts';
import type { OutboundMessage, UnstampedUserEvent } from '../../../flows/messages.ts';
import { toPlainText, type Renderer } from '../../i18n.ts';

/** What a typed line means structurally: a command, a file to attach, text, or nothing. */
export type TerminalInput =
  | { type: 'event'; event: UnstampedUserEvent }
  | { type: 'file'; path: string }
  | { type: 'empty' };

/** Maps one typed line. `/file <path>` attaches a local file (evidence). */
export function toInboundEvent(line: string): TerminalInput {
  const text = line.replace(/\r$/, '');
  if (text.trim() === '') return { type: 'empty' };
  const command = /^\/([A-Za-z_]+)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (command) {
    const name = (command[1] ?? '').toLowerCase();
    const args = (command[2] ?? '').trim();
    if (name === 'file') return args ? { type: 'file', path: args } : { type: 'event', event: { type: 'user.sendCommand', name, args } };
    return { type: 'event', event: { type: 'user.sendCommand', name, args } };
  }
  return { type: 'event', event: { type: 'user.sendText', text } };
}

/**
 * Renders one outbound message as terminal lines. A file is shown where it is on disk (`dataDir` joined with its
 * stored path), under the name a chat app would give it.
 */
export function renderOutbound(message: OutboundMessage, renderer: Renderer, locale: Locale, dataDir?: string): string {
  const rendered = renderer.message(message, locale);
  const lines: string[] = [];
  if (message.type === 'document' || message.type === 'photo') {
    const where = dataDir ? path.resolve(dataDir, message.path) : message.path;
    lines.push(`📎 ${message.type === 'document' ? message.fileName : 'photo'}: ${where}`);
  }
  if (rendered.text) lines.push(toPlainText(rendered.text));
  rendered.choices.forEach((c, i) => lines.push(`  ${i + 1}. ${toPlainText(c.label)}`));
  return lines.join('\n');
}
