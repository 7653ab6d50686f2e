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

/** `ABCDEFGHJKLM` -> `ABCD-EFGH-JKLM`. */
export function formatCertificateCode(chars: string): string {
  return chars.match(/.{1,4}/g)?.join('-') ?? chars;
}

/**
 * The code in canonical form from typed or scanned text (`abcd efgh jklm`, `ABCD-EFGH-JKLM`,
 * `NETRA-CERT:ABCD-EFGH-JKLM`, `kode saya ABCD-EFGH-JKLM`), or undefined when it cannot be one.
 */
export function parseCertificateCode(text: string): string | undefined {
  let value = text.trim().toUpperCase();
  if (value.length > 80) return undefined;
  if (value.startsWith(CERTIFICATE_QR_PREFIX)) value = value.slice(CERTIFICATE_QR_PREFIX.length);
  // The Telegram link of a certificate's QR code ("https://t.me/bot?start=verify_ABCD-EFGH-JKLM"), pasted elsewhere.
  const linked = /VERIF(?:Y|IKASI)[_-]([A-Z0-9]{4}-?[A-Z0-9]{4}-?[A-Z0-9]{4})(?![A-Z0-9])/.exec(value);
  if (linked?.[1]) value = linked[1];
  const chars = value.replace(/[\s\-–—._]/g, '');
  if (validChars.test(chars)) return formatCertificateCode(chars);
  return codeWithinWords(value);
}

/**
 * A code with words around it (`kode saya ABCD-EFGH-JKLM ya`): one word that is a whole code, else the only three
 * words in a row of four characters each that make one ("SAYA" is four such characters too, so two readings are none).
 */
function codeWithinWords(value: string): string | undefined {
  const words = value.split(/[\s,;:!?()"']+/).filter((w) => w !== '');
  const whole = words.map((w) => w.replace(/[\-–—._]/g, '')).find((w) => validChars.test(w));
  if (whole) return formatCertificateCode(whole);
  const spaced = words.flatMap((_, i) => {
    const joined = words.slice(i, i + 3).join('');
    return words.slice(i, i + 3).every((w) => w.length === 4) && validChars.test(joined) ? [joined] : [];
  });
  return spaced.length === 1 && spaced[0] ? formatCertificateCode(spaced[0]) : undefined;
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

/** What the certificate's QR code carries. */
export function certificateQrPayload(code: string): string {
  return `${CERTIFICATE_QR_PREFIX}${code}`;
}
