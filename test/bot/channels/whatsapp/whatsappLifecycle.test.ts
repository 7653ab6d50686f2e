import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startWhatsAppChannel,
  whatsappHealthCheck,
  WhatsAppDisconnectedError,
  WhatsAppInitTimeoutError,
  type WhatsAppChannelOptions,
  type WhatsAppState,
} from '../../../../bot/channels/whatsapp/whatsappChannel.ts';
import { ChromiumNotFoundError } from '../../../../bot/channels/whatsapp/whatsappClient.ts';
import { DeliveryError } from '../../../../bot/errors.ts';
import { createMetrics } from '../../../../bot/http/metrics.ts';
import { say } from '../../../../flows/messages.ts';
import { createHarness, type Harness } from '../../../support/chatHarness.ts';
import { FakeWhatsAppClient, type StartBehaviour } from './fakeWhatsAppClient.ts';
import { waitFor } from './waitFor.ts';

/** A channel whose clients start as scripted, one behaviour per (re)start; the last one repeats. */
async function scripted(h: Harness, behaviours: StartBehaviour[], options: WhatsAppChannelOptions = {}) {
  const clients: FakeWhatsAppClient[] = [];
  const createdAt: number[] = [];
  const states: WhatsAppState[] = [];
  const errors: unknown[] = [];
  const channel = await startWhatsAppChannel(h.app, {
    createClient: () => {
      const client = new FakeWhatsAppClient(behaviours[Math.min(clients.length, behaviours.length - 1)]);
      clients.push(client);
      createdAt.push(Date.now());
      return client;
    },
    backoff: { initialMs: 40, maxMs: 1_000, factor: 2 },
    perChatIntervalMs: 1,
    messagesPerMinute: 60_000,
    terminal: null,
    onStateChange: (state) => states.push(state),
    onError: (error) => errors.push(error),
    ...options,
  });
  return { channel, clients, createdAt, states, errors };
}

describe('WhatsApp client lifecycle', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('pglite');
  });
  afterAll(async () => {
    await h.close();
  });

  it('destroys a client that fails to start and restarts it with growing delays until it is ready', async () => {
    const { channel, clients, createdAt, errors } = await scripted(h, ['reject', 'reject', 'ready']);
    await waitFor(() => channel.state() === 'ready');
    expect(clients).toHaveLength(3);
    expect(clients[0]?.destroyCalls).toBeGreaterThanOrEqual(1);
    expect(clients[1]?.destroyCalls).toBeGreaterThanOrEqual(1);
    expect(clients[2]?.destroyCalls).toBe(0);
    expect(createdAt[1]! - createdAt[0]!).toBeGreaterThanOrEqual(38);
    expect(createdAt[2]! - createdAt[1]!).toBeGreaterThanOrEqual(78);
    expect(String(errors[0])).toContain('ERR_NAME_NOT_RESOLVED');
    expect(h.app.senders.get('whatsapp')).toBeDefined();
    await channel.stop();
    expect(h.app.senders.get('whatsapp')).toBeUndefined();
    expect(clients[2]?.destroyCalls).toBe(1);
  });

  it('reports a disconnect, refuses to send meanwhile, and comes back with a new client', async () => {
    const { channel, clients, states } = await scripted(h, ['ready'], { backoff: { initialMs: 150, maxMs: 1_000 } });
    await waitFor(() => channel.state() === 'ready');
    clients[0]?.emit('disconnected', 'LOGOUT');
    expect(channel.state()).toBe('disconnected');
    const sending = h.app.senders.get('whatsapp')?.send('6281299990000@c.us', [say('menu.title')], 'id');
    await expect(sending).rejects.toBeInstanceOf(DeliveryError);
    await expect(sending).rejects.toMatchObject({ permanent: false });
    await waitFor(() => clients[0]!.destroyCalls > 0);
    await waitFor(() => channel.state() === 'ready');
    expect(clients).toHaveLength(2);
    expect(states).toEqual(['ready', 'disconnected', 'starting', 'ready']);
    // Late events of the replaced client change nothing.
    clients[0]?.emit('disconnected', 'CONFLICT');
    expect(channel.state()).toBe('ready');
    await channel.stop();
    expect(channel.state()).toBe('disconnected');
  });

  it('gives up on an initialize() that never settles, destroys that client and tries again', async () => {
    const { channel, clients, errors } = await scripted(h, ['hang', 'ready'], { initTimeoutMs: 50 });
    await waitFor(() => channel.state() === 'ready');
    expect(errors[0]).toBeInstanceOf(WhatsAppInitTimeoutError);
    expect(clients[0]?.destroyCalls).toBeGreaterThanOrEqual(1);
    await channel.stop();
  });

  it('treats an authentication failure like a disconnect', async () => {
    const { channel, clients, errors } = await scripted(h, ['ready']);
    await waitFor(() => channel.state() === 'ready');
    clients[0]?.emit('auth_failure', 'restore failed');
    await waitFor(() => clients.length === 2 && channel.state() === 'ready');
    expect(errors[0]).toBeInstanceOf(WhatsAppDisconnectedError);
    await channel.stop();
  });

  it('reports a missing Chromium and keeps retrying without a browser left behind', async () => {
    let attempts = 0;
    const errors: unknown[] = [];
    const channel = await startWhatsAppChannel(h.app, {
      createClient: () => {
        attempts += 1;
        throw new ChromiumNotFoundError('/nonexistent/chromium');
      },
      backoff: { initialMs: 20, maxMs: 40 },
      terminal: null,
      onError: (error) => errors.push(error),
    });
    await waitFor(() => attempts >= 3);
    expect(channel.state()).toBe('disconnected');
    expect(String(errors[0])).toContain('Chromium not found at /nonexistent/chromium');
    await channel.stop();
    const after = attempts;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(attempts).toBe(after);
  });

  it('draws the pairing QR code in the terminal, saves it as a private PNG, and removes it once paired', async () => {
    let drawn = '';
    const terminal = new PassThrough();
    terminal.on('data', (chunk: Buffer) => (drawn += chunk.toString()));
    const { channel, clients } = await scripted(h, ['pair'], { terminal });
    await waitFor(() => channel.state() === 'pairing');
    const png = path.join(h.dataDir, 'whatsapp', 'pairing-qr.png');
    await waitFor(() => existsSync(png));
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    expect(statSync(png).mode & 0o777).toBe(0o600);
    expect(drawn).toContain('Linked devices > Link a device');
    expect(drawn).toMatch(/[▀▄█]/);
    clients[0]?.emit('authenticated');
    expect(channel.state()).toBe('starting');
    clients[0]?.emit('ready');
    expect(channel.state()).toBe('ready');
    expect(existsSync(png)).toBe(false);
    await channel.stop();
  });

  it('stops cleanly: the client is destroyed, the sender removed and later messages ignored', async () => {
    const { channel, clients } = await scripted(h, ['ready']);
    await waitFor(() => channel.state() === 'ready');
    await channel.stop();
    await channel.stop();
    expect(clients[0]?.destroyCalls).toBe(1);
    clients[0]?.text('6281211112222@c.us', 'halo');
    await channel.idle();
    expect(clients[0]?.sent).toHaveLength(0);
  });

  it('refuses files larger than the limit as too large', async () => {
    const { channel, clients } = await scripted(h, ['ready'], { maxMediaBytes: 10 });
    await waitFor(() => channel.state() === 'ready');
    const turns: unknown[] = [];
    const original = h.app.runtime.handle.bind(h.app.runtime);
    h.app.runtime.handle = (ref, event, id) => {
      turns.push(event);
      return original(ref, event, id);
    };
    clients[0]?.receive({ from: '6281233334444@c.us', type: 'video' }, { mimetype: 'video/mp4', data: Buffer.alloc(64).toString('base64') });
    await channel.idle();
    h.app.runtime.handle = original;
    expect(turns).toEqual([{ type: 'user.sendUnavailableMedia', kind: 'video', reason: 'tooLarge' }]);
    await channel.stop();
  });
});

describe('WhatsApp throttle', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('pglite');
  });
  afterAll(async () => {
    await h.close();
  });

  /**
   * Sends spaced by `interval` from when the burst was handed over: Bottleneck plans each start `interval` after the
   * previous one's planned start, so the n-th send is due `n × interval` after the first could go. A send held up on a
   * loaded machine only comes later (and may shorten the gap after it), so each is checked against its planned time,
   * less one timer's slack; a burst let through at once misses it.
   */
  const TIMER_SLACK_MS = 20;
  /**
   * A burst held back and then let through at once would pass that check; the sends must also spread over the run, less
   * what a first send held up on a loaded machine may take off it.
   */
  const FIRST_SEND_HELD_MS = 150;
  const expectPaced = (times: number[], interval: number, handedOverAt: number) => {
    for (const [n, t] of times.entries()) expect(t - handedOverAt).toBeGreaterThanOrEqual(n * interval - TIMER_SLACK_MS);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual((times.length - 1) * interval - FIRST_SEND_HELD_MS);
  };

  it('spaces a burst to one chat by the per-chat interval, in order', async () => {
    const { channel, clients } = await scripted(h, ['ready'], { perChatIntervalMs: 100, messagesPerMinute: 6_000 });
    await waitFor(() => channel.state() === 'ready');
    const sender = h.app.senders.get('whatsapp')!;
    const chat = '6281255556666@c.us';
    const handedOverAt = Date.now();
    await Promise.all([1, 2, 3, 4, 5].map((n) => sender.send(chat, [{ type: 'text', text: { literal: `pesan ${n}` } }], 'id')));
    const sent = clients[0]!.sent;
    expect(sent.map((s) => s.text)).toEqual(['pesan 1', 'pesan 2', 'pesan 3', 'pesan 4', 'pesan 5']);
    expectPaced(sent.map((s) => s.at), 100, handedOverAt);
    await channel.stop();
  });

  it('caps the global rate across chats', async () => {
    const { channel, clients } = await scripted(h, ['ready'], { perChatIntervalMs: 1, messagesPerMinute: 600 });
    await waitFor(() => channel.state() === 'ready');
    const sender = h.app.senders.get('whatsapp')!;
    const chats = ['6281200000001@c.us', '6281200000002@c.us', '6281200000003@c.us', '6281200000004@c.us'];
    const handedOverAt = Date.now();
    await Promise.all(chats.map((chat) => sender.send(chat, [say('menu.title')], 'id')));
    const sent = clients[0]!.sent;
    expect(new Set(sent.map((s) => s.chatId)).size).toBe(4);
    expectPaced(sent.map((s) => s.at), 100, handedOverAt);
    await channel.stop();
  });
});

describe('WhatsApp logs', () => {
  it('carry no WhatsApp ids, phone numbers or message texts', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const h = await createHarness('pglite');
    const logged = { ...h.app, logger: pino({ level: 'trace' }, sink) };
    const clients: FakeWhatsAppClient[] = [];
    const channel = await startWhatsAppChannel(logged, {
      createClient: () => {
        const client = new FakeWhatsAppClient(clients.length === 0 ? 'reject' : 'ready');
        clients.push(client);
        return client;
      },
      backoff: { initialMs: 10, maxMs: 10 },
      perChatIntervalMs: 1,
      messagesPerMinute: 60_000,
      terminal: null,
    });
    await waitFor(() => channel.state() === 'ready');
    const chat = '6281277778888@c.us';
    const client = clients[1]!;
    client.text(chat, 'Pak Lurah Budi kampanye di balai desa');
    client.receive({ from: '120363025555555555@g.us', body: 'grup' });
    const broken = client.receive({ from: chat, type: 'image', hasMedia: true });
    broken.downloadMedia = () => Promise.reject(new Error(`cannot download for ${chat}`));
    await channel.idle();
    client.sendError = new Error(`no chat ${chat} (+62 812-7777-8888)`);
    await logged.senders.get('whatsapp')?.send(chat, [say('menu.title')], 'id').catch(() => undefined);
    client.text(chat, 'halo lagi');
    await channel.idle();
    client.emit('disconnected', `conflict with ${chat}`);
    await channel.stop();
    await h.close();
    const log = lines.join('');
    expect(log).toContain('WhatsApp turn failed');
    expect(log).toContain('WhatsApp media download failed');
    expect(log).not.toMatch(/6281277778888|812-7777-8888|Lurah|balai desa|halo lagi|120363025555555555/);
  });
});

describe('whatsappHealthCheck', () => {
  it.each([
    ['ready', 'ok'],
    ['starting', 'degraded'],
    ['pairing', 'degraded'],
    ['disconnected', 'down'],
  ] as const)('reports %s as %s', (state, status) => {
    expect(whatsappHealthCheck({ state: () => state })()).toMatchObject({ status, detail: expect.stringContaining(state) });
  });
});

describe('WhatsApp metrics', () => {
  it('counts updates by kind, turn time, sends and send errors, without chat ids in any label', async () => {
    const h = await createHarness('pglite');
    const metrics = createMetrics();
    const { channel, clients } = await scripted(h, ['ready'], { metrics });
    await waitFor(() => channel.state() === 'ready');
    const client = clients[0]!;
    const message = client.text('6281244445555@c.us', 'halo');
    client.emit('message', message);
    client.receive({ from: '120363025555555555@g.us', body: 'grup' });
    client.receive({ from: '6281244445555@c.us', type: 'location', location: { latitude: -6.2, longitude: 106.8 } });
    await channel.idle();
    client.sendError = new Error('Evaluation failed');
    await h.app.senders.get('whatsapp')?.send('6281244445555@c.us', [say('menu.title')], 'id').catch(() => undefined);
    const text = await metrics.registry.metrics();
    await channel.stop();
    await h.close();
    expect(text).toContain('netra_updates_total{channel="whatsapp",kind="text"} 1');
    expect(text).toContain('netra_updates_total{channel="whatsapp",kind="duplicate"} 1');
    expect(text).toContain('netra_updates_total{channel="whatsapp",kind="ignored"} 1');
    expect(text).toContain('netra_updates_total{channel="whatsapp",kind="location"} 1');
    expect(text).toContain('netra_messages_sent_total{channel="whatsapp",method="text"} 2');
    expect(text).toContain('netra_send_errors_total{channel="whatsapp",code="error"} 1');
    expect(text).toContain('netra_turn_duration_seconds_count{channel="whatsapp"} 2');
    expect(text).toContain('netra_send_queue_depth{channel="whatsapp"} 0');
    expect(text).not.toContain('6281244445555');
  });
});
