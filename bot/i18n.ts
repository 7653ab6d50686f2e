/**
 * Rendering of channel-neutral messages into text. The only place i18next is used: a turn's replies are rendered
 * in the chat's locale after the turn. Everything is rendered as HTML-safe text first (every parameter escaped);
 * each channel then turns that into its own format (`toPlainText`, `toWhatsAppText`).
 */
import i18next, { type i18n as I18next } from 'i18next';
import { locales, resources, type Locale, type LocaleTexts } from '../content/locales/index.ts';
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
  /**
   * Texts with parameters, by locale and key, cut at their `{{name}}` placeholders (even indexes literal text, odd
   * ones parameter names); null where i18next itself must render (see {@link compile}). Filling these is what
   * i18next's interpolation does for Netra's texts, at a fraction of its cost (a ticket's office card renders some
   * twenty of them). A test renders every key both ways.
   */
  private readonly templates = new Map<string, string[] | null>();

  private constructor(private readonly i18n: I18next) {}

  /** Netra's texts (`texts` only in tests). */
  static async create(texts: Record<Locale, LocaleTexts> = resources): Promise<Renderer> {
    const instance = i18next.createInstance();
    await instance.init({
      resources: Object.fromEntries(locales.map((l) => [l, { translation: texts[l] }])),
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
    const params = this.params(ref.params, locale);
    const id = `${locale}:${ref.key}`;
    let template = this.templates.get(id);
    if (template === undefined) {
      // With plural forms (`key_one`, `key_other`...), `count` chooses one: i18next does that.
      const plural = PLURAL_SUFFIXES.some((suffix) => this.i18n.getResource(locale, 'translation', `${ref.key}${suffix}`) !== undefined);
      template = plural ? null : compile(this.i18n.getResource(locale, 'translation', ref.key));
      this.templates.set(id, template);
    }
    if (template === null || Object.keys(params).some((name) => I18NEXT_OPTIONS.has(name))) {
      return this.i18n.t(ref.key, { lng: locale, ...params }) as string;
    }
    let text = template[0]!;
    for (let i = 1; i < template.length; i += 2) {
      const name = template[i]!;
      const value = params[name];
      // As i18next: a parameter given as undefined is empty, one not given at all keeps its placeholder.
      text += value === undefined ? (Object.hasOwn(params, name) ? '' : `{{${name}}}`) : String(value);
      text += template[i + 1]!;
    }
    return text;
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

/**
 * Parameter names that i18next reads as options of `t` (context, another language...): a text given one of them is
 * left to i18next. `count` is not among them: it only chooses among plural forms, and texts that have them are left
 * to i18next anyway.
 */
const I18NEXT_OPTIONS = new Set(['context', 'lng', 'lngs', 'ns', 'defaultValue', 'replace', 'ordinal', 'returnObjects', 'returnDetails', 'joinArrays', 'postProcess', 'interpolation', 'skipInterpolation', 'nest', 'keyPrefix', 'fallbackLng']);

/** The suffixes of i18next's plural forms (cardinal and ordinal). */
const PLURAL_SUFFIXES = ['zero', 'one', 'two', 'few', 'many', 'other'].flatMap((form) => [`_${form}`, `_ordinal_${form}`]);

/**
 * Cuts a text at its plain `{{name}}` placeholders; null for anything that is not a string or uses more of
 * i18next (formats `{{x, f}}`, unescaped `{{- x}}`, nesting `$t(...)`), or a missing key.
 */
function compile(resource: unknown): string[] | null {
  if (typeof resource !== 'string' || resource.includes('$t(')) return null;
  const parts: string[] = [];
  const placeholder = /\{\{(.*?)\}\}/g;
  let last = 0;
  for (let match = placeholder.exec(resource); match !== null; match = placeholder.exec(resource)) {
    const name = match[1]!.trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return null;
    parts.push(resource.slice(last, match.index), name);
    last = match.index + match[0].length;
  }
  parts.push(resource.slice(last));
  return parts;
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
