#!/usr/bin/env -S npx tsx
/**
 * The `netra` command: `netra chat`, `netra start`, `netra migrate`, and the operator commands that later
 * modules add. Each subcommand lives in its own module, loaded on demand.
 */
import { existsSync } from 'node:fs';
import { ConfigError } from '../config.ts';
import { KeyMismatchError } from '../security/keyCheck.ts';
import { StoreLockedError } from '../store/store.ts';
import { ownValue } from '../../flows/shared/ownValue.ts';

type Subcommand = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number | void> }> };

const subcommands: Record<string, Subcommand> = {
  chat: { summary: 'talk to Netra in this terminal (embedded database, no setup)', load: () => import('./chatCommand.ts') },
  start: { summary: 'run the configured channels (Telegram, WhatsApp) and workers', load: () => import('./startCommand.ts') },
  migrate: { summary: 'apply database migrations (also done at every start)', load: () => import('./migrateCommand.ts') },
  ban: { summary: 'suspend the chat behind a ticket code or pseudonym (--reason TEXT)', load: () => import('./banCommand.ts') },
  unban: { summary: 'lift a ban set with netra ban', load: () => import('./banCommand.ts').then((m) => ({ run: m.runUnban })) },
  retention: { summary: 'run retention now: purge personal data past RETENTION_DAYS (run [--dry-run])', load: () => import('./retentionCommand.ts') },
  stats: { summary: 'quiz and report statistics, small groups suppressed (quiz|reports --by ... [--area 19] [--format csv])', load: () => import('./statsCommand.ts') },
  certificate: { summary: 'check a quiz certificate: certificate verify <code>', load: () => import('./certificateCommand.ts') },
  invite: { summary: "one-time code that makes a Telegram user an officer (--office 19.05 [--role] [--expires 7d]); invite list | invite cancel <id>", load: () => import('./inviteCommand.ts') },
  officer: { summary: 'officers: officer list [--office CODE] [--all] | officer revoke <id>', load: () => import('./officerCommand.ts') },
  office: { summary: "an office's destinations: office show CODE | office set CODE --email ... --webhook ... | office unlink CODE --chat ID", load: () => import('./officeCommand.ts') },
  outbox: { summary: 'deliveries failing or dead-lettered; outbox retry <id>|--all-dead; outbox discard <id> --reason TEXT', load: () => import('./outboxCommand.ts') },
  audit: { summary: 'check the hash-chained audit log: audit verify [--expect SEQ:HASH]', load: () => import('./auditCommand.ts') },
  tickets: { summary: 'tickets export --office CODE [--since DATE] --format csv|json [--with-identity] | tickets purge CODE --reason TEXT', load: () => import('./ticketsCommand.ts') },
  secret: { summary: 'move all data to a new NETRA_SECRET, bot stopped: secret rotate --new-secret-file FILE|- | --generate FILE [--dry-run]', load: () => import('./secretCommand.ts') },
};

function usage(): string {
  const lines = Object.entries(subcommands).map(([name, s]) => `  netra ${name.padEnd(12)} ${s.summary}`);
  return `Usage: netra <command> [options]\n\nCommands:\n${lines.join('\n')}\n`;
}

/**
 * Reads the configuration file an operator made from `.env.example`: `NETRA_ENV_FILE`, or `.env` in the working
 * directory when there is one. Variables already set in the environment (a service manager's) win over the file.
 */
function loadEnvFile(): void {
  const named = process.env.NETRA_ENV_FILE;
  const file = named || '.env';
  if (!existsSync(file)) {
    if (named) throw new ConfigError([{ variable: 'NETRA_ENV_FILE', expected: `a readable file (${file} does not exist)` }]);
    return;
  }
  process.loadEnvFile(file);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  loadEnvFile();
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? 0 : 1;
  }
  const subcommand = ownValue(subcommands, name);
  if (!subcommand) {
    process.stderr.write(`Unknown command: ${name}\n\n${usage()}`);
    return 2;
  }
  const module = await subcommand.load();
  try {
    return (await module.run(rest)) ?? 0;
  } catch (error) {
    // An option or argument the command does not take (node:util parseArgs): say so, not with a stack trace.
    if (isArgumentError(error)) {
      process.stderr.write(`${error.message}\n\n  netra ${name.padEnd(12)} ${subcommand.summary}\n`);
      return 2;
    }
    throw error;
  }
}

/** Network and PostgreSQL error codes that mean the configured database cannot be used as it is. */
const DATABASE_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'nothing accepts connections there',
  ENOTFOUND: 'the host name is not known',
  EAI_AGAIN: 'the host name could not be looked up',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host cannot be reached',
  '28P01': 'the password was refused',
  '28000': 'the user is not allowed to connect',
  '3D000': 'the database does not exist (createdb)',
  '42501': 'the user lacks a permission it needs',
};

/** What is wrong with the database, when `error` (or an error it wraps) says so; else undefined. */
function databaseProblem(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 4) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && DATABASE_PROBLEMS[code]) return `${DATABASE_PROBLEMS[code]} (${code})`;
  const nested = [(error as { cause?: unknown }).cause, ...((error as { errors?: unknown[] }).errors ?? [])];
  for (const inner of nested) {
    const found = databaseProblem(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** DATABASE_URL without its password, to name in a message. */
function databaseName(url: string | undefined): string {
  if (!url) return 'the embedded database';
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || parsed.searchParams.get('host') || 'localhost'}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

function isArgumentError(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof StoreLockedError || error instanceof KeyMismatchError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    const problem = databaseProblem(error);
    if (problem) {
      process.stderr.write(`Cannot use the database at ${databaseName(process.env.DATABASE_URL)}: ${problem}. Check DATABASE_URL.\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
