/**
 * Structured JSON logs (pino) on stderr, so stdout stays free for the terminal chat. Log lines carry no
 * personal data: no message texts, no names, no chat ids in clear (use `chatRef`, a short HMAC prefix).
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Creates the process logger: JSON lines on stderr, or appended to `file`. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', file?: string): Logger {
  return pino(
    {
      level,
      base: { app: 'netra' },
      redact: { paths: ['text', 'name', 'phone', 'address', 'chatId', '*.text', '*.phone'], censor: '[redacted]' },
    },
    file ? pino.destination({ dest: file, mkdir: true, sync: false }) : pino.destination({ fd: 2, sync: false }),
  );
}

/** A short, non-reversible reference to a chat for log lines (first 12 hex chars of its key). */
export function chatRef(chatKey: string): string {
  return chatKey.slice(0, 12);
}
