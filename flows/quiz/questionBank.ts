/**
 * The quiz's view of the question bank (content/education/questions.ts): lookups, topic labels, and the quiz's
 * fixed sizes. Topic ids come from the bank's schema, the single list both the quiz and the lessons rely on.
 */
import { findQuestion, questions, topics } from '../../content/education/questions.ts';
import { topicIds, type Question, type TopicId } from '../../content/education/questions.schema.ts';
import type { Localized } from '../messages.ts';
import { CHATTER_TRAILING } from '../report/answerWords.ts';
import { normaliseForMatch } from '../shared/texts.ts';

export type { Question as QuizQuestion, TopicId as QuizTopic };
export { topicIds as quizTopicIds };

/** Questions in one full quiz. */
export const QUIZ_LENGTH = 10;
/** The pass mark, in percent of the questions answered correctly. */
export const PASS_PERCENT = 80;

/** Every question of the bank. */
export const quizQuestions: readonly Question[] = questions;

/** The question with this id, or undefined (a stored quiz may name a question since removed). */
export function getQuizQuestion(id: string): Question | undefined {
  return findQuestion(id);
}

/** True for a known topic id (params and callback data arrive as strings). */
export function isQuizTopic(value: unknown): value is TopicId {
  return typeof value === 'string' && (topicIds as readonly string[]).includes(value);
}

const labels = new Map(topics.map((topic) => [topic.id, topic.label]));

/** A topic's name in both languages. */
export function topicLabel(topic: TopicId): Localized {
  return labels.get(topic) ?? { id: topic, en: topic };
}

/**
 * What people type after `/kuis` or `/belajar` for a topic, besides its id and its name in either language: short
 * names, everyday words and a common misspelling ("sangsi"). Each word names one topic only.
 */
const topicWords: Record<TopicId, readonly string[]> = {
  'legal-basis': ['dasar', 'dasar hukum', 'hukum', 'uu asn', 'legal', 'law'],
  'prohibited-acts': ['larangan', 'dilarang', 'perbuatan terlarang', 'perbuatan dilarang', 'prohibited', 'prohibitions', 'forbidden'],
  'social-media': ['medsos', 'sosmed', 'media', 'socmed', 'social'],
  sanctions: ['sanksi', 'sangsi', 'hukuman', 'hukuman disiplin', 'disiplin', 'pidana', 'sanction', 'penalty', 'penalties', 'punishment'],
  reporting: ['lapor', 'melapor', 'pelaporan', 'laporan', 'cara melapor', 'bawaslu', 'report', 'reports'],
  'who-decides': ['siapa', 'siapa yang memutus', 'siapa yang menghukum', 'ppk', 'bkn', 'who', 'who decides'],
  'pppk-honorer-village': ['pppk', 'p3k', 'honorer', 'ppnpn', 'desa', 'kepala desa', 'kades', 'perangkat desa', 'village', 'honorary staff'],
};

/** Every word a topic is known by, normalised, with its topic (exported for the test that no word names two). */
export const topicWordList: ReadonlyArray<readonly [string, TopicId]> = topicIds.flatMap((id) =>
  [id, ...topicWords[id], labels.get(id)?.id ?? id, labels.get(id)?.en ?? id].map((w) => [normaliseForMatch(w), id] as const),
);

const topicByWords = new Map<string, TopicId>(topicWordList);

/**
 * The topic typed words name ("sanksi", "media sosial", "PPPK", "social-media", "Who imposes the sanction"), else
 * undefined: a topic's id, its name in either language, one of its everyday words, or the start of its name
 * ("siapa yang menjatuhkan") when that fits one topic only.
 */
export function topicFromWords(text: string): TopicId | undefined {
  const typed = normaliseForMatch(text)
    .replace(CHATTER_TRAILING, '')
    .replace(/^(?:(?:kuis|quiz|topik|topic|tentang|about|materi)\s+)+/, '')
    .trim();
  if (typed === '') return undefined;
  const named = topicByWords.get(typed);
  if (named) return named;
  if (typed.length < 4) return undefined;
  const starting = topicIds.filter((id) =>
    [labels.get(id)?.id, labels.get(id)?.en].some((label) => label !== undefined && normaliseForMatch(label).startsWith(typed)),
  );
  return starting.length === 1 ? starting[0] : undefined;
}

/** Words of a topic too common to point a question at it ("siapa", "lapor", "desa", "media"). */
const GENERIC_WORDS: ReadonlySet<string> = new Set([
  'siapa', 'who', 'hukum', 'law', 'legal', 'dasar', 'media', 'social', 'lapor', 'melapor', 'laporan', 'pelaporan', 'report',
  'reports', 'bawaslu', 'desa', 'village',
]);
/** Words that, in a question, point to a topic besides its own words ("boleh like postingan caleg?"). */
const QUESTION_WORDS: ReadonlyArray<readonly [string, TopicId]> = [
  ...['like', 'likes', 'komen', 'komentar', 'share', 'posting', 'postingan', 'unggah', 'upload', 'facebook', 'fb', 'instagram', 'ig', 'tiktok', 'twitter', 'youtube'].map((w) => [w, 'social-media'] as const),
  ...['ptdh', 'dipecat', 'pecat', 'diberhentikan', 'teguran', 'tukin', 'dismissed', 'fired'].map((w) => [w, 'sanctions'] as const),
  ...['cara lapor', 'melaporkan', 'dilaporkan', 'how to report'].map((w) => [w, 'reporting'] as const),
  ...['foto', 'selfie', 'pose', 'deklarasi', 'kampanye', 'fasilitas', 'campaign', 'photo', 'facilities'].map((w) => [w, 'prohibited-acts'] as const),
];
const questionTopics = new Map<string, TopicId>([...topicWordList.filter(([word]) => !GENERIC_WORDS.has(word)), ...QUESTION_WORDS]);

/**
 * The one topic a typed question is about, by its words and word pairs ("klo kades boleh jd timses ga?" names village
 * heads and campaigning: two, so none; "apakah PPPK boleh like postingan caleg?" two as well; "apa itu PTDH?" one).
 * Undefined when it names none or several.
 */
export function topicInQuestion(text: string): TopicId | undefined {
  const words = normaliseForMatch(text).split(' ').filter((w) => w !== '');
  const pairs = words.slice(1).map((w, i) => `${words[i]} ${w}`);
  const found = new Set([...words, ...pairs].flatMap((w) => questionTopics.get(w) ?? []));
  return found.size === 1 ? [...found][0] : undefined;
}

/** Words that ask for the full quiz by name ("/kuis lengkap", "/quiz full"). */
export function isFullQuizWord(text: string): boolean {
  const typed = normaliseForMatch(text).replace(CHATTER_TRAILING, '').trim();
  return /^(?:(?:kuis|quiz|the) )?(?:yang )?(?:lengkap|semua|semua topik|full|all|all topics|full quiz)$/.test(typed);
}
