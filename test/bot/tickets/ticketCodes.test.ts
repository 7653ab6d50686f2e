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

  it('stores a receipt only as a salted scrypt hash that verifies the right receipt alone', async () => {
    const receipt = '4821930475618203';
    const [a, b] = [await hashReceipt(receipt), await hashReceipt(receipt)];
    expect(a).not.toBe(b);
    expect(a).not.toContain(receipt);
    expect(a).toMatch(/^scrypt\$2048\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyReceipt(receipt, a)).toBe(true);
    expect(await verifyReceipt(receipt, b)).toBe(true);
    expect(await verifyReceipt('4821930475618204', a)).toBe(false);
    expect(await verifyReceipt(receipt, DUMMY_RECEIPT_HASH)).toBe(false);
    expect(await verifyReceipt(receipt, 'garbage')).toBe(false);
  });

  it('still verifies a receipt hashed earlier at a higher cost, which the hash itself records', async () => {
    const older = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$' + (await import('node:crypto')).scryptSync('4821930475618203', Buffer.from('c2FsdHNhbHRzYWx0c2FsdA==', 'base64'), 32, { N: 16384, r: 8, p: 1 }).toString('base64');
    expect(await verifyReceipt('4821930475618203', older)).toBe(true);
    expect(await verifyReceipt('4821930475618204', older)).toBe(false);
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
