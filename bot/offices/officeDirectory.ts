/**
 * Finding offices: by code, by what an officer types ("bangka tengah", "19.04", "provinsi jawa barat", "RI"), and
 * up the hierarchy (kabupaten/kota -> provinsi -> RI) for escalation and for who may act on a ticket. Also the
 * operator settings of an office (e-mail, webhook with its signing secret).
 */
import { randomBytes } from 'node:crypto';
import { getProvince, getRegency } from '../../content/regions/regions.ts';
import { searchRegions } from '../../flows/shared/regionSearch.ts';
import { normaliseForMatch } from '../../flows/shared/texts.ts';
import type { Secrets } from '../security/secrets.ts';
import type { PrismaClient, Tx } from '../store/store.ts';
import { RI_CODE } from './officeSeed.ts';

type Db = PrismaClient | Tx;

/** An office code is RI, a province code (`19`) or a regency code (`19.05`). */
export const OFFICE_CODE = /^(RI|\d{2}|\d{2}\.\d{2})$/;

/** The office and its ancestors, nearest first: `19.05` -> [`19.05`, `19`, `RI`]. Pure (codes nest). */
export function officeChain(code: string): string[] {
  if (code === RI_CODE) return [RI_CODE];
  if (/^\d{2}$/.test(code)) return [code, RI_CODE];
  const province = code.slice(0, 2);
  return [code, province, RI_CODE];
}

/** The parent office's code, or null for RI. */
export function parentOfficeCode(code: string): string | null {
  return officeChain(code)[1] ?? null;
}

/** True when `ancestor` is `code` itself or one of its parents (an officer of `ancestor` may act on `code`). */
export function isWithin(code: string, ancestor: string): boolean {
  return officeChain(code).includes(ancestor);
}

/** The office's display name from the region data, without a database (falls back to the code). */
export function officeName(code: string): string {
  if (code === RI_CODE) return 'Bawaslu Republik Indonesia';
  const province = /^\d{2}$/.test(code) ? getProvince(code) : undefined;
  if (province) return `Bawaslu Provinsi ${province.name}`;
  const regency = getRegency(code);
  return regency ? `Bawaslu ${regency.name}` : code;
}

/** What an officer's "transfer to ..." text resolved to. */
export type OfficeLookup =
  | { kind: 'found'; code: string }
  | { kind: 'choices'; codes: string[] }
  | { kind: 'none' };

const RI_WORDS = new Set(['ri', 'bawaslu ri', 'pusat', 'nasional', 'republik indonesia', 'bawaslu republik indonesia']);

/** Resolves a code or a name to an office (pure: the offices mirror the region data). */
export function lookupOffice(query: string): OfficeLookup {
  const trimmed = query.trim();
  const upper = trimmed.toUpperCase();
  if (OFFICE_CODE.test(upper) && officeName(upper) !== upper) return { kind: 'found', code: upper };
  const words = normaliseForMatch(trimmed).replace(/^bawaslu\s+/, '');
  if (RI_WORDS.has(words) || RI_WORDS.has(normaliseForMatch(trimmed))) return { kind: 'found', code: RI_CODE };
  const provinceQuery = words.replace(/^(provinsi|prov\.?|propinsi)\s+/, '');
  const explicitProvince = provinceQuery !== words;
  const result = searchRegions(explicitProvince ? `provinsi ${provinceQuery}` : words, { limit: 6 });
  switch (result.kind) {
    case 'exact':
      return { kind: 'found', code: result.regency.code };
    case 'district':
      return { kind: 'found', code: result.regency.code };
    case 'province':
      return { kind: 'found', code: result.province.code };
    case 'choices':
      return { kind: 'choices', codes: [...new Set(result.options.map((o) => o.regency.code))] };
    default:
      return { kind: 'none' };
  }
}

/** The office row, or null. */
export async function getOffice(db: Db, code: string) {
  return db.office.findUnique({ where: { code } });
}

/** Sets or clears (null) an office's e-mail address. Returns false for an unknown office. */
export async function setOfficeEmail(db: Db, code: string, email: string | null): Promise<boolean> {
  const updated = await db.office.updateMany({ where: { code }, data: { email } });
  return updated.count === 1;
}

/**
 * Sets an office's webhook URL with a fresh signing secret (returned once, stored encrypted), or clears both.
 * Returns null for an unknown office.
 */
export async function setOfficeWebhook(
  db: Db,
  secrets: Secrets,
  code: string,
  url: string | null,
): Promise<{ secret: string | null } | null> {
  const secret = url ? randomBytes(32).toString('hex') : null;
  const updated = await db.office.updateMany({
    where: { code },
    data: { webhookUrl: url, webhookSecretEnc: secret ? secrets.encrypt(secret) : null },
  });
  return updated.count === 1 ? { secret } : null;
}
