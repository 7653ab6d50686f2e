/**
 * A ticket's life as officers move it and reporters read it. The status values are stored on tickets, travel in
 * callback data and name the texts `officer.status.<status>`: add values, never rename them.
 */
import { z } from 'zod';

/** Every status, in the order a ticket usually moves. `received` is what a new or transferred ticket has. */
export const ticketStatuses = [
  'received',
  'acknowledged',
  'handling',
  'needs-info',
  'recommended',
  'not-violation',
  'done',
] as const;
export const ticketStatusSchema = z.enum(ticketStatuses);
export type TicketStatus = z.infer<typeof ticketStatusSchema>;

/** The statuses an officer sets with a reason (the status buttons), with the tag of their reason prompt. */
export const settableStatuses = {
  handling: 'ditangani',
  'needs-info': 'perlu_info',
  recommended: 'direkomendasikan',
  'not-violation': 'bukan_pelanggaran',
  done: 'selesai',
} as const satisfies Partial<Record<TicketStatus, string>>;
export type SettableStatus = keyof typeof settableStatuses;

/** True for a status an officer can set with a reason. */
export function isSettableStatus(value: string): value is SettableStatus {
  return Object.hasOwn(settableStatuses, value);
}

/** Statuses after which a ticket is no longer open (it leaves `/tiket` and escalation). */
export const closedStatuses: readonly TicketStatus[] = ['not-violation', 'done'];

/** True when a ticket with this status is still open. Unknown values count as open (never hide a ticket). */
export function isOpenStatus(status: string): boolean {
  return !(closedStatuses as readonly string[]).includes(status);
}

/** The i18n key of a status label; unknown values fall back to "received". */
export function statusKey(status: string): string {
  return `officer.status.${ticketStatusSchema.catch('received').parse(status)}`;
}
