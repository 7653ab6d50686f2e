/**
 * Delivers outbox rows: claims a batch with `FOR UPDATE SKIP LOCKED` and a lease (`lockedUntil`), runs the
 * handler of each row's kind, and marks it done, or schedules a retry with exponential backoff, or dead-letters it
 * after `maxAttempts`. Several workers (threads of one process or several processes) never hold the same row: a
 * claim skips rows another worker has locked or leased, and a worker whose lease ran out (it crashed or hung)
 * can no longer complete the row, which another worker then delivers again (at-least-once).
 *
 * A handler may deliver in parts (a ticket is a message, a PDF and files) and save its progress after each, so a
 * retry resumes where the last attempt stopped instead of repeating what arrived.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import pLimit, { type LimitFunction } from 'p-limit';
import { withTimeout } from '../jobs/timeouts.ts';
import type { Logger } from '../logger.ts';
import { DeliveryError } from '../errors.ts';
import type { Sql, Store } from '../store/store.ts';
import { destinationSchema, enqueueOutboxSql, type Destination, type NewOutboxRow } from './outbox.ts';

/** A claimed row as handlers see it. */
export interface OutboxItem {
  id: string;
  kind: string;
  destination: Destination;
  payload: Record<string, unknown>;
  dedupKey: string;
  /** Attempts including this one. */
  attempts: number;
  createdAt: Date;
}

/** What a handler gets besides the row. */
export interface OutboxContext {
  /** Parts already delivered by earlier attempts. */
  progress: number;
  /** Records that `parts` parts have been delivered (and renews the lease); throws LeaseLostError if it ran out. */
  saveProgress(parts: number): Promise<void>;
  /** The worker's clock. */
  now: Date;
}

/**
 * What a handler returns: nothing when it delivered, or a fan-out: rows to enqueue and writes to make in the same
 * transaction that completes this row (so the expansion happens exactly once).
 */
export type OutboxResult = void | { enqueue?: NewOutboxRow[]; write?: (sql: Sql) => Promise<void> };

export type OutboxHandler = (item: OutboxItem, ctx: OutboxContext) => Promise<OutboxResult>;

/**
 * Records what was just delivered, trying again a few times within seconds: a database connection dropped at that
 * moment (PostgreSQL restarted, a failover, a proxy's idle cut) would otherwise make the row fail, and its retry
 * deliver again what already arrived.
 */
function afterDelivery<T>(write: () => Promise<T>): Promise<T> {
  return pRetry(write, { retries: 5, minTimeout: 100, maxTimeout: 2_000, factor: 2 });
}

/** The worker lost its lease: another worker may be delivering the row now; this attempt must stop. */
export class LeaseLostError extends Error {
  constructor(readonly rowId: string) {
    super(`Lost the lease on outbox row ${rowId}`);
    this.name = 'LeaseLostError';
  }
}

export interface OutboxWorkerOptions {
  /** The worker's own statements are raw SQL on the driver: it runs several per delivered row. */
  store: Pick<Store, 'query' | 'transaction'>;
  logger: Logger;
  handlers: Record<string, OutboxHandler>;
  clock?: () => Date;
  maxAttempts: number;
  /** How long a claim is held before another worker may take the row over. */
  leaseMs?: number;
  batchSize?: number;
  /** Rows processed at once; rows of the same lane are still delivered one after the other. */
  concurrency?: number;
  /**
   * The lane of a row: rows of one lane are processed in the order they were claimed, one after the other (default:
   * one lane per destination, so that what one group or address receives arrives in order).
   */
  laneOf?: (item: OutboxItem) => string;
  /** First retry delay; doubles with each attempt up to `maxBackoffMs` (with ±20% jitter). */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /**
   * Longest one delivery attempt may take (2 min by default). A destination that stops answering (an SMTP server
   * that accepts and then hangs, a stalled upload) fails the attempt, which is retried later, instead of holding up
   * every delivery behind it.
   */
  deliveryTimeoutMs?: number;
  /**
   * Says whether interactive work (citizens' turns) is waiting. Before each row the worker then steps aside,
   * checking again every few milliseconds, for at most `yieldMaxMs` (default 1 s) per row: on an embedded database
   * that shares the process's one thread, a backlog of deliveries (documents, several queries each) would otherwise
   * hold every chat up by seconds. Deliveries still go on under constant load, only more slowly.
   */
  busy?: () => boolean;
  yieldMaxMs?: number;
  /** Which rows step aside when `busy` says so (default: every row); a row that costs little may go at once. */
  stepsAside?: (item: OutboxItem) => boolean;
  /** Test hook: called after each handler succeeded and before the row is marked done. */
  beforeComplete?: (item: OutboxItem) => Promise<void> | void;
}

/** What became of one attempt: delivered, to be tried again (after a failure or when told to wait), or given up. */
export type OutboxOutcome = 'delivered' | 'retry' | 'deferred' | 'dead';

/** Hears the outcome of every attempt this worker makes (metrics); the kind is the row's, e.g. `ticket.forward`. */
export type OutboxOutcomeListener = (kind: string, outcome: OutboxOutcome) => void;

/** The default lane: the row's destination. */
export function destinationLane(item: OutboxItem): string {
  return JSON.stringify(item.destination);
}

/** The delay before retry number `attempts` (1-based): base * 2^(attempts-1), capped, with jitter. */
export function backoffDelay(attempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

/** A timestamp parameter (ISO string) as the store keeps timestamps: UTC, without a zone. */
const at = (n: number) => `($${n}::timestamptz AT TIME ZONE 'UTC')`;

interface ClaimedRow {
  id: string;
  kind: string;
  destination: unknown;
  payload: unknown;
  dedupKey: string;
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date;
}

/**
 * Claims due rows nobody holds, in one statement. A fresh row (never attempted) is also due when the database's
 * clock says so, so a row written with the column default is never stuck behind a worker clock that lags.
 */
const claimRows = `UPDATE "Outbox" SET "lockedUntil" = ${at(2)}, "attempts" = "attempts" + 1
  WHERE "id" IN (
    SELECT "id" FROM "Outbox"
     WHERE "status" = 'pending'
       AND ("nextAttemptAt" <= ${at(1)} OR ("attempts" = 0 AND "nextAttemptAt" <= (now() AT TIME ZONE 'UTC')))
       AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${at(1)})
     ORDER BY "nextAttemptAt", "createdAt", "id"
     LIMIT $3
     FOR UPDATE SKIP LOCKED)
  RETURNING "id", "kind", "destination", "payload", "dedupKey", "attempts",
    ("createdAt" AT TIME ZONE 'UTC') AS "createdAt", ("nextAttemptAt" AT TIME ZONE 'UTC') AS "nextAttemptAt"`;

/** Still ours: under our lease, or under the renewed one when a try whose answer was lost already renewed it. */
const stillOurs = `"id" = $1 AND "status" = 'pending' AND "lockedUntil" IN (${at(2)}, ${at(3)})`;

const saveProgress = `UPDATE "Outbox" SET "payload" = $4::jsonb, "lockedUntil" = ${at(3)} WHERE ${stillOurs} RETURNING "id"`;

const renewLease = `UPDATE "Outbox" SET "lockedUntil" = ${at(3)} WHERE ${stillOurs} RETURNING "id"`;

const completeRow = `UPDATE "Outbox" SET "status" = 'done', "doneAt" = ${at(3)}, "lockedUntil" = NULL, "lastError" = NULL
  WHERE "id" = $1 AND "status" = 'pending' AND "lockedUntil" = ${at(2)} RETURNING "id"`;

/** Releases a row: failed (to retry at $5, or with $6 attempts when the try did not count) or dead. */
const finishRow = `UPDATE "Outbox" SET "status" = $3, "lastError" = $4, "lockedUntil" = NULL,
    "nextAttemptAt" = COALESCE(${at(5)}, "nextAttemptAt"), "attempts" = COALESCE($6::int, "attempts")
  WHERE "id" = $1 AND "status" = 'pending' AND "lockedUntil" = ${at(2)}`;

/** Delivers outbox rows. */
export class OutboxWorker {
  private readonly clock: () => Date;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** The claiming loop, while it runs. */
  private pumping: Promise<void> | undefined;
  /** The last claim filled all the room there was: more rows are probably due. */
  private backlog = false;
  /** Rows claimed and not yet finished. */
  private held = 0;
  private readonly inFlight = new Set<Promise<void>>();
  /** Per lane, the completion of its last dispatched row (the next one starts after it). */
  private readonly laneTails = new Map<string, Promise<void>>();
  /** At most `concurrency` rows processed at once, the others waiting in order. */
  private readonly limit: LimitFunction;
  /**
   * Set once a handler threw WorkerCrash (tests): the rows it holds then stay untouched, as in a killed process,
   * until none is left.
   */
  private crashed: WorkerCrash | undefined;
  private readonly outcomeListeners = new Set<OutboxOutcomeListener>();

  constructor(private readonly options: OutboxWorkerOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.batchSize = options.batchSize ?? 20;
    this.concurrency = options.concurrency ?? 4;
    this.limit = pLimit(this.concurrency);
  }

  /** Adds or replaces handlers (services register theirs at startup). */
  register(handlers: Record<string, OutboxHandler>): void {
    Object.assign(this.options.handlers, handlers);
  }

  /** Calls `listener` with the outcome of every attempt from now on; returns a function that stops it. */
  onOutcome(listener: OutboxOutcomeListener): () => void {
    this.outcomeListeners.add(listener);
    return () => void this.outcomeListeners.delete(listener);
  }

  private tell(kind: string, outcome: OutboxOutcome): void {
    for (const listener of this.outcomeListeners) {
      try {
        listener(kind, outcome);
      } catch {
        // A listener's failure must not fail a delivery that happened.
      }
    }
  }

  /** Polls every `intervalMs` until `stop()`; the timer does not keep the process alive. */
  start(intervalMs = 2_000): void {
    if (this.timer) return;
    this.stopped = false;
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
    void this.tick();
  }

  /** Stops polling and waits for the rows in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.pumping?.catch(() => undefined);
    await Promise.all([...this.inFlight].map((row) => row.catch(() => undefined)));
  }

  /** Runs batches until nothing is due (or `maxBatches`); returns the rows processed. For tests and the CLI. */
  async drain(maxBatches = 50): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches; i += 1) {
      const n = await this.runOnce();
      total += n;
      if (n === 0) break;
    }
    return total;
  }

  /** Claims one batch and processes it; returns how many rows were claimed once they are all processed. */
  async runOnce(): Promise<number> {
    const rows = await this.claimAndDispatch(this.batchSize);
    await Promise.all(rows);
    return rows.length;
  }

  /**
   * Keeps up to `batchSize` rows in hand: claims as many as there is room for and dispatches them without
   * waiting for earlier ones to finish, so one slow destination (a Telegram group at its 20 messages a minute)
   * holds up only its own lane, not the rows claimed after it for other destinations.
   */
  private tick(): Promise<void> {
    if (this.stopped || this.pumping) return this.pumping ?? Promise.resolve();
    const pump = (async () => {
      try {
        while (!this.stopped && this.held < this.batchSize) {
          const room = this.batchSize - this.held;
          const rows = await this.claimAndDispatch(room);
          // Fewer rows than there was room for: nothing more is due now.
          this.backlog = rows.length === room;
          if (!this.backlog) break;
        }
      } catch (error) {
        this.options.logger.error({ err: describe(error) }, 'outbox worker batch failed');
      }
    })().finally(() => {
      this.pumping = undefined;
    });
    this.pumping = pump;
    return pump;
  }

  /** Claims up to `limit` rows and starts each in its lane; returns their completions. */
  private async claimAndDispatch(limit: number): Promise<Array<Promise<void>>> {
    const items = await this.claim(this.clock(), limit);
    return items.map((claimed) => this.dispatch(claimed));
  }

  /**
   * Runs a claimed row after the rows of its lane (by default, its destination) claimed before it, so each lane
   * keeps its order; at most `concurrency` rows are processed at once across lanes.
   */
  private dispatch(claimed: { item: OutboxItem; lease: Date }): Promise<void> {
    const key = (this.options.laneOf ?? destinationLane)(claimed.item);
    this.held += 1;
    const run = (this.laneTails.get(key) ?? Promise.resolve()).then(() =>
      this.limit(async () => {
        try {
          // A crashed worker (tests) is a dead process: it touches nothing more, its rows wait for their lease to end.
          if (this.crashed) throw this.crashed;
          if (this.options.stepsAside?.(claimed.item) ?? true) await this.stepAside();
          await this.process(claimed.item, claimed.lease);
        } catch (error) {
          if (error instanceof WorkerCrash) this.crashed ??= error;
          throw error;
        }
      }),
    );
    const settled = run.catch(() => undefined);
    this.laneTails.set(key, settled);
    this.inFlight.add(run);
    void settled.then(() => {
      if (this.laneTails.get(key) === settled) this.laneTails.delete(key);
      this.inFlight.delete(run);
      this.held -= 1;
      // The rows held at the crash are all let go: the worker may run again (a test's "restarted" process).
      if (this.held === 0) this.crashed = undefined;
      // Room again (half the batch) while more rows are due: claim the next ones now, not at the next poll.
      if (this.backlog && this.timer && this.held <= this.batchSize / 2) void this.tick();
    });
    return run;
  }

  /** Waits while `busy` says interactive work is waiting, for at most `yieldMaxMs`. */
  private async stepAside(): Promise<void> {
    const { busy } = this.options;
    if (!busy?.()) return;
    const until = Date.now() + (this.options.yieldMaxMs ?? 1_000);
    while (busy() && Date.now() < until && !this.stopped) await sleep(5);
  }

  /** Claims up to `limit` due rows (`claimRows`) in their order; a row that cannot be read is dead-lettered. */
  private async claim(now: Date, limit: number): Promise<Array<{ item: OutboxItem; lease: Date }>> {
    const lease = new Date(now.getTime() + this.leaseMs);
    const rows = await this.options.store.query<ClaimedRow>(claimRows, [now.toISOString(), lease.toISOString(), limit]);
    // RETURNING keeps no order: back to the claim's.
    rows.sort(
      (a, b) =>
        a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() ||
        a.createdAt.getTime() - b.createdAt.getTime() ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    const claimed: Array<{ item: OutboxItem; lease: Date }> = [];
    for (const row of rows) {
      const destination = destinationSchema.safeParse(row.destination);
      const payload = row.payload && typeof row.payload === 'object' && !Array.isArray(row.payload) ? row.payload : null;
      if (!destination.success || !payload) {
        await this.finish(row.id, lease, { status: 'dead', lastError: 'malformed destination or payload' });
        this.tell(row.kind, 'dead');
        continue;
      }
      claimed.push({
        item: {
          id: row.id,
          kind: row.kind,
          destination: destination.data,
          payload: payload as Record<string, unknown>,
          dedupKey: row.dedupKey,
          attempts: row.attempts,
          createdAt: row.createdAt,
        },
        lease,
      });
    }
    return claimed;
  }

  private async process(item: OutboxItem, initialLease: Date): Promise<void> {
    const { logger, store } = this.options;
    let lease = initialLease;
    const handler = this.options.handlers[item.kind];
    const log = { outbox: item.id, kind: item.kind, destination: item.destination.type, attempt: item.attempts };
    try {
      lease = await this.renewIfWaited(item.id, lease);
      if (!handler) throw new DeliveryError(`no handler for kind ${item.kind}`, false);
      const progress = typeof item.payload.progress === 'number' ? item.payload.progress : 0;
      const ctx: OutboxContext = {
        progress,
        now: this.clock(),
        saveProgress: async (parts) => {
          const renewed = new Date(this.clock().getTime() + this.leaseMs);
          // A try whose answer was lost may have saved already: the renewed lease is ours too.
          const saved = await afterDelivery(() =>
            store.query(saveProgress, [item.id, lease.toISOString(), renewed.toISOString(), JSON.stringify({ ...item.payload, progress: parts })]),
          );
          if (saved.length !== 1) throw new LeaseLostError(item.id);
          lease = renewed;
          item.payload = { ...item.payload, progress: parts };
        },
      };
      const deliveryTimeoutMs = this.options.deliveryTimeoutMs ?? 2 * 60_000;
      // The work itself is not stopped; a DeliveryError of this kind is retried.
      const result = await withTimeout(
        handler(item, ctx),
        deliveryTimeoutMs,
        () => new DeliveryError(`the delivery took longer than ${Math.round(deliveryTimeoutMs / 1000)} s`, false),
      );
      await this.options.beforeComplete?.(item);
      const complete = async (sql: Sql) => {
        const done = await sql.query(completeRow, [item.id, lease.toISOString(), this.clock().toISOString()]);
        if (done.length !== 1) return false;
        // A fan-out's rows take its place in line: owed since the change that queued it (a report filed), they
        // are claimed before rows queued after it. Stamped with the fan-out's own time, they would queue behind
        // every report filed meanwhile, and while reports come faster than the worker gets through them (a rush,
        // or PGlite's worker stepping aside for citizens' turns) no office would receive anything until it ends.
        if (result?.enqueue?.length) await enqueueOutboxSql(sql, result.enqueue, item.createdAt);
        if (result?.write) await result.write(sql);
        return true;
      };
      // A row with nothing else to write completes in one statement, without a transaction around it.
      const completed = await afterDelivery(() =>
        result?.enqueue?.length || result?.write ? store.transaction(complete) : complete(store),
      );
      if (!completed) throw new LeaseLostError(item.id);
      logger.info(log, 'outbox row delivered');
      this.tell(item.kind, 'delivered');
    } catch (error) {
      if (error instanceof WorkerCrash) throw error;
      if (error instanceof LeaseLostError) {
        logger.warn(log, 'outbox lease lost; another worker owns the row now');
        return;
      }
      await this.fail(item, lease, error, log);
    }
  }

  /**
   * A row that waited in its lane (behind a slow destination) for half its lease or more gets a fresh lease before
   * it starts, so the delivery has its full time; when the lease ran out meanwhile and another worker (or this one,
   * in a later claim) took the row over, this attempt stops before it delivers anything (LeaseLostError).
   */
  private async renewIfWaited(id: string, lease: Date): Promise<Date> {
    const now = this.clock();
    if (lease.getTime() - now.getTime() >= this.leaseMs / 2) return lease;
    const renewed = new Date(now.getTime() + this.leaseMs);
    const taken = await afterDelivery(() => this.options.store.query(renewLease, [id, lease.toISOString(), renewed.toISOString()]));
    if (taken.length !== 1) throw new LeaseLostError(id);
    return renewed;
  }

  private async fail(item: OutboxItem, lease: Date, error: unknown, log: Record<string, unknown>): Promise<void> {
    const now = this.clock();
    const message = describe(error).slice(0, 500);
    const delivery = error instanceof DeliveryError ? error : undefined;
    if (delivery?.permanent || item.attempts >= this.options.maxAttempts) {
      await this.finish(item.id, lease, { status: 'dead', lastError: message });
      this.options.logger.error({ ...log, err: message }, 'outbox row dead-lettered');
      this.tell(item.kind, 'dead');
      return;
    }
    if (delivery?.retryAfterMs !== undefined) {
      // Told when to come back (rate limit, channel not running here): not a failed attempt.
      await this.finish(item.id, lease, {
        status: 'pending',
        lastError: message,
        nextAttemptAt: new Date(now.getTime() + delivery.retryAfterMs),
        attempts: item.attempts - 1,
      });
      this.options.logger.warn({ ...log, err: message, retryAfterMs: delivery.retryAfterMs }, 'outbox row deferred');
      this.tell(item.kind, 'deferred');
      return;
    }
    const delay = backoffDelay(item.attempts, this.options.baseBackoffMs ?? 30_000, this.options.maxBackoffMs ?? 6 * 3_600_000);
    await this.finish(item.id, lease, { status: 'pending', lastError: message, nextAttemptAt: new Date(now.getTime() + delay) });
    this.options.logger.warn({ ...log, err: message, retryInMs: delay }, 'outbox delivery failed; will retry');
    this.tell(item.kind, 'retry');
  }

  private async finish(
    id: string,
    lease: Date,
    data: { status: string; lastError: string; nextAttemptAt?: Date; attempts?: number },
  ): Promise<void> {
    // Retried like the completion: a connection dropped at this moment would otherwise leave the row leased, and
    // so untouched, until the lease runs out (five minutes by default).
    await afterDelivery(() =>
      this.options.store.query(finishRow, [
        id,
        lease.toISOString(),
        data.status,
        data.lastError,
        data.nextAttemptAt?.toISOString() ?? null,
        data.attempts ?? null,
      ]),
    );
  }
}

/**
 * Test hook error: thrown from a handler or `beforeComplete`, it escapes the worker untouched, leaving the row
 * claimed as a crashed process would.
 */
export class WorkerCrash extends Error {
  constructor() {
    super('simulated crash');
    this.name = 'WorkerCrash';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
