/**
 * Keys for personal data. One master secret (NETRA_SECRET, 32 bytes) derives, with HKDF, an AES-256-GCM key for
 * contact data at rest, an HMAC key for looking chats up without storing their ids in clear, and a MAC key of its
 * own for each other purpose (receipts).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Encrypts, decrypts and keys personal data. */
export class Secrets {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;
  private readonly master: Buffer;
  private readonly purposeKeys = new Map<string, Buffer>();

  constructor(master: Buffer) {
    if (master.length !== 32) throw new Error('The master secret must be 32 bytes');
    this.master = Buffer.from(master);
    this.encKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'netra/aes-256-gcm/v1', 32));
    this.macKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'netra/hmac/v1', 32));
  }

  /** AES-256-GCM with a random 96-bit IV; output `v1.<base64 iv|tag|ciphertext>`. */
  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** Decrypts what `encrypt` produced; throws if it was tampered with or keyed differently. */
  decrypt(token: string): string {
    if (!token.startsWith('v1.')) throw new Error('Unknown ciphertext format');
    const raw = Buffer.from(token.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  encryptJson(value: unknown): string {
    return this.encrypt(JSON.stringify(value));
  }

  decryptJson<T = unknown>(token: string): T {
    return JSON.parse(this.decrypt(token)) as T;
  }

  /** Keyed hash (hex) for lookups: the same input always gives the same key, which reveals nothing. */
  hmac(value: string): string {
    return createHmac('sha256', this.macKey).update(value).digest('hex');
  }

  /**
   * HMAC-SHA256 of `data` under a key derived for `purpose` alone, so a MAC made for one use can never stand for
   * another (nor for a chat lookup key).
   */
  mac(purpose: string, data: Buffer): Buffer {
    let key = this.purposeKeys.get(purpose);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.master, Buffer.alloc(0), `netra/mac/${purpose}/v1`, 32));
      this.purposeKeys.set(purpose, key);
    }
    return createHmac('sha256', key).update(data).digest();
  }
}

/**
 * Returns the master secret: NETRA_SECRET when set, else the one stored in the data directory, else a new one
 * written there (mode 0600). `onGenerated` is told so the caller can warn.
 */
export function loadMasterSecret(
  configured: string | undefined,
  dataDir: string,
  onGenerated: (file: string) => void,
): Buffer {
  if (configured) return Buffer.from(configured, 'base64');
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) {
    const stored = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (stored.length !== 32) throw new Error(`${file} does not hold 32 bytes in base64`);
    return stored;
  }
  mkdirSync(dataDir, { recursive: true });
  const fresh = randomBytes(32);
  writeFileSync(file, `${fresh.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  onGenerated(file);
  return fresh;
}
