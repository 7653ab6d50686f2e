/**
 * How Netra talks to offices on Telegram (their linked groups and officers' private chats): HTML texts with inline
 * buttons, reply prompts, and files. A narrow seam so the forwarding worker and the officer desk do not depend on
 * telegraf; `TelegramOfficeMessenger` implements it, tests use a recording fake.
 */

/** One inline button: a label and its callback data (`o:...`, at most 64 bytes). */
export interface OfficeButton {
  text: string;
  data: string;
}

/** Rows of buttons. */
export type OfficeKeyboard = OfficeButton[][];

/** A file to send: an absolute path on disk or bytes in memory. */
export interface OfficeFile {
  fileName: string;
  mime?: string;
  path?: string;
  bytes?: Buffer;
}

export interface SendTextOptions {
  keyboard?: OfficeKeyboard;
  /** Ask the client to answer this message (Telegram ForceReply, selective): how officers type a reason. */
  forceReply?: boolean;
  /** Message id this one answers. */
  replyTo?: number;
}

/**
 * Sends to office chats. Every method throws `DeliveryError` on failure (`permanent` when retrying cannot help,
 * `retryAfterMs` when told to wait). Texts are Telegram HTML, already escaped.
 */
export interface OfficeMessenger {
  /** Sends a text (split when over the channel's limit; the keyboard goes on the last part). */
  sendText(chatId: string, html: string, options?: SendTextOptions): Promise<{ messageId: number }>;
  /** Sends a file as a document, so its bytes (and SHA-256) arrive unchanged. */
  sendDocument(chatId: string, file: OfficeFile, captionHtml?: string): Promise<{ messageId: number }>;
  /** Answers a button press (a short notice, or an alert the user must dismiss). */
  answerCallback(callbackId: string, text?: string, alert?: boolean): Promise<void>;
  /** Replaces (or removes, with null) the buttons under a message. */
  editKeyboard(chatId: string, messageId: number, keyboard: OfficeKeyboard | null): Promise<void>;
}
