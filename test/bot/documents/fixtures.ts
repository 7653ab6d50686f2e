/** Sample documents for the PDF tests: a formal report, a tip, and helpers to read PDFs back as text. */
import { extractText, getDocumentProxy } from 'unpdf';
import type { CertificateData } from '../../../bot/documents/certificatePdf.ts';
import type { ReportFormData } from '../../../bot/documents/reportFormPdf.ts';

export const formalReport: ReportFormData = {
  code: 'NTR-7K3P-9QXA',
  kind: 'formal',
  receivedAt: '20 November 2026 pukul 10.15 WIB',
  office: { code: '32.73', name: 'Bawaslu Kota Bandung' },
  category: {
    label: 'Ikut kampanye dengan menggunakan fasilitas negara',
    legalBasis: 'PP 94/2021 Pasal 5 huruf n angka 4',
    sanctionLevel: 'Hukuman disiplin berat (Pasal 14 huruf i)',
  },
  terlapor: {
    name: 'Drs. Bambang Sutrisno',
    position: 'Kepala Bidang Perencanaan',
    agency: 'Dinas Pekerjaan Umum Kota Bandung',
    employment: 'PNS',
  },
  event: {
    date: 'Sabtu, 14 November 2026',
    learnedDate: 'Senin, 16 November 2026',
    deadline: '23 November 2026',
    deadlineStatus: 'masih dalam batas waktu (3 hari lagi)',
    place: 'Lapangan Gasibu, Kecamatan Coblong, Kota Bandung',
    placeDetail: 'Di depan panggung utama, sisi utara',
    location: { lat: -6.900434, lon: 107.618703 },
  },
  description:
    'Pukul 09.00 terlapor datang ke lokasi kampanye menggunakan mobil dinas berpelat merah. ' +
    'Terlapor naik ke panggung dan mengajak hadirin memilih pasangan calon nomor 2.',
  evidence: [
    {
      kind: 'Foto',
      fileName: 'IMG_20261114_0912.jpg',
      sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    },
    {
      kind: 'Video',
      fileName: 'VID_20261114_0915.mp4',
      sha256: '60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752',
    },
    { kind: 'Tautan media sosial', url: 'https://example.org/p/abc123' },
  ],
  witnesses: [
    { name: 'Siti Rahmawati', contact: 'Jl. Dago No. 12, 0812-3456-7890' },
    { name: 'Agus Salim', contact: '0813-1111-2222' },
  ],
  reporter: {
    pseudonym: 'Pelapor Elang 42',
    name: 'Dewi Lestari',
    address: 'Jl. Merdeka No. 5, Bandung',
    phone: '0812-9999-0000',
    email: 'dewi@example.id',
  },
};

export const tipReport: ReportFormData = {
  ...formalReport,
  code: 'NTR-TIP1-2345',
  kind: 'tip',
  reporter: { pseudonym: 'Pelapor Merpati 17' },
};

/** The text of every page, joined, with runs of whitespace folded to one space (lines wrap anywhere). */
export async function pdfText(pdf: Buffer): Promise<{ text: string; pages: number }> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { text, totalPages } = await extractText(doc, { mergePages: true });
  return { text: text.replace(/\s+/g, ' '), pages: totalPages };
}

/** A passed quiz's certificate. */
export const certificate: CertificateData = {
  code: 'ABCD-EFGH-JKLM',
  name: 'Ni Luh Putu Ayu Kusumawardhani',
  score: 9,
  total: 10,
  percent: 90,
  issuedAt: '20 November 2026',
  locale: 'id',
  verifyHint: 'Ketik /verifikasi ABCD-EFGH-JKLM di bot Netra',
  qrPayload: 'https://t.me/netra_bot?start=verify_ABCD-EFGH-JKLM',
};
