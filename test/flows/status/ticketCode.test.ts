import { describe, expect, it } from 'vitest';
import { parseReceipt, parseStatusArgs, parseTicketCode, prefixedTicketCode, statusRequestArgs, TICKET_CODE_ALPHABET, TICKET_CODE_PATTERN } from '../../../flows/status/ticketCode.ts';

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
    // Letters only, without the prefix: alone or nearly.
    ['ABCD-EFGH', 'NTR-ABCD-EFGH'],
    // A word of the alphabet's letters before the code is passed over.
    ['laporan tertentu yaitu 7K3P-9QXA', 'NTR-7K3P-9QXA'],
    ['ABCD-EFGH 1234 5678 9012 3456', 'NTR-ABCD-EFGH'],
  ])('reads %j as %s', (typed, code) => {
    expect(parseTicketCode(typed)).toBe(code);
    expect(code).toMatch(TICKET_CODE_PATTERN);
  });

  it.each(['', 'NTR-7K3P', 'NTR-0K3P-9QXA', 'NTR-IK3P-9QXA', 'hello world', 'x'.repeat(500), 'MK67-YKE7-4LBB', 'kode MK67-YKE7-4LB0', 'kepala sekolah sy nyuruh guru2 pilih calon tertentu, gmn?', 'sy mau tanya kenapa dia LEMBUR tertentu'])('finds no code in %j', (typed) => {
    expect(parseTicketCode(typed)).toBeUndefined();
  });
});

describe('a report code among other words', () => {
  it('is found anywhere with its NTR prefix, and never inside a certificate code, a word or without the prefix', () => {
    expect(prefixedTicketCode('cek sertifikat NTR-7K3P-9QXA')).toBe('NTR-7K3P-9QXA');
    expect(prefixedTicketCode('kode saya: ntr 7k3p 9qxa ya')).toBe('NTR-7K3P-9QXA');
    expect(prefixedTicketCode('NTR7K3P9QXA')).toBe('NTR-7K3P-9QXA');
    for (const text of ['cek sertifikat 7K3P-9QXA', 'ABNT-R234-5678', 'XNTR-2345-6789', 'kontr 2345 6789', 'NTR-7K3P-9QXAB', '']) {
      expect(prefixedTicketCode(text)).toBeUndefined();
    }
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

  it.each(['NTR-7K3P-9QXA tanda terima 1234567890123456', 'NTR-7K3P-9QXA no 1234 5678 9012 3456', 'NTR-7K3P-9QXA, receipt number: 1234 5678 9012 3456', 'NTR-7K3P-9QXA dan tanda terimanya 1234-5678-9012-3456'])(
    'reads the receipt written after a label in %j',
    (args) => {
      expect(parseStatusArgs(args)).toEqual({ code: 'NTR-7K3P-9QXA', receipt: '1234567890123456' });
    },
  );

  it('never reads a receipt made of code characters as a code', () => {
    expect(parseStatusArgs('2345 6789 2345 6789')).toEqual({ receipt: '2345678923456789' });
  });
});

describe('a status check asked in words', () => {
  it.each([
    ['cek status NTR-7K3P-9QXA 1234 5678 9012 3456', 'NTR-7K3P-9QXA 1234567890123456'],
    ['NTR-7K3P-9Q23 1234 5678 9012 3456', 'NTR-7K3P-9Q23 1234567890123456'],
    ['status ntr 7k3p 9qxa, tanda terima: 1234.5678.9012.3456 ya', 'NTR-7K3P-9QXA 1234567890123456'],
    ['cek status NTR-7K3P-9QXA 1234 5678 9012 34567', 'NTR-7K3P-9QXA 12345678901234567'],
    ['cek status NTR-7K3P-9QXA', 'NTR-7K3P-9QXA'],
    ['cek status NTR-7K3P-9QXA laporan tgl 20 11 2026', 'NTR-7K3P-9QXA'],
  ])('reads %j as the arguments %j', (text, args) => {
    expect(statusRequestArgs(text)).toBe(args);
    expect(parseStatusArgs(args).code).toBe(args.slice(0, 13));
  });

  it('finds nothing without a prefixed code', () => {
    expect(statusRequestArgs('cek status 1234 5678 9012 3456')).toBeUndefined();
  });
});
