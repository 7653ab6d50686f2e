/**
 * The commands the reply flow asks the bot to run (a reporter answering an officer's question, or adding
 * information and evidence to their report), and the results it expects back. Both sides validate with these.
 */
import { z } from 'zod';
import { storedMediaSchema } from '../messages.ts';

/**
 * Days after a ticket is closed during which the reporter's answer to a question asked before still reaches the
 * office (marked as come after the closing). Anything else sent about a closed ticket is refused.
 */
export const LATE_ANSWER_DAYS = 14;

/** A closed status as stored on tickets (`done`, `not-violation`), named by the text `officer.status.<status>`. */
const closedStatusSchema = z.string().regex(/^[a-z-]+$/);

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
  /** The ticket's status when it was closed after the question was asked (the answer still goes through). */
  closedStatus: closedStatusSchema.optional(),
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
  /**
   * The ticket is closed: nothing more is taken, except the answer to a question still open, for
   * {@link LATE_ANSWER_DAYS} days (`expired`: there is such a question, and that time has passed).
   */
  z.object({ status: z.literal('closed'), code: z.string(), expired: z.boolean().optional() }),
]);
export type LookupReplyResult = z.infer<typeof lookupReplyResultSchema>;

/** Sends the answer (and any new evidence) to the office. */
export const submitReplyCommandSchema = z.object({
  type: z.literal('submitReply'),
  code: ticketCodeSchema,
  text: z.string().min(1),
  media: z.array(storedMediaSchema).max(10),
  links: z.array(z.string()).max(10),
  /** When the reporter began writing (the flow's start): an answer begun while the ticket was open is not lost. */
  startedAt: z.iso.datetime({ offset: true }).optional(),
});
export type SubmitReplyCommand = z.infer<typeof submitReplyCommandSchema>;

export const submitReplyResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('sent'),
    code: z.string(),
    office: z.string(),
    files: z.number().int(),
    /** The ticket had been closed with this status: the office reads the answer all the same, and is told so. */
    closedStatus: closedStatusSchema.optional(),
  }),
  /** The ticket was closed, and the message was no answer to a question asked before it was (or came too late). */
  z.object({ status: z.literal('closed'), code: z.string() }),
  z.object({ status: z.literal('failed') }),
]);
export type SubmitReplyResult = z.infer<typeof submitReplyResultSchema>;
