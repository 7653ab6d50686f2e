#!/usr/bin/env -S npx tsx
/**
 * The `netra` command: `netra chat`, `netra start`, `netra migrate`, and the operator commands that later
 * modules add. Each subcommand lives in its own module, loaded on demand.
 */
import { ConfigError } from '../config.ts';
import { StoreLockedError } from '../store/store.ts';

type Subcommand = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number | void> }> };

const subcommands: Record<string, Subcommand> = {
  chat: { summary: 'talk to Netra in this terminal (embedded database, no setup)', load: () => import('./chatCommand.ts') },
  start: { summary: 'run the configured channels (Telegram, WhatsApp) and workers', load: () => import('./startCommand.ts') },
  migrate: { summary: 'apply database migrations (also done at every start)', load: () => import('./migrateCommand.ts') },
  ban: { summary: 'suspend the chat behind a ticket code or pseudonym (--reason TEXT)', load: () => import('./banCommand.ts') },
  unban: { summary: 'lift a ban set with netra ban', load: () => import('./banCommand.ts').then((m) => ({ run: m.runUnban })) },
  retention: { summary: 'run retention now: purge personal data past RETENTION_DAYS (run [--dry-run])', load: () => import('./retentionCommand.ts') },
  stats: { summary: 'quiz and report statistics, small groups suppressed (quiz|reports --by ... [--format csv])', load: () => import('./statsCommand.ts') },
  certificate: { summary: 'check a quiz certificate: certificate verify <code>', load: () => import('./certificateCommand.ts') },
};

function usage(): string {
  const lines = Object.entries(subcommands).map(([name, s]) => `  netra ${name.padEnd(12)} ${s.summary}`);
  return `Usage: netra <command> [options]\n\nCommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? 0 : 1;
  }
  const subcommand = subcommands[name];
  if (!subcommand) {
    process.stderr.write(`Unknown command: ${name}\n\n${usage()}`);
    return 2;
  }
  const module = await subcommand.load();
  return (await module.run(rest)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof StoreLockedError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
