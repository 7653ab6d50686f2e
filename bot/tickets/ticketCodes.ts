/**
 * The identifiers a ticket is given: its public code (`NTR-7K3P-9QXA`), the reporter's secret 16-digit receipt
 * (kept only as a salted, keyed hash) and the pseudonym officers see (`Pelapor-7F3K`).
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { TICKET_CODE_ALPHABET, RECEIPT_DIGITS } from '../../flows/status/ticketCode.ts';
import type { Secrets } from '../security/secrets.ts';

/** A new random ticket code: `NTR-` + 4 + `-` + 4 characters of the unambiguous alphabet. */
export function generateTicketCode(): string {
  const pick = () => TICKET_CODE_ALPHABET[randomInt(TICKET_CODE_ALPHABET.length)];
  const part = () => Array.from({ length: 4 }, pick).join('');
  return `NTR-${part()}-${part()}`;
}

/** A new 16-digit receipt (crypto random; leading zeros allowed). */
export function generateReceipt(): string {
  return Array.from({ length: RECEIPT_DIGITS }, () => String(randomInt(10))).join('');
}

/**
 * How a receipt is kept: `hmac$<salt>$<mac>` (base64), an HMAC-SHA256 of a random salt and the receipt under a key
 * derived from NETRA_SECRET for receipts alone. The receipt is 16 random digits (53 bits), so what protects it is
 * the key, not the cost of a guess: a copy of the database without the secret cannot test a single guess, and one
 * who holds both can read the tickets themselves, which is all a receipt opens. The scheme before, a salted scrypt
 * hash (N = 2048), cost about 4 ms of CPU per filed report, 6–7 % of all of Netra's CPU in the benchmark's mix of
 * reports and quizzes, for no protection the key does not already give; such hashes still verify.
 *
 * After `netra secret rotate` a receipt's MAC cannot be made again under the new key (the receipt is not stored), so
 * it is kept as `hmac-sealed$<key id>$<salt>$<the MAC, encrypted under the current key>`: checking a receipt makes
 * its MAC with the retired receipt key (which the database keeps, sealed under the current key) and compares it with
 * the decrypted one. The old secret alone opens neither the sealed MAC nor the kept keys, so whoever holds it and a
 * later copy of the database still cannot test a single guess.
 */
const RECEIPT_PURPOSE = 'receipt';
/** The tag of a receipt hash made under a retired key (see above). */
export const SEALED_RECEIPT_TAG = 'hmac-sealed';
/** The purposes whose MACs outlive their key in receipt hashes: what a rotation must keep. */
export const RECEIPT_KEY_PURPOSES = [RECEIPT_PURPOSE] as const;
const SALT_BYTES = 16;

/** `hmac$salt$mac` (base64) of a receipt. */
export function hashReceipt(secrets: Secrets, receipt: string): string {
  const salt = randomBytes(SALT_BYTES);
  const mac = receiptMac(secrets, salt, receipt);
  return ['hmac', salt.toString('base64'), mac.toString('base64')].join('$');
}

function receiptMac(secrets: Secrets, salt: Buffer, receipt: string): Buffer {
  return secrets.mac(RECEIPT_PURPOSE, Buffer.concat([salt, Buffer.from(receipt, 'utf8')]));
}

function scryptAsync(secret: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * True when `receipt` matches a hash made by {@link hashReceipt} (or an older `scrypt$N$r$p$salt$hash`);
 * constant-time comparison.
 */
export async function verifyReceipt(secrets: Secrets, receipt: string, stored: string): Promise<boolean> {
  const parts = (stored === DUMMY_RECEIPT_HASH ? dummyFor(secrets) : stored).split('$');
  let key: Buffer;
  let expected: Buffer;
  if (parts[0] === 'hmac' && parts.length === 3 && parts[1] && parts[2]) {
    expected = Buffer.from(parts[2], 'base64');
    key = receiptMac(secrets, Buffer.from(parts[1], 'base64'), receipt);
  } else if (parts[0] === SEALED_RECEIPT_TAG && parts.length === 4 && parts[1] && parts[2] && parts[3]) {
    const made = secrets.retiredMac(parts[1], RECEIPT_PURPOSE, Buffer.concat([Buffer.from(parts[2], 'base64'), Buffer.from(receipt, 'utf8')]));
    if (!made) return false;
    try {
      expected = Buffer.from(secrets.decrypt(parts[3]), 'base64');
    } catch {
      return false;
    }
    key = made;
  } else if (parts[0] === 'scrypt' && parts.length === 6 && parts[4] && parts[5]) {
    const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
    expected = Buffer.from(hash, 'base64');
    key = await scryptAsync(receipt, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  } else {
    return false;
  }
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * The receipt hash `stored` as it must be kept once the master secret `from` is replaced by `to` (see above): a MAC
 * under `from` is sealed under `to` with `from`'s key id; a MAC already sealed is sealed again under `to`; a scrypt
 * hash needs no key and stays. Throws when `from` cannot open a sealed MAC.
 */
export function rekeyReceiptHash(stored: string, from: Secrets, to: Secrets): string {
  const parts = stored.split('$');
  if (parts[0] === 'hmac' && parts.length === 3 && parts[1] && parts[2]) {
    return [SEALED_RECEIPT_TAG, from.keyId, parts[1], to.encrypt(parts[2])].join('$');
  }
  if (parts[0] === SEALED_RECEIPT_TAG && parts.length === 4 && parts[1] && parts[2] && parts[3]) {
    return [SEALED_RECEIPT_TAG, parts[1], parts[2], to.encrypt(from.decrypt(parts[3]))].join('$');
  }
  return stored;
}

/**
 * A hash to compare against when a code does not exist, so a wrong code costs the same work as a wrong receipt.
 * Once the secret holds retired keys (after a rotation), {@link verifyReceipt} compares with a sealed hash instead:
 * checking one costs a decryption more, which would otherwise tell a code filed before the rotation from none.
 */
export const DUMMY_RECEIPT_HASH = 'hmac$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

const sealedDummies = new WeakMap<Secrets, { keyId: string; hash: string }>();

/** What {@link DUMMY_RECEIPT_HASH} stands for under `secrets` (see there). */
function dummyFor(secrets: Secrets): string {
  const [keyId] = secrets.retiredKeyIds();
  if (keyId === undefined) return DUMMY_RECEIPT_HASH;
  let dummy = sealedDummies.get(secrets);
  if (dummy?.keyId !== keyId) {
    const [, salt, mac] = DUMMY_RECEIPT_HASH.split('$') as [string, string, string];
    dummy = { keyId, hash: [SEALED_RECEIPT_TAG, keyId, salt, secrets.encrypt(mac)].join('$') };
    sealedDummies.set(secrets, dummy);
  }
  return dummy.hash;
}

/**
 * The pseudonym officers see for the reporter of one ticket, from an HMAC of the chat and the ticket: stable for
 * the ticket, and two tickets of the same reporter cannot be linked by it.
 */
export function pseudonymFor(secrets: Secrets, chatKey: string, ticketId: string): string {
  const digest = secrets.hmac(`pseudonym:${chatKey}:${ticketId}`);
  let name = '';
  for (let i = 0; i < 4; i += 1) {
    const byte = Number.parseInt(digest.slice(i * 4, i * 4 + 4), 16);
    name += TICKET_CODE_ALPHABET[byte % TICKET_CODE_ALPHABET.length];
  }
  return `Pelapor-${name}`;
}
