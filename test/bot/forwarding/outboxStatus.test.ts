import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { DeliveryError } from '../../../bot/errors.ts';
import { enqueueOutbox, type NewOutboxRow } from '../../../bot/forwarding/outbox.ts';
import {
  formatAge,
  forwardingHealth,
  outboxStatusReader,
  readOutboxStatus,
  watchForwarding,
  wholeBacklog,
  type OutboxBacklog,
  type OutboxStatus,
} from '../../../bot/forwarding/outboxStatus.ts';
import { OutboxWorker, type OutboxOutcome } from '../../../bot/forwarding/outboxWorker.ts';
import { HttpServer } from '../../../bot/http/httpServer.ts';
import { HealthRegistry } from '../../../bot/http/health.ts';
import { createMetrics } from '../../../bot/http/metrics.ts';
import { officerServices } from '../../../bot/officers/officerServices.ts';
import type { Store } from '../../../bot/store/store.ts';
import { createHarness } from '../../support/chatHarness.ts';
import { createTestStore, storeKinds } from '../../support/testDatabase.ts';

const logger = pino({ level: 'silent' });
const MINUTE = 60_000;

function row(n: number, kind = 'test.deliver'): NewOutboxRow {
  return { kind, destination: { type: 'chat', chatKey: `chat-${n}` }, payload: { n }, dedupKey: `status:${n}` };
}

describe.each(storeKinds)('the outbox status on %s', (kind) => {
  let store: Store;
  const start = new Date('2026-11-22T03:00:00.000Z');
  const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);

  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(async () => {
    await store.prisma.outbox.deleteMany();
  });

  const none = { waiting: 0, retrying: 0, dead: 0, oldestSeconds: 0 };

  it('reads an empty outbox as nothing waiting', async () => {
    expect(await readOutboxStatus(store, start)).toEqual({ offices: none, reporters: none });
  });

  it('counts undelivered rows as waiting or retrying, dead ones apart, for offices and reporters apart, with the oldest one\'s age', async () => {
    await enqueueOutbox(store.prisma, [row(1, 'office.deliver')], at(0));
    await enqueueOutbox(store.prisma, [row(2, 'ticket.forward'), row(3, 'office.deliver')], at(5));
    await enqueueOutbox(store.prisma, [row(4, 'office.notify'), row(5, 'office.deliver')], at(7));
    await enqueueOutbox(store.prisma, [row(6, 'chat.message')], at(2));
    await enqueueOutbox(store.prisma, [row(7, 'chat.message'), row(8, 'chat.message')], at(9));
    // Row 1 was delivered, row 2 failed once and waits for its retry, row 4 was given up on; to reporters, row 6
    // could never go (the reporter blocked the bot) and row 7 was deferred.
    const set = (n: number, data: Record<string, unknown>) => store.prisma.outbox.updateMany({ where: { dedupKey: `status:${n}` }, data });
    await set(1, { status: 'done', doneAt: at(1) });
    await set(2, { lastError: 'HTTP 502', attempts: 1 });
    await set(4, { status: 'dead', lastError: 'HTTP 403' });
    await set(6, { status: 'dead', lastError: 'the chat is unreachable (blocked the bot)' });
    await set(7, { lastError: 'the whatsapp channel is not running in this process' });

    const status = await readOutboxStatus(store, at(17));
    // To offices, rows 2, 3 and 5 are undelivered, the oldest (2 and 3) written 12 minutes before; to reporters,
    // rows 7 and 8, written 8 minutes before.
    expect(status).toEqual({
      offices: { waiting: 2, retrying: 1, dead: 1, oldestSeconds: 12 * 60 },
      reporters: { waiting: 1, retrying: 1, dead: 1, oldestSeconds: 8 * 60 },
    });
    expect(wholeBacklog(status)).toEqual({ waiting: 3, retrying: 2, dead: 2, oldestSeconds: 12 * 60 });
  });

  it('gives an age of 0 rather than a negative one when a row is newer than the reading clock', async () => {
    await enqueueOutbox(store.prisma, [row(1)], at(10));
    expect((await readOutboxStatus(store, at(0))).offices.oldestSeconds).toBe(0);
  });

  it("tells its listeners the outcome of every attempt: delivered, retry, deferred and dead", async () => {
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    await enqueueOutbox(store.prisma, [row(1, 'test.ok'), row(2, 'test.flaky'), row(3, 'test.busy'), row(4, 'test.refused')], now);
    const heard: Array<[string, OutboxOutcome]> = [];
    const worker = new OutboxWorker({
      store,
      logger,
      clock: () => new Date(now.getTime() + 10),
      maxAttempts: 3,
      handlers: {
        'test.ok': async () => undefined,
        'test.flaky': async () => {
          throw new Error('connection reset');
        },
        'test.busy': async () => {
          throw new DeliveryError('429 Too Many Requests', false, 429, 30_000);
        },
        'test.refused': async () => {
          throw new DeliveryError('403 Forbidden: bot was kicked', true, 403);
        },
      },
    });
    const stop = worker.onOutcome((kind, outcome) => heard.push([kind, outcome]));
    expect(await worker.drain()).toBe(4);
    expect(heard.sort()).toEqual([
      ['test.busy', 'deferred'],
      ['test.flaky', 'retry'],
      ['test.ok', 'delivered'],
      ['test.refused', 'dead'],
    ]);
    expect((await readOutboxStatus(store, now)).offices).toMatchObject({ waiting: 0, retrying: 2, dead: 1 });

    stop();
    await store.prisma.outbox.updateMany({ where: { status: 'pending' }, data: { nextAttemptAt: now, lastError: null } });
    await worker.drain();
    expect(heard).toHaveLength(4);
  });
});

describe('the forwarding health check', () => {
  const none: OutboxBacklog = { waiting: 0, retrying: 0, dead: 0, oldestSeconds: 0 };
  const status = (offices: Partial<OutboxBacklog>, reporters: Partial<OutboxBacklog> = {}): OutboxStatus => ({
    offices: { ...none, ...offices },
    reporters: { ...none, ...reporters },
  });

  it('is ok while deliveries keep up, and says how many wait', () => {
    expect(forwardingHealth(status({}), 30 * MINUTE)).toEqual({ status: 'ok', detail: 'nothing waiting' });
    expect(forwardingHealth(status({ waiting: 40, retrying: 2, oldestSeconds: 95 }), 30 * MINUTE)).toEqual({
      status: 'ok',
      detail: '42 undelivered to offices (2 retrying), oldest 1 min',
    });
  });

  it('is degraded, never down, once the oldest undelivered row has waited longer than the alert', () => {
    const lagging = forwardingHealth(status({ waiting: 300, oldestSeconds: 31 * 60 }), 30 * MINUTE);
    expect(lagging).toEqual({ status: 'degraded', detail: 'forwarding lags: 300 undelivered to offices (0 retrying), oldest 31 min' });
    expect(forwardingHealth(status({ waiting: 300, oldestSeconds: 29 * 60 }), 30 * MINUTE).status).toBe('ok');
  });

  it('is degraded while any delivery is dead-lettered, and points to netra outbox', () => {
    expect(forwardingHealth(status({ dead: 2, waiting: 1, oldestSeconds: 3 }), 30 * MINUTE)).toEqual({
      status: 'degraded',
      detail: '2 dead-lettered (see netra outbox); 1 undelivered to offices (0 retrying), oldest 3 s',
    });
  });

  it('leaves messages to reporters out: one to a reporter who blocked the bot can never go', () => {
    expect(forwardingHealth(status({}, { dead: 5, retrying: 3, oldestSeconds: 3 * 86_400 }), 30 * MINUTE)).toEqual({
      status: 'ok',
      detail: 'nothing waiting',
    });
  });

  it('writes ages in seconds, minutes, hours and days', () => {
    expect([0, 59, 60, 3_599, 3_600, 3_900, 86_400, 93_600].map(formatAge)).toEqual([
      '0 s',
      '59 s',
      '1 min',
      '59 min',
      '1 h',
      '1 h 5 min',
      '1 d',
      '1 d 2 h',
    ]);
  });
});

describe('the outbox status reader', () => {
  it('shares one read among callers within its interval, and reads again after it', async () => {
    let reads = 0;
    let clock = 0;
    const store = {
      query: async <T,>() => {
        reads += 1;
        return [{ officesWaiting: reads }] as T[];
      },
    };
    const read = outboxStatusReader(store, () => new Date(clock), 50);
    const [a, b] = await Promise.all([read(), read()]);
    expect(reads).toBe(1);
    expect(a).toEqual(b);
    await new Promise((resolve) => setTimeout(resolve, 60));
    clock += 60_000;
    expect((await read()).offices.waiting).toBe(2);
  });

  it('does not keep a failed read: the next caller asks the database again', async () => {
    let fail = true;
    const store = {
      query: async <T,>() => {
        if (fail) throw new Error('Connection terminated unexpectedly');
        return [{ officesWaiting: 1, reportersOldest: 4 }] as T[];
      },
    };
    const read = outboxStatusReader(store, () => new Date(), 60_000);
    await expect(read()).rejects.toThrow(/terminated/);
    fail = false;
    expect(await read()).toEqual({
      offices: { waiting: 1, retrying: 0, dead: 0, oldestSeconds: 0 },
      reporters: { waiting: 0, retrying: 0, dead: 0, oldestSeconds: 4 },
    });
  });
});

describe('the forwarding backlog in /metrics', () => {
  let server: HttpServer;
  let reading: () => Promise<OutboxStatus>;
  const metrics = createMetrics();

  beforeAll(async () => {
    metrics.trackOutbox(() => reading());
    server = await HttpServer.start({ port: 0, health: new HealthRegistry(), metrics, logger });
  });
  afterAll(async () => {
    await server.close();
  });

  const scrape = async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    return { status: response.status, text: await response.text() };
  };

  it('shows the undelivered rows by recipient and state and the oldest one\'s age, and the attempts by kind and outcome', async () => {
    reading = async () => ({
      offices: { waiting: 7, retrying: 2, dead: 1, oldestSeconds: 420 },
      reporters: { waiting: 3, retrying: 0, dead: 4, oldestSeconds: 60 },
    });
    metrics.outboxAttempt('ticket.forward', 'delivered');
    metrics.outboxAttempt('ticket.forward', 'delivered');
    metrics.outboxAttempt('chat.message', 'deferred');
    metrics.outboxAttempt('Weird Kind 42', 'dead');
    const { status, text } = await scrape();
    expect(status).toBe(200);
    expect(text).toContain('netra_outbox_rows{to="offices",state="waiting"} 7');
    expect(text).toContain('netra_outbox_rows{to="offices",state="retrying"} 2');
    expect(text).toContain('netra_outbox_rows{to="offices",state="dead"} 1');
    expect(text).toContain('netra_outbox_rows{to="reporters",state="waiting"} 3');
    expect(text).toContain('netra_outbox_rows{to="reporters",state="dead"} 4');
    expect(text).toContain('netra_outbox_oldest_seconds{to="offices"} 420');
    expect(text).toContain('netra_outbox_oldest_seconds{to="reporters"} 60');
    expect(text).toContain('netra_outbox_attempts_total{kind="ticket.forward",outcome="delivered"} 2');
    expect(text).toContain('netra_outbox_attempts_total{kind="chat.message",outcome="deferred"} 1');
    expect(text).toContain('netra_outbox_attempts_total{kind="other",outcome="dead"} 1');
  });

  it('shows no backlog at all from a registry that does not track the outbox', async () => {
    const text = await createMetrics().registry.metrics();
    expect(text).toContain('# TYPE netra_outbox_oldest_seconds gauge');
    expect(text).not.toMatch(/^netra_outbox_(rows|oldest_seconds)\{/m);
  });

  it('still serves every other metric when the database cannot be read, and shows the backlog as unknown', async () => {
    reading = async () => {
      throw new Error('Connection terminated unexpectedly');
    };
    const { status, text } = await scrape();
    expect(status).toBe(200);
    expect(text).toContain('netra_send_queue_depth');
    expect(text).not.toMatch(/netra_outbox_rows\{/);
    // An unknown lag is NaN: 0 would read as "nothing waiting".
    expect(text).toMatch(/^netra_outbox_oldest_seconds\{to="offices"\} nan$/im);
  });
});

describe('forwarding as netra start reports it', () => {
  it('shows a backlog in /healthz and /metrics, degrades once it lags or a delivery is dead-lettered', async () => {
    const h = await createHarness('pglite', { env: { OUTBOX_LAG_ALERT: '30m', OUTBOX_MAX_ATTEMPTS: '1' } });
    const health = new HealthRegistry();
    const metrics = createMetrics();
    // Only performance.now() is faked: the reader's shared interval passes without waiting for it.
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      watchForwarding(h.app, h.app.config, health, metrics);
      expect((await health.report()).checks.forwarding).toMatchObject({ status: 'ok', detail: 'nothing waiting' });

      // A delivery nobody can make (no handler for its kind) waits, then lags, then is dead-lettered at its first
      // failed attempt (OUTBOX_MAX_ATTEMPTS=1).
      await enqueueOutbox(h.app.store.prisma, [row(1, 'test.nobody')], h.now());
      h.setNow(new Date(h.now().getTime() + 5 * MINUTE));
      vi.advanceTimersByTime(1_100); // past the reader's shared interval
      expect((await health.report()).checks.forwarding).toMatchObject({ status: 'ok', detail: '1 undelivered to offices (0 retrying), oldest 5 min' });
      h.setNow(new Date(h.now().getTime() + 30 * MINUTE));
      vi.advanceTimersByTime(1_100);
      expect((await health.report())).toMatchObject({
        status: 'degraded',
        checks: { forwarding: { status: 'degraded', detail: 'forwarding lags: 1 undelivered to offices (0 retrying), oldest 35 min' } },
      });

      expect(await officerServices(h.app).worker.drain()).toBe(1);
      vi.advanceTimersByTime(1_100);
      expect((await health.report()).checks.forwarding).toMatchObject({
        status: 'degraded',
        detail: '1 dead-lettered (see netra outbox); 0 undelivered to offices (0 retrying), oldest 0 s',
      });
      const text = await metrics.registry.metrics();
      expect(text).toContain('netra_outbox_rows{to="offices",state="dead"} 1');
      expect(text).toContain('netra_outbox_attempts_total{kind="test.nobody",outcome="dead"} 1');
    } finally {
      vi.useRealTimers();
      await h.close();
    }
  });
});
