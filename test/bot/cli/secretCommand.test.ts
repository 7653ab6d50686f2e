/**
 * `netra secret rotate` as an operator runs it: on the embedded database with `secret.key` (no NETRA_SECRET), and
 * on PostgreSQL with NETRA_SECRET. The data moves to the new secret, the old one is refused, a dry run changes
 * nothing, and a rotation interrupted around `secret.key` is finished (or its leftover removed) by running it again.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../../bot/app.ts';
import { run as secret } from '../../../bot/cli/secretCommand.ts';
import { loadConfig } from '../../../bot/config.ts';
import { KeyMismatchError, PreviousSecretError } from '../../../bot/security/keyCheck.ts';
import { PENDING_SECRET_FILE, rotateSecret, stagePendingSecret } from '../../../bot/security/keyRotation.ts';
import { Secrets } from '../../../bot/security/secrets.ts';
import { openConfiguredStore } from '../../../bot/store/store.ts';
import { hashReceipt, verifyReceipt } from '../../../bot/tickets/ticketCodes.ts';
import { createTestDatabase, dropTestDatabase, storeKinds } from '../../support/testDatabase.ts';
import { createTicket } from '../forwarding/support/fixtures.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const RECEIPT = '5550123487654321';

/** The values under `secret` that the embedded database's files (tables and write-ahead log) still hold. */
function openedInDatabaseFiles(dataDir: string, secret: Buffer): string[] {
  const secrets = new Secrets(secret);
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  return walk(path.join(dataDir, 'pglite')).flatMap((file) =>
    [...readFileSync(file).toString('latin1').matchAll(/v1\.[A-Za-z0-9+/]{38,}={0,2}/g)].flatMap(([token]) => {
      try {
        return [secrets.decrypt(token)];
      } catch {
        return [];
      }
    }),
  );
}

/** Runs the command in-process and returns its exit code and what it printed. */
async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await secret(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe.each(storeKinds)('netra secret rotate on %s', (kind) => {
  const saved = { ...process.env };
  /** The embedded store keeps its secret in secret.key; the PostgreSQL one is given NETRA_SECRET. */
  const withSecretFile = kind === 'pglite';
  let dataDir: string;
  let work: string;
  let databaseUrl: string | undefined;
  let current: Buffer;
  let ticketCode: string;

  const withApp = async <T>(fn: (app: App) => Promise<T>, env: Record<string, string> = {}): Promise<T> => {
    const app = await createApp(loadConfig({ ...process.env, ...env }), { logger: pino({ level: 'silent' }) });
    try {
      return await fn(app);
    } finally {
      await app.close();
    }
  };
  const secretFile = () => path.join(dataDir, 'secret.key');
  const previousFile = () => path.join(dataDir, 'secret.key.old');
  const newSecretFile = (secretBytes: Buffer) => {
    const file = path.join(work, `secret-${randomBytes(4).toString('hex')}`);
    writeFileSync(file, `${secretBytes.toString('base64')}\n`, { mode: 0o600 });
    return file;
  };
  /** Points this process's configuration at `secretBytes` (NETRA_SECRET on PostgreSQL; secret.key is read as it is). */
  const use = (secretBytes: Buffer) => {
    current = secretBytes;
    if (!withSecretFile) process.env.NETRA_SECRET = secretBytes.toString('base64');
  };
  /** The data reads under the configured secret: the report's identity, its receipt, the chat. */
  const expectReadable = () =>
    withApp(async (app) => {
      const ticket = await app.store.prisma.ticket.findUniqueOrThrow({ where: { code: ticketCode } });
      expect(app.secrets.decryptJson(ticket.reporterIdentityEnc!)).toMatchObject({ name: 'Siti Aminah' });
      expect(await verifyReceipt(app.secrets, RECEIPT, ticket.receiptHash)).toBe(true);
      const chat = await app.store.prisma.chat.findUniqueOrThrow({ where: { key: app.runtime.chatKey({ channel: 'terminal', chatId: 'warga' }) } });
      expect(app.secrets.decrypt(chat.addressEnc)).toBe('terminal:warga');
    });

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'netra-secret-'));
    work = mkdtempSync(path.join(tmpdir(), 'netra-secret-files-'));
    process.env.NETRA_DATA_DIR = dataDir;
    process.env.LOG_LEVEL = 'silent';
    if (withSecretFile) {
      delete process.env.NETRA_SECRET;
      delete process.env.DATABASE_URL;
    } else {
      databaseUrl = await createTestDatabase();
      process.env.DATABASE_URL = databaseUrl;
      use(randomBytes(32));
    }
    await withApp(async (app) => {
      await app.runtime.handle({ channel: 'terminal', chatId: 'warga' }, { type: 'user.sendCommand', name: 'start', args: '' });
      const { ticket } = await createTicket(app, { kind: 'formal', chatId: 'warga', withFiles: false });
      ticketCode = ticket.code;
      await app.store.prisma.ticket.update({ where: { code: ticketCode }, data: { receiptHash: hashReceipt(app.secrets, RECEIPT) } });
    });
    if (withSecretFile) current = Buffer.from(readFileSync(secretFile(), 'utf8').trim(), 'base64');
  });
  afterAll(async () => {
    process.env = saved;
    if (databaseUrl) await dropTestDatabase(databaseUrl);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('refuses without a new secret, with two sources or with the secret itself as an option, before opening the store', async () => {
    expect(await cli('rotate')).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: netra secret rotate') });
    expect((await cli('rotate', '--new-secret-file', 'a', '--generate', 'b')).code).toBe(2);
    expect((await cli('turn', '--generate', path.join(work, 'x'))).code).toBe(2);
    await expect(cli('rotate', '--secret', current.toString('base64'))).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
    expect(existsSync(path.join(work, 'x'))).toBe(false);
  });

  it('refuses a new secret that is not 32 bytes in base64, the current secret again, and a --generate file that exists', async () => {
    const bad = path.join(work, 'bad');
    writeFileSync(bad, 'rahasia\n');
    const refused = await cli('rotate', '--new-secret-file', bad);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('32 random bytes in base64') });
    expect(refused.stderr).not.toContain('rahasia');
    expect(await cli('rotate', '--new-secret-file', newSecretFile(current))).toMatchObject({ code: 2, stderr: expect.stringContaining('is the current one') });
    expect((await cli('rotate', '--generate', bad)).code).toBe(2);
    await expectReadable();
  });

  it('refuses when the configured secret is not the database\'s, and writes no new secret', async () => {
    const target = path.join(work, 'unused.key');
    if (withSecretFile) writeFileSync(secretFile(), `${randomBytes(32).toString('base64')}\n`);
    else process.env.NETRA_SECRET = randomBytes(32).toString('base64');
    try {
      await expect(cli('rotate', '--generate', target)).rejects.toThrow(KeyMismatchError);
    } finally {
      if (withSecretFile) writeFileSync(secretFile(), `${current.toString('base64')}\n`);
      use(current);
    }
    expect(existsSync(target)).toBe(false);
    expect(existsSync(path.join(dataDir, PENDING_SECRET_FILE))).toBe(false);
    await expectReadable();
  });

  it('counts in a dry run what would move, changing nothing and writing no secret', async () => {
    const target = path.join(work, 'dry.key');
    const result = await cli('rotate', '--generate', target, '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Dry run: nothing was changed');
    expect(result.stdout).toMatch(/chats\s+1\b/);
    expect(result.stdout).toMatch(/reporter data\s+2\b/);
    expect(result.stdout).toMatch(/receipts\s+1\b/);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(path.join(dataDir, PENDING_SECRET_FILE))).toBe(false);
    await expectReadable();
  });

  it.runIf(kind === 'postgres')('refuses while another session uses the database, unless told it is not Netra', async () => {
    const other = new pg.Client({ connectionString: databaseUrl });
    await other.connect();
    try {
      const refused = await cli('rotate', '--new-secret-file', newSecretFile(randomBytes(32)));
      expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('1 other session(s) are connected') });
      expect((await cli('rotate', '--new-secret-file', newSecretFile(randomBytes(32)), '--dry-run', '--allow-other-sessions')).code).toBe(0);
    } finally {
      await other.end();
    }
    await expectReadable();
  });

  it('rotates to a generated secret, written readable only by the operator, which then opens the data while the old one is refused', async () => {
    const target = path.join(work, 'new.key');
    const old = current;
    const result = await cli('rotate', '--generate', target);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Moved the data to the new secret');
    expect(result.stdout).toContain(withSecretFile ? 'now holds the new secret' : 'Now set NETRA_SECRET to the new secret');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const generated = Buffer.from(readFileSync(target, 'utf8').trim(), 'base64');
    expect(generated).toHaveLength(32);
    expect(result.stdout + result.stderr).not.toContain(generated.toString('base64'));
    if (withSecretFile) {
      expect(readFileSync(secretFile(), 'utf8').trim()).toBe(generated.toString('base64'));
      expect(statSync(secretFile()).mode & 0o777).toBe(0o600);
      expect(existsSync(path.join(dataDir, PENDING_SECRET_FILE))).toBe(false);
      // The replaced secret stays until a start finds the data under the new one (the embedded database's commits
      // are not flushed, so a power cut could still bring the old data back).
      expect(readFileSync(previousFile(), 'utf8').trim()).toBe(old.toString('base64'));
      expect(statSync(previousFile()).mode & 0o777).toBe(0o600);
      expect(openedInDatabaseFiles(dataDir, old)).toEqual([]);
    }
    await expect(withApp(async () => undefined, { NETRA_SECRET: old.toString('base64') })).rejects.toThrow(KeyMismatchError);
    use(generated);
    await expectReadable();
    expect(existsSync(previousFile())).toBe(false);
  });

  it.runIf(withSecretFile)('refuses to start while the database is still under the secret kept in secret.key.old, saying so', async () => {
    // What a power cut after secret.key was replaced, before the rotation's commit reached the disk, leaves.
    writeFileSync(previousFile(), `${current.toString('base64')}\n`, { mode: 0o600 });
    writeFileSync(secretFile(), `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    try {
      const refused = withApp(async () => undefined);
      await expect(refused).rejects.toThrow(PreviousSecretError);
      await expect(refused).rejects.toThrow(/still encrypted under the previous secret, kept in .*secret\.key\.old/);
      await expect(cli('rotate', '--new-secret-file', newSecretFile(randomBytes(32)))).rejects.toThrow(PreviousSecretError);
    } finally {
      writeFileSync(secretFile(), `${current.toString('base64')}\n`, { mode: 0o600 });
    }
    await expectReadable();
    expect(existsSync(previousFile())).toBe(false);
  });

  it.runIf(kind === 'postgres')('makes a process that starts during a rotation wait for it, then refuse the old secret', async () => {
    const next = randomBytes(32);
    const store = await openConfiguredStore(loadConfig(process.env));
    let starting: Promise<unknown> | undefined;
    try {
      await rotateSecret(store, new Secrets(current), new Secrets(next), {
        onStep: async (step) => {
          if (step !== 'chats') return;
          starting = withApp(async () => 'started').catch((error: unknown) => error);
          // Long enough for it to check its key, had it not to wait.
          await new Promise((resolve) => setTimeout(resolve, 3000));
        },
      });
    } finally {
      await store.close();
    }
    expect(await starting).toBeInstanceOf(KeyMismatchError);
    use(next);
    await expectReadable();
  });

  it.runIf(kind === 'postgres')('counts the sessions of another role, which a role that is not a superuser sees without their type', async () => {
    const suffix = randomBytes(4).toString('hex');
    const [operatorRole, botRole] = [`netra_t_cli_${suffix}`, `netra_t_bot_${suffix}`];
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    const as = (role: string) => Object.assign(new URL(databaseUrl!), { username: role, password: '' }).toString();
    const bot = new pg.Client({ connectionString: as(botRole), application_name: 'netra' });
    try {
      // The operator's role may use the tables (as a member of their owner) but is no superuser.
      const owner = decodeURIComponent(new URL(databaseUrl!).username);
      await admin(`CREATE ROLE ${operatorRole} LOGIN; CREATE ROLE ${botRole} LOGIN; GRANT "${owner}" TO ${operatorRole}`);
      await bot.connect();
      process.env.DATABASE_URL = as(operatorRole);
      const refused = await cli('rotate', '--new-secret-file', newSecretFile(randomBytes(32)));
      expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('1 other session(s) are connected') });
    } finally {
      process.env.DATABASE_URL = databaseUrl;
      await bot.end().catch(() => undefined);
      await admin(`DROP ROLE IF EXISTS ${operatorRole}; DROP ROLE IF EXISTS ${botRole}`).catch(() => undefined);
    }
    await expectReadable();
  });

  it.runIf(withSecretFile)('finishes a rotation interrupted after the data moved but before secret.key was replaced', async () => {
    const next = randomBytes(32);
    const old = current;
    // What a crash right after the commit leaves: the data under the new secret, which is only in secret.key.new.
    const store = await openConfiguredStore(loadConfig(process.env));
    try {
      stagePendingSecret(dataDir, next);
      await rotateSecret(store, new Secrets(current), new Secrets(next));
    } finally {
      await store.close();
    }
    await expect(withApp(async () => undefined)).rejects.toThrow(/run `netra secret rotate` again/);
    const dry = await cli('rotate', '--dry-run');
    expect(dry).toMatchObject({ code: 0, stdout: expect.stringContaining('Run the command without --dry-run to finish it') });
    expect(existsSync(path.join(dataDir, PENDING_SECRET_FILE))).toBe(true);

    const result = await cli('rotate');
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('Finished the rotation that was interrupted') });
    expect(readFileSync(secretFile(), 'utf8').trim()).toBe(next.toString('base64'));
    expect(existsSync(path.join(dataDir, PENDING_SECRET_FILE))).toBe(false);
    // Compacted as an uninterrupted rotation is: the old row versions are gone from the database files.
    expect(openedInDatabaseFiles(dataDir, old)).toEqual([]);
    use(next);
    await expectReadable();
  });

  it.runIf(withSecretFile)('removes the new secret left by a rotation that never committed, and rotates as asked', async () => {
    writeFileSync(path.join(dataDir, PENDING_SECRET_FILE), `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    const dry = await cli('rotate', '--dry-run');
    expect(dry).toMatchObject({ code: 0, stdout: expect.stringContaining(`${PENDING_SECRET_FILE}, left by a rotation that never completed, would be removed`) });
    expect(existsSync(path.join(dataDir, PENDING_SECRET_FILE))).toBe(true);
    const next = randomBytes(32);
    const result = await cli('rotate', '--new-secret-file', newSecretFile(next));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Removed ${PENDING_SECRET_FILE}`);
    expect(readFileSync(secretFile(), 'utf8').trim()).toBe(next.toString('base64'));
    use(next);
    await expectReadable();
  });

  it.runIf(withSecretFile)('refuses a terminal as standard input, which would show the secret as it is typed', { timeout: 20_000 }, async () => {
    const tty = Object.getOwnPropertyDescriptor(process.stdin, 'isTTY');
    Object.defineProperty(process.stdin, 'isTTY', { value: true, configurable: true });
    try {
      const refused = await cli('rotate', '--new-secret-file', '-');
      expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('standard input is a terminal') });
    } finally {
      if (tty) Object.defineProperty(process.stdin, 'isTTY', tty);
      else delete (process.stdin as { isTTY?: boolean }).isTTY;
    }
    await expectReadable();
  });

  it('reads the new secret from standard input with secret.key, and refuses to with NETRA_SECRET, where it would be kept nowhere', async () => {
    const next = randomBytes(32);
    const env: NodeJS.ProcessEnv = { ...process.env, NETRA_DATA_DIR: dataDir };
    if (withSecretFile) {
      delete env.NETRA_SECRET;
      delete env.DATABASE_URL;
    }
    const child = spawn(process.execPath, ['--import', 'tsx', 'bot/cli/netra.ts', 'secret', 'rotate', '--new-secret-file', '-'], { cwd: root, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.stdin.end(`${next.toString('base64')}\n`);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(output).not.toContain(next.toString('base64'));
    if (withSecretFile) {
      expect(code, output).toBe(0);
      expect(readFileSync(secretFile(), 'utf8').trim()).toBe(next.toString('base64'));
      use(next);
    } else {
      expect(code, output).toBe(2);
      expect(output).toContain('would be kept nowhere');
    }
    await expectReadable();
  });
});
