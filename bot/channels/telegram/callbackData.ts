/**
 * The data behind inline buttons (Telegram allows 1-64 bytes). Netra's own buttons use one-letter prefixes:
 * `k:<tag><value>` a choice of the question tagged `<tag>` (see `promptTag`), `m:<tag><index>` such a choice whose
 * value does not fit, `p:<page>` another page of a long list, `x` a button that does nothing (the page indicator).
 * `c:<value>` and `n:<index>` are the same without a tag: choices of messages that are not questions, and buttons
 * sent before questions were tagged. Any other `<prefix>:<payload>` belongs to a module that registered the prefix
 * (officers use `o:`). Anything else is stale or forged: answered, never trusted.
 */
import { PROMPT_TAG_LENGTH } from '../../conversation/promptTag.ts';

/** Telegram's limit on callback data, in bytes. */
export const MAX_CALLBACK_BYTES = 64;

/** Prefixes the channel uses itself; modules pick others. */
export const reservedPrefixes: ReadonlySet<string> = new Set(['c', 'n', 'k', 'm', 'p', 'x']);

/** A prefix a module may register: a lowercase letter followed by up to 7 lowercase letters or digits. */
export const customPrefixPattern = /^[a-z][a-z0-9]{0,7}$/;

/** What a button press means. */
export type CallbackData =
  /** `promptTag`: the question the button belongs to, when it was tagged. */
  | { type: 'choice'; value: string; promptTag?: string }
  | { type: 'choiceIndex'; index: number; promptTag?: string }
  | { type: 'page'; page: number }
  | { type: 'noop' }
  | { type: 'custom'; prefix: string; payload: string }
  | { type: 'invalid' };

const tagPattern = new RegExp(`^[A-Za-z0-9_-]{${PROMPT_TAG_LENGTH}}$`);

/**
 * The data of a choice button: `c:<value>`, or `n:<index>` when the value would not fit; with the question's tag,
 * `k:<tag><value>` or `m:<tag><index>`. With a module's prefix (`o` for officers) it is `<prefix>:<value>`, which
 * must fit: a longer value is a programming error.
 */
export function choiceData(value: string, index: number, prefix = 'c', promptTag?: string): string {
  if (prefix === 'c' && promptTag !== undefined) {
    if (!tagPattern.test(promptTag)) throw new Error(`Malformed question tag: ${promptTag}`);
    const data = `k:${promptTag}${value}`;
    return Buffer.byteLength(data) <= MAX_CALLBACK_BYTES ? data : `m:${promptTag}${index}`;
  }
  const data = `${prefix}:${value}`;
  if (Buffer.byteLength(data) <= MAX_CALLBACK_BYTES) return data;
  if (prefix === 'c') return `n:${index}`;
  throw new Error(`Callback data over ${MAX_CALLBACK_BYTES} bytes for prefix ${prefix}: shorten the choice value`);
}

/** The data of a page button. */
export function pageData(page: number): string {
  return `p:${page}`;
}

/** The data of the page indicator. */
export const noopData = 'x';

/** Parses a button's data; never throws. */
export function parseCallbackData(data: string | undefined): CallbackData {
  if (data === undefined || data === '' || Buffer.byteLength(data) > MAX_CALLBACK_BYTES) return { type: 'invalid' };
  if (data === noopData) return { type: 'noop' };
  const colon = data.indexOf(':');
  if (colon < 1) return { type: 'invalid' };
  const prefix = data.slice(0, colon);
  const payload = data.slice(colon + 1);
  switch (prefix) {
    case 'c':
      return payload === '' ? { type: 'invalid' } : { type: 'choice', value: payload };
    case 'k':
    case 'm': {
      const promptTag = payload.slice(0, PROMPT_TAG_LENGTH);
      const rest = payload.slice(PROMPT_TAG_LENGTH);
      if (!tagPattern.test(promptTag) || rest === '') return { type: 'invalid' };
      if (prefix === 'k') return { type: 'choice', value: rest, promptTag };
      return /^\d{1,4}$/.test(rest) ? { type: 'choiceIndex', index: Number.parseInt(rest, 10), promptTag } : { type: 'invalid' };
    }
    case 'n':
    case 'p': {
      if (!/^\d{1,4}$/.test(payload)) return { type: 'invalid' };
      const number = Number.parseInt(payload, 10);
      return prefix === 'n' ? { type: 'choiceIndex', index: number } : { type: 'page', page: number };
    }
    default:
      return customPrefixPattern.test(prefix) ? { type: 'custom', prefix, payload } : { type: 'invalid' };
  }
}
