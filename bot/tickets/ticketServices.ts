/**
 * Reports and tickets as a domain service: the command handlers of the report and status flows, and the
 * background purge of stale drafts.
 */
import type { App } from '../app.ts';
import { scheduleDraftPurge, type DraftPurgeSchedule } from './draftPurge.ts';
import { reportCommands } from './reportSubmission.ts';
import { ReceiptLimiter, statusCommands } from './ticketStatus.ts';

/** Registers the report and status commands on an app and starts the draft purge (stopped when the app closes). */
export function installTicketServices(app: App, options: { limiter?: ReceiptLimiter } = {}): DraftPurgeSchedule {
  app.runtime.registerCommands({ ...reportCommands(app), ...statusCommands(app, options.limiter ?? new ReceiptLimiter()) });
  return scheduleDraftPurge(app);
}
