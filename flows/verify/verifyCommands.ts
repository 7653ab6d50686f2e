/** The verify flow's command and its result, shared with the handler in bot/education. */
import { z } from 'zod';
import { isoDateSchema } from '../report/parseDate.ts';

/** Looks a certificate up by its canonical code. */
export const verifyCertificateCommandSchema = z.object({
  type: z.literal('verifyCertificate'),
  code: z.string().min(1).max(20),
});
export type VerifyCertificateCommand = z.infer<typeof verifyCertificateCommandSchema>;

/** A certificate as a verifier sees it: the printed name (null for "Peserta"), the Jakarta date, the score. */
export const certificateRecordSchema = z.object({
  code: z.string(),
  name: z.string().nullable(),
  /** The name printed on it was deleted after the retention period (not "none given"). */
  nameRemoved: z.boolean().optional(),
  issuedOn: isoDateSchema,
  score: z.number().int().nonnegative(),
  total: z.number().int().positive(),
});
export type CertificateRecord = z.infer<typeof certificateRecordSchema>;

export const verifyCertificateResultSchema = z.discriminatedUnion('found', [
  z.object({
    found: z.literal(false),
    /**
     * The one registered code that differs from the typed one by a single look-alike character (S/5, B/8, ...), when
     * exactly one does: only the code, never its holder's name, which is shown once that code itself is sent.
     */
    suggestion: z.string().min(1).max(20).optional(),
  }),
  z.object({ found: z.literal(true), certificate: certificateRecordSchema }),
]);
export type VerifyCertificateResult = z.infer<typeof verifyCertificateResultSchema>;
