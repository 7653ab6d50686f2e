import { describe, expect, it } from 'vitest';
import { Secrets } from '../../../bot/security/secrets.ts';
import { DUMMY_RECEIPT_HASH, generateReceipt, generateTicketCode, hashReceipt, pseudonymFor, verifyReceipt } from '../../../bot/tickets/ticketCodes.ts';
import { parseReceipt, parseTicketCode, TICKET_CODE_PATTERN } from '../../../flows/status/ticketCode.ts';

describe('ticket codes and receipts', () => {
  it('draws codes of the form NTR-XXXX-XXXX from the unambiguous alphabet, and reads them back', () => {
    const codes = new Set(Array.from({ length: 2000 }, generateTicketCode));
    expect(codes.size).toBe(2000);
    for (const code of codes) {
      expect(code).toMatch(TICKET_CODE_PATTERN);
      expect(code.slice(4)).not.toMatch(/[01OIL]/);
      expect(parseTicketCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
    }
  });

  it('draws 16-digit receipts with every digit in use', () => {
    const receipts = Array.from({ length: 500 }, generateReceipt);
    for (const receipt of receipts) {
      expect(receipt).toMatch(/^\d{16}$/);
      expect(parseReceipt(receipt)).toBe(receipt);
    }
    expect(new Set(receipts.join(''))).toEqual(new Set('0123456789'));
    expect(new Set(receipts).size).toBe(500);
  });

  it('stores a receipt only as a salted hash under the deployment\'s key that verifies the right receipt alone', async () => {
    const secrets = new Secrets(Buffer.alloc(32, 3));
    const receipt = '4821930475618203';
    const [a, b] = [hashReceipt(secrets, receipt), hashReceipt(secrets, receipt)];
    expect(a).not.toBe(b);
    expect(a).not.toContain(receipt);
    expect(a).toMatch(/^hmac\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(await verifyReceipt(secrets, receipt, a)).toBe(true);
    expect(await verifyReceipt(secrets, receipt, b)).toBe(true);
    expect(await verifyReceipt(secrets, '4821930475618204', a)).toBe(false);
    expect(await verifyReceipt(secrets, receipt, DUMMY_RECEIPT_HASH)).toBe(false);
    expect(await verifyReceipt(secrets, receipt, 'garbage')).toBe(false);
    expect(await verifyReceipt(secrets, receipt, 'hmac$$')).toBe(false);
  });

  it('cannot check a receipt against its hash without the secret it was made under', async () => {
    const receipt = '4821930475618203';
    const stored = hashReceipt(new Secrets(Buffer.alloc(32, 3)), receipt);
    expect(await verifyReceipt(new Secrets(Buffer.alloc(32, 4)), receipt, stored)).toBe(false);
    // The receipt key is not the chat-lookup key: a lookup hash of the same input is no receipt MAC.
    const secrets = new Secrets(Buffer.alloc(32, 3));
    const [, salt] = stored.split('$') as [string, string, string];
    const lookup = Buffer.from(secrets.hmac(Buffer.concat([Buffer.from(salt, 'base64'), Buffer.from(receipt)]).toString('latin1')), 'hex');
    expect(await verifyReceipt(secrets, receipt, `hmac$${salt}$${lookup.toString('base64')}`)).toBe(false);
  });

  it('still verifies receipts hashed earlier with scrypt, at the cost each hash records', async () => {
    const secrets = new Secrets(Buffer.alloc(32, 3));
    const { scryptSync } = await import('node:crypto');
    const salt = 'c2FsdHNhbHRzYWx0c2FsdA==';
    for (const n of [2048, 16384]) {
      const older = `scrypt$${n}$8$1$${salt}$` + scryptSync('4821930475618203', Buffer.from(salt, 'base64'), 32, { N: n, r: 8, p: 1 }).toString('base64');
      expect(await verifyReceipt(secrets, '4821930475618203', older)).toBe(true);
      expect(await verifyReceipt(secrets, '4821930475618204', older)).toBe(false);
    }
  });

  it('gives each ticket a pseudonym that is stable but cannot link two tickets of one reporter', () => {
    const secrets = new Secrets(Buffer.alloc(32, 3));
    const other = new Secrets(Buffer.alloc(32, 4));
    const first = pseudonymFor(secrets, 'chat-a', 'ticket-1');
    expect(first).toMatch(/^Pelapor-[2-9A-HJKMNP-Z]{4}$/);
    expect(pseudonymFor(secrets, 'chat-a', 'ticket-1')).toBe(first);
    const sameReporter = new Set(Array.from({ length: 50 }, (_, i) => pseudonymFor(secrets, 'chat-a', `ticket-${i}`)));
    expect(sameReporter.size).toBeGreaterThan(45);
    expect(pseudonymFor(other, 'chat-a', 'ticket-1')).not.toBe(first);
  });
});
