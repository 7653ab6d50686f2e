import { readFileSync } from 'node:fs';
import path from 'node:path';
import exifr from 'exifr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalDataSchema } from '../../../flows/report/personalData.ts';
import { TICKET_CODE_ALPHABET } from '../../../flows/status/ticketCode.ts';
import { reportCommands } from '../../../bot/tickets/reportSubmission.ts';
import { verifyReceipt } from '../../../bot/tickets/ticketCodes.ts';
import { createHarness, type Harness } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { confirm, filedFrom, formalToReview, storedPhoto, tipToReview } from '../../flows/report/reportJourney.ts';

const pseudonymPattern = new RegExp(`^Pelapor-[${TICKET_CODE_ALPHABET}]{4}$`);

/** Every row of every table, as JSON text (what someone with a copy of the database would see). */
async function dumpDatabase(h: Harness): Promise<string> {
  const prisma = h.app.store.prisma;
  const tables = await prisma.$queryRawUnsafe<Array<{ table_name: string }>>(
    `SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['Chat', 'Ticket', 'Evidence', 'TicketEvent', 'Outbox']));
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const rows = await prisma.$queryRawUnsafe<Array<{ j: string }>>(`SELECT row_to_json(t)::text AS j FROM "${table_name}" t`);
    parts.push(...rows.map((r) => r.j));
  }
  return parts.join('\n');
}

describe.each(storeKinds)('report submission on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    // Whole reports are typed in seconds; the per-chat flood limit is for people.
    h = await createHarness(kind, { env: { RATE_LIMIT_PER_MINUTE: '1000' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('files an anonymous tip in Indonesian with a photo and a link, and tells what happens next without promising a case', async () => {
    const photo = await storedPhoto(h, 'tip-photo');
    const review = await tipToReview(h, { chat: 'tip-id', locale: 'id', evidence: [photo], links: ['https://facebook.com/kadis/posts/123'] });
    expect(review.all).toContain('Ringkasan informasi awal');
    expect(review.all).toContain('Informasi awal (anonim)');
    expect(review.all).toContain('Kabupaten Bangka Barat, Kepulauan Bangka Belitung');
    expect(review.choices).toEqual(['Kirim informasi', 'Ubah isian', 'Batalkan']);
    expect((await h.command('bantuan', '', { chat: 'tip-id' })).all).toContain('Pilih Kirim informasi jika semuanya benar');
    const { code, receipt, final } = await confirm(h, { chat: 'tip-id', locale: 'id' });

    expect(code).toMatch(new RegExp(`^NTR-[${TICKET_CODE_ALPHABET}]{4}-[${TICKET_CODE_ALPHABET}]{4}$`));
    expect(receipt).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    expect(final.all).toContain('Ditujukan kepada: Bawaslu Kabupaten Bangka Barat');
    expect(final.all).toContain('informasi awal');
    expect(final.all).toContain('tidak setiap informasi awal ditindaklanjuti menjadi perkara');
    expect(final.all).not.toMatch(/akan (diproses|ditindaklanjuti) sebagai perkara/);
    expect(final.all).toContain('rekomendasi kepada BKN');
    expect(final.all).toContain('Pejabat Pembina Kepegawaian (PPK)');
    expect(final.all).toContain(photo.sha256);
    expect(final.all).toContain('hanya ditampilkan sekali');
    // Back at the menu, and the receipt is nowhere in what was stored.
    expect(final.choices[0]).toBe('Laporkan pelanggaran');

    const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({
      where: { code },
      include: { evidence: { orderBy: { createdAt: 'asc' } }, events: true },
    });
    expect(ticket).toMatchObject({
      kind: 'tip',
      status: 'received',
      category: 'social-media',
      officeCode: '19.05',
      regencyCode: '19.05',
      provinceCode: '19',
      reporterChatKey: final.result.chatKey,
      reporterIdentityEnc: null,
      witnessesEnc: null,
      locale: 'id',
    });
    expect(ticket.pseudonym).toMatch(pseudonymPattern);
    expect(ticket.receiptHash).toMatch(/^hmac\$/);
    expect(ticket.receiptHash).not.toContain(receipt.replace(/ /g, ''));
    expect(await verifyReceipt(h.app.secrets, receipt.replace(/ /g, ''), ticket.receiptHash)).toBe(true);
    expect(await verifyReceipt(h.app.secrets, '0000000000000000', ticket.receiptHash)).toBe(false);
    expect(ticket.eventDate?.toISOString()).toBe('2026-11-19T17:00:00.000Z');
    expect(ticket.deadline?.toISOString()).toBe('2026-11-28T17:00:00.000Z');
    expect(ticket.details).toMatchObject({
      kind: 'tip',
      terlapor: { name: null, position: 'Kepala Dinas Pendidikan', employment: 'pns' },
      place: { regencyCode: '19.05', regencyName: 'Kabupaten Bangka Barat' },
    });
    expect(ticket.evidence.map((e) => [e.kind, e.sha256, e.url])).toEqual([
      ['photo', photo.sha256, null],
      ['link', null, 'https://facebook.com/kadis/posts/123'],
    ]);
    expect(ticket.events).toMatchObject([{ type: 'submitted', status: 'received', actor: 'reporter', internal: false }]);

    const outbox = await h.app.store.prisma.outbox.findMany({ where: { dedupKey: { startsWith: `ticket:${ticket.id}` } } });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      kind: 'ticket.forward',
      destination: { type: 'office', officeCode: '19.05' },
      payload: { ticketId: ticket.id },
      dedupKey: `ticket:${ticket.id}:forward`,
      status: 'pending',
    });

    const dump = await dumpDatabase(h);
    expect(dump).not.toContain(receipt.replace(/ /g, ''));
  });

  it('files an anonymous tip in English with a photo, sent as initial information', async () => {
    const photo = await storedPhoto(h, 'tip-photo-en', { r: 120, g: 200, b: 10 });
    const review = await tipToReview(h, { chat: 'tip-en', locale: 'en', evidence: [photo] });
    expect(review.all).toContain('Summary of your initial information');
    expect(review.all).toContain('Initial information (anonymous)');
    expect(review.choices).toEqual(['Send the information', 'Change something', 'Cancel']);
    const { code, final } = await confirm(h, { chat: 'tip-en', locale: 'en' });
    expect(final.all).toContain('Your information has been sent.');
    expect(final.all).toContain('Addressed to: Bawaslu Kabupaten Bangka Barat');
    expect(final.all).toContain('as initial information (informasi awal), not as a formal report');
    expect(final.all).toContain('Not every piece of initial information leads to a case');
    expect(final.all).toContain('Secret receipt number');
    expect(final.all).toContain(photo.sha256);
    expect(final.choices[0]).toBe('Report a violation');
    const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code }, include: { evidence: true } });
    expect(ticket).toMatchObject({ kind: 'tip', locale: 'en', officeCode: '19.05', reporterIdentityEnc: null });
    expect(ticket.evidence).toMatchObject([{ kind: 'photo', sha256: photo.sha256, path: photo.path, strippedPath: photo.strippedPath }]);
  });

  it('files a formal report in Indonesian, stating its deadline and who decides the sanction', async () => {
    const photo = await storedPhoto(h, 'formal-photo-id', { r: 220, g: 220, b: 20 });
    const review = await formalToReview(h, {
      chat: 'formal-id',
      locale: 'id',
      evidence: [photo],
      reporter: { name: 'Rina Lestari', address: 'Jl. Sudirman No. 3, Koba, Bangka Tengah', phone: '+62 813 2222 3333', email: 'rina@example.com' },
      witness: { name: 'Joko Susilo', contact: 'Jl. Kenanga No. 1, Koba' },
    });
    expect(review.all).toContain('Identitas pelapor');
    expect(review.all).toContain('Batas waktu laporan resmi: 29 November 2026');
    // Help at the review shows the whole summary again, the reporter's identity included, then the question.
    const help = await h.command('bantuan', '', { chat: 'formal-id' });
    expect(help.all).toContain('Pilih Kirim laporan jika semuanya benar');
    expect(help.all).toContain('Rina Lestari');
    expect(help.all).toContain('Batas waktu laporan resmi: 29 November 2026');
    expect(help.texts.at(-1)).toContain('Periksa ringkasan di atas');
    const { code, final } = await confirm(h, { chat: 'formal-id', locale: 'id' });
    expect(final.all).toContain('Laporan Anda sudah terkirim.');
    expect(final.all).toContain('Ditujukan kepada: Bawaslu Kabupaten Bangka Tengah');
    expect(final.all).toContain('Batas waktu laporan resmi adalah 29 November 2026');
    expect(final.all).toContain('Formulir Model B.1');
    expect(final.all).toContain('Pejabat Pembina Kepegawaian (PPK)');
    expect(final.all).toContain(photo.sha256);
    const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code } });
    expect(h.app.secrets.decryptJson(ticket.reporterIdentityEnc!)).toMatchObject({ name: 'Rina Lestari', phone: '+6281322223333' });
    expect(h.app.secrets.decryptJson(ticket.witnessesEnc!)).toEqual([{ name: 'Joko Susilo', contact: 'Jl. Kenanga No. 1, Koba' }]);
  });

  it('keeps the original photo and a copy without EXIF or GPS for forwarding', async () => {
    const photo = await storedPhoto(h, 'exif-check', { r: 10, g: 120, b: 40 });
    expect(photo.strippedPath).toBeDefined();
    const original = await exifr.parse(readFileSync(path.join(h.dataDir, photo.path)), { gps: true });
    expect(original).toMatchObject({ Make: 'NetraTestCam', Copyright: 'exif-check' });
    expect(original.latitude).toBeCloseTo(-2.05);
    const stripped = await exifr.parse(readFileSync(path.join(h.dataDir, photo.strippedPath!)), { gps: true });
    expect(stripped).toBeUndefined();
  });

  it('files a formal report in English with a witness, storing the identity and witnesses only encrypted', async () => {
    const photo = await storedPhoto(h, 'formal-photo', { r: 20, g: 20, b: 200 });
    const review = await formalToReview(h, {
      chat: 'formal-en',
      locale: 'en',
      evidence: [photo],
      reporter: { name: 'Andi Wijaya', address: 'Jl. Merdeka No. 10, Koba, Bangka Tengah', phone: '0812-3456-7890', email: 'andi@example.com' },
      witness: { name: 'Siti Aminah', contact: '0813 1111 2222' },
    });
    expect(review.all).toContain('Summary of your formal report');
    expect(review.choices).toEqual(['Send the report', 'Change something', 'Cancel']);
    expect(review.all).toContain('Kecamatan Koba, Kabupaten Bangka Tengah');
    expect(review.all).toContain('Andi Wijaya');
    expect(review.all).toContain('+6281234567890');
    expect(review.all).toContain('Siti Aminah (+6281311112222)');
    expect(review.all).toContain('Deadline for a formal report: 29 November 2026');

    const { code, final } = await confirm(h, { chat: 'formal-en', locale: 'en' });
    expect(final.all).toContain('Your report has been sent.');
    expect(final.all).toContain('Addressed to: Bawaslu Kabupaten Bangka Tengah');
    expect(final.all).toContain('sends a recommendation to BKN');
    expect(final.all).toContain('Pejabat Pembina Kepegawaian, PPK');
    expect(final.all).toContain(photo.sha256);

    const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code } });
    expect(ticket).toMatchObject({ kind: 'formal', officeCode: '19.04', category: 'attending-campaign', locale: 'en' });
    expect(h.app.secrets.decryptJson(ticket.reporterIdentityEnc!)).toEqual({
      name: 'Andi Wijaya',
      address: 'Jl. Merdeka No. 10, Koba, Bangka Tengah',
      phone: '+6281234567890',
      email: 'andi@example.com',
    });
    expect(h.app.secrets.decryptJson(ticket.witnessesEnc!)).toEqual([{ name: 'Siti Aminah', contact: '+6281311112222' }]);
    expect(JSON.stringify(ticket.details)).not.toMatch(/Andi|Siti|6281234567890/);
    expect(ticket.details).toMatchObject({ place: { districtCode: '19.04.01', districtName: 'Koba' }, placeDetail: 'Lapangan Merdeka, Koba' });
  });

  it('keeps the reporter and witnesses out of the database in clear, during the draft and after submission', async () => {
    const markers = {
      name: 'Zubaidah Penandawati',
      address: 'Jl. Penanda Rahasia No. 7, Koba',
      phone: '0857-2468-1357',
      email: 'penanda.rahasia@example.com',
      witness: 'Saksi Penandasari',
      witnessContact: 'Gang Penanda Saksi No. 3, Koba',
    };
    const photo = await storedPhoto(h, 'privacy-photo', { r: 90, g: 90, b: 10 });
    const review = await formalToReview(h, {
      chat: 'privacy',
      locale: 'id',
      evidence: [photo],
      reporter: { name: markers.name, address: markers.address, phone: markers.phone, email: markers.email },
      witness: { name: markers.witness, contact: markers.witnessContact },
    });
    expect(review.all).toContain(markers.name);
    const clear = [markers.name, markers.address, markers.email, markers.witness, markers.witnessContact, '6285724681357', '0857-2468-1357', 'Penanda'];
    const during = await dumpDatabase(h);
    for (const marker of clear) expect(during, `draft: ${marker}`).not.toContain(marker);

    const { code } = await confirm(h, { chat: 'privacy', locale: 'id' });
    const after = await dumpDatabase(h);
    for (const marker of clear) expect(after, `ticket: ${marker}`).not.toContain(marker);
    // The data is there, encrypted, and the bot can read it back.
    const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code } });
    expect(h.app.secrets.decryptJson<{ name: string }>(ticket.reporterIdentityEnc!).name).toBe(markers.name);
    expect(h.app.secrets.decryptJson<Array<{ contact: string }>>(ticket.witnessesEnc!)[0]?.contact).toBe(markers.witnessContact);
  });

  it('never creates a ticket when the turn fails after the insert, and files exactly one when confirmed again', async () => {
    await tipToReview(h, { chat: 'crash-before-commit', locale: 'id', links: ['https://x.com/kadis/status/1'] });
    const real = reportCommands(h.app).submitReport!;
    h.app.runtime.registerCommands({
      submitReport: async (command, ctx) => {
        await real(command, ctx);
        throw new Error('simulated crash after the ticket insert, before the commit');
      },
    });
    const before = await h.app.store.prisma.ticket.count();
    await expect(h.say('kirim laporan', { chat: 'crash-before-commit' })).rejects.toThrow('simulated crash');
    h.app.runtime.registerCommands({ submitReport: real });
    expect(await h.app.store.prisma.ticket.count()).toBe(before);

    // The draft is still at the review: the same answer now goes through, once.
    const again = filedFrom(await h.say('kirim laporan', { chat: 'crash-before-commit' }));
    expect(await h.app.store.prisma.ticket.count()).toBe(before + 1);
    const ticket = await h.app.store.prisma.ticket.findUniqueOrThrow({ where: { code: again.code } });
    expect(await h.app.store.prisma.outbox.count({ where: { dedupKey: `ticket:${ticket.id}:forward` } })).toBe(1);
  });

  it('answers a redelivered confirmation once: no second ticket, no second reply', async () => {
    await tipToReview(h, { chat: 'redelivered', locale: 'id', links: ['https://x.com/kadis/status/2'] });
    const before = await h.app.store.prisma.ticket.count();
    const first = await h.say('kirim laporan', { chat: 'redelivered', messageId: 'tg-991' });
    filedFrom(first);
    const second = await h.say('kirim laporan', { chat: 'redelivered', messageId: 'tg-991' });
    expect(second.result.duplicate).toBe(true);
    expect(second.texts).toEqual([]);
    expect(await h.app.store.prisma.ticket.count()).toBe(before + 1);
  });

  it('finds the first ticket when the same draft is submitted again after its snapshot was lost', async () => {
    await tipToReview(h, { chat: 'replayed', locale: 'en', links: ['https://x.com/kadis/status/3'] });
    const prisma = h.app.store.prisma;
    const key = (await h.say('/help', { chat: 'replayed' })).result.chatKey;
    const saved = await prisma.chat.findUniqueOrThrow({ where: { key } });
    const { code } = await confirm(h, { chat: 'replayed', locale: 'en' });
    const before = await prisma.ticket.count();
    // A restore of the chat row from before the submission (a lost write, a backup) puts the draft back.
    const now = await prisma.chat.findUniqueOrThrow({ where: { key } });
    await prisma.chat.update({
      where: { key },
      data: { flow: saved.flow, snapshot: saved.snapshot as never, prompt: saved.prompt as never, revision: now.revision },
    });
    const replay = await h.say('send the report', { chat: 'replayed' });
    expect(replay.all).toContain(`already sent with code ${code}`);
    expect(replay.all).not.toMatch(/\d{4} \d{4} \d{4} \d{4}/);
    expect(await prisma.ticket.count()).toBe(before);
  });

  it('refuses more than REPORTS_PER_DAY reports a day from one chat and keeps the draft', async () => {
    const limit = h.app.config.REPORTS_PER_DAY;
    h.app.config.REPORTS_PER_DAY = 1;
    try {
      await tipToReview(h, { chat: 'busy', locale: 'id', links: ['https://x.com/kadis/status/4'] });
      filedFrom(await h.say('kirim laporan', { chat: 'busy' }));
      h.setNow('2026-11-22T05:00:00.000Z');
      await tipToReview(h, { chat: 'busy', locale: 'id', links: ['https://x.com/kadis/status/5'] });
      const refused = await h.say('kirim laporan', { chat: 'busy' });
      expect(refused.all).toContain('sudah dikirim 1 laporan dalam 24 jam terakhir');
      expect(refused.choices).toEqual(['Kirim informasi', 'Ubah isian', 'Batalkan']);
      h.setNow('2026-11-23T06:00:00.000Z');
      filedFrom(await h.say('kirim laporan', { chat: 'busy' }));
    } finally {
      h.app.config.REPORTS_PER_DAY = limit;
      h.setNow('2026-11-22T03:00:00.000Z');
    }
  });

  it('seals personal data so that only this app can open it', async () => {
    const handlers = reportCommands(h.app);
    const ctx = {} as never;
    const first = (await handlers.updatePersonal!({ type: 'updatePersonal', sealed: null, op: { type: 'setReporterField', field: 'name', value: 'Rina' } }, ctx)) as { sealed: string };
    expect(first.sealed).not.toContain('Rina');
    const second = (await handlers.updatePersonal!({ type: 'updatePersonal', sealed: first.sealed, op: { type: 'startWitness', name: 'Dodi' } }, ctx)) as { sealed: string };
    const opened = (await handlers.openPersonal!({ type: 'openPersonal', sealed: second.sealed }, ctx)) as { personal: unknown };
    expect(personalDataSchema.parse(opened.personal)).toEqual({ reporter: { name: 'Rina' }, witnesses: [], pendingWitnessName: 'Dodi' });
    await expect(handlers.openPersonal!({ type: 'openPersonal', sealed: `${second.sealed.slice(0, -4)}AAAA` }, ctx)).rejects.toThrow();
  });
});
