/**
 * Quiz attempts in the store (raw SQL: these run in the turns of every quiz), keyed by the chat's key: whether the chat has taken a quiz before (so the profile
 * is offered once), a new drawn attempt, and its recorded answers and result.
 */
import { randomUUID } from 'node:crypto';
import { quizQuestions } from '../../flows/quiz/questionBank.ts';
import type { DrawQuizCommand, DrawQuizResult, FinishQuizCommand, FinishQuizResult, QuizProfile } from '../../flows/quiz/quizCommands.ts';
import { isPassing, scoreAnswers } from '../../flows/quiz/scoring.ts';
import type { Sql } from '../store/store.ts';
import { drawQuiz, type RandomInt } from './drawQuiz.ts';

/** The attempt is not this chat's. */
export class UnknownAttemptError extends Error {
  constructor(readonly attemptId: string) {
    super(`No quiz attempt ${attemptId} for this chat`);
    this.name = 'UnknownAttemptError';
  }
}

/** True when the chat has started a quiz before: it was offered the profile then. */
export async function hasTakenQuiz(sql: Sql, chatKey: string): Promise<boolean> {
  const [row] = await sql.query<{ taken: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM "QuizAttempt" WHERE "chatKey" = $1) AS "taken"',
    [chatKey],
  );
  return row?.taken === true;
}

interface LastAttempt {
  questionIds: string[] | null;
  agency: string | null;
  regencyCode: string | null;
  employment: string | null;
}

/**
 * Draws a quiz avoiding the last attempt's questions and records it as a new attempt. The profile is the one
 * given now, else the last attempt's (so every attempt carries it for the statistics).
 */
export async function startAttempt(
  sql: Sql,
  chatKey: string,
  command: DrawQuizCommand,
  at: Date,
  random?: RandomInt,
): Promise<DrawQuizResult> {
  const [last] = await sql.query<LastAttempt>(
    `SELECT "questionIds", "agency", "regencyCode", "employment" FROM "QuizAttempt"
      WHERE "chatKey" = $1 ORDER BY "startedAt" DESC LIMIT 1`,
    [chatKey],
  );
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
  const id = randomUUID();
  await sql.query(
    `INSERT INTO "QuizAttempt" ("id", "chatKey", "questionIds", "total", "topic", "agency", "regencyCode", "employment", "startedAt")
      VALUES ($1, $2, $3::text[], $4, $5, $6, $7, $8, $9::timestamp(3))`,
    [id, chatKey, drawn.map((q) => q.id), drawn.length, command.topic, profile.agency, profile.regencyCode, profile.employment, at.toISOString()],
  );
  return { attemptId: id, questions: drawn };
}

interface StoredAttempt {
  id: string;
  questionIds: string[] | null;
  total: number;
  score: number;
  passed: boolean;
  finished: boolean;
}

/**
 * Scores the answers against the bank (only answers to the attempt's own questions, the first per question)
 * and records them with the result. Finishing twice returns the first result.
 */
export async function finishAttempt(sql: Sql, chatKey: string, command: FinishQuizCommand, at: Date): Promise<FinishQuizResult> {
  const [attempt] = await sql.query<StoredAttempt>(
    `SELECT "id", "questionIds", "total", "score", "passed", "finishedAt" IS NOT NULL AS "finished"
      FROM "QuizAttempt" WHERE "id" = $1 AND "chatKey" = $2`,
    [command.attemptId, chatKey],
  );
  if (!attempt) throw new UnknownAttemptError(command.attemptId);
  if (attempt.finished) return { score: attempt.score, total: attempt.total, passed: attempt.passed };
  const asked = new Set(attempt.questionIds ?? []);
  const answered = new Set<string>();
  const answers = command.answers.filter((a) => asked.has(a.questionId) && !answered.has(a.questionId) && answered.add(a.questionId));
  const scored = scoreAnswers(answers);
  const score = scored.filter((a) => a.correct).length;
  const passed = isPassing(score, attempt.total);
  await sql.query(
    `UPDATE "QuizAttempt" SET "answers" = $2::jsonb, "score" = $3, "passed" = $4, "finishedAt" = $5::timestamp(3) WHERE "id" = $1`,
    [attempt.id, JSON.stringify(scored), score, passed, at.toISOString()],
  );
  return { score, total: attempt.total, passed };
}
