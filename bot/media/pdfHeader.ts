/**
 * Whether bytes are a PDF as readers take one: its header within the first kilobyte (readers skip what comes before).
 * Apart from pdfMetadata.ts, so that the evidence store can ask without loading the PDF library on the main thread.
 */
export function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).includes('%PDF-');
}
