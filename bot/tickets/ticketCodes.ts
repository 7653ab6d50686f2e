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
 */
const RECEIPT_PURPOSE = 'receipt';
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
  const parts = stored.split('$');
  let key: Buffer;
  let expected: Buffer;
  if (parts[0] === 'hmac' && parts.length === 3 && parts[1] && parts[2]) {
    expected = Buffer.from(parts[2], 'base64');
    key = receiptMac(secrets, Buffer.from(parts[1], 'base64'), receipt);
  } else if (parts[0] === 'scrypt' && parts.length === 6 && parts[4] && parts[5]) {
    const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
    expected = Buffer.from(hash, 'base64');
    key = await scryptAsync(receipt, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  } else {
    return false;
  }
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash to compare against when a code does not exist, so a wrong code costs the same work as a wrong receipt. */
export const DUMMY_RECEIPT_HASH = 'hmac$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

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
