import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, canonicalJson, GENESIS_HASH, recordAudit, verifyAuditLog } from '../../../bot/audit/auditLog.ts';
import type { Store } from '../../../bot/store/store.ts';
import { createTestStore, storeKinds } from '../../support/testDatabase.ts';

describe('canonicalJson', () => {
  it('sorts keys at every level so jsonb key order cannot change a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe.each(storeKinds)('audit log on %s', (kind) => {
  let store: Store;
  const at = new Date('2026-11-22T03:00:00.123Z');

  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(async () => {
    await store.close();
  });

  const write = async (n: number) => {
    for (let i = 0; i < n; i += 1) {
      await recordAudit(store.prisma, {
        actor: `officer:${i}`,
        action: 'ticket.status',
        ticketId: null,
        data: { code: `NTR-AAAA-000${i}`, to: 'done', nested: { b: 2, a: 1 } },
        at: new Date(at.getTime() + i * 1000),
      });
    }
  };

  it('chains entries from the genesis hash and verifies an untouched log', async () => {
    await write(5);
    const rows = await store.prisma.auditLog.findMany({ orderBy: { seq: 'asc' } });
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    const result = await verifyAuditLog(store.prisma, { batchSize: 2 });
    expect(result).toMatchObject({ ok: true, entries: 5, head: { seq: 5, hash: rows[4]!.hash } });
  });

  it('serialises concurrent appends into one unbroken chain', async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.prisma.$transaction((tx) => appendAudit(tx, { actor: 'system', action: 'concurrent', data: { i }, at })),
      ),
    );
    const result = await verifyAuditLog(store.prisma);
    expect(result.ok).toBe(true);
    expect(result.entries).toBe(13);
  });

  it('detects an edited entry', async () => {
    await store.exec(`UPDATE "AuditLog" SET "data" = '{"code":"NTR-AAAA-0002","to":"handling"}' WHERE "seq" = 3`);
    const result = await verifyAuditLog(store.prisma);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(expect.objectContaining({ seq: 3, problem: 'edited' }));
  });

  it('detects a removed entry', async () => {
    await store.exec(`DELETE FROM "AuditLog" WHERE "seq" = 6`);
    const result = await verifyAuditLog(store.prisma);
    expect(result.problems).toContainEqual(expect.objectContaining({ seq: 7, problem: 'missing' }));
    expect(result.problems).toContainEqual(expect.objectContaining({ seq: 7, problem: 'unlinked' }));
  });

  it('detects a cut tail against a head noted earlier', async () => {
    const before = await verifyAuditLog(store.prisma);
    await store.exec(`DELETE FROM "AuditLog" WHERE "seq" = (SELECT max("seq") FROM "AuditLog")`);
    const after = await verifyAuditLog(store.prisma, { expect: before.head! });
    expect(after.problems).toContainEqual(expect.objectContaining({ seq: before.head!.seq, problem: 'missing' }));
  });
});
