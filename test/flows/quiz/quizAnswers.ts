/** Test helpers: find the question a quiz message shows and the choice value of its right or a wrong answer. */
import { quizQuestions, type QuizQuestion } from '../../../flows/quiz/questionBank.ts';
import type { Choice, OutboundMessage } from '../../../flows/messages.ts';

/** The last question message among `messages`, with the bank question it shows. */
export function shownQuestion(messages: readonly OutboundMessage[]): { question: QuizQuestion; choices: Choice[] } {
  const message = [...messages].reverse().find((m) => m.type === 'text' && 'key' in m.text && m.text.key === 'quiz.question');
  if (!message || message.type !== 'text' || !('key' in message.text)) throw new Error('no question on screen');
  const prompt = message.text.params?.prompt;
  const question = quizQuestions.find((q) => typeof prompt === 'object' && 'id' in prompt && q.prompt.id === prompt.id);
  if (!question) throw new Error('the question on screen is not in the bank');
  return { question, choices: message.choices ?? [] };
}

/** Whether a quiz question is among `messages` (the quiz goes on), rather than the score. */
export function isQuestionShown(messages: readonly OutboundMessage[]): boolean {
  try {
    shownQuestion(messages);
    return true;
  } catch {
    return false;
  }
}

/** The value of the right answer (`correct`) or of the first wrong one, on the question among `messages`. */
export function answerValue(messages: readonly OutboundMessage[], correct: boolean): string {
  const { question, choices } = shownQuestion(messages);
  const right = question.options.find((o) => o.id === question.correct);
  const pick = choices.find((c) => {
    const isRight = 'localized' in c.label && c.label.localized.id === right?.text.id;
    return correct ? isRight : !isRight;
  });
  if (!pick) throw new Error(`no ${correct ? 'right' : 'wrong'} answer among the choices`);
  return pick.value;
}
