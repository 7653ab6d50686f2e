import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officeSeedRows, seedOffices } from '../../../bot/offices/officeSeed.ts';
import { isWithin, lookupOffice, officeChain, officeName, setOfficeEmail, setOfficeWebhook } from '../../../bot/offices/officeDirectory.ts';
import { Secrets } from '../../../bot/security/secrets.ts';
import type { Store } from '../../../bot/store/store.ts';
import { createTestStore, storeKinds } from '../../support/testDatabase.ts';

describe('office seed rows', () => {
  it('has Bawaslu RI, 38 provinsi and 514 kabupaten/kota with official codes and names', () => {
    const rows = officeSeedRows();
    expect(rows).toHaveLength(1 + 38 + 514);
    expect(rows.filter((r) => r.level === 'provinsi')).toHaveLength(38);
    expect(rows.filter((r) => r.level === 'kabkota')).toHaveLength(514);
    expect(rows.find((r) => r.code === '19.05')).toEqual({
      code: '19.05',
      level: 'kabkota',
      name: 'Bawaslu Kabupaten Bangka Barat',
      parentCode: '19',
    });
    expect(rows.find((r) => r.code === '19')).toMatchObject({ name: 'Bawaslu Provinsi Kepulauan Bangka Belitung', parentCode: 'RI' });
    expect(rows.find((r) => r.code === '13.71')?.name).toBe('Bawaslu Kota Padang');
  });
});

describe('office hierarchy', () => {
  it('climbs kabupaten/kota -> provinsi -> RI', () => {
    expect(officeChain('19.05')).toEqual(['19.05', '19', 'RI']);
    expect(officeChain('19')).toEqual(['19', 'RI']);
    expect(officeChain('RI')).toEqual(['RI']);
    expect(isWithin('19.05', '19')).toBe(true);
    expect(isWithin('19.05', '32')).toBe(false);
    expect(officeName('19.04')).toBe('Bawaslu Kabupaten Bangka Tengah');
  });

  it('finds an office by code or by the names officers type', () => {
    expect(lookupOffice('19.04')).toEqual({ kind: 'found', code: '19.04' });
    expect(lookupOffice('bangka tengah')).toEqual({ kind: 'found', code: '19.04' });
    expect(lookupOffice('Provinsi Jawa Barat')).toEqual({ kind: 'found', code: '32' });
    expect(lookupOffice('Bawaslu RI')).toEqual({ kind: 'found', code: 'RI' });
    expect(lookupOffice('Koba')).toEqual({ kind: 'found', code: '19.04' });
    const padang = lookupOffice('padang');
    expect(padang.kind).toBe('choices');
    expect(padang.kind === 'choices' && padang.codes).toContain('13.71');
    expect(lookupOffice('zzzzqqq')).toEqual({ kind: 'none' });
    expect(lookupOffice('99.99')).toEqual({ kind: 'none' });
  });
});

describe.each(storeKinds)('seeding offices on %s', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(async () => {
    await store.close();
  });

  it('inserts every office once and touches nothing on a second run', async () => {
    expect(await seedOffices(store.prisma)).toBe(553);
    expect(await store.prisma.office.count()).toBe(553);
    expect(await seedOffices(store.prisma)).toBe(0);
  });

  it('keeps an office e-mail and webhook and repairs a changed name', async () => {
    const secrets = new Secrets(Buffer.alloc(32, 1));
    expect(await setOfficeEmail(store.prisma, '19.05', 'bangkabarat@bawaslu.example')).toBe(true);
    const webhook = await setOfficeWebhook(store.prisma, secrets, '19.05', 'https://example.org/hook');
    expect(webhook?.secret).toMatch(/^[0-9a-f]{64}$/);
    await store.prisma.office.update({ where: { code: '19.05' }, data: { name: 'Wrong' } });
    expect(await seedOffices(store.prisma)).toBe(1);
    const office = await store.prisma.office.findUniqueOrThrow({ where: { code: '19.05' } });
    expect(office).toMatchObject({ name: 'Bawaslu Kabupaten Bangka Barat', email: 'bangkabarat@bawaslu.example' });
    expect(secrets.decrypt(office.webhookSecretEnc!)).toBe(webhook?.secret);
    expect(await setOfficeEmail(store.prisma, '99.99', 'x@example.org')).toBe(false);
  });
});
