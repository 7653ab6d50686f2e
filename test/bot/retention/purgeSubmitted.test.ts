import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeMedia } from '../../../bot/media/mediaStore.ts';
import { runRetention } from '../../../bot/retention/purge.ts';
import { submitReport } from '../../../bot/tickets/reportSubmission.ts';
import type { PersonalData } from '../../../flows/report/personalData.ts';
import type { ReportDraft } from '../../../flows/report/reportCommands.ts';
import { createHarness, type Harness } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';

const MARK = 'CANARY9Z';
const SUBMITTED = new Date('2025-05-10T03:00:00.000Z');
const CLOSED = new Date('2025-06-01T03:00:00.000Z');
const NOW = new Date('2026-11-22T03:00:00.000Z');

/** Every row that belongs to a ticket, as text. */
async function everything(h: Harness, ticketId: string): Promise<string> {
  const rows = await h.app.store.query(
    `SELECT row_to_json(t)::text AS j FROM "Ticket" t WHERE id = $1
     UNION ALL SELECT row_to_json(e)::text FROM "Evidence" e WHERE "ticketId" = $1
     UNION ALL SELECT row_to_json(v)::text FROM "TicketEvent" v WHERE "ticketId" = $1
     UNION ALL SELECT row_to_json(o)::text FROM "Outbox" o`,
    [ticketId],
  );
  return rows.map((r) => String((r as { j: string }).j)).join('\n');
}

describe.each(storeKinds)('retention of a report as the ticket service writes it (%s)', (kind) => {
  let h: Harness;
  let ticketId: string;
  let files: string[];

  beforeAll(async () => {
    h = await createHarness(kind);
    const photo = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0a0' } }).jpeg().toBuffer();
    const stored = [
      await storeMedia(h.dataDir, photo, { kind: 'photo', mime: 'image/jpeg', caption: `Foto ${MARK}` }),
      await storeMedia(h.dataDir, Buffer.from(`%PDF-1.4 ${MARK}`), { kind: 'document', mime: 'application/pdf', fileName: `surat-${MARK}.pdf` }),
    ];
    files = stored.flatMap((m) => [m.path, ...(m.strippedPath ? [m.strippedPath] : [])]);
    const personal: PersonalData = {
      reporter: { name: `Siti ${MARK}`, address: `Jl. Melati ${MARK}`, phone: '+6281299990000', email: `siti.${MARK}@example.org` },
      witnesses: [{ name: `Saksi ${MARK}`, contact: '+6281377770000' }],
      pendingWitnessName: null,
    };
    const draft: ReportDraft = {
      startedAt: SUBMITTED.toISOString(),
      kind: 'formal',
      convertedFromFormal: false,
      terlapor: { name: `Budi ${MARK}`, position: `Camat ${MARK}`, agency: `Kecamatan ${MARK}`, employment: 'pns' },
      category: 'social-media',
      eventDate: '2025-05-08',
      learnedDate: '2025-05-09',
      place: { provinceCode: '19', regencyCode: '19.05', districtCode: '19.05.01' },
      placeDetail: `Balai desa ${MARK}`,
      location: { latitude: -2.05, longitude: 105.15 },
      description: `Kronologi ${MARK}: ASN membagikan poster calon di grup kantor dan mengajak staf memilih.`,
      evidence: [...stored.map((media) => ({ type: 'file' as const, media })), { type: 'link', url: `https://example.org/${MARK}` }],
      personalSealed: h.app.secrets.encryptJson(personal),
    };
    const chatKey = h.app.runtime.chatKey({ channel: 'terminal', chatId: 'reporter' });
    const result = await h.app.store.transaction((sql) =>
      submitReport(h.app, { type: 'submitReport', draft }, { sql, chatKey, channel: 'terminal', locale: 'id', at: SUBMITTED }),
    );
    if (result.status !== 'submitted') throw new Error(`not submitted: ${result.status}`);
    const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code: result.code } });
    ticketId = ticket.id;
    // What officers and the forwarding worker add over the ticket's life, up to closing it.
    await h.app.store.prisma.ticketEvent.createMany({
      data: [
        { ticketId, type: 'question', text: `Siapa saksinya? ${MARK}`, actor: 'officer-1' },
        { ticketId, type: 'answer', text: `Pak RT ${MARK}`, actor: 'reporter' },
        { ticketId, type: 'note', text: `Catatan internal ${MARK}`, actor: 'officer-1', internal: true },
        { ticketId, type: 'status', status: 'done', text: `Selesai ${MARK}`, actor: 'officer-1' },
      ],
    });
    await h.app.store.prisma.outbox.updateMany({ data: { status: 'done', doneAt: SUBMITTED } });
    await h.app.store.prisma.outbox.create({
      data: {
        kind: 'chat.message',
        destination: { type: 'chat', chatKey },
        payload: { text: `Pertanyaan petugas ${MARK}` },
        dedupKey: 'question-relay',
        status: 'done',
        createdAt: SUBMITTED,
        doneAt: SUBMITTED,
      },
    });
    await h.app.store.prisma.ticket.update({ where: { id: ticketId }, data: { status: 'done', closedAt: CLOSED } });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('holds the canary everywhere before the retention ends', async () => {
    expect(await everything(h, ticketId)).toContain(MARK);
    expect(files.length).toBe(3);
    for (const file of files) expect(existsSync(path.join(h.dataDir, file)), file).toBe(true);
  });

  it('leaves no personal data, free text or evidence file once it has passed', async () => {
    const summary = await runRetention(h.app, NOW);
    expect(summary).toMatchObject({ tickets: 1, evidenceRows: 3, files: 3, outboxPayloads: 2 });
    const text = await everything(h, ticketId);
    for (const secret of [MARK, '6281299990000', '6281377770000', h.app.runtime.chatKey({ channel: 'terminal', chatId: 'reporter' })]) {
      expect(text).not.toContain(secret);
    }
    for (const file of files) expect(existsSync(path.join(h.dataDir, file)), file).toBe(false);
    const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    expect(ticket).toMatchObject({ kind: 'formal', category: 'social-media', status: 'done', officeCode: '19.05', regencyCode: '19.05', provinceCode: '19' });
    expect(ticket.details).toEqual({
      kind: 'formal',
      category: 'social-media',
      convertedFromFormal: false,
      terlapor: { employment: 'pns' },
      place: { provinceCode: '19', regencyCode: '19.05' },
      purged: true,
    });
  });
});
