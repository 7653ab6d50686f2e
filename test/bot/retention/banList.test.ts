import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyAuditLog } from '../../../bot/audit/auditLog.ts';
import { run as runBan, runUnban } from '../../../bot/cli/banCommand.ts';
import { run as runRetention } from '../../../bot/cli/retentionCommand.ts';
import { BanTargetError, setBan } from '../../../bot/retention/banList.ts';
import { createHarness, TEST_SECRET, type Harness } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';

const AT = new Date('2026-11-22T03:00:00.000Z');
let tickets = 0;

/** A chat that has talked to the bot and filed a ticket; returns its chat key. */
async function reporter(h: Harness, chat: string, pseudonym: string, code?: string): Promise<{ key: string; code: string }> {
  const first = await h.command('start', '', { chat });
  tickets += 1;
  const ticketCode = code ?? `NTR-B${String(tickets).padStart(3, '0')}-7K3P`;
  await h.app.store.prisma.ticket.create({
    data: {
      code: ticketCode,
      kind: 'tip',
      category: 'social-media',
      officeCode: '19.05',
      reporterChatKey: first.result.chatKey,
      pseudonym,
      receiptHash: 'x',
      details: {},
    },
  });
  return { key: first.result.chatKey, code: ticketCode };
}

async function bannedAt(h: Harness, key: string): Promise<Date | null> {
  return (await h.app.store.prisma.chat.findUniqueOrThrow({ where: { key } })).bannedAt;
}

describe.each(storeKinds)('the ban list (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('bans the chat behind a ticket code, which then gets only the suspension notice, and audits it', async () => {
    const { key, code } = await reporter(h, 'troll-1', 'Pelapor Elang 41');
    const result = await setBan(h.app.store, code.toLowerCase(), true, { at: AT, reason: 'spam berulang' });
    expect(result).toMatchObject({ via: 'code', codes: [code], banned: true, changed: true, bannedAt: AT });
    expect(result.chat).toBe(key.slice(0, 12));
    expect(await bannedAt(h, key)).toEqual(AT);

    const reply = await h.say('1', { chat: 'troll-1' });
    expect(reply.texts).toHaveLength(1);
    expect(reply.all).toContain('dihentikan sementara');
    // Other chats are unaffected.
    expect((await h.command('start', '', { chat: 'bystander' })).all).toContain('Selamat datang');

    const entries = await h.app.store.prisma.auditLog.findMany({ where: { action: 'chat.ban' } });
    expect(entries.at(-1)).toMatchObject({ actor: 'cli', data: { via: 'code', reason: 'spam berulang', chat: result.chat } });
    expect(JSON.stringify(entries)).not.toContain(key);
    expect((await verifyAuditLog(h.app.store.prisma)).ok).toBe(true);
  });

  it('bans and unbans by pseudonym, whatever its case, covering every ticket of that chat', async () => {
    const { key, code } = await reporter(h, 'troll-2', 'Pelapor Rajawali 7');
    const second = await reporter(h, 'troll-2', 'Pelapor Rajawali 7');
    const banned = await setBan(h.app.store, 'pelapor rajawali 7', true, { at: AT });
    expect(banned).toMatchObject({ via: 'pseudonym', codes: [code, second.code], changed: true });
    expect(await bannedAt(h, key)).toEqual(AT);

    const unbanned = await setBan(h.app.store, 'Pelapor Rajawali 7', false, { at: AT, reason: 'keliru' });
    expect(unbanned).toMatchObject({ banned: false, changed: true, bannedAt: null });
    expect(await bannedAt(h, key)).toBeNull();
    expect((await h.command('start', '', { chat: 'troll-2' })).all).toContain('Selamat datang');
    const last = await h.app.store.prisma.auditLog.findFirst({ orderBy: { seq: 'desc' } });
    expect(last).toMatchObject({ action: 'chat.unban', data: { reason: 'keliru' } });
  });

  it('changes nothing and audits nothing when the chat is already in the asked state', async () => {
    const { code } = await reporter(h, 'troll-3', 'Pelapor Camar 3');
    await setBan(h.app.store, code, true, { at: AT });
    const before = await h.app.store.prisma.auditLog.count();
    const again = await setBan(h.app.store, code, true, { at: new Date('2026-12-01T00:00:00Z') });
    expect(again).toMatchObject({ changed: false, bannedAt: AT });
    expect(await h.app.store.prisma.auditLog.count()).toBe(before);
  });

  it('refuses an unknown target, a pseudonym shared by two chats, and a purged ticket', async () => {
    await expect(setBan(h.app.store, 'NTR-ZZZZ-ZZZZ', true, { at: AT })).rejects.toMatchObject({ problem: 'notFound' });
    await expect(setBan(h.app.store, '   ', true, { at: AT })).rejects.toBeInstanceOf(BanTargetError);
    const a = await reporter(h, 'twin-a', 'Pelapor Kembar');
    const b = await reporter(h, 'twin-b', 'Pelapor Kembar');
    await expect(setBan(h.app.store, 'Pelapor Kembar', true, { at: AT })).rejects.toMatchObject({
      problem: 'ambiguous',
      codes: [a.code, b.code],
    });
    expect(await bannedAt(h, a.key)).toBeNull();
    const purged = await reporter(h, 'gone', 'Pelapor Lama');
    await h.app.store.prisma.ticket.update({
      where: { code: purged.code },
      data: { reporterChatKey: '', pseudonym: '', purgedAt: AT },
    });
    await expect(setBan(h.app.store, purged.code, true, { at: AT })).rejects.toMatchObject({ problem: 'purged' });
  });
});

describe('netra ban, unban and retention on PostgreSQL', () => {
  let h: Harness;
  const saved = { ...process.env };
  const out: string[] = [];
  const err: string[] = [];

  beforeAll(async () => {
    h = await createHarness('postgres');
    const databaseUrl = (h.app.store as { databaseUrl?: string }).databaseUrl;
    if (!databaseUrl) throw new Error('the postgres harness has no database URL');
    Object.assign(process.env, { DATABASE_URL: databaseUrl, NETRA_SECRET: TEST_SECRET, NETRA_DATA_DIR: h.dataDir, LOG_LEVEL: 'silent' });
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  });
  afterEach(() => {
    out.length = 0;
    err.length = 0;
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    for (const name of ['DATABASE_URL', 'NETRA_SECRET', 'NETRA_DATA_DIR', 'LOG_LEVEL']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await h?.close();
  });

  it('bans by ticket code with a reason and unbans by pseudonym', async () => {
    const { key, code } = await reporter(h, 'cli-troll', 'Pelapor Merpati 5');
    expect(await runBan([code, '--reason', 'ancaman kepada petugas'])).toBe(0);
    expect(out.join('')).toContain(`Banned chat ${key.slice(0, 12)} (tickets ${code})`);
    expect(await bannedAt(h, key)).not.toBeNull();
    const audit = await h.app.store.prisma.auditLog.findFirst({ orderBy: { seq: 'desc' } });
    expect(audit).toMatchObject({ actor: 'cli', action: 'chat.ban', data: { reason: 'ancaman kepada petugas' } });

    expect(await runUnban(['Pelapor', 'Merpati', '5'])).toBe(0);
    expect(await bannedAt(h, key)).toBeNull();
  });

  it('explains an unknown target and a missing argument with a non-zero exit code', async () => {
    expect(await runBan(['NTR-QQQQ-QQQQ'])).toBe(1);
    expect(err.join('')).toContain('No ticket has the code or pseudonym');
    expect(await runBan([])).toBe(2);
    expect(err.join('')).toContain('Usage: netra ban');
  });

  it('runs retention now, and only counts with --dry-run', async () => {
    const { code } = await reporter(h, 'cli-old', 'Pelapor Lama 2');
    await h.app.store.prisma.ticket.update({
      where: { code },
      data: { status: 'done', closedAt: new Date(Date.now() - 400 * 86_400_000), reporterIdentityEnc: 'sealed' },
    });
    expect(await runRetention(['run', '--dry-run'])).toBe(0);
    expect(out.join('')).toContain('Would purge 1 closed ticket(s)');
    expect((await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code } })).purgedAt).toBeNull();
    expect(await runRetention(['run'])).toBe(0);
    expect(out.join('')).toContain('Purged 1 closed ticket(s)');
    expect((await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code } })).reporterIdentityEnc).toBeNull();
    expect(await runRetention([])).toBe(2);
  });
});
