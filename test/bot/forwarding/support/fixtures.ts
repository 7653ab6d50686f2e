/**
 * Test doubles for forwarding: tickets written the way the report flow writes them (ticket, evidence, the
 * `submitted` event and ONE `ticket.forward` outbox row in one transaction), a recording OfficeMessenger, and a
 * recording ChannelSender for reporters, a webhook receiver, and officers pressing buttons and replying.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import sharp from 'sharp';
import type { Locale } from '../../../../content/locales/index.ts';
import type { OutboundMessage, StoredMedia } from '../../../../flows/messages.ts';
import type { App } from '../../../../bot/app.ts';
import type { ChannelSender } from '../../../../bot/channels/channelSender.ts';
import { toPlainText } from '../../../../bot/i18n.ts';
import { enqueueOutbox, ticketForwardRow } from '../../../../bot/forwarding/outbox.ts';
import { verifyWebhookSignature } from '../../../../bot/forwarding/webhook.ts';
import type { OfficerEffect, OfficerUpdate } from '../../../../bot/officers/officerDesk.ts';
import type { OfficeFile, OfficeKeyboard, OfficeMessenger, SendTextOptions } from '../../../../bot/officers/officeMessenger.ts';

/** One call the fake messenger received. */
export interface MessengerCall {
  method: 'sendText' | 'sendDocument' | 'answerCallback' | 'editKeyboard';
  chatId?: string;
  html?: string;
  text?: string;
  keyboard?: OfficeKeyboard | null;
  forceReply?: boolean;
  file?: { fileName: string; sha256: string; bytes: Buffer; mime?: string };
  callbackId?: string;
  alert?: boolean;
  messageId: number;
}

/** Records what would be sent to office chats; `failOn` injects a failure before a matching call. */
export class FakeOfficeMessenger implements OfficeMessenger {
  readonly calls: MessengerCall[] = [];
  failOn: ((call: MessengerCall) => Error | undefined) | undefined;
  private nextId = 100;

  async sendText(chatId: string, html: string, options: SendTextOptions = {}): Promise<{ messageId: number }> {
    return this.record({
      method: 'sendText',
      chatId,
      html,
      text: toPlainText(html),
      ...(options.keyboard ? { keyboard: options.keyboard } : {}),
      ...(options.forceReply ? { forceReply: true } : {}),
      messageId: this.nextId,
    });
  }

  async sendDocument(chatId: string, file: OfficeFile, captionHtml?: string): Promise<{ messageId: number }> {
    const { readFileSync } = await import('node:fs');
    const bytes = file.bytes ?? readFileSync(file.path!);
    return this.record({
      method: 'sendDocument',
      chatId,
      ...(captionHtml ? { html: captionHtml, text: toPlainText(captionHtml) } : {}),
      file: { fileName: file.fileName, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), ...(file.mime ? { mime: file.mime } : {}) },
      messageId: this.nextId,
    });
  }

  async answerCallback(callbackId: string, text?: string, alert?: boolean): Promise<void> {
    await this.record({ method: 'answerCallback', callbackId, ...(text ? { text } : {}), ...(alert ? { alert } : {}), messageId: 0 });
  }

  async editKeyboard(chatId: string, messageId: number, keyboard: OfficeKeyboard | null): Promise<void> {
    await this.record({ method: 'editKeyboard', chatId, keyboard, messageId });
  }

  /** Calls to one chat. */
  to(chatId: string): MessengerCall[] {
    return this.calls.filter((c) => c.chatId === chatId);
  }

  private async record(call: MessengerCall): Promise<{ messageId: number }> {
    const failure = this.failOn?.(call);
    if (failure) throw failure;
    this.calls.push(call);
    this.nextId += 1;
    return { messageId: call.messageId };
  }
}

/** A reporter-side channel that records rendered messages per chat id. */
export class RecordingSender implements ChannelSender {
  readonly sent: Array<{ chatId: string; locale: Locale; texts: string[] }> = [];
  constructor(
    private readonly app: App,
    readonly channel: ChannelSender['channel'] = 'terminal',
  ) {}

  async send(chatId: string, messages: OutboundMessage[], locale: Locale): Promise<void> {
    this.sent.push({ chatId, locale, texts: messages.map((m) => toPlainText(this.app.renderer.message(m, locale).text)) });
  }

  /** Everything one chat received, joined. */
  textsFor(chatId: string): string {
    return this.sent.filter((s) => s.chatId === chatId).flatMap((s) => s.texts).join('\n---\n');
  }
}

/** A real one-page PDF with no metadata (nothing for the evidence store to clean), its text naming the ticket. */
async function evidenceDocument(code: string): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.addPage([300, 200]).drawText(`Surat edaran ${code}`, { x: 20, y: 100, size: 12 });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A small JPEG with EXIF (camera make and GPS would be there in real life). */
export async function photoBytes(seed = 1): Promise<Buffer> {
  return sharp({ create: { width: 8, height: 8, channels: 3, background: { r: seed * 20, g: 100, b: 50 } } })
    .jpeg()
    .withExif({ IFD0: { Make: 'TestCam', Model: `Model ${seed}` } })
    .toBuffer();
}

export interface TicketInput {
  kind?: 'tip' | 'formal';
  officeCode?: string;
  chatId?: string;
  locale?: Locale;
  code?: string;
  createdAt?: Date;
  withFiles?: boolean;
  /** The reported person's employment status as the report flow stores it (default `pns`). */
  employment?: string;
  /** More evidence, as the evidence store returned it (after the photo and the document). */
  media?: StoredMedia[];
}

let codeCounter = 0;

/** A fresh ticket code (`NTR-` + 4 + `-` + 4). */
export function nextCode(): string {
  codeCounter += 1;
  const tail = String(codeCounter).padStart(4, '0').replace(/0/g, 'Z').replace(/1/g, 'Y');
  return `NTR-${randomBytes(2).toString('hex').toUpperCase().replace(/0/g, 'A').replace(/1/g, 'B')}-${tail}`;
}

/**
 * Writes a ticket as the report flow does, with a photo (and its stripped copy) and a PDF document as evidence,
 * plus a link; the reporter's chat exists on the terminal channel. Returns ids for assertions.
 */
export async function createTicket(app: App, input: TicketInput = {}) {
  const chatId = input.chatId ?? `reporter-${randomBytes(3).toString('hex')}`;
  const chatKey = app.runtime.chatKey({ channel: 'terminal', chatId });
  const officeCode = input.officeCode ?? '19.05';
  const code = input.code ?? nextCode();
  const kind = input.kind ?? 'tip';
  const createdAt = input.createdAt ?? new Date('2026-11-22T03:00:00.000Z');
  const files: Array<{ kind: string; mime: string; fileName: string; path: string; strippedPath?: string; sha256: string; size: number }> = [];
  if (input.withFiles !== false) {
    const photo = await photoBytes(codeCounter);
    const photoSha = createHash('sha256').update(photo).digest('hex');
    const stripped = await sharp(photo).jpeg().toBuffer();
    const doc = await evidenceDocument(code);
    const docSha = createHash('sha256').update(doc).digest('hex');
    const write = (relative: string, bytes: Buffer) => {
      const absolute = path.join(app.dataDir, relative);
      mkdirSync(path.dirname(absolute), { recursive: true });
      writeFileSync(absolute, bytes);
    };
    write(`evidence/${photoSha.slice(0, 2)}/${photoSha}.jpg`, photo);
    write(`evidence/${photoSha.slice(0, 2)}/${photoSha}.clean.jpg`, stripped);
    write(`evidence/${docSha.slice(0, 2)}/${docSha}.pdf`, doc);
    files.push({
      kind: 'photo',
      mime: 'image/jpeg',
      fileName: 'foto-kampanye.jpg',
      path: `evidence/${photoSha.slice(0, 2)}/${photoSha}.jpg`,
      strippedPath: `evidence/${photoSha.slice(0, 2)}/${photoSha}.clean.jpg`,
      sha256: photoSha,
      size: photo.length,
    });
    files.push({
      kind: 'document',
      mime: 'application/pdf',
      fileName: 'surat-edaran.pdf',
      path: `evidence/${docSha.slice(0, 2)}/${docSha}.pdf`,
      // A PDF with no metadata is its own clean copy, as the evidence store records it.
      strippedPath: `evidence/${docSha.slice(0, 2)}/${docSha}.pdf`,
      sha256: docSha,
      size: doc.length,
    });
  }
  for (const m of input.media ?? []) {
    files.push({
      kind: m.kind,
      mime: m.mime ?? 'application/octet-stream',
      fileName: m.fileName ?? `berkas-${files.length + 1}`,
      path: m.path,
      ...(m.strippedPath ? { strippedPath: m.strippedPath } : {}),
      sha256: m.sha256,
      size: m.size,
    });
  }
  const prisma = app.store.prisma;
  const ticket = await prisma.$transaction(async (tx) => {
    await tx.chat.upsert({
      where: { key: chatKey },
      create: {
        key: chatKey,
        channel: 'terminal',
        addressEnc: app.secrets.encrypt(`terminal:${chatId}`),
        locale: input.locale ?? 'id',
      },
      update: {},
    });
    const created = await tx.ticket.create({
      data: {
        code,
        kind,
        category: 'attending-campaign',
        officeCode,
        regencyCode: officeCode.includes('.') ? officeCode : null,
        provinceCode: officeCode.slice(0, 2),
        reporterChatKey: chatKey,
        pseudonym: 'Pelapor Elang-42',
        receiptHash: 'scrypt$test',
        locale: input.locale ?? 'id',
        details: {
          kind,
          category: 'attending-campaign',
          convertedFromFormal: false,
          terlapor: { name: 'Budi Santoso', position: 'Kepala Seksi', agency: 'Dinas Pendidikan', employment: input.employment ?? 'pns' },
          place: { provinceCode: officeCode.slice(0, 2), regencyCode: officeCode, districtCode: null },
          placeDetail: 'Lapangan kantor camat',
          location: { latitude: -1.85, longitude: 105.2 },
          description: 'Terlapor hadir dan berorasi di kampanye calon bupati nomor urut 2 pada siang hari.',
        },
        reporterIdentityEnc:
          kind === 'formal'
            ? app.secrets.encryptJson({ name: 'Siti Aminah', address: 'Jl. Merdeka 1, Muntok', phone: '+6281234567890', email: 'siti@example.org' })
            : null,
        witnessesEnc: kind === 'formal' ? app.secrets.encryptJson([{ name: 'Andi', contact: '+6281111111111' }]) : null,
        eventDate: new Date('2026-11-20T00:00:00.000Z'),
        learnedDate: new Date('2026-11-21T00:00:00.000Z'),
        deadline: new Date('2026-11-28T00:00:00.000Z'),
        createdAt,
        evidence: {
          create: [
            // Distinct instants, as the report flow gives them, keep the reporter's order.
            ...files.map((f, i) => ({ ...f, createdAt: new Date(createdAt.getTime() + i) })),
            { kind: 'link', url: 'https://example.org/post/123', createdAt: new Date(createdAt.getTime() + files.length) },
          ],
        },
        events: { create: [{ type: 'submitted', status: 'received', actor: 'reporter', createdAt }] },
      },
    });
    await enqueueOutbox(tx, [ticketForwardRow(created.id, officeCode)], createdAt);
    return created;
  });
  return { ticket, chatId, chatKey, files };
}

/** One POST the webhook receiver got: its body, whether its signature matched, its headers and event name. */
export interface WebhookDelivery {
  body: string;
  valid: boolean;
  headers: http.IncomingHttpHeaders;
  event: string | undefined;
}

/** A webhook receiver that checks each delivery's signature with the office's secret (set `secret.value`). */
export async function startWebhookReceiver(): Promise<{
  url: string;
  received: WebhookDelivery[];
  secret: { value: string };
  close(): Promise<void>;
}> {
  const received: WebhookDelivery[] = [];
  const secret = { value: '' };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const valid = verifyWebhookSignature(secret.value, body, req.headers['x-netra-signature'] as string | undefined);
      received.push({ body, valid, headers: req.headers, event: req.headers['x-netra-event'] as string | undefined });
      res.statusCode = valid ? 204 : 401;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/netra`,
    received,
    secret,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Officers using the desk as Telegram delivers their updates: a message, a button press, and a reply to the prompt
 * an effect list contains. A chat id starting with "-" is a group; `names` gives each user's display name.
 */
export function officerUpdates(desk: () => { handle(update: OfficerUpdate): Promise<OfficerEffect[] | null> }, names: Record<string, string>) {
  let callbackNo = 0;
  let messageNo = 0;
  const chatTypeOf = (chatId: string) => (chatId.startsWith('-') ? 'supergroup' : 'private') as OfficerUpdate['chatType'];
  const message = (userId: string, chatId: string, text: string, replyTo?: OfficerUpdate['replyTo']): OfficerUpdate => ({
    userId,
    displayName: names[userId]!,
    chatId,
    chatType: chatTypeOf(chatId),
    text,
    messageId: (messageNo += 1),
    ...(replyTo ? { replyTo } : {}),
  });
  const press = (userId: string, chatId: string, data: string) =>
    desk().handle({
      userId,
      displayName: names[userId]!,
      chatId,
      chatType: chatTypeOf(chatId),
      callback: { id: `cb${(callbackNo += 1)}`, data, messageId: 50 },
    });
  /** Replies, in the chat it was sent to, to the prompt an effect list contains. */
  const reply = (effects: OfficerEffect[] | null, userId: string, text: string) => {
    const prompt = (effects ?? []).find((e) => e.type === 'send' && e.forceReply);
    if (!prompt || prompt.type !== 'send') throw new Error('no prompt');
    return desk().handle(message(userId, prompt.chatId, text, { fromBot: true, text: toPlainText(prompt.html), messageId: 90 }));
  };
  return { message, press, reply };
}
