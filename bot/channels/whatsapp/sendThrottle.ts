/**
 * Paces outgoing WhatsApp messages: one at a time per chat with a gap between them, and a global cap per minute
 * for the whole number. WhatsApp flags numbers that send in bursts, and an unofficial client has no rate-limit
 * errors to back off from, so the pace is kept on our side.
 */
import Bottleneck from 'bottleneck';

/** How fast messages may go out. */
export interface SendThrottleOptions {
  /** Minimum gap between two messages to the same chat. */
  perChatIntervalMs: number;
  /** Messages per minute over every chat together. */
  messagesPerMinute: number;
}

/** A per-chat queue chained to a global one; tasks of one chat run in the order they were scheduled. */
export class SendThrottle {
  private readonly global: Bottleneck;
  private readonly chats: Bottleneck.Group;

  constructor(options: SendThrottleOptions) {
    this.global = new Bottleneck({ maxConcurrent: 1, minTime: Math.ceil(60_000 / options.messagesPerMinute) });
    this.chats = new Bottleneck.Group({ maxConcurrent: 1, minTime: options.perChatIntervalMs });
    this.chats.on('created', (limiter: Bottleneck) => {
      limiter.chain(this.global);
    });
  }

  /** Runs `task` when both the chat's pace and the global cap allow it. */
  schedule<T>(chatId: string, task: () => Promise<T>): Promise<T> {
    return this.chats.key(chatId).schedule(task);
  }

  /** Drops whatever is still waiting (shutdown); running sends finish. */
  async stop(): Promise<void> {
    const options = { dropWaitingJobs: true, dropErrorMessage: 'WhatsApp channel stopped', enqueueErrorMessage: 'WhatsApp channel stopped' };
    await Promise.all(this.chats.limiters().map(({ limiter }) => limiter.stop(options).catch(() => undefined)));
    await this.global.stop(options).catch(() => undefined);
  }
}
