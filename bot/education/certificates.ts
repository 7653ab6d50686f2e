/**
 * Quiz certificates: issuing one for a passed full quiz (a code, the PDF under the data directory, the row with
 * the name encrypted) and looking one up by its code, for `/verifikasi` and `netra certificate verify`.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locale } from '../../content/locales/index.ts';
import type { FindMyCertificateResult, IssueCertificateResult } from '../../flows/quiz/quizCommands.ts';
import { percentOf } from '../../flows/quiz/scoring.ts';
import { formatDate, jakartaDate } from '../../flows/report/parseDate.ts';
import {
  CERTIFICATE_CODE_ALPHABET,
  CERTIFICATE_CODE_LENGTH,
  certificateQrPayload,
  formatCertificateCode,
  lookAlikeCodes,
  parseCertificateCode,
  typedCertificateCode,
} from '../../flows/verify/certificateCode.ts';
import type { CertificateRecord } from '../../flows/verify/verifyCommands.ts';
import { renderPdf } from '../documents/pdfThreads.ts';
import { fileExists } from '../media/mediaStore.ts';
import { toPlainText, type Renderer } from '../i18n.ts';
import type { Secrets } from '../security/secrets.ts';
import type { PrismaClient, Tx } from '../store/store.ts';
import { cryptoRandomInt, type RandomInt } from './drawQuiz.ts';

/** Certificates live here, relative to the data directory. */
export const CERTIFICATES_DIR = 'certificates';

/** The attempt cannot have a certificate: not this chat's, not finished, not passed, or a topic quiz. */
export class CertificateNotAllowedError extends Error {
  constructor(readonly attemptId: string, readonly reason: string) {
    super(`No certificate for attempt ${attemptId}: ${reason}`);
    this.name = 'CertificateNotAllowedError';
  }
}

/** A fresh random code such as `ABCD-EFGH-JKLM`. */
export function newCertificateCode(random: RandomInt = cryptoRandomInt): string {
  let chars = '';
  for (let i = 0; i < CERTIFICATE_CODE_LENGTH; i += 1) chars += CERTIFICATE_CODE_ALPHABET[random(CERTIFICATE_CODE_ALPHABET.length)];
  return formatCertificateCode(chars);
}

/** The PDF's path relative to the data directory. */
export function certificatePath(code: string): string {
  return `${CERTIFICATES_DIR}/${code}.pdf`;
}

function fileNameOf(code: string, locale: Locale): string {
  return locale === 'en' ? `asn-neutrality-certificate-${code}.pdf` : `sertifikat-netralitas-asn-${code}.pdf`;
}

/** What issuing needs from the app. */
export interface CertificateServices {
  dataDir: string;
  secrets: Secrets;
  renderer: Renderer;
  /** The Telegram bot's username, when known: the QR code and the hint then link to the check in the chat. */
  links?: { telegramBot?: string };
}

/** The address that opens a certificate's check in the Telegram bot (`/start verify_CODE`). */
export function certificateCheckLink(username: string, code: string): string {
  return `https://t.me/${username}?start=verify_${code}`;
}

export interface IssueRequest {
  chatKey: string;
  attemptId: string;
  name: string | null;
  locale: Locale;
  at: Date;
  random?: RandomInt;
}

/**
 * Issues the certificate of a passed full quiz, or returns the one already issued for it. The PDF is written
 * before the row (in the caller's transaction): a rolled-back turn leaves at most an orphan file, never a row
 * without its file.
 */
export async function issueCertificate(tx: Tx, services: CertificateServices, request: IssueRequest): Promise<IssueCertificateResult> {
  const attempt = await tx.quizAttempt.findFirst({ where: { id: request.attemptId, chatKey: request.chatKey } });
  if (!attempt) throw new CertificateNotAllowedError(request.attemptId, 'no such attempt for this chat');
  if (!attempt.finishedAt || !attempt.passed) throw new CertificateNotAllowedError(attempt.id, 'not passed');
  if (attempt.topic !== null) throw new CertificateNotAllowedError(attempt.id, 'a topic quiz');
  const existing = await tx.certificate.findUnique({ where: { attemptId: attempt.id } });
  if (existing) {
    return { code: existing.code, path: certificatePath(existing.code), fileName: fileNameOf(existing.code, request.locale) };
  }

  let code = newCertificateCode(request.random);
  // 60 random bits make a clash practically impossible; checking costs one lookup and makes it impossible.
  while (await tx.certificate.findUnique({ where: { code } })) code = newCertificateCode(request.random);

  const issuedOn = jakartaDate(request.at.toISOString());
  const bot = services.links?.telegramBot;
  const link = bot ? certificateCheckLink(bot, code) : undefined;
  const pdf = await renderPdf({
    kind: 'certificate',
    data: {
      code,
      ...(request.name ? { name: request.name } : {}),
      score: attempt.score,
      total: attempt.total,
      percent: percentOf(attempt.score, attempt.total),
      issuedAt: formatDate(issuedOn, request.locale),
      locale: request.locale,
      verifyHint: toPlainText(
        services.renderer.text(link ? { key: 'verify.pdfHintLink', params: { code, link } } : { key: 'verify.pdfHint', params: { code } }, request.locale),
      ),
      qrPayload: link ?? certificateQrPayload(code),
    },
    options: { generatedAt: request.at },
  });
  const relative = certificatePath(code);
  const target = path.join(services.dataDir, relative);
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, pdf, { mode: 0o640 });
  await rename(temporary, target);

  await tx.certificate.create({
    data: {
      code,
      attemptId: attempt.id,
      nameEnc: request.name ? services.secrets.encrypt(request.name) : null,
      score: attempt.score,
      total: attempt.total,
      locale: request.locale,
      issuedAt: request.at,
    },
  });
  return { code, path: relative, fileName: fileNameOf(code, request.locale) };
}

/**
 * The latest certificate earned in a chat (its full quizzes passed), to send again. Its PDF goes with the holder's
 * name when the retention period ends: then only the code is left, which still verifies.
 */
export async function findMyCertificate(tx: Tx, dataDir: string, chatKey: string, locale: Locale): Promise<FindMyCertificateResult> {
  const attempts = await tx.quizAttempt.findMany({ where: { chatKey, passed: true, topic: null }, select: { id: true } });
  if (attempts.length === 0) return { status: 'none' };
  const certificate = await tx.certificate.findFirst({
    where: { attemptId: { in: attempts.map((a) => a.id) } },
    orderBy: { issuedAt: 'desc' },
    select: { code: true, issuedAt: true, nameEnc: true },
  });
  if (!certificate) return { status: 'none' };
  const issuedAt = jakartaDate(certificate.issuedAt.toISOString());
  const relative = certificatePath(certificate.code);
  if (certificate.nameEnc === CERTIFICATE_NAME_REMOVED || !(await fileExists(path.join(dataDir, relative)))) {
    return { status: 'removed', code: certificate.code, issuedAt };
  }
  return { status: 'found', code: certificate.code, path: relative, fileName: fileNameOf(certificate.code, locale), issuedAt };
}

/**
 * What a certificate's encrypted name becomes when the retention period deletes it: not a ciphertext, and not null
 * (no name given), so a check can tell the two apart.
 */
export const CERTIFICATE_NAME_REMOVED = '';

/**
 * The certificate with this code (typed in any accepted form), as a verifier sees it, or undefined. A name that
 * can no longer be decrypted (the secret was replaced) is reported as absent rather than failing the check.
 */
export async function findCertificate(
  db: Tx | PrismaClient,
  secrets: Secrets,
  typedCode: string,
): Promise<CertificateRecord | undefined> {
  const code = parseCertificateCode(typedCode);
  if (!code) return undefined;
  const row = await db.certificate.findUnique({ where: { code } });
  if (!row) return undefined;
  let name: string | null = null;
  if (row.nameEnc === CERTIFICATE_NAME_REMOVED) {
    return { code: row.code, name: null, nameRemoved: true, issuedOn: jakartaDate(row.issuedAt.toISOString()), score: row.score, total: row.total };
  }
  if (row.nameEnc) {
    try {
      name = secrets.decrypt(row.nameEnc);
    } catch {
      name = null;
    }
  }
  return { code: row.code, name, issuedOn: jakartaDate(row.issuedAt.toISOString()), score: row.score, total: row.total };
}

/**
 * The one registered code that differs from this unregistered one by a single look-alike character ("7S77-QSRE-ZVWQ"
 * typed for "7S77-Q5RE-ZVWQ"), or by reading the characters no code has as the look-alikes it has ("HB3K-GW9U-ZP0M"
 * for "HB3K-GW9U-ZPQM"); undefined when none or several do. One bounded query (at most 12 codes); only codes are
 * read, no names.
 */
export async function findLookAlikeCode(db: Tx | PrismaClient, typedCode: string): Promise<string | undefined> {
  const code = typedCertificateCode(typedCode);
  const candidates = code ? lookAlikeCodes(code) : [];
  if (candidates.length === 0) return undefined;
  const rows = await db.certificate.findMany({ where: { code: { in: candidates } }, select: { code: true }, take: 2 });
  return rows.length === 1 ? rows[0]?.code : undefined;
}
