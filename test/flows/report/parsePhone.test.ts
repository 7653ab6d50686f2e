import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalisePhone, phoneErrorCodes, type PhoneError } from '../../../flows/report/parsePhone.ts';

describe('normalisePhone', () => {
  it.each([
    ['0812-3456-7890', '+6281234567890'],
    ['0812 3456 7890', '+6281234567890'],
    ['081234567890', '+6281234567890'],
    ['0812.3456.7890', '+6281234567890'],
    ['+62 812 3456 7890', '+6281234567890'],
    ['+62-812-3456-7890', '+6281234567890'],
    ['+6281234567890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['62 812 3456 7890', '+6281234567890'],
    ['+62 (0)812 3456 7890', '+6281234567890'],
    ['+62 0812 3456 7890', '+6281234567890'],
    ['0062 812 3456 7890', '+6281234567890'],
    ['812 3456 7890', '+6281234567890'],
    ['tel:+62-812-3456-7890', '+6281234567890'],
    ['  0812 3456 7890  ', '+6281234567890'],
    ['＋６２８１２３４５６７８９０', '+6281234567890'],
    ['wa aja 0812 3456 7890', '+6281234567890'],
    ['no wa 0857-1234-5678', '+6285712345678'],
    ['No. HP: +62 812-3456-7890', '+6281234567890'],
    ['nomor saya 081234567890', '+6281234567890'],
    ['my number is 0812 3456 7890', '+6281234567890'],
    ['0857-2233-4455 (wa)', '+6285722334455'],
    ['0812 3456 7890 wa aja kak', '+6281234567890'],
    ['0811 123 456', '+62811123456'],
    ['0813 1234 5678 9', '+62813123456789'],
    ['0857-1234-5678', '+6285712345678'],
    ['0877 1234 5678', '+6287712345678'],
    ['0881 1234 5678', '+6288112345678'],
    ['0896 1234 5678', '+6289612345678'],
    ['(021) 1234567', '+62211234567'],
    ['(021) 12345678', '+622112345678'],
    ['021-1234-5678', '+622112345678'],
    ['+62 21 1234 5678', '+622112345678'],
    ['0274 512345', '+62274512345'],
    ['(0361) 234567', '+62361234567'],
    ['0967 12345', '+6296712345'],
  ])('turns %j into %s', (text, expected) => {
    expect(normalisePhone(text)).toEqual({ ok: true, value: expected });
  });

  const refused: [string, PhoneError, string][] = [
    ['', 'empty', 'nothing'],
    ['  - ', 'empty', 'only separators'],
    ['abc', 'unrecognised', 'letters'],
    ['0812 3456 7890 rumah', 'unrecognised', 'a number with words that do not say what it is'],
    ['0812-3456-789x', 'unrecognised', 'a letter among the digits'],
    ['+62 812+3456', 'unrecognised', 'a plus inside'],
    ['1234567', 'unrecognised', 'a local number without area code'],
    ['60 12 345 6789', 'unrecognised', 'a Malaysian number without its +'],
    ['+99 123 4567', 'unknownCountry', 'a country code no country has'],
    ['+800 1234 5678', 'unknownCountry', 'an international freephone number'],
    ['+60 12 345', 'foreignInvalid', 'a Malaysian number missing digits'],
    ['+852 1234 5678', 'foreignInvalid', 'a Hong Kong number starting with 1'],
    ['+966 50 123 4567 89', 'foreignInvalid', 'a Saudi number with extra digits'],
    ['+1 055 555 1234', 'foreignInvalid', 'a North American number with an area code starting with 0'],
    ['+670', 'foreignInvalid', 'a country code alone'],
    ['+60 12 345 678', 'foreignInvalid', 'a Malaysian mobile number one digit short'],
    ['+60 3-1234 5678', 'foreignInvalid', 'a Kuala Lumpur number in a range not in use'],
    ['+44 7700 900123', 'foreignInvalid', 'a British number from the range kept for films and plays'],
    ['+55 11 1234', 'foreignInvalid', 'a Brazilian number missing digits'],
    ['+234 803 123', 'foreignInvalid', 'a Nigerian number missing digits'],
    ['+379 1234 5678', 'unknownCountry', 'a country code assigned to no network (the Vatican is reached through +39)'],
    ['0800 123 4567', 'invalidPrefix', 'a toll-free number'],
    ['0840 1234 5678', 'invalidPrefix', 'an unused mobile range'],
    ['0112 3456 7890', 'invalidPrefix', 'a national number starting with 1'],
    ['+62', 'tooShort', 'the country code alone'],
    ['0812', 'tooShort', 'four digits'],
    ['0812 345 67', 'tooShort', 'a mobile number missing digits'],
    ['021 12345', 'tooShort', 'a Jakarta line missing digits'],
    ['0812 3456 7890 1234', 'tooLong', 'two numbers run together'],
    ['021 1234 5678 90', 'tooLong', 'a landline with extra digits'],
    ['0'.repeat(200), 'tooLong', 'a paste of 200 characters'],
  ];

  it.each(refused)('refuses %j with %s (%s)', (text, error) => {
    expect(normalisePhone(text)).toMatchObject({ ok: false, error });
  });

  it('produces every phone error code for some input', () => {
    expect([...new Set(refused.map(([, error]) => error))].sort()).toEqual([...phoneErrorCodes].sort());
  });

  it.each([
    ['+60 12-345 6789', '+60123456789', 'Malaysia, mobile'],
    ['+60 3-2123 4567', '+60321234567', 'Malaysia, Kuala Lumpur'],
    ['+60 012 345 6789', '+60123456789', 'Malaysia, with the trunk 0 kept'],
    ['+966 50 123 4567', '+966501234567', 'Saudi Arabia'],
    ['+852 9123 4567', '+85291234567', 'Hong Kong'],
    ['00852 9123 4567', '+85291234567', 'Hong Kong dialled with 00'],
    ['+886 912 345 678', '+886912345678', 'Taiwan'],
    ['+886 0912-345-678', '+886912345678', 'Taiwan, with the trunk 0 kept'],
    ['0065 6123 4567', '+6561234567', 'Singapore dialled with 00'],
    ['+81 90-1234-5678', '+819012345678', 'Japan'],
    ['+82 10-1234-5678', '+821012345678', 'South Korea'],
    ['+971 50 123 4567', '+971501234567', 'the Emirates'],
    ['+974 3312 3456', '+97433123456', 'Qatar'],
    ['+673 712 3456', '+6737123456', 'Brunei'],
    ['+20 10 1234 5678', '+201012345678', 'Egypt'],
    ['+44 (0)7400 123456', '+447400123456', 'the United Kingdom, with the trunk 0 in brackets'],
    ['+1 415 555 1234', '+14155551234', 'the United States'],
    ['+39 06 1234 5678', '+390612345678', 'Italy, whose numbers keep their 0'],
    ['+41 (0)79 123 45 67', '+41791234567', 'a country checked by E.164 alone'],
    ['no wa +60 12-345 6789', '+60123456789', 'with words before it'],
    ['+234 0803 123 4567', '+2348031234567', 'Nigeria, with the trunk 0 kept'],
    ['+55 (011) 91234-5678', '+5511912345678', 'Brazil, with the trunk 0 of a long-distance call'],
  ])('turns %j into %s (%s)', (text, expected) => {
    expect(normalisePhone(text)).toEqual({ ok: true, value: expected });
  });

  it('reads a shared contact\'s digits as a number with its country code, Indonesian or not', () => {
    expect(normalisePhone('60123456789', { international: true })).toEqual({ ok: true, value: '+60123456789' });
    expect(normalisePhone('6281234567890', { international: true })).toEqual({ ok: true, value: '+6281234567890' });
    expect(normalisePhone('+85291234567', { international: true })).toEqual({ ok: true, value: '+85291234567' });
    expect(normalisePhone('081234567890', { international: true })).toEqual({ ok: true, value: '+6281234567890' });
  });

  it('names the country code of a number abroad it refuses, and says when it is too short or too long for that country', () => {
    expect(normalisePhone('+60 12 345')).toEqual({ ok: false, error: 'foreignInvalid', params: { code: '+60', reason: 'tooShort' } });
    expect(normalisePhone('+966 50 123 4567 89')).toEqual({ ok: false, error: 'foreignInvalid', params: { code: '+966', reason: 'tooLong' } });
    expect(normalisePhone('+670')).toEqual({ ok: false, error: 'foreignInvalid', params: { code: '+670', reason: 'tooShort' } });
    // A length the country uses, with digits it does not: no length to point at.
    expect(normalisePhone('+852 1234 5678')).toEqual({ ok: false, error: 'foreignInvalid', params: { code: '+852' } });
  });

  it('suggests the + for a number abroad written with its country code but without it, and nothing for an Indonesian-looking one', () => {
    expect(normalisePhone('60 12 345 6789')).toEqual({ ok: false, error: 'unrecognised', params: { suggestion: '+60 12 345 6789' } });
    expect(normalisePhone('966 50 123 4567')).toEqual({ ok: false, error: 'unrecognised', params: { suggestion: '+966 50 123 4567' } });
    // Digits that make no number abroad either get the plain answer.
    expect(normalisePhone('1234567')).toEqual({ ok: false, error: 'unrecognised' });
    expect(normalisePhone('60 12')).toEqual({ ok: false, error: 'unrecognised' });
  });

  it('gives the same result for a number abroad it already normalised', () => {
    for (const text of ['+60 12-345 6789', '+966 50 123 4567', '+852 9123 4567', '+886 912 345 678', '+44 7400 123456', '+55 11 91234 5678', '+234 803 123 4567']) {
      const first = normalisePhone(text);
      expect(first.ok).toBe(true);
      if (first.ok) expect(normalisePhone(first.value)).toEqual(first);
    }
  });

  it('tells the allowed digit counts, with the leading 0, for a short mobile number', () => {
    expect(normalisePhone('0812 345')).toEqual({ ok: false, error: 'tooShort', params: { min: 10, max: 13 } });
  });

  it('tells the allowed digit counts, with the leading 0, for a long landline number', () => {
    expect(normalisePhone('021 1234 5678 90')).toEqual({ ok: false, error: 'tooLong', params: { min: 9, max: 12 } });
  });

  it('still tells the mobile digit counts for a paste too long to be any number, and for a bare +62', () => {
    expect(normalisePhone('0'.repeat(200))).toEqual({ ok: false, error: 'tooLong', params: { min: 10, max: 13 } });
    expect(normalisePhone('+62')).toEqual({ ok: false, error: 'tooShort', params: { min: 10, max: 13 } });
  });

  it('gives the same result for a number it already normalised', () => {
    fc.assert(
      fc.property(fc.constantFrom('811', '812', '821', '838', '852', '878', '881', '896'), fc.stringMatching(/^\d{7,9}$/), (prefix, rest) => {
        const first = normalisePhone(`0${prefix}${rest}`);
        expect(first.ok).toBe(true);
        if (first.ok) expect(normalisePhone(first.value)).toEqual(first);
      }),
    );
  });
});
