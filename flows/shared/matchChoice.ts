/**
 * Turns a typed answer into one of the offered choices: by its number ("2", "2.") or by its words in either
 * language ("laporkan pelanggaran", "report"). Returns nothing when the answer is not clearly one choice.
 */
import type { Choice } from '../messages.ts';
import { normaliseForMatch, textVariants } from './texts.ts';

/** The choice the text names, if exactly one. */
export function matchChoice(text: string, choices: readonly Choice[]): Choice | undefined {
  const trimmed = text.trim();
  const numbered = /^(\d{1,3})\s*[.)]?$/.exec(trimmed);
  if (numbered) {
    return choices[Number.parseInt(numbered[1] ?? '', 10) - 1];
  }
  const answer = normaliseForMatch(trimmed);
  if (answer.length === 0) return undefined;
  const labelled = choices.map((c) => ({ choice: c, words: textVariants(c.label).map(normaliseForMatch) }));
  const exact = labelled.filter((l) => l.words.includes(answer) || normaliseForMatch(l.choice.value) === answer);
  if (exact.length === 1) return exact[0]?.choice;
  if (answer.length < 3) return undefined;
  const partial = labelled.filter((l) => l.words.some((w) => w.startsWith(answer) || containsUnnegated(w, answer)));
  return partial.length === 1 ? partial[0]?.choice : undefined;
}

/** Words that turn the word after them into its opposite: "ASN" must not pick "Honorer / non-ASN". */
const NEGATIONS: ReadonlySet<string> = new Set(['non', 'bukan', 'tidak', 'not', 'no']);

/** True when `answer` occurs in `label` as whole words, at least once not right after a negation. */
function containsUnnegated(label: string, answer: string): boolean {
  const spaced = ` ${label} `;
  for (let at = spaced.indexOf(` ${answer} `); at !== -1; at = spaced.indexOf(` ${answer} `, at + 1)) {
    const before = spaced.slice(0, at).trim().split(' ').at(-1) ?? '';
    if (!NEGATIONS.has(before)) return true;
  }
  return false;
}
