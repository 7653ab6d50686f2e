import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWhatsAppChannel, type WhatsAppChannel } from '../../../../bot/channels/whatsapp/whatsappChannel.ts';
import { DeliveryError } from '../../../../bot/errors.ts';
import { say, type StoredMedia } from '../../../../flows/messages.ts';
import { createHarness, type Harness } from '../../../support/chatHarness.ts';
import { storeKinds } from '../../../support/testDatabase.ts';
import { FakeWhatsAppClient } from './fakeWhatsAppClient.ts';
import { waitFor } from './waitFor.ts';

/** The document-cleaning thread, as if it could not run while `down` is set. */
const cleaning = vi.hoisted(() => ({ down: false }));
vi.mock('../../../../bot/media/documentCleaning.ts', async (original) => {
  const actual = await original<typeof import('../../../../bot/media/documentCleaning.ts')>();
  return {
    ...actual,
    cleanDocument: (...args: Parameters<typeof actual.cleanDocument>) =>
      cleaning.down ? Promise.resolve({ ok: false as const, reason: 'unavailable' as const }) : actual.cleanDocument(...args),
  };
});

describe.each(storeKinds)('WhatsApp channel over a fake client (%s)', (kind) => {
  let h: Harness;
  let client: FakeWhatsAppClient;
  let channel: WhatsAppChannel;
  let chatNo = 0;
  /** A fresh private chat id per test. */
  const newChat = () => `62812000${(chatNo += 1).toString().padStart(4, '0')}@c.us`;
  const sendText = async (from: string, body: string) => {
    client.text(from, body);
    await channel.idle();
    return client.textsTo(from).at(-1) ?? '';
  };

  beforeAll(async () => {
    h = await createHarness(kind);
    client = new FakeWhatsAppClient('ready');
    channel = await startWhatsAppChannel(h.app, {
      createClient: () => client,
      perChatIntervalMs: 1,
      messagesPerMinute: 60_000,
      terminal: null,
    });
    await waitFor(() => channel.state() === 'ready');
  });
  afterAll(async () => {
    await h.close();
  });

  it('greets a new user with the menu as numbered lines and a hint to reply with a number', async () => {
    const chat = newChat();
    const reply = await sendText(chat, 'halo');
    expect(client.textsTo(chat)).toHaveLength(1);
    expect(reply).toMatch(/^Selamat datang di \*Netra\* 👋/);
    expect(reply).toContain('Apa yang ingin Anda lakukan?\n\n1. Laporkan pelanggaran\n2. Kuis netralitas ASN');
    expect(reply).toContain('6. Bantuan\n\n_Balas dengan angka 1–6._');
    expect(client.sent.at(-1)?.options).toMatchObject({ linkPreview: false });
  });

  it('understands a choice typed as its number', async () => {
    const chat = newChat();
    await sendText(chat, 'halo');
    const reply = await sendText(chat, '6');
    expect(reply).toContain('Pilih salah satu menu dengan membalas angkanya');
    expect(reply).toContain('_Balas dengan angka 1–6._');
  });

  it('answers the keywords bantuan, bahasa, menu and batal typed as whole messages', async () => {
    const chat = newChat();
    await sendText(chat, 'halo');
    const help = await sendText(chat, 'bantuan');
    expect(help).toContain('Pilih salah satu menu dengan membalas angkanya');
    expect(help).toContain('_Balas dengan angka 1–6._');
    const unknown = await sendText(chat, '/apaini');
    expect(unknown).toContain('Perintah /apaini tidak saya kenali. Ketik *bantuan*');
    const english = await sendText(chat, 'Bahasa');
    expect(english).toContain('Language switched to English. Type *language* to switch back');
    expect(english).toContain('1. Report a violation');
    const menu = await sendText(chat, 'menu');
    expect(menu).toMatch(/^What would you like to do\?/);
    const cancelled = await sendText(chat, 'batal');
    expect(cancelled).toContain('1. Report a violation');
    const slash = await sendText(chat, '/bahasa');
    expect(slash).toContain('Bahasa diganti ke Bahasa Indonesia');
  });

  it('stores a photo before the turn and hands the flow the stored, stripped file with its caption', async () => {
    const chat = newChat();
    const bytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00' } })
      .jpeg()
      .withExif({ IFD0: { Artist: 'saksi' } })
      .toBuffer();
    const handle = vi.spyOn(h.app.runtime, 'handle');
    client.receive({ from: chat, type: 'image', body: 'Camat di acara kampanye' }, { mimetype: 'image/jpeg', data: bytes.toString('base64') });
    await channel.idle();
    const event = handle.mock.calls.at(-1)?.[1];
    handle.mockRestore();
    expect(event?.type).toBe('user.sendMedia');
    const media = (event as { media: StoredMedia }).media;
    expect(media).toMatchObject({ kind: 'photo', mime: 'image/jpeg', size: bytes.length, caption: 'Camat di acara kampanye' });
    expect(readFileSync(path.join(h.dataDir, media.path))).toEqual(bytes);
    expect(media.strippedPath && existsSync(path.join(h.dataDir, media.strippedPath))).toBe(true);
    expect(client.textsTo(chat).length).toBeGreaterThan(0);
  });

  it('takes voice notes, documents and locations as evidence events', async () => {
    const chat = newChat();
    const handle = vi.spyOn(h.app.runtime, 'handle');
    const voice = Buffer.from('OggS fake opus voice note');
    client.receive({ from: chat, type: 'ptt' }, { mimetype: 'audio/ogg; codecs=opus', data: voice.toString('base64') });
    const pdf = Buffer.from('%PDF-1.4 surat edaran');
    client.receive({ from: chat, type: 'document' }, { mimetype: 'application/pdf', data: pdf.toString('base64'), filename: '../surat edaran.pdf' });
    client.receive({ from: chat, type: 'location', location: { latitude: -2.1, longitude: 106.1 } });
    await channel.idle();
    const events = handle.mock.calls.map((call) => call[1]);
    handle.mockRestore();
    expect(events[0]).toMatchObject({ type: 'user.sendMedia', media: { kind: 'voice', mime: 'audio/ogg', path: expect.stringMatching(/\.ogg$/) } });
    expect(events[1]).toMatchObject({ type: 'user.sendMedia', media: { kind: 'document', mime: 'application/pdf', fileName: 'surat edaran.pdf' } });
    expect(events[2]).toEqual({ type: 'user.sendLocation', latitude: -2.1, longitude: 106.1 });
  });

  it('asks for a document again later when its cleaning cannot run, rather than keeping it uncleaned', async () => {
    const chat = newChat();
    const handle = vi.spyOn(h.app.runtime, 'handle');
    cleaning.down = true;
    try {
      client.receive({ from: chat, type: 'document' }, { mimetype: 'application/pdf', data: Buffer.from('%PDF-1.4 kronologi').toString('base64'), filename: 'kronologi.pdf' });
      await channel.idle();
    } finally {
      cleaning.down = false;
    }
    expect(handle.mock.calls.at(-1)?.[1]).toEqual({ type: 'user.sendUnavailableMedia', kind: 'document', reason: 'notProcessed' });
    handle.mockRestore();
  });

  it('tells the flow when a file could not be downloaded', async () => {
    const chat = newChat();
    const handle = vi.spyOn(h.app.runtime, 'handle');
    const broken = client.receive({ from: chat, type: 'video', hasMedia: true });
    broken.downloadMedia = () => Promise.reject(new Error(`download of ${chat} failed`));
    await channel.idle();
    expect(handle.mock.calls.at(-1)?.[1]).toEqual({ type: 'user.sendUnavailableMedia', kind: 'video', reason: 'downloadFailed' });
    handle.mockRestore();
  });

  it('ignores group chats, status broadcasts and its own messages', async () => {
    const handle = vi.spyOn(h.app.runtime, 'handle');
    const before = client.sent.length;
    client.receive({ from: '120363025555555555@g.us', body: 'menu' });
    client.receive({ from: 'status@broadcast', body: 'menu', isStatus: true });
    client.receive({ from: newChat(), body: 'menu', fromMe: true });
    await channel.idle();
    expect(handle).not.toHaveBeenCalled();
    handle.mockRestore();
    expect(client.sent.length).toBe(before);
  });

  it('answers a message delivered twice only once', async () => {
    const chat = newChat();
    const message = client.text(chat, 'halo');
    client.emit('message', { ...message });
    await channel.idle();
    expect(client.textsTo(chat)).toHaveLength(1);
  });

  it('delivers an officer question, a status update and a certificate to a WhatsApp reporter through app.senders', async () => {
    const chat = newChat();
    await sendText(chat, 'halo');
    client.clear();
    const sender = h.app.senders.get('whatsapp');
    expect(sender?.channel).toBe('whatsapp');
    const certificate = path.join(h.dataDir, 'certificates', 'NTR-TEST.pdf');
    mkdirSync(path.dirname(certificate), { recursive: true });
    writeFileSync(certificate, '%PDF-1.4 certificate');
    await sender?.send(
      chat,
      [
        { type: 'text', text: { literal: 'Petugas bertanya: <di mana kejadiannya?>' } },
        say('menu.welcomeBack'),
        { type: 'document', path: 'certificates/NTR-TEST.pdf', fileName: 'sertifikat-netra.pdf', caption: { key: 'menu.title' } },
      ],
      'id',
    );
    expect(client.sent.map((s) => s.chatId)).toEqual([chat, chat]);
    expect(client.sent[0]?.text).toBe('Petugas bertanya: <di mana kejadiannya?>\n\nSelamat datang kembali di Netra.');
    expect(client.sent[1]?.media).toMatchObject({ mimetype: 'application/pdf', filename: 'sertifikat-netra.pdf' });
    expect(Buffer.from(client.sent[1]?.media?.data ?? '', 'base64').toString()).toBe('%PDF-1.4 certificate');
    expect(client.sent[1]?.options).toMatchObject({ sendMediaAsDocument: true, caption: 'Menu utama' });
  });

  it('refuses to send a file from outside the data directory, permanently', async () => {
    const sender = h.app.senders.get('whatsapp');
    const attempt = sender?.send(newChat(), [{ type: 'document', path: '../../etc/passwd', fileName: 'x' }], 'id');
    await expect(attempt).rejects.toMatchObject({ name: 'DeliveryError', permanent: true });
  });

  it('reports a failed send as a delivery error that may be retried', async () => {
    client.sendError = new Error('Evaluation failed: chat 6281200000001@c.us not found');
    const attempt = h.app.senders.get('whatsapp')?.send(newChat(), [say('menu.title')], 'id');
    await expect(attempt).rejects.toBeInstanceOf(DeliveryError);
    await expect(attempt).rejects.toMatchObject({ permanent: false, message: expect.not.stringContaining('6281200000001') });
    client.sendError = undefined;
  });

  it('tells the user to try again when the turn fails', async () => {
    const chat = newChat();
    const handle = vi.spyOn(h.app.runtime, 'handle').mockRejectedValueOnce(new Error('database is down'));
    const reply = await sendText(chat, 'halo');
    handle.mockRestore();
    expect(reply).toContain('Maaf, terjadi gangguan di sisi kami');
  });
});

describe('A WhatsApp chat over its message limit', () => {
  it('is told to slow down, and the files it floods in are not downloaded', async () => {
    const h = await createHarness('pglite', { env: { RATE_LIMIT_PER_MINUTE: '2' } });
    const client = new FakeWhatsAppClient('ready');
    const channel = await startWhatsAppChannel(h.app, { createClient: () => client, perChatIntervalMs: 1, messagesPerMinute: 60_000, terminal: null });
    try {
      await waitFor(() => channel.state() === 'ready');
      const chat = '6281299990001@c.us';
      client.text(chat, 'halo');
      client.text(chat, 'halo');
      await channel.idle();
      let downloads = 0;
      const photo = client.receive({ from: chat, type: 'image', hasMedia: true });
      photo.downloadMedia = async () => {
        downloads += 1;
        return { mimetype: 'image/jpeg', data: Buffer.from('flood').toString('base64') };
      };
      await channel.idle();
      expect(downloads).toBe(0);
      expect(client.textsTo(chat).at(-1)).toContain('terlalu cepat');
    } finally {
      await channel.stop();
      await h.close();
    }
  });
});
