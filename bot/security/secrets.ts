/**
 * Keys for personal data. One master secret (NETRA_SECRET, 32 bytes) derives, with HKDF, an AES-256-GCM key for
 * contact data at rest, an HMAC key for looking chats up without storing their ids in clear, and a MAC key of its
 * own for each other purpose (receipts).
 *
 * After `netra secret rotate` the database may also hold the purpose keys of master secrets used before ("retired"
 * keys), sealed under the current one: a receipt is kept only as a MAC of itself, so its MAC cannot be made again
 * under a new key, and checking it needs the key it was made with (see bot/security/keyRotation.ts).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Where the master secret is kept when NETRA_SECRET is not set, relative to the data directory. */
export const SECRET_FILE = 'secret.key';
/**
 * The secret `netra secret rotate` replaced, kept beside `secret.key` until a start confirms the database is under
 * the new one (see bot/security/keyCheck.ts): the embedded database's commits are not flushed to disk, so a power
 * cut could leave it under the previous secret.
 */
export const PREVIOUS_SECRET_FILE = `${SECRET_FILE}.old`;

/**
 * Purpose keys of master secrets this deployment used before: key id (see {@link Secrets.keyId}) to purpose to the
 * key in base64. Never a master secret itself.
 */
export type RetiredKeyRing = Record<string, Record<string, string>>;

/** Encrypts, decrypts and keys personal data. */
export class Secrets {
  /**
   * A short public name of this master secret (16 hex digits of a MAC under it), under which a MAC made with it is
   * filed once the secret is retired. It reveals nothing of the secret.
   */
  readonly keyId: string;
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;
  private readonly master: Buffer;
  private readonly purposeKeys = new Map<string, Buffer>();
  private retired = new Map<string, Map<string, Buffer>>();

  constructor(master: Buffer) {
    if (master.length !== 32) throw new Error('The master secret must be 32 bytes');
    this.master = Buffer.from(master);
    this.encKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'netra/aes-256-gcm/v1', 32));
    this.macKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'netra/hmac/v1', 32));
    this.keyId = this.mac('key-id', Buffer.from('netra')).subarray(0, 8).toString('hex');
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
    return createHmac('sha256', this.purposeKey(purpose)).update(data).digest();
  }

  /**
   * {@link mac} under the master secret named `keyId`: this one, or a retired one whose keys were handed over with
   * {@link useRetiredKeys}. Undefined when that key is not held.
   */
  retiredMac(keyId: string, purpose: string, data: Buffer): Buffer | undefined {
    const key = keyId === this.keyId ? this.purposeKey(purpose) : this.retired.get(keyId)?.get(purpose);
    return key ? createHmac('sha256', key).update(data).digest() : undefined;
  }

  /** The ids of the retired secrets whose keys this one holds. */
  retiredKeyIds(): string[] {
    return [...this.retired.keys()];
  }

  /** Takes the retired keys the database keeps (sealed under this secret), replacing any held before. */
  useRetiredKeys(ring: RetiredKeyRing): void {
    this.retired = new Map(
      Object.entries(ring).map(([id, keys]) => [id, new Map(Object.entries(keys).map(([purpose, key]) => [purpose, Buffer.from(key, 'base64')]))]),
    );
  }

  /**
   * This secret's keys for `purposes`, as its successor keeps them once it is retired. Only keys derived for one
   * purpose each, never the master secret or the encryption key: whoever later holds the successor can check what
   * these keys made, but cannot read any data (or old backup) encrypted under this secret.
   */
  keysToRetire(purposes: readonly string[]): RetiredKeyRing {
    return { [this.keyId]: Object.fromEntries(purposes.map((purpose) => [purpose, this.purposeKey(purpose).toString('base64')])) };
  }

  private purposeKey(purpose: string): Buffer {
    let key = this.purposeKeys.get(purpose);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.master, Buffer.alloc(0), `netra/mac/${purpose}/v1`, 32));
      this.purposeKeys.set(purpose, key);
    }
    return key;
  }
}

/**
 * A master secret as written in a file or typed: 32 bytes in base64, surrounding blanks ignored. Throws with the
 * reason otherwise (the message never includes the text).
 */
export function parseMasterSecret(text: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]{43}=$/.test(trimmed)) throw new Error('a secret is 32 random bytes in base64 (openssl rand -base64 32)');
  return Buffer.from(trimmed, 'base64');
}

/**
 * Writes a master secret to `file`, readable only by its owner, and makes it durable (fsync) before returning: a
 * secret that data is about to be encrypted with must not be lost in a crash. `exclusive` refuses an existing file.
 */
export function writeSecretFile(file: string, secret: Buffer, exclusive: boolean): void {
  const fd = openSync(file, exclusive ? 'wx' : 'w', 0o600);
  try {
    writeSync(fd, `${secret.toString('base64')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(file, 0o600);
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
  const file = path.join(dataDir, SECRET_FILE);
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
