import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimInvite, createInvite, generateInviteCode, inviteCodeHash } from '../../../bot/officers/invites.ts';
import {
  authorizeOfficer,
  enrolOfficer,
  listOfficers,
  officershipsOf,
  officerUserKey,
  revokeOfficer,
} from '../../../bot/officers/officerRepository.ts';
import { seedOffices } from '../../../bot/offices/officeSeed.ts';
import { Secrets } from '../../../bot/security/secrets.ts';
import type { Store } from '../../../bot/store/store.ts';
import { createTestStore, storeKinds } from '../../support/testDatabase.ts';

describe('invite codes', () => {
  it('look like PTG-XXXX-XXXX-XXXX without ambiguous characters', () => {
    for (let i = 0; i < 50; i += 1) expect(generateInviteCode()).toMatch(/^PTG-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  });

  it('hash the same however the code is typed', () => {
    expect(inviteCodeHash('ptg abcd-efgh jkmn')).toBe(inviteCodeHash('PTG-ABCD-EFGH-JKMN'));
  });
});

describe.each(storeKinds)('invites and officers on %s', (kind) => {
  let store: Store;
  const secrets = new Secrets(Buffer.alloc(32, 3));
  const now = new Date('2026-11-22T03:00:00Z');

  beforeAll(async () => {
    store = await createTestStore(kind);
    await seedOffices(store.prisma);
  });
  afterAll(async () => {
    await store.close();
  });

  it('stores only the hash of a code, which works once', async () => {
    const code = await store.prisma.$transaction((tx) =>
      createInvite(tx, { officeCode: '19.05', role: 'officer', expiresAt: new Date(now.getTime() + 86_400_000) }),
    );
    const rows = await store.prisma.invite.findMany();
    expect(JSON.stringify(rows)).not.toContain(code);
    const first = await store.prisma.$transaction((tx) => claimInvite(tx, code.toLowerCase(), 'u1', now));
    expect(first).toEqual({ ok: true, officeCode: '19.05', role: 'officer' });
    const second = await store.prisma.$transaction((tx) => claimInvite(tx, code, 'u2', now));
    expect(second).toEqual({ ok: false, reason: 'used' });
  });

  it('refuses an expired or unknown code', async () => {
    const code = await store.prisma.$transaction((tx) =>
      createInvite(tx, { officeCode: '19', role: 'coordinator', expiresAt: new Date(now.getTime() - 1) }),
    );
    expect(await store.prisma.$transaction((tx) => claimInvite(tx, code, 'u', now))).toEqual({ ok: false, reason: 'expired' });
    expect(await store.prisma.$transaction((tx) => claimInvite(tx, 'PTG-2222-3333-4444', 'u', now))).toEqual({
      ok: false,
      reason: 'unknown',
    });
  });

  it('lets officers of the office or an office above it act, and nobody after revocation', async () => {
    const regency = await store.prisma.$transaction((tx) =>
      enrolOfficer(tx, secrets, { telegramUserId: '1001', officeCode: '19.05', role: 'officer', displayName: 'Sari' }),
    );
    await store.prisma.$transaction((tx) =>
      enrolOfficer(tx, secrets, { telegramUserId: '1002', officeCode: '19', role: 'coordinator' }),
    );
    await store.prisma.$transaction((tx) => enrolOfficer(tx, secrets, { telegramUserId: '1003', officeCode: '32.01', role: 'officer' }));
    const key = (id: string) => officerUserKey(secrets, id);
    expect((await authorizeOfficer(store.prisma, key('1001'), '19.05'))?.id).toBe(regency.id);
    expect((await authorizeOfficer(store.prisma, key('1002'), '19.05'))?.officeCode).toBe('19');
    expect(await authorizeOfficer(store.prisma, key('1003'), '19.05')).toBeNull();
    expect(await authorizeOfficer(store.prisma, key('1001'), '19.04')).toBeNull();
    const address = (await store.prisma.officer.findUniqueOrThrow({ where: { id: regency.id } })).addressEnc;
    expect(address).not.toContain('1001');
    expect(secrets.decrypt(address)).toBe('telegram:1001');

    expect(await store.prisma.$transaction((tx) => revokeOfficer(tx, regency.id.slice(0, 8), now))).toMatchObject({ ok: true });
    expect(await authorizeOfficer(store.prisma, key('1001'), '19.05')).toBeNull();
    expect(await officershipsOf(store.prisma, key('1001'))).toEqual([]);
    expect(await store.prisma.$transaction((tx) => revokeOfficer(tx, regency.id, now))).toEqual({ ok: false, reason: 'revoked' });
    expect((await listOfficers(store.prisma, '19.05'))[0]).toMatchObject({ displayName: 'Sari', revokedAt: now });
  });

  it('re-activates a revoked officer who redeems a new invite', async () => {
    const again = await store.prisma.$transaction((tx) =>
      enrolOfficer(tx, secrets, { telegramUserId: '1001', officeCode: '19.05', role: 'coordinator' }),
    );
    expect(again.role).toBe('coordinator');
    expect(await authorizeOfficer(store.prisma, officerUserKey(secrets, '1001'), '19.05')).not.toBeNull();
  });
});
