import { spawn } from 'node:child_process';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../bot/errors.ts';
import { enqueueOutbox, listOutbox, outboxCounts, retryOutbox, type NewOutboxRow } from '../../../bot/forwarding/outbox.ts';
import { backoffDelay, OutboxWorker, WorkerCrash, type OutboxHandler } from '../../../bot/forwarding/outboxWorker.ts';
import type { Store } from '../../../bot/store/store.ts';
import { createTestStore, storeKinds } from '../../support/testDatabase.ts';

const logger = pino({ level: 'silent' });

function row(n: number, destination = `chat-${n}`): NewOutboxRow {
  return { kind: 'test.deliver', destination: { type: 'chat', chatKey: destination }, payload: { n }, dedupKey: `test:${n}` };
}

describe('backoff', () => {
  it('doubles from the base up to the cap, within ±20%', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, 1_000, 60_000, mid))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffDelay(20, 1_000, 60_000, mid)).toBe(60_000);
    expect(backoffDelay(1, 1_000, 60_000, () => 0)).toBe(800);
    expect(backoffDelay(1, 1_000, 60_000, () => 1)).toBe(1_200);
  });
});

describe.each(storeKinds)('outbox worker on %s', (kind) => {
  let store: Store;
  let now: Date;
  const clock = () => now;

  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(async () => {
    await store.prisma.outbox.deleteMany();
    now = new Date('2026-11-22T03:00:00.000Z');
  });

  const worker = (handlers: Record<string, OutboxHandler>, extra: Partial<ConstructorParameters<typeof OutboxWorker>[0]> = {}) =>
    new OutboxWorker({ store, logger, clock, maxAttempts: 3, baseBackoffMs: 1_000, maxBackoffMs: 10_000, handlers, ...extra });

  /**
   * A store whose next matching outbox statement (after `dropNext()`) fails as a dropped connection makes it fail:
   * `before` the statement ran, or `after` it ran but its answer was lost.
   */
  const droppingOutboxWrites = (matches: (sql: string) => boolean, when: 'before' | 'after') => {
    let armed = false;
    const flaky: Pick<Store, 'query' | 'transaction'> = {
      query: async <T,>(sql: string, params?: unknown[]) => {
        if (!armed || !matches(sql)) return store.query<T>(sql, params);
        armed = false;
        if (when === 'after') await store.query(sql, params);
        throw new Error('Connection terminated unexpectedly');
      },
      transaction: (fn) => store.transaction(fn),
    };
    return { store: flaky, dropNext: () => void (armed = true) };
  };

  it('writes a delivery once however often it is enqueued', async () => {
    expect(await enqueueOutbox(store.prisma, [row(1), row(2)], now)).toBe(2);
    expect(await enqueueOutbox(store.prisma, [row(1), row(3)], now)).toBe(1);
    expect(await store.prisma.outbox.count()).toBe(3);
  });

  it('delivers due rows, in order per destination, and marks them done', async () => {
    // A fresh row is also due by the database clock, so this test runs on real time.
    now = new Date(Math.floor(Date.now() / 1000) * 1000);
    await enqueueOutbox(store.prisma, [row(1, 'a'), row(2, 'b')], now);
    await enqueueOutbox(store.prisma, [row(3, 'a')], new Date(now.getTime() + 1));
    await enqueueOutbox(store.prisma, [row(4, 'a')], new Date(now.getTime() + 3_600_000));
    const seen: number[] = [];
    now = new Date(now.getTime() + 10);
    const w = worker({ 'test.deliver': async (item) => void seen.push(item.payload.n as number) });
    expect(await w.drain()).toBe(3);
    expect(seen.filter((n) => n !== 2)).toEqual([1, 3]);
    expect(await outboxCounts(store.prisma)).toEqual({ done: 3, pending: 1 });
    const done = await store.prisma.outbox.findFirstOrThrow({ where: { dedupKey: 'test:1' } });
    expect(done).toMatchObject({ status: 'done', attempts: 1, lockedUntil: null, doneAt: now });
  });

  it('retries with backoff, records each attempt, and dead-letters after the last one', async () => {
    await enqueueOutbox(store.prisma, [row(1)], now);
    const w = worker({ 'test.deliver': async () => Promise.reject(new Error('SMTP down')) });
    await w.runOnce();
    let stored = await store.prisma.outbox.findFirstOrThrow();
    expect(stored).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Error: SMTP down' });
    const firstDelay = stored.nextAttemptAt.getTime() - now.getTime();
    expect(firstDelay).toBeGreaterThanOrEqual(800);
    expect(firstDelay).toBeLessThanOrEqual(1_200);
    expect(await w.runOnce()).toBe(0);
    now = new Date(stored.nextAttemptAt.getTime());
    await w.runOnce();
    stored = await store.prisma.outbox.findFirstOrThrow();
    expect(stored.attempts).toBe(2);
    expect(stored.nextAttemptAt.getTime() - now.getTime()).toBeGreaterThanOrEqual(1_600);
    now = new Date(stored.nextAttemptAt.getTime());
    await w.runOnce();
    stored = await store.prisma.outbox.findFirstOrThrow();
    expect(stored).toMatchObject({ status: 'dead', attempts: 3 });
    expect((await listOutbox(store.prisma)).map((r) => r.id)).toEqual([stored.id]);

    expect(await retryOutbox(store.prisma, stored.id.slice(0, 8), now)).toEqual([stored.id]);
    let delivered = 0;
    await worker({ 'test.deliver': async () => void (delivered += 1) }).drain();
    expect(delivered).toBe(1);
    expect((await store.prisma.outbox.findFirstOrThrow()).status).toBe('done');
  });

  it('dead-letters a permanent failure at once and waits without counting when told to', async () => {
    await enqueueOutbox(store.prisma, [row(1), row(2)], now);
    const w = worker({
      'test.deliver': async (item) => {
        throw item.payload.n === 1
          ? new DeliveryError('blocked', true, 403)
          : new DeliveryError('slow down', false, 429, 30_000);
      },
    });
    await w.runOnce();
    const rows = await store.prisma.outbox.findMany({ orderBy: { dedupKey: 'asc' } });
    expect(rows[0]).toMatchObject({ status: 'dead', attempts: 1 });
    expect(rows[1]).toMatchObject({ status: 'pending', attempts: 0 });
    expect(rows[1]!.nextAttemptAt.getTime() - now.getTime()).toBe(30_000);
  });

  it('lets another worker take over a row whose worker crashed, once the lease ran out', async () => {
    await enqueueOutbox(store.prisma, [row(1)], now);
    let deliveries = 0;
    const crashing = worker(
      { 'test.deliver': async () => void (deliveries += 1) },
      { leaseMs: 60_000, beforeComplete: () => Promise.reject(new WorkerCrash()) },
    );
    await expect(crashing.runOnce()).rejects.toThrow(WorkerCrash);
    const healthy = worker({ 'test.deliver': async () => void (deliveries += 1) }, { leaseMs: 60_000 });
    expect(await healthy.runOnce()).toBe(0);
    now = new Date(now.getTime() + 60_001);
    expect(await healthy.runOnce()).toBe(1);
    expect(deliveries).toBe(2);
    expect(await store.prisma.outbox.findFirstOrThrow()).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('does not deliver a row whose lease ran out while it waited in its lane and another worker took it over', async () => {
    await enqueueOutbox(store.prisma, [row(1, 'group')], now);
    await enqueueOutbox(store.prisma, [row(2, 'group')], new Date(now.getTime() + 1));
    const deliveries: string[] = [];
    let renewed: () => void = () => undefined;
    const progressSaved = new Promise<void>((resolve) => (renewed = resolve));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = worker(
      {
        'test.deliver': async (item, ctx) => {
          if (item.payload.n === 1) {
            // The first row keeps its own lease alive while the group is slow; the second waits behind it.
            now = new Date(now.getTime() + 50_000);
            await ctx.saveProgress(1);
            renewed();
            await gate;
          }
          deliveries.push(`first:${item.payload.n}`);
        },
      },
      { leaseMs: 60_000, batchSize: 2 },
    );
    const running = first.runOnce();
    await progressSaved;
    now = new Date(now.getTime() + 10_001);
    const second = worker({ 'test.deliver': async (item) => void deliveries.push(`second:${item.payload.n}`) }, { leaseMs: 60_000 });
    expect(await second.runOnce()).toBe(1);
    release();
    expect(await running).toBe(2);
    expect(deliveries).toEqual(['second:2', 'first:1']);
    expect(await outboxCounts(store.prisma)).toEqual({ done: 2 });
  });

  it('gives a row that waited long in its lane a fresh lease before it starts', async () => {
    await enqueueOutbox(store.prisma, [row(1, 'group')], now);
    await enqueueOutbox(store.prisma, [row(2, 'group')], new Date(now.getTime() + 1));
    const leases: Array<number | undefined> = [];
    const waiting = worker(
      {
        'test.deliver': async (item) => {
          const stored = await store.prisma.outbox.findFirstOrThrow({ where: { dedupKey: `test:${item.payload.n}` } });
          leases.push(stored.lockedUntil ? stored.lockedUntil.getTime() - now.getTime() : undefined);
          // The first delivery takes 40 s (a slow group).
          if (item.payload.n === 1) now = new Date(now.getTime() + 40_000);
        },
      },
      { leaseMs: 60_000, batchSize: 2 },
    );
    expect(await waiting.runOnce()).toBe(2);
    // The first started at once with its claim's lease; the second, 40 s later, had 20 s left and got 60 s again.
    expect(leases).toEqual([60_000, 60_000]);
    expect(await outboxCounts(store.prisma)).toEqual({ done: 2 });
  });

  it('resumes a delivery in parts after the last part that arrived', async () => {
    await enqueueOutbox(store.prisma, [row(1)], now);
    const sent: string[] = [];
    let failAt = 2;
    const handler: OutboxHandler = async (_item, ctx) => {
      for (let part = ctx.progress; part < 4; part += 1) {
        if (part === failAt) throw new Error(`part ${part} failed`);
        sent.push(`part${part}`);
        await ctx.saveProgress(part + 1);
      }
    };
    await worker({ 'test.deliver': handler }).runOnce();
    failAt = -1;
    now = new Date(now.getTime() + 60_000);
    await worker({ 'test.deliver': handler }).runOnce();
    expect(sent).toEqual(['part0', 'part1', 'part2', 'part3']);
    expect((await store.prisma.outbox.findFirstOrThrow()).status).toBe('done');
  });

  it.each([
    ['before' as const, 'is written'],
    ['after' as const, 'was written but its answer was lost'],
  ])('delivers each part once when the connection drops %s the progress %s', async (when, _what) => {
    await enqueueOutbox(store.prisma, [row(1)], now);
    // The first progress write of each part fails as a dropped connection would make it fail.
    const flaky = droppingOutboxWrites((sql) => sql.includes('"payload" ='), when);
    const sent: string[] = [];
    const handler: OutboxHandler = async (_item, ctx) => {
      for (let part = ctx.progress; part < 3; part += 1) {
        sent.push(`part${part}`);
        flaky.dropNext();
        await ctx.saveProgress(part + 1);
      }
    };
    await worker({ 'test.deliver': handler }, { store: flaky.store }).runOnce();
    expect(sent).toEqual(['part0', 'part1', 'part2']);
    expect(await store.prisma.outbox.findFirstOrThrow()).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('schedules the retry of a failed delivery even when the connection drops as the failure is recorded', async () => {
    await enqueueOutbox(store.prisma, [row(1)], now);
    const flaky = droppingOutboxWrites((sql) => sql.includes('"lastError" = $4'), 'before');
    flaky.dropNext();
    await worker({ 'test.deliver': async () => Promise.reject(new Error('SMTP 451')) }, { store: flaky.store }).runOnce();
    // Not left leased (untouched until the lease ran out): pending, released, with its error and a retry time.
    const failed = await store.prisma.outbox.findFirstOrThrow();
    expect(failed).toMatchObject({ status: 'pending', lockedUntil: null, attempts: 1 });
    expect(failed.lastError).toContain('SMTP 451');
  });

  it('gives up on a delivery that hangs and retries it later, without holding up the next row', async () => {
    await enqueueOutbox(store.prisma, [row(1, 'stuck'), row(2, 'fine')], now);
    const delivered: number[] = [];
    const handler: OutboxHandler = async (item) => {
      if (item.payload.n === 1) return new Promise<void>(() => undefined);
      delivered.push(item.payload.n as number);
    };
    await worker({ 'test.deliver': handler }, { deliveryTimeoutMs: 100, concurrency: 1 }).runOnce();
    expect(delivered).toEqual([2]);
    const stuck = await store.prisma.outbox.findFirstOrThrow({ where: { dedupKey: 'test:1' } });
    expect(stuck).toMatchObject({ status: 'pending', lockedUntil: null });
    expect(stuck.lastError).toContain('took longer than');
    expect(stuck.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
  });

  it('runs the rows of different lanes side by side and keeps the rows of one lane in order', async () => {
    // Three rows to one destination; the lane is chosen by payload: rows 1 and 3 share one, row 2 has its own.
    for (const n of [1, 2, 3]) await enqueueOutbox(store.prisma, [row(n, 'office')], new Date(now.getTime() + n));
    now = new Date(now.getTime() + 10);
    const started: number[] = [];
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const handler: OutboxHandler = async (item) => {
      const n = item.payload.n as number;
      started.push(n);
      // Row 1 finishes only once row 2 has started: with one lane per destination this would wait for ever.
      if (n === 1) await firstHeld;
      if (n === 2) releaseFirst();
    };
    const lanes = worker({ 'test.deliver': handler }, { laneOf: (item) => ((item.payload.n as number) % 2 === 1 ? 'odd' : 'even'), deliveryTimeoutMs: 2_000 });
    expect(await lanes.runOnce()).toBe(3);
    expect(started.indexOf(2)).toBeLessThan(started.indexOf(3));
    expect(started.filter((n) => n !== 2)).toEqual([1, 3]);
    expect(await outboxCounts(store.prisma)).toEqual({ done: 3 });
  });

  it('delivers rows claimed later to other destinations while a slow destination is still busy', async () => {
    // Real time: the worker polls on its own here.
    now = new Date(Math.floor(Date.now() / 1000) * 1000);
    await enqueueOutbox(store.prisma, [row(1, 'slow group'), row(2, 'fast')], now);
    const delivered: number[] = [];
    let releaseSlow: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
    const handler: OutboxHandler = async (item) => {
      if (item.payload.n === 1) await slow;
      delivered.push(item.payload.n as number);
    };
    const polling = new OutboxWorker({ store, logger, maxAttempts: 3, handlers: { 'test.deliver': handler }, batchSize: 2 });
    polling.start(20);
    try {
      await expect.poll(() => delivered, { timeout: 5_000 }).toEqual([2]);
      // Written after the first claim, to another destination: it must not wait for the slow group.
      await enqueueOutbox(store.prisma, [row(3, 'other')], new Date());
      await expect.poll(() => delivered, { timeout: 5_000 }).toEqual([2, 3]);
    } finally {
      releaseSlow();
      await polling.stop();
    }
    expect(delivered).toEqual([2, 3, 1]);
    expect(await outboxCounts(store.prisma)).toEqual({ done: 3 });
  });

  it('steps aside while interactive turns wait, and still delivers under constant load', async () => {
    await enqueueOutbox(store.prisma, [row(1, 'a'), row(2, 'b')], now);
    let turnsWaiting = true;
    const delivered: number[] = [];
    const quiet = worker({ 'test.deliver': async (item) => void delivered.push(item.payload.n as number) }, {
      concurrency: 1,
      busy: () => turnsWaiting,
      yieldMaxMs: 60_000,
    });
    const running = quiet.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(delivered).toEqual([]);
    turnsWaiting = false;
    await running;
    expect(delivered.sort()).toEqual([1, 2]);

    // Busy for good: each row waits at most yieldMaxMs, then goes.
    await enqueueOutbox(store.prisma, [row(3, 'a')], now);
    const started = Date.now();
    await worker({ 'test.deliver': async (item) => void delivered.push(item.payload.n as number) }, { busy: () => true, yieldMaxMs: 100 }).runOnce();
    expect(delivered.sort()).toEqual([1, 2, 3]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });

  it('lets the rows that cost little go at once while turns wait, and holds the others back', async () => {
    // The delivery is queued first: it waits for the turns, the fan-out behind it goes meanwhile.
    await enqueueOutbox(store.prisma, [row(2, 'group')], new Date(now.getTime() - 1));
    await enqueueOutbox(store.prisma, [{ ...row(1, 'office'), kind: 'test.fan' }], now);
    let turnsWaiting = true;
    const handled: string[] = [];
    const selective = worker(
      {
        'test.fan': async () => void handled.push('fan'),
        'test.deliver': async () => void handled.push('deliver'),
      },
      { concurrency: 2, busy: () => turnsWaiting, yieldMaxMs: 60_000, stepsAside: (item) => item.kind !== 'test.fan' },
    );
    const running = selective.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(handled).toEqual(['fan']);
    turnsWaiting = false;
    await running;
    expect(handled).toEqual(['fan', 'deliver']);
  });

  it('fans out exactly once: rows and writes commit with the completion', async () => {
    await enqueueOutbox(store.prisma, [{ ...row(1), kind: 'test.fan' }], now);
    const fan: OutboxHandler = async () => ({ enqueue: [row(10), row(11)] });
    const crashing = worker({ 'test.fan': fan }, { beforeComplete: () => Promise.reject(new WorkerCrash()), leaseMs: 1_000 });
    await expect(crashing.runOnce()).rejects.toThrow(WorkerCrash);
    expect(await store.prisma.outbox.count()).toBe(1);
    now = new Date(now.getTime() + 2_000);
    await worker({ 'test.fan': fan, 'test.deliver': async () => undefined }).drain();
    expect(await store.prisma.outbox.count()).toBe(3);
    expect(await outboxCounts(store.prisma)).toEqual({ done: 3 });
  });

  it("keeps a fan-out's deliveries in its place in line, ahead of rows queued after it", async () => {
    const filedAt = now;
    await enqueueOutbox(store.prisma, [{ ...row(1, 'office'), kind: 'test.fan' }], filedAt);
    // The next report's fan-out is queued a second later, before the worker gets to the first.
    await enqueueOutbox(store.prisma, [{ ...row(2, 'office'), kind: 'test.fan' }], new Date(filedAt.getTime() + 1_000));
    const order: string[] = [];
    const fan: OutboxHandler = async (item) => {
      order.push(`fan ${item.payload.n}`);
      const n = (item.payload.n as number) * 10;
      return { enqueue: [{ ...row(n, 'group'), dedupKey: `deliver:${n}` }] };
    };
    const deliver: OutboxHandler = async (item) => void order.push(`deliver ${item.payload.n}`);
    // One row at a time, as PGlite's worker runs while citizens' turns keep it stepping aside.
    now = new Date(filedAt.getTime() + 5_000);
    const oneByOne = worker({ 'test.fan': fan, 'test.deliver': deliver }, { concurrency: 1, batchSize: 1 });
    for (let i = 0; i < 4; i += 1) {
      await oneByOne.runOnce();
      now = new Date(now.getTime() + 1_000);
    }
    expect(order).toEqual(['fan 1', 'deliver 10', 'fan 2', 'deliver 20']);
    const delivery = await store.prisma.outbox.findUniqueOrThrow({ where: { dedupKey: 'deliver:10' } });
    expect(delivery.createdAt.toISOString()).toBe(filedAt.toISOString());
    expect(delivery.status).toBe('done');
  });

  it('claims a fresh row written with the database clock even when the worker clock lags', async () => {
    await store.prisma.outbox.create({
      data: { kind: 'test.deliver', destination: { type: 'chat', chatKey: 'x' }, payload: {}, dedupKey: 'db-default' },
    });
    now = new Date('2020-01-01T00:00:00Z');
    let delivered = 0;
    await worker({ 'test.deliver': async () => void (delivered += 1) }).drain();
    expect(delivered).toBe(1);
  });

  it('dead-letters a row with a malformed destination instead of looping on it', async () => {
    await store.prisma.outbox.create({
      data: { kind: 'test.deliver', destination: { type: 'pigeon' }, payload: {}, dedupKey: 'bad', nextAttemptAt: now },
    });
    await worker({ 'test.deliver': async () => undefined }).drain();
    expect(await store.prisma.outbox.findFirstOrThrow()).toMatchObject({ status: 'dead' });
  });
});

describe('outbox workers in several processes on postgres', () => {
  let store: Store & { databaseUrl?: string };
  beforeAll(async () => {
    store = await createTestStore('postgres');
  });
  afterAll(async () => {
    await store.close();
  });

  it('deliver every row exactly once between them (FOR UPDATE SKIP LOCKED)', async () => {
    await store.exec('CREATE TABLE test_delivery (outbox_id text NOT NULL, pid int NOT NULL)');
    const rows = Array.from({ length: 150 }, (_, i) => row(i, `d${i % 7}`));
    await enqueueOutbox(store.prisma, rows, new Date(Date.now() - 1_000));
    const child = path.join(import.meta.dirname, 'support', 'outboxChild.ts');
    const run = () =>
      new Promise<void>((resolve, reject) => {
        const proc = spawn(process.execPath, ['--import', 'tsx', child, store.databaseUrl!], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${code}: ${stderr}`))));
      });
    await Promise.all([run(), run(), run()]);
    const deliveries = await store.prisma.$queryRawUnsafe<Array<{ outbox_id: string; pid: number }>>(
      'SELECT outbox_id, pid FROM test_delivery',
    );
    expect(deliveries).toHaveLength(150);
    expect(new Set(deliveries.map((d) => d.outbox_id)).size).toBe(150);
    expect(new Set(deliveries.map((d) => d.pid)).size).toBeGreaterThan(1);
    expect(await outboxCounts(store.prisma)).toEqual({ done: 150 });
  }, 60_000);
});
