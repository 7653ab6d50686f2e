/**
 * Report statistics: how many tickets per regency, category, status, month, kind, or employment status of the
 * reported person, with small groups suppressed. Read from the Ticket table only: of a ticket's details, only the
 * employment status is read (no personal data is loaded; the retention purge keeps that field for this).
 */
import { getProvince, getRegency } from '../../../content/regions/regions.ts';
import { getViolation } from '../../../content/violations.ts';
import { jakartaDate } from '../../../flows/report/parseDate.ts';
import type { PrismaClient } from '../../store/store.ts';
import type { StatsPeriod } from './quizStats.ts';
import { bySize, percent, shownCount, shownDerived, suppressionNote, type StatsTable } from './statsTable.ts';

export const reportGroupings = ['regency', 'category', 'status', 'month', 'kind', 'employment'] as const;
/** What `netra stats reports --by` accepts. */
export type ReportGrouping = (typeof reportGroupings)[number];

/** The fields of a ticket the statistics read. */
export interface ReportStatsRow {
  category: string;
  officeCode: string;
  regencyCode: string | null;
  status: string;
  createdAt: Date;
  kind: string;
  /** The reported person's employment status as the report flow stored it, if any. */
  employment: string | null;
}

/** Loads the tickets created in a period. */
export async function loadReportRows(prisma: PrismaClient, period: StatsPeriod = {}, area?: string): Promise<ReportStatsRow[]> {
  // `area`: a province (`19`) or a regency (`19.05`) where the incidents happened.
  return prisma.$queryRawUnsafe<ReportStatsRow[]>(
    `SELECT "category", "officeCode", "regencyCode", "status", "createdAt", "kind",
            "details"->'terlapor'->>'employment' AS "employment"
       FROM "Ticket"
      WHERE ($1::timestamp(3) IS NULL OR "createdAt" >= $1::timestamp(3))
        AND ($2::timestamp(3) IS NULL OR "createdAt" < $2::timestamp(3))
        AND ($3::text IS NULL OR "provinceCode" = $3::text OR "regencyCode" = $3::text)`,
    period.since ?? null,
    period.until ?? null,
    area ?? null,
  );
}

/** The report flow's employment values, named as the tables name them. */
const employmentNames: Record<string, string> = {
  pns: 'PNS',
  pppk: 'PPPK',
  village: 'Village head / village official',
  tniPolri: 'TNI / Polri',
  nonAsn: 'Honorer / non-ASN',
  unknown: 'Not known to the reporter',
};

const kindNames: Record<string, string> = { tip: 'Initial information (tip)', formal: 'Formal report' };

function groupOf(row: ReportStatsRow, by: ReportGrouping): { key: string; label: string } {
  switch (by) {
    case 'regency': {
      // A ticket without a regency was routed by province or to RI: its office code says where.
      const code = row.regencyCode ?? row.officeCode;
      const regency = getRegency(code);
      const province = regency ? undefined : getProvince(code);
      const label = regency
        ? `${regency.name} (${code})`
        : province
          ? `${province.name}, regency unknown (${code})`
          : `(regency unknown, office ${code})`;
      return { key: code, label };
    }
    case 'category': {
      const violation = getViolation(row.category);
      return { key: row.category, label: violation ? `${violation.label.en} (${row.category})` : row.category };
    }
    case 'status':
      return { key: row.status, label: row.status };
    case 'month': {
      const month = jakartaDate(row.createdAt.toISOString()).slice(0, 7);
      return { key: month, label: month };
    }
    case 'kind':
      return { key: row.kind, label: kindNames[row.kind] ?? row.kind };
    case 'employment': {
      const key = row.employment ?? '';
      return { key, label: key === '' ? '(not given)' : (employmentNames[key] ?? key) };
    }
  }
}

/** The reports table for one grouping: months in order, the rest largest first. */
export function reportStatsTable(rows: readonly ReportStatsRow[], by: ReportGrouping): StatsTable {
  const groups = new Map<string, { label: string; count: number }>();
  for (const row of rows) {
    const { key, label } = groupOf(row, by);
    const group = groups.get(key) ?? { label, count: 0 };
    group.count += 1;
    groups.set(key, group);
  }
  const list = [...groups.entries()].sort(([ka, a], [kb, b]) =>
    by === 'month' ? ka.localeCompare(kb) : bySize(a.count, b.count) || a.label.localeCompare(b.label),
  );
  return {
    title: `Reports by ${by}`,
    columns: [
      { key: 'group', header: by },
      { key: 'reports', header: 'reports', numeric: true },
      { key: 'share', header: 'share', numeric: true },
    ],
    rows: list.map(([, g]) => ({
      group: g.label,
      reports: shownCount(g.count),
      share: shownDerived(g.count, percent(g.count, rows.length)),
    })),
    notes: [suppressionNote],
  };
}
