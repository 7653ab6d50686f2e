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

/** How one topic went: its questions answered and how many of them right. */
export interface TopicScore {
  topic: QuizTopic;
  right: number;
  total: number;
}

/** Each topic of the answers with its score, in the order first met (answers to removed questions have none). */
export function topicScores(answers: readonly QuizAnswer[]): TopicScore[] {
  const scores = new Map<QuizTopic, TopicScore>();
  for (const answer of scoreAnswers(answers)) {
    if (!answer.topic) continue;
    const score = scores.get(answer.topic) ?? { topic: answer.topic, right: 0, total: 0 };
    score.total += 1;
    if (answer.correct) score.right += 1;
    scores.set(answer.topic, score);
  }
  return [...scores.values()];
}

/**
 * Topics with at least one wrong answer, the weakest first: the lowest share answered right (0 of 1 before 1 of 2),
 * then the most missed (0 of 2 before 0 of 1), ties in the order first met.
 */
export function topicsToReview(answers: readonly QuizAnswer[]): QuizTopic[] {
  return topicScores(answers)
    .filter((s) => s.right < s.total)
    .sort((a, b) => a.right * b.total - b.right * a.total || b.total - b.right - (a.total - a.right))
    .map((s) => s.topic);
}

/** The topic answered worst, whose lesson to read first; undefined when every answer was right. */
export function weakestTopic(answers: readonly QuizAnswer[]): QuizTopic | undefined {
  return topicsToReview(answers)[0];
}
