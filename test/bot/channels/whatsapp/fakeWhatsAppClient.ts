/**
 * A WhatsApp client for tests: implements the narrow interface the channel uses, records what is sent, and lets
 * a test play the user (texts, files, locations) and the network (QR, ready, disconnect, failing start).
 */
import { EventEmitter } from 'node:events';
import type {
  WhatsAppClientLike,
  WhatsAppMediaLike,
  WhatsAppMessageLike,
  WhatsAppSendOptions,
} from '../../../../bot/channels/whatsapp/whatsappClient.ts';

/** One call of sendMessage. */
export interface SentMessage {
  chatId: string;
  /** The text, or the file's name for media. */
  text: string;
  media?: WhatsAppMediaLike;
  options?: WhatsAppSendOptions;
  at: number;
}

/** How `initialize()` behaves. */
export type StartBehaviour = 'ready' | 'pair' | 'reject' | 'hang';

let nextId = 1;

export class FakeWhatsAppClient extends EventEmitter implements WhatsAppClientLike {
  readonly sent: SentMessage[] = [];
  initializeCalls = 0;
  destroyCalls = 0;
  /** When set, sendMessage fails with this error. */
  sendError: Error | undefined;

  constructor(private readonly behaviour: StartBehaviour = 'ready') {
    super();
  }

  async initialize(): Promise<void> {
    this.initializeCalls += 1;
    switch (this.behaviour) {
      case 'ready':
        setImmediate(() => this.emit('ready'));
        return;
      case 'pair':
        setImmediate(() => this.emit('qr', '2@fake-qr-payload,abc,def,ghi'));
        return;
      case 'reject':
        throw new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/');
      case 'hang':
        return new Promise(() => undefined);
    }
  }

  async destroy(): Promise<void> {
    this.destroyCalls += 1;
  }

  async sendMessage(chatId: string, content: string | WhatsAppMediaLike, options?: WhatsAppSendOptions): Promise<unknown> {
    if (this.sendError) throw this.sendError;
    const media = typeof content === 'string' ? undefined : content;
    this.sent.push({
      chatId,
      text: typeof content === 'string' ? content : (content.filename ?? ''),
      ...(media ? { media } : {}),
      ...(options ? { options } : {}),
      at: Date.now(),
    });
    return {};
  }

  /** Plays an incoming message; returns it (its id is unique unless given). */
  receive(fields: Partial<WhatsAppMessageLike> & { from: string }, media?: WhatsAppMediaLike): WhatsAppMessageLike {
    const message: WhatsAppMessageLike = {
      fromMe: false,
      id: { _serialized: `false_${fields.from}_${(nextId++).toString(16).toUpperCase().padStart(20, '3A')}` },
      type: 'chat',
      body: '',
      hasMedia: Boolean(media),
      downloadMedia: async () => media,
      ...fields,
    };
    this.emit('message', message);
    return message;
  }

  /** Plays a text from a user. */
  text(from: string, body: string): WhatsAppMessageLike {
    return this.receive({ from, body });
  }

  /** Texts sent to a chat, in order. */
  textsTo(chatId: string): string[] {
    return this.sent.filter((s) => s.chatId === chatId && !s.media).map((s) => s.text);
  }

  /** Forgets what was sent. */
  clear(): void {
    this.sent.length = 0;
  }
}
