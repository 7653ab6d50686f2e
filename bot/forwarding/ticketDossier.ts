/**
 * A ticket as the office receives it: every field read defensively from the stored row (the report flow owns the
 * shape of `details`, and old tickets must still forward), the reporter as a pseudonym (tips) or the identity the
 * reporter agreed to share (formal reports), and each evidence file as it will be sent (the EXIF/GPS-stripped copy
 * of a photo, a video's copy emptied of its metadata, other files as received) with the SHA-256 of exactly those
 * bytes.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { LRUCache } from 'lru-cache';
import path from 'node:path';
import { getDistrict, getProvince, getRegency } from '../../content/regions/regions.ts';
import { getViolation } from '../../content/violations.ts';
import { nonAsnGroupOf, type NonAsnGroup } from '../../flows/report/reportContext.ts';
import { lookupText } from '../../flows/shared/texts.ts';
import type { ReportFormData } from '../documents/reportFormPdf.ts';
import { cleanStoredDocument, fileExists, mimeOfExtension } from '../media/mediaStore.ts';
import { documentFormat, extensionOf, isPhotoFile, mustBeCleaned } from '../../flows/shared/mediaFormat.ts';
import { officeName } from '../offices/officeDirectory.ts';
import type { Secrets } from '../security/secrets.ts';
import { asSql, type PrismaClient, type Sql, type Tx } from '../store/store.ts';

/** Where the dossier is read: raw statements on the store's driver, or through Prisma (a client or a transaction). */
type Db = Sql | PrismaClient | Tx;

/** One evidence item as forwarded. */
export interface DossierEvidence {
  id: string;
  kind: string;
  fileName?: string;
  mime?: string;
  /** SHA-256 of the file as the reporter sent it. */
  originalSha256?: string;
  /** Absolute path of what is sent (the stripped copy of a photo or video); undefined for links or a missing file. */
  sendPath?: string;
  /** SHA-256 of what is sent (equals `originalSha256` for files sent as received). */
  sentSha256?: string;
  /** True when the sent file is the metadata-stripped copy. */
  stripped: boolean;
  size?: number;
  url?: string;
  /** The file is gone from disk (purged or moved): listed, not sent. */
  missing: boolean;
  /** The file is kept, but its metadata could not be removed: listed, not sent (the operator has it). */
  withheld: boolean;
}

/** The reporter as the office sees them. */
export type DossierReporter =
  | { kind: 'pseudonym'; pseudonym: string }
  | { kind: 'identity'; pseudonym: string; name: string; address: string; phone: string; email?: string };

/** Everything forwarded about a ticket. */
export interface TicketDossier {
  id: string;
  code: string;
  kind: 'tip' | 'formal';
  status: string;
  categoryId: string;
  category: { label: { id: string; en: string }; legalBasis: { id: string; en: string }; sanctionLevel: string } | null;
  officeCode: string;
  officeName: string;
  regencyName: string | null;
  provinceName: string | null;
  /**
   * `otherRules` names the rules that bind a reported person who is not an ASN (a village head or official, a member
   * of the TNI or Polri, an honorary employee): the catalogue's legal basis and sanction are the ASN rules.
   */
  terlapor: {
    name: string;
    position: string;
    agency: string;
    employment: string;
    otherRules: NonAsnGroup | null;
    /** A PPPK employee: BKN applies PP 49/2018 beside PP 94/2021, so the card says so. */
    pppk?: boolean;
  };
  event: { date: Date | null; learnedDate: Date | null; deadline: Date | null };
  place: { detail: string; district: string; location?: { lat: number; lon: number } };
  description: string;
  links: string[];
  evidence: DossierEvidence[];
  witnesses: Array<{ name: string; contact: string }>;
  reporter: DossierReporter;
  reporterChatKey: string;
  locale: string;
  createdAt: Date;
  acknowledgedAt: Date | null;
  closedAt: Date | null;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first non-empty string among candidate paths (`a.b`), trimmed. */
function pick(source: unknown, ...paths: string[]): string {
  for (const p of paths) {
    let node: unknown = source;
    for (const part of p.split('.')) node = isObject(node) ? node[part] : undefined;
    if (typeof node === 'string' && node.trim()) return node.trim();
    if (typeof node === 'number') return String(node);
    // Bilingual labels stored as { id, en }.
    if (isObject(node) && typeof node.id === 'string' && node.id.trim()) return node.id.trim();
  }
  return '';
}

function pickLocation(source: unknown): { lat: number; lon: number } | undefined {
  const candidates = [
    isObject(source) ? source.location : undefined,
    isObject(source) && isObject(source.place) ? source.place.location : undefined,
    isObject(source) && isObject(source.event) ? source.event.location : undefined,
  ];
  for (const c of candidates) {
    if (!isObject(c)) continue;
    const lat = c.lat ?? c.latitude;
    const lon = c.lon ?? c.lng ?? c.longitude;
    if (typeof lat === 'number' && typeof lon === 'number' && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
      return { lat, lon };
    }
  }
  return undefined;
}

function pickLinks(details: unknown, evidenceUrls: string[]): string[] {
  const raw = isObject(details) ? (details.links ?? (isObject(details.evidence) ? details.evidence.links : undefined)) : undefined;
  const links = Array.isArray(raw)
    ? raw.map((l) => (typeof l === 'string' ? l : isObject(l) && typeof l.url === 'string' ? l.url : '')).filter(Boolean)
    : [];
  return [...new Set(links)].filter((l) => !evidenceUrls.includes(l));
}

const EMPLOYMENT_LABELS: Record<string, string> = {
  pns: 'PNS',
  pppk: 'PPPK',
  village: 'Kepala desa / perangkat desa',
  'kepala-desa': 'Kepala desa / perangkat desa',
  'perangkat-desa': 'Kepala desa / perangkat desa',
  'tni-polri': 'TNI/Polri',
  tniPolri: 'TNI/Polri',
  honorer: 'Honorer / non-ASN',
  'non-asn': 'Honorer / non-ASN',
  nonAsn: 'Honorer / non-ASN',
  unknown: 'Tidak tahu',
};

/** Employment values of reports stored in older shapes, as the report flow names them now. */
const LEGACY_EMPLOYMENT: Record<string, string> = {
  'kepala-desa': 'village',
  'perangkat-desa': 'village',
  'tni-polri': 'tniPolri',
  honorer: 'nonAsn',
  'non-asn': 'nonAsn',
};

function employmentOf(details: unknown): string {
  return pick(details, 'terlapor.employment', 'terlapor.employmentStatus', 'reported.employment');
}

/** The rules the reported person answers to instead of the ASN discipline rules, read off a ticket's details. */
export function otherRulesOf(details: unknown): NonAsnGroup | null {
  const employment = employmentOf(details);
  return nonAsnGroupOf(LEGACY_EMPLOYMENT[employment] ?? employment);
}

/** Read in chunks off the event loop: evidence can be a video of many megabytes. */
async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}


function decryptObject(secrets: Secrets, token: string | null): unknown {
  if (!token) return undefined;
  try {
    return secrets.decryptJson(token);
  } catch {
    return undefined;
  }
}

/** Raised when a ticket to forward does not exist (deleted after its outbox row was written). */
export class TicketMissingError extends Error {
  constructor(readonly ticketId: string) {
    super(`Ticket ${ticketId} no longer exists`);
    this.name = 'TicketMissingError';
  }
}

const utc = (column: string) => `(t."${column}" AT TIME ZONE 'UTC') AS "${column}"`;

/** A ticket with its evidence in the order it was given, in one statement. */
const selectTicket = `SELECT t."id", t."code", t."kind", t."status", t."category", t."officeCode", t."regencyCode",
    t."provinceCode", t."reporterChatKey", t."pseudonym", t."locale", t."details", t."reporterIdentityEnc",
    t."witnessesEnc", ${['eventDate', 'learnedDate', 'deadline', 'acknowledgedAt', 'closedAt', 'createdAt'].map(utc).join(', ')},
    COALESCE((SELECT jsonb_agg(jsonb_build_object('id', e."id", 'kind', e."kind", 'mime', e."mime", 'fileName', e."fileName",
        'size', e."size", 'sha256', e."sha256", 'path', e."path", 'strippedPath', e."strippedPath", 'url', e."url")
        ORDER BY e."createdAt", e."id")
      FROM "Evidence" e WHERE e."ticketId" = t."id"), '[]'::jsonb) AS "evidence"
  FROM "Ticket" t WHERE t."id" = $1`;

interface TicketRow {
  id: string;
  code: string;
  kind: string;
  status: string;
  category: string;
  officeCode: string;
  regencyCode: string | null;
  provinceCode: string | null;
  reporterChatKey: string;
  pseudonym: string;
  locale: string;
  details: unknown;
  reporterIdentityEnc: string | null;
  witnessesEnc: string | null;
  eventDate: Date | null;
  learnedDate: Date | null;
  deadline: Date | null;
  acknowledgedAt: Date | null;
  closedAt: Date | null;
  createdAt: Date;
  evidence: Array<{
    id: string;
    kind: string;
    mime: string | null;
    fileName: string | null;
    size: number | null;
    sha256: string | null;
    path: string | null;
    strippedPath: string | null;
    url: string | null;
  }>;
}

/** Documents whose clean copy could not be made at forwarding: not tried again by this process. */
const uncleanable = new LRUCache<string, true>({ max: 10_000 });

export interface LoadDossierOptions {
  /**
   * Make the clean copy of a document stored without one (stored before documents were cleaned): only where the
   * dossier is forwarded, as it can take the cleaning thread seconds. A thread that cannot run throws
   * DocumentCleaningUnavailableError, so that the delivery is tried again later.
   */
  cleanDocuments?: boolean;
}

/** Loads and reads a ticket for forwarding. Paths of evidence are resolved under `dataDir`. */
export async function loadDossier(db: Db, secrets: Secrets, dataDir: string, ticketId: string, options: LoadDossierOptions = {}): Promise<TicketDossier> {
  const [ticket] = await asSql(db).query<TicketRow>(selectTicket, [ticketId]);
  if (!ticket) throw new TicketMissingError(ticketId);
  const details: unknown = ticket.details;
  const violation = getViolation(ticket.category);
  const regency = ticket.regencyCode ? getRegency(ticket.regencyCode) : undefined;
  const province = ticket.provinceCode
    ? getProvince(ticket.provinceCode)
    : regency
      ? getProvince(regency.provinceCode)
      : undefined;

  const evidence: DossierEvidence[] = [];
  for (const e of ticket.evidence) {
    let strippedAbs = e.strippedPath ? path.join(dataDir, e.strippedPath) : undefined;
    const originalAbs = e.path ? path.join(dataDir, e.path) : undefined;
    let useStripped = await fileExists(strippedAbs);
    // A photo, a video or a document is never sent with its metadata: without its clean copy (one that could not be
    // read, or one stored before such files were cleaned) it is kept and listed, not sent.
    const isPhoto = isPhotoFile(e);
    const mustBeClean = mustBeCleaned(e);
    const originalThere = await fileExists(originalAbs);
    // A document stored before documents were cleaned gets its clean copy as it is forwarded, recorded on its row
    // (so that retention removes it with the original).
    const format = documentFormat(e);
    if (options.cleanDocuments && !useStripped && originalThere && e.path && (format === 'pdf' || format === 'office') && !uncleanable.has(e.path)) {
      const cleaned = await cleanStoredDocument(dataDir, e.path, format);
      if (cleaned) {
        await asSql(db).query(`UPDATE "Evidence" SET "strippedPath" = $1 WHERE "id" = $2`, [cleaned, e.id]);
        strippedAbs = path.join(dataDir, cleaned);
        useStripped = true;
      } else {
        uncleanable.set(e.path, true);
      }
    }
    const sendPath = useStripped ? strippedAbs : !mustBeClean && originalThere ? originalAbs : undefined;
    const withheld = !useStripped && mustBeClean && originalThere;
    const sentSha256 = sendPath ? (useStripped ? await sha256File(sendPath) : (e.sha256 ?? (await sha256File(sendPath)))) : undefined;
    // The size of what is sent: a clean copy differs from the original (a PDF written again can be twice as large).
    const size = useStripped && sendPath ? (await stat(sendPath)).size : (e.size ?? undefined);
    const mime = useStripped && isPhoto ? 'image/jpeg' : ((e.path ? mimeOfExtension(extensionOf(e.path)) : undefined) ?? e.mime ?? undefined);
    evidence.push({
      id: e.id,
      kind: e.kind,
      // A file's name can carry who sent it ("Surat_Rina_0812….pdf"): a tip's files go out under the ticket's code.
      ...(e.fileName && ticket.kind === 'formal' ? { fileName: e.fileName } : {}),
      // A photo's stripped copy is a JPEG whatever it came as; a video's or a document's is of the format its content
      // is (the type it was sent with can be "application/octet-stream", or wrong).
      ...(mime ? { mime } : {}),
      ...(e.sha256 ? { originalSha256: e.sha256 } : {}),
      ...(sendPath && sentSha256 ? { sendPath, sentSha256 } : {}),
      stripped: useStripped,
      ...(size !== undefined ? { size } : {}),
      ...(e.url ? { url: e.url } : {}),
      missing: !e.url && !sendPath && !withheld,
      withheld,
    });
  }

  const identity = ticket.kind === 'formal' ? decryptObject(secrets, ticket.reporterIdentityEnc) : undefined;
  const name = pick(identity, 'name', 'fullName');
  const reporter: DossierReporter =
    ticket.kind === 'formal' && name
      ? {
          kind: 'identity',
          pseudonym: ticket.pseudonym,
          name,
          address: pick(identity, 'address'),
          phone: pick(identity, 'phone'),
          ...(pick(identity, 'email') ? { email: pick(identity, 'email') } : {}),
        }
      : { kind: 'pseudonym', pseudonym: ticket.pseudonym };

  const witnessesRaw = ticket.kind === 'formal' ? decryptObject(secrets, ticket.witnessesEnc) : undefined;
  const witnesses = (Array.isArray(witnessesRaw) ? witnessesRaw : [])
    .map((w) => ({ name: pick(w, 'name'), contact: pick(w, 'contact', 'phone', 'address') }))
    .filter((w) => w.name);

  const employment = employmentOf(details);
  return {
    id: ticket.id,
    code: ticket.code,
    kind: ticket.kind === 'formal' ? 'formal' : 'tip',
    status: ticket.status,
    categoryId: ticket.category,
    category: violation
      ? { label: violation.label, legalBasis: violation.legalBasis, sanctionLevel: violation.sanctionLevel }
      : null,
    officeCode: ticket.officeCode,
    officeName: officeName(ticket.officeCode),
    regencyName: regency?.name ?? (pick(details, 'place.regencyName', 'regencyName') || null),
    provinceName: province?.name ?? null,
    terlapor: {
      name: pick(details, 'terlapor.name', 'reported.name'),
      position: pick(details, 'terlapor.position', 'terlapor.jabatan', 'reported.position'),
      agency: pick(details, 'terlapor.agency', 'terlapor.instansi', 'reported.agency'),
      employment: EMPLOYMENT_LABELS[employment] ?? employment,
      otherRules: otherRulesOf(details),
      pppk: employment === 'pppk',
    },
    event: { date: ticket.eventDate, learnedDate: ticket.learnedDate, deadline: ticket.deadline },
    place: {
      detail: pick(details, 'place.detail', 'place.description', 'placeDetail', 'event.place', 'place'),
      district:
        getDistrict(pick(details, 'place.districtCode', 'districtCode'))?.name ??
        pick(details, 'place.districtName', 'place.district.name', 'place.district', 'districtName'),
      ...(pickLocation(details) ? { location: pickLocation(details)! } : {}),
    },
    description: pick(details, 'description', 'event.description', 'chronology'),
    links: pickLinks(details, evidence.flatMap((e) => (e.url ? [e.url] : []))),
    evidence,
    witnesses,
    reporter,
    reporterChatKey: ticket.reporterChatKey,
    locale: ticket.locale,
    createdAt: ticket.createdAt,
    acknowledgedAt: ticket.acknowledgedAt,
    closedAt: ticket.closedAt,
  };
}

/** "20 November 2026" in Indonesian (the form's language), on Jakarta's calendar; "-" when unknown. */
export function formatDateId(date: Date | null, locale: 'id' | 'en' = 'id'): string {
  if (!date) return '-';
  return DATE_FORMATS[locale].format(date);
}

// A formatter is costly to build (a tenth of a ticket's card); each is made once.
const dateFormat = (locale: string) =>
  new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Jakarta', day: 'numeric', month: 'long', year: 'numeric' });
const DATE_FORMATS = { id: dateFormat('id-ID'), en: dateFormat('en-GB') } as const;

const SANCTION_LABELS_ID: Record<string, string> = {
  sedang: 'Hukuman disiplin sedang (PP 94/2021)',
  berat: 'Hukuman disiplin berat (PP 94/2021)',
  ptdh: 'Pemberhentian tidak dengan hormat',
  pidana: 'Pidana',
  varies: 'Bergantung pada kasus',
};

/** Whether the 7-day window for a formal report was kept, in Indonesian. */
export function deadlineStatusId(dossier: TicketDossier): string {
  if (!dossier.event.deadline) return '';
  const inTime = dossier.createdAt.getTime() <= dossier.event.deadline.getTime() + 24 * 3_600_000 - 1;
  if (dossier.kind === 'tip') return inTime ? 'disampaikan dalam 7 hari' : 'lewat 7 hari (informasi awal)';
  return inTime ? 'diajukan dalam batas waktu' : 'diajukan setelah batas waktu';
}

/** The place line: district and regency, province. */
export function placeLine(dossier: TicketDossier): string {
  const parts = [
    dossier.place.district ? `Kecamatan ${dossier.place.district.replace(/^kecamatan\s+/i, '')}` : '',
    dossier.regencyName ?? '',
    dossier.provinceName ?? '',
  ].filter(Boolean);
  return parts.join(', ') || dossier.officeName;
}

/** The B.1 form's data for a ticket (Indonesian values, as the form is Bawaslu's). */
export function reportFormData(dossier: TicketDossier, addressee: { code: string; name: string }): ReportFormData {
  const orDash = (value: string) => (value.trim() ? value : '-');
  const unavailable = '(tidak tersedia)';
  return {
    code: dossier.code,
    kind: dossier.kind,
    receivedAt: formatDateId(dossier.createdAt),
    office: addressee,
    category: {
      label: dossier.category?.label.id ?? dossier.categoryId,
      ...(dossier.terlapor.otherRules
        ? {
            legalBasis: lookupText(`officer.otherRules.${dossier.terlapor.otherRules}.basis`, 'id') ?? '',
            sanctionLevel: lookupText(`officer.otherRules.${dossier.terlapor.otherRules}.sanction`, 'id') ?? '',
          }
        : {
            legalBasis: dossier.category?.legalBasis.id ?? '',
            sanctionLevel: dossier.category
              ? (SANCTION_LABELS_ID[dossier.category.sanctionLevel] ?? dossier.category.sanctionLevel)
              : '',
          }),
    },
    terlapor: {
      name: dossier.terlapor.name || 'Tidak diketahui',
      position: dossier.terlapor.position,
      agency: dossier.terlapor.agency,
      employment: dossier.terlapor.employment,
    },
    event: {
      date: formatDateId(dossier.event.date),
      learnedDate: formatDateId(dossier.event.learnedDate),
      deadline: formatDateId(dossier.event.deadline),
      deadlineStatus: deadlineStatusId(dossier),
      place: placeLine(dossier),
      ...(dossier.place.detail ? { placeDetail: dossier.place.detail } : {}),
      ...(dossier.place.location ? { location: dossier.place.location } : {}),
    },
    description: dossier.description,
    evidence: [
      ...dossier.evidence.map((e) => ({
        kind: evidenceKindId(e.kind) + (e.stripped ? ' (salinan tanpa metadata)' : e.withheld ? ' (disimpan, tidak dikirim: metadatanya tidak dapat dihapus)' : ''),
        ...(e.fileName ? { fileName: e.fileName } : {}),
        ...(e.sentSha256 ?? e.originalSha256 ? { sha256: (e.sentSha256 ?? e.originalSha256)! } : {}),
        ...(e.url ? { url: e.url } : {}),
      })),
      ...dossier.links.map((url) => ({ kind: 'Tautan', url })),
    ],
    witnesses: dossier.witnesses.map((w) => ({ name: w.name, contact: w.contact })),
    reporter:
      dossier.reporter.kind === 'identity'
        ? {
            pseudonym: dossier.reporter.pseudonym,
            name: dossier.reporter.name,
            address: orDash(dossier.reporter.address),
            phone: orDash(dossier.reporter.phone),
            ...(dossier.reporter.email ? { email: dossier.reporter.email } : {}),
          }
        : dossier.kind === 'formal'
          ? { pseudonym: dossier.reporter.pseudonym, name: unavailable, address: unavailable, phone: unavailable }
          : { pseudonym: dossier.reporter.pseudonym },
  };
}

/** Indonesian name of an evidence kind. */
export function evidenceKindId(kind: string): string {
  return (
    { photo: 'Foto', video: 'Video', document: 'Dokumen', voice: 'Pesan suara', audio: 'Audio', animation: 'Animasi', link: 'Tautan' }[
      kind
    ] ?? 'Berkas'
  );
}
