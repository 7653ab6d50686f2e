/**
 * Rendering of channel-neutral messages into text. The only place i18next is used: a turn's replies are rendered
 * in the chat's locale after the turn. Everything is rendered as HTML-safe text first (every parameter escaped);
 * each channel then turns that into its own format (`toPlainText`, `toWhatsAppText`).
 */
import i18next, { type i18n as I18next } from 'i18next';
import { locales, resources, type Locale } from '../content/locales/index.ts';
import type { Choice, OutboundMessage, TextParams, TextRef } from '../flows/messages.ts';

/** A message rendered for one locale: HTML-safe text and choice labels. */
export interface RenderedMessage {
  text: string;
  choices: Array<{ value: string; label: string }>;
}

/** Renders texts in every locale. */
export class Renderer {
  /**
   * Texts without parameters, by locale and key: the same few hundred prompts and labels are rendered on every
   * turn, and i18next's lookup and interpolation were a tenth of a turn's CPU. Bounded by the keys that exist.
   */
  private readonly plain = new Map<string, string>();

  private constructor(private readonly i18n: I18next) {}

  static async create(): Promise<Renderer> {
    const instance = i18next.createInstance();
    await instance.init({
      resources: Object.fromEntries(locales.map((l) => [l, { translation: resources[l] }])),
      lng: 'id',
      fallbackLng: false,
      supportedLngs: [...locales],
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
      showSupportNotice: false,
    } as Parameters<I18next['init']>[0]);
    return new Renderer(instance);
  }

  /** True when the key exists in that locale. */
  has(key: string, locale: Locale): boolean {
    return this.i18n.exists(key, { lng: locale });
  }

  /** One text, HTML-safe: template markup kept, parameters escaped. */
  text(ref: TextRef, locale: Locale): string {
    if ('literal' in ref) return escapeHtml(ref.literal);
    if ('localized' in ref) return escapeHtml(ref.localized[locale]);
    if (ref.params === undefined) {
      const id = `${locale}:${ref.key}`;
      let text = this.plain.get(id);
      if (text === undefined) {
        text = this.i18n.t(ref.key, { lng: locale }) as string;
        // A missing key renders as the key itself; remember only real texts.
        if (text !== ref.key) this.plain.set(id, text);
      }
      return text;
    }
    return this.i18n.t(ref.key, { lng: locale, ...this.params(ref.params, locale) }) as string;
  }

  /** A whole message: its text (or caption) and its choices. */
  message(message: OutboundMessage, locale: Locale): RenderedMessage {
    if (message.type === 'text') {
      return {
        text: this.text(message.text, locale),
        choices: (message.choices ?? []).map((c: Choice) => ({ value: c.value, label: this.text(c.label, locale) })),
      };
    }
    return { text: message.caption ? this.text(message.caption, locale) : '', choices: [] };
  }

  private params(params: TextParams | undefined, locale: Locale): Record<string, string | number> {
    const out: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(params ?? {})) {
      if (typeof value === 'number') out[name] = value;
      else if (typeof value === 'string') out[name] = escapeHtml(value);
      else if ('key' in value) out[name] = this.text({ key: value.key }, locale);
      else out[name] = escapeHtml(value[locale]);
    }
    // i18next picks plural forms from `count`.
    return out;
  }
}

/** Escapes text for Telegram's HTML parse mode. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function unescapeHtml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/** Rendered HTML -> plain text (terminal): tags dropped, entities restored. */
export function toPlainText(html: string): string {
  return unescapeHtml(html.replace(/<\/?(b|i|u|s|code|pre)>/g, '').replace(/<a href="[^"]*">|<\/a>/g, ''));
}

/** Rendered HTML -> WhatsApp formatting (*bold*, _italic_, ```mono```). */
export function toWhatsAppText(html: string): string {
  return unescapeHtml(
    html
      .replace(/<\/?b>/g, '*')
      .replace(/<\/?i>/g, '_')
      .replace(/<\/?(code|pre)>/g, '```')
      .replace(/<\/?(u|s)>/g, '')
      .replace(/<a href="[^"]*">|<\/a>/g, ''),
  );
}

/** Splits a long text at paragraph or line boundaries so each part fits a channel's limit. */
export function splitText(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = Math.max(window.lastIndexOf('\n\n'), window.lastIndexOf('\n'));
    if (cut < limit / 2) cut = window.lastIndexOf(' ');
    if (cut < limit / 2) cut = limit;
    // Never cut inside an HTML entity or tag.
    const amp = window.lastIndexOf('&', cut);
    if (amp > cut - 8 && !window.slice(amp, cut).includes(';')) cut = amp;
    const lt = window.lastIndexOf('<', cut);
    if (lt > window.lastIndexOf('>', cut)) cut = lt;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}
