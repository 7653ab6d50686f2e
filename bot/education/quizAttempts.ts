/**
 * Quiz attempts in the store, keyed by the chat's key: whether the chat has taken a quiz before (so the profile
 * is offered once), a new drawn attempt, and its recorded answers and result.
 */
import { quizQuestions } from '../../flows/quiz/questionBank.ts';
import type { DrawQuizCommand, DrawQuizResult, FinishQuizCommand, FinishQuizResult, QuizProfile } from '../../flows/quiz/quizCommands.ts';
import { isPassing, scoreAnswers } from '../../flows/quiz/scoring.ts';
import type { Tx } from '../store/store.ts';
import { drawQuiz, type RandomInt } from './drawQuiz.ts';

/** The attempt is not this chat's. */
export class UnknownAttemptError extends Error {
  constructor(readonly attemptId: string) {
    super(`No quiz attempt ${attemptId} for this chat`);
    this.name = 'UnknownAttemptError';
  }
}

/** True when the chat has started a quiz before: it was offered the profile then. */
export async function hasTakenQuiz(tx: Tx, chatKey: string): Promise<boolean> {
  return (await tx.quizAttempt.count({ where: { chatKey } })) > 0;
}

/**
 * Draws a quiz avoiding the last attempt's questions and records it as a new attempt. The profile is the one
 * given now, else the last attempt's (so every attempt carries it for the statistics).
 */
export async function startAttempt(
  tx: Tx,
  chatKey: string,
  command: DrawQuizCommand,
  at: Date,
  random?: RandomInt,
): Promise<DrawQuizResult> {
  const last = await tx.quizAttempt.findFirst({ where: { chatKey }, orderBy: { startedAt: 'desc' } });
  const drawn = drawQuiz({
    questions: quizQuestions,
    topic: command.topic,
    seen: new Set(last?.questionIds ?? []),
    ...(random ? { random } : {}),
  });
  if (drawn.length === 0) return { attemptId: null, questions: [] };
  const profile: QuizProfile = command.profile ?? {
    agency: last?.agency ?? null,
    regencyCode: last?.regencyCode ?? null,
    employment: (last?.employment as QuizProfile['employment'] | undefined) ?? null,
  };
  const attempt = await tx.quizAttempt.create({
    data: {
      chatKey,
      questionIds: drawn.map((q) => q.id),
      total: drawn.length,
      topic: command.topic,
      agency: profile.agency,
      regencyCode: profile.regencyCode,
      employment: profile.employment,
      startedAt: at,
    },
  });
  return { attemptId: attempt.id, questions: drawn };
}

/**
 * Scores the answers against the bank (only answers to the attempt's own questions, the first per question)
 * and records them with the result. Finishing twice returns the first result.
 */
export async function finishAttempt(tx: Tx, chatKey: string, command: FinishQuizCommand, at: Date): Promise<FinishQuizResult> {
  const attempt = await tx.quizAttempt.findFirst({ where: { id: command.attemptId, chatKey } });
  if (!attempt) throw new UnknownAttemptError(command.attemptId);
  if (attempt.finishedAt) return { score: attempt.score, total: attempt.total, passed: attempt.passed };
  const asked = new Set(attempt.questionIds);
  const answered = new Set<string>();
  const answers = command.answers.filter((a) => asked.has(a.questionId) && !answered.has(a.questionId) && answered.add(a.questionId));
  const scored = scoreAnswers(answers);
  const score = scored.filter((a) => a.correct).length;
  const passed = isPassing(score, attempt.total);
  await tx.quizAttempt.update({
    where: { id: attempt.id },
    data: { answers: scored, score, passed, finishedAt: at },
  });
  return { score, total: attempt.total, passed };
}
