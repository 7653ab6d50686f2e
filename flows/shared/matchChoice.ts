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
  const partial = labelled.filter(
    (l) => !l.choice.exact && l.words.some((w) => w.startsWith(answer) || ` ${w} `.includes(` ${answer} `)),
  );
  const only = partial.length === 1 ? partial[0] : undefined;
  // "ASN" is not "Honorer / non-ASN": a single label that has the word only after "non" is no match.
  if (!only || only.words.every((w) => !w.startsWith(answer) && onlyNegated(w, answer))) return undefined;
  return only.choice;
}

/** True when each whole-word occurrence of `answer` in `label` comes right after "non" ("non asn"). */
function onlyNegated(label: string, answer: string): boolean {
  const spaced = ` ${label} `;
  for (let at = spaced.indexOf(` ${answer} `); at !== -1; at = spaced.indexOf(` ${answer} `, at + 1)) {
    if (!spaced.slice(0, at + 1).endsWith(' non ')) return false;
  }
  return true;
}
