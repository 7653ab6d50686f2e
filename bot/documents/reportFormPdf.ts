/**
 * A ticket printed as Bawaslu's citizen report form: Formulir Model B.1 (Formulir Laporan), Lampiran Peraturan
 * Bawaslu Nomor 7 Tahun 2022. Sections follow the form (reporter, reported party, event, witnesses, evidence,
 * chronological description); Netra adds its ticket data (code, addressee office, dates, an initial
 * classification) on top. The form is Bawaslu's, so its labels are always Indonesian; an English reader gets the
 * explanatory notes translated in smaller type.
 *
 * All text is drawn with the built-in Helvetica/Courier and passed through `toWinAnsi` (see there for why).
 */
import { z } from 'zod';
import { createPdf } from './pdfDocument.ts';
import { toWinAnsi } from '../../flows/shared/toWinAnsi.ts';

const text = z.string();
const filled = z.string().trim().min(1);

/** A reporter who gave name, address and phone: required for a formal laporan (Perbawaslu 7/2022 Pasal 15). */
const identifiedReporterSchema = z.object({
  pseudonym: filled,
  name: filled,
  address: filled,
  phone: filled,
  email: text.optional(),
});

/** A reporter known only by the pseudonym Netra gave them. */
const anonymousReporterSchema = z.object({ pseudonym: filled });

/**
 * Everything the B.1 form shows, with every value already formatted by the caller (dates as "20 November 2026").
 * A formal report must carry the reporter's identity; a tip never shows it, even when present.
 */
export const reportFormDataSchema = z
  .object({
    code: filled,
    kind: z.enum(['tip', 'formal']),
    receivedAt: filled,
    office: z.object({ code: filled, name: filled }),
    category: z.object({ label: filled, legalBasis: text, sanctionLevel: text }),
    terlapor: z.object({ name: filled, position: text, agency: text, employment: text }),
    event: z.object({
      date: filled,
      learnedDate: filled,
      deadline: filled,
      deadlineStatus: text,
      place: filled,
      placeDetail: text.optional(),
      location: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).optional(),
    }),
    description: text,
    evidence: z.array(
      z.object({ kind: filled, fileName: text.optional(), sha256: text.optional(), url: text.optional() }),
    ),
    witnesses: z.array(z.object({ name: filled, contact: text })),
    // Identified first: z.object strips unknown keys, so the anonymous shape would swallow an identified reporter.
    reporter: z.union([identifiedReporterSchema, anonymousReporterSchema]),
  })
  .superRefine((report, ctx) => {
    if (report.kind === 'formal' && !('name' in report.reporter)) {
      ctx.addIssue({
        code: 'custom',
        path: ['reporter'],
        message: 'A formal report needs the reporter name, address and phone (Perbawaslu 7/2022 Pasal 15).',
      });
    }
  });
export type ReportFormData = z.infer<typeof reportFormDataSchema>;

/** Indonesian time zones and the abbreviation Indonesians read on a timestamp. */
const ZONE_ABBREVIATIONS = { 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' } as const;
type IndonesianTimeZone = keyof typeof ZONE_ABBREVIATIONS;

/** How to render: `locale` only adds English translations of the notes; the form itself stays Indonesian. */
export interface ReportFormOptions {
  locale: 'id' | 'en';
  /** The moment printed in the footer and stored as the PDF creation date; defaults to now. */
  generatedAt?: Date;
  /** Zone for the footer time, usually the addressee office's; defaults to Asia/Jakarta (WIB). */
  timeZone?: IndonesianTimeZone;
}

interface Note {
  id: string;
  en: string;
}

const NOTES = {
  tip: {
    id:
      'Catatan: dokumen ini adalah informasi awal dari pelapor anonim, bukan laporan resmi menurut Peraturan ' +
      'Bawaslu Nomor 7 Tahun 2022, karena syarat formal laporan memuat nama dan alamat pelapor. Pengawas pemilu ' +
      'dapat menelusurinya dan, bila cukup bukti, menjadikannya temuan.',
    en:
      'Note: this document is initial information (informasi awal) from an anonymous reporter. It is not a formal ' +
      'report under Bawaslu Regulation 7/2022, whose formal requirements include the reporter name and address. ' +
      'Election supervisors may look into it and, with enough evidence, turn it into a finding (temuan).',
  },
  classification: {
    id:
      'Kategori, dasar hukum, dan tingkat sanksi di atas adalah klasifikasi awal dari Netra dan tidak mengikat. ' +
      'Penilaian sepenuhnya ada pada pengawas pemilu; sanksi bagi ASN dijatuhkan oleh Pejabat Pembina ' +
      'Kepegawaian instansinya.',
    en:
      'The category, legal basis and sanction level above are an initial, non-binding classification by Netra. ' +
      'The election supervisors decide; a sanction on a civil servant is imposed by the official in charge of ' +
      'staff (Pejabat Pembina Kepegawaian) of their own agency.',
  },
  anonymousReporter: {
    id: 'Pelapor tidak mencantumkan identitas. Netra hanya meneruskan nama samaran di bawah ini.',
    en: 'The reporter gave no identity. Netra passes on only the pseudonym below.',
  },
  statement: {
    id:
      'Demikian laporan ini dibuat dengan sebenar-benarnya. Pelapor bersedia mempertanggungjawabkan isinya di ' +
      'hadapan hukum. Laporan sah setelah ditandatangani pelapor dan diterima petugas.',
    en:
      'The reporter declares this report true and will answer for its contents before the law. It becomes valid ' +
      'once signed by the reporter and received by an officer.',
  },
} satisfies Record<string, Note>;

const KIND_LABELS = { formal: 'Laporan resmi', tip: 'Informasi awal (anonim)' } as const;

const MARGIN = { top: 64, bottom: 64, left: 56, right: 56 };
const LABEL_WIDTH = 150;
const GAP = 8;
const COLOR = { text: '#111111', muted: '#555555', rule: '#999999', band: '#e8e8e8', note: '#f4f4f4' };
const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique', mono: 'Courier' };

type Doc = PDFKit.PDFDocument;

/** Draws the report form; the layout helpers keep blocks whole across page breaks where they fit on one page. */
class FormWriter {
  constructor(
    private readonly doc: Doc,
    private readonly locale: 'id' | 'en',
  ) {}

  private get left(): number {
    return this.doc.page.margins.left;
  }

  private get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  private get pageBody(): number {
    return this.bottom - this.doc.page.margins.top;
  }

  /** Starts a new page unless `height` points still fit; a block taller than a page simply flows. */
  ensureSpace(height: number): void {
    if (this.doc.y + Math.min(height, this.pageBody) > this.bottom) this.doc.addPage();
  }

  measure(value: string, font: string, size: number, width: number): number {
    return this.doc.font(font).fontSize(size).heightOfString(toWinAnsi(value), { width });
  }

  write(value: string, font: string, size: number, options: PDFKit.Mixins.TextOptions & { color?: string } = {}): void {
    const { color = COLOR.text, ...rest } = options;
    this.doc
      .font(font)
      .fontSize(size)
      .fillColor(color)
      .text(toWinAnsi(value), this.left, this.doc.y, { width: this.width, ...rest });
  }

  title(code: string, kind: ReportFormData['kind']): void {
    this.write('FORMULIR MODEL B.1 — FORMULIR LAPORAN', FONT.bold, 14, { align: 'center' });
    this.write('Lampiran Peraturan Badan Pengawas Pemilihan Umum Nomor 7 Tahun 2022', FONT.regular, 8, {
      align: 'center',
      color: COLOR.muted,
    });
    this.doc.moveDown(0.6);
    this.write(`Nomor tiket Netra: ${code}     Jenis: ${KIND_LABELS[kind]}`, FONT.bold, 10, { align: 'center' });
    this.doc.moveDown(0.4);
    this.rule();
  }

  rule(): void {
    const y = this.doc.y + 2;
    this.doc
      .moveTo(this.left, y)
      .lineTo(this.left + this.width, y)
      .lineWidth(0.6)
      .strokeColor(COLOR.rule)
      .stroke();
    this.doc.y = y + 6;
  }

  heading(label: string): void {
    this.doc.moveDown(0.5);
    // Keep a heading with at least its first lines.
    this.ensureSpace(70);
    const y = this.doc.y;
    this.doc.rect(this.left, y, this.width, 16).fillColor(COLOR.band).fill();
    this.doc.y = y + 4;
    this.doc.x = this.left;
    this.write(label, FONT.bold, 9.5, { indent: 4 });
    this.doc.y = y + 20;
  }

  /** A form line: label on the left, value beside it; both start on the same page. */
  row(label: string, value: string, valueFont: string = FONT.regular): void {
    const valueWidth = this.width - LABEL_WIDTH - GAP;
    const shown = value.trim().length > 0 ? value : '-';
    const height = Math.max(
      this.measure(label, FONT.bold, 9, LABEL_WIDTH),
      this.measure(shown, valueFont, 9.5, valueWidth),
    );
    this.ensureSpace(height);
    const top = this.doc.y;
    const page = this.doc.page;
    this.doc.font(FONT.bold).fontSize(9).fillColor(COLOR.muted).text(toWinAnsi(label), this.left, top, {
      width: LABEL_WIDTH,
    });
    const labelEnd = this.doc.y;
    this.doc
      .font(valueFont)
      .fontSize(9.5)
      .fillColor(COLOR.text)
      .text(toWinAnsi(shown), this.left + LABEL_WIDTH + GAP, top, { width: valueWidth });
    // A value longer than a page ends on a later page, where only its own end position means anything.
    const end = this.doc.page === page ? Math.max(labelEnd, this.doc.y) : this.doc.y;
    this.doc.x = this.left;
    this.doc.y = end + 3;
  }

  /** A shaded box with a note in Indonesian, followed by its English translation for English readers. */
  note(note: Note): void {
    const inner = this.width - 16;
    const english = this.locale === 'en';
    const height =
      this.measure(note.id, FONT.regular, 8.5, inner) +
      (english ? this.measure(note.en, FONT.italic, 7.5, inner) + 3 : 0) +
      12;
    this.ensureSpace(height + 6);
    const top = this.doc.y + 2;
    this.doc.rect(this.left, top, this.width, height).fillColor(COLOR.note).fill();
    this.doc.font(FONT.regular).fontSize(8.5).fillColor(COLOR.text).text(toWinAnsi(note.id), this.left + 8, top + 6, {
      width: inner,
    });
    if (english) {
      this.doc.y += 3;
      this.doc
        .font(FONT.italic)
        .fontSize(7.5)
        .fillColor(COLOR.muted)
        .text(toWinAnsi(note.en), this.left + 8, this.doc.y, { width: inner });
    }
    this.doc.x = this.left;
    this.doc.y = top + height + 6;
  }

  /** Flowing body text, e.g. the description; pdfkit carries it onto new pages by itself. */
  paragraph(value: string): void {
    this.ensureSpace(40);
    this.write(value.trim().length > 0 ? value : '-', FONT.regular, 9.5, { lineGap: 1.5 });
  }

  evidenceItem(index: number, item: ReportFormData['evidence'][number]): void {
    const lines: Array<{ value: string; font: string; size: number }> = [
      { value: `${index}. ${item.kind}${item.fileName ? ` — ${item.fileName}` : ''}`, font: FONT.bold, size: 9.5 },
    ];
    if (item.sha256) lines.push({ value: `SHA-256: ${item.sha256}`, font: FONT.mono, size: 8 });
    if (item.url) lines.push({ value: `URL: ${item.url}`, font: FONT.regular, size: 8.5 });
    const indent = 14;
    const height = lines.reduce(
      (sum, line, i) => sum + this.measure(line.value, line.font, line.size, this.width - (i === 0 ? 0 : indent)),
      4,
    );
    this.ensureSpace(height);
    lines.forEach((line, i) => {
      const x = this.left + (i === 0 ? 0 : indent);
      this.doc
        .font(line.font)
        .fontSize(line.size)
        .fillColor(i === 0 ? COLOR.text : COLOR.muted)
        .text(toWinAnsi(line.value), x, this.doc.y, { width: this.width - (x - this.left) });
    });
    this.doc.x = this.left;
    this.doc.y += 4;
  }

  /** The form's closing: where and when it was filed, the reporter's statement, and two signature spaces. */
  signatures(officeName: string, receivedAt: string, reporterName: string): void {
    // The whole closing (about 200 points) stays on one page, heading included.
    this.doc.moveDown(0.5);
    this.ensureSpace(230);
    this.heading('PERNYATAAN DAN TANDA TANGAN');
    this.row('Dilaporkan melalui', `Netra, diteruskan kepada ${officeName}`);
    this.row('Hari dan tanggal', receivedAt);
    this.doc.moveDown(0.6);
    this.note(NOTES.statement);
    this.doc.moveDown(0.8);
    const columnWidth = this.width / 2;
    const top = this.doc.y;
    const column = (x: number, role: string, name: string): void => {
      this.doc.font(FONT.regular).fontSize(9.5).fillColor(COLOR.text);
      this.doc.text(toWinAnsi(role), x, top, { width: columnWidth, align: 'center' });
      this.doc.text(toWinAnsi(`( ${name} )`), x, top + 62, { width: columnWidth, align: 'center' });
    };
    column(this.left, 'Penerima laporan,', '......................................');
    column(this.left + columnWidth, 'Pelapor,', reporterName);
    this.doc.x = this.left;
  }
}

const timestampFormats = new Map<IndonesianTimeZone, Intl.DateTimeFormat>();

function formatTimestamp(date: Date, timeZone: IndonesianTimeZone): string {
  let format = timestampFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('id-ID', {
      timeZone,
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    timestampFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month')} ${part('year')} pukul ${part('hour')}.${part('minute')} ${ZONE_ABBREVIATIONS[timeZone]}`;
}

/** Writes the running header (from page 2) and the footer with "Halaman x dari y" on every buffered page. */
function stampPages(doc: Doc, code: string, generated: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const { margins, width, height } = doc.page;
    const bottomMargin = margins.bottom;
    // Writing below the bottom margin would make pdfkit open a new page.
    margins.bottom = 0;
    const contentWidth = width - margins.left - margins.right;
    doc.font(FONT.regular).fontSize(7.5).fillColor(COLOR.muted);
    if (i > range.start) {
      doc.text(toWinAnsi(`FORMULIR MODEL B.1 — ${code} (lanjutan)`), margins.left, 34, {
        width: contentWidth,
        lineBreak: false,
      });
    }
    const footerY = height - 44;
    doc
      .moveTo(margins.left, footerY - 4)
      .lineTo(width - margins.right, footerY - 4)
      .lineWidth(0.5)
      .strokeColor(COLOR.rule)
      .stroke();
    doc.text(toWinAnsi(`Dibuat oleh Netra pada ${generated}`), margins.left, footerY, {
      width: contentWidth,
      lineBreak: false,
    });
    doc.text(`Halaman ${i - range.start + 1} dari ${range.count}`, margins.left, footerY, {
      width: contentWidth,
      align: 'right',
      lineBreak: false,
    });
    margins.bottom = bottomMargin;
  }
}

/**
 * Renders a ticket as a Formulir Model B.1 PDF. Input is validated with `reportFormDataSchema` (throws a ZodError
 * on a formal report without the reporter identity). For a tip only the pseudonym is printed, whatever else the
 * reporter object carries. Same input and `generatedAt` give the same bytes.
 */
export async function renderReportFormPdf(report: ReportFormData, opts: ReportFormOptions): Promise<Buffer> {
  const data = reportFormDataSchema.parse(report);
  const generatedAt = opts.generatedAt ?? new Date();
  const { doc, bytes } = createPdf({
    size: 'A4',
    layout: 'portrait',
    margins: MARGIN,
    title: `Formulir Model B.1 — ${data.code}`,
    subject: `${KIND_LABELS[data.kind]} — ${data.office.name}`,
    createdAt: generatedAt,
    bufferPages: true,
  });
  const form = new FormWriter(doc, opts.locale);

  form.title(data.code, data.kind);
  if (data.kind === 'tip') form.note(NOTES.tip);
  form.row('Ditujukan kepada', `${data.office.name} (kode wilayah ${data.office.code})`);
  form.row('Tanggal diterima', data.receivedAt);
  form.row(
    'Batas waktu pelaporan (7 hari sejak diketahui)',
    data.event.deadlineStatus.trim() ? `${data.event.deadline} — ${data.event.deadlineStatus}` : data.event.deadline,
  );
  form.row('Dugaan pelanggaran', data.category.label);
  form.row('Dasar hukum', data.category.legalBasis);
  form.row('Tingkat sanksi', data.category.sanctionLevel);
  form.note(NOTES.classification);

  form.heading('I. IDENTITAS PELAPOR');
  if (data.kind === 'formal' && 'name' in data.reporter) {
    form.row('Nama', data.reporter.name);
    form.row('Alamat', data.reporter.address);
    form.row('No. Telp/HP', data.reporter.phone);
    form.row('E-mail', data.reporter.email ?? '');
  } else {
    form.note(NOTES.anonymousReporter);
    form.row('Nama', 'Pelapor anonim');
    form.row('Nama samaran', data.reporter.pseudonym);
  }

  form.heading('II. IDENTITAS TERLAPOR');
  form.row('Nama', data.terlapor.name);
  form.row('Jabatan', data.terlapor.position);
  form.row('Instansi', data.terlapor.agency);
  form.row('Status kepegawaian', data.terlapor.employment);

  form.heading('III. PERISTIWA YANG DILAPORKAN');
  form.row('Peristiwa', data.category.label);
  form.row('Tempat kejadian', [data.event.place, data.event.placeDetail].filter(Boolean).join('\n'));
  if (data.event.location) {
    form.row('Koordinat', `${data.event.location.lat.toFixed(5)}, ${data.event.location.lon.toFixed(5)}`);
  }
  form.row('Hari dan tanggal kejadian', data.event.date);
  form.row('Hari dan tanggal diketahui', data.event.learnedDate);

  form.heading('IV. SAKSI-SAKSI');
  if (data.witnesses.length === 0) form.paragraph('Tidak ada saksi yang disebutkan.');
  data.witnesses.forEach((witness, i) => {
    form.row(`Saksi ${i + 1} — Nama`, witness.name);
    form.row(`Saksi ${i + 1} — Alamat/kontak`, witness.contact);
  });

  form.heading('V. BUKTI-BUKTI');
  if (data.evidence.length === 0) form.paragraph('Tidak ada bukti yang dilampirkan.');
  data.evidence.forEach((item, i) => form.evidenceItem(i + 1, item));

  form.heading('VI. URAIAN KEJADIAN');
  form.paragraph(data.description);

  if (data.kind === 'formal' && 'name' in data.reporter) {
    form.signatures(data.office.name, data.receivedAt, data.reporter.name);
  }

  stampPages(doc, data.code, formatTimestamp(generatedAt, opts.timeZone ?? 'Asia/Jakarta'));
  doc.end();
  return bytes;
}
