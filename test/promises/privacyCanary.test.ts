/**
 * Privacy canary. A tipster whose Telegram name, username, chat id, shared contact (phone), photo EXIF, video
 * metadata (the model an iPhone writes, beside its location) and a PDF's author carry unique markers files a tip
 * through `netra start`; an officer acknowledges it, asks a question, and the tipster
 * answers with /jawab. The office receives everything in its Telegram group, by e-mail and by webhook. None of the
 * tipster's markers may appear in any officer message, PDF, e-mail, webhook body, export, log line (at debug level)
 * or database column in clear (each table dumped as JSON, searched case-insensitively; encrypted columns cannot
 * show a marker in clear).
 *
 * A formal reporter's identity is the other side of the promise: name, address and phone go to the office handling
 * the report (card, PDF, e-mail, webhook, export with --with-identity, as a formal laporan requires) and nowhere
 * else: not in logs, not in the database in clear (also checked while the draft waits at the review), not in an
 * export without --with-identity. Their chat id and Telegram name go nowhere. An officer's action on the report
 * (`ticket.action`) reaches the webhook as a reference to the ticket, without the identity.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import PDFDocument from 'pdfkit';
import { pdfText } from '../bot/documents/fixtures.ts';
import { Citizen, Gate, Officer, plain, type Stage } from './support/actors.ts';
import { quiet } from './support/invariants.ts';
import { readEmail, readWebhookBody, startSmtp, startWebhookReceiver } from './support/receivers.ts';
import { createWorld, type World } from './support/world.ts';

const OFFICE = '19.05';
const GROUP = -100_123_400;
const OFFICER_ID = 7_301;

/** The tipster: markers in the name, the username, the chat id digits, the shared phone, the photo's EXIF and the video's metadata. */
const TIPSTER_CHAT = 8_007_373_731;
const TIP_MARKER = 'CANARY7Q';
const TIP_PHONE = '+62 812-7373-7377';
const TIP_PHONE_DIGITS = '81273737377';

/** The formal reporter: identity markers (allowed where a formal report goes) and a chat id (allowed nowhere). */
const FORMAL_CHAT = 8_007_373_742;
const FORMAL_MARKER = 'CANARY7F';
const FORMAL_NAME_MARKER = 'KANARIFORMAL';
const FORMAL_PHONE_DIGITS = '81273737388';

/** A letter the tipster wrote in an office app that put their name down as its author. */
function letterByTipster(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ info: { Author: `Siti ${TIP_MARKER}`, Title: 'Kronologi' }, pdfVersion: '1.4' });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.text('Kronologi: kepala dinas membagikan poster calon di grup guru pada pukul 20.15.');
    doc.end();
  });
}

/** Where a needle is found in a haystack: as written (any case), or as digits among digits. */
function finds(haystack: string, needle: string): boolean {
  if (/^\d+$/.test(needle)) return haystack.replace(/\D+/g, '').includes(needle);
  return haystack.toLowerCase().includes(needle.toLowerCase());
}

/** The needles a source must not contain. */
function leaks(sources: Array<[string, string]>, needles: string[]): string[] {
  const found: string[] = [];
  for (const [source, text] of sources) {
    for (const needle of needles) if (finds(text, needle)) found.push(`${needle} in ${source}`);
  }
  return found;
}

describe('privacy canary', () => {
  let world: World;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    receiver = await startWebhookReceiver();
    world = await createWorld({ keepOutput: true, env: { SMTP_URL: smtp.url, LOG_LEVEL: 'debug' } });
    await world.startNetra();
  }, 120_000);

  afterAll(async () => {
    await world?.close();
    await smtp?.close();
    await receiver?.close();
  }, 60_000);

  it('keeps a tipster unidentifiable and a formal reporter known only to the office', { timeout: 5 * 60_000 }, async () => {
    const setOffice = await world.cli(['office', 'set', OFFICE, '--email', 'kantor@bawaslu.test', '--webhook', receiver.url]);
    expect(setOffice.code, setOffice.output).toBe(0);
    const stage: Stage = { world, gate: new Gate(), kills: () => [] };
    const officer = new Officer(stage, { id: OFFICER_ID, first_name: 'Sari' }, GROUP);
    await officer.enrol(OFFICE);

    const tipster = new Citizen(stage, TIPSTER_CHAT, {
      id: TIPSTER_CHAT,
      first_name: `Siti ${TIP_MARKER}`,
      last_name: TIP_MARKER,
      username: `${TIP_MARKER.toLowerCase()}_siti`,
    });
    await tipster.file({
      kind: 'tip',
      photo: true,
      photoExif: { IFD0: { Artist: `Siti ${TIP_MARKER}`, Copyright: TIP_MARKER, Make: 'TestCam' } },
      // An iPhone-style QuickTime video whose model reads "iPhone CANARY7Q", beside its location.
      video: { bytes: readFileSync(path.join(import.meta.dirname, '../fixtures/video/phone.mov')), mimeType: 'video/quicktime' },
      document: { bytes: await letterByTipster(), fileName: 'kronologi.pdf', mimeType: 'application/pdf' },
      contact: { phone: TIP_PHONE, firstName: TIP_MARKER },
      tag: 'laporan warga',
    });

    const formal = new Citizen(stage, FORMAL_CHAT, { id: FORMAL_CHAT, first_name: `Budi ${FORMAL_NAME_MARKER}`, username: FORMAL_NAME_MARKER.toLowerCase() });
    const identity = { name: `Budi ${FORMAL_MARKER}`, address: `Jalan ${FORMAL_MARKER} Nomor 9, Muntok`, phone: '0812-7373-7388' };
    const clearColumns = async () => {
      const client = await world.connect();
      try {
        const tables = (await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`)).rows;
        const dump: Array<[string, string]> = [];
        for (const { name } of tables) {
          const rows = (await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${name}" t`)).rows;
          dump.push([`table ${name}`, rows.map((r) => r.row).join('\n')]);
        }
        return dump;
      } finally {
        await client.end();
      }
    };
    let atReview: Array<[string, string]> = [];
    await formal.file({ kind: 'formal', identity, tag: 'laporan resmi', beforeConfirm: async () => void (atReview = await clearColumns()) });
    await quiet(world);

    // The office works on both; the tipster answers a question.
    const [tipCode] = tipster.codes;
    const [formalCode] = formal.codes;
    expect(tipCode).toBeDefined();
    expect(formalCode).toBeDefined();
    for (const code of [tipCode!, formalCode!]) await officer.acknowledge(code);
    await officer.askReporter(tipCode!, 'Apakah ada saksi lain yang melihat unggahan itu?');
    await quiet(world);
    await tipster.answerQuestion(tipCode!, 'Ada dua guru lain yang juga menerima pesan itu di grup sekolah.');
    expect(await officer.setStatus(formalCode!, 'handling', 'Kami memanggil terlapor untuk klarifikasi.')).toBe(true);
    await quiet(world);

    // What the office sees: every call to its group and the officer's chat, the files, the e-mails, the webhooks.
    const officeChats = new Set([GROUP, OFFICER_ID]);
    const officeCalls = world.fake.calls.filter((c) => typeof c.chatId === 'number' && officeChats.has(c.chatId));
    const officeFiles = world.fake.files.filter((f) => typeof f.chatId === 'number' && officeChats.has(f.chatId));
    const pdfs = officeFiles.filter((f) => f.fileName.endsWith('.pdf'));
    const office: Array<[string, string]> = [
      ['office messages', officeCalls.map((c) => JSON.stringify(c.params)).join('\n')],
      ['office PDFs', (await Promise.all(pdfs.map(async (f) => (await pdfText(f.data)).text))).join('\n')],
      ['office files (bytes)', officeFiles.map((f) => f.data.toString('latin1')).join('\n')],
      ['e-mails', (await Promise.all(smtp.messages.map(async (m) => `${m}\n${await readEmail(m)}`))).join('\n')],
      ['webhook bodies', (await Promise.all(receiver.bodies.map(readWebhookBody))).join('\n')],
    ];
    // Everything reached the office, so the searches below look at real material.
    expect(pdfs.map((f) => f.fileName).filter((name) => name.startsWith('Formulir')).sort()).toEqual([`Formulir-B1-${formalCode}.pdf`, `Formulir-B1-${tipCode}.pdf`].sort());
    expect(smtp.messages.filter((m) => m.includes(tipCode!)).length).toBeGreaterThanOrEqual(2);
    expect(receiver.bodies.some((b) => b.includes('"ticket.answer"'))).toBe(true);
    expect(officeCalls.map(plain).join('\n')).toContain('Jawaban pelapor');

    const exportOf = async (...extra: string[]) => {
      const result = await world.cli(['tickets', 'export', '--office', OFFICE, ...extra]);
      expect(result.code, result.output).toBe(0);
      return result.output;
    };
    const exports: Array<[string, string]> = [
      ['CSV export', await exportOf('--format', 'csv')],
      ['JSON export', await exportOf('--format', 'json')],
    ];
    const withIdentity = await exportOf('--format', 'json', '--with-identity');
    const logs: Array<[string, string]> = world.processes.map((p, i) => [`log of netra process ${i + 1}`, p.output()]);
    const database = await clearColumns();

    // The photo, the video and the letter as the tipster sent them do carry the marker (in their metadata); what the
    // office got must not. All three reached the office.
    const evidence = await world.store.prisma.evidence.findMany({ where: { ticket: { code: tipCode! } }, orderBy: { createdAt: 'asc' } });
    expect(evidence.map((e) => e.kind)).toEqual(['photo', 'video', 'document']);
    for (const e of evidence) expect(readFileSync(path.resolve(world.dataDir, e.path!)).toString('latin1')).toContain(TIP_MARKER);
    expect(officeFiles.filter((f) => f.fileName.startsWith(tipCode!)).map((f) => path.extname(f.fileName)).sort()).toEqual(['.jpg', '.mov', '.pdf']);
    // The video's clean copy is announced as the video it is (a photo's clean copy is a JPEG).
    const webhookText = office.find(([source]) => source === 'webhook bodies')![1];
    expect(webhookText).toContain('"mime":"video/quicktime"');
    expect(logs.some(([, text]) => text.includes('"report submitted"'))).toBe(true);

    const tipsterMarkers = [TIP_MARKER, TIP_PHONE_DIGITS, String(TIPSTER_CHAT)];
    const formalChat = [FORMAL_NAME_MARKER, String(FORMAL_CHAT)];
    const formalIdentity = [FORMAL_MARKER, FORMAL_PHONE_DIGITS];

    // The tipster: nowhere at all. The formal reporter's chat and Telegram name: nowhere either.
    expect(leaks([...office, ...exports, ['export with identity', withIdentity], ...logs, ...database, ...atReview], [...tipsterMarkers, ...formalChat])).toEqual([]);
    // The formal reporter's identity: not in logs, not in clear in the database, not in a plain export...
    expect(leaks([...exports, ...logs, ...database, ...atReview], formalIdentity)).toEqual([]);
    // An officer's action reaches the office's webhook as a reference to the ticket: the identity came with the report,
    // and an action (sent to every office working on the ticket, one it has left too) carries none of it.
    const actionPosts = receiver.bodies.filter((b) => b.includes('"event":"ticket.action"') && b.includes(formalCode!));
    expect(actionPosts.length).toBeGreaterThanOrEqual(2);
    expect(leaks(actionPosts.map((b, i): [string, string] => [`ticket.action webhook body ${i + 1}`, b]), formalIdentity)).toEqual([]);
    // ...but with the office, as a formal report requires (which also shows the searches can find a marker).
    for (const [source, text] of [...office.filter(([s]) => s !== 'office files (bytes)'), ['export with identity', withIdentity]] as Array<[string, string]>) {
      for (const needle of formalIdentity) expect(finds(text, needle), `${needle} in ${source}`).toBe(true);
    }
  });
});
