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
 * `NETRA-CERT:ABCD-EFGH-JKLM`), or undefined when it cannot be one.
 */
export function parseCertificateCode(text: string): string | undefined {
  let value = text.trim().toUpperCase();
  if (value.length > 80) return undefined;
  if (value.startsWith(CERTIFICATE_QR_PREFIX)) value = value.slice(CERTIFICATE_QR_PREFIX.length);
  const chars = value.replace(/[\s\-–—._]/g, '');
  return validChars.test(chars) ? formatCertificateCode(chars) : undefined;
}

/** What the certificate's QR code carries. */
export function certificateQrPayload(code: string): string {
  return `${CERTIFICATE_QR_PREFIX}${code}`;
}
