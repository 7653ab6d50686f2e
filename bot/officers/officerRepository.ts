/**
 * Officers: Telegram users who act for an office. Stored by an HMAC of their Telegram user id (`userKey`) with
 * their private chat address encrypted; an officer of a provinsi or of RI may also act on tickets of the offices
 * below it.
 */
import { officeChain } from '../offices/officeDirectory.ts';
import type { Secrets } from '../security/secrets.ts';
import type { PrismaClient, Tx } from '../store/store.ts';
import type { OfficerRole } from './invites.ts';

type Db = PrismaClient | Tx;

/** The key under which a Telegram user is stored (never the user id itself). */
export function officerUserKey(secrets: Secrets, telegramUserId: string): string {
  return secrets.hmac(`telegram-user:${telegramUserId}`);
}

/** An officer as the desk needs it. */
export interface OfficerRecord {
  id: string;
  officeCode: string;
  role: string;
  displayName: string | null;
}

/** Makes (or re-activates) a user an officer of an office; returns the officer. */
export async function enrolOfficer(
  tx: Tx,
  secrets: Secrets,
  input: { telegramUserId: string; officeCode: string; role: OfficerRole; displayName?: string },
): Promise<OfficerRecord> {
  const userKey = officerUserKey(secrets, input.telegramUserId);
  const addressEnc = secrets.encrypt(`telegram:${input.telegramUserId}`);
  const displayName = input.displayName?.slice(0, 64) ?? null;
  return tx.officer.upsert({
    where: { officeCode_userKey: { officeCode: input.officeCode, userKey } },
    create: { officeCode: input.officeCode, userKey, addressEnc, role: input.role, displayName },
    update: { role: input.role, addressEnc, displayName, revokedAt: null },
    select: { id: true, officeCode: true, role: true, displayName: true },
  });
}

/** The active officerships of a user, nearest office level first (kabupaten/kota before provinsi before RI). */
export async function officershipsOf(db: Db, userKey: string): Promise<OfficerRecord[]> {
  const rows = await db.officer.findMany({
    where: { userKey, revokedAt: null },
    select: { id: true, officeCode: true, role: true, displayName: true },
    orderBy: { createdAt: 'asc' },
  });
  return rows.sort((a, b) => officeChain(b.officeCode).length - officeChain(a.officeCode).length);
}

/**
 * The officer entitled to act on a ticket of `officeCode`: an active officer of that office or of one of its
 * parents (nearest first), or null.
 */
export async function authorizeOfficer(db: Db, userKey: string, officeCode: string): Promise<OfficerRecord | null> {
  const chain = officeChain(officeCode);
  const rows = await db.officer.findMany({
    where: { userKey, revokedAt: null, officeCode: { in: chain } },
    select: { id: true, officeCode: true, role: true, displayName: true },
  });
  rows.sort((a, b) => chain.indexOf(a.officeCode) - chain.indexOf(b.officeCode));
  return rows[0] ?? null;
}

/** Officers for `netra officer list`, optionally of one office. */
export async function listOfficers(db: Db, officeCode?: string) {
  return db.officer.findMany({
    where: officeCode ? { officeCode } : {},
    orderBy: [{ officeCode: 'asc' }, { createdAt: 'asc' }],
    select: { id: true, officeCode: true, role: true, displayName: true, createdAt: true, revokedAt: true },
  });
}

/** Revokes an officer by id (or id prefix, as `netra officer list` shows). Returns the officer or why not. */
export async function revokeOfficer(
  tx: Tx,
  idOrPrefix: string,
  now: Date,
): Promise<{ ok: true; officer: OfficerRecord } | { ok: false; reason: 'unknown' | 'ambiguous' | 'revoked' }> {
  const matches = await tx.officer.findMany({
    where: { id: { startsWith: idOrPrefix.toLowerCase() } },
    select: { id: true, officeCode: true, role: true, displayName: true, revokedAt: true },
    take: 2,
  });
  if (matches.length === 0 || idOrPrefix.length < 4) return { ok: false, reason: 'unknown' };
  if (matches.length > 1) return { ok: false, reason: 'ambiguous' };
  const officer = matches[0]!;
  if (officer.revokedAt) return { ok: false, reason: 'revoked' };
  await tx.officer.update({ where: { id: officer.id }, data: { revokedAt: now } });
  return { ok: true, officer: { id: officer.id, officeCode: officer.officeCode, role: officer.role, displayName: officer.displayName } };
}
