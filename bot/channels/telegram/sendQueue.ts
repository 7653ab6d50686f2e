/**
 * The outbound queue to the Bot API. Telegram allows a bot about 30 messages a second overall, about one a second
 * in a private chat (short bursts tolerated) and 20 a minute in a group; past that it answers 429 with
 * `retry_after`. So every delivering call goes through here:
 * - per chat, in order (one call at a time per chat), paced by a small token bucket (burst, then the chat's rate);
 * - overall, through a Bottleneck limiter spacing calls to the global rate;
 * - with retries (p-retry): a 429 waits `retry_after` (not counted as a retry), 5xx and network errors back off
 *   exponentially; a 403 (the user blocked the bot) or another 4xx fails at once as a permanent DeliveryError.
 * A burst is spaced, never dropped. Per-chat pacing is a token bucket of a few bytes per chat rather than a
 * Bottleneck.Group limiter per chat, whose reservoir needs a heartbeat timer per chat: with ten thousand chats in
 * flight that is ten thousand timers and kilobytes each.
 */
import Bottleneck from 'bottleneck';
import pRetry, { AbortError } from 'p-retry';
import { TelegramError } from 'telegraf';
import { KeyedQueue } from '../../conversation/keyedQueue.ts';
import { DeliveryError } from '../../errors.ts';

/** Telegram's flood limits as the queue applies them. */
export interface SendLimits {
  /** Calls per second over all chats. */
  globalPerSec: number;
  /** Pace in a private chat once its burst is spent. */
  perChatPerSec: number;
  /** Calls a private chat may get at once. */
  perChatBurst: number;
  /** Pace in a group (negative chat id), per minute. */
  perGroupPerMin: number;
  /** Calls a group may get at once. */
  perGroupBurst: number;
}

/** Telegram's documented limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this). */
export const telegramLimits: SendLimits = {
  globalPerSec: 30,
  perChatPerSec: 1,
  perChatBurst: 3,
  perGroupPerMin: 20,
  perGroupBurst: 3,
};

/** Telegram's limits with another global pace (a deployment's TELEGRAM_MESSAGES_PER_SECOND). */
export function limitsWithGlobalRate(globalPerSec: number): SendLimits {
  return { ...telegramLimits, globalPerSec };
}

/** How failed calls are retried. */
export interface RetryPolicy {
  /** Retries after 5xx or network errors. */
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** How many 429 answers one call may wait out before it fails. */
  max429Waits: number;
  /** Longest `retry_after` honoured; a longer one fails the call (the outbox retries later). */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  retries: 6,
  minDelayMs: 500,
  maxDelayMs: 30_000,
  max429Waits: 10,
  maxRetryAfterMs: 120_000,
};

export interface SendQueueOptions {
  /** `false` turns pacing off (a self-hosted Bot API server, paid broadcasts, the benchmark); order is kept. */
  limits?: SendLimits | false;
  retry?: Partial<RetryPolicy>;
  /** Called with an error code (`429`, `403`, `500`, `network`, ...) for every failed attempt. */
  onAttemptError?: (code: string) => void;
  /** Called once when a chat turns out to have blocked the bot. */
  onBlocked?: (chatId: string) => void;
  /** How long a chat found blocked fails fast without calling the API. */
  blockedForMs?: number;
}

/** Paces, orders and retries delivering calls. */
export class SendQueue {
  private readonly chats = new KeyedQueue();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly global: Bottleneck | undefined;
  private readonly limits: SendLimits | false;
  private readonly retry: RetryPolicy;
  private readonly blocked = new Map<string, number>();
  private readonly idleWaiters: Array<() => void> = [];
  private pending = 0;
  private takes = 0;

  constructor(private readonly options: SendQueueOptions = {}) {
    this.limits = options.limits === undefined ? telegramLimits : options.limits;
    this.retry = { ...defaultRetryPolicy, ...options.retry };
    this.global = this.limits ? new Bottleneck({ minTime: Math.ceil(1000 / this.limits.globalPerSec) }) : undefined;
  }

  /** Calls queued or in flight. */
  get depth(): number {
    return this.pending;
  }

  /**
   * Runs `call` for `chatId` after every call queued before it for that chat, within the limits, with retries.
   * Rejects with a DeliveryError (`permanent` when retrying cannot help).
   */
  enqueue<T>(chatId: string, call: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const result = this.chats.run(chatId, () => this.deliver(chatId, call));
    void result.then(this.settle, this.settle);
    return result;
  }

  /** Forgets that a chat blocked the bot (it wrote again). */
  unblock(chatId: string): void {
    this.blocked.delete(chatId);
  }

  /** Resolves true once nothing is queued or in flight, or false after `timeoutMs`. */
  drain(timeoutMs = 30_000): Promise<boolean> {
    if (this.pending === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private readonly settle = (): void => {
    this.pending -= 1;
    if (this.pending === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  };

  private async deliver<T>(chatId: string, call: () => Promise<T>): Promise<T> {
    const blockedUntil = this.blocked.get(chatId);
    if (blockedUntil !== undefined) {
      if (blockedUntil > Date.now()) throw new DeliveryError('The user blocked the bot', true, 403);
      this.blocked.delete(chatId);
    }
    if (this.limits) await this.takeToken(chatId, this.limits);
    let waits429 = 0;
    const attempt = async (): Promise<T> => {
      try {
        return await (this.global ? this.global.schedule(call) : call());
      } catch (error) {
        const failure = classify(error);
        this.options.onAttemptError?.(failure.code);
        if (failure.code === '403') {
          this.blocked.set(chatId, Date.now() + (this.options.blockedForMs ?? 10 * 60_000));
          this.options.onBlocked?.(chatId);
        }
        if (failure.permanent) throw new AbortError(new DeliveryError(failure.message, true, failure.status));
        if (failure.retryAfterMs !== undefined && failure.retryAfterMs > this.retry.maxRetryAfterMs) {
          throw new AbortError(new DeliveryError(failure.message, false, 429, failure.retryAfterMs));
        }
        throw new RetryableError(failure);
      }
    };
    try {
      return await pRetry(attempt, {
        retries: this.retry.retries,
        minTimeout: this.retry.minDelayMs,
        maxTimeout: this.retry.maxDelayMs,
        factor: 2,
        randomize: true,
        onFailedAttempt: async ({ error }) => {
          if (!(error instanceof RetryableError) || error.failure.retryAfterMs === undefined) return;
          waits429 += 1;
          if (waits429 > this.retry.max429Waits) throw error;
          await sleep(error.failure.retryAfterMs);
        },
        // A 429 has waited its retry_after already: no backoff on top, and it does not use up a retry.
        shouldConsumeRetry: ({ error }) => !(error instanceof RetryableError && error.failure.retryAfterMs !== undefined),
      });
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      if (error instanceof RetryableError) {
        throw new DeliveryError(error.failure.message, false, error.failure.status, error.failure.retryAfterMs);
      }
      throw new DeliveryError(error instanceof Error ? error.message : String(error), false);
    } finally {
      // The chat's next token refills from now: a call that left on time may have reached Telegram late, and
      // Telegram counts arrivals. (Calls to one chat never overlap, so this is after the previous one arrived.)
      const bucket = this.buckets.get(chatId);
      if (bucket) bucket.at = Math.max(bucket.at, Date.now());
    }
  }

  /** Waits for the chat's token bucket (callers for one chat never overlap: the chat queue runs them in turn). */
  private async takeToken(chatId: string, limits: SendLimits): Promise<void> {
    const { capacity, perMs } = chatRate(chatId, limits);
    const now = Date.now();
    const bucket = this.buckets.get(chatId) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    if (bucket.tokens < 1) {
      const wait = Math.ceil((1 - bucket.tokens) / perMs);
      await sleep(wait);
      bucket.tokens = 1;
      bucket.at = Date.now();
    }
    bucket.tokens -= 1;
    this.buckets.set(chatId, bucket);
    if (++this.takes % 1024 === 0) this.sweep(limits);
  }

  /** Drops buckets that have refilled: a chat not written to lately starts with a full burst anyway. */
  private sweep(limits: SendLimits): void {
    const now = Date.now();
    for (const [chatId, bucket] of this.buckets) {
      const { capacity, perMs } = chatRate(chatId, limits);
      if (bucket.tokens + (now - bucket.at) * perMs >= capacity) this.buckets.delete(chatId);
    }
  }
}

/** A chat's bucket: groups (negative ids) by the minute, private chats by the second. */
function chatRate(chatId: string, limits: SendLimits): { capacity: number; perMs: number } {
  const group = chatId.startsWith('-');
  const capacity = Math.max(1, group ? limits.perGroupBurst : limits.perChatBurst);
  const perMs = group ? limits.perGroupPerMin / 60_000 : limits.perChatPerSec / 1000;
  return { capacity, perMs };
}

/** What went wrong with one attempt. */
interface Failure {
  /** Metric label: the HTTP status, or `network`. */
  code: string;
  status?: number;
  message: string;
  permanent: boolean;
  retryAfterMs?: number;
}

class RetryableError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
    this.name = 'RetryableError';
  }
}

function classify(error: unknown): Failure {
  if (error instanceof TelegramError) {
    const status = error.code;
    const message = `${status}: ${error.description}`;
    if (status === 429) {
      const seconds = error.parameters?.retry_after ?? 1;
      return { code: '429', status, message, permanent: false, retryAfterMs: Math.max(0, seconds) * 1000 };
    }
    if (status >= 500) return { code: String(status), status, message, permanent: false };
    return { code: String(status), status, message, permanent: true };
  }
  // node-fetch's FetchError (connection refused or reset, timeouts) and anything else below HTTP.
  return { code: 'network', message: error instanceof Error ? error.message : String(error), permanent: false };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
