/**
 * Makes sure every process and operator command uses the key this database's personal data was encrypted with.
 * Without NETRA_SECRET each data directory generates its own key, so a second process, a CLI run from another
 * directory or a restored backup could quietly encrypt with another key, and what it wrote (or what it reads)
 * would be unreadable. The database keeps a fingerprint of its key (an HMAC, from which the key cannot be found);
 * a process with another key refuses to start.
 */
import type { PrismaClient, Tx } from '../store/store.ts';
import type { Secrets } from './secrets.ts';

const FINGERPRINT = 'secret.fingerprint';

/** Raised when the configured key is not the one this database's data is encrypted with. */
export class KeyMismatchError extends Error {
  constructor() {
    super(
      'This database was encrypted with another key than the one configured (NETRA_SECRET, or secret.key in ' +
        'NETRA_DATA_DIR). Set NETRA_SECRET to the key of the first process, the same in every process and every ' +
        'netra command, and start again. Nothing was written to the database.',
    );
    this.name = 'KeyMismatchError';
  }
}

/** The key's fingerprint: 16 bytes of an HMAC under a key derived for this purpose alone. */
export function keyFingerprint(secrets: Secrets): string {
  return secrets.mac('key-check', Buffer.from('netra')).subarray(0, 16).toString('hex');
}

/**
 * Records the key's fingerprint on a new database and compares it afterwards. A database that holds encrypted data
 * from before fingerprints were kept is checked by decrypting one chat address.
 */
export async function checkKey(db: PrismaClient | Tx, secrets: Secrets): Promise<void> {
  const fingerprint = keyFingerprint(secrets);
  let stored = await db.setting.findUnique({ where: { key: FINGERPRINT } });
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
    await db.$executeRaw`INSERT INTO "Setting" ("key", "value") VALUES (${FINGERPRINT}, ${fingerprint}) ON CONFLICT ("key") DO NOTHING`;
    stored = await db.setting.findUnique({ where: { key: FINGERPRINT } });
  }
  if (stored?.value !== fingerprint) throw new KeyMismatchError();
}
