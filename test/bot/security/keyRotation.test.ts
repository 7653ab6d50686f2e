/**
 * Rotating the master secret: everything made under the old secret (a filed formal report with its receipt, a
 * report left at its review, a certificate, an officer, an office's webhook secret, queued messages) reads and
 * verifies under the new one; the old secret is refused afterwards and opens nothing in the database; a dry run and
 * an interrupted rotation change nothing.
 */
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { say as sayMessage } from '../../../flows/messages.ts';
import { createApp, type App } from '../../../bot/app.ts';
import { verifyAuditLog } from '../../../bot/audit/auditLog.ts';
import { loadConfig } from '../../../bot/config.ts';
import { findCertificate, issueCertificate } from '../../../bot/education/certificates.ts';
import { toPlainText } from '../../../bot/i18n.ts';
import { setOfficeWebhook } from '../../../bot/offices/officeDirectory.ts';
import { enrolOfficer, officershipsOf, officerUserKey } from '../../../bot/officers/officerRepository.ts';
import { notifyReporter } from '../../../bot/officers/ticketActions.ts';
import { KeyMismatchError, keyFingerprint } from '../../../bot/security/keyCheck.ts';
import { rotateSecret, SameSecretError, UnknownKeyedDataError, type RotationStep } from '../../../bot/security/keyRotation.ts';
import { Secrets } from '../../../bot/security/secrets.ts';
import { pseudonymFor, verifyReceipt } from '../../../bot/tickets/ticketCodes.ts';
import { createHarness, TEST_SECRET, type Harness, type Reply } from '../../support/chatHarness.ts';
import { createTestStore, storeKinds } from '../../support/testDatabase.ts';
import { confirm, formalToReview, tipToReview } from '../../flows/report/reportJourney.ts';

const OLD = Buffer.from(TEST_SECRET, 'base64');
const NEW = Buffer.alloc(32, 41);
const THIRD = Buffer.alloc(32, 42);

const FILER = { name: 'Rina Lestari', address: 'Jl. Sudirman No. 3, Koba', phone: '+62 813 2222 3333', email: 'rina@example.com' };
const DRAFTER = { name: 'Agus Salim', address: 'Jl. Merdeka No. 9, Muntok', phone: '+62 812 4444 5555', email: 'agus@example.com' };
const KEEPER = { name: 'Wulan Sari', address: 'Jl. Melati No. 4, Sungailiat', phone: '+62 811 6666 7777', email: 'wulan@example.com' };

/** Every row of every table as JSON text, sorted: what a copy of the database holds. */
async function dump(app: App): Promise<string> {
  const prisma = app.store.prisma;
  const tables = await prisma.$queryRawUnsafe<Array<{ name: string }>>(
    `SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const lines: string[] = [];
  for (const { name } of tables) {
    const rows = await prisma.$queryRawUnsafe<Array<{ j: string }>>(`SELECT row_to_json(t)::text AS j FROM "${name}" t`);
    lines.push(...rows.map((r) => `${name} ${r.j}`));
  }
  return lines.sort().join('\n');
}

/** The ciphertexts in a dump that `secrets` opens. */
function opened(text: string, secrets: Secrets): string[] {
  return [...text.matchAll(/v1\.[A-Za-z0-9+/]{38,}={0,2}/g)].flatMap(([token]) => {
    try {
      return [secrets.decrypt(token)];
    } catch {
      return [];
    }
  });
}

/** Drives an app as the harness does (terminal chats), for the app started after a rotation. */
function driver(app: App) {
  const send = async (chat: string, event: Parameters<App['runtime']['handle']>[1]): Promise<Reply> => {
    const result = await app.runtime.handle({ channel: 'terminal', chatId: chat }, event);
    const texts = result.messages.map((m) => toPlainText(app.renderer.message(m, result.locale).text));
    return { result, messages: result.messages, texts, all: texts.join('\n'), choices: [], values: [] };
  };
  return {
    say: (text: string, options: { chat?: string } = {}) => send(options.chat ?? 'alice', { type: 'user.sendText', text }),
    command: (name: string, args = '', options: { chat?: string } = {}) => send(options.chat ?? 'alice', { type: 'user.sendCommand', name, args }),
  };
}

interface Seeded {
  code: string;
  receipt: string;
  certificate: string;
  webhookSecret: string;
  /** Every ticket's submission key as filed (an HMAC under the old secret over the chat key and the draft). */
  submissionKeys: string[];
  /** The report sent after the first rotation. */
  second?: { code: string; receipt: string };
}

/** Data of every kind that depends on the secret, made under the old one through the real code paths. */
async function seed(h: Harness): Promise<Seeded> {
  const { app } = h;
  const prisma = app.store.prisma;
  const links = ['https://facebook.com/camat.koba/posts/1'];
  await formalToReview(h, { chat: 'filer', locale: 'id', links, reporter: FILER, witness: { name: 'Joko Susilo', contact: 'Jl. Kenanga No. 1, Koba' } });
  const filed = await confirm(h, { chat: 'filer', locale: 'id' });
  // An anonymous tip: nothing may be left that lets the old secret link it to the number that sent it.
  await tipToReview(h, { chat: 'tipster', locale: 'id' });
  await confirm(h, { chat: 'tipster', locale: 'id' });
  // A second report left at its review: the conversation's snapshot holds the sealed identity.
  await formalToReview(h, { chat: 'drafter', locale: 'en', links, reporter: DRAFTER, witness: { name: 'Dewi Sartika', contact: 'Jl. Mawar 2, Muntok' } });
  // A third left at its review for the status check: kept aside, its sealed identity sits in the chat's memory.
  await formalToReview(h, { chat: 'keeper', locale: 'id', links, reporter: KEEPER, witness: { name: 'Rudi Hartono', contact: 'Jl. Anggrek 5, Sungailiat' } });
  await h.command('status', '', { chat: 'keeper' });
  expect((await h.say('ya', { chat: 'keeper' })).all).toContain('Draf laporan Anda disimpan');

  const filerKey = app.runtime.chatKey({ channel: 'terminal', chatId: 'filer' });
  const at = h.now();
  const attempt = await prisma.quizAttempt.create({
    data: { chatKey: filerKey, questionIds: [], total: 10, score: 9, passed: true, finishedAt: at },
  });
  const certificate = await prisma.$transaction((tx) =>
    issueCertificate(tx, app, { chatKey: filerKey, attemptId: attempt.id, name: 'Sri Wahyuni', locale: 'id', at }),
  );
  await prisma.$transaction((tx) => enrolOfficer(tx, app.secrets, { telegramUserId: '777001', officeCode: '19.05', role: 'officer' }));
  await prisma.invite.create({
    data: {
      codeHash: 'claimed-invite',
      officeCode: '19.05',
      expiresAt: new Date(at.getTime() + 86_400_000),
      usedAt: at,
      usedBy: officerUserKey(app.secrets, '777001').slice(0, 16),
    },
  });
  const webhook = await setOfficeWebhook(prisma, app.secrets, '19.05', 'https://hooks.example.org/netra');
  const ticket = await prisma.ticket.findUniqueOrThrow({ where: { code: filed.code } });
  await prisma.$transaction((tx) => notifyReporter(tx, ticket, 'event-1', [sayMessage('common.banned')], at));
  // A sealed value in a queued row's payload: no kind writes one today, a later one may.
  await prisma.outbox.create({
    data: { kind: 'test.sealed', destination: { type: 'office', officeCode: '19.05' }, payload: { note: app.secrets.encrypt('catatan rahasia') }, dedupKey: 'test:sealed' },
  });
  const submissionKeys = (await prisma.ticket.findMany({ select: { submissionKey: true } })).map((t) => t.submissionKey!);
  expect(submissionKeys).toHaveLength(2);
  return { code: filed.code, receipt: filed.receipt.replace(/ /g, ''), certificate: certificate.code, webhookSecret: webhook!.secret!, submissionKeys };
}

describe.each(storeKinds)('rotating the secret on %s', (kind) => {
  let h: Harness;
  let seeded: Seeded;
  /** The database as seeded, which every refused, dry or interrupted rotation must leave as it was. */
  let before: string;
  const apps: App[] = [];
  const start = async (secret: Buffer) => {
    const app = await createApp(loadConfig({ NETRA_SECRET: secret.toString('base64'), NETRA_DATA_DIR: h.dataDir, RATE_LIMIT_PER_MINUTE: '1000' }), {
      store: h.app.store,
      logger: pino({ level: 'silent' }),
      clock: h.now,
    });
    apps.push(app);
    return app;
  };

  // One database for the whole story, in order: what must change nothing first, then the rotations.
  beforeAll(async () => {
    h = await createHarness(kind, { env: { RATE_LIMIT_PER_MINUTE: '1000' } });
    seeded = await seed(h);
    before = await dump(h.app);
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses a current secret that is not the database\'s, and a new secret that is the current one', async () => {
    await expect(rotateSecret(h.app.store, new Secrets(THIRD), new Secrets(NEW))).rejects.toThrow(KeyMismatchError);
    await expect(rotateSecret(h.app.store, new Secrets(OLD), new Secrets(OLD))).rejects.toThrow(SameSecretError);
    expect(await dump(h.app)).toBe(before);
  });

  it('changes nothing when data under the old secret, or an old chat key, sits where it does not know how to move it', async () => {
    const prisma = h.app.store.prisma;
    const ticket = await prisma.ticket.findUniqueOrThrow({ where: { code: seeded.code } });
    try {
      await prisma.ticketEvent.create({ data: { ticketId: ticket.id, type: 'note', text: h.app.secrets.encrypt('Rina, 0813'), actor: 'system' } });
      const withNote = await dump(h.app);
      const attempt = rotateSecret(h.app.store, new Secrets(OLD), new Secrets(NEW));
      await expect(attempt).rejects.toThrow(UnknownKeyedDataError);
      await expect(attempt).rejects.toThrow('TicketEvent.text');
      expect(await dump(h.app)).toBe(withNote);

      await prisma.ticketEvent.deleteMany({ where: { type: 'note' } });
      await prisma.ticketEvent.create({ data: { ticketId: ticket.id, type: 'note', actor: h.app.runtime.chatKey({ channel: 'terminal', chatId: 'filer' }) } });
      await expect(rotateSecret(h.app.store, new Secrets(OLD), new Secrets(NEW))).rejects.toThrow('TicketEvent.actor');
    } finally {
      await prisma.ticketEvent.deleteMany({ where: { type: 'note' } });
    }
    expect(await dump(h.app)).toBe(before);
  });

  it('changes nothing in a dry run, and says what it would change', async () => {
    const summary = await rotateSecret(h.app.store, new Secrets(OLD), new Secrets(NEW), { dryRun: true });
    expect(summary).toMatchObject({ dryRun: true, chats: 4, chatStates: 2, reporterData: 2, receipts: 2, certificateNames: 1, officers: 1 });
    expect(await dump(h.app)).toBe(before);
    await expect(start(NEW)).rejects.toThrow(KeyMismatchError);
    await start(OLD);
  });

  it.each<RotationStep>(['references', 'outbox', 'search'])('rolls everything back when interrupted after the step %s', async (step) => {
    const crash = (done: RotationStep) => {
      if (done === step) throw new Error('power cut');
    };
    await expect(rotateSecret(h.app.store, new Secrets(OLD), new Secrets(NEW), { onStep: crash })).rejects.toThrow('power cut');
    expect(await dump(h.app)).toBe(before);
    await start(OLD);
  });

  it('moves every piece of personal data to the new secret, which reads and verifies it all, and refuses the old one', async () => {
    const old = new Secrets(OLD);
    const summary = await rotateSecret(h.app.store, old, new Secrets(NEW), { at: h.now() });
    expect(summary).toMatchObject({
      dryRun: false,
      chats: 4,
      chatStates: 2,
      reporterData: 2,
      receipts: 2,
      pseudonyms: 2,
      officers: 1,
      invites: 1,
      webhookSecrets: 1,
      certificateNames: 1,
      outboxRows: 1,
      unreadable: 0,
      retiredKeys: 1,
    });
    // The two tickets, the quiz attempt and the queued message to the reporter.
    expect(summary.chatReferences).toBe(4);

    await expect(start(OLD)).rejects.toThrow(KeyMismatchError);
    const app = await start(NEW);
    const chat = driver(app);
    const prisma = app.store.prisma;
    const filerKey = app.runtime.chatKey({ channel: 'terminal', chatId: 'filer' });

    // The filed report: found from its chat, its identity and witnesses readable, its receipt still valid.
    const ticket = await prisma.ticket.findUniqueOrThrow({ where: { code: seeded.code } });
    expect(ticket.reporterChatKey).toBe(filerKey);
    expect(app.secrets.decryptJson(ticket.reporterIdentityEnc!)).toMatchObject({ name: FILER.name, address: FILER.address, phone: '+6281322223333' });
    expect(JSON.stringify(app.secrets.decryptJson(ticket.witnessesEnc!))).toContain('Joko Susilo');
    expect(ticket.pseudonym).toBe(pseudonymFor(app.secrets, filerKey, ticket.id));
    expect(await verifyReceipt(app.secrets, seeded.receipt, ticket.receiptHash)).toBe(true);
    expect(await verifyReceipt(app.secrets, '0000000000000000', ticket.receiptHash)).toBe(false);
    expect((await chat.command('status', '', { chat: 'filer' })).all).toContain(seeded.code);
    const elsewhere = await chat.command('status', `${seeded.code} ${seeded.receipt}`, { chat: 'another-device' });
    expect(elsewhere.messages.map((m) => (m.type === 'text' && 'key' in m.text ? m.text.key : ''))).toContain('status.ticket');

    // The report left at its review is sent, with the identity sealed before the rotation.
    const sent = await confirm(chat as unknown as Harness, { chat: 'drafter', locale: 'en' });
    seeded.second = { code: sent.code, receipt: sent.receipt.replace(/ /g, '') };
    const second = await prisma.ticket.findUniqueOrThrow({ where: { code: sent.code } });
    expect(app.secrets.decryptJson(second.reporterIdentityEnc!)).toMatchObject({ name: DRAFTER.name, address: DRAFTER.address });
    // So is the report kept aside, taken up again.
    expect((await chat.command('lapor', '', { chat: 'keeper' })).all).toContain('Kita lanjutkan laporan Anda');
    const keptSent = await confirm(chat as unknown as Harness, { chat: 'keeper', locale: 'id' });
    const kept = await prisma.ticket.findUniqueOrThrow({ where: { code: keptSent.code } });
    expect(app.secrets.decryptJson(kept.reporterIdentityEnc!)).toMatchObject({ name: KEEPER.name, address: KEEPER.address });

    // The certificate, its officer, the office's webhook secret and the queued messages.
    const certificate = await findCertificate(prisma, app.secrets, seeded.certificate);
    expect(certificate?.name).toBe('Sri Wahyuni');
    expect((await chat.command('start', `verify_${seeded.certificate}`, { chat: 'verifier' })).all).toContain('Sri Wahyuni');
    expect(await prisma.quizAttempt.count({ where: { chatKey: filerKey } })).toBe(1);
    expect(await officershipsOf(prisma, officerUserKey(app.secrets, '777001'))).toHaveLength(1);
    const officer = await prisma.officer.findFirstOrThrow();
    expect(app.secrets.decrypt(officer.addressEnc)).toBe('telegram:777001');
    expect((await prisma.invite.findUniqueOrThrow({ where: { codeHash: 'claimed-invite' } })).usedBy).toBe(officerUserKey(app.secrets, '777001').slice(0, 16));
    const office = await prisma.office.findUniqueOrThrow({ where: { code: '19.05' } });
    expect(app.secrets.decrypt(office.webhookSecretEnc!)).toBe(seeded.webhookSecret);
    const toReporter = await prisma.outbox.findFirstOrThrow({ where: { kind: 'chat.message' } });
    expect(toReporter.destination).toMatchObject({ type: 'chat', chatKey: filerKey });
    const sealed = await prisma.outbox.findUniqueOrThrow({ where: { dedupKey: 'test:sealed' } });
    expect(app.secrets.decrypt((sealed.payload as { note: string }).note)).toBe('catatan rahasia');
    expect(await verifyAuditLog(prisma)).toMatchObject({ ok: true });
    expect(await prisma.auditLog.findFirst({ where: { action: 'secret.rotate' } })).toMatchObject({ actor: 'cli' });

    // Whoever holds the old secret and this copy of the database: no contact data, no chat to find, no receipt to test.
    const copy = await dump(app);
    expect(opened(copy, old)).toEqual([]);
    expect(opened(copy, app.secrets).length).toBeGreaterThan(5);
    for (const id of ['terminal:filer', 'terminal:drafter']) expect(copy).not.toContain(old.hmac(id));
    expect(copy).not.toContain(officerUserKey(old, '777001'));
    expect(copy).not.toContain(officerUserKey(old, '777001').slice(0, 16));
    expect(copy).not.toContain(pseudonymFor(old, old.hmac('terminal:filer'), ticket.id));
    expect(await verifyReceipt(old, seeded.receipt, ticket.receiptHash)).toBe(false);
    expect(copy).not.toContain(keyFingerprint(old));
    for (const key of seeded.submissionKeys) expect(copy).not.toContain(key);
    expect(await prisma.ticket.count({ where: { code: { in: [seeded.code, sent.code] }, submissionKey: { not: null } } })).toBe(1);
  });

  it('keeps receipts valid through a second rotation, with only the retired keys a receipt still needs', async () => {
    const summary = await rotateSecret(h.app.store, new Secrets(NEW), new Secrets(THIRD));
    // The first report's and the tip's receipts were made under the first secret, the second and the kept report's under
    // the second.
    expect(summary).toMatchObject({ receipts: 4, retiredKeys: 2, unreadable: 0 });
    const app = await start(THIRD);
    const prisma = app.store.prisma;
    for (const { code, receipt } of [seeded, seeded.second!]) {
      const { receiptHash } = await prisma.ticket.findUniqueOrThrow({ where: { code } });
      expect(await verifyReceipt(app.secrets, receipt, receiptHash)).toBe(true);
      expect(await verifyReceipt(app.secrets, '1111222233334444', receiptHash)).toBe(false);
    }
    const copy = await dump(app);
    expect(opened(copy, new Secrets(OLD))).toEqual([]);
    expect(opened(copy, new Secrets(NEW))).toEqual([]);
  });
});

describe.each(storeKinds)('searching for leftovers on %s', (kind) => {
  it('finds a value under the old secret behind thousands of others, and moves every chat over many pages', async () => {
    const store = await createTestStore(kind);
    try {
      const old = new Secrets(Buffer.alloc(32, 1));
      const next = new Secrets(Buffer.alloc(32, 2));
      const chats = Array.from({ length: 1234 }, (_, i) => {
        const address = `telegram:${100000 + i}`;
        return { key: old.hmac(address), channel: 'telegram', addressEnc: old.encrypt(address) };
      });
      await store.query(
        `INSERT INTO "Chat" ("key", "channel", "addressEnc") SELECT r."key", r."channel", r."addressEnc"
          FROM jsonb_to_recordset($1::jsonb) AS r("key" text, "channel" text, "addressEnc" text)`,
        [JSON.stringify(chats)],
      );
      await store.query(
        `INSERT INTO "Ticket" ("id", "code", "kind", "category", "officeCode", "reporterChatKey", "pseudonym", "receiptHash", "details")
          VALUES ('t1', 'NTR-1', 'tip', 'x', '19', $1, 'p', 'scrypt$x', '{}')`,
        [chats[0]!.key],
      );
      // Thousands of notes the old secret cannot open, then one it can: found only past the first pages.
      const notes = Array.from({ length: 3000 }, (_, i) => ({ id: `e${String(i).padStart(5, '0')}`, text: next.encrypt('n') }));
      await store.query(
        `INSERT INTO "TicketEvent" ("id", "ticketId", "type", "text", "actor")
          SELECT r."id", 't1', 'note', r."text", 'system' FROM jsonb_to_recordset($1::jsonb) AS r("id" text, "text" text)`,
        [JSON.stringify(notes)],
      );
      await store.query(`INSERT INTO "TicketEvent" ("id", "ticketId", "type", "text", "actor") VALUES ('zz', 't1', 'note', $1, 'system')`, [
        old.encrypt('leftover'),
      ]);
      await expect(rotateSecret(store, old, next)).rejects.toThrow('TicketEvent.text');

      await store.query(`DELETE FROM "TicketEvent" WHERE "id" = 'zz'`);
      expect(await rotateSecret(store, old, next)).toMatchObject({ chats: 1234 });
      const moved = await store.query<{ key: string; addressEnc: string }>('SELECT "key", "addressEnc" FROM "Chat"');
      expect(moved).toHaveLength(1234);
      expect(moved.filter((c) => next.hmac(next.decrypt(c.addressEnc)) !== c.key)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
