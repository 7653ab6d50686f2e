/**
 * How far forwarding lags, as an operator watches it in an election-week rush: the outbox rows not yet delivered
 * (waiting their turn, or retrying after a failed or deferred attempt), the dead-lettered ones, and how long the
 * oldest undelivered row has waited, for offices and for reporters apart. One statement over the outbox's status
 * index serves `/metrics`, the `forwarding` check of `/healthz` and `netra outbox`. The outbox is shared by every
 * process on one database, so every process reports the same figures. Counts and ages only: never a destination,
 * a payload or an error text.
 */
import type { App } from '../app.ts';
import type { Config } from '../config.ts';
import type { HealthCheckResult, HealthRegistry } from '../http/health.ts';
import type { Metrics } from '../http/metrics.ts';
import { officerServices } from '../officers/officerServices.ts';
import type { Store } from '../store/store.ts';

/** Undelivered and given-up outbox rows of one kind of recipient. */
export interface OutboxBacklog {
  /** Undelivered rows that have not failed yet: new, or waiting behind their destination's earlier rows. */
  waiting: number;
  /** Undelivered rows after a failed or deferred attempt; they go again after their backoff or retry_after. */
  retrying: number;
  /** Rows given up on (OUTBOX_MAX_ATTEMPTS, or a permanent error): `netra outbox retry` queues them again. */
  dead: number;
  /** How long the oldest undelivered row has waited, in seconds (0 when nothing waits). */
  oldestSeconds: number;
}

/**
 * The backlog towards offices (tickets, their notices, what officers receive in their groups, by e-mail or webhook)
 * and towards reporters (status updates and officers' questions in the reporter's chat). Kept apart because a
 * reporter who blocked the bot leaves a message that can never go, which is no fault of the deployment.
 */
export interface OutboxStatus {
  offices: OutboxBacklog;
  reporters: OutboxBacklog;
}

/** The rows a reporter's chat receives; every other kind goes to an office or its officers. */
const TO_REPORTER = `"kind" = 'chat.message'`;

const backlogColumns = (who: string, where: string) => `
    count(*) FILTER (WHERE ${where} AND "status" = 'pending' AND "lastError" IS NULL)::int AS "${who}Waiting",
    count(*) FILTER (WHERE ${where} AND "status" = 'pending' AND "lastError" IS NOT NULL)::int AS "${who}Retrying",
    count(*) FILTER (WHERE ${where} AND "status" = 'dead')::int AS "${who}Dead",
    COALESCE(EXTRACT(EPOCH FROM (($1::timestamptz AT TIME ZONE 'UTC') - min("createdAt") FILTER (WHERE ${where} AND "status" = 'pending'))), 0)::float8 AS "${who}Oldest"`;

const readStatus = `SELECT${backlogColumns('offices', `NOT ${TO_REPORTER}`)},${backlogColumns('reporters', TO_REPORTER)}
  FROM "Outbox" WHERE "status" IN ('pending', 'dead')`;

/** Reads the outbox's state now (by the caller's clock, so tests with a fixed clock see fixed ages). */
export async function readOutboxStatus(store: Pick<Store, 'query'>, now: Date): Promise<OutboxStatus> {
  const [row = {}] = await store.query<Record<string, unknown>>(readStatus, [now.toISOString()]);
  const backlog = (who: string): OutboxBacklog => ({
    waiting: Number(row[`${who}Waiting`] ?? 0),
    retrying: Number(row[`${who}Retrying`] ?? 0),
    dead: Number(row[`${who}Dead`] ?? 0),
    oldestSeconds: Math.max(0, Math.round(Number(row[`${who}Oldest`] ?? 0))),
  });
  return { offices: backlog('offices'), reporters: backlog('reporters') };
}

/** Both backlogs as one (the benchmark and `netra outbox` speak of the outbox as a whole). */
export function wholeBacklog(status: OutboxStatus): OutboxBacklog {
  const { offices: o, reporters: r } = status;
  return {
    waiting: o.waiting + r.waiting,
    retrying: o.retrying + r.retrying,
    dead: o.dead + r.dead,
    oldestSeconds: Math.max(o.oldestSeconds, r.oldestSeconds),
  };
}

/**
 * A reader for `/metrics` and `/healthz`: callers within `maxAgeMs` of a read share it (a scrape reads several
 * gauges; a health check may arrive at the same moment), so the outbox is queried at most once per interval.
 */
export function outboxStatusReader(store: Pick<Store, 'query'>, clock: () => Date, maxAgeMs = 1_000): () => Promise<OutboxStatus> {
  let last: { at: number; status: Promise<OutboxStatus> } | undefined;
  return () => {
    const at = performance.now();
    if (last && at - last.at < maxAgeMs) return last.status;
    const status = readOutboxStatus(store, clock());
    last = { at, status };
    // A failed read is not kept: the next caller tries again.
    status.catch(() => {
      if (last?.status === status) last = undefined;
    });
    return status;
  };
}

/**
 * The `forwarding` check, on what goes to offices: degraded (never down: restarting Netra would not deliver anything
 * sooner) while such a delivery is dead-lettered, or while the oldest undelivered one has waited longer than
 * `lagAlertMs` (OUTBOX_LAG_ALERT). Messages to reporters are counted in `/metrics` only: one to a reporter who
 * blocked the bot can never go, and is no reason to call the deployment unwell.
 */
export function forwardingHealth(status: OutboxStatus, lagAlertMs: number): HealthCheckResult {
  const o = status.offices;
  const undelivered = o.waiting + o.retrying;
  const backlog = `${undelivered} undelivered to offices (${o.retrying} retrying), oldest ${formatAge(o.oldestSeconds)}`;
  if (o.dead > 0) {
    return { status: 'degraded', detail: `${o.dead} dead-lettered (see netra outbox); ${backlog}` };
  }
  if (o.oldestSeconds * 1000 > lagAlertMs) {
    return { status: 'degraded', detail: `forwarding lags: ${backlog}` };
  }
  return { status: 'ok', detail: undelivered === 0 ? 'nothing waiting' : backlog };
}

/** `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  const days = Math.floor(hours / 24);
  return `${days} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}

/**
 * Forwarding as an operator watches it: the outbox's backlog and its oldest row's age in `/metrics`, for offices
 * and reporters apart (with this process's delivery attempts by outcome), and the `forwarding` check in `/healthz`
 * ({@link forwardingHealth}).
 */
export function watchForwarding(app: App, config: Pick<Config, 'OUTBOX_LAG_ALERT'>, health: HealthRegistry, metrics: Metrics): void {
  const read = outboxStatusReader(app.store, app.clock);
  health.register('forwarding', async () => forwardingHealth(await read(), config.OUTBOX_LAG_ALERT));
  metrics.trackOutbox(read);
  officerServices(app).worker.onOutcome((kind, outcome) => metrics.outboxAttempt(kind, outcome));
}
