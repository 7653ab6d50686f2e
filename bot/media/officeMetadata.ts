/**
 * Removes from an Office document what the author's software wrote about the author, without touching its content.
 * Word, Excel and PowerPoint files (Office Open XML) and OpenDocument files are ZIP archives of XML parts; the parts
 * named below are edited as text and, when anything was removed, the archive is written anew: entries in the same
 * order, all with one fixed time, without the extra fields and comments the original archive may have held.
 *
 * Removed:
 * - the document properties: OOXML's core properties (author, last modified by, title, subject, keywords,
 *   description, category, dates, revision) and custom properties (emptied whole), the company, manager, hyperlink
 *   base and template of the extended properties; ODF's meta.xml (emptied whole, with the generator and the
 *   template's path);
 * - who wrote a comment or a tracked change: Word's `w:author` and `w:initials`, the people list's names and their
 *   account ids (`w15:presenceInfo`), Excel's comment authors (and the author's name Excel puts at the start of a
 *   note), Excel's persons list, PowerPoint's comment authors; ODF's `dc:creator` and `meta:creator-initials` in the
 *   content and styles;
 * - who else worked on it: the user who last refreshed an Excel pivot table (`refreshedBy`), the users of a shared
 *   workbook's revision history (xl/revisions: `userInfo`'s name, each revision's `userName`, a comment change's
 *   `author`), and the names and account ids (`name`, `userId`, `providerId`) in PowerPoint's co-authoring change
 *   log (ppt/changesInfos);
 * - paths on the author's computer: a relationship to a file outside the document (Word's attached template,
 *   `file:///C:\Users\NAME\…\Normal.dotm`, a linked picture, a mail merge's data source) keeps only the file's base
 *   name; the folder Excel last saved the workbook in (`x15ac:absPath`) and the user name of its file sharing setting
 *   are emptied; so are Excel's data connections' files (`sourceFile`, `odcFile`), connection strings and queries
 *   (`connection`, `command`, `localConnection`: `Data Source=C:\Users\NAME\…`, `Workstation ID=…`), and Word's mail
 *   merge connection string and query (`w:connectString`, `w:query`, `w:udl`); ODF's printer name and setup
 *   (settings.xml), and the printer's name at the start of OOXML's printer settings (`printerSettings1.bin`);
 * - in every JPEG inside (pictures, thumbnails), the EXIF and XMP segments (see jpegMetadata.ts); in every PNG, the
 *   text, EXIF and time chunks;
 * - in every OOXML or ODF package inside (the workbook behind a Word or PowerPoint chart, a document embedded as an
 *   object: `word/embeddings/Microsoft_Excel_Worksheet.xlsx`), all of the above: it is cleaned as a document of its
 *   own, up to three packages deep, within the same limits as the document (100 MB inflated and 20,000 entries in
 *   all). A ZIP archive inside that is not such a package, or cannot be cleaned, makes the document one that cannot
 *   be cleaned.
 *
 * Kept: the text itself, which can name anyone (a signature, a header, a field showing the author's name typed into
 * the text, a field's code naming a file on the author's computer: `INCLUDEPICTURE "C:\\Users\\NAME\\…"`); the dates
 * of comments, tracked changes and revisions; the application's name and version; revision session ids (`w:rsid`),
 * document ids and other random ids; pictures in other formats (HEIC, TIFF, EMF); OLE objects
 * (`word/embeddings/oleObject1.bin`: a compound file holding an older Office document, a PDF or any file, with
 * metadata of its own), and password-protected packages inside, which are compound files too; the binary parts of
 * an .xlsb workbook (its comments' authors included) and the rest of the printer settings (paper, layout); macros; document variables; custom XML parts (SharePoint's properties, Power Query's queries
 * with the paths they read).
 *
 * The archive is read here (each entry's CRC checked, none inflated past the size it declares) and written with
 * fflate. The XML is edited with regular expressions over the decoded text. OOXML's elements and attributes are
 * matched by their local names under any prefix or none (`author` is `w:author`, `x:author` as the Open XML SDK
 * writes SpreadsheetML, `ns0:author` as Python's ElementTree writes a namespace it was not told of): the names
 * matched are not used by another namespace in the parts edited. ODF's are matched under the prefixes LibreOffice
 * and Office write (`dc:`, `meta:`, `config:`): `creator` under any prefix would also be `text:creator`, a field of
 * the text, so an ODF document binding these namespaces to other prefixes keeps what they hold. The namespace each
 * prefix is bound to is not looked up.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { zipSync, type Zippable } from 'fflate';
import { isJpeg, stripJpegMetadata } from './jpegMetadata.ts';

/**
 * More than any document holds once inflated (a 20 MB upload of photos inflates to little more than 20 MB): a zip
 * bomb. The inflated entries are buffers outside the JavaScript heap, which the worker's heap limit does not bound,
 * so this stays small. One limit for the document and the packages inside it together.
 */
const MAX_INFLATED_BYTES = 100 * 1024 * 1024;
/** More entries than any document has (a workbook of a thousand sheets has a few thousand), packages inside included. */
const MAX_ENTRIES = 20_000;
/**
 * How deep packages may nest in one another: a chart's workbook is one deep; the workbook of a chart in a Word
 * document embedded in a slide, two.
 */
const MAX_NESTING = 3;
/** The time every entry of a cleaned archive is given, so the same document gives the same bytes. */
const ZIP_TIME = new Date(1980, 0, 1);
const ODF_MIMETYPE = 'application/vnd.oasis.opendocument.';

export interface CleanedDocument {
  /** The document rewritten without its metadata (the same bytes when there was none). */
  bytes: Uint8Array;
  /** How many places were emptied or removed (0: the document held nothing to remove). */
  emptied: number;
}

type Kind = 'ooxml' | 'odf';

interface Entry {
  name: string;
  data: Uint8Array;
}

interface Edited {
  text: string;
  emptied: number;
}

/** What is left of the limits, shared by a document and every package inside it. */
interface Budget {
  bytes: number;
  entries: number;
}

/**
 * Returns a copy of the document without its authors' metadata, or undefined when it cannot be cleaned: not an
 * OOXML or ODF document, password-protected (an encrypted OOXML file is not a ZIP archive; an encrypted ODF file says
 * so in its manifest), damaged, inflating to more than 100 MB or holding more than 20,000 entries (packages inside
 * included), holding a picture that cannot be read, or holding a ZIP archive that is not a package it can clean
 * (damaged, encrypted, of another kind, or nested more than three deep). The caller must then not pass the file on
 * as if it were clean.
 */
export function cleanOfficeMetadata(bytes: Uint8Array): CleanedDocument | undefined {
  try {
    return clean(bytes, { bytes: MAX_INFLATED_BYTES, entries: MAX_ENTRIES }, 0);
  } catch {
    return undefined;
  }
}

/** Whether bytes begin as a ZIP archive does, with the local header of its first entry. */
function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The document, or a package `depth` levels inside it, cleaned within what is left of the budget. */
function clean(bytes: Uint8Array, budget: Budget, depth: number): CleanedDocument | undefined {
  if (bytes.length < 30 || !isZip(bytes)) return undefined;
  const entries = readEntries(bytes, budget);
  if (!entries) return undefined;
  const kind = kindOf(entries);
  if (!kind) return undefined;
  const manifest = entries.find((entry) => entry.name === 'META-INF/manifest.xml');
  if (kind === 'odf' && manifest && decodeXml(manifest.data).includes('encryption-data')) return undefined;

  let emptied = 0;
  const cleaned: Entry[] = [];
  for (const entry of entries) {
    const result = cleanEntry(kind, entry, budget, depth);
    if (!result) return undefined;
    emptied += result.emptied;
    cleaned.push({ name: entry.name, data: result.bytes });
  }
  if (emptied === 0) return { bytes, emptied: 0 };
  return { bytes: writeEntries(kind, cleaned), emptied };
}

/** An entry as the central directory describes it. */
interface Header {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
}

/**
 * The archive's entries in their order, or undefined when it is not a ZIP archive that can be read whole: a
 * directory or an entry out of bounds, an entry encrypted or compressed otherwise than deflated, one whose CRC or size
 * is not what the directory says, a name given twice or one that cannot key an object in order (an integer,
 * `__proto__`), more entries or more bytes declared than the budget has left (which they are taken from). The
 * declared sizes are summed before anything is inflated, and no entry is inflated past its declared size: a crafted
 * entry declaring 1 kB and inflating to gigabytes would otherwise cost a minute of inflating for every 20 MB of input.
 */
function readEntries(bytes: Uint8Array, budget: Budget): Entry[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headers = readDirectory(bytes, view, budget);
  if (!headers) return undefined;
  const entries: Entry[] = [];
  for (const header of headers) {
    if (header.offset + 30 > bytes.length || view.getUint32(header.offset, true) !== 0x04034b50) return undefined;
    const start = header.offset + 30 + view.getUint16(header.offset + 26, true) + view.getUint16(header.offset + 28, true);
    const end = start + header.compressedSize;
    if (end > bytes.length) return undefined;
    const raw = bytes.subarray(start, end);
    // maxOutputLength stops inflating there (0 is not accepted: the length check below catches any byte).
    const data = header.method === 0 ? raw : inflateRawSync(raw, { maxOutputLength: Math.max(header.size, 1) });
    if (data.length !== header.size || crc32(data) !== header.crc) return undefined;
    entries.push({ name: header.name, data });
  }
  return entries;
}

/** Reads the central directory (ZIP64 included), refusing what readEntries refuses before inflating. */
function readDirectory(bytes: Uint8Array, view: DataView, budget: Budget): Header[] | undefined {
  // The end record: 22 bytes and a comment of up to 65,535, the last thing in the file.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at -= 1) {
    if (view.getUint32(at, true) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return undefined;
  let count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const zip64 = eocd >= 20 && view.getUint32(eocd - 20, true) === 0x07064b50;
  if (zip64) {
    const record = Number(view.getBigUint64(eocd - 12, true));
    if (record + 56 > bytes.length || view.getUint32(record, true) !== 0x06064b50) return undefined;
    count = Number(view.getBigUint64(record + 32, true));
    at = Number(view.getBigUint64(record + 48, true));
  }
  if (count === 0 || count > budget.entries) return undefined;
  budget.entries -= count;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const names = new Set<string>();
  const headers: Header[] = [];
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return undefined;
    const flags = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const next = at + 46 + nameLength + extraLength + view.getUint16(at + 32, true);
    if (next > bytes.length) return undefined;
    const nameBytes = bytes.subarray(at + 46, at + 46 + nameLength);
    // Bit 11: the name is UTF-8; otherwise code page 437, which Office and LibreOffice use only for ASCII names.
    const name = flags & 0x800 ? utf8.decode(nameBytes) : String.fromCharCode(...nameBytes);
    const header: Header = {
      name,
      flags,
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      offset: view.getUint32(at + 42, true),
    };
    readZip64Sizes(view, at + 46 + nameLength, extraLength, header);
    if (header.flags & 0x1 || (header.method !== 0 && header.method !== 8)) return undefined;
    if (header.method === 0 && header.compressedSize !== header.size) return undefined;
    if (names.has(name) || /^\d+$/.test(name) || name === '__proto__') return undefined;
    names.add(name);
    budget.bytes -= header.size;
    if (budget.bytes < 0) return undefined;
    headers.push(header);
    at = next;
  }
  return headers;
}

/** Sizes and offset too large for 32 bits are in the ZIP64 extra field (id 1), in this order, each only if so. */
function readZip64Sizes(view: DataView, from: number, length: number, header: Header): void {
  for (let at = from; at + 4 <= from + length; at += 4 + view.getUint16(at + 2, true)) {
    if (view.getUint16(at, true) !== 1) continue;
    let field = at + 4;
    const end = field + view.getUint16(at + 2, true);
    for (const key of ['size', 'compressedSize', 'offset'] as const) {
      if (header[key] !== 0xffffffff || field + 8 > end) continue;
      header[key] = Number(view.getBigUint64(field, true));
      field += 8;
    }
    return;
  }
}

function kindOf(entries: readonly Entry[]): Kind | undefined {
  const mimetype = entries.find((entry) => entry.name === 'mimetype');
  if (mimetype && String.fromCharCode(...mimetype.data.subarray(0, ODF_MIMETYPE.length)) === ODF_MIMETYPE) return 'odf';
  if (entries.some((entry) => entry.name === '[Content_Types].xml')) return 'ooxml';
  return undefined;
}

/** Writes the entries anew: ODF's `mimetype` first and stored, as ODF requires, the others deflated. */
function writeEntries(kind: Kind, entries: readonly Entry[]): Uint8Array {
  const first = (entry: Entry) => kind === 'odf' && entry.name === 'mimetype';
  const ordered = [...entries.filter(first), ...entries.filter((entry) => !first(entry))];
  const files: Zippable = {};
  for (const entry of ordered) {
    const stored = entry.data.length === 0 || first(entry);
    files[entry.name] = [entry.data, { level: stored ? 0 : 6 }];
  }
  return zipSync(files, { mtime: ZIP_TIME });
}

/**
 * An entry cleaned, the same bytes when nothing was removed; undefined when it cannot be cleaned. A ZIP archive
 * inside (an embedded workbook, document or presentation) is cleaned as a document of its own, within the same budget.
 */
function cleanEntry(kind: Kind, entry: Entry, budget: Budget, depth: number): { bytes: Uint8Array; emptied: number } | undefined {
  if (isJpeg(entry.data)) return stripJpegMetadata(entry.data);
  if (isPng(entry.data)) return stripPngMetadata(entry.data);
  if (isZip(entry.data)) return depth < MAX_NESTING ? clean(entry.data, budget, depth + 1) : undefined;
  if (kind === 'ooxml' && PRINTER_SETTINGS.test(entry.name)) return emptyPrinterName(entry.data);
  const edits = (kind === 'ooxml' ? OOXML_EDITS : ODF_EDITS).filter((edit) => edit.path.test(entry.name));
  if (edits.length === 0) return { bytes: entry.data, emptied: 0 };
  let text = decodeXml(entry.data);
  let emptied = 0;
  for (const edit of edits) {
    const edited = edit.clean(text);
    text = edited.text;
    emptied += edited.emptied;
  }
  return emptied === 0 ? { bytes: entry.data, emptied: 0 } : { bytes: new TextEncoder().encode(text), emptied };
}

/** The printer settings Office keeps per sheet or document: a Windows DEVMODE, which begins with the printer's name. */
const PRINTER_SETTINGS = /(?:^|\/)printerSettings\/printerSettings\d*\.bin$/;
/** DEVMODEW's dmDeviceName: 32 UTF-16 characters ("HP LaserJet di ruang Budi"). */
const PRINTER_NAME_BYTES = 64;

/** The printer settings with their printer's name zeroed (the rest, paper size and the like, kept). */
function emptyPrinterName(data: Uint8Array): { bytes: Uint8Array; emptied: number } {
  const name = data.subarray(0, PRINTER_NAME_BYTES);
  if (name.every((byte) => byte === 0)) return { bytes: data, emptied: 0 };
  const bytes = new Uint8Array(data);
  bytes.fill(0, 0, Math.min(PRINTER_NAME_BYTES, bytes.length));
  return { bytes, emptied: 1 };
}

/** Decodes an XML part: UTF-8, as Office and LibreOffice write them (anything else throws: not cleaned). */
function decodeXml(data: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(data);
}

interface Edit {
  path: RegExp;
  clean: (xml: string) => Edited;
}

/** The names are local names: each matches under any prefix or none (`author`: `w:author`, `x:author`, `author`). */
const OOXML_EDITS: readonly Edit[] = [
  // The core properties; .NET's System.IO.Packaging names them by a GUID.
  { path: /^(?:docProps\/core\.xml|package\/services\/metadata\/core-properties\/[^/]+\.psmdcp)$/, clean: (xml) => emptyRoot(xml, isNamespace) },
  { path: /^docProps\/app\.xml$/, clean: (xml) => emptyElements(xml, ['Company', 'Manager', 'HyperlinkBase', 'Template']) },
  { path: /^docProps\/custom\.xml$/, clean: (xml) => emptyRoot(xml, isNamespace) },
  // Tracked changes, comments, footnotes, headers: who made each and their initials.
  { path: /^word\/.+\.xml$/, clean: (xml) => emptyAttributes(xml, ['author', 'initials']) },
  { path: /^word\/people\.xml$/, clean: (xml) => removeElements(xml, 'presenceInfo') },
  // Mail merge: the connection to the data source (`Data Source=C:\Users\NAME\…`) and the query naming its file; the
  // data source itself is a relationship to an external file (cut to its name below).
  { path: /^word\/(?:[^/]+\/)?settings\.xml$/, clean: (xml) => emptyAttributes(xml, ['val'], ['connectString', 'query', 'udl']) },
  { path: /^xl\/.*comments[^/]*\.xml$/i, clean: cleanExcelComments },
  { path: /^xl\/persons\/[^/]+\.xml$/, clean: (xml) => emptyAttributes(xml, ['displayName', 'userId', 'providerId']) },
  // `<x15ac:absPath url="C:\Users\NAME\Documents\"/>`, or the OneDrive URL with the account's number.
  { path: /^xl\/workbook\.xml$/, clean: (xml) => emptyAttributes(xml, ['url', 'userName'], ['absPath', 'fileSharing']) },
  // Who last refreshed a pivot table.
  { path: /^xl\/pivotCache\/pivotCacheDefinition[^/]*\.xml$/, clean: (xml) => emptyAttributes(xml, ['refreshedBy'], ['pivotCacheDefinition']) },
  // A shared workbook's history: its users, who saved each revision, who changed a comment (not `name` elsewhere: a
  // sheet's name).
  {
    path: /^xl\/revisions\/[^/]+\.xml$/,
    clean: (xml) => chain(xml, (text) => emptyAttributes(text, ['name'], ['userInfo']), (text) => emptyAttributes(text, ['userName', 'author'])),
  },
  // Data connections: the files they read (`C:\Users\NAME\…`, an .odc file, a CSV file) and the connection strings and
  // queries naming them, or the computer (`Workstation ID=…`).
  {
    path: /^xl\/connections\.xml$/,
    clean: (xml) => emptyAttributes(xml, ['sourceFile', 'odcFile', 'connection', 'command', 'localConnection']),
  },
  { path: /^ppt\/commentAuthors\.xml$/, clean: (xml) => emptyAttributes(xml, ['name', 'initials']) },
  { path: /^ppt\/authors\.xml$/, clean: (xml) => emptyAttributes(xml, ['name', 'initials', 'userId', 'providerId']) },
  // The co-authoring change log: who made each change (`<pc:chgData name=… userId="S::user@…">`).
  { path: /^ppt\/changesInfos\/[^/]+\.xml$/, clean: (xml) => emptyAttributes(xml, ['name', 'userId', 'providerId']) },
  { path: /(?:^|\/)_rels\/[^/]*\.rels$/, clean: cleanRelationships },
];

/**
 * The names here are qualified: each matches under its usual prefix only, which LibreOffice and Office always write.
 * Under any prefix, `creator` would also empty `text:creator`, a field showing the author's name in the text.
 */
const ODF_EDITS: readonly Edit[] = [
  // meta.xml of the document and of each embedded object (a chart, a formula).
  {
    path: /(?:^|\/)meta\.xml$/,
    clean: (xml) =>
      emptyRoot(xml, (name) => isNamespace(name) || name === 'office:version', '<office:meta/>', /^\s*(?:<office:meta\s*\/>|<office:meta\s*>\s*<\/office:meta\s*>)?\s*$/),
  },
  // Annotations and tracked changes.
  { path: /(?:^|\/)(?:content|styles)\.xml$/, clean: (xml) => emptyElements(xml, ['dc:creator', 'meta:creator-initials']) },
  {
    path: /(?:^|\/)settings\.xml$/,
    clean: (xml) =>
      emptyElements(xml, ['config:config-item'], (attributes) => ['PrinterName', 'PrinterSetup'].includes(attributes.get('config:name') ?? '')),
  },
];

// --- XML, as text ---------------------------------------------------------------------------------------------

/** The attributes of a start tag: a quoted value may hold `>` and `/`. */
const ATTRIBUTES = `(?:\\s+[^\\s=/>"'<]+\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*`;
/** One attribute: its leading space, name, `=` with the spaces around it, and value in double or single quotes. */
const ATTRIBUTE = /(\s+)([^\s=/>"'<]+)(\s*=\s*)(?:"([^"<]*)"|'([^'<]*)')/g;
/** A start tag (or an empty-element tag): its name, its attributes and its end. */
const START_TAG = new RegExp(`<([^\\s/>!?][^\\s/>]*)(${ATTRIBUTES})(\\s*/?>)`, 'g');
const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function attributesOf(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of text.matchAll(ATTRIBUTE)) attributes.set(match[2]!, match[4] ?? match[5] ?? '');
  return attributes;
}

const isNamespace = (attribute: string) => attribute === 'xmlns' || attribute.startsWith('xmlns:');

/** A prefix and its colon, in a pattern: any characters a name may hold up to the colon. */
const PREFIX = `[^\\s<>/:="']+:`;

/**
 * Whether a name in a tag (an element's or an attribute's) is the one given: a qualified name (`dc:creator`) only
 * under that prefix; a local name (`author`) under any prefix or none. A namespace declaration is never one.
 */
function isNamed(qualified: string, name: string): boolean {
  if (isNamespace(qualified)) return false;
  return name.includes(':') ? qualified === name : qualified.slice(qualified.indexOf(':') + 1) === name;
}

/** The pattern of an element's name in a tag, matching as isNamed does. */
function namePattern(name: string): string {
  return name.includes(':') ? escapeRegExp(name) : `(?:${PREFIX})?${escapeRegExp(name)}`;
}

function chain(xml: string, ...edits: Array<(xml: string) => Edited>): Edited {
  let text = xml;
  let emptied = 0;
  for (const edit of edits) {
    const edited = edit(text);
    text = edited.text;
    emptied += edited.emptied;
  }
  return { text, emptied };
}

/**
 * Gives each start tag's attributes the values `change` returns for them (undefined: kept as it is); each value
 * changed counts as one place.
 */
function editAttributes(
  xml: string,
  change: (element: string, attributes: ReadonlyMap<string, string>) => ReadonlyMap<string, string> | undefined,
): Edited {
  let emptied = 0;
  const text = xml.replace(START_TAG, (tag: string, element: string, attributeText: string, end: string) => {
    if (!attributeText) return tag;
    const changes = change(element, attributesOf(attributeText));
    if (!changes || changes.size === 0) return tag;
    const edited = attributeText.replace(ATTRIBUTE, (whole: string, space: string, name: string, equals: string, double?: string, single?: string) => {
      const value = changes.get(name);
      if (value === undefined || value === (double ?? single)) return whole;
      emptied += 1;
      return `${space}${name}${equals}"${value}"`;
    });
    return `<${element}${edited}${end}`;
  });
  return { text, emptied };
}

/**
 * Empties the named attributes wherever they have a value (only on the elements named in `on`, when given). Names
 * match as isNamed says.
 */
function emptyAttributes(xml: string, names: readonly string[], on?: readonly string[]): Edited {
  if (!names.some((name) => xml.includes(name))) return { text: xml, emptied: 0 };
  return editAttributes(xml, (element, attributes) => {
    if (on && !on.some((name) => isNamed(element, name))) return undefined;
    const changes = new Map<string, string>();
    for (const [attribute, value] of attributes) if (value && names.some((name) => isNamed(attribute, name))) changes.set(attribute, '');
    return changes;
  });
}

/**
 * `<name …>text</name>` or `<name …/>` (the name matching as isNamed says), the name as written in group 1, its
 * attributes in group 2 and its text in group 3. Only text: the elements emptied here hold nothing else, and a match
 * never looks past the next tag (a crafted part of a million opening tags never closed costs one pass, not a million).
 */
function elementPattern(name: string): RegExp {
  return new RegExp(`<(${namePattern(name)})(${ATTRIBUTES})\\s*(?:/>|>([^<]*)</\\1\\s*>)`, 'g');
}

/** Empties the text of the named elements (of those `when` accepts, when given) wherever there is any. */
function emptyElements(xml: string, names: readonly string[], when?: (attributes: ReadonlyMap<string, string>) => boolean): Edited {
  let text = xml;
  let emptied = 0;
  for (const name of names) {
    text = text.replace(elementPattern(name), (whole: string, element: string, attributes: string, content?: string) => {
      if (!content || !content.trim() || (when && !when(attributesOf(attributes)))) return whole;
      emptied += 1;
      return `<${element}${attributes}></${element}>`;
    });
  }
  return { text, emptied };
}

function removeElements(xml: string, name: string): Edited {
  let emptied = 0;
  const text = xml.replace(elementPattern(name), () => {
    emptied += 1;
    return '';
  });
  return { text, emptied };
}

/**
 * Replaces the part with its root element alone, keeping the attributes `keep` accepts (the namespace declarations)
 * and holding only `inner`. Unchanged when the root holds nothing but what `empty` matches and no attribute goes.
 */
function emptyRoot(xml: string, keep: (attribute: string) => boolean, inner = '', empty = /^\s*$/): Edited {
  const root = new RegExp(START_TAG.source).exec(xml);
  if (!root) {
    if (xml.trim()) throw new Error('no root element');
    return { text: xml, emptied: 0 };
  }
  const [tag, element = '', attributeText = '', end = ''] = root;
  const attributes = [...attributeText.matchAll(ATTRIBUTE)];
  const kept = attributes.filter((match) => keep(match[2]!)).map((match) => match[0]);
  let content = '';
  if (!end.endsWith('/>')) {
    const close = xml.lastIndexOf(`</${element}`);
    if (close < root.index + tag.length) throw new Error('root element not closed');
    content = xml.slice(root.index + tag.length, close);
  }
  if (empty.test(content) && kept.length === attributes.length) return { text: xml, emptied: 0 };
  const rebuilt = `${DECLARATION}<${element}${kept.join('')}${inner ? `>${inner}</${element}>` : '/>'}`;
  return { text: rebuilt, emptied: 1 };
}

/** A run of text in SpreadsheetML: its start tag, name (any prefix), text and end tag. */
const TEXT_RUN = new RegExp(`(<(${namePattern('t')})${ATTRIBUTES}\\s*>)([^<]*)(</\\2\\s*>)`, 'g');

/**
 * Excel's comments part: each author's name, and the same name Excel writes, in bold, as the first run of each note
 * (`<t>Budi Santoso:</t>`).
 */
function cleanExcelComments(xml: string): Edited {
  const authors = new Set<string>();
  for (const match of xml.matchAll(elementPattern('author'))) if (match[3]?.trim()) authors.add(match[3].trim());
  const edited = emptyElements(xml, ['author']);
  let emptied = edited.emptied;
  const text = edited.text.replace(TEXT_RUN, (whole: string, start: string, _name: string, content: string, close: string) => {
    const signature = content.trim();
    if (!signature.endsWith(':') || !authors.has(signature.slice(0, -1))) return whole;
    emptied += 1;
    return `${start}${close}`;
  });
  return { text, emptied };
}

/**
 * A relationship to a file outside the package: its target keeps only the file's name when it is a path on a disk
 * or a network share (a `file:` URL, `C:\…`, `\\server\…`, a relative path); web addresses are content and stay.
 */
function cleanRelationships(xml: string): Edited {
  return editAttributes(xml, (element, attributes) => {
    const target = attributes.get('Target');
    if (!element.endsWith('Relationship') || attributes.get('TargetMode') !== 'External' || target === undefined) return undefined;
    if (!isLocalPath(target)) return undefined;
    return new Map([['Target', target.split(/[\\/]/).pop() ?? '']]);
  });
}

function isLocalPath(target: string): boolean {
  if (/^file:/i.test(target) || /^[A-Za-z]:/.test(target)) return true;
  // Any other scheme (http:, mailto:, …) is an address, not a path.
  return !/^[A-Za-z][A-Za-z0-9+.-]+:/.test(target);
}

// --- PNG ------------------------------------------------------------------------------------------------------

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Chunks that hold text (author, software, comments, XMP), EXIF or the time the picture was last changed. */
const PNG_METADATA = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

/**
 * The PNG without its metadata chunks, nor anything after its end chunk; undefined when its chunks cannot be read
 * (one runs past the end, or there is no end chunk). `emptied` counts the chunks removed, and the trailing bytes.
 */
function stripPngMetadata(bytes: Uint8Array): { bytes: Uint8Array; emptied: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  let emptied = 0;
  let at = 8;
  for (;;) {
    if (at + 12 > bytes.length) return undefined;
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (length > 0x7fffffff || !/^[A-Za-z]{4}$/.test(type)) return undefined;
    const end = at + 12 + length;
    if (end > bytes.length) return undefined;
    if (PNG_METADATA.has(type)) emptied += 1;
    else parts.push(bytes.subarray(at, end));
    at = end;
    if (type === 'IEND') break;
  }
  if (at < bytes.length) emptied += 1;
  if (emptied === 0) return { bytes, emptied };
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return { bytes: out, emptied };
}
