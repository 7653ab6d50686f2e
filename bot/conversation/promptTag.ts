/**
 * A short tag that names a question: its text (the key, without parameters) and its choices. Telegram's
 * buttons carry it, so a press on an older question's button is recognised as stale even when its value is one the
 * question now on screen also offers ("Tidak tahu" on the name question, pressed while the position is asked; a
 * keep button that named an answer since changed). The text's parameters are left out: the same question asked
 * again with another count ("Bukti ke-2 diterima", then "ke-3", each with "Selesai") keeps its buttons working.
 * The chat stores its question as JSON, and PostgreSQL's jsonb does not keep the order of keys, so the tag is taken
 * over a canonical form.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { OutboundMessage } from '../../flows/messages.ts';

/** Characters in a tag (base64url, 36 bits). */
export const PROMPT_TAG_LENGTH = 6;

/** The tag of a question with choices; undefined for anything else (its buttons, if any, are not checked). */
export function promptTag(message: OutboundMessage | null | undefined): string | undefined {
  if (message?.type !== 'text' || !message.prompt || !message.choices?.length) return undefined;
  const text = 'key' in message.text ? message.text.key : message.text;
  const canonical = stringify([text, message.choices.map((c) => [c.value, c.label])]) ?? '';
  return createHash('sha256').update(canonical).digest('base64url').slice(0, PROMPT_TAG_LENGTH);
}
