/**
 * What the report flow remembers between turns (its XState context). It is stored as JSON in the chat's
 * snapshot, so it holds no personal data of the reporter or witnesses in clear: those travel as one sealed
 * (encrypted) blob that only the bot can open (see personalData.ts).
 */
import { z } from 'zod';
import { storedMediaSchema, type Localized } from '../messages.ts';
import { localize } from './localize.ts';
import { isoDateSchema } from './parseDate.ts';

/** The two ways to submit: anonymous initial information, or a formal report under Perbawaslu 7/2022. */
export const reportKindSchema = z.enum(['tip', 'formal']);
export type ReportKind = z.infer<typeof reportKindSchema>;

/** Employment statuses of the reported person, in the order the flow offers them. */
export const employmentValues = ['pns', 'pppk', 'village', 'tniPolri', 'nonAsn', 'unknown'] as const;
/** One employment status. */
export const employmentSchema = z.enum(employmentValues);
export type Employment = z.infer<typeof employmentSchema>;

/** The people a report may name who answer to their own rules, not the ASN discipline rules (PP 94/2021). */
export const nonAsnGroups = ['village', 'tniPolri', 'nonAsn'] as const;
export type NonAsnGroup = (typeof nonAsnGroups)[number];

/** The non-ASN group of an employment status, or null for an ASN (PNS, PPPK) or an unknown status. */
export function nonAsnGroupOf(employment: string | null | undefined): NonAsnGroup | null {
  return (nonAsnGroups as readonly string[]).includes(employment ?? '') ? (employment as NonAsnGroup) : null;
}

/**
 * Whom Bawaslu sends its finding on the reported person to, for the "recommended" status: the configured body
 * (BKN, which passes it to the agency's PPK) for an ASN or a person of unknown status; for anyone else "the
 * competent authority", to which Bawaslu forwards breaches of other laws (UU 7/2017 Pasal 455 ayat 1 huruf c).
 */
export function recommendationTarget(group: NonAsnGroup | null, body: string): Localized {
  return group ? localize('common.competentAuthority') : { id: body, en: body };
}

/** Most evidence items per report. */
export const MAX_EVIDENCE = 10;
/** Most witnesses per formal report. */
export const MAX_WITNESSES = 3;

/** One piece of evidence: a stored file or a validated http(s) link. */
export const evidenceItemSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('file'), media: storedMediaSchema }),
  z.object({ type: z.literal('link'), url: z.url({ protocol: /^https?$/ }) }),
]);
export type EvidenceItem = z.infer<typeof evidenceItemSchema>;

/** Where the incident happened: a regency (kabupaten/kota), or only a province when the user does not know. */
export const placeSchema = z.object({
  provinceCode: z.string().regex(/^\d{2}$/),
  regencyCode: z.string().regex(/^\d{2}\.\d{2}$/).nullable(),
  districtCode: z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/).nullable(),
});
export type Place = z.infer<typeof placeSchema>;

/** A location pin the user shared. */
export const locationSchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});
export type GeoLocation = z.infer<typeof locationSchema>;

/** The reported person (terlapor). `name: null` means "not known" (allowed for tips only). */
export const terlaporSchema = z.object({
  name: z.string().nullable(),
  position: z.string().nullable(),
  agency: z.string().nullable(),
  employment: employmentSchema.nullable(),
});
export type Terlapor = z.infer<typeof terlaporSchema>;

/**
 * What the flow knows about the sealed personal data without opening it: enough to decide which question
 * comes next. `pending` is true while an update of the sealed blob is on its way back from the bot.
 */
export const personalStateSchema = z.object({
  sealed: z.string().nullable(),
  pending: z.boolean(),
  witnessCount: z.number().int().min(0),
  /** A witness name was given and the contact is being asked. */
  pendingWitness: z.boolean(),
  /** The witness question has been answered (with witnesses or "none"). */
  witnessesAsked: z.boolean(),
  /**
   * While the witnesses are replaced from the review: those given before are kept until the first new witness is
   * noted or "none" is answered (so that going back, or keeping, loses none).
   */
  keepingWitnesses: z.boolean().optional(),
  reporter: z.object({
    name: z.boolean(),
    address: z.boolean(),
    phone: z.boolean(),
    email: z.enum(['given', 'skipped']).nullable(),
  }),
});
export type PersonalState = z.infer<typeof personalStateSchema>;

/** A region option offered as a choice: a regency, possibly reached through one of its districts. */
export const regionOptionSchema = z.object({
  regencyCode: z.string(),
  districtCode: z.string().nullable(),
});
export type RegionOption = z.infer<typeof regionOptionSchema>;

/** What the privacy notice tells about storage periods (from the bot's configuration). */
export const reportPolicySchema = z.object({
  draftDays: z.number().int().positive(),
  retentionDays: z.number().int().positive(),
  /**
   * The provinces (`19`) and regencies (`32.01`) whose reports this deployment takes (NETRA_SERVED_AREA); absent:
   * all of Indonesia. A place outside them is explained, not filed.
   */
  servedArea: z.array(z.string().regex(/^\d{2}(\.\d{2})?$/)).optional(),
  /** The reports a chat may send in 24 hours, present when this chat had sent them all as the draft began. */
  dailyLimitReached: z.number().int().positive().optional(),
});
export type ReportPolicy = z.infer<typeof reportPolicySchema>;

/** The whole draft, as stored in the snapshot (parsed when a stored snapshot is restored). */
export const reportContextSchema = z.object({
  /** ISO instant the draft was started: with the chat it identifies the draft (for exactly-once submission). */
  startedAt: z.string(),
  kind: reportKindSchema.nullable(),
  /** A formal report past its deadline that the user chose to send as informasi awal. */
  convertedFromFormal: z.boolean(),
  /** True while the user edits a field from the review: finishing the field returns to the review. */
  editing: z.boolean(),
  /** True while a tip is being changed into a formal report from the review, until the review is shown again. */
  changingToFormal: z.boolean().optional(),
  /** The position the employment status was given or read for: only a changed position offers another status. */
  statusPosition: z.string().nullable().optional(),
  /**
   * What the reporter wrote before saying the name is unknown ("kepala desa Sukamaju, tidak tahu namanya"): offered
   * as the answer at the position question, which comes next.
   */
  positionHint: z.string().optional(),
  /**
   * A story typed where the category or a date was asked: offered as the answer at the description, so that it need
   * not be typed again.
   */
  storyHint: z.string().optional(),
  terlapor: terlaporSchema,
  category: z.string().nullable(),
  /** The one category suggested from a story typed at the category question: "ya" then chooses it. */
  categoryGuess: z.string().nullable().optional(),
  eventDate: isoDateSchema.nullable(),
  learnedDate: isoDateSchema.nullable(),
  place: placeSchema.nullable(),
  regionOptions: z.array(regionOptionSchema),
  pendingDistrict: regionOptionSchema.nullable(),
  pendingProvince: z.string().nullable(),
  placeDetail: z.string().nullable(),
  location: locationSchema.nullable(),
  description: z.string().nullable(),
  evidence: z.array(evidenceItemSchema),
  personal: personalStateSchema,
  /**
   * The domain of an e-mail address that looked misspelt and was queried (`gmial.com`): the same domain sent again
   * is taken as meant. Only the domain, never the address, so that the draft holds no personal data in clear.
   */
  queriedEmailDomain: z.string().max(255).nullable().optional(),
  /** The queried address itself is kept in the sealed personal data, so "yes" can take the suggested domain. */
  queriedEmailSealed: z.boolean().optional(),
  /**
   * The reporter said they have no Indonesian number, or a number abroad did not check out: the phone question then
   * also offers to continue as a tip (the name is kept for drafts stored before numbers abroad were taken).
   */
  foreignPhone: z.boolean().optional(),
  policy: reportPolicySchema.nullable(),
});
export type ReportContext = z.infer<typeof reportContextSchema>;

/** A fresh draft started at `at`. */
export function emptyReport(at: string): ReportContext {
  return {
    startedAt: at,
    kind: null,
    convertedFromFormal: false,
    editing: false,
    terlapor: { name: null, position: null, agency: null, employment: null },
    category: null,
    eventDate: null,
    learnedDate: null,
    place: null,
    regionOptions: [],
    pendingDistrict: null,
    pendingProvince: null,
    placeDetail: null,
    location: null,
    description: null,
    evidence: [],
    personal: emptyPersonalState(),
    policy: null,
  };
}

/** Personal-data bookkeeping with nothing collected. */
export function emptyPersonalState(): PersonalState {
  return {
    sealed: null,
    pending: false,
    witnessCount: 0,
    pendingWitness: false,
    witnessesAsked: false,
    reporter: { name: false, address: false, phone: false, email: null },
  };
}

/** True when every reporter field of a formal report has been answered. */
export function isReporterComplete(personal: PersonalState): boolean {
  const r = personal.reporter;
  return r.name && r.address && r.phone && r.email !== null;
}
