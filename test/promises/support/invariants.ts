/**
 * What must hold whenever no update is in flight, however often Netra was killed: each confirmed report is
 * exactly one ticket; each destination received each ticket, each officer action took effect once; the reporter
 * heard of each once; no conversation lost or repeated a turn; the audit chain is intact. Deliveries still in the
 * outbox are checked for "not twice" only; once their rows are done, also for "at least once" (so a check right
 * after a restart sees what is finished, and one after `quiet()` sees everything). Checks return the problems found
 * (empty when all holds) so a trial can report all of them.
 *
 * Delivering is at least once: a process killed between Telegram's answer to a send and the outbox saving that
 * progress sends that part again after the restart (Telegram offers no idempotency key to prevent it). A second
 * copy therefore counts as a problem unless a kill fell between the two copies.
 */
import { verifyAuditLog } from '../../../bot/audit/auditLog.ts';
import type { ApiCall } from '../../support/fakeBotApi.ts';
import { plain, sleep, type Citizen, type Officer } from './actors.ts';
import type { Received } from './receivers.ts';
import type { World } from './world.ts';

/** What the test did, to compare with what Netra recorded. */
export interface Ledger {
  /** When each kill was ordered (ms, the fake's clock). */
  kills: number[];
  /** When each killed process was gone; a send that arrived between order and exit came from the dying process. */
  killEnds: number[];
  citizens: Citizen[];
  officer?: Officer;
  /** Status replies the officer sent (acknowledged), by ticket code. */
  statusReplies: Map<string, number>;
  /** The audit head seen at the last check, which must still be there. */
  auditHead?: { seq: number; hash: string };
  /** The office's e-mail and webhook deliveries, when it has those destinations. */
  email?: Received[];
  webhook?: Received[];
  /** Duplicates explained by a kill at the last check, for the report. */
  explainedDuplicates: number;
}

export function newLedger(citizens: Citizen[], officer?: Officer, kills: number[] = [], killEnds: number[] = []): Ledger {
  return { kills, killEnds, citizens, ...(officer ? { officer } : {}), statusReplies: new Map(), explainedDuplicates: 0 };
}

/** Waits until no update is in flight and the outbox holds nothing pending; throws after `timeoutMs`. */
export async function quiet(world: World, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await world.relay.idle();
  for (;;) {
    const rows = await world.store.query<{ kind: string; attempts: number; lastError: string | null; nextAttemptAt: Date }>(
      `SELECT "kind", "attempts", "lastError", "nextAttemptAt" FROM "Outbox" WHERE "status" = 'pending'`,
    );
    if (rows.length === 0 && world.relay.pending === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `Netra did not become quiet within ${timeoutMs} ms: ${world.relay.pending} updates in flight, pending outbox rows:\n` +
          rows.map((r) => `  ${r.kind} attempts=${r.attempts} next=${r.nextAttemptAt.toISOString()} ${r.lastError ?? ''}`).join('\n'),
      );
    }
    await sleep(100);
  }
}

/**
 * Copies of one delivery beyond the first that no kill explains. Copies are calls to Telegram that succeeded, in
 * the order they arrived.
 */
function unexplainedCopies(copies: Array<{ at: number }>, ledger: Ledger): number {
  let unexplained = 0;
  for (let i = 1; i < copies.length; i += 1) {
    const before = copies[i - 1]!.at;
    const after = copies[i]!.at;
    const killedBetween = ledger.kills.some((start, k) => before <= (ledger.killEnds[k] ?? start) && after >= start);
    if (killedBetween) ledger.explainedDuplicates += 1;
    else unexplained += 1;
  }
  return unexplained;
}

/** When the copies arrived, relative to the kills (for a problem's description). */
function timing(copies: Array<{ at: number }>, ledger: Ledger): string {
  if (ledger.kills.length === 0) return '';
  const first = copies[0]!.at;
  const kills = ledger.kills.map((start, i) => `${start - first}..${(ledger.killEnds[i] ?? start) - first}`).filter((_, i) => Math.abs(ledger.kills[i]! - first) < 60_000);
  return `: copies at +${copies.map((c) => c.at - first).join(', +')} ms, kills at ${kills.join(', ') || 'none near'} ms`;
}

/** Checks everything; returns the problems. */
export async function checkInvariants(world: World, ledger: Ledger): Promise<string[]> {
  const problems: string[] = [];
  ledger.explainedDuplicates = 0;
  const { prisma } = world.store;
  const { fake } = world;
  const tickets = await prisma.ticket.findMany({
    include: { evidence: true, events: true },
    orderBy: { createdAt: 'asc' },
  });
  const unfinished = new Set(
    (
      await world.store.query<{ ticketId: string | null }>(
        `SELECT "payload"->>'ticketId' AS "ticketId" FROM "Outbox" WHERE "status" = 'pending'`,
      )
    ).map((row) => row.ticketId),
  );

  // Each confirmed report is exactly one ticket; no draft became two.
  for (const citizen of ledger.citizens) {
    const key = world.chatKey(citizen.chatId);
    const own = tickets.filter((t) => t.reporterChatKey === key);
    if (own.length !== citizen.confirmed) {
      problems.push(`chat ${citizen.chatId}: ${citizen.confirmed} confirmed reports but ${own.length} tickets`);
    }
    const drafts = new Map<string, number>();
    for (const ticket of own) {
      const startedAt = String((ticket.details as { startedAt?: unknown }).startedAt);
      drafts.set(startedAt, (drafts.get(startedAt) ?? 0) + 1);
    }
    for (const [startedAt, count] of drafts) if (count > 1) problems.push(`chat ${citizen.chatId}: draft ${startedAt} became ${count} tickets`);
    for (const code of citizen.codes) {
      if (!own.some((t) => t.code === code)) problems.push(`chat ${citizen.chatId}: was given ${code}, which is not its ticket`);
    }

    // No turn lost or doubled: one revision per update the chat sent, but for turns that failed (and said so).
    const chat = await prisma.chat.findUnique({ where: { key }, select: { revision: true } });
    const turns = new Set(citizen.sent).size - citizen.failedTurns;
    if ((chat?.revision ?? 0) !== turns) problems.push(`chat ${citizen.chatId}: ${turns} turns but revision ${chat?.revision ?? 0}`);
  }

  const officer = ledger.officer;
  const calls = fake.calls;
  for (const ticket of tickets) {
    const code = ticket.code;
    const done = !unfinished.has(ticket.id);
    const citizen = ledger.citizens.find((c) => world.chatKey(c.chatId) === ticket.reporterChatKey);

    // Every destination (the office group; its e-mail and webhook when set) got the ticket exactly once.
    if (officer) {
      const group = calls.filter((c) => c.ok && c.chatId === officer.groupId);
      const cards = group.filter((c) => c.method === 'sendMessage' && plain(c).includes(`Laporan baru ${code}`));
      const pdfs = group.filter((c) => c.method === 'sendDocument' && plain(c).includes(`Formulir Model B.1 — ${code}`));
      const files = ticket.evidence.filter((e) => e.path);
      const parts: Array<[string, Array<{ at: number }>, number]> = [
        ['card', cards, 1],
        ['PDF', pdfs, 1],
        ...files.map((_, i): [string, ApiCall[], number] => [
          `evidence ${i + 1}`,
          group.filter((c) => c.method === 'sendDocument' && plain(c).includes(`Bukti ${i + 1}/${files.length}`) && plain(c).includes(code)),
          1,
        ]),
        // The forward's own delivery ids: `ticket:<id>:forward>email` as the Message-ID, `>webhook` in the body.
        ...(ledger.email ? [['e-mail', ledger.email.filter((m) => m.text.includes(`<ticket:${ticket.id}:forward.email@netra>`)), 1] as [string, Received[], number]] : []),
        ...(ledger.webhook
          ? [['webhook', ledger.webhook.filter((w) => w.text.includes(`"deliveryId":"ticket:${ticket.id}:forward>webhook"`)), 1] as [string, Received[], number]]
          : []),
      ];
      for (const [part, copies, wanted] of parts) {
        if (done && copies.length < wanted) problems.push(`${code}: the office never got the ${part}`);
        const extra = unexplainedCopies(copies, ledger);
        if (extra > 0) problems.push(`${code}: the office got the ${part} ${copies.length} times (${extra} not explained by a kill)${timing(copies, ledger)}`);
      }
    }

    // Officer actions took effect once; the reporter was told of each once.
    const acks = ticket.events.filter((e) => e.type === 'acknowledged');
    const statuses = ticket.events.filter((e) => e.type === 'status');
    if (acks.length > 1) problems.push(`${code}: acknowledged ${acks.length} times`);
    const replies = ledger.statusReplies.get(code) ?? 0;
    if (statuses.length !== replies) problems.push(`${code}: the officer set a status ${replies} times, the history holds ${statuses.length}`);
    if (citizen) {
      const toReporter = calls.filter((c) => c.ok && c.chatId === citizen.chatId && c.method === 'sendMessage');
      const told = [
        ['acknowledgement', toReporter.filter((c) => plain(c).includes(`Laporan ${code} telah diterima`)), acks.length],
        ['status', toReporter.filter((c) => plain(c).includes(`Status laporan ${code} kini`)), statuses.length],
      ] as const;
      for (const [what, copies, events] of told) {
        if (done && copies.length < events) problems.push(`${code}: the reporter was not told of the ${what}`);
        if (events === 1 && unexplainedCopies(copies, ledger) > 0) {
          problems.push(`${code}: the reporter was told of the ${what} ${copies.length} times${timing(copies, ledger)}`);
        }
      }
    }
  }

  const dead = await prisma.outbox.findMany({ where: { status: 'dead' }, select: { kind: true, lastError: true } });
  for (const row of dead) problems.push(`outbox ${row.kind} dead-lettered: ${row.lastError ?? ''}`);

  const audit = await verifyAuditLog(prisma, ledger.auditHead ? { expect: ledger.auditHead } : {});
  if (!audit.ok) problems.push(...audit.problems.map((p) => `audit entry ${p.seq}: ${p.problem}: ${p.detail}`));
  if (audit.head) ledger.auditHead = audit.head;
  return problems;
}
