/**
 * Shape of the violation catalogue the report flow offers as categories. Each entry names the act in both
 * languages, the articles it breaks, and the sanction it typically draws.
 */
import { z } from 'zod';

/**
 * The category ids, in the order the report flow lists them. They are stored on tickets and travel in callback
 * data, so renaming one breaks old tickets and buttons: add new ids instead.
 */
export const violationIds = [
  'social-media',
  'photo-or-hand-sign',
  'attending-campaign',
  'state-facilities',
  'mobilising-staff',
  'favouring-decision',
  'declaring-support',
  'ktp-support-letter',
  'party-membership',
  'candidacy-no-resign',
  'money-politics',
  'other',
] as const;

/** Callback data is limited to 64 bytes and carries a prefix, so ids stay short. */
export const VIOLATION_ID_MAX_CHARS = 24;
/** A label is a button text. */
export const VIOLATION_LABEL_MAX_CHARS = 40;
/** Examples are one line under the button list. */
export const VIOLATION_EXAMPLES_MAX_CHARS = 160;
export const VIOLATION_LEGAL_BASIS_MAX_CHARS = 160;
export const VIOLATION_SANCTION_NOTE_MAX_CHARS = 240;

/** One category id. */
export const violationIdSchema = z
  .string()
  .max(VIOLATION_ID_MAX_CHARS)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens')
  .pipe(z.enum(violationIds));
export type ViolationId = z.infer<typeof violationIdSchema>;

/**
 * The sanction an act typically draws: a PP 94/2021 discipline level (`sedang`, `berat`), dishonourable dismissal
 * under the ASN law (`ptdh`), a criminal penalty (`pidana`), or `varies` where the rules leave it to the case or
 * the sources disagree.
 */
export const sanctionLevelSchema = z.enum(['sedang', 'berat', 'ptdh', 'pidana', 'varies']);
export type SanctionLevel = z.infer<typeof sanctionLevelSchema>;

const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => value.trim() === value, 'must not be blank or start/end with whitespace');

const oneLine = (max: number) => text(max).refine((value) => !/[\r\n]/.test(value), 'must be a single line');

const bilingual = (max: number) => z.strictObject({ id: oneLine(max), en: oneLine(max) });

/** A legal basis cites at least one article: "Pasal n" in Indonesian, "Article n" in English. */
export const legalBasisSchema = z.strictObject({
  id: oneLine(VIOLATION_LEGAL_BASIS_MAX_CHARS).regex(/\bPasal \d+/, 'must name an article ("Pasal n")'),
  en: oneLine(VIOLATION_LEGAL_BASIS_MAX_CHARS).regex(/\bArticle \d+/, 'must name an article ("Article n")'),
});

/**
 * Words people use when they describe the act in their own words (`mobil dinas`, `amplop`, `selfie`), in either
 * language: lower case, letters and digits, single spaces. A word of four letters or more also matches the words it
 * starts (`upload` matches `uploadnya`).
 */
export const violationKeywordSchema = z
  .string()
  .max(40)
  .regex(/^[\p{Ll}\p{N}]+(?: [\p{Ll}\p{N}]+)*$/u, 'must be lower-case words separated by single spaces');

/** One category of the catalogue. */
export const violationSchema = z.strictObject({
  id: violationIdSchema,
  label: bilingual(VIOLATION_LABEL_MAX_CHARS),
  examples: bilingual(VIOLATION_EXAMPLES_MAX_CHARS),
  legalBasis: legalBasisSchema,
  sanctionLevel: sanctionLevelSchema,
  sanctionNote: bilingual(VIOLATION_SANCTION_NOTE_MAX_CHARS),
  keywords: z.array(violationKeywordSchema).max(80),
});
export type Violation = z.infer<typeof violationSchema>;

/** The whole catalogue: every id in `violationIds` exactly once, in that order. */
export const violationsSchema = z.array(violationSchema).superRefine((violations, ctx) => {
  const firstIndex = new Map<string, number>();
  violations.forEach((violation, index) => {
    const earlier = firstIndex.get(violation.id);
    if (earlier !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'id'],
        message: `duplicate id "${violation.id}" (first used by entry ${earlier})`,
      });
    } else {
      firstIndex.set(violation.id, index);
    }
  });
  const actual = violations.map((violation) => violation.id).join(', ');
  const expected = violationIds.join(', ');
  if (actual !== expected) {
    ctx.addIssue({ code: 'custom', path: [], message: `categories must be, in order: ${expected}; found: ${actual}` });
  }
});
