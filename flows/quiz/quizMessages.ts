/**
 * The quiz's messages that carry content from the question bank: a question with its shuffled options, and the
 * feedback after an answer. Kept apart from the machine so a test can render them for every question.
 */
import { ask, feedback, type Choice, type Localized, type OutboundMessage } from '../messages.ts';
import { topicLabel, type QuizQuestion, type QuizTopic } from './questionBank.ts';

/** The choice value of the option at `position` (1-based) of question `number` (1-based): `q3-2`. */
export function answerValue(number: number, position: number): string {
  return `q${number}-${position}`;
}

/** Reads an answer value back; undefined for anything else. */
export function parseAnswerValue(value: string): { number: number; position: number } | undefined {
  const match = /^q(\d{1,3})-(\d{1,2})$/.exec(value);
  if (!match) return undefined;
  return { number: Number(match[1]), position: Number(match[2]) };
}

/**
 * Question `number` of `total`, its options in `optionOrder`. The values name the question as well as the
 * position, so a button pressed on an earlier question's message is recognised as stale rather than taken as an
 * answer to the current one.
 */
export function questionMessage(
  question: QuizQuestion,
  optionOrder: readonly string[],
  number: number,
  total: number,
): OutboundMessage {
  const choices: Choice[] = optionOrder.map((optionId, index) => {
    const option = question.options.find((o) => o.id === optionId);
    if (!option) throw new Error(`question ${question.id} has no option ${optionId}`);
    // Only its number or its whole text picks an option: a word typed that one option happens to contain is no answer.
    return { value: answerValue(number, index + 1), label: { localized: option.text }, exact: true };
  });
  return ask('quiz.question', { number, total, prompt: question.prompt }, choices);
}

/** Right or wrong, the correct answer when wrong, and the explanation that names the article. */
export function feedbackMessage(question: QuizQuestion, chosen: string): OutboundMessage {
  if (chosen === question.correct) return feedback('quiz.correct', { explanation: question.explanation });
  const correct = question.options.find((o) => o.id === question.correct);
  return feedback('quiz.wrong', {
    answer: correct ? correct.text : { id: '', en: '' },
    explanation: question.explanation,
  });
}

/** A topic's name as a text parameter. */
export function topicParam(topic: QuizTopic): Localized {
  return topicLabel(topic);
}
