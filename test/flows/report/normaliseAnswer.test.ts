import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePointLength, matchKey, normaliseAnswer } from '../../../flows/report/normaliseAnswer.ts';

describe('normaliseAnswer', () => {
  it.each([
    ['  Budi  ', 'Budi', 'trims'],
    ['Budi   Santoso', 'Budi Santoso', 'collapses runs of spaces'],
    ['Budi\tSantoso', 'Budi Santoso', 'turns tabs into spaces'],
    ['Budi\u00A0Santoso', 'Budi Santoso', 'turns a no-break space into a space'],
    ['Budi\u3000Santoso', 'Budi Santoso', 'turns an ideographic space into a space'],
    ['Budi\nSantoso', 'Budi Santoso', 'folds a line break into a space on one line'],
    ['Bu\u200Bdi', 'Budi', 'strips a zero-width space'],
    ['Bu\u200Cdi', 'Budi', 'strips a zero-width non-joiner'],
    ['Bu\u200Ddi', 'Budi', 'strips a zero-width joiner between letters'],
    ['Bu\u2060di', 'Budi', 'strips a word joiner'],
    ['\uFEFFBudi', 'Budi', 'strips a byte-order mark'],
    ['Bu\u00ADdi', 'Budi', 'strips a soft hyphen'],
    ['Budi\u0000\u0007\u001B', 'Budi', 'removes control characters'],
    ['Budi\u0085Santoso', 'Budi Santoso', 'treats the C1 next-line as a line break'],
    ['\u202Eidub\u202C', 'idub', 'removes a right-to-left override'],
    ['\u2067Budi\u2069', 'Budi', 'removes bidi isolates'],
    ['Cafe\u0301', 'Café', 'composes to NFC'],
    ['محمد', 'محمد', 'keeps right-to-left letters'],
    ['שלום Budi', 'שלום Budi', 'keeps mixed-direction text'],
    ['Mantap 👍🏽', 'Mantap 👍🏽', 'keeps emoji with a skin tone'],
    ['Keluarga 👨‍👩‍👧', 'Keluarga 👨‍👩‍👧', 'keeps the joiner inside an emoji sequence'],
    ['Bendera 🇮🇩', 'Bendera 🇮🇩', 'keeps a flag'],
    ['<b>tebal</b> & <i>miring</i>', '<b>tebal</b> & <i>miring</i>', 'keeps tags as text'],
    ['   ', '', 'leaves nothing of spaces'],
    ['\u200B\u200B', '', 'leaves nothing of zero-width characters'],
  ])('%s (%s)', (text, expected) => {
    expect(normaliseAnswer(text)).toBe(expected);
  });

  describe('with multiline', () => {
    it.each([
      ['Baris satu\nBaris dua', 'Baris satu\nBaris dua', 'keeps a line break'],
      ['Baris satu\r\nBaris dua', 'Baris satu\nBaris dua', 'turns CRLF into a newline'],
      ['Baris satu\rBaris dua', 'Baris satu\nBaris dua', 'turns a lone CR into a newline'],
      ['Satu\u2028Dua', 'Satu\nDua', 'turns a line separator into a newline'],
      ['Satu\n\nDua', 'Satu\n\nDua', 'keeps one blank line between paragraphs'],
      ['Satu\n\n\n\n\nDua', 'Satu\n\nDua', 'collapses several blank lines into one'],
      ['Satu  \n   Dua', 'Satu\nDua', 'trims each line'],
      ['Satu\n \t \nDua', 'Satu\n\nDua', 'treats a line of spaces as blank'],
      ['\n\nSatu\n\n', 'Satu', 'trims leading and trailing lines'],
      ['a\u0000b\nc', 'ab\nc', 'still removes control characters'],
    ])('%j (%s)', (text, expected) => {
      expect(normaliseAnswer(text, { multiline: true })).toBe(expected);
    });
  });

  it('normalises a 10,000-character paste quickly', () => {
    const paste = 'Lorem ipsum \u200B dolor sit amet,\r\n '.repeat(300).slice(0, 10_000);
    const started = performance.now();
    const result = normaliseAnswer(paste, { multiline: true });
    expect(performance.now() - started).toBeLessThan(100);
    expect(result).not.toContain('\u200B');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.boolean(), (text, multiline) => {
        const once = normaliseAnswer(text, { multiline });
        expect(normaliseAnswer(once, { multiline })).toBe(once);
      }),
    );
  });

  it('never leaves control characters, invisible formatting or edge whitespace', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const result = normaliseAnswer(text, { multiline: true });
        expect(result).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200B\u202A-\u202E\u2066-\u2069\uFEFF]/u);
        expect(result).toBe(result.trim());
      }),
    );
  });
});

describe('matchKey', () => {
  it.each([
    [' Ya!! ', 'ya'],
    ['Tidak ada.', 'tidak ada'],
    ['Don’t know', 'dont know'],
    ["don't  know", 'dont know'],
    ['ＯＫ', 'ok'],
    ['¿sí?', 'sí'],
    ['-', ''],
  ])('turns %j into %j', (text, expected) => {
    expect(matchKey(text)).toBe(expected);
  });
});

describe('codePointLength', () => {
  it.each([
    ['', 0],
    ['Budi', 4],
    ['😀', 1],
    ['a😀b', 3],
    ['👍🏽', 2],
    ['\uD83D', 1],
  ])('counts %j as %i characters', (text, expected) => {
    expect(codePointLength(text)).toBe(expected);
  });

  it('agrees with spreading the string into code points', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (text) => {
        expect(codePointLength(text)).toBe([...text].length);
      }),
    );
  });
});
