/**
 * The commands the report flow asks the bot to run, and the results it expects back. Both sides validate with
 * these schemas: the bot when a command arrives, the flow when a result comes back.
 */
import { z } from 'zod';
import { violationIdSchema } from '../../content/violations.schema.ts';
import { isoDateSchema } from './parseDate.ts';
import { personalDataSchema, personalOpSchema } from './personalData.ts';
import {
  evidenceItemSchema,
  locationSchema,
  placeSchema,
  reportPolicySchema,
  reportKindSchema,
  terlaporSchema,
  type ReportContext,
} from './reportContext.ts';

/** A finished draft, as submitted: every required field present. Personal data stays sealed. */
export const reportDraftSchema = z.object({
  startedAt: z.iso.datetime({ offset: true }),
  kind: reportKindSchema,
  convertedFromFormal: z.boolean(),
  terlapor: terlaporSchema,
  category: violationIdSchema,
  eventDate: isoDateSchema,
  learnedDate: isoDateSchema,
  place: placeSchema,
  placeDetail: z.string().nullable(),
  location: locationSchema.nullable(),
  description: z.string().min(1),
  evidence: z.array(evidenceItemSchema),
  personalSealed: z.string().nullable(),
});
export type ReportDraft = z.infer<typeof reportDraftSchema>;

/** `submitReport`: create the ticket. */
export const submitReportCommandSchema = z.object({ type: z.literal('submitReport'), draft: reportDraftSchema });
export type SubmitReportCommand = z.infer<typeof submitReportCommandSchema>;

const officeSchema = z.object({ code: z.string(), name: z.string() });

/** What `submitReport` answers. The receipt appears here once and is never stored in clear. */
export const submitReportResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('submitted'),
    code: z.string(),
    /** 16 digits. */
    receipt: z.string().regex(/^\d{16}$/),
    office: officeSchema,
    /** The body Bawaslu sends ASN recommendations to (config RECOMMENDATION_BODY). */
    recommendationBody: z.string(),
  }),
  /** This draft had already become a ticket (a replayed submission): nothing new was created. */
  z.object({ status: z.literal('duplicate'), code: z.string(), office: officeSchema }),
  /** The chat filed too many reports today (config REPORTS_PER_DAY). */
  z.object({ status: z.literal('limitReached'), limit: z.number().int() }),
]);
export type SubmitReportResult = z.infer<typeof submitReportResultSchema>;

/** `updatePersonal`: apply one operation to the sealed personal data (null = nothing sealed yet). */
export const updatePersonalCommandSchema = z.object({
  type: z.literal('updatePersonal'),
  sealed: z.string().nullable(),
  op: personalOpSchema,
});
export type UpdatePersonalCommand = z.infer<typeof updatePersonalCommandSchema>;
/** What `updatePersonal` answers: the new sealed blob. */
export const updatePersonalResultSchema = z.object({ sealed: z.string() });

/** `openPersonal`: decrypt the sealed personal data for the review (shown, never stored). */
export const openPersonalCommandSchema = z.object({ type: z.literal('openPersonal'), sealed: z.string() });
export type OpenPersonalCommand = z.infer<typeof openPersonalCommandSchema>;
/** What `openPersonal` answers: the personal data in clear, for one summary. */
export const openPersonalResultSchema = z.object({ personal: personalDataSchema });

/** `describeReportPolicy`: how long drafts and reports are kept, for the privacy notice. */
export const reportPolicyResultSchema = reportPolicySchema;

/** The draft to submit, or undefined while a required field is missing. */
export function toDraft(context: ReportContext): ReportDraft | undefined {
  const parsed = reportDraftSchema.safeParse({
    startedAt: context.startedAt,
    kind: context.kind,
    convertedFromFormal: context.convertedFromFormal,
    terlapor: context.terlapor,
    category: context.category,
    eventDate: context.eventDate,
    learnedDate: context.learnedDate,
    place: context.place,
    placeDetail: context.placeDetail,
    location: context.location,
    description: context.description,
    evidence: context.evidence,
    personalSealed: context.personal.sealed,
  });
  return parsed.success ? parsed.data : undefined;
}
