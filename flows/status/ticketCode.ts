/**
 * Ticket codes (`NTR-7K3P-9QXA`) and receipts (16 digits, shown as `1234 5678 9012 3456`) as people type them.
 * The code alphabet leaves out characters that are easy to confuse when read aloud or copied by hand (0/O, 1/I/L).
 */

/** The characters of a ticket code after `NTR-`: digits 2–9 and letters without I, L and O. */
export const TICKET_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A well-formed ticket code. */
export const TICKET_CODE_PATTERN = new RegExp(`^NTR-[${TICKET_CODE_ALPHABET}]{4}-[${TICKET_CODE_ALPHABET}]{4}$`);

/** Digits in a receipt. */
export const RECEIPT_DIGITS = 16;

/** Not two groups of a certificate's code, printed in three ("MK67-YKE7-4LBB"): no group joins the code by a dash. */
const CODE_IN_TEXT = new RegExp(
  `(?:^|(?<![A-Z0-9]-)[^A-Z0-9])(NTR)?[\\s.-]*([${TICKET_CODE_ALPHABET}]{4})[\\s.-]*([${TICKET_CODE_ALPHABET}]{4})(?![A-Z0-9]|-[A-Z0-9])`,
);

/**
 * The ticket code in what someone typed: `NTR-7K3P-9QXA`, `ntr 7k3p 9qxa`, `NTR7K3P9QXA` or just `7K3P-9QXA`.
 * Undefined when there is none.
 */
export function parseTicketCode(text: string): string | undefined {
  // Sixteen digits are a receipt, never a code ("1125 4875 9787 8738" holds "4875 9787").
  if (text.length > 200 || parseReceipt(text) !== undefined) return undefined;
  const upper = text.normalize('NFKC').toUpperCase().trim();
  for (const match of upper.matchAll(CODE_IN_TEXT_ALL)) {
    const [, prefix, first, second] = match;
    // A word of eight letters the alphabet has ("tertentu") in a sentence is no code: one typed without its prefix
    // and without a digit must stand nearly alone ("kode saya ABCD EFGH").
    const words = upper.replace(match[0], ' ').split(/[^A-Z0-9]+/).filter((w) => /[A-Z]/.test(w));
    if (prefix === undefined && !/\d/.test(`${first}${second}`) && words.length > MAX_WORDS_BESIDE_BARE_CODE) continue;
    return `NTR-${first}-${second}`;
  }
  return undefined;
}

const CODE_IN_TEXT_ALL = new RegExp(CODE_IN_TEXT.source, 'g');

/** Words (digits, such as a receipt, aside) that may come with a code typed without its prefix or a digit. */
const MAX_WORDS_BESIDE_BARE_CODE = 3;

/** Words people write before a receipt ("tanda terima 1234 …", "dan no: 1234 …", "receipt number 1234 …"). */
const RECEIPT_LABEL = /^(?:\s|[,:;]|dan\b|and\b|tanda\s*terima(?:nya)?\b|no(?:mor|mer)?\b|nmr\b|receipt\b|number\b|nya\b)+/i;

/** The 16-digit receipt in what someone typed (spaces, dashes and dots ignored, a label before it too), or undefined. */
export function parseReceipt(text: string): string | undefined {
  if (text.length > 200) return undefined;
  const compact = text.normalize('NFKC').replace(RECEIPT_LABEL, '').replace(/[\s.\-–]/g, '');
  return new RegExp(`^\\d{${RECEIPT_DIGITS}}$`).test(compact) ? compact : undefined;
}

const PREFIXED_CODE = new RegExp(`NTR[\\s.-]*([${TICKET_CODE_ALPHABET}]{4})[\\s.-]*([${TICKET_CODE_ALPHABET}]{4})(?![A-Z0-9])`);

/**
 * `/status NTR-7K3P-9QXA 1234 5678 9012 3456`: the code (its `NTR` prefix required here, so that a receipt alone
 * is never read as a code) and the receipt, each if present and well formed.
 */
export function parseStatusArgs(args: string): { code?: string; receipt?: string } {
  if (args.length > 200) return {};
  const upper = args.normalize('NFKC').toUpperCase();
  const match = PREFIXED_CODE.exec(upper);
  const rest = match ? upper.replace(match[0], ' ') : upper;
  const receipt = parseReceipt(rest);
  return { ...(match ? { code: `NTR-${match[1]}-${match[2]}` } : {}), ...(receipt ? { receipt } : {}) };
}

const LEADING_CODE = new RegExp(`^\\s*${PREFIXED_CODE.source}`, 'i');
const CODE_AMONG_WORDS = new RegExp(`(?:^|[^A-Z0-9])${PREFIXED_CODE.source}`);

/**
 * The report code a text holds anywhere, with its `NTR` prefix ("cek sertifikat NTR-7K3P-9QXA", "kode saya ntr 7k3p
 * 9qxa"); undefined when there is none. The prefix is required, and must start a word: a certificate code or other
 * words of the same characters ("ABNT-R234-5678") are no report code.
 */
export function prefixedTicketCode(text: string): string | undefined {
  if (text.length > 200) return undefined;
  const match = CODE_AMONG_WORDS.exec(text.normalize('NFKC').toUpperCase());
  return match ? `NTR-${match[1]}-${match[2]}` : undefined;
}

/**
 * The ticket code a text starts with (`NTR` required: `/jawab NTR-7K3P-9QXA ada videonya`), and what follows it as
 * typed; undefined when the text does not start with one.
 */
export function leadingTicketCode(text: string): { code: string; rest: string } | undefined {
  const match = LEADING_CODE.exec(text);
  if (!match) return undefined;
  return { code: `NTR-${match[1]!.toUpperCase()}-${match[2]!.toUpperCase()}`, rest: text.slice(match[0].length).trim() };
}

/** What someone typed beside the ticket code in it (upper-cased and trimmed), or all of it when there is no code. */
export function textBesideCode(text: string): string {
  if (text.length > 200) return text;
  const upper = text.normalize('NFKC').toUpperCase();
  const match = PREFIXED_CODE.exec(upper) ?? CODE_IN_TEXT.exec(upper);
  return (match ? upper.replace(match[0], ' ') : upper).trim();
}

/** Digits run together with the spaces, dashes and dots people type between them. */
const DIGIT_RUN = /\d(?:[\s.\-–]*\d)*/g;
/** Fewer digits than this beside a code are no receipt meant ("laporan tanggal 20"); more go to the check to judge. */
const RECEIPT_MIN_DIGITS = 12;

/**
 * A request to check a report typed in words ("cek status NTR-7K3P-9QXA 1234 5678 9012 3456", "status laporan ntr
 * 7k3p 9qxa tanda terima 1234567890123456"), as `/status` takes it: the code (`NTR` required), then the digits typed
 * beside it when there are enough of them to be meant as the receipt, so that the status check looks the report up
 * at once or says what is wrong with the receipt. Undefined when the text holds no code.
 */
export function statusRequestArgs(text: string): string | undefined {
  const code = prefixedTicketCode(text);
  if (code === undefined) return undefined;
  const upper = text.normalize('NFKC').toUpperCase();
  const rest = upper.replace(CODE_AMONG_WORDS, ' ');
  const digits = (rest.match(DIGIT_RUN) ?? []).map((run) => run.replace(/\D/g, '')).sort((a, b) => b.length - a.length)[0];
  return digits !== undefined && digits.length >= RECEIPT_MIN_DIGITS ? `${code} ${digits}` : code;
}
