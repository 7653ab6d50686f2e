import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../../bot/app.ts';
import { run as audit } from '../../../bot/cli/auditCommand.ts';
import { run as invite } from '../../../bot/cli/inviteCommand.ts';
import { run as office } from '../../../bot/cli/officeCommand.ts';
import { run as officer } from '../../../bot/cli/officerCommand.ts';
import { run as outbox } from '../../../bot/cli/outboxCommand.ts';
import { run as tickets } from '../../../bot/cli/ticketsCommand.ts';
import { loadConfig } from '../../../bot/config.ts';
import { recordAudit } from '../../../bot/audit/auditLog.ts';
import { claimInvite, inviteCodeHash } from '../../../bot/officers/invites.ts';
import { enrolOfficer } from '../../../bot/officers/officerRepository.ts';
import { notifyReporter } from '../../../bot/officers/ticketActions.ts';
import { TEST_SECRET } from '../../support/chatHarness.ts';
import { createTestDatabase, dropTestDatabase, storeKinds } from '../../support/testDatabase.ts';
import { createTicket } from '../forwarding/support/fixtures.ts';

/** Runs a command in-process and returns its exit code and what it printed. */
async function cli(command: (args: string[]) => Promise<number>, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await command(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe.each(storeKinds)('operator commands on %s', (kind) => {
  const saved = { ...process.env };
  let dataDir: string;
  let databaseUrl: string | undefined;

  /** Opens the same store the commands use (the embedded one is locked while open, so it is closed after). */
  const withApp = async <T>(fn: (app: App) => Promise<T>): Promise<T> => {
    const app = await createApp(loadConfig(process.env), { logger: pino({ level: 'silent' }) });
    try {
      return await fn(app);
    } finally {
      await app.close();
    }
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'netra-cli-'));
    process.env.NETRA_DATA_DIR = dataDir;
    process.env.NETRA_SECRET = TEST_SECRET;
    process.env.LOG_LEVEL = 'silent';
    delete process.env.SMTP_URL;
    delete process.env.TELEGRAM_BOT_TOKEN;
    if (kind === 'postgres') {
      databaseUrl = await createTestDatabase();
      process.env.DATABASE_URL = databaseUrl;
    } else {
      delete process.env.DATABASE_URL;
    }
  });
  afterAll(async () => {
    process.env = saved;
    if (databaseUrl) await dropTestDatabase(databaseUrl);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a one-time invite code alone on the last line and stores only its hash', async () => {
    const result = await cli(invite, '--office', '19.05', '--role', 'coordinator', '--expires', '2d');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    const code = lines[lines.length - 1]!;
    expect(code).toMatch(/^PTG-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(result.stdout).toContain('Bawaslu Kabupaten Bangka Barat');
    const stored = await withApp((app) => app.store.prisma.invite.findUniqueOrThrow({ where: { codeHash: inviteCodeHash(code) } }));
    expect(stored).toMatchObject({ officeCode: '19.05', role: 'coordinator' });
    expect(stored.expiresAt.getTime() - Date.now()).toBeGreaterThan(47 * 3_600_000);
    expect((await cli(invite, '--office', '99.99')).code).toBe(1);
    expect((await cli(invite, '--office', '19.05', '--role', 'boss')).code).toBe(2);
    expect((await cli(invite, '--office', '19.05', '--expires', 'soon')).code).toBe(2);
  });

  it('lists open invites without their codes and cancels one, whose code then no longer enrols', async () => {
    const created = await cli(invite, '--office', '19.04');
    const code = created.stdout.trimEnd().split('\n').at(-1)!;
    const id = inviteCodeHash(code).slice(0, 8);
    const list = await cli(invite, 'list', '--office', '19.04');
    expect(list.stdout).toContain(id);
    expect(list.stdout).toContain('19.04 Bawaslu Kabupaten Bangka Tengah');
    expect(list.stdout).not.toContain(code);
    const cancelled = await cli(invite, 'cancel', id);
    expect(cancelled).toMatchObject({ code: 0, stdout: expect.stringContaining('its code no longer works') });
    expect((await cli(invite, 'list', '--office', '19.04')).stdout).toBe('No open invites.\n');
    const claimed = await withApp((app) => app.store.prisma.$transaction((tx) => claimInvite(tx, code, 'someone', new Date())));
    expect(claimed).toEqual({ ok: false, reason: 'expired' });
    expect((await cli(invite, 'cancel', id)).code).toBe(1);
    expect((await cli(invite, 'cancel', 'zz')).code).toBe(2);
    expect((await cli(invite, 'remove', id)).code).toBe(2);
  });

  it('sets an office e-mail and webhook, printing the signing secret once, and shows where tickets go', async () => {
    const set = await cli(office, 'set', '19.05', '--email', 'bangkabarat@bawaslu.test', '--webhook', 'https://hooks.example.org/netra');
    expect(set.code).toBe(0);
    const secret = /\n([0-9a-f]{64})\n/.exec(set.stdout)?.[1];
    expect(secret).toBeDefined();
    // Without SMTP_URL the address is kept but not used, and the operator is told so.
    expect(set.stdout).toContain('SMTP_URL is not set');
    const show = await cli(office, 'show', '19.05');
    expect(show.stdout).toContain('E-mail: bangkabarat@bawaslu.test (not used: SMTP_URL is not set)');
    expect(show.stdout).toContain('Webhook: https://hooks.example.org/netra (signed)');
    expect(show.stdout).toContain('New tickets go to: webhook\n');
    expect(show.stdout).not.toContain(secret!);
    process.env.SMTP_URL = 'smtp://127.0.0.1:2525';
    try {
      const withSmtp = await cli(office, 'show', '19.05');
      expect(withSmtp.stdout).toContain('E-mail: bangkabarat@bawaslu.test\n');
      expect(withSmtp.stdout).toContain('New tickets go to: email, webhook');
    } finally {
      delete process.env.SMTP_URL;
    }
    expect((await cli(office, 'show', '19.04')).stdout).toContain('tickets wait until Bawaslu RI');
    expect((await cli(office, 'set', '19.05', '--email', 'not-an-address')).code).toBe(2);
    expect((await cli(office, 'set', '19.05', '--webhook', 'none', '--email', 'none')).code).toBe(0);
    expect((await cli(office, 'show', '19.05')).stdout).toContain('Webhook: not set');
  });

  it('lists officers and revokes one by its id prefix', async () => {
    const id = await withApp((app) =>
      app.store.prisma.$transaction((tx) =>
        enrolOfficer(tx, app.secrets, { telegramUserId: '987654321', officeCode: '19.05', role: 'officer', displayName: 'Sari Dewi' }),
      ),
    );
    const list = await cli(officer, 'list');
    expect(list.stdout).toContain(id.id.slice(0, 8));
    expect(list.stdout).toContain('Sari Dewi');
    // The officer's Telegram id is never listed (a short id such as 42 could appear inside the random row id).
    expect(list.stdout).not.toContain('987654321');
    const revoked = await cli(officer, 'revoke', id.id.slice(0, 8));
    expect(revoked.stdout).toContain('Revoked Sari Dewi');
    expect((await cli(officer, 'list')).stdout).not.toContain('Sari Dewi');
    expect((await cli(officer, 'list', '--all')).stdout).toContain('revoked');
    expect((await cli(officer, 'revoke', id.id)).code).toBe(1);
    expect((await cli(officer, 'list', '--office', '19.04')).stdout).toBe(
      "No officers of Bawaslu Kabupaten Bangka Tengah (19.04) yet. Invite the person who links the office's groups first: netra invite --office 19.04 --role coordinator\n",
    );
    const unknown = await cli(officer, 'list', '--office', '99.99');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown office 99.99.');
    expect((await cli(officer, 'list', '--office', 'Bangka')).code).toBe(2);
  });

  it('names the groups a revoked officer linked, and unlinks one with office unlink', async () => {
    const linker = await withApp((app) =>
      app.store.prisma.$transaction(async (tx) => {
        const enrolled = await enrolOfficer(tx, app.secrets, { telegramUserId: '43', officeCode: '19.05', role: 'officer', displayName: 'Budi' });
        await tx.officeChat.create({ data: { officeCode: '19.05', chatId: '-100555', linkedBy: enrolled.id } });
        return enrolled;
      }),
    );
    const revoked = await cli(officer, 'revoke', linker.id.slice(0, 8));
    expect(revoked.stdout).toContain('still receive tickets');
    expect(revoked.stdout).toContain('netra office unlink 19.05 --chat -100555');
    expect((await cli(office, 'show', '19.05')).stdout).toContain('Telegram groups: -100555 (linked ');
    const unlinked = await cli(office, 'unlink', '19.05', '--chat', '-100555');
    expect(unlinked).toMatchObject({ code: 0, stdout: expect.stringContaining('no longer receives') });
    expect((await cli(office, 'show', '19.05')).stdout).toContain('Telegram groups: none');
    const again = await cli(office, 'unlink', '19.05', '--chat', '-100555');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('has no Telegram group -100555');
    expect((await cli(office, 'unlink', '19.05')).code).toBe(2);
  });

  it('shows who linked each group of an office and their role, so groups plain officers linked can be found', async () => {
    const [plain, coordinator] = await withApp((app) =>
      app.store.prisma.$transaction(async (tx) => {
        const a = await enrolOfficer(tx, app.secrets, { telegramUserId: '51', officeCode: '19.02', role: 'officer', displayName: 'Dewi' });
        const b = await enrolOfficer(tx, app.secrets, { telegramUserId: '52', officeCode: '19.02', role: 'coordinator', displayName: 'Eko' });
        await tx.officeChat.createMany({
          data: [
            { officeCode: '19.02', chatId: '-100601', linkedBy: a.id, createdAt: new Date('2026-11-01T00:00:00Z') },
            { officeCode: '19.02', chatId: '-100602', linkedBy: b.id, createdAt: new Date('2026-11-02T00:00:00Z') },
            { officeCode: '19.02', chatId: '-100603', linkedBy: 'cli', createdAt: new Date('2026-11-03T00:00:00Z') },
          ],
        });
        return [a, b];
      }),
    );
    const shown = (await cli(office, 'show', '19.02')).stdout;
    expect(shown).toContain(
      `Telegram groups: -100601 (linked 2026-11-01 by Dewi [${plain!.id.slice(0, 8)}], officer), ` +
        `-100602 (linked 2026-11-02 by Eko [${coordinator!.id.slice(0, 8)}], coordinator), -100603 (linked 2026-11-03 by -, -)`,
    );
  });

  it('lists failing deliveries with their error, retries one, and tells how long the oldest undelivered row has waited', async () => {
    const rowId = await withApp(async (app) => {
      const row = await app.store.prisma.outbox.create({
        data: {
          kind: 'chat.message',
          destination: { type: 'chat', chatKey: 'k' },
          payload: {},
          dedupKey: 'cli-test',
          status: 'dead',
          attempts: 12,
          lastError: 'DeliveryError: Telegram 403: bot was blocked by the user',
        },
      });
      return row.id;
    });
    const list = await cli(outbox);
    expect(list.stdout).toContain(rowId.slice(0, 8));
    expect(list.stdout).toContain('bot was blocked');
    expect(list.stdout).toMatch(/Outbox: .*1 dead/);
    expect((await cli(outbox, 'retry', rowId.slice(0, 8))).stdout).toContain(`Queued again: ${rowId.slice(0, 8)}`);
    const after = await withApp((app) => app.store.prisma.outbox.findUniqueOrThrow({ where: { id: rowId } }));
    expect(after).toMatchObject({ status: 'pending', attempts: 0 });
    // Queued again, it is undelivered: the summary says how long the oldest such row has waited (written just now).
    expect((await cli(outbox)).stdout).toMatch(/^Outbox: 1 pending; the oldest undelivered row has waited \d+ s$/m);
    expect((await cli(outbox, 'retry', 'ffffffff')).code).toBe(1);
  });

  it('exports tickets without tip identities, and formal identities only when asked (audit-logged)', async () => {
    const made = await withApp(async (app) => {
      const tip = await createTicket(app, { officeCode: '19.05', kind: 'tip', withFiles: false, createdAt: new Date('2026-03-01T00:00:00Z') });
      const formal = await createTicket(app, { officeCode: '19.05', kind: 'formal', withFiles: false, createdAt: new Date('2026-04-01T00:00:00Z') });
      const elsewhere = await createTicket(app, { officeCode: '32.01', withFiles: false, createdAt: new Date('2026-04-01T00:00:00Z') });
      const old = await createTicket(app, { officeCode: '19.05', withFiles: false, createdAt: new Date('2025-06-01T00:00:00Z') });
      return { tip: tip.ticket.code, formal: formal.ticket.code, elsewhere: elsewhere.ticket.code, old: old.ticket.code };
    });
    const csv = await cli(tickets, 'export', '--office', '19.05', '--since', '2026-01-01', '--format', 'csv');
    expect(csv.code).toBe(0);
    const [header, ...rows] = csv.stdout.trimEnd().split('\n');
    expect(header).toContain('code,kind,status');
    expect(rows).toHaveLength(2);
    expect(csv.stdout).toContain(made.tip);
    expect(csv.stdout).toContain(made.formal);
    expect(csv.stdout).not.toContain(made.elsewhere);
    expect(csv.stdout).not.toContain(made.old);
    expect(csv.stdout).toContain('Budi Santoso');
    expect(csv.stdout).not.toContain('Siti Aminah');

    const json = await cli(tickets, 'export', '--office', '19', '--format', 'json', '--with-identity');
    const parsed = JSON.parse(json.stdout) as { tickets: Array<{ code: string; kind: string; reporterName: string; reporterPhone: string }> };
    expect(parsed.tickets.map((t) => t.code)).toEqual([made.old, made.tip, made.formal]);
    expect(parsed.tickets.find((t) => t.code === made.formal)).toMatchObject({ reporterName: 'Siti Aminah', reporterPhone: '+6281234567890' });
    expect(parsed.tickets.filter((t) => t.kind === 'tip').every((t) => t.reporterName === '')).toBe(true);

    const exports = await withApp((app) => app.store.prisma.auditLog.findMany({ where: { action: 'tickets.export' }, orderBy: { seq: 'asc' } }));
    expect(exports.map((e) => e.data)).toEqual([
      expect.objectContaining({ officeCode: '19.05', withIdentity: false, count: 2, identities: 0 }),
      expect.objectContaining({ officeCode: '19', withIdentity: true, count: 3, identities: 1 }),
    ]);
    expect((await cli(tickets, 'export', '--office', '19.05', '--format', 'xml')).code).toBe(2);
    const notADay = await cli(tickets, 'export', '--office', '19.05', '--since', '2026-13-01');
    expect(notADay).toMatchObject({ code: 2, stdout: '' });
    expect(notADay.stderr).toContain('--since expects a date such as 2026-11-01, not "2026-13-01"');
    const reversed = await cli(tickets, 'export', '--office', '19.05', '--since', '2026-05-01', '--until', '2026-04-01');
    expect(reversed).toMatchObject({ code: 2, stdout: '' });
    expect(reversed.stderr).toContain('--since (2026-05-01) is after --until (2026-04-01)');
  });

  it('verifies the audit log, and fails naming the entry when a row was tampered with', async () => {
    await withApp((app) => recordAudit(app.store.prisma, { actor: 'cli', action: 'test', data: { n: 1 }, at: new Date() }));
    const ok = await cli(audit, 'verify');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Audit log intact: \d+ entries\.\nHead: (\d+):[0-9a-f]{64}/);
    const head = /Head: (\d+:[0-9a-f]{64})/.exec(ok.stdout)![1]!;
    await withApp((app) => app.store.exec(`UPDATE "AuditLog" SET "actor" = 'someone else' WHERE "seq" = 2`));
    const broken = await cli(audit, 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('entry 2: edited');
    await withApp((app) => app.store.exec(`DELETE FROM "AuditLog" WHERE "seq" >= ${head.split(':')[0]}`));
    expect((await cli(audit, 'verify', '--expect', head)).stdout).toContain(`entry ${head.split(':')[0]}: missing`);
  });

  it("erases one ticket's personal data and files on request, an open one only when told, audit-logged", async () => {
    const { ticket } = await withApp((app) => createTicket(app, { officeCode: '19.05', kind: 'formal' }));
    expect((await cli(tickets, 'purge', ticket.code)).code).toBe(2);
    const open = await cli(tickets, 'purge', ticket.code, '--reason', 'Permintaan penghapusan data oleh pelapor');
    expect(open.code).toBe(1);
    expect(open.stderr).toContain('is still open (received) at Bawaslu Kabupaten Bangka Barat');
    // Run with another data directory than the bot's, it would delete the records and leave the files: refused.
    // (On the embedded database another data directory is another database, without this ticket.)
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'netra-cli-other-'));
    process.env.NETRA_DATA_DIR = elsewhere;
    try {
      const wrongDir = await cli(tickets, 'purge', ticket.code, '--reason', 'Permintaan penghapusan data oleh pelapor', '--include-open');
      expect(wrongDir.code).toBe(1);
      expect(wrongDir.stderr).toContain(kind === 'postgres' ? 'Nothing was changed' : `No ticket ${ticket.code}`);
    } finally {
      process.env.NETRA_DATA_DIR = dataDir;
      rmSync(elsewhere, { recursive: true, force: true });
    }
    const erased = await cli(tickets, 'purge', ticket.code.toLowerCase(), '--reason', 'Permintaan penghapusan data oleh pelapor', '--include-open');
    expect(erased).toMatchObject({ code: 0, stdout: expect.stringContaining(`Erased ${ticket.code}`) });
    const after = await withApp(async (app) => ({
      ticket: await app.store.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } }),
      evidence: await app.store.prisma.evidence.count({ where: { ticketId: ticket.id } }),
      audit: await app.store.prisma.auditLog.findMany({ where: { action: 'ticket.purge', ticketId: ticket.id } }),
    }));
    expect(after.ticket).toMatchObject({ reporterIdentityEnc: null, witnessesEnc: null, pseudonym: '', reporterChatKey: '' });
    expect(after.ticket.purgedAt).not.toBeNull();
    expect(JSON.stringify(after.ticket.details)).not.toContain('Budi Santoso');
    expect(after.evidence).toBe(0);
    expect(after.audit).toEqual([expect.objectContaining({ data: expect.objectContaining({ reason: 'Permintaan penghapusan data oleh pelapor', wasOpen: true }) })]);
    expect((await cli(tickets, 'purge', ticket.code, '--reason', 'lagi')).stdout).toContain('purged already');
    // The office may still act on it; the reporter, whose chat is forgotten, is sent nothing.
    await withApp((app) => app.store.prisma.$transaction((tx) => notifyReporter(tx, after.ticket, 'after-purge', [], new Date())));
    expect(await withApp((app) => app.store.prisma.outbox.count({ where: { dedupKey: { contains: 'after-purge' } } }))).toBe(0);
    expect((await cli(tickets, 'purge', 'NTR-2222-2222', '--reason', 'salah kirim')).code).toBe(1);
  });


  it("names each delivery's ticket, and discards a dead-lettered one for good with a reason, audit-logged", async () => {
    const made = await withApp(async (app) => {
      const { ticket } = await createTicket(app, { officeCode: '19.04', withFiles: false });
      const dead = await app.store.prisma.outbox.create({
        data: {
          kind: 'chat.message',
          destination: { type: 'chat', chatKey: 'k2' },
          payload: { ticketId: ticket.id },
          dedupKey: `ticket:${ticket.id}:event:e1:reporter`,
          status: 'dead',
          attempts: 12,
          lastError: 'DeliveryError: Telegram 403: bot was blocked by the user',
        },
      });
      return { code: ticket.code, dead: dead.id };
    });
    const list = await cli(outbox, '--status', 'dead');
    expect(list.stdout).toMatch(new RegExp(`${made.dead.slice(0, 8)}\\s+dead\\s+chat\\.message\\s+${made.code}`));
    expect((await cli(outbox, 'discard', made.dead.slice(0, 8))).code).toBe(2);
    const discarded = await cli(outbox, 'discard', made.dead.slice(0, 8), '--reason', 'Pelapor memblokir bot');
    expect(discarded).toMatchObject({ code: 0, stdout: expect.stringContaining('no longer counts as undelivered') });
    expect((await cli(outbox)).stdout).not.toMatch(/\d+ dead/);
    const after = await withApp(async (app) => ({
      row: await app.store.prisma.outbox.findUniqueOrThrow({ where: { id: made.dead } }),
      audit: await app.store.prisma.auditLog.count({ where: { action: 'outbox.discard' } }),
    }));
    expect(after.row).toMatchObject({ status: 'discarded', lastError: 'discarded by the operator: Pelapor memblokir bot' });
    expect(after.audit).toBe(1);
    // A row still queued may yet be delivered: it cannot be discarded.
    const pending = await withApp((app) => app.store.prisma.outbox.findFirstOrThrow({ where: { status: 'pending' } }));
    expect((await cli(outbox, 'discard', pending.id.slice(0, 8), '--reason', 'tidak perlu')).code).toBe(1);
    // The office's copy of a ticket is given up only with --force: the office might otherwise never get it.
    const officeCopy = await withApp((app) =>
      app.store.prisma.outbox.create({
        data: {
          kind: 'office.deliver',
          destination: { type: 'telegram', chatId: '-100999', officeCode: '19.04' },
          payload: {},
          dedupKey: 'cli-office-copy',
          status: 'dead',
          attempts: 12,
          lastError: 'DeliveryError: Telegram 400: chat not found',
        },
      }),
    );
    const refused = await cli(outbox, 'discard', officeCopy.id.slice(0, 8), '--reason', 'grup sudah dihapus');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('only with --force');
    expect((await cli(outbox, 'discard', officeCopy.id.slice(0, 8), '--reason', 'grup sudah dihapus', '--force')).code).toBe(0);
    expect((await cli(outbox, '--status', 'discarded')).stdout).toContain(officeCopy.id.slice(0, 8));
  });
});
