/**
 * Indonesian phone numbers as people type them, normalised to E.164 (`+6281234567890`) so one person's
 * number always compares equal however it was written.
 */
import { fail, ok, type ParseResult } from './parseResult.ts';

export const phoneErrorCodes = ['empty', 'unrecognised', 'notIndonesian', 'invalidPrefix', 'tooShort', 'tooLong'] as const;
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
 * (`no WA: 0812…`); returns E.164
 * `+62…`. `params` on `tooShort`/`tooLong` always give the allowed digit counts as typed with the leading 0 (those of
 * a mobile number when the kind of number cannot be told).
 */
export function normalisePhone(text: string): ParseResult<string, PhoneError> {
  // A paste this long is no phone number; give the mobile limits, which is what people mean to send.
  if (text.length > 100) return fail('tooLong', mobileLimits());
  const compact = text
    .normalize('NFKC')
    .trim()
    .replace(PHONE_LABEL, '')
    .replace(/^tel:/i, '')
    .replace(/[\s\u00A0().\-/]/g, '');
  if (compact === '') return fail('empty');
  if (!/^\+?\d+$/.test(compact)) return fail('unrecognised');

  let national: string;
  if (compact.startsWith('+') || compact.startsWith('00')) {
    const international = compact.replace(/^(?:\+|00)/, '');
    if (!international.startsWith('62')) return fail('notIndonesian');
    // "+62 (0)812…" and "+62 0812…" carry a trunk 0 that E.164 leaves out.
    national = international.slice(2).replace(/^0/, '');
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
