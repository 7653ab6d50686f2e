/**
 * `netra stats quiz --by regency|agency|employment|topic` and `netra stats reports --by
 * regency|category|status|month`, as a table or `--format csv`, optionally for `--since`/`--until` (Jakarta
 * dates, both inclusive). Small groups are suppressed (see bot/education/stats/statsTable.ts).
 */
import { parseArgs } from 'node:util';
import { loadQuizRows, quizGroupings, quizStatsTable } from '../education/stats/quizStats.ts';
import { loadReportRows, reportGroupings, reportStatsTable } from '../education/stats/reportStats.ts';
import { renderCsv, renderTable } from '../education/stats/statsTable.ts';
import { loadConfig } from '../config.ts';
import { openConfiguredStore, type PrismaClient } from '../store/store.ts';
import { parsePeriod } from './period.ts';

const usage =
  'Usage: netra stats quiz --by regency|agency|employment|topic [--format table|csv] [--since YYYY-MM-DD] [--until YYYY-MM-DD]\n' +
  '       netra stats reports --by regency|category|status|month [--format table|csv] [--since YYYY-MM-DD] [--until YYYY-MM-DD]\n';

/** Where the command writes. */
export interface StatsIo {
  out(text: string): void;
  err(text: string): void;
}

/** Runs the command against an open database; returns the exit code. */
export async function runStats(args: string[], prisma: PrismaClient, io: StatsIo): Promise<number> {
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
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const [subject, ...extra] = parsed.positionals;
  const { by, format, since, until } = parsed.values;
  const groupings: readonly string[] = subject === 'quiz' ? quizGroupings : subject === 'reports' ? reportGroupings : [];
  if (extra.length > 0 || groupings.length === 0 || !by || !groupings.includes(by) || (format !== 'table' && format !== 'csv')) {
    io.err(usage);
    return 2;
  }
  const range = parsePeriod(since, until);
  if (typeof range === 'string') {
    io.err(`${range}\n`);
    return 2;
  }
  const table =
    subject === 'quiz'
      ? quizStatsTable(await loadQuizRows(prisma, range), by as (typeof quizGroupings)[number])
      : reportStatsTable(await loadReportRows(prisma, range), by as (typeof reportGroupings)[number]);
  io.out(format === 'csv' ? renderCsv(table) : renderTable(table));
  return 0;
}

/** `netra stats ...` on the configured store. */
export async function run(args: string[]): Promise<number> {
  const config = loadConfig();
  const store = await openConfiguredStore(config);
  try {
    return await runStats(args, store.prisma, {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    });
  } finally {
    await store.close();
  }
}
