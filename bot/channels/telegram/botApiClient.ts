/**
 * A lean path for the Bot API calls every turn makes (sendMessage, the edits of a pressed question,
 * answerCallbackQuery): one JSON POST on the channel's kept-alive agent, answered the way telegraf answers
 * (the result, or a TelegramError carrying Telegram's error code, description and parameters). telegraf's own
 * client goes through node-fetch, which costs about twice the CPU per call; every other call (files, polling,
 * setup) still goes through it.
 */
import http from 'node:http';
import https from 'node:https';
import { TelegramError, type Telegram } from 'telegraf';

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

/** Where calls go and on which connections. */
export interface BotApiTarget {
  apiRoot: string;
  token: string;
  agent: http.Agent;
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

/** Sends one JSON call; resolves with `result`, rejects with a TelegramError or a BotApiNetworkError. */
export function callJson(target: BotApiTarget, method: string, payload: Record<string, unknown>): Promise<unknown> {
  const body = JSON.stringify(payload, withoutNulls);
  const endpoint = endpointOf(target);
  return new Promise((resolve, reject) => {
    const req = endpoint.request(
      {
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        port: endpoint.port,
        path: `${endpoint.path}${method}`,
        method: 'POST',
        agent: target.agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'keep-alive' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => reject(networkError(error, target.token)));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 500) {
            reject(new TelegramError({ error_code: status, description: res.statusMessage ?? '' }, { method, payload }));
            return;
          }
          let data: { ok?: boolean; result?: unknown; error_code?: number; description?: string };
          try {
            data = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof data;
          } catch {
            reject(new BotApiNetworkError(`invalid JSON in the answer to ${method} (HTTP ${status})`));
            return;
          }
          if (data.ok) resolve(data.result);
          else reject(new TelegramError(data as ConstructorParameters<typeof TelegramError>[0], { method, payload }));
        });
      },
    );
    req.setTimeout(CALL_TIMEOUT_MS, () => req.destroy(new BotApiNetworkError(`${method} timed out`)));
    req.on('error', (error) => reject(networkError(error, target.token)));
    req.end(body);
  });
}

interface Endpoint {
  request: typeof http.request;
  protocol: string;
  hostname: string;
  port: string;
  /** `/<root path>/bot<token>/`, to which the method is appended. */
  path: string;
}

const endpoints = new WeakMap<BotApiTarget, Endpoint>();

/** The target's URL parsed once (a URL per call is a measurable share of a call's cost). */
function endpointOf(target: BotApiTarget): Endpoint {
  let endpoint = endpoints.get(target);
  if (!endpoint) {
    const url = new URL(`./bot${target.token}/`, target.apiRoot.endsWith('/') ? target.apiRoot : `${target.apiRoot}/`);
    endpoint = {
      request: url.protocol === 'https:' ? https.request : http.request,
      protocol: url.protocol,
      // An IPv6 literal comes bracketed in a URL, bare in request options.
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port,
      path: url.pathname,
    };
    endpoints.set(target, endpoint);
  }
  return endpoint;
}

function networkError(error: Error, token: string): Error {
  return error instanceof BotApiNetworkError ? error : new BotApiNetworkError(error.message.split(token).join('<token>'));
}

/**
 * The client's `callApi` with the lean path for {@link leanMethods}; anything else (or a call with an abort
 * signal) goes to telegraf's original.
 */
export function leanCallApi(telegram: Telegram, target: BotApiTarget): Telegram['callApi'] {
  const original = telegram.callApi.bind(telegram);
  return ((method: string, payload: Record<string, unknown>, options?: { signal?: unknown }) =>
    leanMethods.has(method) && !options?.signal
      ? callJson(target, method, payload)
      : original(method as never, payload as never, options as never)) as Telegram['callApi'];
}
