/**
 * The data behind inline buttons (Telegram allows 1-64 bytes). Netra's own buttons use one-letter prefixes:
 * `c:<value>` a choice, `n:<index>` a choice whose value does not fit, `p:<page>` another page of a long list,
 * `x` a button that does nothing (the page indicator). Any other `<prefix>:<payload>` belongs to a module that
 * registered the prefix (officers use `o:`). Anything else is stale or forged: answered, never trusted.
 */

/** Telegram's limit on callback data, in bytes. */
export const MAX_CALLBACK_BYTES = 64;

/** Prefixes the channel uses itself; modules pick others. */
export const reservedPrefixes: ReadonlySet<string> = new Set(['c', 'n', 'p', 'x']);

/** A prefix a module may register: a lowercase letter followed by up to 7 lowercase letters or digits. */
export const customPrefixPattern = /^[a-z][a-z0-9]{0,7}$/;

/** What a button press means. */
export type CallbackData =
  | { type: 'choice'; value: string }
  | { type: 'choiceIndex'; index: number }
  | { type: 'page'; page: number }
  | { type: 'noop' }
  | { type: 'custom'; prefix: string; payload: string }
  | { type: 'invalid' };

/**
 * The data of a choice button: `c:<value>`, or `n:<index>` when the value would not fit. With a module's prefix
 * (`o` for officers) it is `<prefix>:<value>`, which must fit: a longer value is a programming error.
 */
export function choiceData(value: string, index: number, prefix = 'c'): string {
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
