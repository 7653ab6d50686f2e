/**
 * Which files Netra cleans of their metadata before officers receive them: photos (re-encoded without EXIF, GPS and
 * XMP), videos in the MP4/QuickTime format (their metadata boxes emptied), PDFs and Office documents (rewritten
 * without their author's data). Such a file without its clean copy is kept but never sent.
 */

/** A file as the evidence store and the database describe it. */
export interface FileFacts {
  kind: string;
  mime?: string | null | undefined;
  fileName?: string | null | undefined;
  /**
   * Where the evidence store keeps it: its extension says what the file's content is, whatever its name or MIME
   * type claim (see mediaStore.ts), and decides.
   */
  path?: string | null | undefined;
}

/** Videos, and sound recorded in the same format (a phone's voice memo carries the same location boxes). */
const MOVIE_EXTENSIONS = new Set(['mp4', 'mov', 'm4v', '3gp', 'm4a']);
/** Pictures re-encoded without their metadata (GIF is not: it is kept back, as a photo that cannot be cleaned). */
export const PHOTO_EXTENSIONS: ReadonlySet<string> = new Set(['jpg', 'jpeg', 'png', 'webp', 'tif', 'tiff', 'heic', 'heif', 'avif']);
/** Office documents in the formats that can be cleaned: Word, Excel and PowerPoint since 2007, and OpenDocument. */
const OFFICE_EXTENSIONS = new Set([
  'docx', 'docm', 'dotx', 'dotm', 'xlsx', 'xlsm', 'xltx', 'xltm', 'pptx', 'pptm', 'ppsx', 'ppsm', 'potx', 'potm',
  'odt', 'ods', 'odp', 'odg', 'ott', 'ots', 'otp', 'otg',
]);
/**
 * Formats that carry their author too and cannot be cleaned: Office 97–2003 and other compound files (`cfb`, as the
 * store names one it cannot tell apart), WPS Office's own, Excel's binary workbook, RTF.
 */
const LEGACY_EXTENSIONS = new Set(['doc', 'dot', 'xls', 'xlt', 'ppt', 'pps', 'pot', 'msg', 'pub', 'wps', 'et', 'dps', 'xlsb', 'rtf', 'cfb']);

/** The extension of a name or path, in lower case ('' without one). */
export function extensionOf(fileName: string | null | undefined): string {
  const base = fileName ? fileName.slice(fileName.lastIndexOf('/') + 1) : '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** The stored extension, when the file is stored. */
function storedExtension(file: FileFacts): string | undefined {
  return file.path ? extensionOf(file.path) : undefined;
}

/** Whether a file may be a video (or sound) in the MP4/QuickTime format. `ext` is its stored extension, if known. */
export function isMovieFormat(file: FileFacts, ext?: string): boolean {
  return (
    file.kind === 'video' ||
    file.kind === 'animation' ||
    file.mime?.startsWith('video/') === true ||
    file.mime === 'audio/mp4' ||
    MOVIE_EXTENSIONS.has(ext ?? extensionOf(file.fileName)) ||
    MOVIE_EXTENSIONS.has(storedExtension(file) ?? '')
  );
}

/** A document format by extension: see `documentFormat`. */
export function documentFormatOf(extension: string): 'pdf' | 'office' | 'legacy' | undefined {
  if (extension === 'pdf') return 'pdf';
  if (OFFICE_EXTENSIONS.has(extension)) return 'office';
  if (LEGACY_EXTENSIONS.has(extension)) return 'legacy';
  return undefined;
}

/**
 * A document's format as far as its cleaning goes: `pdf`, `office` (a ZIP of XML parts), `legacy` (Word 97–2003 and
 * the like: kept, never sent), or `undefined` for any other file. A stored file is known by its stored extension
 * (`ext`, or its path's), which the store gives by its content; a file not stored yet by its MIME type and name.
 */
export function documentFormat(file: FileFacts, ext?: string): 'pdf' | 'office' | 'legacy' | undefined {
  const stored = ext ?? storedExtension(file);
  if (stored !== undefined) return documentFormatOf(stored);
  const mime = file.mime ?? '';
  if (mime === 'application/pdf') return 'pdf';
  if (mime.startsWith('application/vnd.openxmlformats-officedocument.') || mime.startsWith('application/vnd.oasis.opendocument.')) return 'office';
  if (mime === 'application/msword' || mime === 'application/vnd.ms-excel' || mime === 'application/vnd.ms-powerpoint') return 'legacy';
  return documentFormatOf(extensionOf(file.fileName));
}

/** Whether a file is a photo, re-encoded before it is sent. */
export function isPhotoFile(file: FileFacts): boolean {
  return file.kind === 'photo' || file.mime?.startsWith('image/') === true || PHOTO_EXTENSIONS.has(storedExtension(file) ?? '');
}

/** Whether an extension is one of a format that reaches officers only as its clean copy. */
export function isCleanedExtension(extension: string): boolean {
  return PHOTO_EXTENSIONS.has(extension) || MOVIE_EXTENSIONS.has(extension) || documentFormatOf(extension) !== undefined;
}

/** Whether a file reaches officers only as its clean copy. */
export function mustBeCleaned(file: FileFacts): boolean {
  return isPhotoFile(file) || isMovieFormat(file) || documentFormat(file) !== undefined;
}

/** A stored file as the flows have it: its clean copy, if one could be made. */
export interface StoredFileFacts extends FileFacts {
  strippedPath?: string | null | undefined;
}

/**
 * What the reporter is told of a file kept but not sent, as its metadata could not be removed (a document is asked
 * for as a PDF or pictures of its pages, a photo or video as an ordinary one); `undefined` for a file that goes out.
 */
export function notCleanedNotice(file: StoredFileFacts): 'common.media.notCleaned' | 'common.media.documentNotCleaned' | undefined {
  if (file.strippedPath || !mustBeCleaned(file)) return undefined;
  return documentFormat(file) !== undefined ? 'common.media.documentNotCleaned' : 'common.media.notCleaned';
}
