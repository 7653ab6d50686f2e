/**
 * Makes sure every process and operator command uses the key this database's personal data was encrypted with.
 * Without NETRA_SECRET each data directory generates its own key, so a second process, a CLI run from another
 * directory or a restored backup could quietly encrypt with another key, and what it wrote (or what it reads)
 * would be unreadable. The database keeps a fingerprint of its key (an HMAC, from which the key cannot be found);
 * a process with another key refuses to start. After `netra secret rotate`, the same check hands the process the
 * retired keys it needs to check receipts made before (sealed under the current key).
 *
 * On PostgreSQL the check waits for a rotation in progress (which holds the migrations' advisory lock until it
 * commits), so a process started meanwhile sees the new fingerprint and refuses the old secret instead of going on
 * with it.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { PrismaClient, Tx } from '../store/store.ts';
import { PREVIOUS_SECRET_FILE, type RetiredKeyRing, Secrets } from './secrets.ts';

/** The Setting that holds the key's fingerprint. */
export const FINGERPRINT_SETTING = 'secret.fingerprint';
/** The Setting that holds the retired keys, encrypted under the current key (absent before any rotation). */
export const RETIRED_KEYS_SETTING = 'secret.retired-keys';

const retiredKeyRingSchema = z.record(z.string(), z.record(z.string(), z.string()));

/** Raised when the configured key is not the one this database's data is encrypted with. */
export class KeyMismatchError extends Error {
  /** The database's fingerprint, when it has one. */
  constructor(readonly stored?: string) {
    super(
      'This database was encrypted with another key than the one configured (NETRA_SECRET, or secret.key in ' +
        'NETRA_DATA_DIR). Set NETRA_SECRET to the key of the first process, the same in every process and every ' +
        'netra command, and start again. Nothing was written to the database. After `netra secret rotate`, use the ' +
        'new secret (if the rotation was interrupted with secret.key, run `netra secret rotate` again to finish it).',
    );
    this.name = 'KeyMismatchError';
  }
}

/**
 * Raised when the database is still under the secret a rotation replaced, kept in `secret.key.old`: the rotation's
 * commit did not reach the disk (a power cut on the embedded database) while `secret.key` had already been replaced.
 */
export class PreviousSecretError extends KeyMismatchError {
  constructor(readonly file: string) {
    super(undefined);
    this.message =
      `The database is still encrypted under the previous secret, kept in ${file}: the last \`netra secret rotate\` ` +
      'did not reach the disk. Nothing was written. Put that secret back (move it over secret.key) and run ' +
      '`netra secret rotate` again.';
    this.name = 'PreviousSecretError';
  }
}

/**
 * The advisory lock every start takes to migrate (bot/store/store.ts), which a rotation holds until it commits.
 */
export const MIGRATION_LOCK = 727072;

/** How long a start waits for a rotation in progress. */
const ROTATION_WAIT_MS = 60 * 60_000;

/** The key's fingerprint: 16 bytes of an HMAC under a key derived for this purpose alone. */
export function keyFingerprint(secrets: Secrets): string {
  return secrets.mac('key-check', Buffer.from('netra')).subarray(0, 16).toString('hex');
}

/** The retired keys as stored (see {@link RETIRED_KEYS_SETTING}), opened with the current key. */
export function openRetiredKeys(secrets: Secrets, sealed: string): RetiredKeyRing {
  return retiredKeyRingSchema.parse(secrets.decryptJson(sealed));
}

/**
 * Records the key's fingerprint on a new database and compares it afterwards, then gives `secrets` the retired
 * keys the database keeps. A database that holds encrypted data from before fingerprints were kept is checked by
 * decrypting one chat address. Given the client (not a transaction), it first waits for a rotation in progress.
 *
 * `dataDir` is the data directory whose `secret.key` holds the key (NETRA_SECRET unset): a mismatch explained by the
 * `secret.key.old` a rotation left says so, and a match confirms the rotation, whose `secret.key.old` then goes.
 */
export async function checkKey(db: PrismaClient | Tx, secrets: Secrets, options: { dataDir?: string | undefined } = {}): Promise<void> {
  try {
    if (isClient(db)) {
      await db.$transaction(
        async (tx) => {
          await tx.$queryRawUnsafe(`SELECT 1 AS "locked" FROM pg_advisory_xact_lock_shared(${MIGRATION_LOCK})`);
          await compare(tx, secrets);
        },
        { timeout: ROTATION_WAIT_MS },
      );
    } else {
      await compare(db, secrets);
    }
  } catch (error) {
    if (error instanceof KeyMismatchError && options.dataDir !== undefined) explainMismatch(options.dataDir, error.stored);
    throw error;
  }
  if (options.dataDir !== undefined) rmSync(path.join(options.dataDir, PREVIOUS_SECRET_FILE), { force: true });
}

// (A transaction's client has no $transaction of its own to call.)
function isClient(db: PrismaClient | Tx): db is PrismaClient {
  return typeof (db as Partial<PrismaClient>).$transaction === 'function';
}

async function compare(db: Tx, secrets: Secrets): Promise<void> {
  const fingerprint = keyFingerprint(secrets);
  let stored = await db.setting.findUnique({ where: { key: FINGERPRINT_SETTING } });
  if (!stored) {
    // The oldest chat was written with the key the database started with.
    const sample = await db.chat.findFirst({ orderBy: { createdAt: 'asc' }, select: { addressEnc: true } });
    if (sample) {
      try {
        secrets.decrypt(sample.addressEnc);
      } catch {
        throw new KeyMismatchError();
      }
    }
    // Two processes starting at once both insert; the second finds the first one's row.
    await db.$executeRaw`INSERT INTO "Setting" ("key", "value") VALUES (${FINGERPRINT_SETTING}, ${fingerprint}) ON CONFLICT ("key") DO NOTHING`;
    stored = await db.setting.findUnique({ where: { key: FINGERPRINT_SETTING } });
  }
  if (stored?.value !== fingerprint) throw new KeyMismatchError(stored?.value);
  const retired = await db.setting.findUnique({ where: { key: RETIRED_KEYS_SETTING } });
  if (retired) secrets.useRetiredKeys(openRetiredKeys(secrets, retired.value));
}

/** Throws {@link PreviousSecretError} when `secret.key.old` is the database's key. */
function explainMismatch(dataDir: string, stored: string | undefined): void {
  const file = path.join(dataDir, PREVIOUS_SECRET_FILE);
  if (stored === undefined || !existsSync(file)) return;
  let previous: Secrets;
  try {
    previous = new Secrets(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
  } catch {
    return;
  }
  if (keyFingerprint(previous) === stored) throw new PreviousSecretError(file);
}
