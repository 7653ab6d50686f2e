/**
 * Text clean-up shared by every free-text answer of the report flow. Pure and linear-time: a 10,000-character
 * paste costs a few regex passes, and the validators refuse far larger input before even doing those.
 */

/**
 * Invisible characters that only ever hide or disguise text: soft hyphen, zero-width space/non-joiner,
 * word joiner and invisible operators, byte-order mark, Mongolian vowel separator, and the bidi marks,
 * embeddings, overrides and isolates (an override can make a name or description display reversed to the
 * officer who reads it). A zero-width joiner is kept only where it glues an emoji sequence (👨‍👩‍👧).
 * RTL letters themselves are ordinary text and stay.
 */
const INVISIBLE = /[\u00AD\u180E\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|\u200D(?!\p{Extended_Pictographic})/gu;
/** C0/C1 control characters except the newline, which is dealt with separately. */
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/gu;
const HORIZONTAL_CONTROL = /[\t\v\f]/g;

/** Options of {@link normaliseAnswer}. */
export interface NormaliseOptions {
  /** Keep line breaks (for descriptions and chronologies); single-line answers fold them into spaces. */
  multiline?: boolean;
}

/**
 * NFC-normalises, removes control and invisible characters, collapses runs of whitespace and trims.
 * With `multiline`, line breaks survive (at most one blank line in a row); otherwise they become spaces.
 * Markup such as `<b>` is left as typed: escaping is the renderer's job, and a reporter may quote it.
 */
export function normaliseAnswer(text: string, options: NormaliseOptions = {}): string {
  const cleaned = text
    .normalize('NFC')
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(INVISIBLE, '')
    .replace(HORIZONTAL_CONTROL, ' ')
    .replace(CONTROL_EXCEPT_NEWLINE, '');
  if (!options.multiline) return cleaned.replace(/\s+/gu, ' ').trim();
  return cleaned
    .split('\n')
    .map((line) => line.replace(/\s+/gu, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * A lower-case key for comparing a short answer with keywords: NFKC (so full-width digits and letters
 * match), invisible characters removed, apostrophes dropped (`don't` = `dont`), whitespace collapsed,
 * and punctuation stripped from both ends (`Ya!` = `ya`).
 */
export function matchKey(text: string): string {
  return normaliseAnswer(text.normalize('NFKC'))
    .toLowerCase()
    .replace(/['’‘`´]/g, '')
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

/** Length in Unicode code points, which is what a person counts for letters, digits and most emoji. */
export function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is a single code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    length++;
  }
  return length;
}
