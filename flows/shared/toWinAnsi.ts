/**
 * Text sanitizing for pdfkit's built-in (standard 14) fonts.
 *
 * Netra's PDFs use Helvetica and Courier as built in to every PDF reader, so rendering needs no font file at run
 * time (servers and CI machines often have none under /usr/share/fonts). Those fonts are encoded in WinAnsi
 * (Windows-1252): pdfkit silently writes garbage glyphs for anything else. User text may hold any Unicode
 * (emoji, Arabic, Javanese script), so every string goes through `toWinAnsi` before it reaches the page:
 * characters WinAnsi can show stay, accented letters outside it lose their accents ("ā" -> "a"), and whatever is
 * left becomes one "?" per visible character. Indonesian in Latin script, the form's language, survives intact.
 */

/** The non-Latin-1 characters of Windows-1252 (its 0x80-0x9F block), which the standard fonts can draw. */
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Look-alikes that NFKD does not fold but readers expect to see as their plain counterparts. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2212': '-',
  '\u2032': "'",
  '\u2033': '"',
  '\u02BC': "'",
  '\u2028': '\n',
  '\u2029': '\n',
  // Latin letters with a stroke, which NFKD leaves whole (Łukasz, Đặng).
  'Ł': 'L',
  'ł': 'l',
  'Đ': 'D',
  'đ': 'd',
  'Ħ': 'H',
  'ħ': 'h',
  'ı': 'i',
};

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/**
 * Text every character of which the fonts draw as it is and which no rule below changes (line feeds, printable
 * ASCII, Latin-1 but the soft hyphen): nearly all of a form's text, returned without the costly segmentation.
 */
const ALREADY_WIN_ANSI = /^[\n\x20-\x7E\xA0-\xAC\xAE-\xFF]*$/;

function isDrawable(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  if (code === 0x0a) return true;
  if (code >= 0x20 && code <= 0x7e) return true;
  if (code >= 0xa0 && code <= 0xff) return code !== 0xad;
  return WIN_ANSI_EXTRAS.has(char);
}

function allDrawable(text: string): boolean {
  for (const char of text) if (!isDrawable(char)) return false;
  return true;
}

/**
 * Returns `text` reduced to characters the PDF standard fonts can draw. Line breaks are kept (CR LF becomes LF),
 * tabs and exotic spaces become spaces, invisible formatting (zero-width and bidi controls, soft hyphens) is
 * dropped, and each other unsupported visible character (a grapheme, so a family emoji counts once) becomes "?".
 */
export function toWinAnsi(text: string): string {
  if (ALREADY_WIN_ANSI.test(text)) return text;
  const cleaned = text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[\t\v\f\u1680\u2000-\u200A\u202F\u205F\u3000]/g, ' ')
    // Zero-width space, bidi marks, embeddings, overrides and isolates, BOM, soft hyphen, other controls. The
    // zero-width (non-)joiners stay until after segmentation: they glue emoji sequences into one grapheme.
    .replace(/[\u200B\u200E\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u00AD\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g, '')
    .replace(/[\u2010-\u2012\u2212\u2032\u2033\u02BC\u2028\u2029ŁłĐđĦħı]/g, (char) => LOOK_ALIKES[char] ?? char);
  let out = '';
  for (const { segment } of graphemes.segment(cleaned)) {
    if (allDrawable(segment)) {
      out += segment;
      continue;
    }
    const folded = segment.normalize('NFKD').replace(/[\p{M}\p{Cf}]/gu, '');
    out += folded.length > 0 && allDrawable(folded) ? folded : '?';
  }
  return out;
}
