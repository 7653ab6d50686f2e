/**
 * Faults: Netra (`netra start`, webhook mode, PostgreSQL) while the Bot API fails a fifth of the calls (429 with
 * retry_after, 500, slow answers; seeded) and some calls hang until the connection is dropped, and while every
 * database connection Netra holds is terminated every second or two (`pg_terminate_backend`). Citizens file
 * reports and an officer acts on them throughout; whoever is told "not processed" sends the same again, as a
 * person would. Netra must recover on its own: the process keeps running, every confirmed report is exactly one
 * ticket, delivered once to the office group, by e-mail and by webhook, every officer action takes effect once and
 * its notice reaches the reporter once, no turn is lost or doubled, and the audit chain verifies.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../bot/store/store.ts';
import { adminUrl, createTestDatabase, dropTestDatabase } from '../support/testDatabase.ts';
import { Citizen, Gate, Officer, seededRandom, sleep, type ReportPlan, type Stage } from './support/actors.ts';
import { checkInvariants, newLedger, quiet } from './support/invariants.ts';
import type { NetraProcess } from './support/netraProcess.ts';
import { startSmtp, startWebhookReceiver } from './support/receivers.ts';
import { createWorld, OBSERVER, type World } from './support/world.ts';

const LONG = process.env.NETRA_LONG_TESTS === '1';
const SEED = Number(process.env.NETRA_FAULT_SEED ?? 99_173);
const REPORTS_PER_CITIZEN = LONG ? 8 : 2;
const OFFICE = '19.05';
const GROUP = -100_900_100;

describe('Netra under Bot API and database faults', () => {
  let world: World;
  let netra: NetraProcess;
  let admin: pg.Client;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    receiver = await startWebhookReceiver();
    world = await createWorld({ fake: { failureRate: 0.2, seed: SEED }, env: { SMTP_URL: smtp.url } });
    netra = await world.startNetra();
    const set = await world.cli(['office', 'set', OFFICE, '--email', 'kantor@bawaslu.test', '--webhook', receiver.url]);
    if (set.code !== 0) throw new Error(set.output);
    admin = new pg.Client({ connectionString: adminUrl() });
    admin.on('error', () => undefined);
    await admin.connect();
  }, 120_000);

  afterAll(async () => {
    await admin?.end();
    await world?.close();
    await smtp?.close();
    await receiver?.close();
  }, 60_000);

  it('recovers on its own and loses nothing', { timeout: (LONG ? 30 : 8) * 60_000 }, async () => {
    const random = seededRandom(SEED);
    const stage: Stage = { world, gate: new Gate(), kills: () => [] };
    const officer = new Officer(stage, { id: 7_201, first_name: 'Rudi' }, GROUP);
    await officer.enrol(OFFICE);

    // The faults: the fake's chaos runs from the start; database drops and hanging calls from now on.
    const database = new URL(world.databaseUrl).pathname.slice(1);
    const drops: number[] = [];
    let hangs = 0;
    let faulting = true;
    const monkey = (async () => {
      while (faulting) {
        await sleep(800 + Math.floor(random() * 1_700));
        if (!faulting) break;
        const { rows } = await admin.query<{ n: number }>(
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
            WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name <> $2`,
          [database, OBSERVER],
        );
        drops.push(rows[0]?.n ?? 0);
        // One hanging call at a time: a queued fault waits for the next call of its method, so more would pile up
        // and fail every call in a row (which the send queue rightly gives up on).
        if (random() < 0.5 && world.fake.calls.filter((c) => c.dropped).length >= hangs) {
          hangs += 1;
          world.fake.failNext(random() < 0.5 ? 'sendMessage' : 'sendDocument', { timeoutMs: 1_000 });
        }
      }
    })();

    const citizens = [6_301, 6_302, 6_303].map((id) => new Citizen(stage, id, { id, first_name: 'Warga' }));
    const ledger = { ...newLedger(citizens, officer), email: smtp.received, webhook: receiver.received };
    const plan = (citizen: Citizen, n: number): ReportPlan => ({
      kind: citizen.chatId === 6_303 && n % 2 === 1 ? 'formal' : 'tip',
      photo: citizen.chatId === 6_302,
      tag: `warga ${citizen.chatId} laporan ${n}`,
    });
    let filing = true;
    const filed = Promise.all(
      citizens.map(async (citizen) => {
        for (let n = 0; n < REPORTS_PER_CITIZEN; n += 1) await citizen.file(plan(citizen, n));
      }),
    ).finally(() => (filing = false));
    const officerWork = (async () => {
      for (;;) {
        const tickets = await world.store.prisma.ticket.findMany({
          where: { officeCode: OFFICE },
          orderBy: { createdAt: 'asc' },
          select: { code: true, acknowledgedAt: true },
        });
        const open = tickets.filter((t, i) => !t.acknowledgedAt || (i % 2 === 0 && !ledger.statusReplies.has(t.code)));
        if (!filing && open.length === 0 && tickets.length === citizens.length * REPORTS_PER_CITIZEN) return;
        for (const [index, ticket] of tickets.entries()) {
          if (!ticket.acknowledgedAt) await officer.acknowledge(ticket.code);
          else if (index % 2 === 0 && !ledger.statusReplies.has(ticket.code)) {
            if (await officer.setStatus(ticket.code, 'handling', 'Kami memanggil terlapor untuk klarifikasi.')) ledger.statusReplies.set(ticket.code, 1);
          }
        }
        await sleep(200);
      }
    })();

    try {
      await filed;
      await officerWork;
    } catch (error) {
      if (process.env.NETRA_TRIAL_DEBUG === '1') process.stderr.write(`${netra.tail(80)}\n`);
      throw error;
    } finally {
      faulting = false;
      await monkey;
    }
    await quiet(world, 180_000).catch((error: unknown) => {
      if (process.env.NETRA_TRIAL_DEBUG === '1') process.stderr.write(`${netra.tail(300)}\n`);
      throw error;
    });

    expect(netra.running, 'the process kept running').toBe(true);
    const problems = await checkInvariants(world, ledger);
    if (problems.length > 0 && process.env.NETRA_TRIAL_DEBUG === '1') process.stderr.write(`${netra.tail(300)}\n`);
    expect(problems).toEqual([]);
    // The faults did happen, and whoever was told to send again succeeded (every script above completed).
    expect(drops.length).toBeGreaterThan(3);
    expect(drops.some((n) => n > 0)).toBe(true);
    expect(world.fake.stats.errors).toBeGreaterThan(20);
    const resent = citizens.reduce((n, c) => n + c.resent, 0);
    process.stdout.write(
      `[faults] ${drops.length} database drops (${drops.reduce((a, b) => a + b, 0)} connections), ${world.fake.stats.errors} failed Bot API calls, ${resent} messages sent again after an error\n`,
    );
  });
});

describe('the PostgreSQL store when its connections are terminated', () => {
  it('fails a raw transaction whose connection dies between two statements, and does not crash', { timeout: 60_000 }, async () => {
    const databaseUrl = await createTestDatabase();
    const store = await openStore({ databaseUrl, poolSize: 2 });
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    try {
      const failed = store.transaction(async (sql) => {
        const [own] = await sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [own!.pid]);
        // The idle, checked-out client hears of its death now (an 'error' event nobody else listens to).
        await sleep(300);
        await sql.query('SELECT 1');
      });
      await expect(failed).rejects.toThrow();
      expect(await store.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(await store.transaction((sql) => sql.query<{ two: number }>('SELECT 2 AS two'))).toEqual([{ two: 2 }]);
    } finally {
      await admin.end();
      await store.close();
      await dropTestDatabase(databaseUrl);
    }
  });

  it('keeps serving after transactions lost their connection mid-way (no pool slot leaks)', { timeout: 60_000 }, async () => {
    const databaseUrl = await createTestDatabase();
    const store = await openStore({ databaseUrl, poolSize: 3 });
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    const terminate = () =>
      admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [
        new URL(databaseUrl).pathname.slice(1),
      ]);
    const within = <T>(promise: Promise<T>, ms: number) =>
      Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`still waiting after ${ms} ms`)))]);
    try {
      for (let round = 0; round < 3; round += 1) {
        // More transactions than pool slots, each holding its connection a while, cut in the middle.
        const transactions = Promise.allSettled(
          Array.from({ length: 12 }, () =>
            store.prisma.$transaction(async (tx) => {
              await tx.$queryRawUnsafe('SELECT pg_sleep(0.05)::text');
              await tx.$queryRawUnsafe('SELECT 1');
            }),
          ),
        );
        // Cut them once one is mid-way (on a loaded machine connecting alone can take longer than any fixed wait).
        const name = new URL(databaseUrl).pathname.slice(1);
        for (let waited = 0; waited < 5_000; waited += 10) {
          const { rows } = await admin.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE '%pg_sleep%'`,
            [name],
          );
          if ((rows[0]?.n ?? 0) > 0) break;
          await sleep(10);
        }
        await terminate();
        const outcomes = await within(transactions, 20_000);
        expect(outcomes.some((o) => o.status === 'rejected')).toBe(true);
        expect(await within(store.prisma.chat.count(), 5_000)).toBe(0);
      }
    } finally {
      await admin.end();
      await store.close();
      await dropTestDatabase(databaseUrl);
    }
  });
});
