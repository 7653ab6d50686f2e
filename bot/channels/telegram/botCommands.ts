/**
 * The command menu Telegram shows in private chats: Indonesian by default, English for users whose Telegram is in
 * English (with the English aliases the router also accepts). Descriptions come from `telegram.commands.*`.
 */
import type { BotCommand } from 'telegraf/types';
import type { Locale } from '../../../content/locales/index.ts';
import { toPlainText, type Renderer } from '../../i18n.ts';

/** Each entry: its description key under `telegram.commands`, and the command in each language. */
const entries: Array<{ role: string; id: string; en: string }> = [
  { role: 'start', id: 'start', en: 'start' },
  { role: 'report', id: 'lapor', en: 'report' },
  { role: 'quiz', id: 'kuis', en: 'quiz' },
  { role: 'learn', id: 'belajar', en: 'learn' },
  { role: 'status', id: 'status', en: 'status' },
  { role: 'reply', id: 'jawab', en: 'answer' },
  { role: 'verify', id: 'verifikasi', en: 'verify' },
  { role: 'certificate', id: 'sertifikat', en: 'certificate' },
  { role: 'language', id: 'bahasa', en: 'language' },
  { role: 'cancel', id: 'batal', en: 'cancel' },
  { role: 'help', id: 'bantuan', en: 'help' },
  { role: 'privacy', id: 'privasi', en: 'privacy' },
];

/** The command list for one language. */
export function botCommands(renderer: Renderer, locale: Locale): BotCommand[] {
  return entries.map((entry) => ({
    command: entry[locale],
    description: toPlainText(renderer.text({ key: `telegram.commands.${entry.role}` }, locale)),
  }));
}
