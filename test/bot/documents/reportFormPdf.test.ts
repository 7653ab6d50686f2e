import { createHash } from 'node:crypto';
import { getDocumentProxy, getMeta } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { renderReportFormPdf, type ReportFormData } from '../../../bot/documents/reportFormPdf.ts';
import { formalReport, pdfText, tipReport } from './fixtures.ts';

const generatedAt = new Date('2026-11-20T03:15:00Z');
const render = (report: ReportFormData, locale: 'id' | 'en' = 'id') =>
  renderReportFormPdf(report, { locale, generatedAt });

/** Characters pdf.js can give back from a page drawn with the standard fonts (WinAnsi) plus line breaks. */
const WIN_ANSI_TEXT = /^[\n\x20-\x7e\xa0-\xff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]*$/;

const FIELD_LABELS = [
  'FORMULIR MODEL B.1 — FORMULIR LAPORAN',
  'Lampiran Peraturan Badan Pengawas Pemilihan Umum Nomor 7 Tahun 2022',
  'Nomor tiket Netra',
  'Ditujukan kepada',
  'Tanggal diterima',
  'Batas waktu pelaporan (7 hari sejak diketahui)',
  'Dugaan pelanggaran',
  'Dasar hukum',
  'Tingkat sanksi',
  'I. IDENTITAS PELAPOR',
  'No. Telp/HP',
  'E-mail',
  'II. IDENTITAS TERLAPOR',
  'Jabatan',
  'Instansi',
  'Status kepegawaian',
  'III. PERISTIWA YANG DILAPORKAN',
  'Peristiwa',
  'Tempat kejadian',
  'Hari dan tanggal kejadian',
  'Hari dan tanggal diketahui',
  'IV. SAKSI-SAKSI',
  'V. BUKTI-BUKTI',
  'VI. URAIAN KEJADIAN',
  'PERNYATAAN DAN TANDA TANGAN',
];

describe('renderReportFormPdf', () => {
  it('prints the code, the office, every field label and all the report data of a formal report', async () => {
    const { text, pages } = await pdfText(await render(formalReport));
    expect(pages).toBeGreaterThanOrEqual(1);
    for (const label of FIELD_LABELS) expect(text).toContain(label);
    expect(text).toContain('NTR-7K3P-9QXA');
    expect(text).toContain('Laporan resmi');
    expect(text).toContain('Bawaslu Kota Bandung (kode wilayah 32.73)');
    expect(text).toContain('Drs. Bambang Sutrisno');
    expect(text).toContain('Kepala Bidang Perencanaan');
    expect(text).toContain('Dinas Pekerjaan Umum Kota Bandung');
    expect(text).toContain('23 November 2026 — masih dalam batas waktu (3 hari lagi)');
    expect(text).toContain('PP 94/2021 Pasal 5 huruf n angka 4');
    expect(text).toContain('Hukuman disiplin berat (Pasal 14 huruf i)');
    expect(text).toContain('Lapangan Gasibu, Kecamatan Coblong, Kota Bandung');
    expect(text).toContain('Di depan panggung utama, sisi utara');
    expect(text).toContain('-6.90043, 107.61870');
    expect(text).toContain('Sabtu, 14 November 2026');
    expect(text).toContain('Senin, 16 November 2026');
    expect(text).toContain(formalReport.description);
    for (const item of formalReport.evidence) {
      if (item.sha256) expect(text).toContain(`SHA-256: ${item.sha256}`);
      if (item.fileName) expect(text).toContain(item.fileName);
      if (item.url) expect(text).toContain(item.url);
    }
    for (const witness of formalReport.witnesses) {
      expect(text).toContain(witness.name);
      expect(text).toContain(witness.contact);
    }
  });

  it("shows a formal reporter's name, address, phone and e-mail, and a signature space for both sides", async () => {
    const { text } = await pdfText(await render(formalReport));
    expect(text).toContain('Dewi Lestari');
    expect(text).toContain('Jl. Merdeka No. 5, Bandung');
    expect(text).toContain('0812-9999-0000');
    expect(text).toContain('dewi@example.id');
    expect(text).toContain('Penerima laporan,');
    expect(text).toContain('( Dewi Lestari )');
    expect(text).not.toContain('bukan laporan resmi');
  });

  it('shows only the pseudonym of a tip and says it is not a formal report', async () => {
    const { text } = await pdfText(await render(tipReport));
    expect(text).toContain('Informasi awal (anonim)');
    expect(text).toContain('Pelapor Merpati 17');
    expect(text).toContain('Pelapor anonim');
    expect(text).toContain('bukan laporan resmi menurut Peraturan Bawaslu Nomor 7 Tahun 2022');
    expect(text).not.toContain('PERNYATAAN DAN TANDA TANGAN');
  });

  it('never prints identity data that a tip happens to carry', async () => {
    const leaky: ReportFormData = { ...tipReport, reporter: formalReport.reporter };
    const { text } = await pdfText(await render(leaky));
    expect(text).toContain('Pelapor Elang 42');
    for (const secret of ['Dewi Lestari', 'Jl. Merdeka', '0812-9999-0000', 'dewi@example.id']) {
      expect(text).not.toContain(secret);
    }
  });

  it('flows a 4,000-character description onto further pages, keeping every word in order', async () => {
    const words = Array.from({ length: 445 }, (_, i) => `kata${String(i).padStart(4, '0')}`);
    const description = words.join(' ');
    expect(description.length).toBeGreaterThanOrEqual(4000);
    const { text, pages } = await pdfText(await render({ ...formalReport, description }));
    expect(pages).toBeGreaterThan(1);
    let from = 0;
    for (const word of words) {
      const at = text.indexOf(word, from);
      expect(at, word).toBeGreaterThanOrEqual(from);
      from = at + word.length;
    }
  });

  it('lists many evidence items across pages with each hash whole, and numbers every page', async () => {
    const evidence = Array.from({ length: 45 }, (_, i) => ({
      kind: 'Foto',
      fileName: `bukti-${i + 1}.jpg`,
      sha256: createHash('sha256').update(String(i)).digest('hex'),
    }));
    const { text, pages } = await pdfText(await render({ ...formalReport, evidence }));
    expect(pages).toBeGreaterThan(1);
    for (const item of evidence) expect(text).toContain(`SHA-256: ${item.sha256}`);
    for (let page = 1; page <= pages; page += 1) expect(text).toContain(`Halaman ${page} dari ${pages}`);
    expect(text).toContain('FORMULIR MODEL B.1 — NTR-7K3P-9QXA (lanjutan)');
  });

  it('renders emoji, right-to-left and Javanese script, markup and control characters without breaking', async () => {
    const hostile = 'Budi 😀👨‍👩‍👧 مرحبا ꦧꦱꦗꦮ <b>tebal</b> \u202Eterbalik\u202C\u0000 ā';
    const report: ReportFormData = {
      ...formalReport,
      terlapor: { ...formalReport.terlapor, name: hostile },
      description: `${hostile}\n`.repeat(40),
      witnesses: [{ name: hostile, contact: hostile }],
      evidence: [{ kind: hostile, fileName: hostile, url: hostile }],
      reporter: { ...formalReport.reporter, name: hostile, address: hostile },
    };
    const { text } = await pdfText(await render(report));
    expect(text).toContain('Budi ?? ????? ???? <b>tebal</b> terbalik a');
    expect(text).toMatch(WIN_ANSI_TEXT);
  });

  it('states the empty witness and evidence lists instead of leaving blank sections', async () => {
    const { text } = await pdfText(await render({ ...formalReport, witnesses: [], evidence: [] }));
    expect(text).toContain('Tidak ada saksi yang disebutkan.');
    expect(text).toContain('Tidak ada bukti yang dilampirkan.');
  });

  it('adds the English translation of its notes only for the English locale', async () => {
    const english = await pdfText(await render(tipReport, 'en'));
    const indonesian = await pdfText(await render(tipReport, 'id'));
    expect(english.text).toContain('It is not a formal report under Bawaslu Regulation 7/2022');
    expect(english.text).toContain('IDENTITAS TERLAPOR');
    expect(indonesian.text).not.toContain('It is not a formal report');
  });

  it("prints the generation time in the office's time zone in the footer", async () => {
    const pdf = await renderReportFormPdf(formalReport, { locale: 'id', generatedAt, timeZone: 'Asia/Makassar' });
    const { text } = await pdfText(pdf);
    expect(text).toContain('Dibuat oleh Netra pada 20 November 2026 pukul 11.15 WITA');
  });

  it('is reproducible: the same input and time give the same bytes and the given creation date', async () => {
    const first = await render(formalReport);
    expect((await render(formalReport)).equals(first)).toBe(true);
    const later = await renderReportFormPdf(formalReport, { locale: 'id', generatedAt: new Date('2026-11-21T00:00:00Z') });
    expect(later.equals(first)).toBe(false);
    const { info } = await getMeta(await getDocumentProxy(new Uint8Array(first)));
    expect(info.CreationDate).toBe('D:20261120031500Z');
  });

  it('refuses a formal report that lacks the reporter identity', async () => {
    const anonymousFormal: ReportFormData = { ...formalReport, reporter: { pseudonym: 'Pelapor Elang 42' } };
    await expect(render(anonymousFormal)).rejects.toBeInstanceOf(ZodError);
  });
});
