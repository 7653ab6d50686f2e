/**
 * Fetches a file a user sent through getFile. The cloud Bot API serves files up to 20 MB; a self-hosted Bot API
 * server in local mode answers with a path on its own disk instead of a URL, which is read directly.
 */
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { TelegramError, type Telegram } from 'telegraf';

/** Telegram's limit on files a bot may download from the cloud Bot API. */
export const BOT_API_DOWNLOAD_LIMIT = 20 * 1024 * 1024;

/** The file is larger than the bot may fetch. */
export class FileTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`File over ${limit} bytes`);
    this.name = 'FileTooLargeError';
  }
}

export interface DownloadOptions {
  maxBytes: number;
  timeoutMs?: number;
}

/** Downloads a file by its file_id. Throws FileTooLargeError past `maxBytes`, other errors when it fails. */
export async function downloadTelegramFile(telegram: Telegram, fileId: string, options: DownloadOptions): Promise<Buffer> {
  let link: URL;
  try {
    link = await telegram.getFileLink(fileId);
  } catch (error) {
    if (error instanceof TelegramError && /file is too big/i.test(error.description)) {
      throw new FileTooLargeError(options.maxBytes);
    }
    throw error;
  }
  if (link.protocol === 'file:') {
    const path = fileURLToPath(link);
    if ((await stat(path)).size > options.maxBytes) throw new FileTooLargeError(options.maxBytes);
    return readFile(path);
  }
  const response = await fetch(link, { signal: AbortSignal.timeout(options.timeoutMs ?? 120_000) });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`File download failed with HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body.cancel();
    throw new FileTooLargeError(options.maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > options.maxBytes) throw new FileTooLargeError(options.maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
