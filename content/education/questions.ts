/**
 * The ASN-neutrality question bank, validated when this module loads: a broken question stops startup (and
 * the tests) with an error that names it. One JSON file per topic under `questions/`.
 */
import { z } from 'zod';
import legalBasis from './questions/legal-basis.json' with { type: 'json' };
import prohibitedActs from './questions/prohibited-acts.json' with { type: 'json' };
import socialMedia from './questions/social-media.json' with { type: 'json' };
import sanctions from './questions/sanctions.json' with { type: 'json' };
import reporting from './questions/reporting.json' with { type: 'json' };
import whoDecides from './questions/who-decides.json' with { type: 'json' };
import pppkHonorerVillage from './questions/pppk-honorer-village.json' with { type: 'json' };
import {
  questionSchema,
  topicIds,
  topicSchema,
  type LocalizedText,
  type Question,
  type Topic,
  type TopicId,
} from './questions.schema.ts';

/** The bank's content is invalid; `problems` has one line per fault, each naming the question. */
export class QuestionBankError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid question bank:\n- ${problems.join('\n- ')}`);
    this.name = 'QuestionBankError';
  }
}

const describe = (entry: unknown, index: number): string => {
  const id = typeof entry === 'object' && entry !== null && 'id' in entry ? entry.id : undefined;
  return typeof id === 'string' ? `"${id}" (entry ${index + 1})` : `entry ${index + 1}`;
};

/**
 * Validates raw question entries one by one (so each fault names its question) and checks that ids are
 * unique across the bank. Throws `QuestionBankError` listing every fault; returns the questions frozen.
 */
export function parseQuestionBank(entries: readonly unknown[]): readonly Question[] {
  const problems: string[] = [];
  const questions: Question[] = [];
  entries.forEach((entry, index) => {
    const result = questionSchema.safeParse(entry);
    if (result.success) questions.push(result.data);
    else problems.push(`question ${describe(entry, index)}:\n${z.prettifyError(result.error)}`);
  });
  const seen = new Set<string>();
  for (const question of questions) {
    if (seen.has(question.id)) problems.push(`question "${question.id}": id is used more than once`);
    seen.add(question.id);
  }
  if (problems.length > 0) throw new QuestionBankError(problems);
  return Object.freeze(questions);
}

/** Every question, in topic order, then by id. */
export const questions: readonly Question[] = parseQuestionBank([
  ...legalBasis,
  ...prohibitedActs,
  ...socialMedia,
  ...sanctions,
  ...reporting,
  ...whoDecides,
  ...pppkHonorerVillage,
]);

const topicLabels: Record<TopicId, LocalizedText> = {
  'legal-basis': { id: 'Dasar hukum', en: 'Legal basis' },
  'prohibited-acts': { id: 'Perbuatan yang dilarang', en: 'Prohibited acts' },
  'social-media': { id: 'Media sosial', en: 'Social media' },
  sanctions: { id: 'Sanksi', en: 'Sanctions' },
  reporting: { id: 'Melapor ke Bawaslu', en: 'Reporting to Bawaslu' },
  'who-decides': { id: 'Siapa yang menjatuhkan sanksi', en: 'Who imposes the sanction' },
  'pppk-honorer-village': { id: 'PPPK, honorer, dan perangkat desa', en: 'PPPK, temporary (honorer) staff and village officials' },
};

/** The topics in a fixed order, each with its label in both languages. */
export const topics: readonly Topic[] = Object.freeze(
  topicIds.map((id) => topicSchema.parse({ id, label: topicLabels[id] })),
);

const byId = new Map(questions.map((question) => [question.id, question]));

/** The question with this id, or undefined (e.g. a stored quiz that names a question since removed). */
export function findQuestion(id: string): Question | undefined {
  return byId.get(id);
}

/** The questions of one topic, in id order. */
export function questionsInTopic(topic: TopicId): readonly Question[] {
  return questions.filter((question) => question.topic === topic);
}
