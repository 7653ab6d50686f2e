/**
 * `netra tickets export --office 19.05 [--since 2026-01-01] [--until 2026-12-31] --format csv|json
 * [--with-identity] [--out FILE]`: the tickets of an office (and, for a provinsi or RI, of the offices below it)
 * for the office's own records. Reporters of tips appear only by pseudonym; a formal reporter's identity is
 * included only with `--with-identity`. Every export is written to the audit log.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { appendAudit } from '../audit/auditLog.ts';
import { loadDossier, placeLine, type TicketDossier } from '../forwarding/ticketDossier.ts';
import { officeName, OFFICE_CODE } from '../offices/officeDirectory.ts';
import { knownOffice, openOperatorContext } from '../offices/operatorContext.ts';
import { RI_CODE } from '../offices/officeSeed.ts';
import { parseTicketCode } from '../../flows/status/ticketCode.ts';
import { createLogger } from '../logger.ts';
import { purgeTicketByCode } from '../retention/purge.ts';
import { parsePeriod } from './period.ts';

const USAGE =
  'Usage: netra tickets export --office <code> [--since YYYY-MM-DD] [--until YYYY-MM-DD] --format csv|json [--with-identity] [--out FILE]\n' +
  '       netra tickets purge <NTR-code> --reason TEXT [--include-open]   (the reason is kept in the audit log for good: no personal data in it)\n';

/** One exported ticket. Identity columns are empty unless asked for (and always for tips). */
export interface ExportRow {
  code: string;
  kind: string;
  status: string;
  category: string;
  categoryLabel: string;
  officeCode: string;
  officeName: string;
  regencyCode: string;
  provinceCode: string;
  createdAt: string;
  eventDate: string;
  learnedDate: string;
  deadline: string;
  acknowledgedAt: string;
  closedAt: string;
  pseudonym: string;
  terlaporName: string;
  terlaporPosition: string;
  terlaporAgency: string;
  terlaporEmployment: string;
  place: string;
  placeDetail: string;
  description: string;
  evidenceSha256: string;
  links: string;
  reporterName: string;
  reporterAddress: string;
  reporterPhone: string;
  reporterEmail: string;
}

const iso = (date: Date | null) => date?.toISOString() ?? '';

/** A ticket as exported. */
export function exportRow(
  dossier: TicketDossier,
  ticket: { regencyCode: string | null; provinceCode: string | null },
  withIdentity: boolean,
): ExportRow {
  const identity = withIdentity && dossier.kind === 'formal' && dossier.reporter.kind === 'identity' ? dossier.reporter : null;
  return {
    code: dossier.code,
    kind: dossier.kind,
    status: dossier.status,
    category: dossier.categoryId,
    categoryLabel: dossier.category?.label.id ?? '',
    officeCode: dossier.officeCode,
    officeName: dossier.officeName,
    regencyCode: ticket.regencyCode ?? '',
    provinceCode: ticket.provinceCode ?? '',
    createdAt: iso(dossier.createdAt),
    eventDate: iso(dossier.event.date),
    learnedDate: iso(dossier.event.learnedDate),
    deadline: iso(dossier.event.deadline),
    acknowledgedAt: iso(dossier.acknowledgedAt),
    closedAt: iso(dossier.closedAt),
    pseudonym: dossier.reporter.pseudonym,
    terlaporName: dossier.terlapor.name,
    terlaporPosition: dossier.terlapor.position,
    terlaporAgency: dossier.terlapor.agency,
    terlaporEmployment: dossier.terlapor.employment,
    place: placeLine(dossier),
    placeDetail: dossier.place.detail,
    description: dossier.description,
    evidenceSha256: dossier.evidence.flatMap((e) => (e.originalSha256 ? [e.originalSha256] : [])).join(' '),
    links: [...dossier.evidence.flatMap((e) => (e.url ? [e.url] : [])), ...dossier.links].join(' '),
    reporterName: identity?.name ?? '',
    reporterAddress: identity?.address ?? '',
    reporterPhone: identity?.phone ?? '',
    reporterEmail: identity?.email ?? '',
  };
}

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        office: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        format: { type: 'string', default: 'csv' },
        'with-identity': { type: 'boolean', default: false },
        out: { type: 'string' },
        reason: { type: 'string' },
        'include-open': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals[0] === 'purge') return purge(positionals.slice(1), values.reason, values['include-open'] ?? false);
  const office = values.office?.toUpperCase();
  const format = values.format;
  if (
    positionals[0] !== 'export' ||
    !office ||
    !OFFICE_CODE.test(office) ||
    (format !== 'csv' && format !== 'json')
  ) {
    process.stderr.write(USAGE);
    return 2;
  }
  // Dates are Indonesian calendar days (WIB).
  const period = parsePeriod(values.since, values.until);
  if (typeof period === 'string') {
    process.stderr.write(`${period}\n${USAGE}`);
    return 2;
  }
  const { since, until } = period;
  const withIdentity = values['with-identity'] ?? false;
  const context = await openOperatorContext();
  try {
    const { prisma } = context.store;
    if (!(await knownOffice(prisma, office))) return 1;
    const tickets = await prisma.ticket.findMany({
      where: {
        ...(office === RI_CODE ? {} : { OR: [{ officeCode: office }, { officeCode: { startsWith: `${office}.` } }] }),
        ...(since || until ? { createdAt: { ...(since ? { gte: since } : {}), ...(until ? { lt: until } : {}) } } : {}),
      },
      orderBy: { createdAt: 'asc' },
      select: { id: true, regencyCode: true, provinceCode: true },
    });
    const rows: ExportRow[] = [];
    for (const ticket of tickets) {
      const dossier = await loadDossier(prisma, context.secrets, path.resolve(context.config.NETRA_DATA_DIR), ticket.id);
      rows.push(exportRow(dossier, ticket, withIdentity));
    }
    const now = new Date();
    await prisma.$transaction((tx) =>
      appendAudit(tx, {
        actor: 'cli',
        action: 'tickets.export',
        data: {
          officeCode: office,
          since: values.since ?? null,
          until: values.until ?? null,
          format,
          count: rows.length,
          withIdentity,
          identities: rows.filter((r) => r.reporterName).length,
        },
        at: now,
      }),
    );
    const output =
      format === 'json'
        ? `${JSON.stringify({ office: { code: office, name: officeName(office) }, exportedAt: now.toISOString(), tickets: rows }, null, 2)}\n`
        : stringify(rows, { header: true, columns: COLUMNS });
    if (values.out) {
      writeFileSync(values.out, output, { mode: 0o600 });
      process.stderr.write(`Exported ${rows.length} tickets of ${officeName(office)} to ${values.out}${withIdentity ? ' (with identities; audit-logged)' : ''}.\n`);
    } else {
      process.stdout.write(output);
    }
    return 0;
  } finally {
    await context.close();
  }
}

/** The column order of the CSV (also its header). */
const COLUMNS: Array<keyof ExportRow> = [
  'code', 'kind', 'status', 'category', 'categoryLabel', 'officeCode', 'officeName', 'regencyCode', 'provinceCode',
  'createdAt', 'eventDate', 'learnedDate', 'deadline', 'acknowledgedAt', 'closedAt', 'pseudonym', 'terlaporName',
  'terlaporPosition', 'terlaporAgency', 'terlaporEmployment', 'place', 'placeDetail', 'description', 'evidenceSha256',
  'links', 'reporterName', 'reporterAddress', 'reporterPhone', 'reporterEmail',
];

/** `netra tickets purge CODE --reason TEXT`: erases one ticket's personal data and evidence now, audit-logged. */
async function purge(positionals: string[], reason: string | undefined, includeOpen: boolean): Promise<number> {
  const code = positionals.length === 1 ? parseTicketCode(positionals[0]!) : null;
  if (!code || !reason || reason.trim().length < 3) {
    process.stderr.write(`${code ? 'Say why with --reason (kept in the audit log).\n' : ''}${USAGE}`);
    return 2;
  }
  const context = await openOperatorContext();
  try {
    const app = {
      store: context.store,
      config: context.config,
      dataDir: path.resolve(context.config.NETRA_DATA_DIR),
      logger: createLogger(process.env.LOG_LEVEL ?? 'warn'),
    };
    const now = new Date();
    const result = await purgeTicketByCode(app, code, now, {
      includeOpen,
      onPurged: async (tx, ticketId, wasOpen) => {
        await appendAudit(tx, { actor: 'cli', action: 'ticket.purge', ticketId, data: { code, reason: reason.trim().slice(0, 500), wasOpen }, at: now });
      },
    });
    switch (result.status) {
      case 'notFound':
        process.stderr.write(`No ticket ${code}.\n`);
        return 1;
      case 'alreadyPurged':
        process.stdout.write(`${code} was purged already; nothing left to erase.\n`);
        return 0;
      case 'open':
        process.stderr.write(
          `${code} is still open (${result.ticketStatus}) at ${officeName(result.officeCode)}. Ask the office to close it, ` +
            'or add --include-open to erase it anyway: the office keeps a report without its details.\n',
        );
        return 1;
      case 'filesMissing':
        process.stderr.write(
          `None of ${code}'s evidence files is under ${result.dataDir}: run this with the bot's NETRA_DATA_DIR, so the files ` +
            'are erased with the rest. Nothing was changed.\n',
        );
        return 1;
      case 'purged':
        process.stdout.write(
          `Erased ${code}: the reporter's identity, witnesses, free texts, ${result.counts.evidenceRows} evidence record(s) and ` +
            `${result.counts.files} file(s), and ${result.outboxPayloads} delivered message payload(s). ` +
            'Category, kind, status and region stay for statistics. Audit-logged.\n',
        );
        return 0;
    }
  } finally {
    await context.close();
  }
}
