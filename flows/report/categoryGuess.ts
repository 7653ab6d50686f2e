/**
 * Reads which categories a story typed at the category question points to ("camat upload foto bareng calon di
 * fb"), from the catalogue's keywords, so the reporter can be shown the likely ones instead of only being told to
 * choose. It suggests; the reporter still chooses.
 */
import { violations, type ViolationId } from '../../content/violations.ts';
import { matchKey } from './normaliseAnswer.ts';

/** A keyword of this many letters or more also matches the longer words it starts (`upload` → `uploadnya`). */
const PREFIX_MIN_LETTERS = 4;

const keywordsByCategory = violations.map((v) => ({ id: v.id, keywords: v.keywords.map((k) => k.split(' ')) }));

function wordMatches(keyword: string, word: string): boolean {
  return keyword.length >= PREFIX_MIN_LETTERS ? word.startsWith(keyword) : word === keyword;
}

/**
 * The categories the text's words point to, most words first (ties in catalogue order), at most `max`. A word
 * counts once per category, however many keywords it matches.
 */
export function guessCategories(text: string, max = 3): ViolationId[] {
  const words = matchKey(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
  if (words.length === 0) return [];
  const scored = keywordsByCategory.map(({ id, keywords }, order) => {
    const covered = new Set<number>();
    for (const keyword of keywords) {
      for (let start = 0; start + keyword.length <= words.length; start++) {
        if (keyword.every((part, i) => wordMatches(part, words[start + i]!))) {
          for (let i = 0; i < keyword.length; i++) covered.add(start + i);
        }
      }
    }
    return { id, order, score: covered.size };
  });
  return scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, max)
    .map((s) => s.id);
}
