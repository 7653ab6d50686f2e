/**
 * Certificate verification codes: 12 characters from an alphabet without look-alikes (no I, O, 0, 1), shown in
 * three groups (`ABCD-EFGH-JKLM`), and read back forgivingly from what people type or scan.
 */

/** The code alphabet: 32 characters, so each carries 5 random bits (60 bits per code). */
export const CERTIFICATE_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** Characters in a code, without the dashes. */
export const CERTIFICATE_CODE_LENGTH = 12;
/** Prefix of the QR payload, so a scanner app shows what the code is for. */
export const CERTIFICATE_QR_PREFIX = 'NETRA-CERT:';

const validChars = new RegExp(`^[${CERTIFICATE_CODE_ALPHABET}]{${CERTIFICATE_CODE_LENGTH}}$`);

/**
 * Characters the alphabet leaves out that people still type for one of its own, as they read or copy a code: O and 0
 * for the round Q or D, I for the upright L or J, 1 for L or (handwritten) 7. Each stands for those it may be.
 */
export const LEFT_OUT_LOOK_ALIKES: Readonly<Record<string, readonly string[]>> = { O: ['Q', 'D'], '0': ['Q', 'D'], I: ['L', 'J'], '1': ['L', '7'] };
/** More left-out characters than this make no code worth guessing at (and at most 2^3 codes to look up). */
const MAX_LEFT_OUT = 3;
const typedChars = new RegExp(`^[${CERTIFICATE_CODE_ALPHABET}${Object.keys(LEFT_OUT_LOOK_ALIKES).join('')}]{${CERTIFICATE_CODE_LENGTH}}$`);

function leftOutCount(chars: string): number {
  return [...chars].filter((c) => Object.hasOwn(LEFT_OUT_LOOK_ALIKES, c)).length;
}

/** `ABCDEFGHJKLM` -> `ABCD-EFGH-JKLM`. */
export function formatCertificateCode(chars: string): string {
  return chars.match(/.{1,4}/g)?.join('-') ?? chars;
}

/**
 * The code in canonical form from typed or scanned text (`abcd efgh jklm`, `ABCD-EFGH-JKLM`,
 * `NETRA-CERT:ABCD-EFGH-JKLM`, `kode saya ABCD-EFGH-JKLM`), or undefined when it cannot be one.
 */
export function parseCertificateCode(text: string): string | undefined {
  return readCode(text, validChars);
}

/**
 * A code as typed when a code was asked for: a canonical one (see {@link parseCertificateCode}), else one with up to
 * three characters the alphabet leaves out (`HB3K-GW9U-ZP0M`), in the same dashed form, so that it can be looked up
 * and the registered code it may be a typo of named (see {@link lookAlikeCodes}).
 */
export function typedCertificateCode(text: string): string | undefined {
  const valid = parseCertificateCode(text);
  const typed = valid === undefined || holdsCommonWord(valid) ? readCode(text, typedChars) : undefined;
  // "kode saya MK67 YKE7 4LB0": of the alphabet alone, "SAYA MK67 YKE7" is the only reading; with the characters it
  // leaves out, the code after "saya" is one too, and the one to take.
  const code = typed !== undefined && !holdsCommonWord(typed) ? typed : (valid ?? typed);
  return code !== undefined && leftOutCount(code) <= MAX_LEFT_OUT ? code : undefined;
}

/** Two groups of four, a code's first two as printed. */
const TWO_GROUPS = /^[A-Z0-9]{4}[\s\-–—._]+[A-Z0-9]{4}$/;
/** A code with a few characters missing or extra: as many as this, at most, either way. */
const MISCOUNT_MAX = 3;
/** Groups of letters and digits, as a code is written ("PTVW-VWNF-E2W", "ptvw vwnf e2wxx"). */
const CODE_LIKE = /^[A-Z0-9]+(?:[\s\-–—._]+[A-Z0-9]+){0,4}$/;

/**
 * How many characters a code typed with some missing or extra has (`PTVW-VWNF-E2W`: 11), or undefined when the text is
 * no such code: it must be written of the code's characters (and those people type for them), with a digit, so that
 * a word or two is not taken for one (nearly every code has a digit).
 */
export function miscountedCodeLength(text: string): number | undefined {
  let value = text.trim().toUpperCase();
  if (value.startsWith(CERTIFICATE_QR_PREFIX)) value = value.slice(CERTIFICATE_QR_PREFIX.length);
  if (value.length > 40 || !CODE_LIKE.test(value)) return undefined;
  const joined = value.replace(/[\s\-–—._]/g, '');
  if (!/\d/.test(joined)) return undefined;
  if ([...joined].some((c) => !CERTIFICATE_CODE_ALPHABET.includes(c) && !Object.hasOwn(LEFT_OUT_LOOK_ALIKES, c))) return undefined;
  const off = Math.abs(joined.length - CERTIFICATE_CODE_LENGTH);
  if (off > 0 && off <= MISCOUNT_MAX) return joined.length;
  // Two of the three groups, as a code copied short is ("AGQ2-ZM89"): each with a digit, so no word ("lupa 1234").
  return TWO_GROUPS.test(value) && value.split(/[\s\-–—._]+/).every((group) => /\d/.test(group)) ? joined.length : undefined;
}

/** True when a group of a dashed code is a word people write next to one ("SAYA-MK67-YKE7"). */
function holdsCommonWord(code: string): boolean {
  return code.split('-').some((group) => COMMON_WORDS.has(group));
}

/** True when a code holds a character the alphabet leaves out: no certificate has it. */
export function hasLeftOutCharacter(code: string): boolean {
  return leftOutCount(code) > 0;
}

function readCode(text: string, chars: RegExp): string | undefined {
  let value = text.trim().toUpperCase();
  if (value.length > 80) return undefined;
  if (value.startsWith(CERTIFICATE_QR_PREFIX)) value = value.slice(CERTIFICATE_QR_PREFIX.length);
  // The Telegram link of a certificate's QR code ("https://t.me/bot?start=verify_ABCD-EFGH-JKLM"), pasted elsewhere.
  const linked = /VERIF(?:Y|IKASI)[_-]([A-Z0-9]{4}-?[A-Z0-9]{4}-?[A-Z0-9]{4})(?![A-Z0-9])/.exec(value);
  if (linked?.[1]) value = linked[1];
  const joined = value.replace(/[\s\-–—._]/g, '');
  if (chars.test(joined)) return formatCertificateCode(joined);
  return codeWithinWords(value, chars);
}

/**
 * Four-letter words of the code alphabet that people write next to a code ("kode sertifikat saya MK67 YKE7 4LBB"):
 * a reading that takes one in is dropped when another reading is left.
 */
const COMMON_WORDS: ReadonlySet<string> = new Set([
  'SAYA', 'SAJA', 'ANDA', 'MANA', 'JUGA', 'PADA', 'YANG', 'BARU', 'BUAT', 'UDAH', 'TAHU', 'MAAF', 'MBAK', 'BANG', 'TEST',
  'HERE', 'THAT', 'WHAT', 'CERT',
  // With the characters the alphabet leaves out, as a typed code may hold them.
  'KODE', 'CODE', 'INFO', 'THIS', 'DONG', 'COBA', 'DARI',
]);

/**
 * A code with words around it (`kode saya ABCD-EFGH-JKLM ya`): one word that is a whole code, else the only three
 * words in a row of four characters each that make one. "SAYA" is four such characters too: of two readings, the one
 * without such a common word is taken ("saya MK67 YKE7 4LBB"), and two readings that are both plausible are none.
 */
function codeWithinWords(value: string, chars: RegExp): string | undefined {
  const words = value.split(/[\s,;:!?()"']+/).filter((w) => w !== '');
  const whole = words.map((w) => w.replace(/[\-–—._]/g, '')).find((w) => chars.test(w));
  if (whole) return formatCertificateCode(whole);
  const spaced = words.flatMap((_, i) => {
    const group = words.slice(i, i + 3);
    const joined = group.join('');
    return group.every((w) => w.length === 4) && chars.test(joined) ? [{ joined, common: group.some((w) => COMMON_WORDS.has(w)) }] : [];
  });
  const plausible = spaced.length > 1 ? spaced.filter((reading) => !reading.common) : spaced;
  return plausible.length === 1 && plausible[0] ? formatCertificateCode(plausible[0].joined) : undefined;
}

/**
 * A code as the certificate prints it, in three dashed groups, among other words ("cek ABCD-EFGH-JKLM", a scanned
 * QR code or its link): what a message that was not asked for a code must hold to count as one (a long word of the
 * code alphabet, "KEPENGURUSAN", is none).
 */
export function printedCertificateCode(text: string): string | undefined {
  return PRINTED.test(text) ? parseCertificateCode(text) : undefined;
}
const PRINTED = /(?:^|[\s:_=])[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}(?:\s|$)/i;

/**
 * A code pasted where none was asked for (at the menu): as printed, or a word of 12 or three words of four characters
 * that hold both letters and digits ("MK67 YKE7 4LBB", "verify MK67YKE74LBB", "kode saya glv7 fx2c 7pz8"). Letters
 * alone are words more often than codes ("BARU SAJA KENA", "KEPENGURUSAN"), and a sentence is never read as a whole
 * with its spaces dropped ("saya umur 35 th").
 */
export function pastedCertificateCode(text: string): string | undefined {
  const printed = printedCertificateCode(text);
  if (printed) return printed;
  if (text.length > 80) return undefined;
  const code = codeWithinWords(text.trim().toUpperCase(), validChars);
  return code && /\d/.test(code) && /[A-Z]/.test(code) ? code : undefined;
}

/**
 * Characters of the code alphabet that are read or typed for one another (in print and in handwriting): S/5, Z/2,
 * B/8, G/6 and U/V. The alphabet already leaves out I, O, 0 and 1 (see {@link LEFT_OUT_LOOK_ALIKES} for those typed).
 */
export const LOOK_ALIKES: Readonly<Record<string, string>> = { S: '5', '5': 'S', Z: '2', '2': 'Z', B: '8', '8': 'B', G: '6', '6': 'G', U: 'V', V: 'U' };

/**
 * The codes a typed code may be a typo of. One of the alphabet: those that differ from it by exactly one look-alike
 * character ("7S77-QSRE-ZVWQ" -> "7577-QSRE-ZVWQ", "7S77-Q5RE-ZVWQ", ...), at most one per character, so at most 12.
 * One holding characters the alphabet leaves out: those with each of them read as a look-alike the alphabet has
 * ("HB3K-GW9U-ZP0M" -> "HB3K-GW9U-ZPQM", "HB3K-GW9U-ZPDM"), at most 8.
 */
export function lookAlikeCodes(code: string): string[] {
  const chars = code.replace(/-/g, '');
  if (hasLeftOutCharacter(chars)) {
    if (leftOutCount(chars) > MAX_LEFT_OUT) return [];
    let readings = [''];
    for (const char of chars) {
      const options = Object.hasOwn(LEFT_OUT_LOOK_ALIKES, char) ? (LEFT_OUT_LOOK_ALIKES[char] ?? []) : [char];
      readings = readings.flatMap((reading) => options.map((option) => reading + option));
    }
    return readings.map(formatCertificateCode);
  }
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += 1) {
    const swap = LOOK_ALIKES[chars[i] ?? ''];
    if (swap) out.push(formatCertificateCode(chars.slice(0, i) + swap + chars.slice(i + 1)));
  }
  return out;
}

/** What the certificate's QR code carries. */
export function certificateQrPayload(code: string): string {
  return `${CERTIFICATE_QR_PREFIX}${code}`;
}
