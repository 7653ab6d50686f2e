import { describe, expect, it } from 'vitest';
import {
  nameErrorCodes,
  textErrorCodes,
  textLimits,
  validateAddress,
  validateDescription,
  validateName,
  validateShortText,
  type NameError,
  type TextError,
} from '../../../flows/report/validateText.ts';

const sentence = 'Camat Budi hadir di kampanye paslon nomor 2 dan memakai atribut partai.';

describe('validateDescription', () => {
  it('accepts a description and returns it normalised', () => {
    expect(validateDescription(`  ${sentence}\r\n\r\n\r\nSaya melihatnya langsung.  `)).toEqual({
      ok: true,
      value: `${sentence}\n\nSaya melihatnya langsung.`,
    });
  });

  it('accepts exactly 30 characters', () => {
    const text = 'a'.repeat(30);
    expect(validateDescription(text)).toEqual({ ok: true, value: text });
  });

  it('accepts exactly 4000 characters', () => {
    const text = 'a'.repeat(4000);
    expect(validateDescription(text)).toEqual({ ok: true, value: text });
  });

  it('refuses 29 characters as too short and says how many there are', () => {
    expect(validateDescription('a'.repeat(29))).toEqual({ ok: false, error: 'tooShort', params: { length: 29, min: 30 } });
  });

  it('counts characters after normalisation, so padding does not make a description long enough', () => {
    expect(validateDescription(`Ada ASN   \u200B\u200B\u200B   kampanye ${' '.repeat(40)}`)).toEqual({
      ok: false,
      error: 'tooShort',
      params: { length: 16, min: 30 },
    });
  });

  it('counts an emoji as one character', () => {
    expect(validateDescription(`${'a'.repeat(28)}😀`)).toMatchObject({ error: 'tooShort', params: { length: 29 } });
  });

  it('refuses 4001 characters as too long', () => {
    expect(validateDescription('a'.repeat(4001))).toEqual({ ok: false, error: 'tooLong', params: { length: 4001, max: 4000 } });
  });

  it('refuses a 10,000-character paste as too long without normalising it', () => {
    expect(validateDescription('a'.repeat(10_000))).toEqual({ ok: false, error: 'tooLong', params: { length: 10_000, max: 4000 } });
  });

  it('refuses a 10-million-character paste in no time', () => {
    const paste = 'a '.repeat(5_000_000);
    const started = performance.now();
    expect(validateDescription(paste)).toMatchObject({ ok: false, error: 'tooLong' });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('keeps tags, emoji and right-to-left text as typed', () => {
    const text = '<b>Penting</b>: ASN membagikan brosur 🗳️ bertuliskan محمد di kantor kecamatan.';
    expect(validateDescription(text)).toEqual({ ok: true, value: text });
  });

  const refused: [string, TextError][] = [
    ['', 'empty'],
    [' \n\u200B ', 'empty'],
    ['pendek', 'tooShort'],
    ['a'.repeat(4001), 'tooLong'],
    ['.'.repeat(40), 'noLetters'],
    ['1234567890 1234567890 1234567890', 'noLetters'],
    ['😡'.repeat(35), 'noLetters'],
  ];

  it.each(refused)('refuses %j with %s', (text, error) => {
    expect(validateDescription(text)).toMatchObject({ ok: false, error });
  });

  it('produces every text error code for some input', () => {
    expect([...new Set(refused.map(([, error]) => error))].sort()).toEqual([...textErrorCodes].sort());
  });
});

describe('validateName', () => {
  it.each([
    ['Budi', 'Budi'],
    ['  Budi   Santoso ', 'Budi Santoso'],
    ['Dr. H. Budi Santoso, S.H., M.Si.', 'Dr. H. Budi Santoso, S.H., M.Si.'],
    ["Ni Made Ayu D'Souza", "Ni Made Ayu D'Souza"],
    ['Bu', 'Bu'],
    ['محمد علي', 'محمد علي'],
    ['<b>Budi</b>', '<b>Budi</b>'],
    ['Budi 😊', 'Budi 😊'],
    ['Tidak Tahu Santoso', 'Tidak Tahu Santoso'],
    // What is said before a name is not part of it.
    ['nama saya Rina Marlina', 'Rina Marlina'],
    ['Nama lengkap saya: Rina Marlina', 'Rina Marlina'],
    ['namanya Budi', 'Budi'],
    ['my name is Rina', 'Rina'],
    ['Dr. H. Muhammad Budi Santoso, S.H., M.H.', 'Dr. H. Muhammad Budi Santoso, S.H., M.H.'],
    ['Drs. I Gusti Ngurah Made Agung Putra Wijaya, M.Si.', 'Drs. I Gusti Ngurah Made Agung Putra Wijaya, M.Si.'],
  ])('accepts %j as the name %j', (text, name) => {
    expect(validateName(text, { allowUnknown: false })).toEqual({ ok: true, value: { kind: 'known', name } });
  });

  it.each(['tidak tahu', 'Tidak tahu.', 'tdk tahu', 'ga tau', 'gak tahu', 'nggak tau', 'gatau', 'unknown', "don't know", 'tidak tahu namanya', 'no idea', "the village head of Sukamaju, I don't know his name"])(
    'reads %j as an unknown name where that is allowed',
    (text) => {
      expect(validateName(text, { allowUnknown: true })).toEqual({ ok: true, value: { kind: 'unknown' } });
    },
  );

  it('refuses "tidak tahu" where a name is required', () => {
    expect(validateName('tidak tahu', { allowUnknown: false })).toEqual({ ok: false, error: 'unknownNotAllowed' });
  });

  it('reads what follows a correction\'s opening word ("maaf, tidak tahu", "bukan, Budi Santoso"), and keeps names that begin alike', () => {
    for (const text of ['Maaf, tidak tahu', 'sorry, unknown', "No, I don't know"]) {
      expect(validateName(text, { allowUnknown: false }), text).toEqual({ ok: false, error: 'unknownNotAllowed' });
    }
    expect(validateName('bukan, Budi Santoso', { allowUnknown: false })).toEqual({ ok: true, value: { kind: 'known', name: 'Budi Santoso' } });
    for (const name of ['Salah-Eddine', 'Bukan-bukan']) {
      expect(validateName(name, { allowUnknown: false }), name).toEqual({ ok: true, value: { kind: 'known', name } });
    }
  });

  it('accepts exactly 100 characters and refuses 101', () => {
    expect(validateName('a'.repeat(100), { allowUnknown: false })).toMatchObject({ ok: true });
    expect(validateName('a'.repeat(101), { allowUnknown: false })).toEqual({
      ok: false,
      error: 'tooLong',
      params: { length: 101, max: 100 },
    });
  });

  const refused: [string, NameError][] = [
    ['', 'empty'],
    ['\u200B', 'empty'],
    ['B', 'tooShort'],
    ['a'.repeat(101), 'tooLong'],
    ['a'.repeat(10_000), 'tooLong'],
    ['123', 'noLetters'],
    // A single digit or sign wants letters, not more of itself ("too short" told it to type two).
    ['2', 'noLetters'],
    ['.', 'noLetters'],
    ['😀😀', 'noLetters'],
    ['--', 'noLetters'],
    ['tidak tahu', 'unknownNotAllowed'],
    ['halo', 'notAName'],
    ['Assalamualaikum', 'notAName'],
    ['selamat pagi', 'notAName'],
    ['pak kades Darto foto sama baliho caleg no 3 kmrn kak di balai desa', 'notAName'],
    ['Nama saya', 'notAName'],
    ['saya tidak tahu namanya', 'unknownNotAllowed'],
    // A question or laughter is no one's name; "who knows" is not knowing it.
    ['kenapa harus nama sy? takut nanti ketauan', 'notAName'],
    ['hah gmn maksudnya?', 'notAName'],
    ['wkwkwk', 'notAName'],
    ['hahaha', 'notAName'],
    ['tau tuh', 'unknownNotAllowed'],
    ['entahlah', 'unknownNotAllowed'],
  ];

  it('still takes a name given unsure, with a question mark', () => {
    expect(validateName('Pak Budi?', { allowUnknown: false })).toMatchObject({ ok: true });
  });

  it.each(refused)('refuses %j with %s where a name is required', (text, error) => {
    expect(validateName(text, { allowUnknown: false })).toMatchObject({ ok: false, error });
  });

  it('produces every name error code for some input', () => {
    expect([...new Set(refused.map(([, error]) => error))].sort()).toEqual([...nameErrorCodes].sort());
  });
});

describe('validateShortText', () => {
  it('accepts a position within the limit, normalised', () => {
    expect(validateShortText('  Kepala   Dinas Pendidikan ', 100)).toEqual({ ok: true, value: 'Kepala Dinas Pendidikan' });
  });

  it('folds line breaks into spaces', () => {
    expect(validateShortText('Dinas\nPendidikan', 100)).toEqual({ ok: true, value: 'Dinas Pendidikan' });
  });

  it('refuses a text over the given maximum', () => {
    expect(validateShortText('a'.repeat(51), 50)).toEqual({ ok: false, error: 'tooLong', params: { length: 51, max: 50 } });
  });

  it('uses a minimum of 2 by default and honours a given minimum', () => {
    expect(validateShortText('a', 50)).toEqual({ ok: false, error: 'tooShort', params: { length: 1, min: textLimits.shortText.min } });
    expect(validateShortText('abcd', 50, 5)).toEqual({ ok: false, error: 'tooShort', params: { length: 4, min: 5 } });
  });

  it('refuses a text without letters', () => {
    expect(validateShortText('12345', 50)).toEqual({ ok: false, error: 'noLetters' });
  });
});

describe('validateAddress', () => {
  it.each([
    'Jl. Merdeka No. 1, Gambir, Jakarta Pusat',
    'Kantor Camat Cibinong',
    'RT 01/RW 02 Desa Sukamaju',
  ])('accepts %j', (text) => {
    expect(validateAddress(text)).toEqual({ ok: true, value: text });
  });

  it('accepts exactly 10 characters and refuses 9', () => {
    expect(validateAddress('Jl. Mawar')).toEqual({ ok: false, error: 'tooShort', params: { length: 9, min: 10 } });
    expect(validateAddress('Jl. Mawar1')).toEqual({ ok: true, value: 'Jl. Mawar1' });
  });

  it('accepts exactly 300 characters and refuses 301', () => {
    expect(validateAddress('a'.repeat(300))).toMatchObject({ ok: true });
    expect(validateAddress('a'.repeat(301))).toEqual({ ok: false, error: 'tooLong', params: { length: 301, max: 300 } });
  });
});
