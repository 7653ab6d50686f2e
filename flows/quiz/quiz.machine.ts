/**
 * The ASN-neutrality quiz: the optional profile (asked once, with consent), ten questions drawn outside the
 * machine (`drawQuiz`), immediate feedback after each answer, the score, and a certificate for a pass. Started
 * from a lesson, it asks only that topic's questions. The machine never draws, scores for the record or writes a
 * file itself: it emits `checkQuizProfile`, `drawQuiz`, `finishQuiz` and `issueCertificate` commands.
 */
import { and, assign, emit, enqueueActions, setup } from 'xstate';
import { z } from 'zod';
import { getProvince, getRegency, type Regency } from '../../content/regions/regions.ts';
import type { FlowDefinition, FlowEmitted, FlowInput, FlowOutput } from '../flow.ts';
import { ask, asField, choice, feedback, say, type Choice, type InboundEvent, type Localized, type OutboundMessage } from '../messages.ts';
import { CHATTER_TRAILING, employmentFromWords, isKeepWord, isNoWord, isSkipWord, isUnknownWord, isYesWord } from '../report/answerWords.ts';
import { asksQuestion, validateShortText, withoutNameIntro } from '../report/validateText.ts';
import { districtLabel, regencyLabel, regencyShortName, searchInProvince, searchRegions, type ProvinceSearchResult } from '../shared/regionSearch.ts';
import { isChoiceNumber } from '../shared/matchChoice.ts';
import { placeKindWord, regencyKind } from '../shared/placeKind.ts';
import { ownValue } from '../shared/ownValue.ts';
import { keptQuote, normaliseForMatch } from '../shared/texts.ts';
import { toWinAnsi } from '../shared/toWinAnsi.ts';
import { formatDate } from '../report/parseDate.ts';
import {
  getQuizQuestion,
  isFullQuizWord,
  isQuizTopic,
  PASS_PERCENT,
  QUIZ_LENGTH,
  quizTopicIds,
  topicFromWords,
  topicInQuestion,
  topicLabel,
  type QuizQuestion,
  type QuizTopic,
} from './questionBank.ts';
import {
  AGENCY_MAX_CHARS,
  CERTIFICATE_NAME_MAX_CHARS,
  checkQuizProfileResultSchema,
  drawQuizResultSchema,
  employmentSchema,
  employmentValues,
  finishQuizResultSchema,
  findMyCertificateResultSchema,
  issueCertificateResultSchema,
  quizAnswerSchema,
  quizProfileSchema,
  type DrawnQuestion,
} from './quizCommands.ts';
import { capitaliseName } from '../shared/capitaliseName.ts';
import { feedbackMessage, parseAnswerValue, questionMessage, topicParam } from './quizMessages.ts';
import { firstLessonOf, lessons } from '../../content/education/lessons.ts';
import { percentOf, topicsToReview, weakestTopic } from './scoring.ts';

const nextSchema = z.enum(['retry', 'full', 'learn', 'menu']);

export const quizContextSchema = z
  .object({
    /** Set when the quiz covers one topic (started from a lesson or `/kuis <topic>`). */
    topic: z.enum(quizTopicIds).nullable(),
    /** The profile being filled in now; null when it was asked before or is not being asked. */
    profile: quizProfileSchema.nullable(),
    /** Province to search regencies in, after the user named a province. */
    regionScope: z.string().nullable(),
    /** Regency codes offered as choices, so only those are accepted. */
    regionOptions: z.array(z.string()),
    attemptId: z.string().nullable(),
    questions: z.array(z.object({ id: z.string(), optionOrder: z.array(z.string()) })),
    /** The question on screen (0-based). */
    index: z.number().int().nonnegative(),
    answers: z.array(quizAnswerSchema),
    result: z.object({ score: z.number().int(), total: z.number().int(), passed: z.boolean() }).nullable(),
    certificateName: z.string().nullable(),
    next: nextSchema.nullable(),
    /** `certificate`: started by `/sertifikat`, to send the chat's certificate again rather than to take the quiz. */
    mode: z.literal('certificate').optional(),
    /** True when words typed after `/kuis` named no topic: which quiz is asked before anything else. */
    askTopic: z.literal(true).optional(),
  })
  // A stored quiz whose questions were since removed or changed their options cannot go on: restart politely.
  .refine((context) => context.questions.every(isShowable), 'a question is no longer in the bank as drawn');
type QuizContext = z.infer<typeof quizContextSchema>;

const skipChoice = choice('skip', 'common.skip');
const provinceLevelChoice = choice('provinceLevel', 'quiz.profile.provinceLevel');

/**
 * An earlier profile answer, reached again by going back, on a button first ("Biarkan: Dinas Pendidikan"); matched
 * only by its number or whole label, so a new answer that shares its words is taken as new.
 */
function keepChoice(value: string | null | undefined): Choice[] {
  return value ? [{ ...choice('keep', 'quiz.profile.keepValue', { value: keptQuote(value) }), exact: true }] : [];
}

/** Keeping by its button or a typed "tetap" ("biarkan", "keep"). */
function wantsKeep(event: InboundEvent): boolean {
  return chosen(event) === 'keep' || (event.type === 'user.sendText' && isKeepWord(event.text));
}
const consentChoices = [choice('consent', 'quiz.profile.consent'), choice('skip', 'quiz.profile.decline')];
const employmentChoices = [...employmentValues.map((v) => choice(v, `quiz.employment.${v}`)), skipChoice];

function nextChoices(context: QuizContext): Choice[] {
  if (context.mode === 'certificate') {
    return [choice('full', 'quiz.next.full', { count: QUIZ_LENGTH }), choice('learn', 'quiz.next.learn'), choice('menu', 'common.mainMenu')];
  }
  const passedTopic = context.topic !== null && context.result?.passed === true;
  return [
    ...(passedTopic ? [] : [choice('retry', context.topic ? 'quiz.next.retryTopic' : 'quiz.next.retry')]),
    ...(context.topic ? [choice('full', 'quiz.next.full', { count: QUIZ_LENGTH })] : []),
    choice('learn', 'quiz.next.learn'),
    choice('menu', 'common.mainMenu'),
  ];
}

/** Topic names as a bulleted list, in both languages (a label may itself contain commas). */
function topicList(topics: readonly QuizTopic[]): Localized {
  const names = (locale: 'id' | 'en') => topics.map((t) => `• ${topicLabel(t)[locale]}`).join('\n');
  return { id: names('id'), en: names('en') };
}

function commandResult(event: InboundEvent, command: string): unknown {
  return event.type === 'system.commandResult' && event.command === command ? event.result : undefined;
}

function textOf(event: InboundEvent): string {
  return event.type === 'user.sendText' ? event.text : '';
}

function chosen(event: InboundEvent): string | undefined {
  return event.type === 'user.chooseOption' ? event.value : undefined;
}

/** The one regency offered whose kind the text names alone ("yg kabupaten", "kotanya"), if exactly one. */
function offeredOfKind(context: QuizContext, event: InboundEvent): string | undefined {
  if (event.type !== 'user.sendText') return undefined;
  const kind = placeKindWord(event.text);
  if (kind === undefined) return undefined;
  const matching = context.regionOptions.filter((code) => regencyKind(code) === kind);
  return matching.length === 1 ? matching[0] : undefined;
}

/** The quiz's status for each one the report reads from words; TNI/Polri are "other" here, and "ASN" names none. */
const QUIZ_EMPLOYMENT = { pns: 'pns', pppk: 'pppk', village: 'village', nonAsn: 'honorer', tniPolri: 'other', asn: undefined } as const;

/** The employment status pressed, or typed in words ("saya PNS", "CPNS", "P3K", "guru honorer"). */
function employmentOf(event: InboundEvent): z.infer<typeof employmentSchema> | undefined {
  if (event.type !== 'user.sendText') return employmentSchema.safeParse(chosen(event)).data;
  // CPNS is its own answer here; the report counts a candidate as a PNS.
  if (/\bcpns\b/i.test(event.text)) return 'cpns';
  // "PPPK guru", "PNS guru SD": the status first, the job after it.
  const named = employmentFromWords(event.text, { leading: true });
  if (named !== undefined && named !== 'asn') return QUIZ_EMPLOYMENT[named];
  // "civil servant (PNS)": one status named among other words, and no "bukan" or "atau" about it.
  const words = normaliseForMatch(event.text).split(' ');
  const each = new Set(words.map((word) => employmentFromWords(word)).filter((found) => found !== undefined && found !== 'asn'));
  const single = each.size === 1 && !words.some((word) => NOT_ONE_STATUS.has(word)) ? [...each][0] : undefined;
  if (single !== undefined) return QUIZ_EMPLOYMENT[single];
  return named === undefined ? undefined : QUIZ_EMPLOYMENT[named];
}
/** Words that make a status named beside them no answer ("bukan PNS", "PNS atau PPPK", "mantan kades"). */
const NOT_ONE_STATUS: ReadonlySet<string> = new Set(['bukan', 'not', 'atau', 'or', 'mantan', 'former', 'eks', 'ex', 'dan', 'and']);

/** Emoji and the joiners between their parts: never part of a name, and the certificate's fonts cannot draw them. */
const PICTOGRAPHS = /[\p{Extended_Pictographic}\u{FE0F}\u{200D}\u{20E3}\u{1F3FB}-\u{1F3FF}]/gu;
/** Titles and initials written with points ("S.Pd.", "M.Si.", "Dr.", "R."): a name is more than these. */
const DOTTED = /(?<!\p{L})(?:\p{L}{1,4}\.)+(?:\p{L}{1,4}(?!\p{L}))?/gu;

/**
 * The name to print, from what was typed: "my name is Siti Nurhaliza, S.Pd." and "bukan, nama saya Siti Nurhaliza,
 * S.Pd." print "Siti Nurhaliza, S.Pd."; emoji are dropped; titles alone ("S.Pd.") are no name. A name typed all in
 * lower case gets its capitals ("siti nurhaliza s.pd" prints the same).
 */
function certificateNameOf(text: string): ReturnType<typeof validateShortText> {
  const cleaned = withoutNameIntro(text.replace(PICTOGRAPHS, '')).replace(/\s{2,}/g, ' ').trim();
  const name = validateShortText(cleaned, CERTIFICATE_NAME_MAX_CHARS);
  if (!name.ok) return name;
  // A final period ends the sentence ("Ani."); what is left without titles and initials must hold a word.
  if (!/\p{L}{2}/u.test(name.value.replace(/\.$/, '').replace(DOTTED, ' '))) return { ok: false, error: 'noLetters' };
  return { ok: true, value: capitaliseName(name.value, CERTIFICATE_NAME_MAX_CHARS) };
}

/**
 * Words people type to take the quiz again rather than press "Ulangi kuis": "ulang lg", "ulangi lagi", "coba lagi",
 * "sekali lagi", "try again", "again", read as `normaliseForMatch` leaves them (single spaces) after the politeness at
 * their end is dropped ("coba lagi dong").
 */
const RETRY_PHRASE = new RegExp(
  `^(?:(?:ya|ok|oke|okay|ayo|yuk|boleh|mau|saya mau|aku mau|let me|i want to|i d like to) )?(?:${[
    'ulang(?:i|in)?(?: kuis(?:nya)?)?(?: lagi| lg)?',
    '(?:coba|main|kerjakan|ikut|ikuti)(?: kuis(?:nya)?)? (?:lagi|lg|ulang)',
    '(?:coba )?sekali (?:lagi|lg)',
    'lagi',
    '(?:try|do|take|play)(?: it| the quiz)? (?:again|once more)',
    'again|once more|one more time|retry|retake|redo',
  ].join('|')})$`,
);

/** True for typed words that ask to take the quiz again ("coba lagi", "try again"). */
function isRetryPhrase(text: string): boolean {
  return RETRY_PHRASE.test(normaliseForMatch(text).replace(CHATTER_TRAILING, '').trim());
}

/** "Belajar", "pelajari materinya", "baca materi dulu", "learn": the lessons, where "Pelajari aturan" is on screen. */
const LEARN_PHRASE =
  /^(?:(?:mau|saya mau|aku mau|ingin|ok|oke|i want to|let me|i d like to) )?(?:(?:belajar|pelajari|baca|learn|study|read)(?: (?:lagi|dulu|materi(?:nya)?|aturan(?:nya)?|again|the lessons?|the rules))*|materi(?:nya)?|lessons?)$/;

function isLearnPhrase(text: string): boolean {
  return LEARN_PHRASE.test(normaliseForMatch(text).replace(CHATTER_TRAILING, '').trim());
}

/**
 * "Kenapa?", "kok salah?", "mengapa begitu", "why?", "jelaskan": a question about an answer, not an answer. Read at the
 * start of the message, after a filler word ("lho kok", "tapi kenapa").
 */
const WHY_PHRASE =
  /^(?:(?:lho|loh|lo|eh|lah|hah|tapi|terus|trus|lalu|jadi|but|so|and|apa)\s+)?(?:kenapa|mengapa|knp|napa|ngapa|kok|koq|why|how come|alasan(?:nya)?|penjelasan(?:nya)?|pembahasan(?:nya)?|jelaskan|jelasin|maksudnya|explain|explanation)(?:\s|$)/;

function isWhyPhrase(text: string): boolean {
  return WHY_PHRASE.test(normaliseForMatch(text));
}

/** Asking to change the name to print ("ubah nama", "change name", "namanya salah"): no name to print. */
const CHANGE_NAME =
  /^(?:(?:mau|ingin|saya mau|i want to|i d like to|please|tolong) )?(?:ubah|ganti|edit|perbaiki|koreksi|betulkan|change|correct|fix)(?: (?:nama|namanya|nama saya|name|the name|my name|it))?$|^(?:nama(?:nya)? salah|salah nama|wrong name|the name is wrong)$/;
function isChangeNamePhrase(text: string): boolean {
  return CHANGE_NAME.test(normaliseForMatch(text).replace(CHATTER_TRAILING, '').trim());
}


/** A typed letter answer ("b", "B.", "c)"), as people answer multiple choice on paper: its 1-based position. */
function letterPosition(text: string): number | undefined {
  const match = /^([a-z])\s*[.)]?$/i.exec(text.trim());
  return match ? match[1]!.toLowerCase().charCodeAt(0) - 96 : undefined;
}

/** A bare yes or no, as typed to a yes-or-no question ("iya", "gak"), in the words its options start with. */
const YES_ANSWER = /^(?:y|ya+|iya+|iy|yes|yess?)$/;
const NO_ANSWER = /^(?:tidak|tdk|tak|gak|ga|gk|nggak|ngga|enggak|no|bukan)$/;

/** True for a question asked as yes or no ("Apakah …?", "Bolehkah …?", "Is …?"), whose options start with Ya or Tidak. */
function isYesNoQuestion(question: QuizQuestion): boolean {
  return /\b(?:apakah|bolehkah)\b/i.test(question.prompt.id) || /^(?:is|are|does|do|can|may|must)\b/i.test(question.prompt.en);
}

/** Words before an answer that do not change it: "jawabannya b", "pilihan c", "the PPK", "saya pilih 2". */
const ANSWER_LEADING: ReadonlySet<string> = new Set([
  'jawabannya', 'jawaban', 'jawabanku', 'jawab', 'jwb', 'pilihan', 'pilih', 'opsi', 'option', 'answer', 'my', 'is', 'the',
  'yang', 'yg', 'no', 'nomor', 'nmr', 'saya', 'aku', 'sy', 'i', 'choose', 'pick',
  // Doubt before the answer: "kayaknya yg 4", "probably 3", "I think it's D".
  'kayaknya', 'kyknya', 'kayanya', 'sepertinya', 'mungkin', 'maybe', 'probably', 'think', 'it', 's',
]);
/** Doubt after an answer, which does not change it either: "2 kayaknya", "b mungkin", "ptdh maybe", "the … one". */
const ANSWER_DOUBT = /(?:\s+(?:kayaknya|kyknya|kayanya|sepertinya|mungkin|kali|maybe|probably|i think|one))+$/;
/** Short forms people type, as the options spell them out ("sbg calon", "1 thn", "ga boleh"). */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  sbg: 'sebagai', thn: 'tahun', th: 'tahun', bln: 'bulan', yg: 'yang', dgn: 'dengan', dg: 'dengan', utk: 'untuk', krn: 'karena',
  org: 'orang', dr: 'dari', dlm: 'dalam', pd: 'pada', sdh: 'sudah', blm: 'belum', hrs: 'harus', blh: 'boleh', tdk: 'tidak',
  tak: 'tidak', ga: 'tidak', gak: 'tidak', gk: 'tidak', nggak: 'tidak', ngga: 'tidak', enggak: 'tidak', engga: 'tidak',
  stlh: 'setelah', stlah: 'setelah', sblm: 'sebelum', sblum: 'sebelum', krg: 'kurang', lbh: 'lebih', spt: 'seperti',
  kpd: 'kepada', thd: 'terhadap', ttg: 'tentang', tp: 'tapi', jd: 'jadi', bs: 'bisa',
};
/** Words too common to pick an option alone. */
const TOO_COMMON: ReadonlySet<string> = new Set(['dan', 'atau', 'yang', 'dari', 'ke', 'di', 'untuk', 'dengan', 'the', 'and', 'or', 'of', 'to', 'a', 'an']);

/** The words of a typed answer without the words around it (see `ANSWER_LEADING`, `ANSWER_DOUBT`, politeness). */
function answerWords(text: string): string {
  const words = normaliseForMatch(text)
    .replace(CHATTER_TRAILING, '')
    .replace(ANSWER_DOUBT, '')
    .replace(/^(?:the|that) one (?=\S)/, '')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
  let start = 0;
  while (words.length - start > 1 && ANSWER_LEADING.has(words[start]!)) start += 1;
  return words.slice(start).join(' ');
}

/**
 * The option typed in words: the start of exactly one option's text, in either language, in whole words ("pns dan
 * pppk", "pasal 24", "tidak boleh"), its whole text without what it adds in brackets ("pemberhentian tidak dengan
 * hormat" for "… (PTDH)"), or else words only one option holds ("ptdh", "kode etik", "code of ethics"). Short forms
 * count as their long ones ("sbg calon", "ga boleh"). A bare yes or no answers only a yes-or-no question: typed after
 * the last feedback, "ya" may mean "ok".
 */
function optionByWords(question: QuizQuestion, text: string): string | undefined {
  let typed = answerWords(text);
  if (typed === '') return undefined;
  if (YES_ANSWER.test(typed) || NO_ANSWER.test(typed)) {
    if (!isYesNoQuestion(question)) return undefined;
    typed = YES_ANSWER.test(typed) ? 'ya' : 'tidak';
  }
  if (typed.includes(' ')) typed = typed.split(' ').map((w) => ownValue(SHORT_FORMS, w) ?? w).join(' ');
  const forms = (option: QuizQuestion['options'][number]) =>
    [option.text.id, option.text.en].flatMap((t) => [normaliseForMatch(t), normaliseForMatch(t.replace(/\s*\([^)]*\)/g, ''))]);
  const matching = question.options.filter((option) => forms(option).some((form) => form === typed || form.startsWith(`${typed} `)));
  if (matching.length > 0) return matching.length === 1 ? sameRootElsewhere(question, matching[0], typed) : undefined;
  const words = typed.split(' ');
  if (typed.length < 3 || words.length > 5 || words.every((w) => TOO_COMMON.has(w))) return undefined;
  const holding = question.options.filter((option) => forms(option).some((form) => ` ${form} `.includes(` ${typed} `)));
  return holding.length === 1 ? sameRootElsewhere(question, holding[0], typed) : undefined;
}

/**
 * The option a single word picked, unless another option holds a word of the same root: "melanggar" is no choice
 * between "Melanggar hanya jika …" and "Termasuk pelanggaran" (both say it breaks the rules), so it is asked again.
 */
function sameRootElsewhere(question: QuizQuestion, picked: QuizQuestion['options'][number] | undefined, typed: string): string | undefined {
  if (!picked || typed.includes(' ')) return picked?.id;
  const root = wordRoot(typed);
  const others = question.options.filter((option) => option.id !== picked.id);
  const shared = others.some((option) =>
    [option.text.id, option.text.en].some((t) => normaliseForMatch(t).split(' ').some((word) => wordRoot(word) === root)),
  );
  return shared ? undefined : picked.id;
}

/** Indonesian affixes around a root ("melanggar", "pelanggaran", "dilanggar" share "langgar"). */
const SUFFIXES = ['nya', 'kan', 'an', 'i'];
const PREFIXES = ['meng', 'meny', 'mem', 'men', 'me', 'peng', 'peny', 'pem', 'pen', 'pe', 'ber', 'be', 'di', 'ter', 'ke', 'se'];
const ROOT_MIN_LETTERS = 4;

/** A word without one suffix and one prefix of those above, each only where a root of four letters or more is left. */
function wordRoot(word: string): string {
  let root = word;
  const suffix = SUFFIXES.find((s) => root.endsWith(s) && root.length - s.length >= ROOT_MIN_LETTERS);
  if (suffix) root = root.slice(0, -suffix.length);
  const prefix = PREFIXES.find((p) => root.startsWith(p) && root.length - p.length >= ROOT_MIN_LETTERS);
  return prefix ? root.slice(prefix.length) : root;
}

/** The option id an answer event (a choice, a typed letter or words) picks for the question on screen, or undefined. */
function pickedOption(context: QuizContext, event: InboundEvent): string | undefined {
  const current = context.questions[context.index];
  if (!current) return undefined;
  if (event.type === 'user.sendText') {
    // "b", "jawabannya b", "pilihan c", "2 kayaknya": a letter or a number with words around it.
    const bare = answerWords(event.text);
    const position = letterPosition(event.text) ?? letterPosition(bare) ?? (/^\d{1,2}$/.test(bare) ? Number(bare) : undefined);
    if (position !== undefined) return current.optionOrder[position - 1];
    const question = getQuizQuestion(current.id);
    return question ? optionByWords(question, event.text) : undefined;
  }
  const value = chosen(event);
  const parsed = value === undefined ? undefined : parseAnswerValue(value);
  if (!parsed || parsed.number !== context.index + 1) return undefined;
  return current.optionOrder[parsed.position - 1];
}

const emptyProfile = { agency: null, regencyCode: null, employment: null };

/** An answer to the question on screen (a pressed or typed choice, or a letter): feedback, then on or to the score. */
const takeAnswer = [
  { guard: and(['isCurrentAnswer', 'isLastQuestion']), target: 'finishing', actions: ['recordAnswer', 'giveFeedback'] },
  { guard: 'isCurrentAnswer', target: 'asking', reenter: true, actions: ['recordAnswer', 'giveFeedback', 'advance'] },
] as const;

export const quizMachine = setup({
  types: {
    input: {} as FlowInput,
    context: {} as QuizContext,
    events: {} as InboundEvent,
    emitted: {} as FlowEmitted,
    output: {} as FlowOutput,
  },
  guards: {
    isCertificateMode: ({ context }) => context.mode === 'certificate',
    isMyCertificateResult: ({ event }) => findMyCertificateResultSchema.safeParse(commandResult(event, 'findMyCertificate')).success,
    isProfileStatus: ({ event }) => checkQuizProfileResultSchema.safeParse(commandResult(event, 'checkQuizProfile')).success,
    hasBeenAskedProfile: ({ event }) =>
      checkQuizProfileResultSchema.safeParse(commandResult(event, 'checkQuizProfile')).data?.asked === true,
    isDrawResult: ({ event }) => drawQuizResultSchema.safeParse(commandResult(event, 'drawQuiz')).success,
    hasDrawnQuestions: ({ event }) => {
      const drawn = drawQuizResultSchema.safeParse(commandResult(event, 'drawQuiz')).data;
      return drawn?.attemptId != null && drawn.questions.length > 0 && drawn.questions.every(isShowable);
    },
    isFinishResult: ({ event }) => finishQuizResultSchema.safeParse(commandResult(event, 'finishQuiz')).success,
    isCertificateResult: ({ event }) =>
      issueCertificateResultSchema.safeParse(commandResult(event, 'issueCertificate')).success,
    isSkip: ({ event }) => chosen(event) === 'skip' || (event.type === 'user.sendText' && isSkipWord(event.text)),
    isChoiceNumber: ({ event }) => event.type === 'user.sendText' && isChoiceNumber(event.text),
    namesOneOfferedKind: ({ context, event }) => offeredOfKind(context, event) !== undefined,
    isPlaceKindWord: ({ event }) => event.type === 'user.sendText' && placeKindWord(event.text) !== undefined,
    // "Gatau", "I don't know": no answer, but no mistake either; a guess is welcome (the explanation follows it).
    isUnsureText: ({ event }) => event.type === 'user.sendText' && isUnknownWord(event.text),
    /** A question of its own typed at a quiz question ("apakah PPPK juga dilarang?"): asked, not answered. */
    isOwnQuestion: ({ event }) => event.type === 'user.sendText' && asksQuestion(event.text),
    keepsAgency: ({ context, event }) => context.profile?.agency != null && wantsKeep(event),
    keepsRegency: ({ context, event }) => context.profile?.regencyCode != null && wantsKeep(event),
    /** A typed "tetap" with nothing to keep: no agency is called that, and Kecamatan Tetap (Kaur) is not what is meant. */
    isKeepText: ({ event }) => event.type === 'user.sendText' && isKeepWord(event.text),
    isConsent: ({ event }) => chosen(event) === 'consent',
    /** A typed yes (`ya`, `iya`, `boleh`, `oke`) or no (`tidak`, `bukan`) in place of a button. */
    isYesText: ({ event }) => event.type === 'user.sendText' && isYesWord(event.text),
    isNoText: ({ event }) => event.type === 'user.sendText' && isNoWord(event.text),
    isValidAgency: ({ event }) => validateShortText(textOf(event), AGENCY_MAX_CHARS).ok,
    isExactRegion: ({ context, event }) => {
      const found = findRegion(context, textOf(event));
      return found.kind === 'exact' || found.kind === 'district';
    },
    isProvince: ({ context, event }) => findRegion(context, textOf(event)).kind === 'province',
    isProvinceLevel: ({ context, event }) => provinceLevelOf(context, event) !== undefined,
    hasRegionChoices: ({ context, event }) => findRegion(context, textOf(event)).kind === 'choices',
    isOfferedRegion: ({ context, event }) => {
      const value = chosen(event);
      return value !== undefined && value.startsWith('region:') && context.regionOptions.includes(value.slice(7));
    },
    isRetype: ({ event }) => chosen(event) === 'retype',
    isEmployment: ({ event }) => employmentOf(event) !== undefined,
    /** "ASN", "civil servant": either PNS or PPPK. */
    isEitherAsn: ({ event }) => event.type === 'user.sendText' && employmentFromWords(event.text) === 'asn',
    isCurrentAnswer: ({ context, event }) => pickedOption(context, event) !== undefined,
    isLastQuestion: ({ context }) => context.index + 1 >= context.questions.length,
    isStaleAnswer: ({ event }) => {
      const value = chosen(event);
      return value !== undefined && parseAnswerValue(value) !== undefined;
    },
    canCertify: ({ context }) => context.topic === null && context.result?.passed === true,
    isValidName: ({ event }) => certificateNameOf(textOf(event)).ok,
    isConfirm: ({ event }) => chosen(event) === 'confirm',
    isChangeName: ({ event }) => chosen(event) === 'change',
    isChangeNameText: ({ event }) => event.type === 'user.sendText' && isChangeNamePhrase(event.text),
    /** "Coba lagi", "try again" where "Ulangi kuis" is on screen. */
    isRetryText: ({ context, event }) =>
      event.type === 'user.sendText' && nextChoices(context).some((c) => c.value === 'retry') && isRetryPhrase(event.text),
    isLearnText: ({ context, event }) =>
      event.type === 'user.sendText' && nextChoices(context).some((c) => c.value === 'learn') && isLearnPhrase(event.text),
    isFullText: ({ context, event }) =>
      event.type === 'user.sendText' && nextChoices(context).some((c) => c.value === 'full') && isFullQuizWord(event.text),
    isWhyText: ({ event }) => event.type === 'user.sendText' && isWhyPhrase(event.text),
    hasAnswered: ({ context }) => context.answers.length > 0,
    hasFailed: ({ context }) => context.result?.passed === false,
    isTopicAsked: ({ context }) => context.askTopic === true,
    isTopicChoice: ({ event }) => {
      const value = chosen(event);
      return value !== undefined && value.startsWith('topic:') && isQuizTopic(value.slice(6));
    },
    isTopicText: ({ event }) => event.type === 'user.sendText' && topicFromWords(event.text) !== undefined,
    isFullChoice: ({ event }) => chosen(event) === 'full' || (event.type === 'user.sendText' && isFullQuizWord(event.text)),
    isNextChoice: ({ context, event }) => {
      const value = chosen(event);
      return value !== undefined && nextChoices(context).some((c) => c.value === value);
    },
  },
  actions: {
    checkProfile: emit({ type: 'command', command: { type: 'checkQuizProfile' } }),
    drawQuestions: emit(({ context }) => ({
      type: 'command' as const,
      command: { type: 'drawQuiz', topic: context.topic, profile: context.profile },
    })),
    startProfile: assign({ profile: () => ({ ...emptyProfile }) }),
    askConsent: emit({ type: 'reply', message: ask('quiz.profile.intro', undefined, consentChoices) }),
    explainConsent: emit({ type: 'reply', message: say('quiz.profile.help') }),
    sayProfileSkipped: emit({ type: 'reply', message: feedback('quiz.profile.skipped') }),
    sayProfileThanks: emit({ type: 'reply', message: say('quiz.profile.thanks') }),
    // A status typed in words ("saya kades pak") is said back as understood, as a regency typed is.
    noteTypedEmployment: enqueueActions(({ event, enqueue }) => {
      const employment = event.type === 'user.sendText' ? employmentOf(event) : undefined;
      if (employment) enqueue.emit({ type: 'reply', message: say('quiz.profile.employmentNoted', { status: { key: `quiz.employment.${employment}` } }) });
    }),
    // Every question skipped: nothing was given, so there is nothing to thank for or to explain the use of.
    thankForAnyProfile: enqueueActions(({ context, enqueue }) => {
      if (context.profile?.agency != null || context.profile?.regencyCode != null) enqueue.emit({ type: 'reply', message: say('quiz.profile.thanks') });
    }),
    askAgency: emit(({ context }) => ({
      type: 'reply' as const,
      message: asField(ask('quiz.profile.askAgency', { max: AGENCY_MAX_CHARS }, [...keepChoice(context.profile?.agency), skipChoice])),
    })),
    // Skipped, a question answered before going back is left empty, as on the first pass.
    explainNothingToKeep: emit({ type: 'reply', message: say('quiz.profile.nothingToKeep') }),
    explainEitherAsn: emit({ type: 'reply', message: say('quiz.profile.asnWhich') }),
    // Declining after going back forgets what was given before: the profile is recorded only with consent.
    forgetProfile: assign({ profile: () => ({ ...emptyProfile }) }),
    clearAgency: assign({ profile: ({ context }) => ({ ...(context.profile ?? emptyProfile), agency: null }) }),
    clearRegency: assign({ profile: ({ context }) => ({ ...(context.profile ?? emptyProfile), regencyCode: null }), regionScope: null, regionOptions: [] }),
    explainAgency: emit({ type: 'reply', message: say('quiz.profile.agencyInvalid', { max: AGENCY_MAX_CHARS }) }),
    saveAgency: assign({
      profile: ({ context, event }) => {
        const agency = validateShortText(textOf(event), AGENCY_MAX_CHARS);
        return { ...(context.profile ?? emptyProfile), agency: agency.ok ? agency.value : null };
      },
    }),
    askRegency: emit(({ context }) => {
      const province = context.regionScope ? getProvince(context.regionScope)?.name : undefined;
      const code = context.profile?.regencyCode;
      const heldRegency = code ? getRegency(code) : undefined;
      const held = heldRegency ? regencyShortName(heldRegency) : code ? getProvince(code)?.name : undefined;
      return {
        type: 'reply' as const,
        message: province
          ? asField(ask('quiz.profile.askRegencyInProvince', { province }, [provinceLevelChoice, skipChoice]))
          : asField(ask('quiz.profile.askRegency', undefined, [...keepChoice(held), skipChoice])),
      };
    }),
    // A provincial government's agency: the province stands for the regency ("Pemprov Jawa Barat").
    saveProvinceLevel: enqueueActions(({ context, event, enqueue }) => {
      const code = provinceLevelOf(context, event);
      const province = code ? getProvince(code) : undefined;
      if (!province) return;
      enqueue.assign({ profile: { ...(context.profile ?? emptyProfile), regencyCode: province.code }, regionScope: null, regionOptions: [] });
      enqueue.emit({ type: 'reply', message: say('quiz.profile.provinceNoted', { province: province.name }) });
    }),
    saveExactRegion: enqueueActions(({ context, event, enqueue }) => {
      const found = findRegion(context, textOf(event));
      if (found.kind !== 'exact' && found.kind !== 'district') return;
      const label = found.kind === 'district' ? districtLabel(found.district, found.regency) : regencyLabel(found.regency);
      enqueue.assign({
        profile: { ...(context.profile ?? emptyProfile), regencyCode: found.regency.code },
        regionScope: null,
        regionOptions: [],
      });
      enqueue.emit({ type: 'reply', message: regencyNoted(found.regency, label, context.regionScope) });
    }),
    narrowToProvince: assign({
      regionScope: ({ context, event }) => {
        const found = findRegion(context, textOf(event));
        return found.kind === 'province' ? found.province.code : context.regionScope;
      },
    }),
    offerRegions: enqueueActions(({ context, event, enqueue }) => {
      const found = findRegion(context, textOf(event));
      if (found.kind !== 'choices') return;
      // One entry per regency: a regency and one of its districts lead to the same answer. One reached through
      // several of its districts ("kebayoran": Baru and Lama) is named by the regency, not by the first of them.
      const places = found.options;
      const shared = new Set(places.filter((o, i) => places.findIndex((p) => p.regency.code === o.regency.code) !== i).map((o) => o.regency.code));
      const seen = new Set<string>();
      const options = places
        .filter((o) => !seen.has(o.regency.code) && seen.add(o.regency.code))
        .map((o) => (shared.has(o.regency.code) ? { regency: o.regency } : o));
      enqueue.assign({ regionOptions: options.map((o) => o.regency.code) });
      enqueue.emit({
        type: 'reply',
        message: ask('quiz.profile.chooseRegency', undefined, [
          ...options.map((o) => ({
            value: `region:${o.regency.code}`,
            label: { literal: o.district ? districtLabel(o.district, o.regency) : regencyLabel(o.regency) },
          })),
          choice('retype', 'quiz.profile.retype'),
          skipChoice,
        ]),
      });
    }),
    explainPickFromList: emit({ type: 'reply', message: say('quiz.profile.regencyPickFromList') }),
    // Pressed or typed as its number, or named by its kind ("yg kabupaten").
    saveOfferedRegion: enqueueActions(({ context, event, enqueue }) => {
      const code = offeredOfKind(context, event) ?? chosen(event)?.slice(7) ?? '';
      const regency = getRegency(code);
      if (!regency) return;
      enqueue.assign({
        profile: { ...(context.profile ?? emptyProfile), regencyCode: code },
        regionScope: null,
        regionOptions: [],
      });
      enqueue.emit({ type: 'reply', message: regencyNoted(regency, regencyLabel(regency), context.regionScope) });
    }),
    clearRegionSearch: assign({ regionScope: null, regionOptions: [] }),
    explainRegionNotFound: emit(({ event }) => ({
      type: 'reply' as const,
      // "2" where the only choice is "1. Lewati" is a choice that is not there, not a regency called "2".
      message: isChoiceNumber(textOf(event))
        ? say('quiz.profile.regencyNumber')
        : say('quiz.profile.regencyNotFound', { query: textOf(event).trim().slice(0, 60) }),
    })),
    explainNoSuchRegionChoice: emit(({ event }) => ({
      type: 'reply' as const,
      message: say('quiz.profile.regencyChoiceNumber', { number: Number.parseInt(textOf(event).trim(), 10) }),
    })),
    askEmployment: emit({ type: 'reply', message: ask('quiz.profile.askEmployment', undefined, employmentChoices) }),
    saveEmployment: assign({
      profile: ({ context, event }) => ({
        ...(context.profile ?? emptyProfile),
        employment: employmentOf(event) ?? null,
      }),
    }),
    storeDraw: assign(({ event }) => {
      const drawn = drawQuizResultSchema.parse(commandResult(event, 'drawQuiz'));
      return { attemptId: drawn.attemptId, questions: drawn.questions, index: 0, answers: [] };
    }),
    introduce: emit(({ context }) => ({
      type: 'reply' as const,
      message: context.topic
        ? say('quiz.introTopic', { topic: topicParam(context.topic), count: context.questions.length, pass: PASS_PERCENT })
        : say('quiz.intro', { count: context.questions.length, pass: PASS_PERCENT }),
    })),
    sayNoQuestions: emit({ type: 'reply', message: say('quiz.noQuestions') }),
    sayFailure: emit({ type: 'reply', message: say('common.error') }),
    askQuestion: emit(({ context }) => {
      const drawn = context.questions[context.index] as DrawnQuestion;
      const question = getQuizQuestion(drawn.id);
      if (!question) throw new Error(`question ${drawn.id} is not in the bank`);
      return { type: 'reply' as const, message: questionMessage(question, drawn.optionOrder, context.index + 1, context.questions.length) };
    }),
    recordAnswer: assign({
      answers: ({ context, event }) => {
        const current = context.questions[context.index];
        const option = pickedOption(context, event);
        return current && option ? [...context.answers, { questionId: current.id, chosen: option }] : context.answers;
      },
    }),
    giveFeedback: emit(({ context }) => {
      const last = context.answers[context.answers.length - 1];
      const question = last ? getQuizQuestion(last.questionId) : undefined;
      if (!last || !question) throw new Error('no answer to give feedback on');
      return { type: 'reply' as const, message: feedbackMessage(question, last.chosen) };
    }),
    advance: assign({ index: ({ context }) => context.index + 1 }),
    hintAnswer: emit(({ context }) => {
      const last = context.questions[context.index]?.optionOrder.length ?? 4;
      return { type: 'reply' as const, message: say('quiz.answerHint', { last, lastLetter: String.fromCharCode(64 + last) }) };
    }),
    explainStale: emit({ type: 'reply', message: say('quiz.staleAnswer') }),
    encourageGuess: emit({ type: 'reply', message: say('quiz.unsure') }),
    // Named with the lesson on its topic when the question has one ("apa itu PTDH?": the sanctions' first card).
    deferQuestion: emit(({ event }) => {
      const topic = event.type === 'user.sendText' ? topicInQuestion(event.text) : undefined;
      const lesson = topic ? firstLessonOf(topic) : undefined;
      const message = lesson
        ? say('quiz.ownQuestionLesson', { title: lesson.title, number: lessons.indexOf(lesson) + 1 })
        : say('quiz.ownQuestion');
      return { type: 'reply' as const, message };
    }),
    // At the first question there is no answer sent yet to speak of.
    explainNoGoingBack: emit(({ context }) => ({ type: 'reply' as const, message: say(context.index === 0 ? 'quiz.noGoingBackFirst' : 'quiz.noGoingBack') })),
    explainQuiz: emit({ type: 'reply', message: say('quiz.help', { pass: PASS_PERCENT }) }),
    finish: emit(({ context }) => ({
      type: 'command' as const,
      command: { type: 'finishQuiz', attemptId: context.attemptId, answers: context.answers },
    })),
    storeResult: assign({ result: ({ event }) => finishQuizResultSchema.parse(commandResult(event, 'finishQuiz')) }),
    reportResult: enqueueActions(({ context, enqueue }) => {
      const result = context.result;
      if (!result) return;
      enqueue.emit({
        type: 'reply',
        message: say('quiz.score', {
          score: result.score,
          total: result.total,
          percent: percentOf(result.score, result.total),
        }),
      });
      enqueue.emit({ type: 'reply', message: say(result.passed ? 'quiz.passed' : 'quiz.failed', { pass: PASS_PERCENT }) });
      const review = topicsToReview(context.answers);
      if (review.length > 0 && context.topic === null) {
        enqueue.emit({ type: 'reply', message: say('quiz.review', { topics: topicList(review) }) });
      }
      if (result.passed && context.topic !== null) {
        enqueue.emit({ type: 'reply', message: say('quiz.topicPassed', { count: QUIZ_LENGTH }) });
      }
    }),
    askName: emit({
      type: 'reply',
      message: ask('quiz.certificate.askName', { max: CERTIFICATE_NAME_MAX_CHARS }, [choice('skip', 'quiz.certificate.noName')]),
    }),
    explainName: emit(({ event }) => {
      const name = certificateNameOf(textOf(event));
      const tooLong = !name.ok && name.error === 'tooLong';
      return {
        type: 'reply' as const,
        message: tooLong
          ? say('quiz.certificate.nameTooLong', { max: CERTIFICATE_NAME_MAX_CHARS, length: Number(name.params?.length ?? 0) })
          : say('quiz.certificate.nameInvalid', { max: CERTIFICATE_NAME_MAX_CHARS }),
      };
    }),
    explainNameWanted: emit({ type: 'reply', message: say('quiz.certificate.nameWanted') }),
    explainCertificate: emit({ type: 'reply', message: say('quiz.certificate.help') }),
    saveName: assign({
      certificateName: ({ event }) => {
        const name = certificateNameOf(textOf(event));
        return name.ok ? name.value : null;
      },
    }),
    clearName: assign({ certificateName: null }),
    // The certificate's fonts draw Latin letters only: a name they cannot print is shown as it will be printed.
    confirmName: emit(({ context }) => {
      const name = context.certificateName ?? '';
      const printed = toWinAnsi(name);
      return {
        type: 'reply' as const,
        message: ask(printed === name ? 'quiz.certificate.confirmName' : 'quiz.certificate.confirmNamePrinted', { name, printed }, [
          choice('confirm', 'quiz.certificate.confirm'),
          choice('change', 'quiz.certificate.change'),
        ]),
      };
    }),
    issueCertificate: emit(({ context }) => ({
      type: 'command' as const,
      command: { type: 'issueCertificate', attemptId: context.attemptId, name: context.certificateName },
    })),
    deliverCertificate: enqueueActions(({ event, enqueue }) => {
      const issued = issueCertificateResultSchema.parse(commandResult(event, 'issueCertificate'));
      enqueue.emit({
        type: 'reply',
        message: {
          type: 'document',
          path: issued.path,
          fileName: issued.fileName,
          caption: { key: 'quiz.certificate.caption', params: { code: issued.code } },
        },
      });
      enqueue.emit({ type: 'reply', message: say('quiz.certificate.issued', { code: issued.code }) });
    }),
    findMyCertificate: emit({ type: 'command', command: { type: 'findMyCertificate' } }),
    sendMyCertificate: enqueueActions(({ event, enqueue }) => {
      const found = findMyCertificateResultSchema.parse(commandResult(event, 'findMyCertificate'));
      if (found.status === 'none') {
        enqueue.emit({ type: 'reply', message: say('quiz.certificate.none', { count: QUIZ_LENGTH, pass: PASS_PERCENT }) });
        return;
      }
      const issued = { id: formatDate(found.issuedAt, 'id'), en: formatDate(found.issuedAt, 'en') };
      if (found.status === 'removed') {
        enqueue.emit({ type: 'reply', message: say('quiz.certificate.removed', { code: found.code, date: issued }) });
        return;
      }
      enqueue.emit({
        type: 'reply',
        message: { type: 'document', path: found.path, fileName: found.fileName, caption: { key: 'quiz.certificate.caption', params: { code: found.code } } },
      });
      enqueue.emit({ type: 'reply', message: say('quiz.certificate.again', { code: found.code, date: issued }) });
    }),
    askNext: emit(({ context }) => ({
      type: 'reply' as const,
      message: ask('quiz.next.ask', undefined, nextChoices(context)),
    })),
    rememberNext: assign({ next: ({ event }) => nextSchema.safeParse(chosen(event)).data ?? null }),
    rememberRetry: assign({ next: 'retry' as const }),
    rememberLearn: assign({ next: 'learn' as const }),
    rememberFull: assign({ next: 'full' as const }),
    askWhichQuiz: emit({
      type: 'reply',
      message: ask('quiz.chooseTopic', undefined, [
        ...quizTopicIds.map((id) => ({ value: `topic:${id}`, label: { localized: topicLabel(id) } })),
        choice('full', 'quiz.next.full', { count: QUIZ_LENGTH }),
      ]),
    }),
    explainTopicChoice: emit({ type: 'reply', message: say('quiz.chooseTopicHelp', { count: QUIZ_LENGTH }) }),
    chooseTopic: assign({
      topic: ({ event }) => {
        const pressed = chosen(event)?.replace(/^topic:/, '');
        if (isQuizTopic(pressed)) return pressed;
        return event.type === 'user.sendText' ? (topicFromWords(event.text) ?? null) : null;
      },
      askTopic: undefined,
    }),
    chooseFull: assign({ topic: null, askTopic: undefined }),
    // The explanation of the answer just given, again: asked for after its feedback ("kok salah?"). Asked again, it
    // would only repeat, so the lesson on the question's topic is named for more: to read once the quiz is over.
    explainLastAnswer: enqueueActions(({ context, enqueue }) => {
      const last = context.answers[context.answers.length - 1];
      const question = last ? getQuizQuestion(last.questionId) : undefined;
      const correct = question?.options.find((o) => o.id === question.correct);
      if (!question || !correct) {
        enqueue.emit({ type: 'reply', message: say('quiz.whyFirst') });
        return;
      }
      enqueue.emit({
        type: 'reply',
        message: say('quiz.whyAgain', { number: context.answers.length, answer: correct.text, explanation: question.explanation }),
      });
      const lesson = firstLessonOf(question.topic);
      if (!lesson) return;
      const pointer = context.result ? 'quiz.whyLessonAfter' : 'quiz.whyLessonDuring';
      enqueue.emit({ type: 'reply', message: say(pointer, { title: lesson.title, number: lessons.indexOf(lesson) + 1 }) });
    }),
    explainWhyFirst: emit({ type: 'reply', message: say('quiz.whyFirst') }),
    explainFailed: emit(({ context }) => {
      const total = context.result?.total ?? context.questions.length;
      return {
        type: 'reply' as const,
        message: say('quiz.whyFailed', {
          score: context.result?.score ?? 0,
          total,
          needed: Math.ceil((total * PASS_PERCENT) / 100),
          pass: PASS_PERCENT,
        }),
      };
    }),
  },
}).createMachine({
  id: 'quiz',
  context: ({ input }) => ({
    ...(input.params.certificate === true ? { mode: 'certificate' as const } : {}),
    ...(input.params.certificate !== true && isUnknownTopic(input.params) ? { askTopic: true as const } : {}),
    topic: quizTopicOf(input.params),
    profile: null,
    regionScope: null,
    regionOptions: [],
    attemptId: null,
    questions: [],
    index: 0,
    answers: [],
    result: null,
    certificateName: null,
    next: null,
  }),
  initial: 'starting',
  states: {
    starting: {
      always: [
        { guard: 'isCertificateMode', target: 'findingCertificate' },
        { guard: 'isTopicAsked', target: 'choosingTopic' },
        { target: 'checkingProfile' },
      ],
    },
    // "/kuis xyz": the words named no topic, so the quiz asks which one rather than silently giving the full quiz.
    choosingTopic: {
      entry: 'askWhichQuiz',
      on: {
        'user.chooseOption': [
          { guard: 'isTopicChoice', target: 'checkingProfile', actions: 'chooseTopic' },
          { guard: 'isFullChoice', target: 'checkingProfile', actions: 'chooseFull' },
        ],
        'user.sendText': [
          { guard: 'isFullChoice', target: 'checkingProfile', actions: 'chooseFull' },
          { guard: 'isTopicText', target: 'checkingProfile', actions: 'chooseTopic' },
          { actions: ['explainTopicChoice', 'askWhichQuiz'] },
        ],
        'user.askHelp': { actions: 'explainTopicChoice' },
      },
    },
    findingCertificate: {
      entry: 'findMyCertificate',
      on: {
        'system.commandResult': [
          { guard: 'isMyCertificateResult', target: 'choosingNext', actions: 'sendMyCertificate' },
          { target: 'failed' },
        ],
      },
    },
    checkingProfile: {
      entry: 'checkProfile',
      on: {
        'system.commandResult': [
          { guard: 'hasBeenAskedProfile', target: 'drawing' },
          { guard: 'isProfileStatus', target: 'askingConsent', actions: 'startProfile' },
          { target: 'failed' },
        ],
      },
    },
    askingConsent: {
      entry: 'askConsent',
      on: {
        'user.chooseOption': [
          { guard: 'isConsent', target: 'askingAgency' },
          { guard: 'isSkip', target: 'drawing', actions: ['forgetProfile', 'sayProfileSkipped'] },
        ],
        'user.sendText': [
          { guard: 'isSkip', target: 'drawing', actions: ['forgetProfile', 'sayProfileSkipped'] },
          { guard: 'isYesText', target: 'askingAgency' },
          { guard: 'isNoText', target: 'drawing', actions: ['forgetProfile', 'sayProfileSkipped'] },
        ],
        'user.askHelp': { actions: 'explainConsent' },
      },
    },
    askingAgency: {
      entry: 'askAgency',
      on: {
        'user.chooseOption': [
          { guard: 'keepsAgency', target: 'askingRegency' },
          { guard: 'isSkip', target: 'askingRegency', actions: 'clearAgency' },
        ],
        'user.sendText': [
          { guard: 'keepsAgency', target: 'askingRegency' },
          { guard: 'isSkip', target: 'askingRegency', actions: 'clearAgency' },
          { guard: 'isKeepText', actions: ['explainNothingToKeep', 'askAgency'] },
          { guard: 'isValidAgency', target: 'askingRegency', actions: 'saveAgency' },
          { actions: ['explainAgency', 'askAgency'] },
        ],
        'user.goBack': { target: 'askingConsent' },
        'user.askHelp': { actions: 'explainConsent' },
      },
    },
    askingRegency: {
      entry: 'askRegency',
      on: {
        'user.chooseOption': [
          { guard: 'keepsRegency', target: 'askingEmployment', actions: 'clearRegionSearch' },
          { guard: 'isProvinceLevel', target: 'askingEmployment', actions: 'saveProvinceLevel' },
          { guard: 'isSkip', target: 'askingEmployment', actions: 'clearRegency' },
        ],
        'user.sendText': [
          { guard: 'keepsRegency', target: 'askingEmployment', actions: 'clearRegionSearch' },
          { guard: 'isSkip', target: 'askingEmployment', actions: 'clearRegency' },
          { guard: 'isKeepText', actions: ['explainNothingToKeep', 'askRegency'] },
          { guard: 'isProvinceLevel', target: 'askingEmployment', actions: 'saveProvinceLevel' },
          { guard: 'isExactRegion', target: 'askingEmployment', actions: 'saveExactRegion' },
          { guard: 'isProvince', target: 'askingRegency', reenter: true, actions: 'narrowToProvince' },
          { guard: 'hasRegionChoices', target: 'choosingRegency', actions: 'offerRegions' },
          { actions: ['explainRegionNotFound', 'askRegency'] },
        ],
        'user.goBack': { target: 'askingAgency', actions: 'clearRegionSearch' },
        'user.askHelp': { actions: 'explainConsent' },
      },
    },
    choosingRegency: {
      on: {
        'user.chooseOption': [
          { guard: 'isOfferedRegion', target: 'askingEmployment', actions: 'saveOfferedRegion' },
          { guard: 'isRetype', target: 'askingRegency' },
          { guard: 'isSkip', target: 'askingEmployment', actions: 'clearRegency' },
        ],
        // A name typed instead of a choice is a new search; a number beyond the list picks nothing.
        'user.sendText': [
          { guard: 'isSkip', target: 'askingEmployment', actions: 'clearRegency' },
          { guard: 'isChoiceNumber', actions: 'explainNoSuchRegionChoice' },
          // "Yg kabupaten", "kotanya": the one offered regency of that kind.
          { guard: 'namesOneOfferedKind', target: 'askingEmployment', actions: 'saveOfferedRegion' },
          { guard: 'isPlaceKindWord', actions: 'explainPickFromList' },
          { guard: 'isProvinceLevel', target: 'askingEmployment', actions: 'saveProvinceLevel' },
          { guard: 'isExactRegion', target: 'askingEmployment', actions: 'saveExactRegion' },
          { guard: 'isProvince', target: 'askingRegency', actions: 'narrowToProvince' },
          { guard: 'hasRegionChoices', target: 'choosingRegency', reenter: true, actions: 'offerRegions' },
          { target: 'askingRegency', actions: 'explainRegionNotFound' },
        ],
        'user.goBack': { target: 'askingRegency' },
        'user.askHelp': { actions: 'explainConsent' },
      },
    },
    askingEmployment: {
      entry: 'askEmployment',
      on: {
        'user.chooseOption': [
          { guard: 'isEmployment', target: 'drawing', actions: ['saveEmployment', 'noteTypedEmployment', 'sayProfileThanks'] },
          { guard: 'isSkip', target: 'drawing', actions: 'thankForAnyProfile' },
        ],
        'user.sendText': [
          { guard: 'isSkip', target: 'drawing', actions: 'thankForAnyProfile' },
          { guard: 'isEmployment', target: 'drawing', actions: ['saveEmployment', 'noteTypedEmployment', 'sayProfileThanks'] },
          { guard: 'isEitherAsn', actions: ['explainEitherAsn', 'askEmployment'] },
        ],
        'user.goBack': { target: 'askingRegency' },
        'user.askHelp': { actions: 'explainConsent' },
      },
    },
    drawing: {
      entry: 'drawQuestions',
      on: {
        'system.commandResult': [
          { guard: 'hasDrawnQuestions', target: 'asking', actions: ['storeDraw', 'introduce'] },
          { guard: 'isDrawResult', target: 'unavailable' },
          { target: 'failed' },
        ],
      },
    },
    asking: {
      entry: 'askQuestion',
      on: {
        'user.chooseOption': [
          ...takeAnswer,
          { guard: 'isStaleAnswer', actions: ['explainStale', 'askQuestion'] },
          { actions: ['hintAnswer', 'askQuestion'] },
        ],
        // A letter (A for the first option shown, B for the second...) or the option's words answer too; "kenapa?"
        // after an answer asks for its explanation again, and before the first one is told when explanations come.
        'user.sendText': [
          ...takeAnswer,
          { guard: and(['isWhyText', 'hasAnswered']), actions: ['explainLastAnswer', 'askQuestion'] },
          { guard: 'isWhyText', actions: ['explainWhyFirst', 'askQuestion'] },
          { guard: 'isUnsureText', actions: ['encourageGuess', 'askQuestion'] },
          { guard: 'isOwnQuestion', actions: ['deferQuestion', 'askQuestion'] },
          { actions: ['hintAnswer', 'askQuestion'] },
        ],
        // A photo or a sticker is no answer either: the same hint, not the runtime's "not understood".
        'user.sendMedia': { actions: ['hintAnswer', 'askQuestion'] },
        'user.sendUnsupported': { actions: ['hintAnswer', 'askQuestion'] },
        'user.goBack': { actions: ['explainNoGoingBack', 'askQuestion'] },
        'user.askHelp': { actions: 'explainQuiz' },
      },
    },
    finishing: {
      entry: 'finish',
      on: {
        'system.commandResult': [
          { guard: 'isFinishResult', target: 'scored', actions: ['storeResult', 'reportResult'] },
          { target: 'failed' },
        ],
      },
    },
    scored: {
      always: [{ guard: 'canCertify', target: 'askingName' }, { target: 'choosingNext' }],
    },
    askingName: {
      entry: 'askName',
      on: {
        'user.chooseOption': { guard: 'isSkip', target: 'issuing', actions: 'clearName' },
        'user.sendText': [
          // "Ya", "bukan" or a bare "tidak" answers a question; it is nobody's name, nor a plain wish for none (the
          // certificate is issued at once, for good). "Tanpa nama" or "tidak ada" is.
          { guard: 'isYesText', actions: ['explainNameWanted', 'askName'] },
          { guard: 'isNoText', actions: ['explainNameWanted', 'askName'] },
          // "Kenapa?" right after the last answer's feedback is about that answer, not a name to print.
          { guard: and(['isWhyText', 'hasAnswered']), actions: ['explainLastAnswer', 'askName'] },
          { guard: 'isSkip', target: 'issuing', actions: 'clearName' },
          { guard: 'isChangeNameText', actions: ['explainNameWanted', 'askName'] },
          { guard: 'isValidName', target: 'confirmingName', actions: 'saveName' },
          { actions: ['explainName', 'askName'] },
        ],
        'user.askHelp': { actions: 'explainCertificate' },
      },
    },
    confirmingName: {
      entry: 'confirmName',
      on: {
        'user.chooseOption': [
          { guard: 'isConfirm', target: 'issuing' },
          { guard: 'isChangeName', target: 'askingName' },
        ],
        'user.sendText': [
          // "Ya" confirms the name shown, "tidak" or "change name" asks for another; any other name typed is the
          // correction.
          { guard: 'isYesText', target: 'issuing' },
          { guard: 'isNoText', target: 'askingName' },
          { guard: 'isChangeNameText', target: 'askingName' },
          { guard: 'isValidName', target: 'confirmingName', reenter: true, actions: 'saveName' },
        ],
        'user.goBack': { target: 'askingName' },
        'user.askHelp': { actions: 'explainCertificate' },
      },
    },
    issuing: {
      entry: 'issueCertificate',
      on: {
        'system.commandResult': [
          { guard: 'isCertificateResult', target: 'choosingNext', actions: 'deliverCertificate' },
          { target: 'failed' },
        ],
      },
    },
    choosingNext: {
      entry: 'askNext',
      on: {
        'user.chooseOption': { guard: 'isNextChoice', target: 'leaving', actions: 'rememberNext' },
        'user.sendText': [
          { guard: 'isRetryText', target: 'leaving', actions: 'rememberRetry' },
          { guard: 'isLearnText', target: 'leaving', actions: 'rememberLearn' },
          { guard: 'isFullText', target: 'leaving', actions: 'rememberFull' },
          // "Kenapa saya gagal?": what the pass needed; after a pass, the last answer's explanation.
          { guard: and(['isWhyText', 'hasFailed']), actions: ['explainFailed', 'askNext'] },
          { guard: and(['isWhyText', 'hasAnswered']), actions: ['explainLastAnswer', 'askNext'] },
        ],
      },
    },
    unavailable: { type: 'final', entry: 'sayNoQuestions' },
    failed: { type: 'final', entry: 'sayFailure' },
    leaving: { type: 'final' },
  },
  output: ({ context }) => outputOf(context),
});

/** The topic a quiz is started on: a lesson's topic, or the one named after `/kuis` ("sanksi", "media sosial"). */
function quizTopicOf(params: Record<string, unknown>): QuizTopic | null {
  if (isQuizTopic(params.topic)) return params.topic;
  return typeof params.args === 'string' ? (topicFromWords(params.args) ?? null) : null;
}

/** True when words came after `/kuis` that name neither a topic nor the full quiz. */
function isUnknownTopic(params: Record<string, unknown>): boolean {
  if (isQuizTopic(params.topic) || typeof params.args !== 'string' || params.args.trim() === '') return false;
  return topicFromWords(params.args) === undefined && !isFullQuizWord(params.args);
}

/**
 * The part of `/kuis`'s arguments that may ride in a button's value while the runtime asks before leaving another flow
 * (see `carriedArgs`): the topic's id, short and free of anything personal; nothing for the full quiz.
 */
export function quizCarriedArgs(params: Record<string, unknown>): string | undefined {
  return quizTopicOf(params) ?? undefined;
}

/** "Noted: …"; a regency taken from another province than the one named a moment ago says so. */
function regencyNoted(regency: Regency, label: string, namedProvince: string | null): OutboundMessage {
  const named = namedProvince && namedProvince !== regency.provinceCode ? getProvince(namedProvince)?.name : undefined;
  if (!named) return say('quiz.profile.regencyNoted', { place: label });
  return say('quiz.profile.regencyNotedElsewhere', { place: regency.name, province: getProvince(regency.provinceCode)?.name ?? '', named });
}

/** Words that say the agency is the province's own, alone after a province was named ("tingkat provinsi", "pemprov"). */
const PROVINCE_LEVEL_WORDS = new Set([
  'provinsi', 'provinsinya', 'tingkat provinsi', 'instansi provinsi', 'instansi tingkat provinsi', 'pemprov', 'pemprovnya',
  'pemerintah provinsi', 'pemda provinsi', 'dinas provinsi', 'opd provinsi', 'di provinsi',
  'province', 'provincial', 'province level', 'provincial level', 'provincial agency', 'provincial government', 'the province',
]);
/** The same words before a province's name ("Pemprov Jabar", "pemerintah provinsi jawa tengah", "provincial government of Bali"). */
const PROVINCE_LEVEL_PREFIX = /^(?:(?:instansi|dinas|opd|kantor)\s+)?(?:pemprov|pemerintah\s+provinsi|pemda\s+provinsi|tingkat\s+provinsi|provincial\s+(?:government|agency)(?:\s+of)?)\s+(.+)$/;

/**
 * The province whose own government the agency belongs to: the province-level choice, or its words, after a province
 * was named; or those words with a province's name at once. Undefined otherwise ("Provinsi Jawa Barat" alone names the
 * province, and its regency is asked next).
 */
function provinceLevelOf(context: QuizContext, event: InboundEvent): string | undefined {
  if (chosen(event) === 'provinceLevel') return context.regionScope ?? undefined;
  if (event.type !== 'user.sendText') return undefined;
  const words = normaliseForMatch(event.text).replace(CHATTER_TRAILING, '').trim();
  if (context.regionScope && PROVINCE_LEVEL_WORDS.has(words)) return context.regionScope;
  const named = PROVINCE_LEVEL_PREFIX.exec(words)?.[1];
  const found = named ? searchRegions(named) : undefined;
  return found?.kind === 'province' ? found.province.code : undefined;
}

/** The regency typed, inside the province named before (or, named exactly, from another one: see `searchInProvince`). */
function findRegion(context: QuizContext, text: string): ProvinceSearchResult {
  return context.regionScope ? searchInProvince(text, context.regionScope) : searchRegions(text);
}

/** True when the bank still has the question with exactly the drawn options. */
function isShowable(drawn: DrawnQuestion): boolean {
  const question = getQuizQuestion(drawn.id);
  return (
    question !== undefined &&
    drawn.optionOrder.length === question.options.length &&
    question.options.every((o) => drawn.optionOrder.includes(o.id))
  );
}

function outputOf(context: QuizContext): FlowOutput {
  const topicParams = context.topic ? { topic: context.topic } : {};
  switch (context.next) {
    case 'retry':
      return { next: { flow: 'quiz', params: topicParams } };
    case 'full':
      return { next: { flow: 'quiz', params: {} } };
    case 'learn': {
      // After the full quiz, the lessons open at the topic answered worst (and say so), not at the first card; after a
      // topic quiz, at that topic. Either way not at the card the reader last stopped at (`from`).
      const weakest = context.topic === null ? weakestTopic(context.answers) : undefined;
      return { next: { flow: 'learn', params: weakest ? { topic: weakest, weakest: true } : context.topic ? { topic: context.topic, from: 'quiz' } : {} } };
    }
    default:
      return {};
  }
}

/**
 * The quiz as the runtime registers it. `carriedArgs` tells the runtime what of `/kuis`'s arguments it may keep through
 * its "leave the flow?" question (see `quizCarriedArgs`).
 */
export const quizFlow: FlowDefinition & { carriedArgs: typeof quizCarriedArgs } = {
  id: 'quiz',
  version: 1,
  machine: quizMachine,
  contextSchema: quizContextSchema,
  // Answered questions, or a pass whose certificate is not issued yet.
  hasUnsavedWork: ({ value, context }) =>
    (value === 'asking' && ((context as QuizContext).answers?.length ?? 0) > 0) ||
    value === 'askingName' ||
    value === 'confirmingName',
  // A pass waiting for its certificate cannot be claimed later: even /batal asks, and both questions say so.
  confirmsCancel: ({ value }) => value === 'askingName' || value === 'confirmingName',
  leaveQuestion: ({ value, context }, why, target) => {
    if (value === 'askingName' || value === 'confirmingName') return { key: `quiz.certificate.${why === 'cancel' ? 'cancelConfirm' : 'leaveConfirm'}` };
    if (why !== 'switch' || target.flow !== 'quiz' || target.params.certificate === true) return undefined;
    // `/kuis <topic>` starts that topic's quiz, `/kuis` alone the full one: said so, rather than "start over", which
    // would mean this quiz again. The same topic again is starting over, which the runtime's question says.
    const current = (context as QuizContext).topic;
    const wanted = quizTopicOf(target.params);
    if (wanted !== null) return wanted === current ? undefined : { key: 'quiz.leaveForTopic', yes: 'quiz.leaveForTopicYes' };
    return current ? { key: 'quiz.leaveTopicForFull', yes: 'quiz.leaveTopicForFullYes' } : undefined;
  },
  carriedArgs: quizCarriedArgs,
};
