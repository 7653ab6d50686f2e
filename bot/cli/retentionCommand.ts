/**
 * `netra retention run [--dry-run]`: removes personal data past RETENTION_DAYS now (the bot also does it every
 * hour) and prints what it removed; with `--dry-run`, what it would remove.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { runRetention, type RetentionSummary } from '../retention/purge.ts';
import { openConfiguredStore } from '../store/store.ts';

const USAGE = 'Usage: netra retention run [--dry-run]\n';

/** Runs the subcommand; returns the exit code. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'dry-run': { type: 'boolean' } } });
  if (positionals.length !== 1 || positionals[0] !== 'run') {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadConfig();
  const store = await openConfiguredStore(config);
  try {
    const app = { store, config, dataDir: path.resolve(config.NETRA_DATA_DIR), logger: createLogger(process.env.LOG_LEVEL ?? 'warn') };
    const summary = await runRetention(app, new Date(), { dryRun: values['dry-run'] === true });
    process.stdout.write(describeSummary(summary, config.RETENTION_DAYS));
  } finally {
    await store.close();
  }
  return 0;
}

/** The summary as an operator reads it. */
export function describeSummary(summary: RetentionSummary, days: number): string {
  const verb = summary.dryRun ? 'Would purge' : 'Purged';
  return [
    `Retention: ${days} days (data from before ${summary.cutoff.toISOString()})${summary.dryRun ? ' - dry run, nothing changed' : ''}`,
    `${verb} ${summary.tickets} closed ticket(s): ${summary.evidenceRows} evidence record(s), ${summary.files} file(s), ${summary.eventTexts} event text(s)`,
    `${verb} ${summary.outboxPayloads} delivered outbox payload(s) and ${summary.certificateNames} certificate name(s)`,
    '',
  ].join('\n');
}
