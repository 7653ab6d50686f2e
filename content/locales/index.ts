/**
 * Every user-facing text, in Indonesian (first) and English. One JSON file per area; each file's name is the
 * first segment of its keys (`report.json` holds `report.*`). Add a new area here, in both locales.
 */
import enCommon from './en/common.json' with { type: 'json' };
import enLearn from './en/learn.json' with { type: 'json' };
import enMenu from './en/menu.json' with { type: 'json' };
import enOfficer from './en/officer.json' with { type: 'json' };
import enQuiz from './en/quiz.json' with { type: 'json' };
import enReport from './en/report.json' with { type: 'json' };
import enStatus from './en/status.json' with { type: 'json' };
import enTelegram from './en/telegram.json' with { type: 'json' };
import enTerminal from './en/terminal.json' with { type: 'json' };
import enVerify from './en/verify.json' with { type: 'json' };
import enWhatsApp from './en/whatsapp.json' with { type: 'json' };
import idCommon from './id/common.json' with { type: 'json' };
import idLearn from './id/learn.json' with { type: 'json' };
import idMenu from './id/menu.json' with { type: 'json' };
import idOfficer from './id/officer.json' with { type: 'json' };
import idQuiz from './id/quiz.json' with { type: 'json' };
import idReport from './id/report.json' with { type: 'json' };
import idStatus from './id/status.json' with { type: 'json' };
import idTelegram from './id/telegram.json' with { type: 'json' };
import idTerminal from './id/terminal.json' with { type: 'json' };
import idVerify from './id/verify.json' with { type: 'json' };
import idWhatsApp from './id/whatsapp.json' with { type: 'json' };

export const locales = ['id', 'en'] as const;
export type Locale = (typeof locales)[number];

/** A locale's texts as nested objects, keyed by area. */
export type LocaleTexts = Record<string, unknown>;

export const resources: Record<Locale, LocaleTexts> = {
  id: { common: idCommon, report: idReport, status: idStatus, menu: idMenu, officer: idOfficer, quiz: idQuiz, learn: idLearn, verify: idVerify, whatsapp: idWhatsApp, telegram: idTelegram, terminal: idTerminal },
  en: { common: enCommon, report: enReport, status: enStatus, menu: enMenu, officer: enOfficer, quiz: enQuiz, learn: enLearn, verify: enVerify, whatsapp: enWhatsApp, telegram: enTelegram, terminal: enTerminal },
};
