/**
 * The terminal as a channel: one line in = one message, replies as plain text with numbered choices. Pure
 * mapping only; the loop lives in terminalChat.ts.
 */
import path from 'node:path';
import type { Locale } from '../../../content/locales/index.ts';
import type { OutboundMessage, TextRef, UnstampedUserEvent } from '../../../flows/messages.ts';
import { toPlainText, type Renderer } from '../../i18n.ts';
import { channelText, type ChannelTexts } from '../channelTexts.ts';

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
 * Texts whose shared wording tells the user to press a button (Telegram's), said as the terminal has it: its choices
 * are numbered lines, answered by typing the number. Used only when the terminal key exists, so a missing translation
 * falls back to the shared text (as WhatsApp's texts do, see whatsappAdapter.ts).
 */
const terminalTexts: ChannelTexts = {
  'menu.help': 'terminal.menuHelp',
  'learn.intro': 'terminal.learnIntro',
  'learn.help': 'terminal.learnHelp',
  'learn.listHelp': 'terminal.learnListHelp',
  'learn.typed': 'terminal.learnTyped',
  'quiz.intro': 'terminal.quizIntro',
  'quiz.introTopic': 'terminal.quizIntroTopic',
  'quiz.answerHint': 'terminal.quizAnswerHint',
  'quiz.help': 'terminal.quizHelp',
  'report.category.guess': 'terminal.categoryGuess',
  'report.category.guessOne': 'terminal.categoryGuessOne',
  'report.errors.useChoices': 'terminal.useChoices',
  'report.help.choosingCategory': 'terminal.choosingCategoryHelp',
  // The shared text points to Telegram's attachment button for a location pin, which the terminal cannot send.
  'report.help.askingPlaceDetail': 'terminal.placeDetailHelp',
};

function forTerminal(ref: TextRef, renderer: Renderer, locale: Locale): TextRef {
  return channelText(terminalTexts, ref, renderer, locale);
}

/**
 * Renders one outbound message as terminal lines. A file is shown where it is on disk (`dataDir` joined with its
 * stored path), under the name a chat app would give it.
 */
export function renderOutbound(message: OutboundMessage, renderer: Renderer, locale: Locale, dataDir?: string): string {
  const local: OutboundMessage =
    message.type === 'text'
      ? { ...message, text: forTerminal(message.text, renderer, locale) }
      : message.caption
        ? { ...message, caption: forTerminal(message.caption, renderer, locale) }
        : message;
  const rendered = renderer.message(local, locale);
  const lines: string[] = [];
  if (message.type === 'document' || message.type === 'photo') {
    const where = dataDir ? path.resolve(dataDir, message.path) : message.path;
    lines.push(`📎 ${message.type === 'document' ? message.fileName : 'photo'}: ${where}`);
  }
  if (rendered.text) lines.push(toPlainText(rendered.text));
  rendered.choices.forEach((c, i) => lines.push(`  ${i + 1}. ${toPlainText(c.label)}`));
  return lines.join('\n');
}
