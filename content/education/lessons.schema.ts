/**
 * Shape of the lesson cards that teach ASN the neutrality rules. Each card is one chat message (title, blank line,
 * body) in Indonesian and English, and points at the quiz topic its "try the quiz" button opens.
 */
import { z } from 'zod';
import { topicIds } from './questions.schema.ts';

/** Topic ids shared with the quiz (the question bank holds the one list); a lesson's topic opens that quiz. */
export const quizTopicIds = topicIds;

/** One quiz topic id. */
export const quizTopicSchema = z.enum(quizTopicIds);
export type QuizTopic = z.infer<typeof quizTopicSchema>;

/** A whole card (title + blank line + body) in one language; short enough to read on a phone without scrolling. */
export const LESSON_CARD_MAX_CHARS = 700;
/** A title also labels the lesson's button in the lesson list. */
export const LESSON_TITLE_MAX_CHARS = 60;
/** Lesson ids travel in callback data (`lesson:<id>`), so they stay short. */
export const LESSON_ID_MAX_CHARS = 32;
/** Enough cards to cover the topics, few enough to finish in one sitting. */
export const LESSON_COUNT = { min: 8, max: 12 } as const;

const nonBlank = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((text) => text.trim() === text, 'must not be blank or start/end with whitespace');

const bilingual = (max: number) => z.strictObject({ id: nonBlank(max), en: nonBlank(max) });

/** Characters the card takes in one language once title and body are joined by a blank line. */
export function lessonCardLength(title: string, body: string): number {
  return title.length + 2 + body.length;
}

/** One lesson card. */
export const lessonSchema = z
  .strictObject({
    id: z
      .string()
      .max(LESSON_ID_MAX_CHARS)
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens'),
    topic: quizTopicSchema,
    title: bilingual(LESSON_TITLE_MAX_CHARS),
    body: bilingual(LESSON_CARD_MAX_CHARS),
  })
  .superRefine((lesson, ctx) => {
    for (const lang of ['id', 'en'] as const) {
      const length = lessonCardLength(lesson.title[lang], lesson.body[lang]);
      if (length > LESSON_CARD_MAX_CHARS) {
        ctx.addIssue({
          code: 'custom',
          path: ['body', lang],
          message: `card is ${length} characters with its title; at most ${LESSON_CARD_MAX_CHARS} allowed`,
        });
      }
    }
  });
export type Lesson = z.infer<typeof lessonSchema>;

/** The whole lesson file: a bounded list with unique ids, in the order the lessons are offered. */
export const lessonsSchema = z
  .array(lessonSchema)
  .min(LESSON_COUNT.min)
  .max(LESSON_COUNT.max)
  .superRefine((lessons, ctx) => {
    const firstIndex = new Map<string, number>();
    lessons.forEach((lesson, index) => {
      const earlier = firstIndex.get(lesson.id);
      if (earlier === undefined) {
        firstIndex.set(lesson.id, index);
        return;
      }
      ctx.addIssue({
        code: 'custom',
        path: [index, 'id'],
        message: `duplicate id "${lesson.id}" (first used by entry ${earlier})`,
      });
    });
  });
