/**
 * `netra stats quiz --by regency|agency|employment|topic` and `netra stats reports --by
 * regency|category|status|month|kind|employment`, as a table or `--format csv`, optionally for `--since`/`--until`
 * (Jakarta dates, both inclusive). Small groups are suppressed (see bot/education/stats/statsTable.ts).
 */
import { parseArgs } from 'node:util';
import { loadQuizRows, quizGroupings, quizStatsTable } from '../education/stats/quizStats.ts';
import { loadReportRows, reportGroupings, reportStatsTable } from '../education/stats/reportStats.ts';
import { renderCsv, renderTable } from '../education/stats/statsTable.ts';
import { loadConfig } from '../config.ts';
import { openConfiguredStore, type PrismaClient } from '../store/store.ts';
import { parsePeriod, type Period } from './period.ts';

const usage =
  'Usage: netra stats quiz --by regency|agency|employment|topic [--area 19|19.05] [--format table|csv] [--since YYYY-MM-DD] [--until YYYY-MM-DD]\n' +
  '       netra stats reports --by regency|category|status|month|kind|employment [--area 19|19.05] [--format table|csv] [--since YYYY-MM-DD] [--until YYYY-MM-DD]\n';

/** Where the command writes. */
export interface StatsIo {
  out(text: string): void;
  err(text: string): void;
}

/** What `netra stats` was asked for. */
interface StatsRequest {
  subject: 'quiz' | 'reports';
  by: string;
  format: 'table' | 'csv';
  period: Period;
  /** A province or regency code: only its reports, or the quiz attempts of its participants. */
  area?: string;
}

/** Reads the command's arguments: the request, or what to tell the operator (exit code 2). */
function parseStatsArgs(args: string[]): StatsRequest | string {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        by: { type: 'string' },
        format: { type: 'string', default: 'table' },
        since: { type: 'string' },
        until: { type: 'string' },
        area: { type: 'string' },
      },
    });
  } catch (error) {
    return `${(error as Error).message}\n${usage}`;
  }
  const [subject, ...extra] = parsed.positionals;
  const { by, format, since, until, area } = parsed.values;
  if (area !== undefined && !/^\d{2}(\.\d{2})?$/.test(area)) return `--area takes a province or regency code, such as 19 or 19.05\n${usage}`;
  const groupings: readonly string[] = subject === 'quiz' ? quizGroupings : subject === 'reports' ? reportGroupings : [];
  if (extra.length > 0 || groupings.length === 0 || !by || !groupings.includes(by) || (format !== 'table' && format !== 'csv')) {
    return usage;
  }
  const period = parsePeriod(since, until);
  if (typeof period === 'string') return `${period}\n`;
  return { subject: subject as StatsRequest['subject'], by, format, period, ...(area ? { area } : {}) };
}

async function printStats(request: StatsRequest, prisma: PrismaClient, io: StatsIo): Promise<void> {
  const { subject, by, format, period, area } = request;
  const table =
    subject === 'quiz'
      ? quizStatsTable(await loadQuizRows(prisma, period, area), by as (typeof quizGroupings)[number])
      : reportStatsTable(await loadReportRows(prisma, period, area), by as (typeof reportGroupings)[number]);
  io.out(format === 'csv' ? renderCsv(table) : renderTable(table));
}

/** Runs the command against an open database; returns the exit code. */
export async function runStats(args: string[], prisma: PrismaClient, io: StatsIo): Promise<number> {
  const request = parseStatsArgs(args);
  if (typeof request === 'string') {
    io.err(request);
    return 2;
  }
  await printStats(request, prisma, io);
  return 0;
}

/** `netra stats ...` on the configured store (opened only for a well-formed request). */
export async function run(args: string[]): Promise<number> {
  const request = parseStatsArgs(args);
  if (typeof request === 'string') {
    process.stderr.write(request);
    return 2;
  }
  const config = loadConfig();
  const store = await openConfiguredStore(config);
  try {
    await printStats(request, store.prisma, { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) });
  } finally {
    await store.close();
  }
  return 0;
}
