/**
 * Turns a typed answer into one of the offered choices: by its number ("2", "2.") or by its words in either
 * language ("laporkan pelanggaran", "report"). Returns nothing when the answer is not clearly one choice.
 */
import type { Choice } from '../messages.ts';
import { CHATTER_TRAILING, isKeepWord, isNoWord, isYesWord } from '../report/answerWords.ts';
import { ownValue } from './ownValue.ts';
import { normaliseForMatch, textVariants } from './texts.ts';

/** The choice the text names, if exactly one. */
export function matchChoice(text: string, choices: readonly Choice[]): Choice | undefined {
  const found = matchExactly(text, choices);
  if (found || isKeepWord(text)) return found;
  // "anonim aja", "yg pertama", "no 2", "ya kirim": the same without the words around the choice. Not for "sama
  // aja", which keeps an earlier answer ("sama" alone would be the same day).
  const loose = withoutChatter(text);
  return loose === undefined ? undefined : matchExactly(loose, choices);
}

/** Words before a choice that do not change it: "yang", "pilih", "nomor", a leading yes. */
const LEADING_CHATTER = new Set(['yang', 'yg', 'pilih', 'pilihan', 'opsi', 'option', 'the', 'ya', 'iya', 'ok', 'oke']);
/**
 * Words before a choice's number that do not change it: "jawabannya 1", "saya pilih nomor 2", "my answer is 2", "I
 * choose the first". Only before a number or an ordinal: "saya tahu" is not "Tidak tahu", nor "saya kirim" a button.
 */
const BEFORE_NUMBER = new Set(['jawab', 'jawaban', 'jawabannya', 'jawabanku', 'jwb', 'saya', 'aku', 'answer', 'my', 'is', 'i', 'choose', 'pick']);
/** "No 2", "nomor 2": dropped only before a number ("no thanks" stays a no). */
const NUMBER_WORDS = new Set(['no', 'nomor', 'nmr', 'nomer', 'number']);
const ORDINALS: Readonly<Record<string, string>> = {
  pertama: '1', kesatu: '1', first: '1', kedua: '2', second: '2', ketiga: '3', third: '3', keempat: '4', fourth: '4',
  kelima: '5', fifth: '5',
};

/** The text without chatter around it, an ordinal as its number; undefined when there is none to drop. */
function withoutChatter(text: string): string | undefined {
  const normalised = normaliseForMatch(text);
  const all = normalised.split(' ').filter((w) => w !== '');
  // Politeness after the choice goes (the first word always stays: "ya" alone is still a yes), then words before it.
  const words = normalised.replace(CHATTER_TRAILING, '').split(' ').filter((w) => w !== '');
  let start = 0;
  while (words.length - start > 1 && (LEADING_CHATTER.has(words[start]!) || (NUMBER_WORDS.has(words[start]!) && /^\d+$/.test(words[start + 1]!)))) {
    start += 1;
  }
  // "jawabannya 1", "my answer is the second": dropped when a number or an ordinal is all that is left.
  let numbered = 0;
  while (numbered < words.length - 1 && (BEFORE_NUMBER.has(words[numbered]!) || LEADING_CHATTER.has(words[numbered]!) || NUMBER_WORDS.has(words[numbered]!))) {
    numbered += 1;
  }
  const last = words[numbered];
  if (numbered > start && numbered === words.length - 1 && last !== undefined && (/^\d+$/.test(last) || ownValue(ORDINALS, last) !== undefined)) {
    start = numbered;
  }
  const kept = words.slice(start);
  const ordinal = kept.length === 1 ? ownValue(ORDINALS, kept[0]!) : undefined;
  if (ordinal !== undefined) return ordinal;
  return kept.length < all.length ? kept.join(' ') : undefined;
}

/** A choice's number as people type it: "2", "2.", "2)". */
const CHOICE_NUMBER = /^(\d{1,3})\s*[.)]?$/;

/** True when the text is only a number, the way a choice is picked: at a question for a name it is no name. */
export function isChoiceNumber(text: string): boolean {
  return CHOICE_NUMBER.test(text.trim());
}

function matchExactly(text: string, choices: readonly Choice[]): Choice | undefined {
  const trimmed = text.trim();
  const numbered = CHOICE_NUMBER.exec(trimmed);
  if (numbered) {
    return choices[Number.parseInt(numbered[1] ?? '', 10) - 1];
  }
  const answer = normaliseForMatch(trimmed);
  if (answer.length === 0) return undefined;
  const labelled = choices.map((c) => ({ choice: c, words: textVariants(c.label).map(normaliseForMatch) }));
  // "change name" is "Change the name": English articles do not tell two labels apart.
  const bare = withoutArticles(answer);
  const exact = labelled.filter(
    (l) => l.words.includes(answer) || normaliseForMatch(l.choice.value) === answer || (bare !== '' && l.words.some((w) => withoutArticles(w) === bare)),
  );
  if (exact.length === 1) return exact[0]?.choice;
  if (answer.length < 3) return undefined;
  // A yes or a no is never the start of a longer word: "yes" is not "Yesterday".
  const yesOrNo = isYesWord(answer) || isNoWord(answer);
  const startsLabel = (w: string) => w.startsWith(answer) && (!yesOrNo || w.length === answer.length || w[answer.length] === ' ');
  const partial = labelled.filter((l) => !l.choice.exact && l.words.some((w) => startsLabel(w) || ` ${w} `.includes(` ${answer} `)));
  const only = partial.length === 1 ? partial[0] : undefined;
  // "ASN" is not "Honorer / non-ASN": a single label that has the word only after "non" is no match.
  if (!only || only.words.every((w) => !w.startsWith(answer) && onlyNegated(w, answer))) return undefined;
  return only.choice;
}

const ARTICLES: ReadonlySet<string> = new Set(['the', 'a', 'an']);
function withoutArticles(words: string): string {
  return words.split(' ').filter((w) => w !== '' && !ARTICLES.has(w)).join(' ');
}

/** True when each whole-word occurrence of `answer` in `label` comes right after "non" ("non asn"). */
function onlyNegated(label: string, answer: string): boolean {
  const spaced = ` ${label} `;
  for (let at = spaced.indexOf(` ${answer} `); at !== -1; at = spaced.indexOf(` ${answer} `, at + 1)) {
    if (!spaced.slice(0, at + 1).endsWith(' non ')) return false;
  }
  return true;
}
