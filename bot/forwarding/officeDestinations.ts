/**
 * Where an office's tickets go: its linked Telegram groups, or (with no group) its officers' private chats, plus
 * its e-mail and webhook when set. An office with none of these escalates to its provinsi, then to RI.
 */
import { officeChain } from '../offices/officeDirectory.ts';
import { asSql, type PrismaClient, type Sql, type Tx } from '../store/store.ts';
import type { Destination } from './outbox.ts';

/** Where the lookups run: raw statements on the store's driver, or through Prisma (a client or a transaction). */
type Db = Sql | PrismaClient | Tx;

/** The office that will receive, and how. */
export interface ResolvedDestinations {
  /** The office that has destinations (the requested one or the first ancestor with any). */
  officeCode: string;
  /** Offices skipped for having no destination, nearest first. */
  skipped: string[];
  destinations: Array<{ key: string; destination: Destination }>;
}

/** An office with its linked groups and its active officers, oldest first, in one statement. */
const selectOffice = `SELECT o."email", o."webhookUrl", o."webhookSecretEnc",
    COALESCE((SELECT jsonb_agg(c."chatId" ORDER BY c."createdAt", c."id") FROM "OfficeChat" c WHERE c."officeCode" = o."code"), '[]'::jsonb) AS "chats",
    COALESCE((SELECT jsonb_agg(f."id" ORDER BY f."createdAt", f."id") FROM "Officer" f
      WHERE f."officeCode" = o."code" AND f."revokedAt" IS NULL), '[]'::jsonb) AS "officers"
  FROM "Office" o WHERE o."code" = $1`;

interface OfficeRow {
  email: string | null;
  webhookUrl: string | null;
  webhookSecretEnc: string | null;
  chats: string[];
  officers: string[];
}

/** What this process can deliver besides Telegram: e-mail needs SMTP_URL, so without it an address is no destination. */
export interface DeliveryMeans {
  email: boolean;
}

/** An office's own destinations (no escalation). Keys are stable and name no personal data. */
export async function destinationsOf(db: Db, officeCode: string, means: DeliveryMeans): Promise<ResolvedDestinations['destinations']> {
  const [office] = await asSql(db).query<OfficeRow>(selectOffice, [officeCode]);
  if (!office) return [];
  const out: ResolvedDestinations['destinations'] = [];
  if (office.chats.length > 0) {
    for (const chatId of office.chats) {
      out.push({ key: `tg:${chatId}`, destination: { type: 'telegram', chatId, officeCode } });
    }
  } else {
    for (const officerId of office.officers) {
      out.push({ key: `officer:${officerId}`, destination: { type: 'officer', officerId, officeCode } });
    }
  }
  if (office.email && means.email) out.push({ key: 'email', destination: { type: 'email', officeCode } });
  if (office.webhookUrl && office.webhookSecretEnc) out.push({ key: 'webhook', destination: { type: 'webhook', officeCode } });
  return out;
}

/** The first office up the chain from `officeCode` that has destinations, or null when none has any. */
export async function resolveDestinations(db: Db, officeCode: string, means: DeliveryMeans): Promise<ResolvedDestinations | null> {
  const skipped: string[] = [];
  for (const code of officeChain(officeCode)) {
    const destinations = await destinationsOf(db, code, means);
    if (destinations.length > 0) return { officeCode: code, skipped, destinations };
    skipped.push(code);
  }
  return null;
}
