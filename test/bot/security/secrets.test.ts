import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMasterSecret, Secrets } from '../../../bot/security/secrets.ts';

const secrets = new Secrets(Buffer.alloc(32, 1));

describe('personal-data keys', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('encrypts so that the plaintext is not visible and decrypts it back', () => {
    const token = secrets.encrypt('Siti Aminah, 0812-3456-7890');
    expect(token).not.toContain('Siti');
    expect(secrets.decrypt(token)).toBe('Siti Aminah, 0812-3456-7890');
  });

  it('never produces the same ciphertext twice for one plaintext', () => {
    expect(secrets.encrypt('x')).not.toBe(secrets.encrypt('x'));
  });

  it('refuses a tampered ciphertext', () => {
    const token = secrets.encrypt('rahasia');
    const raw = Buffer.from(token.slice(3), 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => secrets.decrypt(`v1.${raw.toString('base64')}`)).toThrow();
  });

  it('cannot be read with another key', () => {
    const other = new Secrets(Buffer.alloc(32, 2));
    expect(() => other.decrypt(secrets.encrypt('rahasia'))).toThrow();
  });

  it('keys lookups stably without revealing the input', () => {
    expect(secrets.hmac('telegram:42')).toBe(secrets.hmac('telegram:42'));
    expect(secrets.hmac('telegram:42')).not.toBe(secrets.hmac('telegram:43'));
    expect(secrets.hmac('telegram:42')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('generates a secret into the data directory once, readable only by its owner, and reuses it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'netra-secret-'));
    dirs.push(dir);
    const warnings: string[] = [];
    const first = loadMasterSecret(undefined, dir, (f) => warnings.push(f));
    const second = loadMasterSecret(undefined, dir, (f) => warnings.push(f));
    expect(first.equals(second)).toBe(true);
    expect(warnings).toEqual([path.join(dir, 'secret.key')]);
    expect(statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(path.join(dir, 'secret.key'), 'utf8').trim(), 'base64')).toHaveLength(32);
  });

  it('prefers NETRA_SECRET when it is set', () => {
    const configured = Buffer.alloc(32, 9).toString('base64');
    expect(loadMasterSecret(configured, '/nonexistent', () => undefined).equals(Buffer.alloc(32, 9))).toBe(true);
  });
});
