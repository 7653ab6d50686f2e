/**
 * Telegram as a channel, the pure part: `toInboundEvent` maps a raw Bot API update to what it structurally is
 * (a text, a command, a file to fetch, a button press, something to ignore), and `renderOutbound` maps a
 * channel-neutral message to Bot API calls (HTML parse mode, texts split at 4,096 characters, choices as an inline
 * keyboard, long lists paginated). Meaning is the flows' job: a typed "2" stays a text here.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity, Update, User } from 'telegraf/types';
import type { Locale } from '../../../content/locales/index.ts';
import type { MediaKind, OutboundMessage, UnstampedUserEvent } from '../../../flows/messages.ts';
import { splitText, toPlainText, type Renderer } from '../../i18n.ts';
import { promptTag } from '../../conversation/promptTag.ts';
import { choiceData, noopData, pageData, parseCallbackData, type CallbackData } from './callbackData.ts';

/** Telegram's limit on a message text, in characters. */
export const MAX_TEXT = 4096;
/** Telegram's limit on a caption, in characters. */
export const MAX_CAPTION = 1024;
/** Choices per keyboard page; longer lists get previous/next buttons. */
export const DEFAULT_PAGE_SIZE = 8;

/** The chat an update belongs to. */
export interface TelegramChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
}

/** A file a user sent, before it is downloaded. */
export interface IncomingTelegramFile {
  fileId: string;
  /** Size Telegram declares, when it does. */
  fileSize?: number;
  kind: MediaKind;
  mime?: string;
  fileName?: string;
  caption?: string;
}

/** The bot message whose inline button was pressed, as far as the update shows it. */
export interface PressedMessage {
  messageId: number;
  /** Its text as Telegram shows it (markup removed), when it is a text message still accessible. */
  text?: string;
  entities?: MessageEntity[];
  keyboard?: InlineKeyboardButton[][];
}

/** What an update is. */
export type TelegramInbound =
  | { type: 'event'; chat: TelegramChat; from?: User; messageId: number; event: UnstampedUserEvent }
  | { type: 'file'; chat: TelegramChat; from?: User; messageId: number; file: IncomingTelegramFile }
  | {
      type: 'callback';
      chat: TelegramChat;
      from: User;
      queryId: string;
      data: CallbackData;
      rawData: string;
      message: PressedMessage;
    }
  /** A user edited an earlier message: not processed (answers already depend on the original). */
  | { type: 'edited'; chat: TelegramChat }
  /** The bot's or a member's status in a chat changed (e.g. the bot was added to a group). */
  | { type: 'membership'; chat: TelegramChat }
  | { type: 'ignored'; reason: 'channelPost' | 'otherBot' | 'service' | 'unknown'; chat?: TelegramChat };

/** What the adapter needs to know about the bot. */
export interface AdapterOptions {
  /** The bot's username: `/cmd@OtherBot` is not for us. */
  botUsername?: string;
}

/** The fields of a Bot API message the adapter reads (telegraf's union types, flattened). */
interface RawMessage {
  message_id: number;
  chat: { id: number; type: string };
  from?: User;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  photo?: Array<{ file_id: string; file_size?: number; width: number; height: number }>;
  document?: RawFile & { file_name?: string };
  animation?: RawFile & { file_name?: string };
  video?: RawFile & { file_name?: string };
  video_note?: RawFile;
  voice?: RawFile;
  audio?: RawFile & { file_name?: string };
  location?: { latitude: number; longitude: number };
  contact?: { phone_number: string; first_name?: string; last_name?: string };
  reply_markup?: { inline_keyboard?: InlineKeyboardButton[][] };
  date?: number;
  [key: string]: unknown;
}

interface RawFile {
  file_id: string;
  file_size?: number;
  mime_type?: string;
}

/** Content a user can send that no flow can use. */
const unsupportedContent = ['sticker', 'poll', 'dice', 'game', 'story', 'paid_media', 'invoice'] as const;

const commandPattern = /^\/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+([\s\S]*))?$/;

/** Replaces lone UTF-16 surrogates (which PostgreSQL's jsonb refuses) with U+FFFD, so a malformed text is just odd. */
function wellFormed(text: string): string {
  return text.replace(/\p{Cs}/gu, '\uFFFD');
}

/** Maps one update. Never throws on odd input: what it cannot place is `ignored`. */
export function toInboundEvent(update: Update, options: AdapterOptions = {}): TelegramInbound {
  const raw = update as unknown as Record<string, unknown>;
  if (raw.message) return fromMessage(raw.message as RawMessage, options);
  if (raw.callback_query) return fromCallback(raw.callback_query as RawCallback);
  if (raw.edited_message) return { type: 'edited', chat: chatOf((raw.edited_message as RawMessage).chat) };
  if (raw.channel_post || raw.edited_channel_post) {
    return { type: 'ignored', reason: 'channelPost', chat: chatOf(((raw.channel_post ?? raw.edited_channel_post) as RawMessage).chat) };
  }
  const member = (raw.my_chat_member ?? raw.chat_member) as { chat?: RawMessage['chat'] } | undefined;
  if (member?.chat) return { type: 'membership', chat: chatOf(member.chat) };
  return { type: 'ignored', reason: 'unknown' };
}

function chatOf(chat: RawMessage['chat']): TelegramChat {
  const type = chat.type === 'group' || chat.type === 'supergroup' || chat.type === 'channel' ? chat.type : 'private';
  return { id: chat.id, type };
}

function fromMessage(message: RawMessage, options: AdapterOptions): TelegramInbound {
  const chat = chatOf(message.chat);
  const base = { chat, messageId: message.message_id, ...(message.from ? { from: message.from } : {}) };
  const event = (e: UnstampedUserEvent): TelegramInbound => ({ type: 'event', ...base, event: e });
  const file = (f: IncomingTelegramFile): TelegramInbound => ({ type: 'file', ...base, file: f });
  const caption = message.caption ? { caption: wellFormed(message.caption) } : {};

  if (typeof message.text === 'string') {
    const text = wellFormed(message.text);
    const command = commandPattern.exec(text);
    if (command) {
      const [, name = '', mention, args = ''] = command;
      if (mention && options.botUsername && mention.toLowerCase() !== options.botUsername.toLowerCase()) {
        return { type: 'ignored', reason: 'otherBot', chat };
      }
      return event({ type: 'user.sendCommand', name: name.toLowerCase(), args: args.trim() });
    }
    return event({ type: 'user.sendText', text });
  }
  if (message.photo && message.photo.length > 0) {
    const largest = largestPhoto(message.photo);
    return file({ fileId: largest.file_id, ...size(largest.file_size), kind: 'photo', mime: 'image/jpeg', ...caption });
  }
  // An animation also carries a `document`; it must be recognised first.
  if (message.animation) return file(describeFile(message.animation, 'animation', caption));
  if (message.video) return file(describeFile(message.video, 'video', caption));
  if (message.video_note) return file(describeFile({ mime_type: 'video/mp4', ...message.video_note }, 'video', caption));
  if (message.voice) return file(describeFile({ mime_type: 'audio/ogg', ...message.voice }, 'voice', caption));
  if (message.audio) return file(describeFile(message.audio, 'audio', caption));
  if (message.document) return file(describeFile(message.document, 'document', caption));
  if (message.location) {
    return event({ type: 'user.sendLocation', latitude: message.location.latitude, longitude: message.location.longitude });
  }
  if (message.contact) {
    const name = wellFormed([message.contact.first_name, message.contact.last_name].filter(Boolean).join(' '));
    return event({ type: 'user.sendContact', phone: message.contact.phone_number, ...(name ? { name } : {}) });
  }
  const unsupported = unsupportedContent.find((key) => message[key] !== undefined);
  if (unsupported) return event({ type: 'user.sendUnsupported', what: unsupported });
  // Service messages (a pinned message, a member joining, an auto-delete timer) are nobody's answer.
  return { type: 'ignored', reason: 'service', chat };
}

function largestPhoto<T extends { file_size?: number; width: number; height: number }>(sizes: T[]): T {
  // Telegram lists sizes smallest first; compare anyway, as the order is not a documented promise.
  return sizes.reduce((best, p) => {
    const area = (x: T) => x.file_size ?? x.width * x.height;
    return area(p) >= area(best) ? p : best;
  });
}

function size(fileSize: number | undefined): { fileSize?: number } {
  return fileSize === undefined ? {} : { fileSize };
}

function describeFile(
  raw: RawFile & { file_name?: string },
  kind: MediaKind,
  caption: { caption?: string },
): IncomingTelegramFile {
  return {
    fileId: raw.file_id,
    ...size(raw.file_size),
    kind,
    ...(raw.mime_type ? { mime: raw.mime_type } : {}),
    ...(raw.file_name ? { fileName: wellFormed(raw.file_name) } : {}),
    ...caption,
  };
}

interface RawCallback {
  id: string;
  from: User;
  data?: string;
  message?: RawMessage;
}

function fromCallback(query: RawCallback): TelegramInbound {
  // Inline-mode buttons have no message and no chat: Netra sends none, so such a press is not ours.
  if (!query.message?.chat) return { type: 'ignored', reason: 'unknown' };
  const message = query.message;
  const accessible = message.date !== 0;
  const rawData = typeof query.data === 'string' ? query.data : '';
  return {
    type: 'callback',
    chat: chatOf(message.chat),
    from: query.from,
    queryId: query.id,
    data: parseCallbackData(rawData),
    rawData,
    message: {
      messageId: message.message_id,
      ...(accessible && typeof message.text === 'string' ? { text: message.text } : {}),
      ...(accessible && message.entities ? { entities: message.entities } : {}),
      ...(accessible && message.reply_markup?.inline_keyboard ? { keyboard: message.reply_markup.inline_keyboard } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Outbound

/** One Bot API call that delivers (part of) a message; the wiring adds parse mode and the chat. */
export type TelegramCall =
  | { method: 'sendMessage'; text: string; keyboard?: InlineKeyboardMarkup }
  | { method: 'sendDocument'; path: string; fileName: string; caption?: string }
  | { method: 'sendPhoto'; path: string; caption?: string };

/** How to render choices. */
export interface RenderOptions {
  /** Page of a long choice list to show (0-based). */
  page?: number;
  pageSize?: number;
  /** Callback prefix of the choice buttons (`c` by default; a module's own prefix such as `o` for officers). */
  choicePrefix?: string;
  /** The tag of the question the choices belong to (see `promptTag`), carried by every choice button. */
  promptTag?: string;
}

/**
 * Renders one message as Bot API calls. Texts are HTML (the renderer escapes every parameter); a text longer than
 * Telegram allows is split with its markup balanced in each part, the keyboard on the last part.
 */
export function renderOutbound(
  message: OutboundMessage,
  renderer: Renderer,
  locale: Locale,
  options: RenderOptions = {},
): TelegramCall[] {
  const rendered = renderer.message(message, locale);
  if (message.type === 'text') {
    // A question's buttons name it, so a press on them once another question is on screen is known to be stale.
    const tag = options.choicePrefix === undefined ? promptTag(message) : undefined;
    const board =
      rendered.choices.length > 0
        ? choiceKeyboard(rendered.choices, renderer, locale, tag === undefined ? options : { ...options, promptTag: tag })
        : undefined;
    const listed = board?.listing ? `${rendered.text}\n\n${board.listing}` : rendered.text;
    const text = board?.hint ? `${listed}\n\n<i>${board.hint}</i>` : listed;
    const parts = splitHtml(text, MAX_TEXT);
    return parts.map((part, index) => ({
      method: 'sendMessage' as const,
      text: part,
      ...(board && index === parts.length - 1 ? { keyboard: board.markup } : {}),
    }));
  }
  const caption = rendered.text;
  // Telegram counts a caption's length after parsing its markup.
  const fits = toPlainText(caption).length <= MAX_CAPTION;
  const file: TelegramCall =
    message.type === 'document'
      ? { method: 'sendDocument', path: message.path, fileName: message.fileName, ...(caption && fits ? { caption } : {}) }
      : { method: 'sendPhoto', path: message.path, ...(caption && fits ? { caption } : {}) };
  if (!caption || fits) return [file];
  return [file, ...splitHtml(caption, MAX_TEXT).map((text) => ({ method: 'sendMessage' as const, text }))];
}

/**
 * Joins each text without buttons into the text that follows it, as long as the two fit one message: an
 * acknowledgement and the next question, or a score and what to do next, arrive as one message instead of a burst.
 * A text with buttons ends a message (its buttons belong under it); files keep their place. Fewer messages also
 * means fewer Bot API calls against Telegram's rate limits, and fewer notifications on the user's phone.
 */
export function joinTexts(calls: TelegramCall[], limit: number = MAX_TEXT): TelegramCall[] {
  const joined: TelegramCall[] = [];
  for (const call of calls) {
    const last = joined.at(-1);
    if (call.method === 'sendMessage' && last?.method === 'sendMessage' && !last.keyboard && last.text.length + 2 + call.text.length <= limit) {
      joined[joined.length - 1] = { ...call, text: `${last.text}\n\n${call.text}` };
    } else {
      joined.push(call);
    }
  }
  return joined;
}

/** An inline keyboard for one page of choices, and the typed-number hint when the list is paginated. */
export interface ChoiceKeyboard {
  markup: InlineKeyboardMarkup;
  pages: number;
  page: number;
  hint?: string;
  /** Numbered labels to show in the text when they are too long for buttons (the buttons then carry numbers). */
  listing?: string;
}

/** Longer labels are cut on phones; such choices are listed in the text and answered with number buttons. */
const LONGEST_BUTTON_LABEL = 40;

/**
 * Lays out choices as buttons: short labels two to a row, others one per row. A list longer than a page is
 * numbered (so a typed number works too) and gets previous/next buttons with a page indicator.
 */
export function choiceKeyboard(
  choices: Array<{ value: string; label: string }>,
  renderer: Renderer,
  locale: Locale,
  options: RenderOptions = {},
): ChoiceKeyboard {
  const pageSize = Math.max(1, options.pageSize ?? DEFAULT_PAGE_SIZE);
  const pages = Math.max(1, Math.ceil(choices.length / pageSize));
  const page = Math.min(Math.max(0, options.page ?? 0), pages - 1);
  const paginated = pages > 1;
  const first = page * pageSize;
  const buttons = choices.slice(first, first + pageSize).map((choice, offset) => {
    const index = first + offset;
    const label = buttonText(toPlainText(choice.label));
    return {
      text: paginated ? `${index + 1}. ${label}` : label,
      callback_data: choiceData(choice.value, index, options.choicePrefix, options.promptTag),
    };
  });
  const labels = choices.map((c) => toPlainText(c.label).replace(/\s+/g, ' ').trim());
  if (!paginated && labels.some((l) => l.length > LONGEST_BUTTON_LABEL)) {
    const numbered = buttons.map((b, i) => ({ ...b, text: String(i + 1) }));
    const rows: InlineKeyboardButton[][] = [];
    for (let i = 0; i < numbered.length; i += 5) rows.push(numbered.slice(i, i + 5));
    const listing = choices.map((c, i) => `<b>${i + 1}.</b> ${c.label}`).join('\n');
    return { markup: { inline_keyboard: rows }, pages, page, listing };
  }
  const short = !paginated && buttons.length >= 2 && buttons.every((b) => b.text.length <= 14);
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += short ? 2 : 1) rows.push(buttons.slice(i, i + (short ? 2 : 1)));
  if (!paginated) return { markup: { inline_keyboard: rows }, pages, page };

  const nav: InlineKeyboardButton[] = [];
  if (page > 0) nav.push({ text: `◀ ${toPlainText(renderer.text({ key: 'common.previous' }, locale))}`, callback_data: pageData(page - 1) });
  nav.push({ text: `${page + 1}/${pages}`, callback_data: noopData });
  if (page < pages - 1) nav.push({ text: `${toPlainText(renderer.text({ key: 'common.next' }, locale))} ▶`, callback_data: pageData(page + 1) });
  rows.push(nav);
  const hint = renderer.text({ key: 'common.choiceHint', params: { first: 1, last: choices.length } }, locale);
  return { markup: { inline_keyboard: rows }, pages, page, hint };
}

function buttonText(label: string): string {
  const single = label.replace(/\s+/g, ' ').trim();
  return single.length <= 60 ? single : `${single.slice(0, 59)}…`;
}

/**
 * The pressed message after a choice: its text with a line saying what was chosen (in italics), then the flow's
 * comment on that answer when there is one (`feedback`, as text and entities from `htmlToEntities`), its formatting
 * kept through its entities and its keyboard gone. Undefined when the message cannot be edited that way (not a
 * text, no longer accessible, the button unknown, or the result too long).
 */
export function chosenEdit(
  pressed: PressedMessage,
  rawData: string,
  line: (label: string) => string,
  feedback?: FormattedText,
): { text: string; entities: MessageEntity[] } | undefined {
  if (pressed.text === undefined) return undefined;
  const button = pressed.keyboard?.flat().find((b) => 'callback_data' in b && b.callback_data === rawData);
  if (!button) return undefined;
  const chosen = line(button.text.replace(/^\d+\.\s+/, ''));
  let text = `${pressed.text}\n\n${chosen}`;
  const entities: MessageEntity[] = [...(pressed.entities ?? []), { type: 'italic', offset: pressed.text.length + 2, length: chosen.length }];
  if (feedback) {
    const offset = text.length + 2;
    text = `${text}\n\n${feedback.text}`;
    entities.push(...feedback.entities.map((entity) => ({ ...entity, offset: entity.offset + offset })));
  }
  if (text.length > MAX_TEXT) return undefined;
  return { text, entities };
}

/** A text with its formatting as Bot API entities (offsets and lengths in UTF-16 code units, as in JavaScript). */
export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

const simpleEntity = { b: 'bold', i: 'italic', u: 'underline', s: 'strikethrough', code: 'code', pre: 'pre' } as const;
const markupPattern = /<(\/?)(b|i|u|s|code|pre)>|<a href="([^"]*)">|<\/a>|&(lt|gt|amp|quot);/g;
const htmlEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/**
 * Rendered HTML (the tags and escapes the renderer produces) as text and entities, for edits that keep the pressed
 * message's own formatting through its entities. An unbalanced closing tag is dropped.
 */
export function htmlToEntities(html: string): FormattedText {
  let text = '';
  const entities: MessageEntity[] = [];
  const open: Array<{ tag: string; offset: number; url?: string }> = [];
  let last = 0;
  for (const match of html.matchAll(markupPattern)) {
    text += html.slice(last, match.index);
    last = match.index + match[0].length;
    const [whole, closing, tag, url, escaped] = match;
    if (escaped) {
      text += htmlEntities[escaped];
    } else if (url !== undefined) {
      open.push({ tag: 'a', offset: text.length, url: url.replace(/&(lt|gt|amp|quot);/g, (_m, e: string) => htmlEntities[e] ?? '') });
    } else {
      const name = whole === '</a>' ? 'a' : (tag ?? '');
      if (!closing && whole !== '</a>') {
        open.push({ tag: name, offset: text.length });
        continue;
      }
      const at = open.map((o) => o.tag).lastIndexOf(name);
      if (at < 0) continue;
      const [started] = open.splice(at, 1);
      if (!started || text.length === started.offset) continue;
      const length = text.length - started.offset;
      entities.push(
        name === 'a'
          ? { type: 'text_link', offset: started.offset, length, url: started.url ?? '' }
          : { type: simpleEntity[name as keyof typeof simpleEntity], offset: started.offset, length },
      );
    }
  }
  text += html.slice(last);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

const tagPattern = /<(\/?)(b|i|u|s|code|pre)>/g;

/**
 * Splits HTML so each part fits `limit`, closing the tags still open at the end of a part and opening them again
 * at the start of the next, so every part parses on its own.
 */
export function splitHtml(html: string, limit: number): string[] {
  if (html.length <= limit) return [html];
  // Leave room for the tags added at each cut.
  const parts = splitText(html, limit - 48);
  const out: string[] = [];
  let carried: string[] = [];
  for (const part of parts) {
    const open = [...carried];
    for (const match of part.matchAll(tagPattern)) {
      const [, closing, tag = ''] = match;
      if (closing) {
        const at = open.lastIndexOf(tag);
        if (at >= 0) open.splice(at, 1);
      } else {
        open.push(tag);
      }
    }
    const prefix = carried.map((t) => `<${t}>`).join('');
    const suffix = [...open].reverse().map((t) => `</${t}>`).join('');
    out.push(`${prefix}${part}${suffix}`);
    carried = open;
  }
  return out;
}
