/**
 * Draws a quiz from the question bank with cryptographic randomness: balanced across topics (their counts
 * differ by at most one while every topic has questions left), questions seen in the chat's last attempt only
 * when a topic has run out of new ones, and each question's options in a fresh order.
 */
import { randomInt } from 'node:crypto';
import { QUIZ_LENGTH, quizTopicIds, type QuizQuestion, type QuizTopic } from '../../flows/quiz/questionBank.ts';
import type { DrawnQuestion } from '../../flows/quiz/quizCommands.ts';

/** A random integer in [0, max). */
export type RandomInt = (max: number) => number;

/** Node's CSPRNG: what production draws use. */
export const cryptoRandomInt: RandomInt = (max) => randomInt(max);

export interface DrawOptions {
  questions: readonly QuizQuestion[];
  /** Only this topic (a quiz started from a lesson): as many as it has, up to `count`. */
  topic: QuizTopic | null;
  /** Question ids of the chat's last attempt, drawn again only when nothing new is left. */
  seen: ReadonlySet<string>;
  count?: number;
  random?: RandomInt;
}

/** A shuffled copy (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], random: RandomInt): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = random(i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** One topic's questions in draw order: the unseen ones first, each group shuffled. */
function pool(questions: readonly QuizQuestion[], seen: ReadonlySet<string>, random: RandomInt): QuizQuestion[] {
  return [
    ...shuffled(questions.filter((q) => !seen.has(q.id)), random),
    ...shuffled(questions.filter((q) => seen.has(q.id)), random),
  ];
}

/** Draws a quiz; see the module comment for the rules. */
export function drawQuiz(options: DrawOptions): DrawnQuestion[] {
  const { questions, topic, seen } = options;
  const count = options.count ?? QUIZ_LENGTH;
  const random = options.random ?? cryptoRandomInt;
  const topics = topic ? [topic] : quizTopicIds.filter((t) => questions.some((q) => q.topic === t));
  const pools = new Map(topics.map((t) => [t, pool(questions.filter((q) => q.topic === t), seen, random)]));
  const quota = new Map(topics.map((t) => [t, 0]));

  let left = count;
  while (left > 0) {
    const open = topics.filter((t) => (quota.get(t) ?? 0) < (pools.get(t)?.length ?? 0));
    if (open.length === 0) break;
    // One slot per topic each round keeps the counts level; when a round cannot go round, topics whose next
    // question is new go first, so balance never costs a repeat that another topic could have avoided.
    const isFresh = (t: QuizTopic) => {
      const next = pools.get(t)?.[quota.get(t) ?? 0];
      return next !== undefined && !seen.has(next.id);
    };
    const order = [...shuffled(open.filter(isFresh), random), ...shuffled(open.filter((t) => !isFresh(t)), random)];
    for (const t of order.slice(0, left)) quota.set(t, (quota.get(t) ?? 0) + 1);
    left -= Math.min(left, order.length);
  }

  const picked = topics.flatMap((t) => (pools.get(t) ?? []).slice(0, quota.get(t) ?? 0));
  return shuffled(picked, random).map((q) => ({
    id: q.id,
    optionOrder: shuffled(
      q.options.map((o) => o.id),
      random,
    ),
  }));
}
