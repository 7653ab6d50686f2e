/**
 * The fixtures were made with LibreOffice from flat OpenDocument files filled the way a tipster's Office fills them:
 * the author in the document properties, a comment and a tracked change by the author, a 16×16 JPEG photo with the
 * phone's EXIF (artist, make, model, GPS position), the printer's name. The OOXML ones were then patched as Word and
 * Excel on Windows write them: the company in docProps/app.xml, Word's attached template under C:\Users\NAME,
 * Excel's `x15ac:absPath` and the author's name at the start of a note. Every place that names the author holds
 * CANARY7Q; the text holds TEKS42. LibreOffice converts the cleaned copies to PDF without complaint.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import exifr from 'exifr';
import { strFromU8, strToU8, unzipSync, zipSync, type Unzipped, type Zippable } from 'fflate';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cleanOfficeMetadata } from '../../../bot/media/officeMetadata.ts';

const MARKER = 'CANARY7Q';
const fixture = (name: string) => new Uint8Array(readFileSync(path.join(import.meta.dirname, '../../fixtures/office', name)));

/** The names of the entries whose inflated bytes hold the text (pictures too: EXIF strings are ASCII). */
function entriesHolding(entries: Unzipped, text: string): string[] {
  return Object.keys(entries).filter((name) => Buffer.from(entries[name]!).includes(text, 0, 'latin1'));
}

/** The document with entries replaced or added (added at the end), written with fflate. */
function patched(bytes: Uint8Array, changes: Record<string, string | Uint8Array>): Uint8Array {
  const files: Zippable = {};
  const entries = unzipSync(bytes);
  const data = (value: string | Uint8Array) => (typeof value === 'string' ? strToU8(value) : value);
  for (const [name, value] of Object.entries(entries)) files[name] = name in changes ? data(changes[name]!) : value;
  for (const [name, value] of Object.entries(changes)) if (!(name in files)) files[name] = data(value);
  return zipSync(files);
}

const text = (entries: Unzipped, name: string) => strFromU8(entries[name]!);

/** The decoded pixels of a picture. */
const pixels = (bytes: Uint8Array) => sharp(bytes).raw().toBuffer();

/** A PNG chunk: length, type, data and CRC. */
function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** The chunk types of a PNG, in order, read here on their own. */
function chunkTypes(png: Uint8Array): string[] {
  const bytes = Buffer.from(png);
  const types: string[] = [];
  for (let at = 8; at < bytes.length; at += 12 + bytes.readUInt32BE(at)) types.push(bytes.toString('latin1', at + 4, at + 8));
  return types;
}

/**
 * A ZIP archive written here by hand, each entry deflated by zlib, with the uncompressed size declared as given
 * (its true size by default), to build archives fflate would not write.
 */
function handMadeZip(entries: Array<{ name: string; data: Uint8Array; declaredSize?: number }>): Buffer {
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const deflated = deflateRawSync(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(entry.data), 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(entry.data), 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    parts.push(local, name, deflated);
    directory.push(central, name);
    offset += 30 + name.length + deflated.length;
  }
  const centralDirectory = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, centralDirectory, end]);
}

describe('cleaning an Office document of its authors’ metadata', () => {
  it('empties the authors, company, template path and photo EXIF of a Word document and keeps its text and photo', async () => {
    const original = fixture('report.docx');
    const before = unzipSync(original);
    expect(entriesHolding(before, MARKER).sort()).toEqual([
      'docProps/app.xml',
      'docProps/core.xml',
      'docProps/custom.xml',
      'word/_rels/settings.xml.rels',
      'word/comments.xml',
      'word/document.xml',
      'word/media/image1.jpeg',
    ]);
    const photo = 'word/media/image1.jpeg';
    expect(await exifr.parse(Buffer.from(before[photo]!), { gps: true })).toMatchObject({ Make: 'CANARY7Q Phone', Artist: 'Budi Santoso CANARY7Q' });

    const cleaned = cleanOfficeMetadata(original)!;

    const after = unzipSync(cleaned.bytes);
    expect(entriesHolding(after, MARKER)).toEqual([]);
    expect(Buffer.from(cleaned.bytes).includes(MARKER)).toBe(false);
    // The same entries in the same order.
    expect(Object.keys(after)).toEqual(Object.keys(before));
    // The text, the comment and the tracked change stay; only who wrote them goes.
    const document = text(before, 'word/document.xml');
    expect(document).toContain('TEKS42');
    expect(text(after, 'word/document.xml')).toBe(document.replace(/ w:author="[^"]*"/g, ' w:author=""'));
    expect(text(after, 'word/comments.xml')).toBe(text(before, 'word/comments.xml').replace(/ w:(author|initials)="[^"]*"/g, ' w:$1=""'));
    expect(text(after, 'word/comments.xml')).toContain('Komentar saksi');
    // The core properties keep their root and namespaces, and nothing else.
    expect(text(after, 'docProps/core.xml')).toMatch(/^<\?xml [^>]*\?>\s*<cp:coreProperties( xmlns:\w+="[^"]+")+\/>$/);
    expect(text(after, 'docProps/app.xml')).toContain('<Company></Company>');
    // The attached template is named by its file alone.
    expect(text(after, 'word/_rels/settings.xml.rels')).toContain('Target="Normal.dotm"');
    // The photo loses its EXIF and keeps its pixels; entries with nothing to remove stay byte for byte.
    expect(await exifr.parse(Buffer.from(after[photo]!), { gps: true })).toBeUndefined();
    expect(await pixels(after[photo]!)).toEqual(await pixels(before[photo]!));
    expect(after['word/styles.xml']).toEqual(before['word/styles.xml']);
    // core.xml, custom.xml, four properties in app.xml, three attributes, the template's path, the EXIF segment.
    expect(cleaned.emptied).toBe(11);
  });

  it('empties the comment author, the note’s signature, the saved-in folder and the photo EXIF of an Excel workbook', async () => {
    const original = fixture('report.xlsx');
    const before = unzipSync(original);
    expect(entriesHolding(before, MARKER).sort()).toEqual([
      'docProps/app.xml',
      'docProps/core.xml',
      'docProps/custom.xml',
      'xl/comments1.xml',
      'xl/media/image1.jpeg',
      'xl/workbook.xml',
    ]);
    expect(text(before, 'xl/comments1.xml')).toContain('<t>Budi Santoso CANARY7Q:</t>');

    const cleaned = cleanOfficeMetadata(original)!;

    const after = unzipSync(cleaned.bytes);
    expect(entriesHolding(after, MARKER)).toEqual([]);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(text(after, 'xl/comments1.xml')).toContain('<author></author>');
    expect(text(after, 'xl/comments1.xml')).toContain('Komentar saksi');
    expect(text(after, 'xl/workbook.xml')).toMatch(/<x15ac:absPath [^>]*url=""\/>/);
    expect(entriesHolding(after, 'TEKS42')).toEqual(entriesHolding(before, 'TEKS42'));
    expect(await exifr.parse(Buffer.from(after['xl/media/image1.jpeg']!), { gps: true })).toBeUndefined();
    expect(await pixels(after['xl/media/image1.jpeg']!)).toEqual(await pixels(before['xl/media/image1.jpeg']!));
  });

  it('empties the comment authors and the photo EXIF of a PowerPoint presentation', async () => {
    const original = fixture('report.pptx');
    const before = unzipSync(original);
    expect(entriesHolding(before, MARKER).sort()).toEqual([
      'docProps/app.xml',
      'docProps/core.xml',
      'docProps/custom.xml',
      'ppt/commentAuthors.xml',
      'ppt/media/image1.jpeg',
    ]);

    const cleaned = cleanOfficeMetadata(original)!;

    const after = unzipSync(cleaned.bytes);
    expect(entriesHolding(after, MARKER)).toEqual([]);
    expect(text(after, 'ppt/commentAuthors.xml')).toMatch(/<p:cmAuthor [^>]*name="" initials=""/);
    expect(text(after, 'ppt/slides/slide1.xml')).toContain('TEKS42');
    expect(await pixels(after['ppt/media/image1.jpeg']!)).toEqual(await pixels(before['ppt/media/image1.jpeg']!));
  });

  it('empties the meta, the comment and tracked-change authors and the printer of an OpenDocument text', async () => {
    const original = fixture('report.odt');
    const before = unzipSync(original);
    const photo = Object.keys(before).find((name) => name.startsWith('Pictures/'))!;
    expect(entriesHolding(before, MARKER).sort()).toEqual([photo, 'content.xml', 'meta.xml', 'settings.xml']);

    const cleaned = cleanOfficeMetadata(original)!;

    const after = unzipSync(cleaned.bytes);
    expect(entriesHolding(after, MARKER)).toEqual([]);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    const root = /<office:document-meta( xmlns:[\w-]+="[^"]+"| office:version="[\d.]+")+>/;
    expect(text(before, 'meta.xml')).toMatch(root);
    expect(text(after, 'meta.xml')).toMatch(new RegExp(`^<\\?xml [^>]*\\?>\\s*${root.source}<office:meta/></office:document-meta>$`));
    expect(text(after, 'content.xml')).toBe(text(before, 'content.xml').replace(/<(dc:creator|meta:creator-initials)>[^<]*</g, '<$1><'));
    expect(text(after, 'content.xml')).toContain('TEKS42');
    expect(text(before, 'settings.xml')).toMatch(/"PrinterSetup" config:type="base64Binary">[^<]+</);
    expect(text(after, 'settings.xml')).toContain('<config:config-item config:name="PrinterName" config:type="string"></config:config-item>');
    expect(text(after, 'settings.xml')).toContain('<config:config-item config:name="PrinterSetup" config:type="base64Binary"></config:config-item>');
    expect(await exifr.parse(Buffer.from(after[photo]!), { gps: true })).toBeUndefined();
    expect(await pixels(after[photo]!)).toEqual(await pixels(before[photo]!));
  });

  it('writes an OpenDocument file’s mimetype first and stored, even when the original had it elsewhere', () => {
    const entries = unzipSync(fixture('report.odt'));
    // The same document with its mimetype last and deflated: LibreOffice still opens it; other readers look at
    // the first 38 bytes to tell the format.
    const shuffled: Zippable = {};
    for (const [name, data] of Object.entries(entries)) if (name !== 'mimetype') shuffled[name] = data;
    shuffled.mimetype = entries.mimetype!;
    const input = zipSync(shuffled, { level: 6 });

    const cleaned = Buffer.from(cleanOfficeMetadata(input)!.bytes);

    expect(cleaned.readUInt32LE(0)).toBe(0x04034b50);
    expect(cleaned.readUInt16LE(8)).toBe(0); // stored
    expect(cleaned.readUInt16LE(28)).toBe(0); // no extra field
    expect(cleaned.toString('latin1', 30, 38)).toBe('mimetype');
    expect(cleaned.toString('latin1', 38, 38 + 39)).toBe('application/vnd.oasis.opendocument.text');
  });

  it('finds nothing more to remove in a cleaned document, and gives the same bytes each time', () => {
    for (const name of ['report.docx', 'report.xlsx', 'report.pptx', 'report.odt']) {
      const once = cleanOfficeMetadata(fixture(name))!;
      expect(cleanOfficeMetadata(fixture(name))!.bytes, name).toEqual(once.bytes);
      const twice = cleanOfficeMetadata(once.bytes)!;
      expect(twice.emptied, name).toBe(0);
      expect(twice.bytes, name).toBe(once.bytes);
    }
  });

  it('empties the names and account ids in Word’s people list, Excel’s persons list and PowerPoint’s authors list', () => {
    const account = 'S::budi.CANARY7Q@kantor.go.id::6f1c';
    const docx = patched(fixture('report.docx'), {
      'word/people.xml':
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">' +
        `<w15:person w15:author="Budi Santoso CANARY7Q"><w15:presenceInfo w15:providerId="AD" w15:userId="${account}"/></w15:person></w15:people>`,
    });
    const xlsx = patched(fixture('report.xlsx'), {
      'xl/persons/person.xml':
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">' +
        `<person displayName="Budi Santoso CANARY7Q" id="{6F1C0000-0000-0000-0000-000000000000}" userId="${account}" providerId="AD"/></personList>`,
    });
    const pptx = patched(fixture('report.pptx'), {
      'ppt/authors.xml':
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<p188:authorLst xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/main">' +
        `<p188:author id="{6F1C0000-0000-0000-0000-000000000000}" name='Budi Santoso CANARY7Q' initials="BS" userId='${account}' providerId="AD"/></p188:authorLst>`,
    });

    const people = unzipSync(cleanOfficeMetadata(docx)!.bytes);
    const persons = unzipSync(cleanOfficeMetadata(xlsx)!.bytes);
    const authors = unzipSync(cleanOfficeMetadata(pptx)!.bytes);

    expect(text(people, 'word/people.xml')).toContain('<w15:person w15:author=""></w15:person></w15:people>');
    expect(text(persons, 'xl/persons/person.xml')).toContain('<person displayName="" id="{6F1C0000-0000-0000-0000-000000000000}" userId="" providerId=""/>');
    expect(text(authors, 'ppt/authors.xml')).toContain('<p188:author id="{6F1C0000-0000-0000-0000-000000000000}" name="" initials="" userId="" providerId=""/>');
    for (const entries of [people, persons, authors]) expect(entriesHolding(entries, MARKER)).toEqual([]);
  });

  it('cuts a path on the author’s computer or network to its file name and leaves web addresses alone', () => {
    const relationshipType = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const rels = (targets: string[]) =>
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      targets
        .map((target, i) => `<Relationship Id="rId${i + 50}" Type="${relationshipType}/hyperlink" Target="${target}" TargetMode="External"/>`)
        .join('') +
      `<Relationship Id="rId60" Type="${relationshipType}/image" Target="media/image1.jpeg"/></Relationships>`;
    const docx = patched(fixture('report.docx'), {
      'word/_rels/footer1.xml.rels': rels([
        'file:///C:\\Users\\CANARY7Q\\Documents\\bukti.pdf',
        'C:\\Users\\CANARY7Q\\Desktop\\foto.jpg',
        '\\\\SERVER-CANARY7Q\\bersama\\daftar.xlsx',
        '../../CANARY7Q/catatan.docx',
        'https://www.bawaslu.go.id/id/berita',
        'mailto:lapor@bawaslu.go.id',
      ]),
    });

    const after = text(unzipSync(cleanOfficeMetadata(docx)!.bytes), 'word/_rels/footer1.xml.rels');

    const targets = [...after.matchAll(/Target="([^"]*)"/g)].map((match) => match[1]);
    expect(targets).toEqual([
      'bukti.pdf',
      'foto.jpg',
      'daftar.xlsx',
      'catatan.docx',
      'https://www.bawaslu.go.id/id/berita',
      'mailto:lapor@bawaslu.go.id',
      'media/image1.jpeg',
    ]);
  });

  it('removes the text, EXIF and time chunks of a PNG inside, and what follows its end, and keeps its pixels', async () => {
    const plain = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 0, g: 90, b: 200 } } }).png().toBuffer();
    const iend = plain.length - 12;
    const png = Buffer.concat([
      plain.subarray(0, 33), // signature and IHDR
      chunk('tEXt', Buffer.from('Author\0Budi Santoso CANARY7Q', 'latin1')),
      chunk('iTXt', Buffer.from('XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>CANARY7Q</x:xmpmeta>', 'latin1')),
      chunk('tIME', Buffer.from([0x07, 0xea, 11, 20, 8, 0, 0])),
      plain.subarray(33, iend),
      chunk('eXIf', Buffer.from('MM\0*CANARY7Q', 'latin1')),
      plain.subarray(iend),
      Buffer.from('appended CANARY7Q', 'latin1'),
    ]);
    expect(chunkTypes(png.subarray(0, png.length - 17))).toEqual(['IHDR', 'tEXt', 'iTXt', 'tIME', ...chunkTypes(plain).slice(1, -1), 'eXIf', 'IEND']);

    const cleaned = cleanOfficeMetadata(patched(fixture('report.odt'), { 'Thumbnails/thumbnail.png': png }))!;

    const after = unzipSync(cleaned.bytes)['Thumbnails/thumbnail.png']!;
    expect(Buffer.from(after)).toEqual(plain);
    expect(await pixels(after)).toEqual(await pixels(png));
  });

  it('gives up on a document whose JPEG or PNG cannot be read', () => {
    const docx = fixture('report.docx');
    const photo = unzipSync(docx)['word/media/image1.jpeg']!;
    expect(cleanOfficeMetadata(patched(docx, { 'word/media/image1.jpeg': photo.subarray(0, 300) }))).toBeUndefined();
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', new Uint8Array(13)).subarray(0, 20)]);
    expect(cleanOfficeMetadata(patched(docx, { 'word/media/image2.png': png }))).toBeUndefined();
  });

  it('leaves alone what is not a document it can clean: another file, another ZIP, an encrypted OpenDocument file', () => {
    expect(cleanOfficeMetadata(new Uint8Array(0))).toBeUndefined();
    expect(cleanOfficeMetadata(Buffer.from('%PDF-1.7\n%CANARY7Q\n'))).toBeUndefined();
    // A password-protected Word file is an OLE compound file.
    expect(cleanOfficeMetadata(Buffer.from('d0cf11e0a1b11ae1000000000000000000000000000000003e000300feff0900', 'hex'))).toBeUndefined();
    expect(cleanOfficeMetadata(zipSync({ 'foto.jpg': unzipSync(fixture('report.docx'))['word/media/image1.jpeg']! }))).toBeUndefined();
    // A ZIP cut short loses its central directory.
    const docx = fixture('report.docx');
    expect(cleanOfficeMetadata(docx.subarray(0, docx.length - 30))).toBeUndefined();
    // A byte changed in a stored entry: only its CRC tells.
    const stored = Buffer.from(zipSync(unzipSync(docx), { level: 0 }));
    expect(cleanOfficeMetadata(stored)).toBeDefined();
    stored[stored.indexOf('TEKS42')] = 0x58;
    expect(cleanOfficeMetadata(stored)).toBeUndefined();
    // The same name twice: which one a reader takes is its own choice.
    const entries = Object.entries(unzipSync(docx)).map(([name, data]) => ({ name, data }));
    expect(cleanOfficeMetadata(handMadeZip([...entries, entries.find((entry) => entry.name === 'docProps/core.xml')!]))).toBeUndefined();
    // LibreOffice's manifest of a password-protected file describes how each part is encrypted.
    const odt = fixture('report.odt');
    const manifest = text(unzipSync(odt), 'META-INF/manifest.xml').replace(
      /(<manifest:file-entry manifest:full-path="content.xml"[^>]*)\/>/,
      '$1><manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA"/></manifest:file-entry>',
    );
    expect(manifest).toContain('encryption-data');
    expect(cleanOfficeMetadata(patched(odt, { 'META-INF/manifest.xml': manifest }))).toBeUndefined();
  });

  it('refuses, before inflating, a document that declares more than 200 MB or holds more than 20,000 entries', () => {
    const entries = Object.entries(unzipSync(fixture('report.docx'))).map(([name, data]) => ({ name, data }));
    expect(cleanOfficeMetadata(handMadeZip(entries))).toBeDefined();
    // Three pictures of 70 MB of zeros each, 70 kB once deflated.
    const zeros = new Uint8Array(70 * 1024 * 1024);
    const bomb = handMadeZip([...entries, ...[1, 2, 3].map((i) => ({ name: `word/media/image${i + 10}.png`, data: zeros }))]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(cleanOfficeMetadata(bomb)).toBeUndefined();
    // One entry declaring 300 MB.
    const declaring = entries.map((entry) => (entry.name === 'word/document.xml' ? { ...entry, declaredSize: 300 * 1024 * 1024 } : entry));
    expect(cleanOfficeMetadata(handMadeZip(declaring))).toBeUndefined();

    const many: Zippable = Object.fromEntries(entries.map(({ name, data }) => [name, data]));
    for (let i = 0; i < 20_001; i += 1) many[`customXml/item${i}.xml`] = new Uint8Array(0);
    expect(cleanOfficeMetadata(zipSync(many, { level: 0 }))).toBeUndefined();
  });
});
