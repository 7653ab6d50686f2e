/**
 * Phone numbers as people type them, normalised to E.164 (`+6281234567890`, `+60123456789`) so one person's number
 * always compares equal however it was written: Indonesian numbers in every usual form, and numbers abroad (where
 * Indonesian migrant workers and students vote and report from) written with `+` or `00` and their country code,
 * checked with libphonenumber-js against the numbering plans of Google's libphonenumber.
 */
import { getCountries, getCountryCallingCode, parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js/max';
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

/** Words after the number that say what it is (`0857… (wa)`, `0812… wa aja`, `0812… whatsapp`), read past. */
const PHONE_LABEL_AFTER = /(?:[\s(\[-]*\b(?:wa|whatsapp|hp|telp|tlp|sms|aja|saja|ya|kak|pak|bu|only)\b[\s)\].]*)+$/i;

/**
 * Accepts `0812-3456-7890`, `0812 3456 7890`, `+62 812 3456 7890`, `62812…`, `+62 (0)812…`, `0062 812…`,
 * `812…` (the 0 left off, as in forms that show +62), `(021) 1234567`, `tel:` links, and words before the number
 * (`no WA: 0812…`) or after it (`0857… (wa)`); and a number abroad with its country code (`+60 12-345 6789`, `+966 50 123 4567`, `00852 9123
 * 4567`, `+44 (0)7400 123456`; see {@link checkForeign}). Returns E.164. `params` on `tooShort`/`tooLong` always give
 * the allowed digit counts of an Indonesian number as typed with the leading 0 (those of a mobile number when the kind
 * of number cannot be told); on `foreignInvalid`, the country code read (`code: '+60'`) and, when the length is what
 * is wrong, `reason: 'tooShort'` or `'tooLong'`.
 * `international`: digits without `+` are a number with its country code, as a shared contact gives it (`60123456789`);
 * without it, such digits are `unrecognised` with the number suggested with its `+` (`params.suggestion`).
 */
export function normalisePhone(text: string, options: { international?: boolean } = {}): ParseResult<string, PhoneError> {
  // A paste this long is no phone number; give the mobile limits, which is what people mean to send.
  if (text.length > 100) return fail('tooLong', mobileLimits());
  const cleaned = text.normalize('NFKC').trim().replace(PHONE_LABEL, '').replace(PHONE_LABEL_AFTER, '').replace(/^tel:/i, '');
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
    return fail('unrecognised', withoutPlus(compact));
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
 * The calling codes of countries and territories, from libphonenumber-js (Google's libphonenumber metadata): not the
 * shared non-geographic ones (800 freephone, 808, 870, 881–883, 888, 979), which are no one's number at home. Codes
 * are prefix-free: one of one, two or three digits fits.
 */
const COUNTRY_CALLING_CODES: ReadonlySet<string> = new Set(getCountries().map((country) => getCountryCallingCode(country)));

/**
 * A number abroad, `digits` after `+` or `00`: its country code must be in use, and libphonenumber-js must find it a
 * valid number of that country (its length and its number ranges). The full (`max`) metadata, because `min` checks
 * little beyond lengths (it takes a mistyped Malaysian, Saudi or Hong Kong number far more often) and `mobile` refuses
 * landlines; it costs about 0.3 MB more heap than `min` and the same time per call. A trunk 0 typed after the
 * code ("+60 012 …") is read as the library reads it: left out where the country dials one at home, kept where it is
 * part of the number (Italy). On `foreignInvalid`, `reason` says when no number of that country is that short
 * (`tooShort`) or that long (`tooLong`); it is absent when the length fits but the digits do not.
 */
/**
 * For digits that are no Indonesian number, a number abroad they make with a `+` in front ("60 12 345 6789" ->
 * `{ suggestion: '+60 12 345 6789' }`, as the country writes it), for the question to show back; else undefined.
 */
function withoutPlus(compact: string): { suggestion: string } | undefined {
  const number = parsePhoneNumberFromString(`+${compact}`, { extract: false });
  return number?.isValid() && number.countryCallingCode !== '62' ? { suggestion: number.formatInternational() } : undefined;
}

function checkForeign(digits: string): ParseResult<string, PhoneError> {
  const code = [1, 2, 3].map((n) => digits.slice(0, n)).find((prefix) => COUNTRY_CALLING_CODES.has(prefix));
  if (code === undefined) return fail('unknownCountry');
  const international = `+${digits}`;
  const number = parsePhoneNumberFromString(international, { extract: false });
  if (number?.isValid()) return ok(number.number);
  const length = validatePhoneNumberLength(international);
  const reason = length === 'TOO_SHORT' ? 'tooShort' : length === 'TOO_LONG' ? 'tooLong' : undefined;
  return fail('foreignInvalid', reason === undefined ? { code: `+${code}` } : { code: `+${code}`, reason });
}
