/**
 * The commands the reply flow asks the bot to run (a reporter answering an officer's question, or adding
 * information and evidence to their report), and the results it expects back. Both sides validate with these.
 */
import { z } from 'zod';
import { storedMediaSchema } from '../messages.ts';

/** Ticket codes as shown to reporters: `NTR-` + 4 + `-` + 4. */
export const ticketCodeSchema = z.string().regex(/^NTR-[A-Z0-9]{4}-[A-Z0-9]{4}$/);

/** Finds what the reporter can answer: the ticket named, or this chat's tickets with an open question. */
export const lookupReplyCommandSchema = z.object({ type: z.literal('lookupReply'), code: ticketCodeSchema.nullable() });
export type LookupReplyCommand = z.infer<typeof lookupReplyCommandSchema>;

const targetSchema = z.object({
  code: ticketCodeSchema,
  office: z.string(),
  /** The latest question of the office, or null when there is none (the reporter adds information). */
  question: z.string().nullable(),
});
export type ReplyTarget = z.infer<typeof targetSchema>;

export const lookupReplyResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('found'), target: targetSchema }),
  /** Several tickets of this chat await an answer. */
  z.object({
    status: z.literal('choose'),
    codes: z.array(ticketCodeSchema).min(2).max(10),
    /** The kind of violation of each, in the order of `codes`, so the reporter can tell the reports apart. */
    categories: z.array(z.string()).optional(),
  }),
  z.object({ status: z.literal('none') }),
  z.object({ status: z.literal('notFound'), code: z.string() }),
  z.object({ status: z.literal('closed'), code: z.string() }),
]);
export type LookupReplyResult = z.infer<typeof lookupReplyResultSchema>;

/** Sends the answer (and any new evidence) to the office. */
export const submitReplyCommandSchema = z.object({
  type: z.literal('submitReply'),
  code: ticketCodeSchema,
  text: z.string().min(1),
  media: z.array(storedMediaSchema).max(10),
  links: z.array(z.string()).max(10),
});
export type SubmitReplyCommand = z.infer<typeof submitReplyCommandSchema>;

export const submitReplyResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('sent'), code: z.string(), office: z.string(), files: z.number().int() }),
  z.object({ status: z.literal('failed') }),
]);
export type SubmitReplyResult = z.infer<typeof submitReplyResultSchema>;
