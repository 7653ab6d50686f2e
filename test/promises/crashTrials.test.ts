/**
 * Crash trials: Netra runs as `netra start` in webhook mode on PostgreSQL while scripted citizens file tips and
 * formal reports (typed answers and photos) and an officer acknowledges tickets and sets statuses from the office
 * group (which also receives by e-mail and webhook). At a random moment (seeded) the process is killed with SIGKILL and started again. After each restart,
 * once no update is in flight, every promise is checked (support/invariants.ts): each confirmed report is exactly
 * one ticket, the office received each ticket exactly once in its group (card, PDF, files), by e-mail and by webhook, each officer action took
 * effect once and the reporter was told once, no turn was lost or doubled, every conversation still answers, and
 * the audit chain verifies. Deliveries still under way are checked once they are done: every fifth trial (every
 * trial in the long run) and after the last one, the check waits until the outbox is empty.
 *
 * 20 trials in CI; NETRA_LONG_TESTS=1 runs 200 (NETRA_CRASH_TRIALS overrides both). NETRA_CRASH_SEED repeats a run,
 * NETRA_TRIAL_DEBUG=1 prints the phases of each trial.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Citizen, Gate, Officer, seededRandom, sleep, type ReportPlan, type Stage } from './support/actors.ts';
import { checkInvariants, newLedger, quiet, type Ledger } from './support/invariants.ts';
import type { NetraProcess } from './support/netraProcess.ts';
import { freePort } from './support/netraProcess.ts';
import { startSmtp, startWebhookReceiver } from './support/receivers.ts';
import { createWorld, type World } from './support/world.ts';

const LONG = process.env.NETRA_LONG_TESTS === '1';
const TRIALS = Number(process.env.NETRA_CRASH_TRIALS ?? (LONG ? 200 : 20));
const SEED = Number(process.env.NETRA_CRASH_SEED ?? 20_261_122);
/** Trials between full checks (which wait for the outbox to drain: seconds, as the worker polls every 2 s). */
const FULL_CHECK_EVERY = LONG ? 1 : 5;

const OFFICE = '19.05';
const debug = process.env.NETRA_TRIAL_DEBUG === '1' ? (line: string) => process.stderr.write(`[crash] ${line}\n`) : () => undefined;
const GROUP = -100_500_600;

describe('crash trials', () => {
  let world: World;
  let netra: NetraProcess;
  let port: number;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const gate = new Gate();
  const kills: number[] = [];
  const killEnds: number[] = [];
  const stage = (): Stage => ({ world, gate, kills: () => kills });

  beforeAll(async () => {
    smtp = await startSmtp();
    receiver = await startWebhookReceiver();
    world = await createWorld({ env: { SMTP_URL: smtp.url } });
    port = await freePort();
    netra = await world.startNetra(port);
    // The office receives by e-mail and webhook too: three destinations, each to get every ticket once.
    const set = await world.cli(['office', 'set', OFFICE, '--email', 'kantor@bawaslu.test', '--webhook', receiver.url]);
    if (set.code !== 0) throw new Error(set.output);
  }, 120_000);

  afterAll(async () => {
    await world?.close();
    await smtp?.close();
    await receiver?.close();
  }, 60_000);

  it(`keeps every promise across ${TRIALS} kills at random moments (seed ${SEED})`, { timeout: (LONG ? 60 : 12) * 60_000 }, async () => {
    const random = seededRandom(SEED);
    const officer = new Officer(stage(), { id: 7_001, first_name: 'Sari', last_name: 'Petugas' }, GROUP);
    await officer.enrol(OFFICE);

    const citizens = [6_101, 6_102, 6_103].map((id) => new Citizen(stage(), id, { id, first_name: 'Warga' }));
    const ledger: Ledger = { ...newLedger(citizens, officer, kills, killEnds), email: smtp.received, webhook: receiver.received };
    const failures: unknown[] = [];
    let stopping = false;

    const plans = (citizen: Citizen, n: number): ReportPlan => ({
      kind: citizen.chatId === 6_103 && n % 2 === 1 ? 'formal' : 'tip',
      photo: citizen.chatId === 6_102 || (citizen.chatId === 6_103 && n % 3 === 0),
      tag: `warga ${citizen.chatId} laporan ${n}`,
    });
    const citizenLoop = async (citizen: Citizen) => {
      gate.join();
      try {
        for (let n = 0; !stopping; n += 1) await citizen.file(plans(citizen, n));
      } catch (error) {
        failures.push(error);
      } finally {
        gate.leave();
      }
    };
    const officerLoop = async () => {
      gate.join();
      try {
        while (!stopping) {
          const tickets = await world.store.prisma.ticket.findMany({
            where: { officeCode: OFFICE },
            orderBy: { createdAt: 'asc' },
            select: { code: true, acknowledgedAt: true },
          });
          for (const [index, ticket] of tickets.entries()) {
            if (stopping) break;
            if (!ticket.acknowledgedAt) await officer.acknowledge(ticket.code);
            else if (index % 2 === 0 && !ledger.statusReplies.has(ticket.code)) {
              if (await officer.setStatus(ticket.code, 'handling', 'Kami memanggil terlapor untuk klarifikasi.')) {
                ledger.statusReplies.set(ticket.code, 1);
              }
            }
          }
          await gate.pass();
          await sleep(100);
        }
      } catch (error) {
        failures.push(error);
      } finally {
        gate.leave();
      }
    };
    const loops = [...citizens.map(citizenLoop), officerLoop()];

    const started = Date.now();
    try {
      for (let trial = 1; trial <= TRIALS; trial += 1) {
        await sleep(200 + Math.floor(random() * 1_300));
        kills.push(Date.now());
        await netra.kill('SIGKILL');
        killEnds.push(Date.now());
        // The killed process's outbox leases would run out after five minutes; nothing runs now, so end them.
        await world.store.query(`UPDATE "Outbox" SET "lockedUntil" = NULL WHERE "status" = 'pending' AND "lockedUntil" IS NOT NULL`);
        netra = await world.startNetra(port);

        debug(`trial ${trial}: restarted at +${Date.now() - kills.at(-1)!} ms`);
        await gate.pause();
        await world.relay.idle();
        // Every few trials (every trial in the long run), wait until everything is delivered and check it all.
        const full = trial % FULL_CHECK_EVERY === 0 || trial === TRIALS;
        if (full) await quiet(world);
        debug(`trial ${trial}: ${full ? 'quiet' : 'settled'} at +${Date.now() - kills.at(-1)!} ms`);
        // Every conversation answers where it stands.
        await Promise.all(citizens.map((c) => c.probe()));
        const problems = await checkInvariants(world, ledger);
        debug(`trial ${trial}: checked at +${Date.now() - kills.at(-1)!} ms`);
        expect(failures.map(String), `trial ${trial} (seed ${SEED})`).toEqual([]);
        expect(problems, `trial ${trial} (seed ${SEED})`).toEqual([]);
        // Kills alone never make Netra answer "not processed, send it again".
        expect(citizens.map((c) => c.resent), `trial ${trial} (seed ${SEED})`).toEqual(citizens.map(() => 0));
        gate.resume();
      }
    } finally {
      stopping = true;
      gate.resume();
    }
    await Promise.race([Promise.all(loops), sleep(30_000)]);
    const tickets = await world.store.prisma.ticket.count();
    const summary = `${TRIALS} trials in ${Math.round((Date.now() - started) / 1000)} s: ${tickets} tickets, ${citizens.reduce((n, c) => n + c.sent.length, 0)} citizen turns, ${ledger.explainedDuplicates} copies sent again after a kill`;
    process.stdout.write(`[crash trials] ${summary}\n`);
    expect(tickets).toBeGreaterThan(TRIALS / 2);
  });
});
