/**
 * Channel-neutral messages. Adapters turn a raw update into an `InboundEvent`; flows answer with
 * `OutboundMessage`s that carry i18n keys, never rendered text. A flow never knows which channel it talks to.
 */
import { z } from 'zod';

/** A text given in both languages by content data (questions, lessons, catalogue entries). */
export const localizedSchema = z.object({ id: z.string(), en: z.string() });
export type Localized = z.infer<typeof localizedSchema>;

/**
 * Parameters interpolated into a text: strings (from users or data; escaped by the channel's renderer),
 * numbers, bilingual content, or a nested key (`{ key }`, rendered in the same locale first).
 */
export const textParamsSchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), localizedSchema, z.object({ key: z.string() })]),
);
export type TextParams = z.infer<typeof textParamsSchema>;

/**
 * A text to show: an i18n key with parameters, a bilingual text from content data, or a literal string
 * (data such as region names, shown as is in every language).
 */
export const textRefSchema = z.union([
  z.object({ key: z.string(), params: textParamsSchema.optional() }),
  z.object({ localized: localizedSchema }),
  z.object({ literal: z.string() }),
]);
export type TextRef = z.infer<typeof textRefSchema>;

/** One answer the user may pick: shown as a button (Telegram) or a numbered line (WhatsApp, terminal). */
export const choiceSchema = z.object({
  /** Short machine value; it travels in Telegram callback data, so keep it well under 64 bytes. */
  value: z.string().min(1).max(48),
  label: textRefSchema,
  /**
   * Typed, matched only by its number or its whole label: a label that quotes an earlier answer ("Biarkan: Budi
   * Santoso") must not catch a new answer that shares a word with it ("Budi").
   */
  exact: z.boolean().optional(),
});
export type Choice = z.infer<typeof choiceSchema>;

export const mediaKindSchema = z.enum(['photo', 'video', 'document', 'voice', 'audio', 'animation', 'other']);
export type MediaKind = z.infer<typeof mediaKindSchema>;

/** A file the runtime has already stored under the data directory (flows never touch files). */
export const storedMediaSchema = z.object({
  kind: mediaKindSchema,
  mime: z.string().optional(),
  fileName: z.string().optional(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Path relative to the data directory. */
  path: z.string(),
  /** EXIF/GPS-stripped copy for photos, relative to the data directory. */
  strippedPath: z.string().optional(),
  caption: z.string().optional(),
});
export type StoredMedia = z.infer<typeof storedMediaSchema>;

const at = z.string().datetime();

/**
 * Everything a flow can receive. `at` is the moment the runtime received it (flows have no clock).
 * Events named `system.*` come from the runtime (command results, timeouts), never from users.
 */
export const inboundEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user.sendText'), at, text: z.string() }),
  z.object({ type: z.literal('user.chooseOption'), at, value: z.string() }),
  z.object({ type: z.literal('user.sendCommand'), at, name: z.string(), args: z.string() }),
  z.object({ type: z.literal('user.sendMedia'), at, media: storedMediaSchema }),
  /** A file the channel could not hand over (too large, download failed). */
  z.object({
    type: z.literal('user.sendUnavailableMedia'),
    at,
    kind: mediaKindSchema,
    // notProcessed: received, but a document could not be cleaned of its metadata now (the cleaning thread could not run).
    reason: z.enum(['tooLarge', 'downloadFailed', 'notProcessed']),
  }),
  z.object({
    type: z.literal('user.sendLocation'),
    at,
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
  }),
  z.object({ type: z.literal('user.sendContact'), at, phone: z.string(), name: z.string().optional() }),
  /** Stickers, polls, games and anything else a flow cannot use. */
  z.object({ type: z.literal('user.sendUnsupported'), at, what: z.string() }),
  /** Asks the active flow for help on its current step (`/bantuan`). */
  z.object({ type: z.literal('user.askHelp'), at }),
  /** Asks the active flow to go back one step (`kembali`). */
  z.object({ type: z.literal('user.goBack'), at }),
  z.object({ type: z.literal('system.timeout'), at, name: z.string() }),
  /** The chat's language changed: a flow may show again what is on screen (the runtime repeats the question). */
  z.object({ type: z.literal('system.localeChanged'), at }),
  /**
   * A draft kept aside goes on (see `FlowDefinition.keepsDraft`): a flow may ask its question afresh, or step back from
   * one that should not greet a returning user (the runtime repeats the question kept otherwise).
   */
  z.object({ type: z.literal('system.resumed'), at }),
  /** The result of a command a flow emitted, sent back in the same turn. */
  z.object({ type: z.literal('system.commandResult'), at, command: z.string(), result: z.unknown() }),
]);
export type InboundEvent = z.infer<typeof inboundEventSchema>;
/** Inbound events as channels produce them, before the runtime stamps `at`. */
export type UserEvent = Extract<InboundEvent, { type: `user.${string}` }>;
export type UnstampedUserEvent = UserEvent extends infer E ? (E extends unknown ? Omit<E, 'at'> : never) : never;

/** What a flow sends to the user. */
export const outboundMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    text: textRefSchema,
    choices: z.array(choiceSchema).optional(),
    /** Marks the question the user is expected to answer; it is shown again after help or a language switch. */
    prompt: z.boolean().optional(),
    /**
     * The question mainly wants a typed answer (a date, a name) and its choices are shortcuts: a channel that lists
     * choices as numbers then offers them as an alternative, not as the only way to answer.
     */
    typed: z.boolean().optional(),
    /**
     * The question asks for one field in the user's own words, whatever its choices: `short` (a name, a position, an
     * agency, an address), where a greeting, a question or a lone yes is no answer; `long` (an account), where only a
     * greeting or a lone yes is none. A yes there takes the one answer offered or kept, if there is one.
     */
    field: z.enum(['short', 'long']).optional(),
    /** For a runtime question that interrupts a flow (leave or stay?): the flow's question to return to. */
    resume: z.json().optional(),
    /**
     * Comments on the answer just given (right or wrong and why, what was recorded). A channel may show it with
     * that answer instead of as a message of its own: Telegram adds it to the pressed question.
     */
    feedback: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('document'),
    /** Path relative to the data directory. */
    path: z.string(),
    fileName: z.string(),
    caption: textRefSchema.optional(),
  }),
  z.object({ type: z.literal('photo'), path: z.string(), caption: textRefSchema.optional() }),
]);
export type OutboundMessage = z.infer<typeof outboundMessageSchema>;

/** Shorthand for a text message from a key. */
export function say(key: string, params?: TextParams, choices?: Choice[]): OutboundMessage {
  return { type: 'text', text: params ? { key, params } : { key }, ...(choices ? { choices } : {}) };
}

/** Shorthand for a comment on the answer just given (see `feedback` on text messages). */
export function feedback(key: string, params?: TextParams): OutboundMessage {
  return { ...say(key, params), feedback: true } as OutboundMessage;
}

/** Shorthand for the question a user must answer now. */
export function ask(key: string, params?: TextParams, choices?: Choice[]): OutboundMessage {
  return { ...say(key, params, choices), prompt: true } as OutboundMessage;
}

/** Shorthand for a question whose typed answer comes first and whose choices are shortcuts (see `typed`). */
export function askTyped(key: string, params?: TextParams, choices?: Choice[]): OutboundMessage {
  return { ...ask(key, params, choices), typed: true } as OutboundMessage;
}

/** The question as one asking for a field in the user's own words (see `field`). */
export function asField(message: OutboundMessage, kind: 'short' | 'long' = 'short'): OutboundMessage {
  return message.type === 'text' ? { ...message, field: kind } : message;
}

/** A choice labelled by an i18n key. */
export function choice(value: string, key: string, params?: TextParams): Choice {
  return { value, label: params ? { key, params } : { key } };
}
