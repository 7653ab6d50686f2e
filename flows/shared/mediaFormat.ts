/**
 * Which files Netra cleans of their metadata before officers receive them: photos (re-encoded without EXIF, GPS and
 * XMP) and videos in the MP4/QuickTime format (their metadata boxes emptied). Such a file without its clean copy is
 * kept but never sent.
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

/** Whether a file is a photo, re-encoded before it is sent. */
export function isPhotoFile(file: FileFacts): boolean {
  return file.kind === 'photo' || file.mime?.startsWith('image/') === true;
}

/** Whether a file reaches officers only as its clean copy. */
export function mustBeCleaned(file: FileFacts): boolean {
  return isPhotoFile(file) || isMovieFormat(file);
}
