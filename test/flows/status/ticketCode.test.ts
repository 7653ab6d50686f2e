import { describe, expect, it } from 'vitest';
import { parseReceipt, parseStatusArgs, parseTicketCode, TICKET_CODE_ALPHABET, TICKET_CODE_PATTERN } from '../../../flows/status/ticketCode.ts';

describe('ticket codes', () => {
  it('uses an alphabet without 0, O, 1, I and L', () => {
    for (const c of '0O1IL') expect(TICKET_CODE_ALPHABET).not.toContain(c);
    expect(TICKET_CODE_ALPHABET).toHaveLength(31);
  });

  it.each([
    ['NTR-7K3P-9QXA', 'NTR-7K3P-9QXA'],
    ['ntr-7k3p-9qxa', 'NTR-7K3P-9QXA'],
    ['NTR 7K3P 9QXA', 'NTR-7K3P-9QXA'],
    ['NTR7K3P9QXA', 'NTR-7K3P-9QXA'],
    ['7K3P-9QXA', 'NTR-7K3P-9QXA'],
    ['  kode saya NTR-7K3P-9QXA ya ', 'NTR-7K3P-9QXA'],
  ])('reads %j as %s', (typed, code) => {
    expect(parseTicketCode(typed)).toBe(code);
    expect(code).toMatch(TICKET_CODE_PATTERN);
  });

  it.each(['', 'NTR-7K3P', 'NTR-0K3P-9QXA', 'NTR-IK3P-9QXA', 'hello world', 'x'.repeat(500)])('finds no code in %j', (typed) => {
    expect(parseTicketCode(typed)).toBeUndefined();
  });
});

describe('receipts', () => {
  it.each(['1234 5678 9012 3456', '1234567890123456', '1234-5678-9012-3456', ' 1234.5678.9012.3456 '])('reads %j', (typed) => {
    expect(parseReceipt(typed)).toBe('1234567890123456');
  });

  it.each(['123456789012345', '12345678901234567', '1234 5678 9012 345a', ''])('refuses %j', (typed) => {
    expect(parseReceipt(typed)).toBeUndefined();
  });
});

describe('/status arguments', () => {
  it('reads a code and a receipt in one line', () => {
    expect(parseStatusArgs('NTR-7K3P-9QXA 1234 5678 9012 3456')).toEqual({ code: 'NTR-7K3P-9QXA', receipt: '1234567890123456' });
  });

  it('reads a code alone', () => {
    expect(parseStatusArgs('ntr-7k3p-9qxa')).toEqual({ code: 'NTR-7K3P-9QXA' });
  });

  it('never reads a receipt made of code characters as a code', () => {
    expect(parseStatusArgs('2345 6789 2345 6789')).toEqual({ receipt: '2345678923456789' });
  });
});
