/**
 * `netra secret rotate`: moves the deployment to a new master secret (for a `.env` or `secret.key` that may have
 * leaked), with the bot stopped. The new secret comes from a file, from a pipe on standard input (`--new-secret-file
 * -`, only with `secret.key`, where it is then kept; never a terminal, which would show it), or is generated into a
 * new file (`--generate FILE`, mode 0600); never from the command line, where `ps` shows it. How the data moves is
 * explained in bot/security/keyRotation.ts. With NETRA_SECRET set, the operator then puts the new secret there, and
 * a run cut short after the commit is finished by running it again with the same new secret; without it, the new
 * secret replaces `secret.key` once the data is moved, and a run interrupted in between is finished by running the
 * command again. Run it as the bot's OS user (as root, the files it writes in the data directory are given to the
 * directory's owner).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config.ts';
import { checkKey, FINGERPRINT_SETTING, keyFingerprint } from '../security/keyCheck.ts';
import {
  compactRewrittenTables,
  discardPendingSecret,
  flushEmbeddedDatabase,
  installPendingSecret,
  PENDING_SECRET_FILE,
  pendingRotation,
  rotateSecret,
  SameSecretError,
  stagePendingSecret,
  type RotationSummary,
} from '../security/keyRotation.ts';
import { loadMasterSecret, parseMasterSecret, SECRET_FILE, Secrets, writeSecretFile } from '../security/secrets.ts';
import { openConfiguredStore, type Sql, type Store } from '../store/store.ts';

const USAGE =
  'Usage: netra secret rotate --new-secret-file FILE|- [--dry-run] [--allow-other-sessions]\n' +
  '       netra secret rotate --generate FILE [--dry-run] [--allow-other-sessions]\n' +
  'Run it with every Netra process stopped. FILE holds the new secret (32 random bytes in base64, as from\n' +
  '`openssl rand -base64 32`); "-" reads it from a pipe (not with NETRA_SECRET set, where it would be kept\n' +
  'nowhere); --generate writes a new one to FILE. Run it as the OS user the bot runs as.\n';

/** How this command's connections name themselves, so the check for other sessions can leave them out. */
const APPLICATION_NAME = 'netra secret rotate';

/** Runs the subcommand; returns the exit code. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'new-secret-file': { type: 'string' },
      generate: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'allow-other-sessions': { type: 'boolean' },
    },
  });
  const dryRun = values['dry-run'] === true;
  const sourceFile = values['new-secret-file'];
  const generateFile = values.generate === undefined ? undefined : path.resolve(values.generate);
  if (positionals.length !== 1 || positionals[0] !== 'rotate' || (sourceFile !== undefined && generateFile !== undefined)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadConfig();
  const dataDir = path.resolve(config.NETRA_DATA_DIR);
  const secretFile = config.NETRA_SECRET ? undefined : path.join(dataDir, SECRET_FILE);
  const pending = secretFile !== undefined && existsSync(path.join(dataDir, PENDING_SECRET_FILE));
  if (sourceFile === undefined && generateFile === undefined && !pending) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (secretFile !== undefined && !existsSync(secretFile)) {
    process.stderr.write(`NETRA_SECRET is not set and ${secretFile} does not exist: there is no secret to rotate.\n`);
    return 2;
  }
  if (sourceFile === '-' && secretFile === undefined) {
    process.stderr.write(
      'With NETRA_SECRET set, a new secret read from standard input would be kept nowhere once the data is encrypted ' +
        'under it. Write it to a file readable only by you and pass --new-secret-file FILE, or use --generate FILE.\n',
    );
    return 2;
  }
  if (generateFile !== undefined && existsSync(generateFile)) {
    process.stderr.write(`${generateFile} exists already: name a new file for the new secret.\n`);
    return 2;
  }
  let next: Buffer | undefined;
  if (sourceFile !== undefined) {
    try {
      next = parseMasterSecret(sourceFile === '-' ? await readStandardInput() : readFileSync(sourceFile, 'utf8'));
    } catch (error) {
      process.stderr.write(`Cannot use the new secret from ${sourceFile === '-' ? 'standard input' : sourceFile}: ${(error as Error).message}.\n`);
      return 2;
    }
  } else if (generateFile !== undefined) {
    next = randomBytes(32);
  }
  // (secret.key exists when NETRA_SECRET is unset: checked above, so nothing is generated here.)
  const current = loadMasterSecret(config.NETRA_SECRET, dataDir, () => undefined);

  const store = await openConfiguredStore(namedConnections(config));
  let open = true;
  const close = async () => {
    if (open) {
      open = false;
      await store.close();
    }
  };
  // After the commit: compacts, then (with secret.key) makes the data durable before the new secret replaces the
  // old one, so the secret on disk never runs ahead of the data on disk.
  const finish = async (): Promise<boolean> => {
    const compacted = await compactRewrittenTables(store);
    await close();
    if (store.kind === 'pglite') flushEmbeddedDatabase(dataDir);
    if (secretFile !== undefined) installPendingSecret(dataDir);
    return compacted;
  };
  try {
    if (secretFile !== undefined && pending) {
      const state = await pendingRotation(store, dataDir);
      if (dryRun && state.state === 'committed') {
        process.stdout.write('Dry run: a rotation was interrupted after its data was moved. Run the command without --dry-run to finish it.\n');
        return 0;
      }
      if (dryRun) {
        process.stdout.write(`Dry run: ${PENDING_SECRET_FILE}, left by a rotation that never completed, would be removed.\n`);
      } else if (state.state === 'committed') {
        const compacted = await finish();
        process.stdout.write(
          `Finished the rotation that was interrupted after its data was moved: ${secretFile} now holds the new secret.\n` +
            (next ? 'Nothing else was done: run the command again to rotate to another secret.\n' : '') +
            (compacted ? '' : compactionAdvice(config)),
        );
        return 0;
      } else {
        discardPendingSecret(dataDir);
        process.stdout.write(`Removed ${PENDING_SECRET_FILE}, left by a rotation that never completed (the data was not moved).\n`);
      }
      if (!next) return 0;
    }
    if (!next) {
      process.stderr.write(USAGE);
      return 2;
    }
    if (store.kind === 'postgres' && values['allow-other-sessions'] !== true) {
      const others = await otherSessions(store);
      if (others > 0) {
        process.stderr.write(otherSessionsMessage(others));
        return 2;
      }
    }
    const from = new Secrets(current);
    const to = new Secrets(next);
    if (from.keyId === to.keyId) {
      process.stderr.write(`${new SameSecretError().message}\n`);
      return 2;
    }
    if (secretFile === undefined && (await storedFingerprint(store)) === keyFingerprint(to)) {
      // The same command again after a rotation to this secret was cut short between its commit and the end.
      if (dryRun) {
        process.stdout.write('Dry run: the data is under the new secret already. Run the command without --dry-run to finish.\n');
        return 0;
      }
      const compacted = await finish();
      process.stdout.write(`The data was under the new secret already (a rotation to it was interrupted): finished it.\n${nextSteps(config, secretFile, generateFile, compacted)}`);
      return 0;
    }
    // Refuses a wrong current secret (KeyMismatchError) before a new secret is written anywhere.
    await checkKey(store.prisma, from, { dataDir: secretFile === undefined ? undefined : dataDir });
    if (!dryRun) {
      // Written, durably, before any data is encrypted with it.
      if (generateFile !== undefined) writeSecretFile(generateFile, next, true);
      if (secretFile !== undefined) stagePendingSecret(dataDir, next);
    }
    // Checked again under the rotation's locks: a process that connected since is seen, one that starts later waits.
    const whileLocked = store.kind === 'postgres' && values['allow-other-sessions'] !== true ? refuseOtherSessions : undefined;
    let summary: RotationSummary;
    try {
      summary = await rotateSecret(store, from, to, { dryRun, ...(whileLocked ? { whileLocked } : {}) });
    } catch (error) {
      await forgetUnusedSecret(store, from, dataDir, secretFile !== undefined && !dryRun, dryRun ? undefined : generateFile);
      if (!(error instanceof OtherSessionsError)) throw error;
      process.stderr.write(otherSessionsMessage(error.count));
      return 2;
    }
    if (dryRun) {
      process.stdout.write(
        `Dry run: nothing was changed${generateFile ? ` and no secret was written to ${generateFile}` : ''}. The rotation would move:\n` +
          describeSummary(summary),
      );
      return 0;
    }
    const compacted = await finish();
    process.stdout.write(`Moved the data to the new secret:\n${describeSummary(summary)}\n${nextSteps(config, secretFile, generateFile, compacted)}`);
    return 0;
  } finally {
    await close();
  }
}

/** The configured store, its PostgreSQL connections named as this command's. */
function namedConnections(config: Config): Config {
  if (!config.DATABASE_URL) return config;
  const url = new URL(config.DATABASE_URL);
  url.searchParams.set('application_name', APPLICATION_NAME);
  return { ...config, DATABASE_URL: url.toString() };
}

/**
 * Sessions on this database other than this command's own (a running bot's among them). A role that is not a
 * superuser (nor pg_read_all_stats) sees another role's sessions with `backend_type` NULL, and a bot often runs as
 * another role than the operator: those count too. Sessions behind a pooler (PgBouncer) are the pooler's, idle or
 * not there at all: this check cannot see the processes behind it.
 */
async function otherSessions(db: Pick<Sql, 'query'>): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS "n" FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND (backend_type IS NULL OR backend_type = 'client backend')
        AND application_name IS DISTINCT FROM $1`,
    [APPLICATION_NAME],
  );
  return row?.n ?? 0;
}

class OtherSessionsError extends Error {
  constructor(readonly count: number) {
    super(`${count} other session(s) are connected to this database`);
  }
}

async function refuseOtherSessions(sql: Sql): Promise<void> {
  const count = await otherSessions(sql);
  if (count > 0) throw new OtherSessionsError(count);
}

function otherSessionsMessage(count: number): string {
  return (
    `${count} other session(s) are connected to this database. Stop every Netra process (netra start, and netra ` +
    'commands) first: one still running would go on writing with the old secret. If they are not Netra (a psql ' +
    'session, monitoring), run again with --allow-other-sessions. Nothing was changed. (Behind a pooler such as ' +
    'PgBouncer this check cannot see the processes: make sure yourself that none runs.)\n'
  );
}

async function storedFingerprint(store: Store): Promise<string | undefined> {
  return (await store.prisma.setting.findUnique({ where: { key: FINGERPRINT_SETTING } }))?.value;
}

/**
 * After a failed rotation, removes the new secret written for it, but only when the database still has the old
 * key's fingerprint: a failure while committing may have committed, and then the new secret is the only key left.
 */
async function forgetUnusedSecret(store: Store, from: Secrets, dataDir: string, staged: boolean, generated: string | undefined): Promise<void> {
  if (!staged && generated === undefined) return;
  let unchanged = false;
  try {
    const row = await store.prisma.setting.findUnique({ where: { key: FINGERPRINT_SETTING } });
    unchanged = row?.value === keyFingerprint(from);
  } catch {
    // Cannot tell: keep both files, the next run decides from the database.
  }
  if (!unchanged) return;
  if (staged) discardPendingSecret(dataDir);
  if (generated !== undefined) rmSync(generated, { force: true });
}

/** The first line of standard input, which must be a pipe or a file: a terminal would show the secret as typed. */
async function readStandardInput(): Promise<string> {
  if (process.stdin.isTTY) throw new Error('standard input is a terminal, which would show the secret as it is typed: pipe it in, or use a file');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0] ?? '';
}

/** What moved, as an operator reads it (counts only: no personal data). */
export function describeSummary(summary: RotationSummary): string {
  const lines = [
    ['chats', summary.chats, `addresses encrypted again, lookup keys made again; ${summary.chatStates} conversation(s) with sealed personal data`],
    ['references to chats', summary.chatReferences, 'tickets, draft evidence, quiz attempts, queued messages'],
    ['reporter data', summary.reporterData, 'identities and witness lists of formal reports'],
    ['receipts', summary.receipts, 'still valid: checked with the old receipt key, kept encrypted under the new secret'],
    ['pseudonyms', summary.pseudonyms, 'officers see a new pseudonym for these reports'],
    ['officers', summary.officers, `addresses and user keys; ${summary.invites} claimed invite(s)`],
    ['webhook secrets', summary.webhookSecrets, "the offices' signing secrets themselves do not change"],
    ['certificate names', summary.certificateNames, ''],
    ['queued deliveries', summary.outboxRows, 'with sealed data'],
  ] as const;
  const out = lines.map(([label, count, note]) => `  ${label.padEnd(20)} ${String(count).padStart(7)}${note ? `  (${note})` : ''}`);
  if (summary.unreadable > 0) {
    out.push(`  ${'unreadable'.padEnd(20)} ${String(summary.unreadable).padStart(7)}  (not readable with the current secret either; left as they were)`);
  }
  return `${out.join('\n')}\n`;
}

function nextSteps(config: Config, secretFile: string | undefined, generateFile: string | undefined, compacted: boolean): string {
  const steps: string[] = [];
  if (secretFile === undefined) {
    steps.push(
      `Now set NETRA_SECRET to the new secret${generateFile ? ` (it is in ${generateFile})` : ''} in .env and wherever Netra runs, ` +
        'for every process and every netra command, then start Netra. The old secret is refused from now on.',
    );
  } else {
    steps.push(`${secretFile} now holds the new secret: back it up. The old secret is refused from now on.`);
  }
  if (generateFile) steps.push(`${generateFile} holds the new secret (readable only by you): keep it somewhere safe, or delete it once copied.`);
  steps.push(
    'The old secret still opens what was copied before now (backups, replicas, WAL segments and archives of ' +
      'PostgreSQL): replace the backups with a new one and delete the old archives. The audit log and the logs keep ' +
      '12-character prefixes of old chat and officer keys, which the old secret can match to a phone number. If the ' +
      'database itself leaked, renew the offices\' webhook signing secrets too.',
  );
  if (!compacted) steps.push(compactionAdvice(config).trimEnd());
  return `${steps.join('\n')}\n`;
}

function compactionAdvice(config: Config): string {
  return (
    'The rewritten tables could not be compacted (VACUUM FULL needs their owner): the old row versions stay in the ' +
    `database files until ${config.DATABASE_URL ? 'PostgreSQL' : 'the database'} reuses their space. Run VACUUM FULL as the owner.\n`
  );
}
