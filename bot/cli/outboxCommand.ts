/**
 * `netra outbox [--status failing|dead|pending|done|all] [--limit 50]` lists deliveries that need attention (by
 * default the dead-lettered and the retrying ones) with their last error; `netra outbox retry <id>` (or
 * `--all-dead`) puts them back in the queue with a fresh attempt count.
 */
import { parseArgs } from 'node:util';
import { appendAudit } from '../audit/auditLog.ts';
import { discardOutbox, listOutbox, outboxCounts, retryOutbox } from '../forwarding/outbox.ts';
import { formatAge, readOutboxStatus, wholeBacklog } from '../forwarding/outboxStatus.ts';
import { openOperatorContext, table } from '../offices/operatorContext.ts';

const USAGE =
  'Usage: netra outbox [list] [--status failing|dead|pending|done|discarded|all] [--limit N]\n' +
  '       netra outbox retry <id>|--all-dead\n' +
  '       netra outbox discard <id> --reason TEXT [--force]   (--force for an office\'s copy of a ticket; no personal data in the reason)\n';
const STATUSES = ['failing', 'dead', 'pending', 'done', 'discarded', 'all'] as const;

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        status: { type: 'string', default: 'failing' },
        limit: { type: 'string', default: '50' },
        'all-dead': { type: 'boolean', default: false },
        reason: { type: 'string' },
        force: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [action = 'list', target] = parsed.positionals;
  const status = parsed.values.status as (typeof STATUSES)[number];
  const limit = Number.parseInt(parsed.values.limit ?? '50', 10);
  const retryTarget = parsed.values['all-dead'] ? 'all-dead' : target;
  if (
    !['list', 'retry', 'discard'].includes(action) ||
    (action === 'retry' && !retryTarget) ||
    (action === 'discard' && (!target || !parsed.values.reason || parsed.values.reason.trim().length < 3)) ||
    !STATUSES.includes(status) ||
    !Number.isInteger(limit) ||
    limit < 1
  ) {
    process.stderr.write(USAGE);
    return 2;
  }
  const context = await openOperatorContext();
  try {
    const { prisma } = context.store;
    if (action === 'discard') {
      const reason = parsed.values.reason!.trim();
      const now = new Date();
      const discarded = await prisma.$transaction(async (tx) => {
        const row = await discardOutbox(tx, target!, reason, { officeDeliveries: parsed.values.force === true });
        if (row) await appendAudit(tx, { actor: 'cli', action: 'outbox.discard', data: { outbox: row.id, kind: row.kind, reason: reason.slice(0, 500) }, at: now });
        return row;
      });
      if (!discarded) {
        process.stderr.write(
          `Nothing to discard for ${target}: only a dead-lettered row can be discarded (see netra outbox --status dead), and an ` +
            "office's copy of a ticket only with --force: fix the office's destinations (netra office show) and retry it instead.\n",
        );
        return 1;
      }
      process.stdout.write(`Discarded ${discarded.id.slice(0, 8)} (${discarded.kind}); it no longer counts as undelivered. Audit-logged.\n`);
      return 0;
    }
    if (action === 'retry') {
      const ids = await retryOutbox(prisma, retryTarget!, new Date());
      if (ids.length === 0) {
        process.stderr.write(`Nothing to retry for ${retryTarget} (unknown, ambiguous or already delivered).\n`);
        return 1;
      }
      process.stdout.write(`Queued again: ${ids.map((id) => id.slice(0, 8)).join(', ')}\n`);
      return 0;
    }
    const counts = await outboxCounts(prisma);
    const { oldestSeconds } = wholeBacklog(await readOutboxStatus(context.store, new Date()));
    process.stdout.write(
      `Outbox: ${Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', ') || 'empty'}` +
        `${counts.pending ? `; the oldest undelivered row has waited ${formatAge(oldestSeconds)}` : ''}\n`,
    );
    const rows = await listOutbox(prisma, { status, limit });
    if (rows.length === 0) {
      process.stdout.write(status === 'failing' ? 'Nothing failing.\n' : 'No rows.\n');
      return 0;
    }
    // The ticket a row is about, named by its code (its dedupKey starts with the ticket's id).
    const ticketIdOf = (dedupKey: string) => /^ticket:([0-9a-f-]{36})/.exec(dedupKey)?.[1];
    const ticketIds = [...new Set(rows.map((r) => ticketIdOf(r.dedupKey)).filter((id): id is string => id !== undefined))];
    const codes = new Map(
      (await prisma.ticket.findMany({ where: { id: { in: ticketIds } }, select: { id: true, code: true } })).map((t) => [t.id, t.code]),
    );
    process.stdout.write(
      table([
        ['ID', 'STATUS', 'KIND', 'TICKET', 'TO', 'TRIES', 'NEXT', 'LAST ERROR'],
        ...rows.map((r) => {
          const destination = r.destination as { type?: string; officeCode?: string };
          return [
            r.id.slice(0, 8),
            r.status,
            r.kind,
            codes.get(ticketIdOf(r.dedupKey) ?? '') ?? '-',
            `${destination.type ?? '?'}${destination.officeCode ? ` ${destination.officeCode}` : ''}`,
            String(r.attempts),
            r.status === 'pending' ? r.nextAttemptAt.toISOString().slice(0, 16) : '-',
            (r.lastError ?? '').slice(0, 80),
          ];
        }),
      ]),
    );
    return 0;
  } finally {
    await context.close();
  }
}
