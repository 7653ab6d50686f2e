/**
 * Where an office's tickets go: its linked Telegram groups, or (with no group) its officers' private chats, plus
 * its e-mail and webhook when set. An office with none of these escalates to its provinsi, then to RI.
 */
import { officeChain } from '../offices/officeDirectory.ts';
import type { PrismaClient, Tx } from '../store/store.ts';
import type { Destination } from './outbox.ts';

type Db = PrismaClient | Tx;

/** The office that will receive, and how. */
export interface ResolvedDestinations {
  /** The office that has destinations (the requested one or the first ancestor with any). */
  officeCode: string;
  /** Offices skipped for having no destination, nearest first. */
  skipped: string[];
  destinations: Array<{ key: string; destination: Destination }>;
}

/** An office's own destinations (no escalation). Keys are stable and name no personal data. */
export async function destinationsOf(db: Db, officeCode: string): Promise<ResolvedDestinations['destinations']> {
  const office = await db.office.findUnique({
    where: { code: officeCode },
    include: {
      chats: { orderBy: { createdAt: 'asc' } },
      officers: { where: { revokedAt: null }, orderBy: { createdAt: 'asc' } },
    },
  });
  if (!office) return [];
  const out: ResolvedDestinations['destinations'] = [];
  if (office.chats.length > 0) {
    for (const chat of office.chats) {
      out.push({ key: `tg:${chat.chatId}`, destination: { type: 'telegram', chatId: chat.chatId, officeCode } });
    }
  } else {
    for (const officer of office.officers) {
      out.push({ key: `officer:${officer.id}`, destination: { type: 'officer', officerId: officer.id, officeCode } });
    }
  }
  if (office.email) out.push({ key: 'email', destination: { type: 'email', officeCode } });
  if (office.webhookUrl && office.webhookSecretEnc) out.push({ key: 'webhook', destination: { type: 'webhook', officeCode } });
  return out;
}

/** The first office up the chain from `officeCode` that has destinations, or null when none has any. */
export async function resolveDestinations(db: Db, officeCode: string): Promise<ResolvedDestinations | null> {
  const skipped: string[] = [];
  for (const code of officeChain(officeCode)) {
    const destinations = await destinationsOf(db, code);
    if (destinations.length > 0) return { officeCode: code, skipped, destinations };
    skipped.push(code);
  }
  return null;
}
