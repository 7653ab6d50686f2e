/**
 * Reads texts from the locale files without i18next, so pure flows can match what a user typed against the
 * labels they were shown, in either language.
 */
import { locales, resources, type Locale } from '../../content/locales/index.ts';
import type { TextRef } from '../messages.ts';

/** The raw template of a key in one locale, or undefined. */
export function lookupText(key: string, locale: Locale): string | undefined {
  let node: unknown = resources[locale];
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** The plain words of a text ref in every locale (markup removed, simple parameters filled in). */
export function textVariants(ref: TextRef): string[] {
  if ('literal' in ref) return [ref.literal];
  if ('localized' in ref) return [ref.localized.id, ref.localized.en];
  return locales.flatMap((locale) => {
    const template = lookupText(ref.key, locale);
    if (template === undefined) return [];
    const filled = template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
      const value = ref.params?.[name];
      if (value === undefined) return '';
      if (typeof value === 'string' || typeof value === 'number') return String(value);
      if ('key' in value) return lookupText(value.key, locale) ?? '';
      return value[locale];
    });
    return [filled.replace(/<[^>]+>/g, '')];
  });
}

/** Lower case, accents and punctuation removed, spaces collapsed: the form used to compare answers. */
export function normaliseForMatch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** At most `max` characters, cut after a whole word where one ends in the last third, with "…". */
export function shortened(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space >= (max * 2) / 3 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, '')}…`;
}

/**
 * Longest earlier answer quoted whole on a keep button: with "Biarkan: " the label stays within what a phone shows on
 * a button (longer labels turn the keyboard into a numbered list on Telegram).
 */
export const KEPT_VALUE_MAX = 30;

/** An earlier answer as a keep button quotes it ("Biarkan: Dinas Pendidikan…"). */
export function keptQuote(text: string): string {
  return shortened(text, KEPT_VALUE_MAX);
}
