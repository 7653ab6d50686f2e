/**
 * The quiz's view of the question bank (content/education/questions.ts): lookups, topic labels, and the quiz's
 * fixed sizes. Topic ids come from the bank's schema, the single list both the quiz and the lessons rely on.
 */
import { findQuestion, questions, topics } from '../../content/education/questions.ts';
import { topicIds, type Question, type TopicId } from '../../content/education/questions.schema.ts';
import type { Localized } from '../messages.ts';

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
