/**
 * Texts a channel words its own way: WhatsApp and the terminal have no buttons, so where the shared text says
 * "press", each has a text of its own that says "type its number".
 */
import type { Locale } from '../../content/locales/index.ts';
import type { TextRef } from '../../flows/messages.ts';
import { ownValue } from '../../flows/shared/ownValue.ts';
import type { Renderer } from '../i18n.ts';

/** A channel's texts in place of shared ones: shared key → the channel's key. */
export type ChannelTexts = Readonly<Record<string, string>>;

/** The channel's own text for a reference, when it has one in that language; otherwise the reference as it is. */
export function channelText(texts: ChannelTexts, ref: TextRef, renderer: Renderer, locale: Locale): TextRef {
  if (!('key' in ref)) return ref;
  const key = ownValue(texts, ref.key);
  return key && renderer.has(key, locale) ? { ...ref, key } : ref;
}
