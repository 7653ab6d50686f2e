import { describe, expect, it } from 'vitest';
import { emailErrorCodes, parseEmail, suggestEmailDomain, type EmailError } from '../../../flows/report/parseEmail.ts';

describe('parseEmail', () => {
  it.each([
    ['budi@mail.com', 'budi@mail.com'],
    ['budi.santoso@kemendagri.go.id', 'budi.santoso@kemendagri.go.id'],
    ['siti+bawaslu@gmail.com', 'siti+bawaslu@gmail.com'],
    ['  budi@mail.com  ', 'budi@mail.com'],
    ['budi@mail.com.', 'budi@mail.com'],
    ['Budi.Santoso@GMAIL.COM', 'Budi.Santoso@gmail.com'],
    ['<budi@mail.com>', 'budi@mail.com'],
    ['mailto:budi@mail.com', 'budi@mail.com'],
    ['budi\u200B@mail.com', 'budi@mail.com'],
    ['email saya rina_m@yahoo.co.id', 'rina_m@yahoo.co.id'],
    ['E-mail: budi@mail.com', 'budi@mail.com'],
    ['my email is budi@mail.com', 'budi@mail.com'],
    // Words of a label that are the address itself stay.
    ['saya@mail.com', 'saya@mail.com'],
    ['saya.nama@mail.com', 'saya.nama@mail.com'],
    ['saya-budi@gmail.com', 'saya-budi@gmail.com'],
    ['my-mail@gmail.com', 'my-mail@gmail.com'],
  ])('accepts %j as %s', (text, expected) => {
    expect(parseEmail(text)).toEqual({ ok: true, value: expected });
  });

  const refused: [string, EmailError, string][] = [
    ['', 'empty', 'nothing'],
    ['   ', 'empty', 'only spaces'],
    ['budi', 'invalidEmail', 'no @'],
    ['budi@mail', 'invalidEmail', 'no top-level domain'],
    ['budi at mail dot com', 'invalidEmail', 'spelled out'],
    ['budi @mail.com', 'invalidEmail', 'a space inside'],
    ['budi@@mail.com', 'invalidEmail', 'two @'],
    ['budi..s@mail.com', 'invalidEmail', 'two dots in a row'],
    ['budi@mail.com, siti@mail.com', 'invalidEmail', 'two addresses'],
    ['tidak ada', 'invalidEmail', 'a skip word, which the flow handles before calling'],
    [`${'a'.repeat(250)}@mail.com`, 'invalidEmail', 'longer than 254 characters'],
    ['x'.repeat(5000), 'invalidEmail', 'a long paste'],
  ];

  it.each(refused)('refuses %j with %s (%s)', (text, error) => {
    expect(parseEmail(text)).toEqual({ ok: false, error });
  });

  it('produces every e-mail error code for some input', () => {
    expect([...new Set(refused.map(([, error]) => error))].sort()).toEqual([...emailErrorCodes].sort());
  });
});

describe('suggestEmailDomain', () => {
  it.each([
    ['budi@gmial.com', 'gmail.com'],
    ['budi@gamil.com', 'gmail.com'],
    ['budi@gmail.con', 'gmail.com'],
    ['budi@gmail.co.id', 'gmail.com'],
    ['budi@yaho.co.id', 'yahoo.co.id'],
    ['budi@hotmial.com', 'hotmail.com'],
    ['budi@outlok.com', 'outlook.com'],
  ])('suggests a common mail service for %s: %s', (address, domain) => {
    expect(suggestEmailDomain(address)).toBe(domain);
  });

  it.each(['budi@gmail.com', 'budi@yahoo.co.id', 'budi@ymail.com', 'budi@kemendagri.go.id', 'budi@ui.ac.id', 'budi@ugm.ac.id', 'budi@smkn1.sch.id', 'budi@example.com', 'budi@mail.com', 'budi@gmx.de', 'budi@yahoo.com.my', 'budi@ox.ac.uk'])(
    'leaves %s alone: a common service spelt right, or an institution of its own',
    (address) => {
      expect(suggestEmailDomain(address)).toBeUndefined();
    },
  );
});
