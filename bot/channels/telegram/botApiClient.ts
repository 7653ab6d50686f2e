/**
 * A lean path for the Bot API calls every turn makes (sendMessage, the edits of a pressed question,
 * answerCallbackQuery): one JSON POST on a pool of kept-alive connections (undici), answered the way telegraf
 * answers (the result, or a TelegramError carrying Telegram's error code, description and parameters). telegraf's
 * own client goes through node-fetch on Node's http agent, which costs two to three times the CPU per call; every
 * other call (files, polling, setup) still goes through it.
 */
import { TelegramError, type Telegram } from 'telegraf';
import { Pool } from 'undici';

/** Methods sent on the lean path: text-only calls made for nearly every update. */
export const leanMethods: ReadonlySet<string> = new Set([
  'sendMessage',
  'editMessageText',
  'editMessageReplyMarkup',
  'answerCallbackQuery',
  'sendChatAction',
]);

/** How long a call may take before it counts as a network failure (telegraf's own figure). */
const CALL_TIMEOUT_MS = 500_000;

/** Connections kept to the Bot API at most (Telegram's own ceiling for a webhook's connections is 100). */
const MAX_CONNECTIONS = 100;

/** Where calls go. */
export interface BotApiTarget {
  apiRoot: string;
  token: string;
}

/** Raised for a call that got no usable answer (connection refused or reset, timeout, a body that is not JSON). */
export class BotApiNetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BotApiNetworkError';
  }
}

/** telegraf drops null and undefined fields from a JSON payload; so does the lean path. */
function withoutNulls(_key: string, value: unknown): unknown {
  return value == null ? undefined : value;
}

/** JSON calls to one bot's API on kept-alive connections. `close()` lets the process exit. */
export class LeanBotApi {
  private readonly pool: Pool;
  /** `/<root path>/bot<token>/`, to which the method is appended. */
  private readonly basePath: string;

  constructor(private readonly target: BotApiTarget) {
    const url = new URL(`./bot${target.token}/`, target.apiRoot.endsWith('/') ? target.apiRoot : `${target.apiRoot}/`);
    this.basePath = url.pathname;
    this.pool = new Pool(url.origin, {
      connections: MAX_CONNECTIONS,
      headersTimeout: CALL_TIMEOUT_MS,
      bodyTimeout: CALL_TIMEOUT_MS,
      keepAliveTimeout: 10_000,
    });
  }

  /** Sends one JSON call; resolves with `result`, rejects with a TelegramError or a BotApiNetworkError. */
  async call(method: string, payload: Record<string, unknown>): Promise<unknown> {
    const body = JSON.stringify(payload, withoutNulls);
    let status: number;
    let text: string;
    let statusText = '';
    try {
      const response = await this.pool.request({
        path: `${this.basePath}${method}`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw this.networkError(error);
    }
    if (status >= 500) {
      try {
        statusText = (JSON.parse(text) as { description?: string }).description ?? '';
      } catch {
        // An HTML error page from a proxy: the status says enough.
      }
      throw new TelegramError({ error_code: status, description: statusText }, { method, payload });
    }
    let data: { ok?: boolean; result?: unknown; error_code?: number; description?: string };
    try {
      data = JSON.parse(text) as typeof data;
    } catch {
      throw new BotApiNetworkError(`invalid JSON in the answer to ${method} (HTTP ${status})`);
    }
    if (data.ok) return data.result;
    throw new TelegramError(data as ConstructorParameters<typeof TelegramError>[0], { method, payload });
  }

  /** Closes the connections: calls in flight get a few seconds to finish, then are cut. */
  async close(graceMs = 2_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const closed = this.pool.close().then(
      () => true,
      () => true,
    );
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
    const inTime = await Promise.race([closed, late]);
    clearTimeout(timer);
    if (!inTime) await this.pool.destroy().catch(() => undefined);
  }

  private networkError(error: unknown): Error {
    if (error instanceof BotApiNetworkError) return error;
    const message = error instanceof Error ? error.message || (error as { code?: string }).code || error.name : String(error);
    return new BotApiNetworkError(message.split(this.target.token).join('<token>'));
  }
}

/**
 * The client's `callApi` with the lean path for {@link leanMethods}; anything else (or a call with an abort
 * signal) goes to telegraf's original.
 */
export function leanCallApi(telegram: Telegram, lean: LeanBotApi): Telegram['callApi'] {
  const original = telegram.callApi.bind(telegram);
  return ((method: string, payload: Record<string, unknown>, options?: { signal?: unknown }) =>
    leanMethods.has(method) && !options?.signal
      ? lean.call(method, payload)
      : original(method as never, payload as never, options as never)) as Telegram['callApi'];
}
