/**
 * The commands of the status flow and the views of tickets they return. The bot fills them from the database;
 * the flow only shows them. Times are ISO instants.
 */
import { z } from 'zod';
import { localizedSchema } from '../messages.ts';

/** One ticket in a list. `status` is a ticket status (bot/officers/ticketStatus.ts); unknown values still show. */
export const ticketSummarySchema = z.object({
  code: z.string(),
  kind: z.enum(['tip', 'formal']),
  status: z.string(),
  office: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  /** Whom Bawaslu sends its finding to, for the "recommended" status (BKN for an ASN, else the competent authority). */
  recommendedTo: localizedSchema,
});
export type TicketSummary = z.infer<typeof ticketSummarySchema>;

/** One step of a ticket's history as the reporter may see it (internal notes are never included). */
export const ticketHistoryEntrySchema = z.object({
  type: z.string(),
  status: z.string().nullable(),
  text: z.string().nullable(),
  at: z.iso.datetime({ offset: true }),
});
export type TicketHistoryEntry = z.infer<typeof ticketHistoryEntrySchema>;

/** A ticket with its history. */
export const ticketViewSchema = ticketSummarySchema.extend({
  history: z.array(ticketHistoryEntrySchema),
});
export type TicketView = z.infer<typeof ticketViewSchema>;

/** `listMyReports`: the reports filed from this chat, newest first (at most `limit`; `total` counts all). */
export const listMyReportsResultSchema = z.object({
  tickets: z.array(ticketSummarySchema),
  total: z.number().int().min(0),
});
export type ListMyReportsResult = z.infer<typeof listMyReportsResultSchema>;

/** `showMyTicket { code }`: a ticket filed from this chat, by code. */
export const showMyTicketCommandSchema = z.object({ type: z.literal('showMyTicket'), code: z.string() });
/** What `showMyTicket` answers (`notFound` also for a ticket of another chat). */
export const showMyTicketResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('found'), ticket: ticketViewSchema }),
  z.object({ status: z.literal('notFound') }),
]);
export type ShowMyTicketResult = z.infer<typeof showMyTicketResultSchema>;

/** `checkTicket { code, receipt }`: any ticket, with its receipt (from another device). */
export const checkTicketCommandSchema = z.object({ type: z.literal('checkTicket'), code: z.string(), receipt: z.string() });
/** What `checkTicket` answers. */
export const checkTicketResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('found'), ticket: ticketViewSchema }),
  /** The code does not exist or the receipt does not match (deliberately not told apart). */
  z.object({ status: z.literal('notFound') }),
  z.object({ status: z.literal('rateLimited'), retryAfterMinutes: z.number().int().min(1) }),
]);
export type CheckTicketResult = z.infer<typeof checkTicketResultSchema>;
