/**
 * The lesson cards, validated once at import: a broken lesson file stops startup with a message that names the
 * entry, instead of failing later in the middle of a chat.
 */
import type { z } from 'zod';
import data from './lessons.json' with { type: 'json' };
import { lessonsSchema, type Lesson, type QuizTopic } from './lessons.schema.ts';

export type { Lesson, QuizTopic } from './lessons.schema.ts';

/** The lesson file failed its schema; `problems` holds one line per issue, each naming the entry. */
export class LessonContentError extends Error {
  override readonly name = 'LessonContentError';

  constructor(readonly problems: readonly string[]) {
    super(`content/education/lessons.json is invalid:\n- ${problems.join('\n- ')}`);
  }
}

function describeEntry(data: unknown, index: number): string {
  const entry: unknown = Array.isArray(data) ? data[index] : undefined;
  const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? `lesson ${index} ("${id}")` : `lesson ${index}`;
}

function describeIssue(data: unknown, issue: z.core.$ZodIssue): string {
  const [head, ...rest] = issue.path;
  if (typeof head !== 'number') return `lessons: ${issue.message}`;
  const field = rest.length > 0 ? ` ${rest.map(String).join('.')}` : '';
  return `${describeEntry(data, head)}${field}: ${issue.message}`;
}

/** Validates raw lesson data; throws `LessonContentError` naming each bad entry and field. */
export function parseLessons(data: unknown): Lesson[] {
  const result = lessonsSchema.safeParse(data);
  if (result.success) return result.data;
  throw new LessonContentError(result.error.issues.map((issue) => describeIssue(data, issue)));
}

/** Every lesson, in the order they are offered. */
export const lessons: readonly Lesson[] = parseLessons(data);

const lessonsById = new Map(lessons.map((lesson) => [lesson.id, lesson]));

/** The lesson with this id, or undefined (ids arrive from callback data, which may be stale). */
export function getLesson(id: string): Lesson | undefined {
  return lessonsById.get(id);
}

/** The lessons that prepare for one quiz topic, in offering order. */
export function lessonsForTopic(topic: QuizTopic): Lesson[] {
  return lessons.filter((lesson) => lesson.topic === topic);
}

/** The first lesson on a quiz topic, where the topic's lessons open. */
export function firstLessonOf(topic: QuizTopic): Lesson | undefined {
  return lessons.find((lesson) => lesson.topic === topic);
}
