/**
 * WhatsApp as a channel, the pure half: what an incoming message is (an event, a file to fetch, or nothing for
 * Netra), and how an outbound message looks on WhatsApp (numbered choices, *bold*, long texts split, files as
 * documents). It maps structure only; a typed "2" becomes a choice in the router, not here.
 */
import type { Locale } from '../../../content/locales/index.ts';
import type { MediaKind, OutboundMessage, TextRef, UnstampedUserEvent } from '../../../flows/messages.ts';
import { splitText, toWhatsAppText, type Renderer } from '../../i18n.ts';
import { channelText, type ChannelTexts } from '../channelTexts.ts';
import type { WhatsAppMessageLike } from './whatsappClient.ts';

/** Why an incoming message is not for Netra. */
export type IgnoreReason = 'own' | 'group' | 'status' | 'broadcast' | 'otherSender' | 'system' | 'empty';

/** What an incoming message means structurally. */
export type WhatsAppInbound =
  | { type: 'ignore'; reason: IgnoreReason }
  | { type: 'event'; event: UnstampedUserEvent }
  /** A file the channel must download and store before the turn. */
  | { type: 'media'; kind: MediaKind; caption?: string };

/** One thing to send: a text, or a file (path relative to the data directory). */
export type WhatsAppPart =
  | { type: 'text'; text: string }
  | { type: 'file'; path: string; fileName?: string; caption?: string; asDocument: boolean };

/** The incoming fields the mapping reads (a whatsapp-web.js `Message` fits). */
export type WhatsAppMessageFields = Pick<
  WhatsAppMessageLike,
  'from' | 'fromMe' | 'type' | 'body' | 'hasMedia' | 'isStatus' | 'broadcast' | 'isGif' | 'location' | 'vCards'
>;

/**
 * A readable message size. WhatsApp accepts ~65,000 characters, but a wall of text that long is unreadable on a
 * phone; lessons split into several messages instead.
 */
export const WHATSAPP_TEXT_LIMIT = 4_000;
/** WhatsApp shows captions of about this length in full; a longer caption goes out as its own text. */
export const WHATSAPP_CAPTION_LIMIT = 1_000;

const mediaKinds: Record<string, MediaKind> = {
  image: 'photo',
  video: 'video',
  document: 'document',
  ptt: 'voice',
  audio: 'audio',
};

/** whatsapp-web.js types that are protocol or system events, not something a person sent. */
const systemTypes = new Set([
  'revoked',
  'ciphertext',
  'e2e_notification',
  'notification',
  'notification_template',
  'gp2',
  'group_notification',
  'broadcast_notification',
  'call_log',
  'protocol',
  'reaction',
  'debug',
  // An album is a header; each of its photos arrives as a message of its own.
  'album',
]);

/** Maps one incoming message. Only one-to-one chats (`@c.us`, `@lid`) are for Netra. */
export function toInboundEvent(message: WhatsAppMessageFields): WhatsAppInbound {
  if (message.fromMe) return { type: 'ignore', reason: 'own' };
  if (message.isStatus || message.from === 'status@broadcast') return { type: 'ignore', reason: 'status' };
  if (message.from.endsWith('@g.us')) return { type: 'ignore', reason: 'group' };
  if (message.broadcast || message.from.endsWith('@broadcast')) return { type: 'ignore', reason: 'broadcast' };
  if (!/@(c\.us|lid)$/.test(message.from)) return { type: 'ignore', reason: 'otherSender' };
  if (systemTypes.has(message.type)) return { type: 'ignore', reason: 'system' };

  const caption = message.body.trim();
  const kind = mediaKinds[message.type];
  if (kind) {
    const actual: MediaKind = kind === 'video' && message.isGif ? 'animation' : kind;
    if (!message.hasMedia) return { type: 'event', event: { type: 'user.sendUnavailableMedia', kind: actual, reason: 'downloadFailed' } };
    return { type: 'media', kind: actual, ...(caption ? { caption } : {}) };
  }
  switch (message.type) {
    case 'chat':
      return textEvent(message.body);
    case 'location': {
      const latitude = Number(message.location?.latitude);
      const longitude = Number(message.location?.longitude);
      if (!inRange(latitude, 90) || !inRange(longitude, 180)) return unsupported('location');
      return { type: 'event', event: { type: 'user.sendLocation', latitude, longitude } };
    }
    case 'vcard': {
      const contact = parseVCard(message.vCards?.[0] ?? message.body);
      return contact ? { type: 'event', event: { type: 'user.sendContact', ...contact } } : unsupported('contact');
    }
    default:
      return unsupported(message.type || 'unknown');
  }
}

function textEvent(body: string): WhatsAppInbound {
  const text = body.replace(/\r\n?/g, '\n');
  if (text.trim() === '') return { type: 'ignore', reason: 'empty' };
  // Slash commands work as on Telegram for people who know them; keywords (`menu`, `batal`) go to the router.
  const command = /^\/([A-Za-z_]+)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (command) {
    return {
      type: 'event',
      event: { type: 'user.sendCommand', name: (command[1] ?? '').toLowerCase(), args: (command[2] ?? '').trim() },
    };
  }
  return { type: 'event', event: { type: 'user.sendText', text } };
}

function unsupported(what: string): WhatsAppInbound {
  return { type: 'event', event: { type: 'user.sendUnsupported', what: what.slice(0, 32) } };
}

function inRange(value: number, limit: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= limit;
}

/** The first phone number (and formatted name) of a vCard. */
export function parseVCard(vcard: string | undefined): { phone: string; name?: string } | undefined {
  if (!vcard) return undefined;
  const lines = vcard.replace(/\r\n[ \t]/g, '').split(/\r?\n/);
  const value = (prefix: RegExp) => {
    const line = lines.find((l) => prefix.test(l));
    return line ? line.slice(line.indexOf(':') + 1).trim() : undefined;
  };
  // A WhatsApp vCard carries the number both as text and in `waid=`; the text keeps the user's formatting.
  const phone = value(/^(item\d+\.)?TEL[;:]/i);
  if (!phone) return undefined;
  const name = value(/^FN[;:]/i);
  return { phone: phone.slice(0, 40), ...(name ? { name: name.slice(0, 120) } : {}) };
}

/**
 * Texts whose channel-neutral wording (buttons, slash commands) reads better as keywords on WhatsApp. Used only
 * when the WhatsApp key exists, so a missing translation falls back to the shared text.
 */
const whatsappTexts: ChannelTexts = {
  'common.help': 'whatsapp.help',
  'common.notUnderstood': 'whatsapp.notUnderstood',
  'common.unknownCommand': 'whatsapp.unknownCommand',
  'common.languageChanged': 'whatsapp.languageChanged',
  'common.languageAlready': 'whatsapp.languageAlready',
  'common.languageUnknown': 'whatsapp.languageUnknown',
  'menu.help': 'whatsapp.menuHelp',
  // Location pins and contact cards work on WhatsApp too; the shared texts name Telegram's menus.
  'report.help.askingPlaceDetail': 'whatsapp.placeDetailHelp',
  'report.help.askingReporterPhone': 'whatsapp.reporterPhoneHelp',
  'learn.intro': 'whatsapp.learnIntro',
  // WhatsApp shows no buttons: choices are numbered lines.
  'learn.listHelp': 'whatsapp.learnListHelp',
  'learn.help': 'whatsapp.learnHelp',
  'learn.typed': 'whatsapp.learnTyped',
  'quiz.intro': 'whatsapp.quizIntro',
  'quiz.introTopic': 'whatsapp.quizIntroTopic',
  'quiz.answerHint': 'whatsapp.quizAnswerHint',
  'quiz.help': 'whatsapp.quizHelp',
  'report.errors.useChoices': 'whatsapp.useChoices',
  'report.help.choosingCategory': 'whatsapp.choosingCategoryHelp',
  'report.category.guess': 'whatsapp.categoryGuess',
  'report.category.guessOne': 'whatsapp.categoryGuessOne',
};

function forWhatsApp(ref: TextRef, renderer: Renderer, locale: Locale): TextRef {
  return channelText(whatsappTexts, ref, renderer, locale);
}

/** Renders one outbound message as the WhatsApp messages to send, in order. */
export function renderOutbound(
  message: OutboundMessage,
  renderer: Renderer,
  locale: Locale,
  limit: number = WHATSAPP_TEXT_LIMIT,
): WhatsAppPart[] {
  if (message.type === 'text') {
    const rendered = renderer.message({ ...message, text: forWhatsApp(message.text, renderer, locale) }, locale);
    let html = rendered.text;
    if (rendered.choices.length > 0) {
      const lines = rendered.choices.map((c, i) => `${i + 1}. ${c.label}`);
      // Under a question that wants a typed date or name, numbers are the alternative, not the only answer.
      const hint =
        rendered.choices.length === 1
          ? renderer.text({ key: 'whatsapp.choiceHintOne' }, locale)
          : renderer.text({ key: message.typed ? 'whatsapp.choiceHintTyped' : 'common.choiceHint', params: { first: 1, last: rendered.choices.length } }, locale);
      html = `${html}\n\n${lines.join('\n')}\n\n<i>${hint}</i>`;
    }
    return splitText(html, limit).map((part) => ({ type: 'text', text: toWhatsAppText(part) }));
  }
  const caption = message.caption ? toWhatsAppText(renderer.text(forWhatsApp(message.caption, renderer, locale), locale)) : '';
  const file: WhatsAppPart = {
    type: 'file',
    path: message.path,
    asDocument: message.type === 'document',
    ...(message.type === 'document' ? { fileName: message.fileName } : {}),
    ...(caption && caption.length <= WHATSAPP_CAPTION_LIMIT ? { caption } : {}),
  };
  if (caption.length <= WHATSAPP_CAPTION_LIMIT) return [file];
  return [file, ...splitText(caption, limit).map((text) => ({ type: 'text' as const, text }))];
}

/**
 * Joins a turn's consecutive texts into as few messages as fit the limit: fewer messages means less waiting under
 * the throttle and a lower risk of WhatsApp flagging the number for bursts. Files keep their place.
 */
export function mergeTexts(parts: WhatsAppPart[], limit: number = WHATSAPP_TEXT_LIMIT): WhatsAppPart[] {
  const merged: WhatsAppPart[] = [];
  for (const part of parts) {
    const last = merged.at(-1);
    if (part.type === 'text' && last?.type === 'text' && last.text.length + 2 + part.text.length <= limit) {
      merged[merged.length - 1] = { type: 'text', text: `${last.text}\n\n${part.text}` };
    } else {
      merged.push(part);
    }
  }
  return merged;
}
