/**
 * Runs Netra's real Telegram channel (real telegraf, real runtime and store) against the fake Bot API over HTTP,
 * in polling or webhook mode, with a probe flow standing in for the report flow: it asks for evidence, answers
 * what it received (file hash, unavailable media), echoes texts through an escaped parameter, shows a long list,
 * and can hold a turn open (a slow command) for shutdown tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { emit, setup } from 'xstate';
import { z } from 'zod';
import { createApp, type App } from '../../../../bot/app.ts';
import { TelegramChannel, type TelegramChannelOptions } from '../../../../bot/channels/telegram/telegramChannel.ts';
import { loadConfig } from '../../../../bot/config.ts';
import { ConversationRuntime, type CommandHandler } from '../../../../bot/conversation/conversationRuntime.ts';
import { HealthRegistry } from '../../../../bot/http/health.ts';
import { HttpServer } from '../../../../bot/http/httpServer.ts';
import { createMetrics, type Metrics } from '../../../../bot/http/metrics.ts';
import { installServices } from '../../../../bot/services.ts';
import type { FlowDefinition, FlowEmitted, FlowInput, FlowOutput } from '../../../../flows/flow.ts';
import type { Choice, InboundEvent, OutboundMessage } from '../../../../flows/messages.ts';
import { allFlows } from '../../../../flows/registry.ts';
import { TEST_SECRET } from '../../../support/chatHarness.ts';
import { startFakeBotApi, type FakeBotApi, type FakeBotApiOptions } from '../../../support/fakeBotApi.ts';
import { createTestStore, type StoreKind } from '../../../support/testDatabase.ts';

const literal = (text: string, prompt = false, choices?: Choice[]): OutboundMessage => ({
  type: 'text',
  text: { literal: text },
  ...(prompt ? { prompt: true } : {}),
  ...(choices ? { choices } : {}),
});

/** The twenty choices of the probe's long list. */
export const districts = Array.from({ length: 20 }, (_, i) => ({ value: `d${i + 1}`, label: { literal: `Kecamatan ${i + 1}` } }));

const probeMachine = setup({
  types: {
    input: {} as FlowInput,
    context: {} as Record<string, never>,
    events: {} as InboundEvent,
    emitted: {} as FlowEmitted,
    output: {} as FlowOutput,
  },
}).createMachine({
  id: 'probe',
  context: {},
  initial: 'waiting',
  states: {
    waiting: {
      entry: emit({ type: 'reply', message: literal('Kirim bukti', true) }),
      on: {
        'user.sendMedia': {
          actions: emit(({ event }) => ({
            type: 'reply' as const,
            message: literal(`bukti ${event.type === 'user.sendMedia' ? `${event.media.kind} ${event.media.sha256} ${event.media.path}` : ''}`),
          })),
        },
        'user.sendUnavailableMedia': {
          actions: emit(({ event }) => ({
            type: 'reply' as const,
            message: literal(`tidak tersedia ${event.type === 'user.sendUnavailableMedia' ? event.reason : ''}`),
          })),
        },
        'user.chooseOption': {
          actions: emit(({ event }) => ({
            type: 'reply' as const,
            message: literal(`dipilih ${event.type === 'user.chooseOption' ? event.value : ''}`),
          })),
        },
        'user.sendText': [
          { guard: ({ event }) => event.type === 'user.sendText' && event.text === 'lambat', target: 'working' },
          {
            guard: ({ event }) => event.type === 'user.sendText' && event.text === 'daftar',
            actions: emit({ type: 'reply', message: literal('Pilih kecamatan', true, districts) }),
          },
          {
            actions: emit(({ event }) => ({
              type: 'reply' as const,
              message: { type: 'text' as const, text: { key: 'common.unknownCommand', params: { command: event.type === 'user.sendText' ? event.text : '' } } },
            })),
          },
        ],
      },
    },
    working: {
      entry: emit({ type: 'command', command: { type: 'probeSlow' } }),
      on: { 'system.commandResult': { target: 'waiting', actions: emit({ type: 'reply', message: literal('selesai') }) } },
    },
  },
});

/** Stands in for the report flow (`/lapor`). */
export const probeFlow: FlowDefinition = {
  id: 'report',
  version: 1,
  machine: probeMachine,
  contextSchema: z.object({}),
};

export interface Kit {
  fake: FakeBotApi;
  app: App;
  channel: TelegramChannel;
  metrics: Metrics;
  health: HealthRegistry;
  http: HttpServer;
  dataDir: string;
  /** Stops the channel, closes the app, the store, the HTTP server and the fake. */
  close(): Promise<void>;
}

export interface KitOptions {
  kind: StoreKind;
  mode: 'polling' | 'webhook';
  fake?: FakeBotApiOptions;
  channel?: Partial<TelegramChannelOptions>;
  /** Command handlers for the probe (e.g. `probeSlow`). */
  commands?: Record<string, CommandHandler>;
  /** Start the channel (default true). */
  start?: boolean;
  /** Replace the report flow by the probe (default true); false runs the real flows. */
  probe?: boolean;
  /** A fixed clock for the app (ISO instant); default the real one. */
  now?: string;
  /** The runtime's per-chat message limit (default high enough for any test). */
  messagesPerMinute?: number;
}

/** A webhook secret the tests use. */
export const WEBHOOK_SECRET = 'test-webhook-secret_123';

/** Starts the fake, an app on a fresh store with the probe flow, the HTTP server and the channel. */
export async function startKit(options: KitOptions): Promise<Kit> {
  const fake = await startFakeBotApi(options.fake);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'netra-tg-'));
  const store = await createTestStore(options.kind);
  const config = loadConfig({ NETRA_SECRET: TEST_SECRET, NETRA_DATA_DIR: dataDir });
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const clock = options.now ? { clock: () => new Date(options.now as string) } : {};
  const app = await createApp(config, { store, logger, ...clock });
  app.runtime = new ConversationRuntime({
    store,
    secrets: app.secrets,
    logger,
    flows: options.probe === false ? allFlows : [...allFlows, probeFlow],
    messagesPerMinute: options.messagesPerMinute ?? 10_000,
    ...clock,
  });
  await installServices(app);
  if (options.commands) app.runtime.registerCommands(options.commands);
  const metrics = createMetrics();
  const health = new HealthRegistry();
  const http = await HttpServer.start({ port: 0, host: '127.0.0.1', health, metrics, logger });
  const channel = new TelegramChannel(app, {
    token: fake.token,
    apiRoot: fake.apiRoot,
    metrics,
    health,
    limits: false,
    retry: { retries: 3, minDelayMs: 20, maxDelayMs: 100 },
    ...(options.mode === 'webhook'
      ? { webhook: { url: `http://127.0.0.1:${http.port}/telegram/webhook`, secret: WEBHOOK_SECRET, server: http } }
      : {}),
    ...options.channel,
  });
  if (options.start !== false) await channel.start();
  return {
    fake,
    app,
    channel,
    metrics,
    health,
    http,
    dataDir,
    async close() {
      await channel.stop();
      await app.close();
      await store.close();
      await http.close();
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The visible text of a call (message text or caption). */
export function textOf(call: { params: Record<string, unknown> }): string {
  const value = call.params.text ?? call.params.caption;
  return typeof value === 'string' ? value : '';
}
