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
}

/** Videos, and sound recorded in the same format (a phone's voice memo carries the same location boxes). */
const MOVIE_EXTENSIONS = new Set(['mp4', 'mov', 'm4v', '3gp', 'm4a']);

function extensionOf(fileName: string | null | undefined): string {
  const dot = fileName ? fileName.lastIndexOf('.') : -1;
  return dot >= 0 ? fileName!.slice(dot + 1).toLowerCase() : '';
}

/** Whether a file may be a video (or sound) in the MP4/QuickTime format. `ext` is its stored extension, if known. */
export function isMovieFormat(file: FileFacts, ext?: string): boolean {
  return (
    file.kind === 'video' ||
    file.kind === 'animation' ||
    file.mime?.startsWith('video/') === true ||
    file.mime === 'audio/mp4' ||
    MOVIE_EXTENSIONS.has(ext ?? extensionOf(file.fileName))
  );
}

/** Office documents in the formats that can be cleaned: Word, Excel and PowerPoint since 2007, and OpenDocument. */
const OFFICE_EXTENSIONS = new Set(['docx', 'docm', 'dotx', 'xlsx', 'xlsm', 'pptx', 'pptm', 'ppsx', 'odt', 'ods', 'odp', 'odg']);
/** Office's older binary formats, which carry the author too and cannot be cleaned. */
const LEGACY_OFFICE_EXTENSIONS = new Set(['doc', 'dot', 'xls', 'ppt', 'pps']);

/**
 * A document's format as far as its cleaning goes: `pdf`, `office` (a ZIP of XML parts), `legacy` (Word 97–2003 and
 * the like: kept, never sent), or `undefined` for any other file.
 */
export function documentFormat(file: FileFacts, ext?: string): 'pdf' | 'office' | 'legacy' | undefined {
  const extension = ext ?? extensionOf(file.fileName);
  const mime = file.mime ?? '';
  if (mime === 'application/pdf' || extension === 'pdf') return 'pdf';
  if (mime.startsWith('application/vnd.openxmlformats-officedocument.') || mime.startsWith('application/vnd.oasis.opendocument.')) return 'office';
  if (OFFICE_EXTENSIONS.has(extension)) return 'office';
  if (mime === 'application/msword' || mime === 'application/vnd.ms-excel' || mime === 'application/vnd.ms-powerpoint') return 'legacy';
  if (LEGACY_OFFICE_EXTENSIONS.has(extension)) return 'legacy';
  return undefined;
}

/** Whether a file is a photo, re-encoded before it is sent. */
export function isPhotoFile(file: FileFacts): boolean {
  return file.kind === 'photo' || file.mime?.startsWith('image/') === true;
}

/** Whether a file reaches officers only as its clean copy. */
export function mustBeCleaned(file: FileFacts): boolean {
  return isPhotoFile(file) || isMovieFormat(file) || documentFormat(file) !== undefined;
}

/** Whether a file that must be cleaned is a document (its reporter is asked for another form of it than a photo). */
export function isDocumentFile(file: FileFacts): boolean {
  return documentFormat(file) !== undefined;
}
