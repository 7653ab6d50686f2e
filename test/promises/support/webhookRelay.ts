/**
 * Telegram's side of webhook delivery, between the fake Bot API and Netra processes. The fake POSTs each update
 * once; Telegram itself keeps an update until the bot answers 2xx and delivers it again otherwise. The relay does
 * that: it holds the fake's request and posts the update to a Netra process, again and again (to the next process
 * when there are several) until one answers 2xx, and only then answers the fake. An update whose POST was
 * answered 2xx is *acknowledged*: Netra promises its turn is committed by then.
 *
 * Netra registers the relay's URL as its webhook (TELEGRAM_WEBHOOK_URL) and serves the same path on its own port,
 * which is where the relay posts. With `duplicateRate`, an update is posted to two processes at once, as Telegram
 * does when a slow answer makes it retry while the first delivery still runs.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Every answer to the fake closes its connection: a kept-alive connection the relay closes when idle can meet the
 * fake's next delivery on its way, which then fails, and the fake (unlike Telegram) does not deliver again.
 */
const CLOSE = { 'content-length': 0, connection: 'close' };

/** The path Netra serves the webhook on (the relay URL's path). */
export const WEBHOOK_PATH = '/telegram/webhook';

export interface RelayOptions {
  /** Ports of the Netra processes to deliver to (read at each attempt, so a restarted process is found). */
  targets: () => number[];
  /** Share (0..1) of updates posted to two processes at once; needs two targets. */
  duplicateRate?: number;
  /** Updates always posted to two processes at once (besides the random share). */
  duplicate?: (update: Record<string, unknown>) => boolean;
  random?: () => number;
  /** How long one update is retried before the relay gives up (the fake then records a failed delivery). */
  giveUpAfterMs?: number;
}

/** What happened to one update. */
export interface RelayRecord {
  updateId: number;
  /** Attempts over all targets. */
  attempts: number;
  /** Ports that answered 2xx. */
  acceptedBy: number[];
  /** Posted to two processes. */
  duplicated: boolean;
  ackedAt?: number;
  /** Answers other than 2xx (status or network error), for diagnosis. */
  failures: string[];
  /** Chat and what was sent, for diagnosis. */
  summary: string;
}

/** A running relay. */
export class WebhookRelay {
  readonly records = new Map<number, RelayRecord>();
  private readonly server: http.Server;
  private readonly agent = new http.Agent({ keepAlive: false });
  private next = 0;
  private inFlight = 0;
  private readonly ackWaiters = new Map<number, Array<() => void>>();
  private readonly idleWaiters: Array<() => void> = [];
  private closed = false;
  port = 0;

  private constructor(private readonly options: RelayOptions) {
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
  }

  static async start(options: RelayOptions): Promise<WebhookRelay> {
    const relay = new WebhookRelay(options);
    await new Promise<void>((resolve) => relay.server.listen(0, '127.0.0.1', resolve));
    relay.port = (relay.server.address() as AddressInfo).port;
    return relay;
  }

  /** The URL Netra registers as its webhook. */
  get url(): string {
    return `http://127.0.0.1:${this.port}${WEBHOOK_PATH}`;
  }

  /** Updates being delivered right now. */
  get pending(): number {
    return this.inFlight;
  }

  /** Whether an update was acknowledged. */
  acked(updateId: number): boolean {
    return this.records.get(updateId)?.ackedAt !== undefined;
  }

  /** Resolves once the update is acknowledged. */
  waitAcked(updateId: number, timeoutMs = 60_000): Promise<void> {
    if (this.acked(updateId)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const record = this.records.get(updateId);
        const seen = record
          ? `${record.summary}: ${record.attempts} attempts, failures: ${record.failures.slice(-5).join(', ') || 'none'}${this.inFlight > 0 ? `, ${this.inFlight} updates in flight` : ''}`
          : 'the relay never received it';
        reject(new Error(`update ${updateId} not acknowledged within ${timeoutMs} ms (${seen})`));
      }, timeoutMs);
      const list = this.ackWaiters.get(updateId) ?? [];
      list.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.ackWaiters.set(updateId, list);
    });
  }

  /** Resolves when no update is being delivered. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.agent.destroy();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return;
    }
    const body = Buffer.concat(chunks);
    const update = JSON.parse(body.toString('utf8')) as Record<string, unknown> & { update_id: number };
    const updateId = update.update_id;
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
    const secret = req.headers['x-telegram-bot-api-secret-token'];
    if (typeof secret === 'string') headers['x-telegram-bot-api-secret-token'] = secret;
    const record: RelayRecord = this.records.get(updateId) ?? { updateId, attempts: 0, acceptedBy: [], duplicated: false, failures: [], summary: summarise(update) };
    this.records.set(updateId, record);
    this.inFlight += 1;
    try {
      const random = this.options.random ?? Math.random;
      const twice =
        this.options.targets().length > 1 &&
        ((this.options.duplicate?.(update) ?? false) || ((this.options.duplicateRate ?? 0) > 0 && random() < (this.options.duplicateRate ?? 0)));
      record.duplicated ||= twice;
      const first = this.next++;
      const deliveries = twice ? [this.deliver(record, body, headers, first), this.deliver(record, body, headers, first + 1)] : [this.deliver(record, body, headers, first)];
      const results = await Promise.all(deliveries);
      const accepted = results.find((answer): answer is Buffer => answer !== false);
      if (accepted) {
        record.ackedAt = Date.now();
        for (const wake of this.ackWaiters.get(updateId) ?? []) wake();
        this.ackWaiters.delete(updateId);
        // Netra's answer may carry a Bot API call (a button's answer), which Telegram then performs: pass it on.
        if (accepted.length > 0) {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': accepted.length, connection: 'close' }).end(accepted);
        } else {
          res.writeHead(200, CLOSE).end();
        }
      } else {
        res.writeHead(502, CLOSE).end();
      }
    } catch {
      if (!res.headersSent) res.writeHead(502, CLOSE).end();
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Posts until a target answers 2xx (its answer's body) or time runs out (false). */
  private async deliver(record: RelayRecord, body: Buffer, headers: http.OutgoingHttpHeaders, start: number): Promise<Buffer | false> {
    const deadline = Date.now() + (this.options.giveUpAfterMs ?? 55_000);
    for (let attempt = 0; !this.closed && Date.now() < deadline; attempt += 1) {
      const targets = this.options.targets();
      const port = targets[(start + attempt) % Math.max(1, targets.length)];
      if (port !== undefined) {
        record.attempts += 1;
        const { status, answer } = await this.post(port, body, headers, Math.max(1_000, deadline - Date.now()));
        if (typeof status === 'number' && status >= 200 && status < 300) {
          record.acceptedBy.push(port);
          return answer;
        }
        record.failures.push(String(status));
      }
      // Telegram waits longer between retries; the trials only need the update to arrive once Netra is back.
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 + attempt * 25, 250)));
    }
    return false;
  }

  /** The status (or the network error's message) and the answer's body. */
  private post(port: number, body: Buffer, headers: http.OutgoingHttpHeaders, timeoutMs: number): Promise<{ status: number | string; answer: Buffer }> {
    const none = Buffer.alloc(0);
    return new Promise((resolve) => {
      const request = http.request(
        { host: '127.0.0.1', port, path: WEBHOOK_PATH, method: 'POST', headers: { ...headers, 'content-length': body.length }, agent: this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 'no status', answer: Buffer.concat(chunks) }));
          response.on('error', (error) => resolve({ status: error.message, answer: none }));
        },
      );
      request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      request.on('error', (error) => resolve({ status: error.message, answer: none }));
      request.end(body);
    });
  }
}

function summarise(update: Record<string, unknown>): string {
  const message = update.message as { chat?: { id?: number }; text?: string } | undefined;
  const query = update.callback_query as { message?: { chat?: { id?: number } }; data?: string } | undefined;
  if (message) return `chat ${message.chat?.id} ${JSON.stringify((message.text ?? '[media]').slice(0, 40))}`;
  if (query) return `chat ${query.message?.chat?.id} button ${JSON.stringify(query.data)}`;
  return Object.keys(update).join(',');
}
