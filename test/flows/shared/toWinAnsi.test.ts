import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toWinAnsi } from '../../../flows/shared/toWinAnsi.ts';

const WIN_ANSI_EXTRAS = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const isDrawable = (char: string): boolean => {
  const code = char.codePointAt(0) ?? 0;
  return (
    code === 0x0a ||
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xff && code !== 0xad) ||
    WIN_ANSI_EXTRAS.includes(char)
  );
};

describe('toWinAnsi', () => {
  it('keeps Indonesian text and WinAnsi punctuation unchanged', () => {
    const text = 'Bupati menghadiri “deklarasi” — biaya Rp 1.000.000 (± 5 €), café, Ñ, ß\nbaris kedua';
    expect(toWinAnsi(text)).toBe(text);
  });

  it('drops accents that WinAnsi cannot show but keeps the letter', () => {
    expect(toWinAnsi('Pāṇini ő ş')).toBe('Panini o s');
  });

  it('draws letters with a stroke as their plain letter', () => {
    expect(toWinAnsi('Łukasz Đặng Ħal ıd')).toBe('Lukasz Dang Hal id');
  });

  it('turns each unsupported visible character into one question mark', () => {
    expect(toWinAnsi('a😀b')).toBe('a?b');
    expect(toWinAnsi('family 👨‍👩‍👧 flag 🇮🇩')).toBe('family ? flag ?');
    expect(toWinAnsi('مرحبا')).toBe('?????');
    expect(toWinAnsi('ꦧꦱ')).toBe('??');
  });

  it('removes invisible bidi, zero-width and control characters and normalises spacing', () => {
    expect(toWinAnsi('\u202Eabc\u202C\u200B\u200Fd\u0000e\u00AD')).toBe('abcde');
    expect(toWinAnsi('a\tb\r\nc\rd\u2028e')).toBe('a b\nc\nd\ne');
    expect(toWinAnsi('a\u200Db\u200Cc')).toBe('abc');
  });

  it('leaves markup as literal text', () => {
    expect(toWinAnsi('<b>tebal</b> & <i>x</i>')).toBe('<b>tebal</b> & <i>x</i>');
  });

  it('gives text of drawable Latin-1 characters back as it is, alone or beside a character it must replace', () => {
    // Such text takes a shortcut past segmentation; with an emoji after it, it goes the whole way.
    const latin1 = [...Array.from({ length: 0x5f }, (_, i) => 0x20 + i), 0x0a, ...Array.from({ length: 0x60 }, (_, i) => 0xa0 + i)]
      .filter((code) => code !== 0xad)
      .map((code) => String.fromCharCode(code));
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...latin1) }), (text) => {
        expect(toWinAnsi(text)).toBe(text);
        expect(toWinAnsi(`${text}😀`)).toBe(`${text}?`);
      }),
    );
  });

  it('returns only characters the standard fonts can draw, for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (input) => {
        expect([...toWinAnsi(input)].every(isDrawable)).toBe(true);
      }),
    );
  });
});
