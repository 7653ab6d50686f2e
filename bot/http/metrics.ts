/**
 * Prometheus metrics of one Netra process (prom-client), served on `GET /metrics`. Each app gets its own registry
 * rather than prom-client's global one, so several apps in one process (tests, the benchmark) never clash.
 * Labels carry channel names, update kinds and error codes only: never chat ids or texts.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OutboxStatus } from '../forwarding/outboxStatus.ts';
import type { OutboxOutcome } from '../forwarding/outboxWorker.ts';

/** The channels that report metrics. */
export type MetricsChannel = 'telegram' | 'whatsapp' | 'terminal';

/** Netra's metrics. */
export interface Metrics {
  readonly registry: Registry;
  /** Inbound updates by channel and kind (message, callback, file, edited, group, ignored, duplicate, ...). */
  readonly updates: Counter<'channel' | 'kind'>;
  /** Time from an update's arrival to its turn's commit (file download included), by channel. */
  readonly turnSeconds: Histogram<'channel'>;
  /** API calls that delivered a message, by channel and method. */
  readonly sent: Counter<'channel' | 'method'>;
  /** Failed delivery attempts by channel and code (`429`, `403`, `500`, `network`, ...). */
  readonly sendErrors: Counter<'channel' | 'code'>;
  /** Reports a channel's send queue depth (messages queued or in flight) whenever metrics are read. */
  trackQueueDepth(channel: MetricsChannel, depth: () => number): () => void;
  /** Reports the outbox's backlog (database-wide: every process shows the same) whenever metrics are read. */
  trackOutbox(read: () => Promise<OutboxStatus>): () => void;
  /** Counts an outbox delivery attempt of this process by the row's kind and its outcome. */
  outboxAttempt(kind: string, outcome: OutboxOutcome): void;
}

export interface MetricsOptions {
  /** Also collect Node's process metrics (CPU, memory, event loop lag); the server does, tests need not. */
  processMetrics?: boolean;
}

/** Creates a fresh registry with Netra's metrics. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'netra_' });
  const depthProviders = new Map<MetricsChannel, () => number>();
  new Gauge({
    name: 'netra_send_queue_depth',
    help: 'Outbound messages queued or in flight, by channel',
    labelNames: ['channel'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [channel, depth] of depthProviders) this.set({ channel }, depth());
    },
  });
  let readOutbox: (() => Promise<OutboxStatus>) | undefined;
  // Without the database the outbox gauges are left out; the other metrics are still served (/healthz tells why).
  const outboxNow = async (): Promise<OutboxStatus | undefined> => readOutbox?.().catch(() => undefined);
  new Gauge({
    name: 'netra_outbox_rows',
    help:
      'Outbox rows not delivered, by recipient (offices, reporters) and state: waiting (not failed yet), retrying ' +
      '(after a failed or deferred attempt), dead (given up)',
    labelNames: ['to', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      const status = await outboxNow();
      if (!status) return;
      for (const to of ['offices', 'reporters'] as const) {
        this.set({ to, state: 'waiting' }, status[to].waiting);
        this.set({ to, state: 'retrying' }, status[to].retrying);
        this.set({ to, state: 'dead' }, status[to].dead);
      }
    },
  });
  new Gauge({
    name: 'netra_outbox_oldest_seconds',
    help: 'How long the oldest undelivered outbox row has waited (0 when none), by recipient: how far forwarding lags',
    labelNames: ['to'],
    registers: [registry],
    async collect() {
      this.reset();
      if (!readOutbox) return;
      const status = await outboxNow();
      // Unknown (the database could not be read) is NaN, not 0, which would read as "no lag".
      for (const to of ['offices', 'reporters'] as const) this.set({ to }, status ? status[to].oldestSeconds : Number.NaN);
    },
  });
  const outboxAttempts = new Counter({
    name: 'netra_outbox_attempts_total',
    help: "This process's outbox delivery attempts, by the row's kind and outcome (delivered, retry, deferred, dead)",
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  return {
    registry,
    updates: new Counter({
      name: 'netra_updates_total',
      help: 'Inbound updates handled, by channel and kind',
      labelNames: ['channel', 'kind'],
      registers: [registry],
    }),
    turnSeconds: new Histogram({
      name: 'netra_turn_duration_seconds',
      help: "Time from an update's arrival to its turn's commit, by channel",
      labelNames: ['channel'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    sent: new Counter({
      name: 'netra_messages_sent_total',
      help: 'Messages delivered (sends and edits), by channel and API method',
      labelNames: ['channel', 'method'],
      registers: [registry],
    }),
    sendErrors: new Counter({
      name: 'netra_send_errors_total',
      help: 'Failed delivery attempts, by channel and error code',
      labelNames: ['channel', 'code'],
      registers: [registry],
    }),
    trackOutbox(read) {
      readOutbox = read;
      return () => {
        if (readOutbox === read) readOutbox = undefined;
      };
    },
    outboxAttempt(kind, outcome) {
      // Kinds are Netra's own names (ticket.forward, chat.message, ...); anything else is counted as other.
      outboxAttempts.inc({ kind: /^[a-z][a-z.]{0,39}$/.test(kind) ? kind : 'other', outcome });
    },
    trackQueueDepth(channel, depth) {
      depthProviders.set(channel, depth);
      return () => {
        if (depthProviders.get(channel) === depth) depthProviders.delete(channel);
      };
    },
  };
}
