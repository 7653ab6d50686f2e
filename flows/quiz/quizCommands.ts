/**
 * The commands the quiz flow sends to the runtime and what comes back, as zod schemas: the handlers in
 * bot/education parse the commands with them, the flow parses the results, so neither trusts the other blindly.
 */
import { z } from 'zod';
import { quizTopicIds } from './questionBank.ts';

export const employmentValues = ['pns', 'pppk', 'cpns', 'village', 'honorer', 'other'] as const;
/** Employment status in the optional profile: PNS, PPPK, CPNS, village head/staff, honorer/non-ASN, other. */
export const employmentSchema = z.enum(employmentValues);
export type Employment = z.infer<typeof employmentSchema>;

/** Longest agency name kept in the profile. */
export const AGENCY_MAX_CHARS = 80;

/** The optional profile; every part may be left out. */
export const quizProfileSchema = z.object({
  agency: z.string().min(1).max(AGENCY_MAX_CHARS).nullable(),
  /** A regency's code (`32.73`), or a province's (`32`) for an agency of the provincial government. */
  regencyCode: z.string().regex(/^\d{2}(?:\.\d{2})?$/).nullable(),
  employment: employmentSchema.nullable(),
});
export type QuizProfile = z.infer<typeof quizProfileSchema>;

const topicSchema = z.enum(quizTopicIds);

/** Asks whether this chat was offered the profile before (it is offered once, before the first quiz). */
export const checkQuizProfileCommandSchema = z.object({ type: z.literal('checkQuizProfile') });
export const checkQuizProfileResultSchema = z.object({ asked: z.boolean() });
export type CheckQuizProfileResult = z.infer<typeof checkQuizProfileResultSchema>;

/**
 * Asks for a fresh draw. `topic` restricts it to one topic; `profile` is what the user just gave (null when the
 * profile was asked in an earlier quiz: the handler carries the last one over).
 */
export const drawQuizCommandSchema = z.object({
  type: z.literal('drawQuiz'),
  topic: topicSchema.nullable(),
  profile: quizProfileSchema.nullable(),
});
export type DrawQuizCommand = z.infer<typeof drawQuizCommandSchema>;

/** One drawn question with its options in the order to show them. */
export const drawnQuestionSchema = z.object({
  id: z.string().min(1),
  optionOrder: z.array(z.string().min(1)).min(2).max(6),
});
export type DrawnQuestion = z.infer<typeof drawnQuestionSchema>;

/** The drawn quiz: the attempt it was recorded as and its questions (none, and no attempt, when the topic has none). */
export const drawQuizResultSchema = z.object({
  attemptId: z.string().min(1).nullable(),
  questions: z.array(drawnQuestionSchema),
});
export type DrawQuizResult = z.infer<typeof drawQuizResultSchema>;

/** One answer: the question and the option id picked. */
export const quizAnswerSchema = z.object({ questionId: z.string().min(1), chosen: z.string().min(1) });
export type QuizAnswer = z.infer<typeof quizAnswerSchema>;

/** Records the answers and the result on the attempt. */
export const finishQuizCommandSchema = z.object({
  type: z.literal('finishQuiz'),
  attemptId: z.string().min(1),
  answers: z.array(quizAnswerSchema),
});
export type FinishQuizCommand = z.infer<typeof finishQuizCommandSchema>;

export const finishQuizResultSchema = z.object({
  score: z.number().int().nonnegative(),
  total: z.number().int().positive(),
  passed: z.boolean(),
});
export type FinishQuizResult = z.infer<typeof finishQuizResultSchema>;

/** Longest name printed on a certificate. */
export const CERTIFICATE_NAME_MAX_CHARS = 80;

/** Issues the certificate of a passed attempt; `name` null prints "Peserta" / "Participant". */
export const issueCertificateCommandSchema = z.object({
  type: z.literal('issueCertificate'),
  attemptId: z.string().min(1),
  name: z.string().min(1).max(CERTIFICATE_NAME_MAX_CHARS).nullable(),
});
export type IssueCertificateCommand = z.infer<typeof issueCertificateCommandSchema>;

/** The chat's latest certificate, to send it again (`/sertifikat`). */
export const findMyCertificateCommandSchema = z.object({ type: z.literal('findMyCertificate') });

/**
 * `found`: its PDF, relative to the data directory; `removed`: its PDF was deleted with the holder's name after the
 * retention period (the code still verifies); `none`: this chat has earned no certificate.
 */
export const findMyCertificateResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('found'), code: z.string().min(1), path: z.string().min(1), fileName: z.string().min(1), issuedAt: z.string() }),
  z.object({ status: z.literal('removed'), code: z.string().min(1), issuedAt: z.string() }),
  z.object({ status: z.literal('none') }),
]);
export type FindMyCertificateResult = z.infer<typeof findMyCertificateResultSchema>;

/** The issued certificate: its code and the PDF, relative to the data directory. */
export const issueCertificateResultSchema = z.object({
  code: z.string().min(1),
  path: z.string().min(1),
  fileName: z.string().min(1),
});
export type IssueCertificateResult = z.infer<typeof issueCertificateResultSchema>;
