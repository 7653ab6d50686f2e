import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Runs `netra <args>` as an operator would and returns its exit code and error output. */
function netra(...args: string[]): Promise<{ code: number; stderr: string }> {
  return netraWith({}, ...args);
}

/** The same with `env` over this process's environment (an undefined value removes the variable). */
function netraWith(env: Record<string, string | undefined>, ...args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const merged = { ...process.env, ...env };
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete merged[name];
    const options = { cwd: root, timeout: 60_000, env: merged };
    execFile(process.execPath, ['--import', 'tsx', 'bot/cli/netra.ts', ...args], options, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr });
    });
  });
}

describe('the netra command', () => {
  it.each(['nosuch', 'constructor', 'toString'])('refuses the unknown command %j with the usage and exit code 2', async (name) => {
    const { code, stderr } = await netra(name);
    expect(code).toBe(2);
    expect(stderr).toContain(`Unknown command: ${name}`);
    expect(stderr).toContain('Usage: netra <command>');
  });

  it.each([
    [['chat', '--data-dir', '/tmp/x'], "Unknown option '--data-dir'", 'netra chat'],
    [['start', '--port', '8080'], "Unknown option '--port'", 'netra start'],
    [['migrate', 'now'], "Unexpected argument 'now'", 'netra migrate'],
    [['retention', 'run', '--dryrun'], "Unknown option '--dryrun'", 'netra retention'],
  ])('refuses %j with what is wrong, the command\'s summary and exit code 2, without a stack trace', async (args, problem, summary) => {
    const { code, stderr } = await netra(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(problem);
    expect(stderr).toContain(summary);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('reads .env (or NETRA_ENV_FILE), with the variables already in the environment winning over the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'netra-cli-env-'));
    try {
      const file = path.join(dir, 'netra.env');
      writeFileSync(file, '# made from .env.example\nESCALATE_AFTER=soon\nNETRA_DEFAULT_LOCALE=fr\n');
      const { code, stderr } = await netraWith({ NETRA_ENV_FILE: file, NETRA_DEFAULT_LOCALE: 'en', NETRA_DATA_DIR: dir }, 'migrate');
      expect(code).toBe(2);
      expect(stderr).toContain('ESCALATE_AFTER');
      expect(stderr).not.toContain('NETRA_DEFAULT_LOCALE');
      const missing = await netraWith({ NETRA_ENV_FILE: path.join(dir, 'nosuch.env') }, 'migrate');
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('NETRA_ENV_FILE');
      expect(missing.stderr).not.toMatch(/^\s+at /m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says in one line that the database cannot be reached, without a stack trace or the password', async () => {
    const { code, stderr } = await netraWith({ DATABASE_URL: 'postgresql://netra:rahasia@127.0.0.1:1/netra' }, 'migrate');
    expect(code).toBe(2);
    expect(stderr).toContain('Cannot use the database at 127.0.0.1:1/netra: nothing accepts connections there (ECONNREFUSED)');
    expect(stderr).not.toContain('rahasia');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it.each([
    [['stats', 'quiz', '--by', 'month']],
    [['stats', 'reports', '--by', 'month', '--since', '2026-12-02', '--until', '2026-12-01']],
    [['tickets', 'export', '--office', '19.05', '--since', '2026-13-01']],
    [['invite', '--office', '19.05', '--role', 'boss']],
  ])('checks %j before it opens the store, so a typo creates no database', async (args) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'netra-cli-typo-'));
    try {
      const { code, stderr } = await netraWith({ NETRA_DATA_DIR: dataDir, DATABASE_URL: undefined }, ...args);
      expect(code).toBe(2);
      expect(stderr).toMatch(/Usage: netra|expects a date|is after/);
      expect(readdirSync(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
