/** Scoring of a quiz: which answers are right, the score, the pass mark and the topics to study again. */
import { getQuizQuestion, PASS_PERCENT, type QuizTopic } from './questionBank.ts';
import type { FinishQuizResult, QuizAnswer } from './quizCommands.ts';

export type { QuizAnswer };

/** An answer with its topic and whether it was right, as stored on the attempt. */
export type ScoredAnswer = QuizAnswer & { topic: QuizTopic | null; correct: boolean };

/** A quiz's result. */
export type QuizScore = FinishQuizResult;

/** True when the picked option is the question's correct one (false for a question no longer in the bank). */
export function isCorrectAnswer(answer: QuizAnswer): boolean {
  return getQuizQuestion(answer.questionId)?.correct === answer.chosen;
}

/** Each answer with its topic and correctness. */
export function scoreAnswers(answers: readonly QuizAnswer[]): ScoredAnswer[] {
  return answers.map((answer) => ({
    questionId: answer.questionId,
    chosen: answer.chosen,
    topic: getQuizQuestion(answer.questionId)?.topic ?? null,
    correct: isCorrectAnswer(answer),
  }));
}

/**
 * Passing needs at least {@link PASS_PERCENT} percent: 8 of 10, 7 of 8, 4 of 5. Integer arithmetic, so 8/10
 * is exactly 80% and passes.
 */
export function isPassing(score: number, total: number): boolean {
  return total > 0 && score * 100 >= total * PASS_PERCENT;
}

/** The whole-number percentage shown to users (8 of 10 -> 80). */
export function percentOf(score: number, total: number): number {
  return total > 0 ? Math.round((score * 100) / total) : 0;
}

/** Score, total and pass of a set of answers out of `total` questions (unanswered ones count as wrong). */
export function scoreQuiz(answers: readonly QuizAnswer[], total: number): QuizScore {
  const score = scoreAnswers(answers).filter((a) => a.correct).length;
  return { score, total, passed: isPassing(score, total) };
}

/** Topics with at least one wrong answer, the most missed first (ties in the order first met). */
export function topicsToReview(answers: readonly QuizAnswer[]): QuizTopic[] {
  const missed = new Map<QuizTopic, number>();
  for (const answer of scoreAnswers(answers)) {
    if (!answer.correct && answer.topic) missed.set(answer.topic, (missed.get(answer.topic) ?? 0) + 1);
  }
  return [...missed].sort((a, b) => b[1] - a[1]).map(([topic]) => topic);
}
