/**
 * The shape of the ASN-neutrality question bank. Civil servants are taught by these questions, so the schema
 * enforces what keeps them honest and usable in chat: both languages present, 3–4 options with one correct
 * answer among them, and an explanation short enough for one message that names its legal source.
 */
import { z } from 'zod';

/** Stable topic ids; stored quiz progress refers to them, so never rename one. */
export const topicIds = [
  'legal-basis',
  'prohibited-acts',
  'social-media',
  'sanctions',
  'reporting',
  'who-decides',
  'pppk-honorer-village',
] as const;
export const topicIdSchema = z.enum(topicIds);
export type TopicId = z.infer<typeof topicIdSchema>;

/** How hard a question is, so the quiz can mix or grade them. */
export const difficultySchema = z.enum(['easy', 'medium', 'hard']);
export type Difficulty = z.infer<typeof difficultySchema>;

/**
 * Sections of the domain fact sheet (`domain/neutrality-facts.md`) a question may rest on. A closed list, so
 * a typo in `factRef` fails instead of pointing reviewers at nothing.
 */
export const factSections = [
  '0',
  '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9',
  '2.1', '2.2', '2.3',
  '3',
  '4.1', '4.2', '4.3', '4.4', '4.5', '4.6', '4.7', '4.8', '4.9', '4.10',
  '5',
  '6',
] as const;
export const factRefSchema = z.enum(factSections);

/** Chat-friendly length limits (characters per language). */
export const limits = { prompt: 400, option: 200, explanation: 600 } as const;

/** Text with no leading/trailing blanks: padding is almost always a copy-paste slip. */
const text = (max?: number) => {
  const base = z.string().min(1, 'must not be empty');
  return (max === undefined ? base : base.max(max, `must be at most ${max} characters`)).refine(
    (s) => s.trim() === s,
    'must not start or end with whitespace',
  );
};

const bilingual = (max?: number) => z.strictObject({ id: text(max), en: text(max) });

/** A text in Indonesian (`id`, shown first) and English (`en`); same shape as `Localized` in flows/messages.ts. */
export const localizedTextSchema = bilingual();
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/** Words that show an explanation names the article or regulation it rests on. */
export const legalSourcePattern = {
  id: /\b(Pasal|UU|PP|SKB|SE|Perbawaslu|Perpres|PerBKN|Putusan MK)\b/,
  en: /\b(Article|Law|UU|PP|SKB|SE|Perbawaslu|Perpres|PerBKN|Circular|Regulation|ruling)\b/,
} as const;

const explanationSchema = z.strictObject({
  id: text(limits.explanation).regex(legalSourcePattern.id, 'must name the article or regulation (Pasal, UU, PP, SKB, ...)'),
  en: text(limits.explanation).regex(legalSourcePattern.en, 'must name the article or regulation (Article, Law, PP, SKB, ...)'),
});

/** Option ids are letters, so the quiz can shuffle options and still check the answer by id. */
export const optionIdSchema = z.enum(['a', 'b', 'c', 'd']);
export type OptionId = z.infer<typeof optionIdSchema>;

export const optionSchema = z.strictObject({ id: optionIdSchema, text: bilingual(limits.option) });
export type QuestionOption = z.infer<typeof optionSchema>;

/** `<topic>-NN`, e.g. `sanctions-07`. */
export const questionIdSchema = z.string().regex(/^[a-z]+(?:-[a-z]+)*-\d{2}$/, 'must look like "<topic>-NN", e.g. "sanctions-07"');

/** One multiple-choice question. */
export const questionSchema = z
  .strictObject({
    id: questionIdSchema,
    topic: topicIdSchema,
    difficulty: difficultySchema,
    prompt: bilingual(limits.prompt),
    options: z.array(optionSchema).min(3, 'needs at least 3 options').max(4, 'allows at most 4 options'),
    correct: optionIdSchema,
    explanation: explanationSchema,
    factRef: factRefSchema,
  })
  .superRefine((question, ctx) => {
    if (!question.id.startsWith(`${question.topic}-`) || !/^\d{2}$/.test(question.id.slice(question.topic.length + 1))) {
      ctx.addIssue({ code: 'custom', path: ['id'], message: `must be "${question.topic}-NN" to match its topic` });
    }
    const optionIds = question.options.map((option) => option.id);
    const duplicateIds = optionIds.filter((id, index) => optionIds.indexOf(id) !== index);
    if (duplicateIds.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: `option ids must be unique; repeated: ${duplicateIds.join(', ')}` });
    }
    if (!optionIds.includes(question.correct)) {
      ctx.addIssue({ code: 'custom', path: ['correct'], message: `"${question.correct}" is not one of the options (${optionIds.join(', ')})` });
    }
    for (const locale of ['id', 'en'] as const) {
      const texts = question.options.map((option) => option.text[locale].toLowerCase());
      if (new Set(texts).size !== texts.length) {
        ctx.addIssue({ code: 'custom', path: ['options'], message: `two options read the same in "${locale}"` });
      }
    }
  });
export type Question = z.infer<typeof questionSchema>;

/** A topic with its label, for menus and score summaries. */
export const topicSchema = z.strictObject({ id: topicIdSchema, label: bilingual(80) });
export type Topic = z.infer<typeof topicSchema>;
