/**
 * Scale-out: two `netra start` processes in webhook mode on one PostgreSQL database, both running the outbox worker.
 * The relay posts updates alternately to each process and a share of them to both at once (as Telegram does when
 * it retries a slow answer), always so for report confirmations and officers' replies, for the same chats: citizens filing reports and an officer acting on them. No turn
 * may be lost or doubled (each chat's revision equals its distinct updates), no one may get an error, each
 * confirmed report is one ticket, and no ticket (to the group, by e-mail, by webhook), officer action or notice is
 * delivered twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Citizen, Gate, Officer, plain, seededRandom, type ReportPlan, type Stage } from './support/actors.ts';
import { checkInvariants, newLedger, quiet } from './support/invariants.ts';
import { startSmtp, startWebhookReceiver } from './support/receivers.ts';
import { createWorld, type World } from './support/world.ts';

const OFFICE = '19.05';
const GROUP = -100_700_800;
const SEED = Number(process.env.NETRA_SCALE_SEED ?? 424_242);
const REPORTS_PER_CITIZEN = process.env.NETRA_LONG_TESTS === '1' ? 6 : 2;

describe('two Netra processes on one database', () => {
  let world: World;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    receiver = await startWebhookReceiver();
    world = await createWorld({
      env: { SMTP_URL: smtp.url },
      relay: {
        duplicateRate: 0.3,
        random: seededRandom(SEED),
        // Always twice: each confirmation (a ticket) and each officer's reply to a prompt (a status change).
        duplicate: (update) => {
          const message = update.message as { text?: string; reply_to_message?: unknown } | undefined;
          return message?.text === 'kirim laporan' || message?.reply_to_message !== undefined;
        },
      },
    });
    await world.startNetra();
    await world.startNetra();
    const set = await world.cli(['office', 'set', OFFICE, '--email', 'kantor@bawaslu.test', '--webhook', receiver.url]);
    if (set.code !== 0) throw new Error(set.output);
  }, 120_000);

  afterAll(async () => {
    await world?.close();
    await smtp?.close();
    await receiver?.close();
  }, 60_000);

  it('lose no turn, double none, and deliver every ticket once', { timeout: 10 * 60_000 }, async () => {
    const stage: Stage = { world, gate: new Gate(), kills: () => [] };
    const officer = new Officer(stage, { id: 7_101, first_name: 'Dewi' }, GROUP);
    await officer.enrol(OFFICE);

    const citizens = [6_201, 6_202, 6_203, 6_204].map((id) => new Citizen(stage, id, { id, first_name: 'Warga' }));
    const plan = (citizen: Citizen, n: number): ReportPlan => ({
      kind: citizen.chatId === 6_204 && n === 1 ? 'formal' : 'tip',
      photo: citizen.chatId === 6_202 || citizen.chatId === 6_203,
      tag: `warga ${citizen.chatId} laporan ${n}`,
    });
    await Promise.all(
      citizens.map(async (citizen) => {
        for (let n = 0; n < REPORTS_PER_CITIZEN; n += 1) await citizen.file(plan(citizen, n));
      }),
    );
    await quiet(world);

    // The officer works through the tickets from the group while both processes take the presses and replies.
    const ledger = { ...newLedger(citizens, officer), email: smtp.received, webhook: receiver.received };
    const tickets = await world.store.prisma.ticket.findMany({ where: { officeCode: OFFICE }, orderBy: { createdAt: 'asc' } });
    expect(tickets).toHaveLength(citizens.length * REPORTS_PER_CITIZEN);
    for (const [index, ticket] of tickets.entries()) {
      expect(await officer.acknowledge(ticket.code)).toBe(true);
      if (index % 2 === 0) {
        expect(await officer.setStatus(ticket.code, 'handling', 'Kami memanggil terlapor untuk klarifikasi.')).toBe(true);
        ledger.statusReplies.set(ticket.code, 1);
      }
    }
    await quiet(world);

    expect(await checkInvariants(world, ledger)).toEqual([]);
    for (const citizen of citizens) {
      const errors = world.fake.sent(citizen.chatId).filter((call) => plain(call).includes('terjadi gangguan'));
      expect(errors.map(plain), `chat ${citizen.chatId}`).toEqual([]);
    }
    const groupErrors = world.fake.sent(GROUP).filter((call) => plain(call).includes('terjadi gangguan'));
    expect(groupErrors.map(plain)).toEqual([]);

    // Both processes took turns, and some updates reached both at once.
    const records = [...world.relay.records.values()];
    const [first, second] = world.ports;
    expect(records.filter((r) => r.acceptedBy.includes(first!)).length).toBeGreaterThan(10);
    expect(records.filter((r) => r.acceptedBy.includes(second!)).length).toBeGreaterThan(10);
    expect(records.filter((r) => r.duplicated && r.acceptedBy.length === 2).length).toBeGreaterThan(10);
    // Both ran the outbox worker.
    const delivered = world.processes.map((p) => p.output().split('\n').filter((line) => line.includes('"outbox row delivered"')).length);
    expect(delivered.reduce((a, b) => a + b, 0)).toBeGreaterThan(tickets.length);
  });
});
