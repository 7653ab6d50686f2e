/**
 * The fixtures were made with LibreOffice from flat OpenDocument files filled the way a tipster's Office fills them:
 * the author in the document properties, a comment and a tracked change by the author, a 16×16 JPEG photo with the
 * phone's EXIF (artist, make, model, GPS position), the printer's name. The OOXML ones were then patched as Word and
 * Excel on Windows write them: the company in docProps/app.xml, Word's attached template under C:\Users\NAME,
 * Excel's `x15ac:absPath` and the author's name at the start of a note. Every place that names the author holds
 * CANARY7Q; the text holds TEKS42. LibreOffice converts the cleaned copies to PDF without complaint.
 *
 * The other inputs are built from these in the tests, with the parts Office writes as it writes them: a chart's
 * embedded workbook, a pivot cache, a shared workbook's revisions, data connections, a mail merge, PowerPoint's
 * change log, and parts under the prefixes the Open XML SDK and Python's ElementTree use.
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

const isZip = (data: Uint8Array) => data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;

/** Like entriesHolding, looking into the packages inside too: `word/embeddings/book.xlsx/docProps/core.xml`. */
function entriesHoldingDeep(bytes: Uint8Array, text: string): string[] {
  const entries = unzipSync(bytes);
  return Object.keys(entries).flatMap((name) => {
    const data = entries[name]!;
    if (isZip(data)) return entriesHoldingDeep(data, text).map((inner) => `${name}/${inner}`);
    return Buffer.from(data).includes(text, 0, 'latin1') ? [name] : [];
  });
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/**
 * The document with a chart as Word and PowerPoint write one: its data in a workbook of its own, embedded whole
 * beside the chart (`word/embeddings/Microsoft_Excel_Worksheet.xlsx`) with the properties Excel gave it.
 */
function withChart(document: Uint8Array, folder: 'word' | 'ppt', workbook: Uint8Array): Uint8Array {
  const embedding = 'Microsoft_Excel_Worksheet.xlsx';
  const types = text(unzipSync(document), '[Content_Types].xml').replace(
    '</Types>',
    '<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>' +
      `<Override PartName="/${folder}/charts/chart1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/></Types>`,
  );
  const axis = (id: number, cross: number, position: string) =>
    `<c:axId val="${id}"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="${position}"/><c:crossAx val="${cross}"/>`;
  return patched(document, {
    '[Content_Types].xml': types,
    [`${folder}/charts/chart1.xml`]:
      `${XML_DECLARATION}<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="${RELATIONSHIPS}">` +
      '<c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>' +
      '<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:strRef><c:f>Sheet1!$B$1</c:f></c:strRef></c:tx><c:cat><c:strRef><c:f>Sheet1!$A$2:$A$3</c:f></c:strRef></c:cat>' +
      '<c:val><c:numRef><c:f>Sheet1!$B$2:$B$3</c:f></c:numRef></c:val></c:ser><c:axId val="1"/><c:axId val="2"/></c:barChart>' +
      `<c:catAx>${axis(1, 2, 'b')}</c:catAx><c:valAx>${axis(2, 1, 'l')}</c:valAx></c:plotArea></c:chart>` +
      '<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>',
    [`${folder}/charts/_rels/chart1.xml.rels`]:
      `${XML_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      `<Relationship Id="rId1" Type="${RELATIONSHIPS}/package" Target="../embeddings/${embedding}"/></Relationships>`,
    [`${folder}/embeddings/${embedding}`]: workbook,
  });
}

/** The document with another one embedded in it, as an object of a slide, a page or a sheet is. */
const embedded = (document: Uint8Array, name: string, inner: Uint8Array) => patched(document, { [name]: inner });

/** What cleaning the document alone removes. */
const emptiedIn = (bytes: Uint8Array) => cleanOfficeMetadata(bytes)!.emptied;

/** The part with its default namespace bound to a prefix instead (`<x:comment>`), as the Open XML SDK writes SpreadsheetML. */
function prefixed(xml: string, prefix: string): string {
  return xml.replace(/<(\/?)(?![\w.-]+:)(?=[A-Za-z_])/g, `<$1${prefix}:`).replace(' xmlns="', ` xmlns:${prefix}="`);
}

/** The part with a prefix renamed (`w:` → `ns0:`), as Python's ElementTree writes the namespaces it was not told of. */
function renamedPrefix(xml: string, from: string, to: string): string {
  return xml.replace(new RegExp(`(<\\/?|\\s)${from}:`, 'g'), `$1${to}:`).replaceAll(`xmlns:${from}=`, `xmlns:${to}=`);
}

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

  it('cleans the workbook a Word or PowerPoint chart embeds and a document embedded in a slide, and counts what it removes there', () => {
    const workbook = fixture('report.xlsx');
    // An OLE object (the start of a compound file, then the author's name) is left as it is.
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1000000000000000000000000000000003e000300feff0900', 'hex'), Buffer.from('Budi Santoso CANARY7Q')]);
    const docx = embedded(withChart(fixture('report.docx'), 'word', workbook), 'word/embeddings/oleObject1.bin', ole);
    expect(entriesHoldingDeep(docx, MARKER)).toEqual(
      expect.arrayContaining(['word/embeddings/Microsoft_Excel_Worksheet.xlsx/docProps/core.xml', 'word/embeddings/Microsoft_Excel_Worksheet.xlsx/xl/comments1.xml']),
    );

    const cleaned = cleanOfficeMetadata(docx)!;

    const after = unzipSync(cleaned.bytes);
    expect(entriesHoldingDeep(cleaned.bytes, MARKER)).toEqual(['word/embeddings/oleObject1.bin']);
    expect(Buffer.from(after['word/embeddings/oleObject1.bin']!)).toEqual(ole);
    // The workbook is cleaned as it would be on its own.
    expect(after['word/embeddings/Microsoft_Excel_Worksheet.xlsx']).toEqual(cleanOfficeMetadata(workbook)!.bytes);
    expect(cleaned.emptied).toBe(emptiedIn(fixture('report.docx')) + emptiedIn(workbook));

    // A slide with a chart, and the Word document above embedded as an object: packages two deep.
    const pptx = embedded(withChart(fixture('report.pptx'), 'ppt', workbook), 'ppt/embeddings/Microsoft_Word_Document.docx', withChart(fixture('report.docx'), 'word', workbook));
    const presentation = cleanOfficeMetadata(pptx)!;
    expect(entriesHoldingDeep(pptx, MARKER)).toContain('ppt/embeddings/Microsoft_Word_Document.docx/word/embeddings/Microsoft_Excel_Worksheet.xlsx/docProps/core.xml');
    expect(entriesHoldingDeep(presentation.bytes, MARKER)).toEqual([]);
    expect(presentation.emptied).toBe(emptiedIn(fixture('report.pptx')) + emptiedIn(fixture('report.docx')) + 2 * emptiedIn(workbook));
    expect(entriesHoldingDeep(presentation.bytes, 'TEKS42')).toEqual(entriesHoldingDeep(pptx, 'TEKS42'));
  });

  it('cleans packages nested three deep, OpenDocument ones too, and gives up on one nested deeper or one it cannot clean', () => {
    // Office wraps an OpenDocument object in an OLE object; a package stored as it is gets cleaned all the same.
    const odt = fixture('report.odt');
    const docx = embedded(fixture('report.docx'), 'word/embeddings/Rekap.odt', odt);
    const xlsx = embedded(fixture('report.xlsx'), 'xl/embeddings/Microsoft_Word_Document.docx', docx);
    const threeDeep = embedded(fixture('report.pptx'), 'ppt/embeddings/Microsoft_Excel_Worksheet.xlsx', xlsx);
    expect(entriesHoldingDeep(threeDeep, MARKER)).toContain('ppt/embeddings/Microsoft_Excel_Worksheet.xlsx/xl/embeddings/Microsoft_Word_Document.docx/word/embeddings/Rekap.odt/meta.xml');

    const cleaned = cleanOfficeMetadata(threeDeep)!;

    expect(entriesHoldingDeep(cleaned.bytes, MARKER)).toEqual([]);
    expect(cleaned.emptied).toBe(['report.pptx', 'report.xlsx', 'report.docx', 'report.odt'].reduce((sum, name) => sum + emptiedIn(fixture(name)), 0));
    const again = cleanOfficeMetadata(cleaned.bytes)!;
    expect(again.emptied).toBe(0);
    expect(again.bytes).toBe(cleaned.bytes);

    expect(cleanOfficeMetadata(embedded(fixture('report.docx'), 'word/embeddings/Microsoft_PowerPoint_Presentation.pptx', threeDeep))).toBeUndefined();
    // A workbook cut short, a ZIP archive that is no document, an OpenDocument file with a password.
    const workbook = fixture('report.xlsx');
    expect(cleanOfficeMetadata(embedded(fixture('report.docx'), 'word/embeddings/Microsoft_Excel_Worksheet.xlsx', workbook.subarray(0, workbook.length - 30)))).toBeUndefined();
    expect(cleanOfficeMetadata(embedded(fixture('report.docx'), 'word/embeddings/arsip.zip', zipSync({ 'catatan.txt': strToU8('Budi Santoso CANARY7Q') })))).toBeUndefined();
    const manifest = text(unzipSync(odt), 'META-INF/manifest.xml').replace(
      /(<manifest:file-entry manifest:full-path="content.xml"[^>]*)\/>/,
      '$1><manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA"/></manifest:file-entry>',
    );
    expect(manifest).toContain('encryption-data');
    expect(cleanOfficeMetadata(embedded(fixture('report.docx'), 'word/embeddings/Rekap.odt', patched(odt, { 'META-INF/manifest.xml': manifest })))).toBeUndefined();
  });

  it('counts the inflated bytes and the entries of embedded packages against one limit for the whole document', () => {
    const types =
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>';
    const withTwo = (inner: Uint8Array) =>
      embedded(embedded(fixture('report.docx'), 'word/embeddings/Microsoft_Excel_Worksheet1.xlsx', inner), 'word/embeddings/Microsoft_Excel_Worksheet2.xlsx', inner);
    // A workbook inflating to 55 MB from 55 kB: one is allowed, two are more than any document holds.
    const heavy = handMadeZip([
      { name: '[Content_Types].xml', data: strToU8(types) },
      { name: 'xl/printerSettings/printerSettings1.bin', data: new Uint8Array(55 * 1024 * 1024) },
    ]);
    expect(heavy.length).toBeLessThan(100 * 1024);
    expect(cleanOfficeMetadata(embedded(fixture('report.docx'), 'word/embeddings/Microsoft_Excel_Worksheet1.xlsx', heavy))).toBeDefined();
    expect(cleanOfficeMetadata(withTwo(heavy))).toBeUndefined();
    // A workbook of 15,000 entries: one is allowed, two make more than 20,000.
    const parts: Zippable = { '[Content_Types].xml': strToU8(types) };
    for (let i = 0; i < 14_999; i += 1) parts[`customXml/item${i}.xml`] = new Uint8Array(0);
    const crowded = zipSync(parts, { level: 0 });
    expect(cleanOfficeMetadata(embedded(fixture('report.docx'), 'word/embeddings/Microsoft_Excel_Worksheet1.xlsx', crowded))).toBeDefined();
    expect(cleanOfficeMetadata(withTwo(crowded))).toBeUndefined();
  });

  it('empties the name of whoever last refreshed a pivot table and keeps the names of its fields', () => {
    const definition =
      `${XML_DECLARATION}<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${RELATIONSHIPS}" ` +
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="xr" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" ' +
      'r:id="rId1" refreshedBy="Budi Santoso CANARY7Q" refreshedDate="45616.376218287034" createdVersion="8" refreshedVersion="8" minRefreshableVersion="3" recordCount="2" ' +
      'xr:uid="{6F1C0000-0000-0000-0000-000000000001}"><cacheSource type="worksheet"><worksheetSource ref="A1:B3" sheet="Laporan"/></cacheSource><cacheFields count="2">' +
      '<cacheField name="Tempat" numFmtId="0"><sharedItems count="2"><s v="TPS 1"/><s v="TPS 2"/></sharedItems></cacheField>' +
      '<cacheField name="Hadir" numFmtId="0"><sharedItems containsSemiMixedTypes="0" containsString="0" containsNumber="1" containsInteger="1" minValue="7" maxValue="12"/></cacheField>' +
      '</cacheFields><extLst><ext uri="{725AE2AE-9491-48be-B2B4-4EB974FC3084}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:pivotCacheDefinition/></ext></extLst></pivotCacheDefinition>';
    const xlsx = patched(fixture('report.xlsx'), { 'xl/pivotCache/pivotCacheDefinition1.xml': definition });

    const cleaned = cleanOfficeMetadata(xlsx)!;

    expect(text(unzipSync(cleaned.bytes), 'xl/pivotCache/pivotCacheDefinition1.xml')).toBe(definition.replace('refreshedBy="Budi Santoso CANARY7Q"', 'refreshedBy=""'));
    expect(cleaned.emptied).toBe(emptiedIn(fixture('report.xlsx')) + 1);
  });

  it('zeroes the printer’s name at the start of a sheet’s printer settings and keeps the rest of them', () => {
    // A Windows DEVMODE: the device name in 32 UTF-16 characters, then the settings (paper size and the like).
    const settings = new Uint8Array(220);
    settings.set(Buffer.from('HP LaserJet CANARY7Q', 'utf16le'), 0);
    settings.set([0x01, 0x04, 0x00, 0x05, 0xdc, 0x00], 64);
    const xlsx = patched(fixture('report.xlsx'), { 'xl/printerSettings/printerSettings1.bin': settings });

    const cleaned = cleanOfficeMetadata(xlsx)!;

    const after = unzipSync(cleaned.bytes)['xl/printerSettings/printerSettings1.bin']!;
    expect(after.subarray(0, 64).every((byte) => byte === 0)).toBe(true);
    expect(after.subarray(64)).toEqual(settings.subarray(64));
    expect(cleaned.emptied).toBe(emptiedIn(fixture('report.xlsx')) + 1);
  });

  it('empties the names and account ids in PowerPoint’s co-authoring change log', () => {
    const account = 'userId="S::budi.CANARY7Q@kantor.go.id::6f1c1d2e-0000-4000-8000-000000000000" providerId="AD"';
    const changes =
      `${XML_DECLARATION}<pc:chgInfo xmlns:pc="http://schemas.microsoft.com/office/powerpoint/2013/main/command" xmlns:ac="http://schemas.microsoft.com/office/drawing/2013/main/command">` +
      `<pc:docChgLst><pc:chgData name="Budi Santoso CANARY7Q" ${account} clId="Web-{6F1C0000-0000-0000-0000-000000000002}" dt="2026-11-20T08:10:00.000" v="3"/>` +
      `<pc:docChg chg="modSld"><pc:chgData name="Budi Santoso CANARY7Q" ${account} clId="Web-{6F1C0000-0000-0000-0000-000000000002}" dt="2026-11-20T08:10:00.000" v="3"/>` +
      '<pc:docMkLst><pc:docMk/></pc:docMkLst><pc:sldChg chg="modSp mod"><pc:chgData name=\'Budi Santoso CANARY7Q\' userId="S::budi.CANARY7Q@kantor.go.id::6f1c" providerId="AD"/>' +
      '<pc:sldMkLst><pc:docMk/><pc:sldMk cId="2208496245" sldId="256"/></pc:sldMkLst><ac:spChg chg="mod"><ac:chgData name="Budi Santoso CANARY7Q" userId="6f1c0000aaaa" providerId="Windows Live"/>' +
      '<ac:spMkLst><pc:docMk/><pc:sldMk cId="2208496245" sldId="256"/><ac:spMk id="2" creationId="{6F1C0000-0000-0000-0000-000000000003}"/></ac:spMkLst></ac:spChg></pc:sldChg></pc:docChg></pc:docChgLst></pc:chgInfo>';
    const pptx = patched(fixture('report.pptx'), { 'ppt/changesInfos/changesInfo1.xml': changes });

    const cleaned = cleanOfficeMetadata(pptx)!;

    const after = text(unzipSync(cleaned.bytes), 'ppt/changesInfos/changesInfo1.xml');
    expect(after).toBe(changes.replace(/ (name|userId|providerId)=(?:"[^"]*"|'[^']*')/g, ' $1=""'));
    expect(after).toContain('<pc:sldMk cId="2208496245" sldId="256"/>');
    expect(cleaned.emptied).toBe(emptiedIn(fixture('report.pptx')) + 12);
  });

  it('empties the user names in a shared workbook’s revision history and keeps the sheet names there', () => {
    const spreadsheet = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${RELATIONSHIPS}"`;
    const userNames =
      `${XML_DECLARATION}<users ${spreadsheet} count="1"><userInfo guid="{6F1C0000-0000-0000-0000-000000000004}" name="Budi Santoso CANARY7Q" id="1483920581" dateTime="2026-11-20T08:00:00"/></users>`;
    const headers =
      `${XML_DECLARATION}<headers ${spreadsheet} guid="{6F1C0000-0000-0000-0000-000000000005}" lastGuid="{6F1C0000-0000-0000-0000-000000000005}" shared="1" diskRevisions="1" revisionId="2" version="3">` +
      '<header guid="{6F1C0000-0000-0000-0000-000000000005}" dateTime="2026-11-20T08:05:00" maxSheetId="3" userName="Budi Santoso CANARY7Q" r:id="rId1" minRId="1" maxRId="2">' +
      '<sheetIdMap count="2"><sheetId val="1"/><sheetId val="2"/></sheetIdMap></header></headers>';
    const log =
      `${XML_DECLARATION}<revisions ${spreadsheet}><ris rId="1" sheetId="2" name="[report.xlsx]Rekap" sheetPosition="1"/>` +
      '<rcmt sheetId="1" cell="A2" guid="{6F1C0000-0000-0000-0000-000000000006}" action="add" author="Budi Santoso CANARY7Q" newLength="14"/></revisions>';
    const xlsx = patched(fixture('report.xlsx'), {
      'xl/revisions/userNames.xml': userNames,
      'xl/revisions/revisionHeaders.xml': headers,
      'xl/revisions/revisionLog1.xml': log,
    });

    const cleaned = cleanOfficeMetadata(xlsx)!;

    const after = unzipSync(cleaned.bytes);
    expect(text(after, 'xl/revisions/userNames.xml')).toBe(userNames.replace('name="Budi Santoso CANARY7Q"', 'name=""'));
    expect(text(after, 'xl/revisions/revisionHeaders.xml')).toBe(headers.replace('userName="Budi Santoso CANARY7Q"', 'userName=""'));
    expect(text(after, 'xl/revisions/revisionLog1.xml')).toBe(log.replace('author="Budi Santoso CANARY7Q"', 'author=""'));
    expect(entriesHolding(after, MARKER)).toEqual([]);
  });

  it('empties the files, connection strings and queries of Excel’s data connections', () => {
    const user = 'C:\\Users\\CANARY7Q';
    const connections =
      `${XML_DECLARATION}<connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="xr16" xmlns:xr16="http://schemas.microsoft.com/office/spreadsheetml/2017/revision16">` +
      `<connection id="1" xr16:uid="{6F1C0000-0000-0000-0000-000000000007}" keepAlive="1" name="daftar" type="5" refreshedVersion="8" background="1" saveData="1">` +
      `<dbPr connection="Provider=Microsoft.ACE.OLEDB.12.0;User ID=Admin;Data Source=${user}\\Desktop\\daftar.xlsx;Mode=Share Deny Write;Extended Properties=&quot;HDR=YES;&quot;;Jet OLEDB:Engine Type=37" ` +
      `command="SELECT * FROM \`${user}\\Desktop\\daftar.xlsx\`.\`Sheet1$\`" commandType="2"/></connection>` +
      `<connection id="2" odcFile="${user}\\Documents\\My Data Sources\\SERVER01 DPT.odc" keepAlive="1" name="SERVER01 DPT" type="5" refreshedVersion="8" background="1">` +
      '<dbPr connection="Provider=SQLOLEDB.1;Integrated Security=SSPI;Persist Security Info=True;Initial Catalog=DPT;Data Source=SERVER01;Workstation ID=LAPTOP-CANARY7Q" command="&quot;DPT&quot;.&quot;dbo&quot;.&quot;Pemilih&quot;" commandType="3"/></connection>' +
      `<connection id="3" name="pemilih" type="6" refreshedVersion="8" background="1" saveData="1"><textPr codePage="65001" sourceFile="${user}\\Downloads\\pemilih.csv" comma="1">` +
      '<textFields count="2"><textField/><textField/></textFields></textPr></connection></connections>';
    const xlsx = patched(fixture('report.xlsx'), { 'xl/connections.xml': connections });

    const cleaned = cleanOfficeMetadata(xlsx)!;

    const after = unzipSync(cleaned.bytes);
    expect(text(after, 'xl/connections.xml')).toBe(connections.replace(/ (connection|command|odcFile|sourceFile)="[^"]*"/g, ' $1=""'));
    expect(entriesHolding(after, MARKER)).toEqual([]);
    expect(cleaned.emptied).toBe(emptiedIn(fixture('report.xlsx')) + 6);
  });

  it('empties the connection string and query of Word’s mail merge and cuts its data source to the file’s name', () => {
    const user = 'C:\\Users\\CANARY7Q';
    const docx = fixture('report.docx');
    const settings = text(unzipSync(docx), 'word/settings.xml').replace(
      '<w:trackRevisions/>',
      () =>
        '<w:trackRevisions/><w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:linkToQuery/><w:dataType w:val="native"/>' +
          `<w:connectString w:val="Provider=Microsoft.ACE.OLEDB.12.0;User ID=Admin;Data Source=${user}\\Desktop\\daftar.xlsx;Mode=Read;Extended Properties=&quot;HDR=YES;IMEX=1;&quot;"/>` +
          `<w:query w:val="SELECT * FROM \`${user}\\Desktop\\daftar.xlsx\`.\`Sheet1$\` "/><w:dataSource r:id="rId2"/><w:viewMergedData/>` +
          `<w:odso><w:udl w:val="Provider=Microsoft.ACE.OLEDB.12.0;User ID=Admin;Data Source=${user}\\Desktop\\daftar.xlsx;Mode=Read"/><w:table w:val="Sheet1$"/>` +
          '<w:src r:id="rId3"/><w:colDelim w:val="9"/><w:type w:val="database"/><w:fHdr/></w:odso></w:mailMerge>',
    );
    const mailMergeSource = (id: string) =>
      `<Relationship Id="${id}" Type="${RELATIONSHIPS}/mailMergeSource" Target="file:///${user}\\Desktop\\daftar.xlsx" TargetMode="External"/>`;
    const rels = text(unzipSync(docx), 'word/_rels/settings.xml.rels').replace('</Relationships>', `${mailMergeSource('rId2')}${mailMergeSource('rId3')}</Relationships>`);
    const mailMerge = patched(docx, { 'word/settings.xml': settings, 'word/_rels/settings.xml.rels': rels });

    const document = unzipSync(cleanOfficeMetadata(mailMerge)!.bytes);

    expect(text(document, 'word/settings.xml')).toBe(settings.replace(/(<w:(?:connectString|query|udl) w:val=)"[^"]*"/g, '$1""'));
    expect(text(document, 'word/settings.xml')).toContain('<w:table w:val="Sheet1$"/>');
    expect([...text(document, 'word/_rels/settings.xml.rels').matchAll(/Target="([^"]*)"/g)].map((match) => match[1])).toEqual(['Normal.dotm', 'daftar.xlsx', 'daftar.xlsx']);
    expect(entriesHolding(document, MARKER)).toEqual([]);
  });

  it('finds the authors under whatever prefix their namespace is bound to, as the Open XML SDK and Python’s ElementTree write them', () => {
    // The Open XML SDK writes SpreadsheetML with `x:` and the extended properties with `ap:`.
    const xlsx = fixture('report.xlsx');
    const sheets = unzipSync(xlsx);
    const workbook = prefixed(text(sheets, 'xl/workbook.xml'), 'x').replace('<x:workbookPr ', '<x:fileSharing userName="Budi Santoso CANARY7Q" reservationPassword="CC3D"/><x:workbookPr ');
    const sdk = patched(xlsx, {
      'xl/comments1.xml': prefixed(text(sheets, 'xl/comments1.xml'), 'x'),
      'xl/workbook.xml': workbook,
      'docProps/app.xml': prefixed(text(sheets, 'docProps/app.xml'), 'ap'),
    });
    expect(text(unzipSync(sdk), 'xl/comments1.xml')).toContain('<x:author>Budi Santoso CANARY7Q</x:author>');
    // ElementTree names a namespace it was not told of ns0, ns1, …
    const docx = fixture('report.docx');
    const words = unzipSync(docx);
    const elementTree = patched(docx, {
      'word/comments.xml': renamedPrefix(text(words, 'word/comments.xml'), 'w', 'ns0'),
      'word/document.xml': renamedPrefix(text(words, 'word/document.xml'), 'w', 'ns0'),
      'word/people.xml':
        `${XML_DECLARATION}<ns1:people xmlns:ns1="http://schemas.microsoft.com/office/word/2012/wordml"><ns1:person ns1:author="Budi Santoso CANARY7Q">` +
        '<ns1:presenceInfo ns1:providerId="AD" ns1:userId="S::budi.CANARY7Q@kantor.go.id::6f1c"/></ns1:person></ns1:people>',
    });
    expect(text(unzipSync(elementTree), 'word/comments.xml')).toContain('<ns0:comment ns0:id="0" ns0:author="Budi Santoso CANARY7Q"');

    const spreadsheet = unzipSync(cleanOfficeMetadata(sdk)!.bytes);
    const document = unzipSync(cleanOfficeMetadata(elementTree)!.bytes);

    expect(entriesHolding(spreadsheet, MARKER)).toEqual([]);
    expect(text(spreadsheet, 'xl/comments1.xml')).toContain('<x:authors><x:author></x:author></x:authors>');
    expect(text(spreadsheet, 'xl/comments1.xml')).toContain('<x:t></x:t>');
    expect(text(spreadsheet, 'xl/comments1.xml')).toContain('Komentar saksi');
    expect(text(spreadsheet, 'xl/workbook.xml')).toContain('<x:fileSharing userName="" reservationPassword="CC3D"/>');
    expect(text(spreadsheet, 'xl/workbook.xml')).toMatch(/<x15ac:absPath [^>]*url=""\/>/);
    expect(text(spreadsheet, 'docProps/app.xml')).toContain('<ap:Company></ap:Company>');
    expect(entriesHolding(document, MARKER)).toEqual([]);
    expect(text(document, 'word/comments.xml')).toContain('<ns0:comment ns0:id="0" ns0:author="" ns0:date="2026-11-20T08:00:00Z" ns0:initials="">');
    expect(text(document, 'word/document.xml')).toContain('TEKS43');
    expect(text(document, 'word/people.xml')).toContain('<ns1:person ns1:author=""></ns1:person>');
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

  it('refuses, before inflating, a document that declares more than 100 MB or holds more than 20,000 entries', () => {
    const entries = Object.entries(unzipSync(fixture('report.docx'))).map(([name, data]) => ({ name, data }));
    expect(cleanOfficeMetadata(handMadeZip(entries))).toBeDefined();
    // Two pictures of 49 MB of zeros each are cleaned; two of 51 MB, 51 kB each once deflated, are not.
    const zeros = new Uint8Array(51 * 1024 * 1024);
    const withPictures = (megabytes: number) =>
      handMadeZip([...entries, ...[1, 2].map((i) => ({ name: `word/media/image${i + 10}.png`, data: zeros.subarray(0, megabytes * 1024 * 1024) }))]);
    expect(cleanOfficeMetadata(withPictures(49))).toBeDefined();
    const bomb = withPictures(51);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(cleanOfficeMetadata(bomb)).toBeUndefined();
    // One entry declaring 150 MB.
    const declaring = entries.map((entry) => (entry.name === 'word/document.xml' ? { ...entry, declaredSize: 150 * 1024 * 1024 } : entry));
    expect(cleanOfficeMetadata(handMadeZip(declaring))).toBeUndefined();

    const many: Zippable = Object.fromEntries(entries.map(({ name, data }) => [name, data]));
    for (let i = 0; i < 20_001; i += 1) many[`customXml/item${i}.xml`] = new Uint8Array(0);
    expect(cleanOfficeMetadata(zipSync(many, { level: 0 }))).toBeUndefined();
  });
});
