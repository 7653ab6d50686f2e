/**
 * The identifiers a ticket is given: its public code (`NTR-7K3P-9QXA`), the reporter's secret 16-digit receipt
 * (kept only as a salted scrypt hash) and the pseudonym officers see (`Pelapor-7F3K`).
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
 * A receipt is 16 random digits (53 bits), so the hash needs no password-grade cost: at N = 2048 one guess costs
 * about 4 ms, 2^53 guesses are out of reach, and a filed report spends ~4 ms here instead of ~35 ms (the largest
 * cost of a submission). Older hashes keep their own N and still verify.
 */
const SCRYPT = { N: 2_048, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

function scryptAsync(secret: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash` (base64) of a receipt. */
export async function hashReceipt(receipt: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltLength);
  const key = await scryptAsync(receipt, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `receipt` matches a hash made by {@link hashReceipt}; constant-time comparison. */
export async function verifyReceipt(receipt: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(receipt, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash to compare against when a code does not exist, so a wrong code costs the same time as a wrong receipt. */
export const DUMMY_RECEIPT_HASH = 'scrypt$2048$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

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
