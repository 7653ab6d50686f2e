/**
 * The narrow part of whatsapp-web.js that Netra uses, and the one place that builds the real `Client`: LocalAuth
 * under the data directory, Debian's Chromium (never a downloaded browser) and the web-version cache next to the
 * session. Everything else talks to `WhatsAppClientLike`, so tests drive the channel with a fake.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type wwebjsModule from 'whatsapp-web.js';

type WhatsAppWebJs = typeof wwebjsModule;
let loaded: WhatsAppWebJs | undefined;

/**
 * whatsapp-web.js and puppeteer, loaded on first use: a deployment without WhatsApp never pays their memory
 * (about 27 MB resident).
 */
function wwebjs(): WhatsAppWebJs {
  loaded ??= createRequire(import.meta.url)('whatsapp-web.js') as WhatsAppWebJs;
  return loaded;
}

/** A file to send, as whatsapp-web.js carries it (base64 data). */
export interface WhatsAppMediaLike {
  mimetype: string;
  data: string;
  filename?: string | null;
  filesize?: number | null;
}

/** A shared location, as whatsapp-web.js parses it. */
export interface WhatsAppLocationLike {
  latitude: number | string;
  longitude: number | string;
}

/** The fields of an incoming whatsapp-web.js `Message` that the adapter reads. */
export interface WhatsAppMessageLike {
  /** Sender chat id: `<number>@c.us`, `<id>@lid`, `<id>@g.us` (group), `status@broadcast`. Personal data. */
  from: string;
  fromMe: boolean;
  id: { _serialized: string };
  /** whatsapp-web.js `MessageTypes`: `chat`, `image`, `video`, `document`, `ptt`, `audio`, `location`, ... */
  type: string;
  /** The text, or the caption of a media message. */
  body: string;
  hasMedia: boolean;
  isStatus?: boolean;
  broadcast?: boolean;
  isGif?: boolean;
  location?: WhatsAppLocationLike;
  /** vCards of a contact message. */
  vCards?: string[];
  downloadMedia(): Promise<WhatsAppMediaLike | undefined>;
}

/** Options for `sendMessage` that Netra uses. */
export interface WhatsAppSendOptions {
  caption?: string;
  sendMediaAsDocument?: boolean;
  linkPreview?: boolean;
  sendSeen?: boolean;
}

/** The client as the channel uses it; the real `Client` fits it, and so does the tests' fake. */
export interface WhatsAppClientLike {
  on(event: 'message', listener: (message: WhatsAppMessageLike) => void): unknown;
  on(event: 'qr', listener: (qr: string) => void): unknown;
  on(event: 'ready' | 'authenticated', listener: () => void): unknown;
  on(event: 'disconnected', listener: (reason: unknown) => void): unknown;
  on(event: 'auth_failure', listener: (message: unknown) => void): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  sendMessage(chatId: string, content: string | WhatsAppMediaLike, options?: WhatsAppSendOptions): Promise<unknown>;
}

/** What the real client needs to know. */
export interface WhatsAppClientOptions {
  /** Netra's data directory; the session lives in `<dataDir>/whatsapp`. */
  dataDir: string;
  /** Debian's Chromium (`CHROMIUM_PATH`). */
  chromiumPath: string;
  headless?: boolean;
  /** Extra Chromium flags (tests pass a resolver rule that keeps the browser offline). */
  extraArgs?: string[];
}

/** Chromium is not where `CHROMIUM_PATH` says. Raised before puppeteer could suggest downloading a browser. */
export class ChromiumNotFoundError extends Error {
  constructor(readonly chromiumPath: string) {
    super(
      `Chromium not found at ${chromiumPath}. Install Debian's browser (apt-get install chromium) or set CHROMIUM_PATH; ` +
        'Netra never downloads a browser.',
    );
    this.name = 'ChromiumNotFoundError';
  }
}

/** Where the WhatsApp session, web-version cache and pairing QR live. */
export function whatsappDir(dataDir: string): string {
  return path.join(dataDir, 'whatsapp');
}

/** The Chromium profile directory LocalAuth uses (one browser per profile; tests look for it in `ps`). */
export function whatsappProfileDir(dataDir: string): string {
  return path.join(whatsappDir(dataDir), 'session');
}

/** The launch options Netra gives whatsapp-web.js (exported so a test can construct the real client with them). */
export function whatsappClientOptions(options: WhatsAppClientOptions): ConstructorParameters<WhatsAppWebJs['Client']>[0] {
  const { LocalAuth } = wwebjs();
  const dir = whatsappDir(options.dataDir);
  const args = ['--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check'];
  // Chromium refuses to start as root with its sandbox on (containers, small servers); elsewhere keep the sandbox.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return {
    authStrategy: new LocalAuth({ dataPath: dir }),
    // The library's default cache path is relative to the working directory; keep it with the session.
    webVersionCache: { type: 'local', path: path.join(dir, 'web-cache') },
    puppeteer: {
      executablePath: options.chromiumPath,
      headless: options.headless ?? true,
      args: [...args, ...(options.extraArgs ?? [])],
      // Puppeteer kills the browser if Node exits abruptly; a clean stop goes through destroy().
      handleSIGINT: false,
      handleSIGTERM: false,
    },
  };
}

/** Builds the real whatsapp-web.js client. Throws ChromiumNotFoundError when the browser is missing. */
export function createWhatsAppClient(options: WhatsAppClientOptions): WhatsAppClientLike {
  if (!existsSync(options.chromiumPath)) throw new ChromiumNotFoundError(options.chromiumPath);
  mkdirSync(whatsappDir(options.dataDir), { recursive: true, mode: 0o700 });
  const { Client } = wwebjs();
  return new Client(whatsappClientOptions(options)) as unknown as WhatsAppClientLike;
}

/** Reads a local file as a whatsapp-web.js media object (the real class, which `sendMessage` requires). */
export function mediaFromFile(absolutePath: string): WhatsAppMediaLike {
  return wwebjs().MessageMedia.fromFilePath(absolutePath) as WhatsAppMediaLike;
}
