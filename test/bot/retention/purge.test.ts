import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CERTIFICATE_NAME_REMOVED, findCertificate } from '../../../bot/education/certificates.ts';
import {
  anonymousDetails,
  purgeCertificateNames,
  purgeClosedTickets,
  runRetention,
  startOfJakartaMonth,
  type RetentionSummary,
} from '../../../bot/retention/purge.ts';
import { scheduleRetention } from '../../../bot/retention/retentionSchedule.ts';
import { verificationMessage } from '../../../flows/verify/verify.machine.ts';
import type { Prisma } from '../../../bot/store/store.ts';
import { createHarness, type Harness } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';

const NOW = new Date('2026-11-22T03:00:00.000Z');
const OLD_CLOSE = new Date('2025-06-01T10:00:00.000Z');
const RECENT_CLOSE = new Date('2026-10-01T10:00:00.000Z');
/** Every personal field carries this, so its absence after a purge can be proved over whole rows. */
const MARK = 'CANARY7Q';

interface Seeded {
  id: string;
  files: string[];
}

/** A ticket as the report service writes it, with a marker in every personal or free-text field. */
async function seedTicket(
  h: Harness,
  name: string,
  fields: { status: string; closedAt: Date | null; createdAt: Date; category: string; regencyCode: string; files: string[] },
): Promise<Seeded> {
  const { prisma } = h.app.store;
  const details = {
    startedAt: fields.createdAt.toISOString(),
    kind: 'formal',
    convertedFromFormal: false,
    terlapor: { name: `Budi ${MARK}`, position: `Camat ${MARK}`, agency: `Dinas ${MARK}`, employment: 'pns' },
    category: fields.category,
    eventDate: '2025-05-01',
    learnedDate: '2025-05-02',
    place: { provinceCode: fields.regencyCode.slice(0, 2), regencyCode: fields.regencyCode, districtCode: `${fields.regencyCode}.01` },
    placeDetail: `Balai desa ${MARK}`,
    location: { latitude: -2.1, longitude: 106.1 },
    description: `Kronologi ${MARK}: ASN membagikan poster calon.`,
    evidence: [{ type: 'link', url: `https://example.org/${MARK}` }],
  };
  const ticket = await prisma.ticket.create({
    data: {
      code: `NTR-${name.toUpperCase().padEnd(4, 'X').slice(0, 4)}-0000`,
      kind: 'formal',
      status: fields.status,
      category: fields.category,
      officeCode: fields.regencyCode,
      regencyCode: fields.regencyCode,
      provinceCode: fields.regencyCode.slice(0, 2),
      reporterChatKey: `chat-${name}-${MARK}`,
      pseudonym: `Pelapor-${name}-${MARK}`,
      receiptHash: 'scrypt$salt$hash',
      details,
      reporterIdentityEnc: h.app.secrets.encryptJson({ name: `Siti ${MARK}`, phone: '+6281234567890' }),
      witnessesEnc: h.app.secrets.encryptJson([{ name: `Saksi ${MARK}` }]),
      eventDate: new Date('2025-05-01T00:00:00Z'),
      learnedDate: new Date('2025-05-02T00:00:00Z'),
      deadline: new Date('2025-05-09T00:00:00Z'),
      closedAt: fields.closedAt,
      createdAt: fields.createdAt,
      events: {
        create: [
          { type: 'status', status: 'handling', text: `Sedang ditangani ${MARK}`, actor: 'officer-1' },
          { type: 'question', text: `Di mana tepatnya? ${MARK}`, actor: 'officer-1' },
          { type: 'answer', text: `Di balai desa ${MARK}`, actor: 'reporter' },
          { type: 'status', status: fields.status, actor: 'officer-1' },
        ],
      },
    },
  });
  for (const file of fields.files) writeEvidence(h, file);
  for (const [i, file] of fields.files.entries()) {
    await prisma.evidence.create({
      data: {
        ticketId: ticket.id,
        kind: i === 0 ? 'photo' : 'document',
        sha256: 'a'.repeat(64),
        path: file,
        ...(i === 0 ? { strippedPath: stripped(file) } : {}),
        fileName: `bukti-${MARK}.jpg`,
      },
    });
    if (i === 0) writeEvidence(h, stripped(file));
  }
  await prisma.evidence.create({ data: { ticketId: ticket.id, kind: 'link', url: `https://example.org/${MARK}` } });
  return { id: ticket.id, files: fields.files };
}

function stripped(file: string): string {
  return file.replace(/\.jpg$/, '.stripped.jpg');
}

function writeEvidence(h: Harness, file: string): void {
  const absolute = path.join(h.dataDir, file);
  mkdirSync(path.dirname(absolute), { recursive: true });
  writeFileSync(absolute, `evidence ${file}`);
}

function onDisk(h: Harness, file: string): boolean {
  return existsSync(path.join(h.dataDir, file));
}

/** Counts by category, regency, province, office, kind, status and created month (Western Indonesia Time). */
async function statistics(h: Harness): Promise<unknown> {
  return h.app.store.prisma.$queryRaw`
    SELECT "category", "regencyCode", "provinceCode", "officeCode", "kind", "status",
           to_char("createdAt" + interval '7 hours', 'YYYY-MM') AS month, count(*)::int AS n
    FROM "Ticket" GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`;
}

async function rowText(h: Harness, ticketId: string): Promise<string> {
  const { prisma } = h.app.store;
  const ticket = await prisma.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { events: true, evidence: true } });
  const identity = [ticket.reporterIdentityEnc, ticket.witnessesEnc]
    .filter((v): v is string => v !== null)
    .map((v) => JSON.stringify(h.app.secrets.decryptJson(v)));
  return JSON.stringify(ticket) + identity.join('');
}

describe.each(storeKinds)('retention of closed tickets (%s)', (kind) => {
  let h: Harness;
  let oldDone: Seeded;
  let oldNotViolation: Seeded;
  let openOld: Seeded;
  let recentDone: Seeded;
  let reopened: Seeded;
  let statsBefore: unknown;
  let dryRun: RetentionSummary;
  let purged: RetentionSummary;

  beforeAll(async () => {
    h = await createHarness(kind, { env: { RETENTION_DAYS: '365' } });
    const { prisma } = h.app.store;
    oldDone = await seedTicket(h, 'olda', {
      status: 'done',
      closedAt: OLD_CLOSE,
      createdAt: new Date('2025-05-10T20:30:00Z'),
      category: 'social-media',
      regencyCode: '19.05',
      files: ['evidence/aa/olda-photo.jpg', 'evidence/aa/olda-doc.pdf', 'evidence/aa/draft-shared.pdf'],
    });
    oldNotViolation = await seedTicket(h, 'oldb', {
      status: 'not-violation',
      closedAt: OLD_CLOSE,
      createdAt: new Date('2025-04-30T18:00:00Z'),
      category: 'campaign',
      regencyCode: '19.05',
      files: ['evidence/bb/shared-photo.jpg', 'evidence/bb/oldb-doc.pdf'],
    });
    openOld = await seedTicket(h, 'open', {
      status: 'handling',
      closedAt: null,
      createdAt: new Date('2025-01-05T02:00:00Z'),
      category: 'campaign',
      regencyCode: '13.71',
      files: ['evidence/cc/open-photo.jpg'],
    });
    // The open ticket carries the same photo as the old one (files are named by their hash).
    await prisma.evidence.create({
      data: { ticketId: openOld.id, kind: 'photo', path: 'evidence/bb/shared-photo.jpg', sha256: 'b'.repeat(64) },
    });
    recentDone = await seedTicket(h, 'rcnt', {
      status: 'done',
      closedAt: RECENT_CLOSE,
      createdAt: new Date('2026-09-01T02:00:00Z'),
      category: 'social-media',
      regencyCode: '13.71',
      files: ['evidence/dd/recent-photo.jpg'],
    });
    reopened = await seedTicket(h, 'reop', {
      status: 'handling',
      closedAt: OLD_CLOSE,
      createdAt: new Date('2025-03-01T02:00:00Z'),
      category: 'social-media',
      regencyCode: '19.05',
      files: ['evidence/ee/reopened-photo.jpg'],
    });
    // A draft someone is writing right now attaches the same document as the old closed ticket.
    await prisma.evidence.create({ data: { chatKey: 'draft-chat', kind: 'document', path: 'evidence/aa/draft-shared.pdf' } });

    const outbox = (dedupKey: string, status: string, createdAt: Date, doneAt: Date | null) =>
      prisma.outbox.create({
        data: {
          kind: 'ticket.forward',
          destination: { type: 'telegram', chatId: `-100${MARK}` },
          payload: { text: `Laporan ${MARK}` },
          dedupKey,
          status,
          createdAt,
          doneAt,
          lastError: status === 'dead' ? `403 ${MARK}` : null,
        },
      });
    await outbox('old-done', 'done', new Date('2025-05-10T21:00:00Z'), new Date('2025-05-10T21:00:05Z'));
    await outbox('old-dead', 'dead', new Date('2025-05-10T21:00:00Z'), null);
    await outbox('old-pending', 'pending', new Date('2025-05-10T21:00:00Z'), null);
    await outbox('recent-done', 'done', new Date('2026-11-01T21:00:00Z'), new Date('2026-11-01T21:00:05Z'));

    const certificate = (code: string, issuedAt: Date) =>
      prisma.certificate.create({
        data: { code, attemptId: `attempt-${code}`, nameEnc: h.app.secrets.encrypt(`Ani ${MARK}`), score: 9, total: 10, issuedAt },
      });
    await certificate('OLDCERT', new Date('2025-01-01T00:00:00Z'));
    await certificate('NEWCERT', new Date('2026-06-01T00:00:00Z'));

    statsBefore = await statistics(h);
    dryRun = await runRetention(h.app, NOW, { dryRun: true });
    purged = await runRetention(h.app, NOW, { batchSize: 1 });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('counts in a dry run exactly what the real run then purges, changing nothing', () => {
    expect(dryRun).toMatchObject({
      dryRun: true,
      tickets: 2,
      evidenceRows: 7,
      // olda: photo + stripped + doc (the draft keeps draft-shared.pdf); oldb: stripped + doc (the open ticket keeps shared-photo.jpg).
      files: 5,
      eventTexts: 6,
      outboxPayloads: 2,
      certificateNames: 1,
    });
    expect({ ...purged, dryRun: true }).toEqual(dryRun);
  });

  it('removes identity, witnesses, free texts and the chat link of tickets closed longer than the retention', async () => {
    for (const seeded of [oldDone, oldNotViolation]) {
      const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { id: seeded.id } });
      expect(ticket).toMatchObject({
        reporterIdentityEnc: null,
        witnessesEnc: null,
        reporterChatKey: '',
        pseudonym: '',
        eventDate: null,
        learnedDate: null,
        deadline: null,
        purgedAt: NOW,
      });
      expect(await rowText(h, seeded.id)).not.toContain(MARK);
    }
  });

  it('keeps only enumerated details: kind, category, employment and the region codes', async () => {
    const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { id: oldDone.id } });
    expect(ticket.details).toEqual({
      kind: 'formal',
      category: 'social-media',
      convertedFromFormal: false,
      terlapor: { employment: 'pns' },
      place: { provinceCode: '19', regencyCode: '19.05' },
      purged: true,
    });
  });

  it('deletes the evidence records and files of purged tickets, but not files another ticket or a draft still uses', async () => {
    const { prisma } = h.app.store;
    expect(await prisma.evidence.count({ where: { ticketId: { in: [oldDone.id, oldNotViolation.id] } } })).toBe(0);
    for (const file of ['evidence/aa/olda-photo.jpg', 'evidence/aa/olda-photo.stripped.jpg', 'evidence/aa/olda-doc.pdf']) {
      expect(onDisk(h, file), file).toBe(false);
    }
    expect(onDisk(h, 'evidence/bb/shared-photo.stripped.jpg')).toBe(false);
    expect(onDisk(h, 'evidence/bb/oldb-doc.pdf')).toBe(false);
    expect(onDisk(h, 'evidence/aa/draft-shared.pdf')).toBe(true);
    expect(onDisk(h, 'evidence/bb/shared-photo.jpg')).toBe(true);
  });

  it('leaves open, reopened and recently closed tickets whole', async () => {
    for (const seeded of [openOld, recentDone, reopened]) {
      const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { id: seeded.id }, include: { events: true } });
      expect(ticket.purgedAt).toBeNull();
      expect(ticket.reporterIdentityEnc).not.toBeNull();
      expect(ticket.events.filter((e) => e.text?.includes(MARK))).toHaveLength(3);
      expect(await rowText(h, seeded.id)).toContain(`Kronologi ${MARK}`);
      for (const file of seeded.files) expect(onDisk(h, file), file).toBe(true);
    }
  });

  it('keeps the anonymous statistics unchanged: counts by category, region, office, kind, status and month', async () => {
    expect(await statistics(h)).toEqual(statsBefore);
    const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { id: oldDone.id } });
    // 20:30 UTC on 10 May is 11 May in Jakarta: the month start in Western Indonesia Time.
    expect(ticket.createdAt.toISOString()).toBe('2025-04-30T17:00:00.000Z');
  });

  it('empties old delivered and dead outbox rows, never a pending one', async () => {
    const rows = await h.app.store.prisma.outbox.findMany({ orderBy: { dedupKey: 'asc' } });
    const byKey = Object.fromEntries(rows.map((r) => [r.dedupKey, r]));
    for (const key of ['old-done', 'old-dead']) {
      expect(byKey[key]).toMatchObject({ payload: { purged: true }, destination: { type: 'telegram' }, lastError: null });
      expect(JSON.stringify(byKey[key])).not.toContain(MARK);
    }
    expect(JSON.stringify(byKey['old-pending'])).toContain(MARK);
    expect(JSON.stringify(byKey['recent-done'])).toContain(MARK);
  });

  it('drops the holder name of old certificates and keeps the certificates themselves', async () => {
    const certificates = await h.app.store.prisma.certificate.findMany({ orderBy: { code: 'asc' } });
    expect(certificates.map((c) => [c.code, c.score, c.nameEnc === CERTIFICATE_NAME_REMOVED])).toEqual([
      ['NEWCERT', 9, false],
      ['OLDCERT', 9, true],
    ]);
    expect(JSON.stringify(certificates)).not.toContain('OLDCERT' + MARK);
  });

  it('says at a check that the name was deleted after the retention period, not that none was given', async () => {
    const prisma = h.app.store.prisma;
    await prisma.certificate.create({
      data: { code: 'ABCD-EFGH-JKLM', attemptId: 'attempt-checked', nameEnc: h.app.secrets.encrypt(`Ani ${MARK}`), score: 9, total: 10, issuedAt: new Date('2025-01-01T00:00:00Z') },
    });
    await prisma.certificate.create({
      data: { code: 'ABCD-EFGH-JKLN', attemptId: 'attempt-unnamed', nameEnc: null, score: 8, total: 10, issuedAt: new Date('2025-01-01T00:00:00Z') },
    });
    const pdf = path.join(h.dataDir, 'certificates', 'ABCD-EFGH-JKLM.pdf');
    mkdirSync(path.dirname(pdf), { recursive: true });
    writeFileSync(pdf, `%PDF Ani ${MARK}`);
    expect(await purgeCertificateNames(h.app, new Date('2025-11-22T03:00:00.000Z'))).toBe(1);
    // The PDF prints the name too: the copy kept on the server goes with it.
    expect(existsSync(pdf)).toBe(false);
    const removed = await findCertificate(prisma, h.app.secrets, 'abcd-efgh-jklm');
    expect(removed).toMatchObject({ name: null, nameRemoved: true, score: 9 });
    expect(verificationMessage('ABCD-EFGH-JKLM', { found: true, certificate: removed! })).toMatchObject({ text: { params: { name: { key: 'verify.nameRemoved' } } } });
    const unnamed = await findCertificate(prisma, h.app.secrets, 'ABCD-EFGH-JKLN');
    expect(verificationMessage('ABCD-EFGH-JKLN', { found: true, certificate: unnamed! })).toMatchObject({ text: { params: { name: { key: 'verify.noName' } } } });
  });

  it('finds nothing more to do on a second run', async () => {
    const again = await runRetention(h.app, NOW);
    expect(again).toMatchObject({ tickets: 0, evidenceRows: 0, files: 0, eventTexts: 0, outboxPayloads: 0, certificateNames: 0 });
  });

  it('purges a ticket once when two runs race', async () => {
    const late = await seedTicket(h, 'race', {
      status: 'done',
      closedAt: OLD_CLOSE,
      createdAt: new Date('2025-02-01T00:00:00Z'),
      category: 'other',
      regencyCode: '19.05',
      files: ['evidence/ff/race-photo.jpg'],
    });
    const [a, b] = await Promise.all([purgeClosedTickets(h.app, NOW), purgeClosedTickets(h.app, NOW)]);
    expect(a.tickets + b.tickets).toBe(1);
    expect(onDisk(h, 'evidence/ff/race-photo.jpg')).toBe(false);
    expect(onDisk(h, 'evidence/ff/race-photo.stripped.jpg')).toBe(false);
    expect(await rowText(h, late.id)).not.toContain(MARK);
  });

  it('purges on schedule and stops with the app', async () => {
    const late = await seedTicket(h, 'schd', {
      status: 'done',
      closedAt: OLD_CLOSE,
      createdAt: new Date('2025-02-01T00:00:00Z'),
      category: 'other',
      regencyCode: '19.05',
      files: [],
    });
    const closers: Array<() => Promise<void> | void> = [];
    const schedule = scheduleRetention(
      { ...h.app, onClose: (fn) => void closers.push(fn) },
      { firstRunMs: 1, intervalMs: 60_000, clock: () => NOW },
    );
    await expect.poll(async () => (await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { id: late.id } })).purgedAt).toEqual(NOW);
    expect(closers).toHaveLength(1);
    await closers[0]!();
    // A stopped schedule does nothing more, even when asked.
    const after = await seedTicket(h, 'stop', {
      status: 'done',
      closedAt: OLD_CLOSE,
      createdAt: new Date('2025-02-01T00:00:00Z'),
      category: 'other',
      regencyCode: '19.05',
      files: [],
    });
    await schedule.runNow();
    expect((await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { id: after.id } })).purgedAt).toBeNull();
  });
});

describe('anonymous details', () => {
  it('drop free text typed into a field meant for a code', () => {
    const details: Prisma.InputJsonValue = {
      kind: 'tip',
      category: 'Pak Budi di kantor camat',
      terlapor: { employment: 'pns', name: 'Budi' },
      place: { provinceCode: '19', regencyCode: ['19.05'] },
    };
    expect(anonymousDetails(details)).toEqual({ kind: 'tip', terlapor: { employment: 'pns' }, place: { provinceCode: '19' }, purged: true });
  });

  it('survive details that are not an object', () => {
    expect(anonymousDetails(null)).toEqual({ purged: true });
    expect(anonymousDetails('text')).toEqual({ purged: true });
  });
});

describe('the start of a month in Western Indonesia Time', () => {
  it('moves an instant late on the last UTC day into the next month', () => {
    expect(startOfJakartaMonth(new Date('2026-11-30T18:00:00Z')).toISOString()).toBe('2026-11-30T17:00:00.000Z');
    expect(startOfJakartaMonth(new Date('2026-11-30T16:59:59Z')).toISOString()).toBe('2026-10-31T17:00:00.000Z');
  });
});
