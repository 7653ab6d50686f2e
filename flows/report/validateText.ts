/**
 * Length and content checks for the report's free-text answers. Each validator normalises first (see
 * {@link normaliseAnswer}) and returns the normalised text, which is what the flow should store.
 */
import { endsWithUnknownName, isUnknownWord } from './answerWords.ts';
import { codePointLength, matchKey, normaliseAnswer } from './normaliseAnswer.ts';
import { fail, ok, type ParseResult } from './parseResult.ts';

/** Limits in characters (Unicode code points) after normalisation. */
export const textLimits = {
  description: { min: 30, max: 4000 },
  name: { min: 2, max: 100 },
  address: { min: 10, max: 300 },
  shortText: { min: 2 },
} as const;

export const textErrorCodes = ['empty', 'tooShort', 'tooLong', 'noLetters'] as const;
/** Why a free-text answer was refused. `tooShort`/`tooLong` carry `params: { length, min }` / `{ length, max }`. */
export type TextError = (typeof textErrorCodes)[number];

export const nameErrorCodes = [...textErrorCodes, 'unknownNotAllowed', 'notAName'] as const;
/**
 * Why a name was refused; `unknownNotAllowed` is "tidak tahu" where a name is required (the reporter's own),
 * `notAName` a greeting or a whole story where a name was asked.
 */
export type NameError = (typeof nameErrorCodes)[number];

const LETTER = /\p{L}/u;

/**
 * Raw input longer than this is refused before normalising, so a 10,000-character paste costs nothing. Such
 * input could only fit after normalisation if more than half of it were whitespace runs, invisible
 * characters or emoji, and refusing that paste as too long is fine.
 */
function quickLimit(max: number): number {
  return max * 2 + 100;
}

function checkText(text: string, min: number, max: number, multiline: boolean): ParseResult<string, TextError> {
  // Its length as typed is told in UTF-16 units, counted at once: a paste this long is refused whatever its exact count.
  if (text.length > quickLimit(max)) return fail('tooLong', { length: text.length, max });
  const value = normaliseAnswer(text, { multiline });
  const length = codePointLength(value);
  if (length === 0) return fail('empty');
  // "2" or "." wants words, not more characters: said so before its length.
  if (!LETTER.test(value)) return fail('noLetters');
  if (length < min) return fail('tooShort', { length, min });
  if (length > max) return fail('tooLong', { length, max });
  return ok(value);
}

/** The chronological description: 30–4000 characters, line breaks kept, and some words in it. */
export function validateDescription(text: string): ParseResult<string, TextError> {
  const { min, max } = textLimits.description;
  return checkText(text, min, max, true);
}

/** A validated name, or the reporter's honest "I don't know" where that is allowed. */
export type NameValue = { kind: 'known'; name: string } | { kind: 'unknown' };

/**
 * A person's name, 2–100 characters with at least one letter. With `allowUnknown` (the reported ASN, a
 * witness), `tidak tahu`/`tdk tahu`/`ga tau`/`unknown` yields `{ kind: 'unknown' }`; without it, those
 * replies fail with `unknownNotAllowed` so the flow can explain why the name is needed.
 */
export function validateName(typed: string, options: { allowUnknown: boolean }): ParseResult<NameValue, NameError> {
  // "Maaf, tidak tahu", "bukan, Budi Santoso": what follows a correction's opening word is the answer.
  const text = withoutCorrection(typed);
  if (text.length <= quickLimit(textLimits.name.max) && (isUnknownWord(text) || endsWithUnknownName(text))) {
    return options.allowUnknown ? ok({ kind: 'unknown' }) : fail('unknownNotAllowed');
  }
  // A question ("kenapa harus nama saya?") or laughter is no one's name.
  const result = checkText(text, textLimits.name.min, textLimits.name.max, false);
  if (result.ok || result.error !== 'tooLong') {
    const key = matchKey(text);
    if (NOT_A_NAME.test(key) || isQuestion(text) || LAUGHTER.test(key)) return fail('notAName');
  }
  if (!result.ok) return result;
  // "Nama saya Rina Marlina": the name is what follows ("nama saya" alone is no name; "saya tidak tahu" is unknown).
  const named = NAME_INTRO.exec(result.value)?.[1];
  if (named !== undefined && PRONOUN.test(named)) return fail('notAName');
  if (named !== undefined && isUnknownWord(named)) return options.allowUnknown ? ok({ kind: 'unknown' }) : fail('unknownNotAllowed');
  const name = withoutNameIntro(result.value);
  // A name with its titles is seldom longer than a dozen words ("Drs. I Gusti Ngurah Made Agung Putra Wijaya,
  // M.Si." has nine); more is a story told at the wrong question.
  if (name.split(/\s+/).length > NAME_MAX_WORDS) return fail('notAName');
  return ok({ kind: 'known', name });
}

/**
 * "Nama saya Rina Marlina", "my name is Rina Marlina", "atas nama Rina Marlina", and a correction such as "bukan, nama
 * saya Rina Marlina" or "no, it's Rina Marlina": the name after such an opening, else the text itself.
 */
export function withoutNameIntro(text: string): string {
  const trimmed = withoutCorrection(text);
  const named = NAME_INTRO.exec(trimmed)?.[1];
  const usable = named !== undefined && LETTER.test(named) && !PRONOUN.test(named) && !isUnknownWord(named);
  return usable && codePointLength(named) >= textLimits.name.min ? named : trimmed;
}

const NAME_MAX_WORDS = 12;
const PRONOUN = /^(?:saya|aku|ku|nya|dia|beliau|me|him|her)$/i;
const NAME_INTRO =
  /^(?:nama\s+(?:saya|aku|ku|nya|lengkap(?:nya|\s+saya)?)|namaku|namanya|nama|atas\s+nama|my\s+name\s+is|my\s+name's|name|saya|aku|i\s+am|i'm|it\s+is|it's|its|this\s+is)\s*[:,=-]?\s+(.+)$/iu;
/** "bukan, …", "no, …", "maaf, …": a correction's opening word and its comma, before the name meant. */
const CORRECTION = /^(?:bukan|tidak|tdk|no|nope|salah|maaf|sorry)\s*[,.!;:]+\s*(?=\S)/iu;

/** The text without a correction's opening word ("bukan, Budi Santoso" is "Budi Santoso"). */
function withoutCorrection(text: string): string {
  return text.trim().replace(CORRECTION, '');
}
/** Greetings people send first, and acknowledgements ("ok", "siap", "thanks"), which are nobody's name. */
const NOT_A_NAME =
  /^(?:halo+|hallo+|hai+|hi+|hello|hey|helo|assalamu ?alaikum(?: (?:wr|wb|warahmatullahi|wabarakatuh)\b.*)?|asw|ass?alamualaikum|salam|permisi|selamat (?:pagi|siang|sore|malam)|pagi|siang|sore|malam|good (?:morning|afternoon|evening)|p|tes|test|ping|ok|oke|okay|okey|okeh|oke deh|ok deh|sip|siap|baik|baiklah|iya|ya|yes|yep|no|nope|lanjut|next|continue|terima kasih|makasih|thanks|thank you)$/;

/** A question of three words or more ("kenapa harus nama saya?"); "Budi?", a name given unsure, is still one. */
export function isQuestion(text: string): boolean {
  return text.includes('?') && text.trim().split(/\s+/).length >= 3;
}

/** Words a question starts with, in either language ("apakah PNS boleh …", "can a village head …"). */
export const QUESTION_FIRST_WORDS: ReadonlySet<string> = new Set([
  'apa', 'apakah', 'bolehkah', 'bisakah', 'haruskah', 'bagaimana', 'bgmn', 'gimana', 'kenapa', 'mengapa', 'siapa',
  'kapan', 'berapa', 'dimana', 'what', 'how', 'can', 'may', 'why', 'who', 'when', 'where', 'is', 'are', 'does', 'do', 'should',
]);

/**
 * A question asked in a message: one with a "?" (see {@link isQuestion}), or three words or more starting with a
 * question's word ("apakah PPPK juga dilarang", "kenapa harus isi instansi").
 */
export function asksQuestion(text: string): boolean {
  const words = matchKey(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
  return isQuestion(text) || (words.length >= 3 && QUESTION_FIRST_WORDS.has(words[0] ?? ''));
}

/** Laughter typed alone ("wkwkwk", "hahaha", "hehe"). */
const LAUGHTER = /^(?:(?:wk)+w?k?|(?:ha)+h?|(?:he)+h?|(?:hi)+h?|(?:xi)+x?|awok(?:wok)*|lol|lmao)$/;

/** A one-line answer such as a position or an agency: `min` (default 2) to `max` characters, some letters. */
export function validateShortText(text: string, max: number, min: number = textLimits.shortText.min): ParseResult<string, TextError> {
  return checkText(text, min, max, false);
}

/** An address (the reporter's, or where the event happened): 10–300 characters on one line. */
export function validateAddress(text: string): ParseResult<string, TextError> {
  return validateShortText(text, textLimits.address.max, textLimits.address.min);
}
