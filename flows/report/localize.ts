/**
 * Builds a bilingual text from a locale key and plain parameters, for the few places where a flow must put
 * several translated pieces into one parameter (a list of tickets, a history). The result is plain text: the
 * renderer escapes it as a whole, so the templates used here carry no markup.
 */
import { locales } from '../../content/locales/index.ts';
import type { Localized } from '../messages.ts';
import { lookupText } from '../shared/texts.ts';

/** Plain parameters: strings, numbers, or bilingual values. */
export type PlainParams = Record<string, string | number | Localized>;

/** The template of `key` in both languages with `{{name}}` filled in; a missing key shows the key itself. */
export function localize(key: string, params: PlainParams = {}): Localized {
  const [id, en] = locales.map((locale) => {
    const template = lookupText(key, locale) ?? key;
    return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined) return '';
      if (typeof value === 'string' || typeof value === 'number') return String(value);
      return value[locale];
    });
  });
  return { id: id ?? key, en: en ?? key };
}

/** Joins bilingual lines with a separator, language by language. */
export function joinLocalized(lines: readonly Localized[], separator = '\n'): Localized {
  return { id: lines.map((l) => l.id).join(separator), en: lines.map((l) => l.en).join(separator) };
}
