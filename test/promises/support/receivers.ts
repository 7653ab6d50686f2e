/**
 * An office's other destinations, captured: an SMTP server that keeps every e-mail, and a webhook receiver that
 * keeps every body. Plus what is needed to read them as an office would: the decoded parts of an e-mail and the
 * text of the PDFs in them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { pdfText } from '../../bot/documents/fixtures.ts';

/** Something a destination received, and when (ms). */
export interface Received {
  at: number;
  text: string;
}

/** A local SMTP server that keeps every message it receives, raw. */
export async function startSmtp(): Promise<{ url: string; messages: string[]; received: Received[]; close(): Promise<void> }> {
  const messages: string[] = [];
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        messages.push(text);
        received.push({ at: Date.now(), text });
        callback();
      });
    },
  });
  // A Netra killed in the middle of a message resets the connection: nothing to report.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, messages, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A webhook receiver that accepts everything and keeps the bodies. */
export async function startWebhookReceiver(): Promise<{ url: string; bodies: string[]; received: Received[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    // A Netra killed in the middle of a delivery resets the connection: that delivery did not happen.
    req.on('error', () => undefined);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      bodies.push(text);
      received.push({ at: Date.now(), text });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/netra`,
    bodies,
    received,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Encoded words in headers (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`), decoded. */
function decodeHeaders(headers: string): string {
  return headers.replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_, _charset: string, encoding: string, value: string) =>
    encoding.toUpperCase() === 'B' ? Buffer.from(value, 'base64').toString('utf8') : decodeQuotedPrintable(value.replace(/_/g, ' ')),
  );
}

/** Everything an e-mail says, decoded: headers, every text part, and the text of every PDF attached. */
export async function readEmail(raw: string): Promise<string> {
  const boundaries = [...raw.matchAll(/boundary="?([^";\r\n]+)"?/gi)].map((m) => m[1]!);
  const chunks = boundaries.length === 0 ? [raw] : raw.split(new RegExp(`\\r?\\n?--(?:${boundaries.map(escapeRegExp).join('|')})(?:--)?\\r?\\n`));
  const out: string[] = [];
  for (const chunk of chunks) {
    const split = chunk.search(/\r?\n\r?\n/);
    const headers = split < 0 ? chunk : chunk.slice(0, split);
    const body = split < 0 ? '' : chunk.slice(split).trim();
    out.push(decodeHeaders(headers));
    const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
    const decoded =
      encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : encoding === 'quoted-printable' ? Buffer.from(decodeQuotedPrintable(body)) : Buffer.from(body);
    if (/content-type:\s*application\/pdf/i.test(headers)) out.push((await pdfText(decoded)).text);
    else if (/content-type:\s*text\//i.test(headers)) out.push(decoded.toString('utf8'));
  }
  return out.join('\n');
}

/** Everything a webhook body says, with the PDF it carries read as text. */
export async function readWebhookBody(body: string): Promise<string> {
  const parsed = JSON.parse(body) as { pdf?: { base64?: string } };
  const pdf = parsed.pdf?.base64 ? (await pdfText(Buffer.from(parsed.pdf.base64, 'base64'))).text : '';
  return `${body}\n${pdf}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
