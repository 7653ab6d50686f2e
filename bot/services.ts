/**
 * The domain services every app gets: each registers the command handlers its flows need. Listed explicitly so
 * the wiring can be read in one place.
 */
import type { App } from './app.ts';
import { installEducation } from './education/educationService.ts';
import { installOfficerServices } from './officers/officerServices.ts';
import { scheduleRetention } from './retention/retentionSchedule.ts';
import { installTicketServices } from './tickets/ticketServices.ts';

/** Installs every domain service into an app. */
export async function installServices(app: App): Promise<void> {
  // Domain services (reports, officers, education) register their command handlers here.
  installEducation(app);
  scheduleRetention(app);
  installTicketServices(app);
  await installOfficerServices(app);
}
