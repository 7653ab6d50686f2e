/**
 * Phone numbers as people type them, normalised to E.164 (`+6281234567890`, `+60123456789`) so one person's number
 * always compares equal however it was written: Indonesian numbers in every usual form, and numbers abroad (where
 * Indonesian migrant workers and students vote and report from) written with `+` or `00` and their country code.
 */
import { fail, ok, type ParseResult } from './parseResult.ts';

export const phoneErrorCodes = ['empty', 'unrecognised', 'invalidPrefix', 'tooShort', 'tooLong', 'unknownCountry', 'foreignInvalid'] as const;
/** Why a phone number was refused. */
export type PhoneError = (typeof phoneErrorCodes)[number];

/**
 * National significant number (after +62 or the trunk 0) lengths. Mobile numbers are 08xx plus 6–9 digits
 * (10–13 digits with the 0); landlines are a 2–3 digit area code (021, 0274) plus a 5–8 digit subscriber.
 */
const MOBILE = { min: 9, max: 12 } as const;
const LANDLINE = { min: 8, max: 11 } as const;
/** Mobile ranges in use: 081x–083x, 085x, 087x–089x. 080x are toll-free/premium service numbers, not people. */
const MOBILE_PREFIX = /^8[1235789]/;
/** Geographic area codes start 02–07 or 09 (0xx after the trunk prefix). */
const LANDLINE_PREFIX = /^[2-79]/;

/** Words people put before the number (`no WA: 0812…`, `hp saya 0812…`, `wa aja 0812…`), read past. */
const PHONE_LABEL =
  /^(?:(?:no|nmr|nomor|nomer|number|hp|handphone|ponsel|telp|telpon|telepon|tlp|wa|whatsapp|kontak|contact|phone|mobile|saya|aku|ku|nya|aja|saja|di|ke|my|is|it|s)\b[\s.:=-]*)+(?=[+(\d])/i;

/**
 * Accepts `0812-3456-7890`, `0812 3456 7890`, `+62 812 3456 7890`, `62812…`, `+62 (0)812…`, `0062 812…`,
 * `812…` (the 0 left off, as in forms that show +62), `(021) 1234567`, `tel:` links, and words before the number
 * (`no WA: 0812…`); and a number abroad with its country code (`+60 12-345 6789`, `+966 50 123 4567`, `00852 9123
 * 4567`, `+44 (0)7700 900123`; see {@link checkForeign}). Returns E.164. `params` on `tooShort`/`tooLong` always give
 * the allowed digit counts of an Indonesian number as typed with the leading 0 (those of a mobile number when the kind
 * of number cannot be told); on `foreignInvalid`, the country code read (`code: '+60'`).
 * `international`: digits without `+` are a number with its country code, as a shared contact gives it (`60123456789`).
 */
export function normalisePhone(text: string, options: { international?: boolean } = {}): ParseResult<string, PhoneError> {
  // A paste this long is no phone number; give the mobile limits, which is what people mean to send.
  if (text.length > 100) return fail('tooLong', mobileLimits());
  const cleaned = text.normalize('NFKC').trim().replace(PHONE_LABEL, '').replace(/^tel:/i, '');
  // "+44 (0)20 …": a trunk 0 in brackets is never dialled from abroad.
  const trunkInBrackets = /^\+?\d+[\s\u00A0.-]*\(0\)/.test(cleaned);
  const compact = (trunkInBrackets ? cleaned.replace('(0)', '') : cleaned).replace(/[\s\u00A0().\-/]/g, '');
  if (compact === '') return fail('empty');
  if (!/^\+?\d+$/.test(compact)) return fail('unrecognised');

  let national: string;
  const international = compact.startsWith('+') || compact.startsWith('00') || (options.international === true && !compact.startsWith('0'));
  if (international) {
    const digits = compact.replace(/^(?:\+|00)/, '');
    if (!digits.startsWith('62')) return checkForeign(digits);
    // "+62 (0)812…" and "+62 0812…" carry a trunk 0 that E.164 leaves out.
    national = digits.slice(2).replace(/^0/, '');
  } else if (compact.startsWith('62')) {
    national = compact.slice(2).replace(/^0/, '');
  } else if (compact.startsWith('0')) {
    national = compact.slice(1);
  } else if (compact.startsWith('8')) {
    national = compact;
  } else {
    return fail('unrecognised');
  }

  const rule = MOBILE_PREFIX.test(national) ? MOBILE : LANDLINE_PREFIX.test(national) ? LANDLINE : undefined;
  if (rule === undefined) return national === '' ? fail('tooShort', mobileLimits()) : fail('invalidPrefix');
  const limits = { min: rule.min + 1, max: rule.max + 1 };
  if (national.length < rule.min) return fail('tooShort', limits);
  if (national.length > rule.max) return fail('tooLong', limits);
  return ok(`+62${national}`);
}

function mobileLimits(): { min: number; max: number } {
  return { min: MOBILE.min + 1, max: MOBILE.max + 1 };
}

// ---------------------------------------------------------------------------------------------------------
// Numbers abroad.

/**
 * The country calling codes in use (ITU-T E.164's assignments to countries and territories; not the shared
 * non-geographic ones, 800, 808, 870, 881–883, 888, 979). Codes are prefix-free: one of one, two or three digits fits.
 */
const COUNTRY_CODES: ReadonlySet<string> = new Set(
  [
    '1 7',
    '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98',
    '211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 235 236 237 238 239 240 241 242 243 244',
    '245 246 247 248 249 250 251 252 253 254 255 256 257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 298 299',
    '350 351 352 353 354 355 356 357 358 359 370 371 372 373 374 375 376 377 378 379 380 381 382 383 385 386 387 389',
    '420 421 423 500 501 502 503 504 505 506 507 508 509 590 591 592 593 594 595 596 597 598 599',
    '670 672 673 674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 690 691 692',
    '850 852 853 855 856 880 886 960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 992 993 994 995 996 998',
  ].join(' ').split(' '),
);

/**
 * The length of the national number (after the country code, without a trunk 0) and its first digits, where Netra
 * checks them: the countries where most Indonesians abroad work or study, and a few more. A number of another
 * country is held to E.164's limits alone.
 */
const COUNTRY_RULES: Readonly<Record<string, { min: number; max: number; first?: RegExp }>> = {
  '1': { min: 10, max: 10, first: /^[2-9]\d{2}[2-9]/ }, // United States, Canada
  '20': { min: 8, max: 10 }, // Egypt
  '31': { min: 9, max: 9 }, // Netherlands
  '33': { min: 9, max: 9 }, // France
  '44': { min: 9, max: 10 }, // United Kingdom
  '49': { min: 6, max: 13 }, // Germany
  '60': { min: 8, max: 10 }, // Malaysia
  '61': { min: 9, max: 9, first: /^[2-478]/ }, // Australia
  '63': { min: 8, max: 10 }, // Philippines
  '64': { min: 8, max: 10 }, // New Zealand
  '65': { min: 8, max: 8, first: /^[3689]/ }, // Singapore
  '66': { min: 8, max: 9 }, // Thailand
  '81': { min: 9, max: 10 }, // Japan
  '82': { min: 8, max: 10 }, // South Korea
  '86': { min: 9, max: 11 }, // China
  '90': { min: 10, max: 10 }, // Turkey
  '670': { min: 7, max: 8 }, // Timor-Leste
  '673': { min: 7, max: 7 }, // Brunei Darussalam
  '852': { min: 8, max: 8, first: /^[2-9]/ }, // Hong Kong
  '853': { min: 8, max: 8 }, // Macau
  '886': { min: 8, max: 9 }, // Taiwan
  '962': { min: 8, max: 9 }, // Jordan
  '965': { min: 8, max: 8 }, // Kuwait
  '966': { min: 8, max: 9 }, // Saudi Arabia
  '968': { min: 8, max: 8 }, // Oman
  '971': { min: 8, max: 9 }, // United Arab Emirates
  '973': { min: 8, max: 8 }, // Bahrain
  '974': { min: 8, max: 8 }, // Qatar
};
/** E.164: at most 15 digits with the country code. Fewer than 5 after it is no one's number in these countries. */
const E164_MAX_DIGITS = 15;
const FOREIGN_MIN_DIGITS = 5;

/**
 * A number abroad, `digits` after `+` or `00`: its country code must be in use, and its length (and for the countries
 * in {@link COUNTRY_RULES} its first digits) fit that country. There a trunk 0 after the code is left out, as dialling
 * from abroad does ("+60 012 …"); elsewhere the digits stay as typed (Italy's numbers keep their 0).
 */
function checkForeign(digits: string): ParseResult<string, PhoneError> {
  const code = [1, 2, 3].map((n) => digits.slice(0, n)).find((prefix) => COUNTRY_CODES.has(prefix));
  if (code === undefined) return fail('unknownCountry');
  const rule = Object.hasOwn(COUNTRY_RULES, code) ? COUNTRY_RULES[code] : undefined;
  const national = rule ? digits.slice(code.length).replace(/^0/, '') : digits.slice(code.length);
  const [min, max] = rule ? [rule.min, rule.max] : [FOREIGN_MIN_DIGITS, E164_MAX_DIGITS - code.length];
  const fits = national.length >= min && national.length <= max && !(rule && national.startsWith('0')) && (rule?.first?.test(national) ?? true);
  if (!fits) return fail('foreignInvalid', { code: `+${code}` });
  return ok(`+${code}${national}`);
}
