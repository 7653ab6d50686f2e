/**
 * `netra certificate verify <code>`: says whether a quiz certificate is genuine, with the printed name, the date
 * and the score, as `/verifikasi` does in the chat. Exit code 0 for a genuine certificate, 1 for an unknown code.
 */
import path from 'node:path';
import { percentOf } from '../../flows/quiz/scoring.ts';
import { formatDate } from '../../flows/report/parseDate.ts';
import { parseCertificateCode } from '../../flows/verify/certificateCode.ts';
import { loadConfig } from '../config.ts';
import { findCertificate } from '../education/certificates.ts';
import { checkKey } from '../security/keyCheck.ts';
import { loadMasterSecret, Secrets } from '../security/secrets.ts';
import { openConfiguredStore, type PrismaClient } from '../store/store.ts';
import type { StatsIo } from './statsCommand.ts';

const usage = 'Usage: netra certificate verify <code>   (e.g. netra certificate verify ABCD-EFGH-JKLM)\n';

/** Runs the command against an open database; returns the exit code. */
export async function runCertificate(args: string[], prisma: PrismaClient, secrets: Secrets, io: StatsIo): Promise<number> {
  const [action, ...rest] = args;
  const typed = rest.join(' ').trim();
  if (action !== 'verify' || !typed) {
    io.err(usage);
    return 2;
  }
  const code = parseCertificateCode(typed);
  if (!code) {
    io.err(`"${typed}" is not a certificate code: 12 letters and digits such as ABCD-EFGH-JKLM.\n`);
    return 2;
  }
  const certificate = await findCertificate(prisma, secrets, code);
  if (!certificate) {
    io.out(`Certificate ${code}: UNKNOWN. No certificate was issued with this code.\n`);
    return 1;
  }
  io.out(
    [
      `Certificate ${code}: VALID`,
      `  Name:   ${certificate.name ?? (certificate.nameRemoved ? '(deleted after the retention period; see the printed certificate)' : '(none given; printed as "Peserta" / "Participant")')}`,
      `  Issued: ${formatDate(certificate.issuedOn, 'en')}`,
      `  Score:  ${certificate.score} of ${certificate.total} (${percentOf(certificate.score, certificate.total)}%)`,
      '',
    ].join('\n'),
  );
  return 0;
}

/** `netra certificate ...` on the configured store. */
export async function run(args: string[]): Promise<number> {
  const config = loadConfig();
  const dataDir = path.resolve(config.NETRA_DATA_DIR);
  const secrets = new Secrets(
    loadMasterSecret(config.NETRA_SECRET, dataDir, (file) =>
      process.stderr.write(`Warning: no NETRA_SECRET was set or found; generated ${file}. Names of existing certificates cannot be read.\n`),
    ),
  );
  const store = await openConfiguredStore(config);
  try {
    await checkKey(store.prisma, secrets);
    return await runCertificate(args, store.prisma, secrets, {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    });
  } finally {
    await store.close();
  }
}
