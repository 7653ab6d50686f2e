/**
 * A fake Telegram Bot API server over real HTTP on 127.0.0.1, so tests and benchmarks run the real telegraf bot
 * (`new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } })`) without the network.
 *
 * It answers with Telegram's exact response shapes and error texts where they matter to a bot (HTML entity
 * parsing, "message is not modified", "file is too big", 403 for a blocked user, 429 with `retry_after`), records
 * every call, keeps a per-chat transcript, and injects faults on demand. Work per request is O(1) apart from
 * reading the body; nothing is logged.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Chat, Message, MessageEntity, Update, User } from 'telegraf/types';
import { seededRandom } from './seededRandom.ts';

// ---------------------------------------------------------------------------------------------------------------
// Public types

/** Telegram-like flood limits; each field falls back to Telegram's documented figure. */
export interface RateLimitOptions {
  /** Pace of messages to one private chat once its burst is spent (Telegram: about 1 per second). */
  perChatPerSec?: number;
  /** Messages a private chat may receive at once before the pace applies (Telegram tolerates short bursts). */
  perChatBurst?: number;
  /** Messages per minute to one group or channel (negative or `@name` chat id). Telegram: 20. */
  perGroupPerMin?: number;
  /** Messages per second over all chats. Telegram: about 30. */
  globalPerSec?: number;
}

/** Options of {@link startFakeBotApi}. */
export interface FakeBotApiOptions {
  /** The only token the server accepts; others get 401. */
  token?: string;
  /** `true` or an object turns flood limits on (off by default). */
  rateLimits?: RateLimitOptions | boolean;
  /** Share (0..1) of bot actions (sends, edits, answers, getFile) that fail with 429, fail with 500 or are delayed. */
  failureRate?: number;
  /** Seed of the PRNG behind `failureRate`, so a chaos run repeats exactly. */
  seed?: number;
  /** Clock in milliseconds for rate limits and `ApiCall.at` (default `Date.now`); lets a test step time. */
  now?: () => number;
  /** The bot's username, returned by getMe. */
  botUsername?: string;
}

/**
 * A one-shot fault for {@link FakeBotApi.failNext}: an error response (`code` 429 takes `retryAfter` in seconds),
 * a delayed but otherwise normal answer (`delayMs`), or a request held for `timeoutMs` and then dropped without an
 * answer, as when a connection dies (the call has no effect).
 */
export type Fault =
  | { code: number; description?: string; retryAfter?: number }
  | { delayMs: number }
  | { timeoutMs: number };

/** The body of a Telegram error response. */
export interface ApiErrorBody {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** A file the bot uploaded with multipart/form-data. */
export interface UploadedFile {
  /** The form field (`document`, `photo`, or an `attach://` name). */
  field: string;
  fileName: string;
  /** The part's Content-Type, else guessed from the file name (telegraf sends none). */
  mimeType: string;
  data: Buffer;
  method: string;
  chatId: number | string | undefined;
  /** The file_id the fake gave it (getFile and download then work); undefined when the call failed. */
  fileId: string | undefined;
}

/** One recorded API call, in order of completion. */
export interface ApiCall {
  /** Position in {@link FakeBotApi.calls}. */
  seq: number;
  /** Canonical method name (`sendMessage`, even when called as `sendmessage`). */
  method: string;
  /** Parameters with form values normalised: numeric ids as numbers, JSON fields parsed, booleans as booleans. */
  params: Record<string, unknown>;
  /** Multipart uploads of this call. */
  files: UploadedFile[];
  /** Clock time (ms) when the request arrived. */
  at: number;
  /** `params.chat_id`, normalised. */
  chatId: number | string | undefined;
  ok: boolean;
  result?: unknown;
  error?: ApiErrorBody;
  /** The request was held and dropped by a `timeoutMs` fault. */
  dropped?: boolean;
  /** `webhookReply`: the bot answered a webhook delivery with this call in the response body. */
  via: 'http' | 'webhookReply';
}

/** One message of a chat as it stands now (edits applied, deletions removed). */
export interface TranscriptEntry {
  messageId: number;
  sender: 'bot' | 'user';
  kind: 'text' | 'photo' | 'document' | 'voice' | 'location' | 'contact' | 'sticker' | 'other';
  /** Text or caption as Telegram shows it (HTML markup removed). */
  text: string | undefined;
  /** Text or caption as submitted, markup included. */
  rawText: string | undefined;
  parseMode: string | undefined;
  /** The last reply_markup sent with the message, of any kind (Telegram echoes only inline keyboards). */
  replyMarkup: unknown;
  editCount: number;
  /** The message as Telegram returns it. */
  message: Message;
}

/** A file known to the fake (received from a user or uploaded by the bot). */
export interface RegisteredFile {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  file_path: string;
}

/** Options shared by the update builders. */
export interface UserMessageOptions {
  /** Sender; defaults to a user whose id equals a private chat's id. */
  from?: Partial<User>;
  /** Defaults from the id: positive = private, below -1e12 = supergroup, other negative = group. */
  chatType?: 'private' | 'group' | 'supergroup';
  /** Unix seconds; defaults to now. */
  date?: number;
  caption?: string;
}

/** An update before {@link FakeBotApi.pushUpdate} numbers it. */
export type NewUpdate<U extends Update = Update> = Omit<U, 'update_id'> & { update_id?: number };

/** Counters for assertions and benchmarks. */
export interface FakeBotApiStats {
  requests: number;
  /** 429 answers, from rate limits, faults and chaos alike. */
  tooManyRequests: number;
  /** Answers with ok:false (and dropped requests). */
  errors: number;
  updatesPushed: number;
  webhookDeliveries: number;
}

/** Outcome of one webhook POST. */
export interface WebhookDelivery {
  updateId: number;
  status: number | undefined;
  error: string | undefined;
}

/** An error answer; handlers (including ones added with {@link FakeBotApi.handle}) throw it. */
export class FakeApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: ApiErrorBody['parameters'],
  ) {
    super(description);
    this.name = 'FakeApiError';
  }

  /** The JSON body Telegram sends for this error. */
  toBody(): ApiErrorBody {
    return this.parameters === undefined
      ? { ok: false, error_code: this.code, description: this.description }
      : { ok: false, error_code: this.code, description: this.description, parameters: this.parameters };
  }
}

/** A custom method implementation; its return value becomes `result`. */
export type MethodHandler = (params: Record<string, unknown>, files: UploadedFile[]) => unknown;

// ---------------------------------------------------------------------------------------------------------------
// Constants

const DEFAULT_TOKEN = '1234567890:AAFakeTokenForNetraTests_0123456789';
/** Telegram's getFile limit for bots. */
const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
/** Telegram's upload limit for bots, plus room for the multipart framing. */
const MAX_BODY_BYTES = 50 * 1024 * 1024 + 64 * 1024;
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
const DEFAULT_GROUP_USER_ID = 424242;

const BAD = {
  notModified:
    'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
  editNotFound: 'Bad Request: message to edit not found',
  blocked: 'Forbidden: bot was blocked by the user',
  oldQuery: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
} as const;

/** Methods that put or change a message in a chat: they count for {@link FakeBotApi.sent} and rate limits. */
const OUTGOING = new Set(['sendMessage', 'sendDocument', 'sendPhoto', 'editMessageText', 'editMessageReplyMarkup']);
/** Methods aimed at a chat that a blocked user refuses. */
const CHAT_TARGETED = new Set([...OUTGOING, 'sendChatAction', 'deleteMessage']);
/** Plumbing that chaos leaves alone so a chaos run still starts and polls. */
const NOT_CHAOTIC = new Set(['getMe', 'getUpdates', 'setWebhook', 'deleteWebhook', 'getWebhookInfo']);
/** Update types a bot gets when allowed_updates is empty or was never set. */
const DEFAULT_EXCLUDED_UPDATES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);
const CHAT_ACTIONS = new Set([
  'typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice', 'upload_document',
  'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note',
]);

const INTEGER_PARAMS = new Set([
  'chat_id', 'message_id', 'from_chat_id', 'reply_to_message_id', 'message_thread_id', 'offset', 'limit',
  'timeout', 'cache_time', 'user_id', 'max_connections', 'duration', 'width', 'height',
]);
const BOOLEAN_PARAMS = new Set([
  'show_alert', 'disable_notification', 'protect_content', 'drop_pending_updates', 'disable_web_page_preview',
  'disable_content_type_detection', 'has_spoiler', 'allow_sending_without_reply',
]);
const JSON_PARAMS = new Set([
  'reply_markup', 'allowed_updates', 'commands', 'scope', 'entities', 'caption_entities', 'link_preview_options',
  'reply_parameters', 'media', 'results',
]);

const MIME_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp',
  gif: 'image/gif', txt: 'text/plain', csv: 'text/csv', json: 'application/json', zip: 'application/zip',
  ogg: 'audio/ogg', oga: 'audio/ogg', mp3: 'audio/mpeg', mp4: 'video/mp4', html: 'text/html',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

type Params = Record<string, unknown>;
type Outcome = { ok: true; result: unknown } | { ok: false; error: FakeApiError } | { dropped: true };
type StoredMessage = Record<string, unknown> & { message_id: number };

interface ChatState {
  chat: Chat;
  nextMessageId: number;
  messages: Map<number, TranscriptEntry>;
}

interface FileRecord extends RegisteredFile {
  data: Buffer | undefined;
}

interface PendingPoll {
  limit: number;
  timer: NodeJS.Timeout;
  finish: (outcome: unknown) => void;
  fail: (error: FakeApiError) => void;
}

interface Waiter {
  test: (call: ApiCall) => boolean;
  resolve: (call: ApiCall) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface WebhookConfig {
  url: string;
  secretToken: string | undefined;
  maxConnections: number;
}

/** A FIFO with O(1) push and shift. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(index = 0): T | undefined {
    return this.items[this.head + index];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Keeps only the last `count` items. */
  keepLast(count: number): void {
    this.head = Math.max(this.head, this.items.length - count);
  }

  clear(): T[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
}

/** Token bucket: `capacity` at once, refilled at `perMs` tokens per millisecond. */
class TokenBucket {
  private tokens: number;

  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    private last: number,
  ) {
    this.tokens = capacity;
  }

  /** Milliseconds until one token is free (0 when one is free now). */
  waitMs(now: number): number {
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    return this.tokens >= 1 ? 0 : (1 - this.tokens) / this.perMs;
  }

  take(): void {
    this.tokens -= 1;
  }
}


const badRequest = (what: string): FakeApiError => new FakeApiError(400, `Bad Request: ${what}`);

function tooMany(retryAfter: number): FakeApiError {
  return new FakeApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
}

function defaultDescription(code: number): string {
  return code === 403 ? BAD.blocked : (http.STATUS_CODES[code] ?? 'Error');
}

function faultError(fault: { code: number; description?: string; retryAfter?: number }): FakeApiError {
  if (fault.code !== 429) return new FakeApiError(fault.code, fault.description ?? defaultDescription(fault.code));
  const retryAfter = fault.retryAfter ?? 1;
  return new FakeApiError(429, fault.description ?? `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
}

function chatKey(chatId: number | string): string {
  return typeof chatId === 'number' ? String(chatId) : chatId;
}

function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function asInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

function normaliseChatId(value: unknown): number | string | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return /^-?\d+$/.test(value) ? Number(value) : value;
  return undefined;
}

/** Telegram accepts every parameter as a string; tests compare typed values, so form values are coerced once. */
function normaliseParams(raw: Params): Params {
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') continue;
    if (JSON_PARAMS.has(key)) {
      try {
        raw[key] = JSON.parse(value);
      } catch {
        throw badRequest(key === 'reply_markup' ? "can't parse reply keyboard markup JSON object" : `can't parse ${key} JSON object`);
      }
    } else if (INTEGER_PARAMS.has(key)) {
      if (key === 'chat_id' || key === 'from_chat_id') raw[key] = normaliseChatId(value);
      else if (/^-?\d+(\.\d+)?$/.test(value)) raw[key] = Number(value);
    } else if (BOOLEAN_PARAMS.has(key)) {
      raw[key] = value === 'true' || value === '1';
    } else if (key === 'latitude' || key === 'longitude') {
      raw[key] = Number(value);
    }
  }
  return raw;
}

function guessMime(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return (dot >= 0 && MIME_BY_EXTENSION[fileName.slice(dot + 1).toLowerCase()]) || 'application/octet-stream';
}

function extensionOf(fileName: string | undefined, fallback: string): string {
  if (!fileName) return fallback;
  const dot = fileName.lastIndexOf('.');
  return dot >= 0 && dot < fileName.length - 1 ? fileName.slice(dot + 1).toLowerCase() : fallback;
}

/** Width and height of a PNG or JPEG, else undefined (other formats get a placeholder size). */
function imageSize(data: Buffer): { width: number; height: number } | undefined {
  if (data.length >= 24 && data.readUInt32BE(0) === 0x89504e47) {
    return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  if (data.length > 4 && data[0] === 0xff && data[1] === 0xd8) {
    let pos = 2;
    while (pos + 9 < data.length && data[pos] === 0xff) {
      const marker = data[pos + 1] ?? 0;
      const length = data.readUInt16BE(pos + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: data.readUInt16BE(pos + 7), height: data.readUInt16BE(pos + 5) };
      }
      pos += 2 + length;
    }
  }
  return undefined;
}

function isImage(data: Buffer): boolean {
  if (data.length < 4) return false;
  const head = data.readUInt32BE(0);
  return (
    head === 0x89504e47 || // PNG
    (data[0] === 0xff && data[1] === 0xd8) || // JPEG
    head === 0x47494638 || // GIF
    (head === 0x52494646 && data.toString('latin1', 8, 12) === 'WEBP') ||
    data.toString('latin1', 0, 2) === 'BM'
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Body parsing

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new FakeApiError(413, 'Request Entity Too Large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

interface RawPart {
  field: string;
  fileName: string | undefined;
  mimeType: string | undefined;
  data: Buffer;
}

const CRLF_CRLF = Buffer.from('\r\n\r\n');

function headerParam(header: string, name: string): string | undefined {
  const extended = new RegExp(`;\\s*${name}\\*\\s*=\\s*([^;]+)`, 'i').exec(header);
  if (extended?.[1]) {
    const value = extended[1].trim();
    const quote = value.indexOf("''");
    try {
      return decodeURIComponent(quote >= 0 ? value.slice(quote + 2) : value);
    } catch {
      return value;
    }
  }
  const plain = new RegExp(`;\\s*${name}\\s*=\\s*("((?:[^"\\\\]|\\\\.)*)"|[^;]*)`, 'i').exec(header);
  if (!plain) return undefined;
  return plain[2] !== undefined ? plain[2].replace(/\\(.)/g, '$1') : (plain[1] ?? '').trim();
}

/** A strict multipart/form-data parser over the whole body (RFC 7578); telegraf's framing has no header spaces. */
function parseMultipart(body: Buffer, boundary: string): RawPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  const malformed = (): FakeApiError => badRequest('invalid multipart/form-data body');
  const parts: RawPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw malformed();
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts;
    while (body[pos] === 0x20 || body[pos] === 0x09) pos += 1;
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) throw malformed();
    pos += 2;
    let headerText = '';
    let dataStart: number;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) {
      dataStart = pos + 2;
    } else {
      const headerEnd = body.indexOf(CRLF_CRLF, pos);
      if (headerEnd < 0) throw malformed();
      headerText = body.toString('utf8', pos, headerEnd);
      dataStart = headerEnd + 4;
    }
    const end = body.indexOf(nextDelimiter, dataStart);
    if (end < 0) throw malformed();
    let disposition = '';
    let mimeType: string | undefined;
    for (const line of headerText.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-disposition') disposition = value;
      else if (name === 'content-type') mimeType = value;
    }
    const field = headerParam(disposition, 'name');
    if (field === undefined) throw malformed();
    parts.push({ field, fileName: headerParam(disposition, 'filename'), mimeType, data: body.subarray(dataStart, end) });
    pos = end + 2;
  }
}

function parseBody(contentType: string | undefined, body: Buffer, into: Params): RawPart[] {
  if (body.length === 0) return [];
  const type = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest('invalid JSON in request body');
    }
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(into, parsed);
    return [];
  }
  if (type === 'application/x-www-form-urlencoded') {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) into[key] = value;
    return [];
  }
  if (type === 'multipart/form-data') {
    const boundary = headerParam(contentType ?? '', 'boundary');
    if (!boundary) throw badRequest('multipart/form-data without boundary');
    const files: RawPart[] = [];
    for (const part of parseMultipart(body, boundary)) {
      if (part.fileName === undefined) into[part.field] = part.data.toString('utf8');
      else files.push(part);
    }
    return files;
  }
  return [];
}

// ---------------------------------------------------------------------------------------------------------------
// HTML parse mode (the subset Telegram accepts, with its error texts)

const HTML_TAGS: Record<string, string> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline', s: 'strikethrough',
  strike: 'strikethrough', del: 'strikethrough', span: 'spoiler', 'tg-spoiler': 'spoiler', a: 'text_link',
  code: 'code', pre: 'pre', blockquote: 'blockquote', 'tg-emoji': 'custom_emoji',
};

function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index));
}

function decodeHtmlEntity(name: string): string | undefined {
  switch (name) {
    case 'lt':
      return '<';
    case 'gt':
      return '>';
    case 'amp':
      return '&';
    case 'quot':
      return '"';
  }
  const code = /^#x[0-9a-f]{1,6}$/i.test(name)
    ? parseInt(name.slice(2), 16)
    : /^#\d{1,7}$/.test(name)
      ? parseInt(name.slice(1), 10)
      : -1;
  return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

function decodeHtmlText(text: string): string {
  return text.replace(/&([#a-z0-9]{1,8});/gi, (whole, name: string) => decodeHtmlEntity(name) ?? whole);
}

/**
 * Parses Telegram's HTML parse mode into plain text and entities (UTF-16 offsets), throwing the 400 that Telegram
 * sends for an unsupported or unbalanced tag. Unknown `&name;` stays literal, as in Telegram.
 */
export function parseTelegramHtml(source: string): { text: string; entities: MessageEntity[] } {
  if (source.indexOf('<') < 0 && source.indexOf('&') < 0) return { text: source, entities: [] };
  const fail = (what: string): FakeApiError => badRequest(`can't parse entities: ${what}`);
  const stack: Array<{ tag: string; entity: Record<string, unknown> | undefined; offset: number }> = [];
  const entities: MessageEntity[] = [];
  let out = '';
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === 0x3c) {
      if (source.charCodeAt(i + 1) === 0x2f) {
        const close = source.indexOf('>', i);
        if (close < 0) throw fail(`Unclosed end tag at byte offset ${byteOffset(source, i)}`);
        const name = source.slice(i + 2, close).trim().toLowerCase();
        const open = stack.pop();
        if (!open) throw fail(`Unexpected end tag at byte offset ${byteOffset(source, i)}`);
        if (name !== open.tag) {
          throw fail(`Unmatched end tag at byte offset ${byteOffset(source, i)}, expected "</${open.tag}>", found "</${name}>"`);
        }
        const length = out.length - open.offset;
        if (open.entity && length > 0) entities.push({ ...open.entity, offset: open.offset, length } as MessageEntity);
        i = close + 1;
        continue;
      }
      let j = i + 1;
      while (j < n && /[a-zA-Z0-9-]/.test(source[j] as string)) j += 1;
      const tag = source.slice(i + 1, j).toLowerCase();
      const type = HTML_TAGS[tag];
      if (!type) throw fail(`Unsupported start tag "${tag}" at byte offset ${byteOffset(source, i)}`);
      const attributes: Record<string, string> = {};
      for (;;) {
        while (j < n && /\s/.test(source[j] as string)) j += 1;
        if (j >= n) throw fail(`Unclosed start tag at byte offset ${byteOffset(source, i)}`);
        if (source[j] === '>') break;
        const nameStart = j;
        while (j < n && !/[\s=>]/.test(source[j] as string)) j += 1;
        const attribute = source.slice(nameStart, j).toLowerCase();
        while (j < n && /\s/.test(source[j] as string)) j += 1;
        let value = '';
        if (source[j] === '=') {
          j += 1;
          while (j < n && /\s/.test(source[j] as string)) j += 1;
          const quote = source[j];
          if (quote === '"' || quote === "'") {
            const endQuote = source.indexOf(quote, j + 1);
            if (endQuote < 0) throw fail(`Unclosed start tag at byte offset ${byteOffset(source, i)}`);
            value = source.slice(j + 1, endQuote);
            j = endQuote + 1;
          } else {
            const valueStart = j;
            while (j < n && !/[\s>]/.test(source[j] as string)) j += 1;
            value = source.slice(valueStart, j);
          }
        }
        attributes[attribute] = decodeHtmlText(value);
      }
      i = j + 1;
      let entity: Record<string, unknown> | undefined = { type };
      if (tag === 'span' && attributes.class !== 'tg-spoiler') {
        throw fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(source, i)}`);
      } else if (tag === 'a') {
        const href = attributes.href;
        const userId = href === undefined ? undefined : /^tg:\/\/user\?id=(\d+)$/.exec(href)?.[1];
        entity = href === undefined ? undefined : userId ? { type: 'text_mention', user: { id: Number(userId), is_bot: false, first_name: '' } } : { type, url: href };
      } else if (tag === 'code' && stack[stack.length - 1]?.tag === 'pre') {
        const pre = stack[stack.length - 1]?.entity;
        const language = /^language-(.+)$/.exec(attributes.class ?? '')?.[1];
        if (pre && language) pre.language = language;
        entity = undefined;
      } else if (tag === 'blockquote' && 'expandable' in attributes) {
        entity = { type: 'expandable_blockquote' };
      } else if (tag === 'tg-emoji') {
        entity = attributes['emoji-id'] ? { type, custom_emoji_id: attributes['emoji-id'] } : undefined;
      }
      stack.push({ tag, entity, offset: out.length });
    } else if (c === 0x26) {
      const semicolon = source.indexOf(';', i);
      const decoded = semicolon > i && semicolon - i <= 10 ? decodeHtmlEntity(source.slice(i + 1, semicolon)) : undefined;
      if (decoded === undefined) {
        out += '&';
        i += 1;
      } else {
        out += decoded;
        i = semicolon + 1;
      }
    } else {
      let next = i + 1;
      while (next < n) {
        const d = source.charCodeAt(next);
        if (d === 0x3c || d === 0x26) break;
        next += 1;
      }
      out += source.slice(i, next);
      i = next;
    }
  }
  const open = stack[stack.length - 1];
  if (open) throw fail(`Can't find end tag corresponding to start tag "${open.tag}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: out, entities };
}

// ---------------------------------------------------------------------------------------------------------------
// The server

/** A running fake Bot API. Create it with {@link startFakeBotApi}; close it with {@link FakeBotApi.close}. */
export class FakeBotApi {
  /** Base URL for telegraf's `telegram.apiRoot` (no trailing slash). */
  readonly apiRoot: string;
  /** The token the fake accepts. */
  readonly token: string;
  /** The bot's own user, as getMe returns it. */
  readonly botUser: User;
  /** Every API call in order of completion (getUpdates included). */
  readonly calls: ApiCall[] = [];
  /** Every file the bot uploaded, in order. */
  readonly files: UploadedFile[] = [];
  /** Outcomes of webhook deliveries, in order of completion. */
  readonly webhookDeliveries: WebhookDelivery[] = [];
  readonly stats: FakeBotApiStats = { requests: 0, tooManyRequests: 0, errors: 0, updatesPushed: 0, webhookDeliveries: 0 };

  private readonly server: http.Server;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly failureRate: number;
  private readonly limits: Required<RateLimitOptions> | undefined;
  private readonly handlers = new Map<string, { name: string; run: (params: Params, files: UploadedFile[]) => unknown }>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly blocked = new Set<string>();
  private readonly chats = new Map<string, ChatState>();
  private readonly fileRecords = new Map<string, FileRecord>();
  private readonly filesByPath = new Map<string, FileRecord>();
  private readonly openCallbackQueries = new Set<string>();
  private readonly commandSets = new Map<string, unknown[]>();
  private readonly chatBuckets = new Map<string, TokenBucket>();
  private globalBucket: TokenBucket | undefined;
  private readonly updates = new Fifo<Update>();
  private readonly webhookQueue = new Fifo<Update>();
  private readonly waiters = new Set<Waiter>();
  /** Successful outgoing calls per chat, so sent(chatId) and waitForSent stay cheap in long benchmark runs. */
  private readonly sentByChat = new Map<string, ApiCall[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly idleWaiters: Array<() => void> = [];
  private readonly agent = new http.Agent({ keepAlive: true });
  private allowedUpdates: Set<string> | undefined;
  private poll: PendingPoll | undefined;
  private pollFlushScheduled = false;
  private webhook: WebhookConfig | undefined;
  private webhookInFlight = 0;
  private lastWebhookError: { date: number; message: string } | undefined;
  private nextUpdateId = 1;
  private nextFileNumber = 1;
  private nextCallbackNumber = 1;
  private closed = false;

  /** @internal use {@link startFakeBotApi} */
  constructor(server: http.Server, port: number, options: FakeBotApiOptions) {
    this.server = server;
    this.apiRoot = `http://127.0.0.1:${port}`;
    this.token = options.token ?? DEFAULT_TOKEN;
    this.now = options.now ?? Date.now;
    this.random = seededRandom(options.seed ?? 1);
    this.failureRate = options.failureRate ?? 0;
    const limits = options.rateLimits === true ? {} : options.rateLimits || undefined;
    this.limits = limits && {
      perChatPerSec: limits.perChatPerSec ?? 1,
      perChatBurst: limits.perChatBurst ?? 3,
      perGroupPerMin: limits.perGroupPerMin ?? 20,
      globalPerSec: limits.globalPerSec ?? 30,
    };
    const botId = asInt(this.token.split(':', 1)[0]) ?? 1234567890;
    this.botUser = {
      id: botId,
      is_bot: true,
      first_name: 'Netra Test',
      username: options.botUsername ?? 'netra_test_bot',
    };
    this.registerBuiltins();
  }

  /** Same as {@link apiRoot}. */
  get url(): string {
    return this.apiRoot;
  }

  // ----- calls and transcripts -----

  /** Successful sendMessage/sendDocument/sendPhoto/edit* calls, to one chat or to all, in order. */
  sent(chatId?: number | string): ApiCall[] {
    if (chatId === undefined) return this.calls.filter((call) => call.ok && OUTGOING.has(call.method));
    return [...(this.sentByChat.get(chatKey(normaliseChatId(chatId) ?? chatId)) ?? [])];
  }

  /** The chat as it stands: user and bot messages in order, edits applied, deleted ones gone. */
  messages(chatId: number | string): TranscriptEntry[] {
    const state = this.chats.get(chatKey(normaliseChatId(chatId) ?? chatId));
    return state ? [...state.messages.values()].map((entry) => ({ ...entry })) : [];
  }

  /**
   * Resolves with the first call (from `fromSeq` on, already recorded or yet to come) that matches; rejects after
   * `timeoutMs` listing the last calls, so a failing test shows what the bot did instead.
   */
  waitFor(predicate: (call: ApiCall) => boolean, timeoutMs = 3000, fromSeq = 0): Promise<ApiCall> {
    for (let index = fromSeq; index < this.calls.length; index += 1) {
      const call = this.calls[index] as ApiCall;
      if (predicate(call)) return Promise.resolve(call);
    }
    return this.addWaiter(predicate, timeoutMs, `no call matched ${predicate.toString().slice(0, 120)}`);
  }

  /** Resolves with the calls of `method` once there are at least `count` (successful or not). */
  waitForCalls(method: string, count: number, timeoutMs = 3000): Promise<ApiCall[]> {
    const matching = (): ApiCall[] => this.calls.filter((call) => call.method === method);
    const now = matching();
    if (now.length >= count) return Promise.resolve(now);
    let seen = now.length;
    return this.addWaiter(
      (call) => call.method === method && ++seen >= count,
      timeoutMs,
      `expected ${count} ${method} call(s)`,
    ).then(() => matching());
  }

  /** Resolves with the next successful outgoing call to `chatId` whose text or caption matches, from `fromSeq` on. */
  waitForSent(chatId: number | string, match?: string | RegExp, timeoutMs = 3000, fromSeq = 0): Promise<ApiCall> {
    const wanted = normaliseChatId(chatId);
    const predicate = (call: ApiCall): boolean => {
      if (!call.ok || call.chatId !== wanted || !OUTGOING.has(call.method)) return false;
      const text = asString(call.params.text) ?? asString(call.params.caption) ?? '';
      return match === undefined || (typeof match === 'string' ? text.includes(match) : match.test(text));
    };
    for (const call of this.sentByChat.get(chatKey(wanted ?? chatId)) ?? []) {
      if (call.seq >= fromSeq && predicate(call)) return Promise.resolve(call);
    }
    const what = `no ${match === undefined ? 'message' : `message matching ${String(match)}`} was sent to chat ${String(chatId)}`;
    return this.addWaiter(predicate, timeoutMs, what);
  }

  /** The commands set for a scope and language (getMyCommands' answer). */
  commands(scope?: { type: string; chat_id?: number | string; user_id?: number }, languageCode?: string): unknown[] {
    return [...(this.commandSets.get(this.commandKey(scope, languageCode)) ?? [])];
  }

  // ----- faults -----

  /** Queues a one-shot fault for the next call of `method` (several queue up in order). */
  failNext(method: string, fault: Fault): this {
    const name = this.handlers.get(method.toLowerCase())?.name ?? method;
    const queue = this.faults.get(name);
    if (queue) queue.push(fault);
    else this.faults.set(name, [fault]);
    return this;
  }

  /** Every call aimed at this chat answers 403 "Forbidden: bot was blocked by the user" until unblocked. */
  blockUser(chatId: number | string): this {
    this.blocked.add(chatKey(normaliseChatId(chatId) ?? chatId));
    return this;
  }

  /** Undoes {@link blockUser}. */
  unblockUser(chatId: number | string): this {
    this.blocked.delete(chatKey(normaliseChatId(chatId) ?? chatId));
    return this;
  }

  /** Adds or replaces a method; throw {@link FakeApiError} from `handler` for an error answer. */
  handle(method: string, handler: MethodHandler): this {
    this.handlers.set(method.toLowerCase(), { name: method, run: handler });
    return this;
  }

  // ----- updates -----

  /**
   * Queues an update for getUpdates (waking a waiting long poll) or, while a webhook is set, POSTs it there.
   * Numbers it when it has no update_id (the object itself is completed and returned). User messages join the
   * chat transcript; callback query ids become answerable.
   */
  pushUpdate<U extends { update_id?: number }>(update: U): U & { update_id: number } {
    const full = update as U & { update_id: number } & Record<string, unknown>;
    if (typeof full.update_id !== 'number') full.update_id = this.nextUpdateId;
    this.nextUpdateId = Math.max(this.nextUpdateId, full.update_id + 1);
    this.observeUpdate(full);
    this.stats.updatesPushed += 1;
    const typed = full as unknown as Update;
    if (this.webhook) {
      this.webhookQueue.push(typed);
      this.pumpWebhook();
    } else {
      this.updates.push(typed);
      this.schedulePollFlush();
    }
    return full;
  }

  /** Resolves once every pushed update has been delivered to the webhook (and its reply executed). */
  webhookIdle(): Promise<void> {
    if (this.webhookQueue.size === 0 && this.webhookInFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** A text message from a user; a leading `/command` gets its bot_command entity, as telegraf's `command` needs. */
  textUpdate(chatId: number, text: string, opts: UserMessageOptions = {}): NewUpdate<Update.MessageUpdate<Message.TextMessage>> {
    const command = /^\/[^\s]+/.exec(text)?.[0];
    const entities = command ? [{ type: 'bot_command' as const, offset: 0, length: command.length }] : undefined;
    return this.messageUpdate(chatId, opts, { text, ...(entities ? { entities } : {}) }) as NewUpdate<
      Update.MessageUpdate<Message.TextMessage>
    >;
  }

  /** A press on an inline button of message `messageId` (the stored bot message when there is one). */
  callbackUpdate(chatId: number, messageId: number, data: string, from?: Partial<User>): NewUpdate<Update.CallbackQueryUpdate> {
    const state = this.chatState(chatId);
    const message = state.messages.get(messageId)?.message ?? {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: state.chat,
      from: this.botUser,
      text: '',
    };
    const id = `${this.botUser.id}${String(this.nextCallbackNumber++).padStart(6, '0')}`;
    return {
      callback_query: {
        id,
        from: this.userFor(chatId, from),
        message,
        chat_instance: `ci${chatId}`,
        data,
      },
    } as NewUpdate<Update.CallbackQueryUpdate>;
  }

  /**
   * A photo from a user: the largest size (last) serves `fileContent`; smaller sizes serve shorter prefixes, so a
   * bot that downloads `photo[0]` instead of the last size gets visibly wrong bytes.
   */
  photoUpdate(
    chatId: number,
    fileContent: Buffer,
    opts: UserMessageOptions & { fileSize?: number; width?: number; height?: number } = {},
  ): NewUpdate<Update.MessageUpdate<Message.PhotoMessage>> {
    const size = imageSize(fileContent);
    const width = opts.width ?? size?.width ?? 1280;
    const height = opts.height ?? size?.height ?? 960;
    const photo = [90, 320].filter((w) => w < width).map((w) => {
      const ratio = w / width;
      const record = this.storeFile(fileContent.subarray(0, Math.max(1, Math.ceil(fileContent.length * ratio * ratio))), 'photos', 'jpg');
      return { ...this.mediaIds(record), width: w, height: Math.max(1, Math.round(height * ratio)) };
    });
    const largest = this.storeFile(fileContent, 'photos', 'jpg', opts.fileSize);
    photo.push({ ...this.mediaIds(largest), width, height });
    return this.messageUpdate(chatId, opts, { photo, ...this.caption(opts) }) as NewUpdate<Update.MessageUpdate<Message.PhotoMessage>>;
  }

  /** A document from a user; `fileSize` declares a size (over 20 MB makes getFile fail as Telegram does). */
  documentUpdate(
    chatId: number,
    content: Buffer,
    fileName: string,
    mimeType: string,
    opts: UserMessageOptions & { fileSize?: number } = {},
  ): NewUpdate<Update.MessageUpdate<Message.DocumentMessage>> {
    const record = this.storeFile(content, 'documents', extensionOf(fileName, 'dat'), opts.fileSize);
    const document = { ...this.mediaIds(record), file_name: fileName, mime_type: mimeType };
    return this.messageUpdate(chatId, opts, { document, ...this.caption(opts) }) as NewUpdate<
      Update.MessageUpdate<Message.DocumentMessage>
    >;
  }

  /** A video from a user, as a phone sends one it recorded (MP4 or QuickTime). */
  videoUpdate(
    chatId: number,
    content: Buffer,
    opts: UserMessageOptions & { mimeType?: string; fileName?: string; duration?: number; fileSize?: number } = {},
  ): NewUpdate<Update.MessageUpdate<Message.VideoMessage>> {
    const mimeType = opts.mimeType ?? 'video/mp4';
    const record = this.storeFile(content, 'videos', mimeType === 'video/quicktime' ? 'mov' : 'mp4', opts.fileSize);
    const video = {
      ...this.mediaIds(record),
      width: 32,
      height: 24,
      duration: opts.duration ?? 1,
      mime_type: mimeType,
      ...(opts.fileName ? { file_name: opts.fileName } : {}),
    };
    return this.messageUpdate(chatId, opts, { video, ...this.caption(opts) }) as NewUpdate<Update.MessageUpdate<Message.VideoMessage>>;
  }

  /** A voice note from a user. */
  voiceUpdate(
    chatId: number,
    content: Buffer,
    opts: UserMessageOptions & { duration?: number; mimeType?: string; fileSize?: number } = {},
  ): NewUpdate<Update.MessageUpdate<Message.VoiceMessage>> {
    const record = this.storeFile(content, 'voice', 'oga', opts.fileSize);
    const voice = { ...this.mediaIds(record), duration: opts.duration ?? 3, mime_type: opts.mimeType ?? 'audio/ogg' };
    return this.messageUpdate(chatId, opts, { voice, ...this.caption(opts) }) as NewUpdate<
      Update.MessageUpdate<Message.VoiceMessage>
    >;
  }

  /** A shared location. */
  locationUpdate(
    chatId: number,
    latitude: number,
    longitude: number,
    opts: UserMessageOptions = {},
  ): NewUpdate<Update.MessageUpdate<Message.LocationMessage>> {
    return this.messageUpdate(chatId, opts, { location: { latitude, longitude } }) as NewUpdate<
      Update.MessageUpdate<Message.LocationMessage>
    >;
  }

  /** A shared contact; by default the sender's own (as a `request_contact` button sends it). */
  contactUpdate(
    chatId: number,
    phoneNumber: string,
    opts: UserMessageOptions & { firstName?: string; lastName?: string; userId?: number } = {},
  ): NewUpdate<Update.MessageUpdate<Message.ContactMessage>> {
    const from = this.userFor(chatId, opts.from);
    const contact = {
      phone_number: phoneNumber,
      first_name: opts.firstName ?? from.first_name,
      ...(opts.lastName ? { last_name: opts.lastName } : {}),
      user_id: opts.userId ?? from.id,
    };
    return this.messageUpdate(chatId, opts, { contact }) as NewUpdate<Update.MessageUpdate<Message.ContactMessage>>;
  }

  /** A sticker. */
  stickerUpdate(chatId: number, opts: UserMessageOptions & { emoji?: string } = {}): NewUpdate<Update.MessageUpdate<Message.StickerMessage>> {
    const record = this.storeFile(Buffer.from('RIFF\0\0\0\0WEBPVP8 '), 'stickers', 'webp');
    const sticker = {
      ...this.mediaIds(record),
      type: 'regular',
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
      emoji: opts.emoji ?? '👍',
    };
    return this.messageUpdate(chatId, opts, { sticker }) as NewUpdate<Update.MessageUpdate<Message.StickerMessage>>;
  }

  /**
   * Makes a file known, as if a user had sent it: getFile returns its path and the download serves `content`.
   * `fileSize` declares a size other than the content's (e.g. 25 MB, for which getFile answers "file is too big").
   */
  registerFile(content: Buffer, opts: { fileSize?: number; folder?: string; extension?: string } = {}): RegisteredFile {
    const { data: _data, ...file } = this.storeFile(content, opts.folder ?? 'documents', opts.extension ?? 'dat', opts.fileSize);
    return file;
  }

  // ----- lifecycle -----

  /** Forgets calls, files, transcripts, queued updates, faults, blocks, commands, limits and the webhook. */
  reset(): void {
    this.calls.length = 0;
    this.sentByChat.clear();
    this.files.length = 0;
    this.webhookDeliveries.length = 0;
    Object.assign(this.stats, { requests: 0, tooManyRequests: 0, errors: 0, updatesPushed: 0, webhookDeliveries: 0 });
    this.faults.clear();
    this.blocked.clear();
    this.chats.clear();
    this.fileRecords.clear();
    this.filesByPath.clear();
    this.openCallbackQueries.clear();
    this.commandSets.clear();
    this.chatBuckets.clear();
    this.globalBucket = undefined;
    this.updates.clear();
    this.webhookQueue.clear();
    this.webhook = undefined;
    this.lastWebhookError = undefined;
  }

  /** Stops the server: answers nothing more, closes every connection, clears timers, rejects pending waits. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.poll) clearTimeout(this.poll.timer);
    this.poll = undefined;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('fake Bot API closed while waiting'));
    }
    this.waiters.clear();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
    this.agent.destroy();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ----- request handling -----

  /** @internal */
  onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (path.startsWith('/file/bot')) {
      this.serveFile(path, res);
      return;
    }
    const at = this.now();
    if (!path.startsWith('/bot')) {
      writeJson(res, 404, new FakeApiError(404, 'Not Found').toBody());
      return;
    }
    const slash = path.indexOf('/', 4);
    const token = decodeURIComponent(path.slice(4, slash < 0 ? undefined : slash));
    const methodName = slash < 0 ? '' : path.slice(slash + 1);
    readBody(req).then(
      (body) => {
        const params: Params = {};
        if (query >= 0) for (const [key, value] of new URLSearchParams(url.slice(query + 1))) params[key] = value;
        let parts: RawPart[] = [];
        let parseError: FakeApiError | undefined;
        try {
          parts = parseBody(req.headers['content-type'], body, params);
        } catch (error) {
          parseError = error instanceof FakeApiError ? error : badRequest(String(error));
        }
        if (token !== this.token) parseError = new FakeApiError(401, 'Unauthorized');
        const gone = (listener: () => void): void => {
          res.once('close', () => {
            if (!res.writableFinished) listener();
          });
        };
        void this.execute(methodName, params, parts, 'http', at, parseError, gone).then((outcome) => {
          if (res.destroyed || res.writableEnded) return;
          if ('dropped' in outcome) {
            req.socket.destroy();
            return;
          }
          if (outcome.ok) writeJson(res, 200, { ok: true, result: outcome.result });
          else writeJson(res, outcome.error.code, outcome.error.toBody());
        });
      },
      (error: unknown) => {
        const failure = error instanceof FakeApiError ? error : badRequest(String(error));
        if (!res.destroyed) writeJson(res, failure.code, failure.toBody());
      },
    );
  }

  private async execute(
    methodName: string,
    params: Params,
    parts: RawPart[],
    via: ApiCall['via'],
    at: number,
    earlyError: FakeApiError | undefined,
    onClientGone: (listener: () => void) => void,
  ): Promise<Outcome> {
    this.stats.requests += 1;
    const handler = this.handlers.get(methodName.toLowerCase());
    const method = handler?.name ?? methodName;
    const chatId = normaliseChatId(params.chat_id);
    const files: UploadedFile[] = parts.map((part) => ({
      field: part.field,
      fileName: part.fileName ?? part.field,
      mimeType: part.mimeType ?? guessMime(part.fileName ?? ''),
      data: part.data,
      method,
      chatId,
      fileId: undefined,
    }));
    delete params.method;
    let outcome: Outcome;
    try {
      if (earlyError) throw earlyError;
      if (!handler) throw new FakeApiError(404, 'Not Found: method not found');
      normaliseParams(params);
      const fault = this.takeFault(method);
      if (fault && 'timeoutMs' in fault) {
        await this.sleep(fault.timeoutMs);
        outcome = { dropped: true };
      } else {
        if (fault && 'delayMs' in fault) await this.sleep(fault.delayMs);
        else if (fault) throw faultError(fault);
        const slow = this.guard(method, chatId);
        if (slow > 0) await this.sleep(slow);
        const result =
          method === 'getUpdates' ? await this.getUpdates(params, onClientGone) : await handler.run(params, files);
        outcome = { ok: true, result };
      }
    } catch (error) {
      outcome = {
        ok: false,
        error: error instanceof FakeApiError ? error : new FakeApiError(500, `Internal Server Error: ${String(error)}`),
      };
    }
    if (this.closed) return outcome;
    this.record(method, params, files, at, chatId, via, outcome);
    return outcome;
  }

  /**
   * Blocked chats, chaos and flood limits, applied after explicit faults and before the method runs. Returns a
   * delay in ms when chaos chose a slow answer.
   */
  private guard(method: string, chatId: number | string | undefined): number {
    if (chatId !== undefined && CHAT_TARGETED.has(method) && this.blocked.has(chatKey(chatId))) {
      throw new FakeApiError(403, BAD.blocked);
    }
    if (this.failureRate > 0 && !NOT_CHAOTIC.has(method) && this.random() < this.failureRate) {
      const kind = this.random();
      if (kind < 0.4) throw tooMany(1);
      if (kind < 0.7) throw new FakeApiError(500, 'Internal Server Error');
      return 20 + Math.floor(this.random() * 280);
    }
    if (this.limits && chatId !== undefined && OUTGOING.has(method)) this.rateLimit(chatId);
    return 0;
  }

  private rateLimit(chatId: number | string): void {
    const limits = this.limits as Required<RateLimitOptions>;
    const now = this.now();
    const key = chatKey(chatId);
    let bucket = this.chatBuckets.get(key);
    if (!bucket) {
      const isGroup = typeof chatId === 'string' || chatId < 0;
      bucket = isGroup
        ? new TokenBucket(limits.perGroupPerMin, limits.perGroupPerMin / 60_000, now)
        : new TokenBucket(limits.perChatBurst, limits.perChatPerSec / 1000, now);
      this.chatBuckets.set(key, bucket);
    }
    this.globalBucket ??= new TokenBucket(limits.globalPerSec, limits.globalPerSec / 1000, now);
    const wait = Math.max(bucket.waitMs(now), this.globalBucket.waitMs(now));
    if (wait > 0) throw tooMany(Math.max(1, Math.ceil(wait / 1000)));
    bucket.take();
    this.globalBucket.take();
  }

  private takeFault(method: string): Fault | undefined {
    const queue = this.faults.get(method);
    if (!queue) return undefined;
    const fault = queue.shift();
    if (queue.length === 0) this.faults.delete(method);
    return fault;
  }

  private record(
    method: string,
    params: Params,
    files: UploadedFile[],
    at: number,
    chatId: number | string | undefined,
    via: ApiCall['via'],
    outcome: Outcome,
  ): void {
    const call: ApiCall = { seq: this.calls.length, method, params, files, at, chatId, ok: 'ok' in outcome && outcome.ok, via };
    if ('dropped' in outcome) {
      call.dropped = true;
      this.stats.errors += 1;
    } else if (outcome.ok) {
      call.result = outcome.result;
      if (chatId !== undefined && OUTGOING.has(method)) {
        const key = chatKey(chatId);
        const list = this.sentByChat.get(key);
        if (list) list.push(call);
        else this.sentByChat.set(key, [call]);
      }
    } else {
      call.error = outcome.error.toBody();
      this.stats.errors += 1;
      if (outcome.error.code === 429) this.stats.tooManyRequests += 1;
    }
    this.calls.push(call);
    if (this.waiters.size === 0) return;
    for (const waiter of this.waiters) {
      if (!waiter.test(call)) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(call);
    }
  }

  private addWaiter(test: (call: ApiCall) => boolean, timeoutMs: number, what: string): Promise<ApiCall> {
    if (this.closed) return Promise.reject(new Error('fake Bot API is closed'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        test,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`fake Bot API: ${what} within ${timeoutMs} ms.\n${this.describeRecentCalls()}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  private describeRecentCalls(): string {
    const relevant = this.calls.filter((call) => call.method !== 'getUpdates');
    if (relevant.length === 0) return 'No calls besides getUpdates were made.';
    const last = relevant.slice(-12);
    const lines = last.map((call) => {
      const detail = asString(call.params.text) ?? asString(call.params.caption) ?? asString(call.params.callback_query_id) ?? '';
      const shown = detail.length > 80 ? `${detail.slice(0, 77)}...` : detail;
      const status = call.ok ? 'ok' : call.dropped ? 'dropped' : `${call.error?.error_code} ${call.error?.description}`;
      return `  #${call.seq} ${call.method}${call.chatId === undefined ? '' : ` chat=${call.chatId}`} ${status}${shown ? ` ${JSON.stringify(shown)}` : ''}`;
    });
    return `Last ${last.length} of ${relevant.length} calls (getUpdates omitted):\n${lines.join('\n')}`;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private serveFile(path: string, res: http.ServerResponse): void {
    const prefix = `/file/bot${this.token}/`;
    const decoded = decodeURIComponent(path);
    const record = decoded.startsWith(prefix) ? this.filesByPath.get(decoded.slice(prefix.length)) : undefined;
    if (!record?.data) {
      writeJson(res, 404, new FakeApiError(404, 'Not Found').toBody());
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': record.data.length });
    res.end(record.data);
  }

  // ----- getUpdates and webhooks -----

  private getUpdates(params: Params, onClientGone: (listener: () => void) => void): unknown[] | Promise<unknown> {
    if (this.webhook) {
      throw new FakeApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const offset = asInt(params.offset);
    const limit = Math.min(100, Math.max(1, asInt(params.limit) ?? 100));
    const timeout = Math.max(0, asInt(params.timeout) ?? 0);
    if (Array.isArray(params.allowed_updates)) {
      this.allowedUpdates = params.allowed_updates.length === 0 ? undefined : new Set(params.allowed_updates.map(String));
    }
    if (offset !== undefined && offset < 0) this.updates.keepLast(-offset);
    else if (offset !== undefined) while ((this.updates.peek()?.update_id ?? Infinity) < offset) this.updates.shift();
    if (this.poll) {
      const older = this.poll;
      this.poll = undefined;
      clearTimeout(older.timer);
      older.fail(new FakeApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
    }
    const ready = this.collectUpdates(limit);
    if (ready.length > 0 || timeout === 0) return ready;
    return new Promise((resolve, reject) => {
      const poll: PendingPoll = {
        limit,
        finish: resolve,
        fail: reject,
        timer: setTimeout(() => {
          if (this.poll === poll) this.poll = undefined;
          resolve([]);
        }, timeout * 1000),
      };
      this.poll = poll;
      onClientGone(() => {
        if (this.poll !== poll) return;
        clearTimeout(poll.timer);
        this.poll = undefined;
        resolve([]);
      });
    });
  }

  private isAllowed(update: Update): boolean {
    for (const key in update) {
      if (key === 'update_id') continue;
      return this.allowedUpdates ? this.allowedUpdates.has(key) : !DEFAULT_EXCLUDED_UPDATES.has(key);
    }
    return false;
  }

  private collectUpdates(limit: number): Update[] {
    const out: Update[] = [];
    for (let index = 0; out.length < limit; index += 1) {
      const update = this.updates.peek(index);
      if (!update) break;
      if (this.isAllowed(update)) out.push(update);
    }
    return out;
  }

  /** Wakes a waiting long poll once per tick, so updates pushed together arrive as one batch, as from Telegram. */
  private schedulePollFlush(): void {
    if (this.pollFlushScheduled || !this.poll) return;
    this.pollFlushScheduled = true;
    queueMicrotask(() => {
      this.pollFlushScheduled = false;
      const poll = this.poll;
      if (!poll) return;
      const ready = this.collectUpdates(poll.limit);
      if (ready.length === 0) return;
      this.poll = undefined;
      clearTimeout(poll.timer);
      poll.finish(ready);
    });
  }

  private pumpWebhook(): void {
    const webhook = this.webhook;
    while (webhook && !this.closed && this.webhookInFlight < webhook.maxConnections && this.webhookQueue.size > 0) {
      const update = this.webhookQueue.shift() as Update;
      if (!this.isAllowed(update)) continue;
      this.webhookInFlight += 1;
      void this.deliver(webhook, update).then((delivery) => {
        this.webhookInFlight -= 1;
        if (this.closed) return;
        this.stats.webhookDeliveries += 1;
        this.webhookDeliveries.push(delivery);
        if (delivery.error !== undefined) this.lastWebhookError = { date: Math.floor(Date.now() / 1000), message: delivery.error };
        this.pumpWebhook();
        if (this.webhookQueue.size === 0 && this.webhookInFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
    if (this.webhookQueue.size === 0 && this.webhookInFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** POSTs one update; a JSON or multipart answer naming a `method` is executed as Telegram does. */
  private deliver(webhook: WebhookConfig, update: Update): Promise<WebhookDelivery> {
    const body = JSON.stringify(update);
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    if (webhook.secretToken !== undefined) headers['x-telegram-bot-api-secret-token'] = webhook.secretToken;
    return new Promise((resolve) => {
      const fail = (error: string, status?: number): void => resolve({ updateId: update.update_id, status, error });
      const request = http.request(webhook.url, { method: 'POST', headers, agent: this.agent }, (response) => {
        readBody(response).then(
          async (answer) => {
            const status = response.statusCode ?? 0;
            if (status < 200 || status > 299) return fail(`Wrong response from the webhook: ${status} ${response.statusMessage ?? ''}`.trim(), status);
            const params: Params = {};
            let parts: RawPart[] = [];
            try {
              parts = parseBody(response.headers['content-type'], answer, params);
            } catch {
              return resolve({ updateId: update.update_id, status, error: undefined });
            }
            const method = asString(params.method);
            if (method) await this.execute(method, params, parts, 'webhookReply', this.now(), undefined, () => undefined);
            resolve({ updateId: update.update_id, status, error: undefined });
          },
          (error: unknown) => fail(String(error)),
        );
      });
      request.setTimeout(60_000, () => request.destroy(new Error('Connection timed out')));
      request.on('error', (error) => fail(error.message));
      request.end(body);
    });
  }

  // ----- transcripts, chats and files -----

  private chatState(chatId: number | string, type?: UserMessageOptions['chatType']): ChatState {
    const key = chatKey(chatId);
    let state = this.chats.get(key);
    if (!state) {
      const kind =
        type ?? (typeof chatId === 'string' ? 'supergroup' : chatId > 0 ? 'private' : chatId < -1e12 ? 'supergroup' : 'group');
      const chat =
        kind === 'private'
          ? { id: chatId as number, type: kind, first_name: 'Test User' }
          : { id: chatId as number, type: kind, title: kind === 'group' ? 'Test Group' : 'Test Supergroup' };
      state = { chat: chat as Chat, nextMessageId: 1, messages: new Map() };
      this.chats.set(key, state);
    }
    return state;
  }

  private userFor(chatId: number, from?: Partial<User>): User {
    const id = from?.id ?? (chatId > 0 ? chatId : DEFAULT_GROUP_USER_ID);
    return { id, is_bot: false, first_name: 'Test User', language_code: 'id', ...from };
  }

  private messageUpdate(chatId: number, opts: UserMessageOptions, content: Record<string, unknown>): NewUpdate {
    const state = this.chatState(chatId, opts.chatType);
    const from = this.userFor(chatId, opts.from);
    if (state.chat.type === 'private' && 'first_name' in state.chat && opts.from?.first_name) {
      state.chat = { ...state.chat, first_name: opts.from.first_name };
    }
    const message = {
      message_id: state.nextMessageId++,
      from,
      chat: state.chat,
      date: opts.date ?? Math.floor(Date.now() / 1000),
      ...content,
    };
    return { message } as unknown as NewUpdate;
  }

  private caption(opts: UserMessageOptions): { caption?: string } {
    return opts.caption === undefined ? {} : { caption: opts.caption };
  }

  private observeUpdate(update: Record<string, unknown>): void {
    const query = update.callback_query as { id?: unknown } | undefined;
    if (query && typeof query.id === 'string') this.openCallbackQueries.add(query.id);
    const incoming = (update.message ?? update.channel_post) as StoredMessage | undefined;
    const edited = (update.edited_message ?? update.edited_channel_post) as StoredMessage | undefined;
    for (const message of [incoming, edited]) {
      const chat = message?.chat as { id?: unknown } | undefined;
      if (!message || !chat || (typeof chat.id !== 'number' && typeof chat.id !== 'string')) continue;
      const state = this.chatState(chat.id);
      state.nextMessageId = Math.max(state.nextMessageId, message.message_id + 1);
      const previous = state.messages.get(message.message_id);
      const entry = this.entryFor(message, 'user', asString(message.text) ?? asString(message.caption), undefined, undefined);
      if (previous && message === edited) entry.editCount = previous.editCount + 1;
      state.messages.set(message.message_id, entry);
    }
  }

  private entryFor(message: StoredMessage, sender: TranscriptEntry['sender'], rawText: string | undefined, parseMode: string | undefined, replyMarkup: unknown): TranscriptEntry {
    const kind: TranscriptEntry['kind'] =
      'text' in message ? 'text'
      : 'photo' in message ? 'photo'
      : 'document' in message ? 'document'
      : 'voice' in message ? 'voice'
      : 'location' in message ? 'location'
      : 'contact' in message ? 'contact'
      : 'sticker' in message ? 'sticker'
      : 'other';
    return {
      messageId: message.message_id,
      sender,
      kind,
      text: asString(message.text) ?? asString(message.caption),
      rawText,
      parseMode,
      replyMarkup,
      editCount: 0,
      message: message as unknown as Message,
    };
  }

  private storeFile(content: Buffer, folder: string, extension: string, declaredSize?: number): FileRecord {
    const number = this.nextFileNumber++;
    const record: FileRecord = {
      file_id: `AgAD${this.botUser.id.toString(36)}F${number.toString(36)}`,
      file_unique_id: `AQAD${number.toString(36)}`,
      file_size: declaredSize ?? content.length,
      file_path: `${folder}/file_${number}.${extension}`,
      data: content,
    };
    this.fileRecords.set(record.file_id, record);
    this.filesByPath.set(record.file_path, record);
    return record;
  }

  private mediaIds(record: FileRecord): { file_id: string; file_unique_id: string; file_size: number } {
    return { file_id: record.file_id, file_unique_id: record.file_unique_id, file_size: record.file_size };
  }

  private commandKey(scope: unknown, languageCode: unknown): string {
    return `${JSON.stringify(scope ?? { type: 'default' })}|${asString(languageCode) ?? ''}`;
  }

  // ----- methods -----

  private registerBuiltins(): void {
    const add = (name: string, run: (params: Params, files: UploadedFile[]) => unknown): void => {
      this.handlers.set(name.toLowerCase(), { name, run });
    };
    add('getMe', () => this.botUser);
    // Runs through execute() directly (it needs the client's connection); registered so it is a known method.
    add('getUpdates', () => []);
    add('setWebhook', (p) => this.setWebhook(p));
    add('deleteWebhook', (p) => {
      const pending = this.webhookQueue.clear();
      this.webhook = undefined;
      if (p.drop_pending_updates === true) this.updates.clear();
      else for (const update of pending) this.updates.push(update);
      return true;
    });
    add('getWebhookInfo', () => ({
      url: this.webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.webhook ? this.webhookQueue.size + this.webhookInFlight : this.updates.size,
      ...(this.webhook ? { max_connections: this.webhook.maxConnections, ip_address: '127.0.0.1' } : {}),
      ...(this.lastWebhookError ? { last_error_date: this.lastWebhookError.date, last_error_message: this.lastWebhookError.message } : {}),
    }));
    add('sendMessage', (p) => this.sendMessage(p));
    add('editMessageText', (p) => this.editMessage(p, true));
    add('editMessageReplyMarkup', (p) => this.editMessage(p, false));
    add('deleteMessage', (p) => {
      const state = this.requireChat(p);
      const messageId = asInt(p.message_id);
      if (messageId === undefined || !state.messages.delete(messageId)) throw badRequest('message to delete not found');
      return true;
    });
    add('answerCallbackQuery', (p) => {
      const id = asString(p.callback_query_id);
      if (id === undefined || !this.openCallbackQueries.delete(id)) throw badRequest(BAD.oldQuery.slice('Bad Request: '.length));
      if ((asString(p.text) ?? '').length > 200) throw badRequest('MESSAGE_TOO_LONG');
      return true;
    });
    add('sendDocument', (p, files) => this.sendMedia(p, files, 'document'));
    add('sendPhoto', (p, files) => this.sendMedia(p, files, 'photo'));
    add('sendChatAction', (p) => {
      this.requireChat(p);
      if (!CHAT_ACTIONS.has(asString(p.action) ?? '')) throw badRequest('wrong parameter action in request');
      return true;
    });
    add('setMyCommands', (p) => {
      if (!Array.isArray(p.commands)) throw badRequest('parameter "commands" is required');
      if (p.commands.length > 100) throw badRequest('too many commands');
      for (const command of p.commands as Array<{ command?: unknown; description?: unknown }>) {
        if (!/^[a-z0-9_]{1,32}$/.test(asString(command.command) ?? '')) throw badRequest('BOT_COMMAND_INVALID');
        const description = asString(command.description) ?? '';
        if (description.length < 1 || description.length > 256) throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
      }
      this.commandSets.set(this.commandKey(p.scope, p.language_code), p.commands);
      return true;
    });
    add('getMyCommands', (p) => this.commands(p.scope as { type: string } | undefined, asString(p.language_code)));
    add('deleteMyCommands', (p) => {
      this.commandSets.delete(this.commandKey(p.scope, p.language_code));
      return true;
    });
    add('getFile', (p) => {
      const record = this.fileRecords.get(asString(p.file_id) ?? '');
      if (!record) throw badRequest('invalid file_id');
      if (record.file_size > MAX_DOWNLOAD_BYTES) throw badRequest('file is too big');
      return { file_id: record.file_id, file_unique_id: record.file_unique_id, file_size: record.file_size, file_path: record.file_path };
    });
  }

  private setWebhook(p: Params): true {
    const url = asString(p.url) ?? '';
    if (url === '') {
      this.webhook = undefined;
      return true;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest('bad webhook: Failed to resolve host: Name or service not known');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    const secretToken = asString(p.secret_token);
    if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
      throw badRequest('secret token contains unallowed characters');
    }
    if (Array.isArray(p.allowed_updates)) {
      this.allowedUpdates = p.allowed_updates.length === 0 ? undefined : new Set(p.allowed_updates.map(String));
    }
    if (this.poll) {
      const poll = this.poll;
      this.poll = undefined;
      clearTimeout(poll.timer);
      poll.fail(new FakeApiError(409, 'Conflict: terminated by setWebhook request'));
    }
    const maxConnections = Math.min(100, Math.max(1, asInt(p.max_connections) ?? 40));
    this.webhook = { url, secretToken, maxConnections };
    const pending = this.updates.clear();
    if (p.drop_pending_updates === true) this.webhookQueue.clear();
    else for (const update of pending) this.webhookQueue.push(update);
    this.pumpWebhook();
    return true;
  }

  private requireChat(p: Params): ChatState {
    const chatId = normaliseChatId(p.chat_id);
    if (chatId === undefined || chatId === '') throw badRequest('chat_id is empty');
    return this.chatState(chatId);
  }

  /** Applies parse_mode like Telegram: HTML is parsed and checked; Markdown is kept as sent (not validated here). */
  private formatText(raw: string, parseMode: unknown, entities: unknown): { text: string; entities: MessageEntity[] | undefined } {
    const mode = asString(parseMode);
    if (mode === undefined || mode === '') return { text: raw, entities: Array.isArray(entities) && entities.length > 0 ? (entities as MessageEntity[]) : undefined };
    const lower = mode.toLowerCase();
    if (lower === 'html') {
      const parsed = parseTelegramHtml(raw);
      return { text: parsed.text, entities: parsed.entities.length > 0 ? parsed.entities : undefined };
    }
    if (lower === 'markdown' || lower === 'markdownv2') return { text: raw, entities: undefined };
    throw badRequest('unsupported parse_mode');
  }

  /** Validates reply_markup and returns what Telegram echoes in the message (inline keyboards only). */
  private checkMarkup(markup: unknown): unknown {
    if (markup === undefined || markup === null) return undefined;
    if (typeof markup !== 'object') throw badRequest("can't parse reply keyboard markup JSON object");
    const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
    if (rows === undefined) return undefined;
    if (!Array.isArray(rows)) throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
    for (const row of rows) {
      if (!Array.isArray(row)) throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
      for (const button of row as Array<Record<string, unknown>>) {
        if (!asString(button.text)) throw badRequest('text buttons are unallowed in the inline keyboard');
        const data = button.callback_data;
        if (data !== undefined) {
          const bytes = Buffer.byteLength(asString(data) ?? '');
          if (bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID');
        } else if (!['url', 'web_app', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat', 'switch_inline_query_chosen_chat', 'callback_game', 'pay', 'copy_text'].some((key) => key in button)) {
          throw badRequest('text buttons are unallowed in the inline keyboard');
        }
      }
    }
    return markup;
  }

  private replyTarget(state: ChatState, p: Params): Record<string, unknown> {
    const parameters = p.reply_parameters as { message_id?: unknown; allow_sending_without_reply?: unknown } | undefined;
    const replyTo = asInt(p.reply_to_message_id) ?? asInt(parameters?.message_id);
    if (replyTo === undefined) return {};
    const target = state.messages.get(replyTo);
    if (target) return { reply_to_message: target.message };
    if (p.allow_sending_without_reply === true || parameters?.allow_sending_without_reply === true) return {};
    throw badRequest('message to be replied not found');
  }

  private storeBotMessage(state: ChatState, content: Record<string, unknown>, p: Params, rawText: string | undefined, replyMarkup: unknown): Message {
    const echoedMarkup = this.checkMarkup(replyMarkup);
    const message: StoredMessage = {
      message_id: state.nextMessageId++,
      from: this.botUser,
      chat: state.chat,
      date: Math.floor(Date.now() / 1000),
      ...this.replyTarget(state, p),
      ...content,
      ...(echoedMarkup === undefined ? {} : { reply_markup: echoedMarkup }),
    };
    state.messages.set(message.message_id, this.entryFor(message, 'bot', rawText, asString(p.parse_mode), replyMarkup));
    return message as unknown as Message;
  }

  private sendMessage(p: Params): Message {
    const state = this.requireChat(p);
    const raw = asString(p.text);
    if (!raw) throw badRequest('message text is empty');
    const { text, entities } = this.formatText(raw, p.parse_mode, p.entities);
    if (text.trim().length === 0) throw badRequest('message text is empty');
    if (text.length > MAX_TEXT) throw badRequest('message is too long');
    return this.storeBotMessage(state, { text, ...(entities ? { entities } : {}) }, p, raw, p.reply_markup);
  }

  private captionOf(p: Params): Record<string, unknown> {
    const raw = asString(p.caption);
    if (raw === undefined || raw === '') return {};
    const { text, entities } = this.formatText(raw, p.parse_mode, p.caption_entities);
    if (text.length > MAX_CAPTION) throw badRequest('message caption is too long');
    return { caption: text, ...(entities ? { caption_entities: entities } : {}) };
  }

  private inputFile(p: Params, files: UploadedFile[], field: string): { record: FileRecord; upload: UploadedFile | undefined } {
    const value = p[field];
    const attached = typeof value === 'string' && value.startsWith('attach://') ? value.slice('attach://'.length) : field;
    const upload = files.find((file) => file.field === attached);
    if (upload) return { record: this.storeFile(upload.data, field === 'photo' ? 'photos' : 'documents', extensionOf(upload.fileName, field === 'photo' ? 'jpg' : 'dat')), upload };
    if (typeof value !== 'string' || value === '') throw badRequest(`there is no ${field} in the request`);
    const known = this.fileRecords.get(value);
    if (known) return { record: known, upload: undefined };
    if (/^https?:\/\//.test(value)) return { record: this.storeFile(Buffer.alloc(0), field === 'photo' ? 'photos' : 'documents', 'dat'), upload: undefined };
    throw badRequest('wrong file identifier/HTTP URL specified');
  }

  private sendMedia(p: Params, files: UploadedFile[], field: 'document' | 'photo'): Message {
    const state = this.requireChat(p);
    const caption = this.captionOf(p);
    const { record, upload } = this.inputFile(p, files, field);
    if (field === 'photo' && upload && !isImage(upload.data)) throw badRequest('IMAGE_PROCESS_FAILED');
    let content: Record<string, unknown>;
    if (field === 'photo') {
      const size = record.data ? imageSize(record.data) : undefined;
      content = { photo: [{ ...this.mediaIds(record), width: size?.width ?? 800, height: size?.height ?? 600 }] };
    } else {
      const fileName = upload?.fileName ?? record.file_path.slice(record.file_path.lastIndexOf('/') + 1);
      content = { document: { ...this.mediaIds(record), file_name: fileName, mime_type: upload?.mimeType ?? guessMime(fileName) } };
    }
    const message = this.storeBotMessage(state, { ...content, ...caption }, p, asString(p.caption), p.reply_markup);
    if (upload) {
      upload.fileId = record.file_id;
      this.files.push(upload);
    }
    return message;
  }

  private editMessage(p: Params, withText: boolean): Message | true {
    if (p.inline_message_id !== undefined && p.chat_id === undefined) return true;
    const state = this.requireChat(p);
    const messageId = asInt(p.message_id);
    const entry = messageId === undefined ? undefined : state.messages.get(messageId);
    if (!entry) throw badRequest(BAD.editNotFound.slice('Bad Request: '.length));
    if (entry.sender !== 'bot') throw badRequest("message can't be edited");
    const current = entry.message as unknown as StoredMessage;
    const next: StoredMessage = { ...current };
    const markup = this.checkMarkup(p.reply_markup);
    if (markup === undefined) delete next.reply_markup;
    else next.reply_markup = markup;
    let rawText = entry.rawText;
    if (withText) {
      if (typeof current.text !== 'string') throw badRequest('there is no text in the message to edit');
      rawText = asString(p.text);
      if (!rawText) throw badRequest('message text is empty');
      const { text, entities } = this.formatText(rawText, p.parse_mode, p.entities);
      if (text.length > MAX_TEXT) throw badRequest('message is too long');
      next.text = text;
      if (entities) next.entities = entities;
      else delete next.entities;
    }
    const same =
      next.text === current.text &&
      JSON.stringify(next.entities) === JSON.stringify(current.entities) &&
      JSON.stringify(next.reply_markup) === JSON.stringify(current.reply_markup);
    if (same) throw badRequest(BAD.notModified.slice('Bad Request: '.length));
    next.edit_date = Math.floor(Date.now() / 1000);
    state.messages.set(entry.messageId, {
      ...entry,
      text: asString(next.text) ?? entry.text,
      rawText,
      parseMode: withText ? asString(p.parse_mode) : entry.parseMode,
      replyMarkup: p.reply_markup,
      editCount: entry.editCount + 1,
      message: next as unknown as Message,
    });
    return next as unknown as Message;
  }
}

function writeJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Starts a fake Bot API on 127.0.0.1 on a free port.
 *
 * @example
 * const fake = await startFakeBotApi();
 * const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
 * bot.on(message('text'), (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
 * let polling: Promise<void> = Promise.resolve();
 * await new Promise<void>((started) => { polling = bot.launch({}, started); });
 * fake.pushUpdate(fake.textUpdate(42, 'halo'));
 * await fake.waitForSent(42, 'echo: halo');
 * bot.stop();
 * await polling; // the loop ends after its final getUpdates, so close the fake only now
 * await fake.close();
 */
export async function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const server = http.createServer();
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const fake = new FakeBotApi(server, (server.address() as AddressInfo).port, options);
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => fake.onRequest(req, res));
  return fake;
}
