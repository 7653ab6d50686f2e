/**
 * One-time invite codes that make a Telegram user an officer of an office. The operator creates one with
 * `netra invite`, hands it over out of band, and the officer sends `/petugas <code>` to the bot in a private chat.
 * Only the code's SHA-256 is stored; a code works once and until it expires.
 */
import { createHash, randomInt } from 'node:crypto';
import { z } from 'zod';
import type { Tx } from '../store/store.ts';

/**
 * Roles an officer can have. Both act alike on tickets; only a coordinator may link a Telegram group to the office
 * (`/hubungkan`), since every member of a linked group reads the office's tickets. Unlinking is open to both.
 */
export const officerRoleSchema = z.enum(['officer', 'coordinator']);
export type OfficerRole = z.infer<typeof officerRoleSchema>;

/** No 0/O, 1/I/L: codes are read aloud and typed from paper. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** `PTG-XXXX-XXXX-XXXX`: 12 random characters (about 59 bits). */
export function generateInviteCode(): string {
  const groups = [0, 1, 2].map(() =>
    Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  );
  return `PTG-${groups.join('-')}`;
}

/** Upper case, separators removed, so `ptg xxxx-xxxx xxxx` works as typed. */
export function normaliseInviteCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** The stored form of a code. */
export function inviteCodeHash(code: string): string {
  return createHash('sha256').update(normaliseInviteCode(code)).digest('hex');
}

/** Creates an invite; returns the code (shown once, never stored). */
export async function createInvite(
  tx: Tx,
  input: { officeCode: string; role: OfficerRole; expiresAt: Date },
): Promise<string> {
  const code = generateInviteCode();
  await tx.invite.create({
    data: { codeHash: inviteCodeHash(code), officeCode: input.officeCode, role: input.role, expiresAt: input.expiresAt },
  });
  return code;
}

/** Why a code was not accepted. */
export type InviteRefusal = 'unknown' | 'used' | 'expired';

/**
 * Uses a code (once: the update only succeeds while `usedAt` is empty, so two simultaneous attempts cannot both
 * win). Returns the invite or why it was refused.
 */
export async function claimInvite(
  tx: Tx,
  code: string,
  usedBy: string,
  now: Date,
): Promise<{ ok: true; officeCode: string; role: OfficerRole } | { ok: false; reason: InviteRefusal }> {
  const codeHash = inviteCodeHash(code);
  const invite = await tx.invite.findUnique({ where: { codeHash } });
  if (!invite) return { ok: false, reason: 'unknown' };
  if (invite.usedAt) return { ok: false, reason: 'used' };
  if (invite.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  const claimed = await tx.invite.updateMany({ where: { codeHash, usedAt: null }, data: { usedAt: now, usedBy } });
  if (claimed.count !== 1) return { ok: false, reason: 'used' };
  return { ok: true, officeCode: invite.officeCode, role: officerRoleSchema.catch('officer').parse(invite.role) };
}
