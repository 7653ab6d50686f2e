/**
 * Runs retention in the background of every Netra process: shortly after start (so a bot restarted often still
 * purges) and then every hour. Timers are unref'd so they never keep a process alive, runs never overlap, and
 * closing the app waits for a run in progress before the store closes. Several processes may run it at once:
 * each purge step is idempotent.
 */
import type { App } from '../app.ts';
import { schedulePeriodicJob, type PeriodicJob } from '../jobs/periodicJob.ts';
import { runRetention, type RetentionApp } from './purge.ts';

/** When retention runs. */
export interface RetentionScheduleOptions {
  /** Delay before the first run (default 10 minutes). */
  firstRunMs?: number;
  /** Time between runs (default one hour). */
  intervalMs?: number;
  /** The clock (default the app's clock). */
  clock?: () => Date;
}

/** A started schedule. */
export type RetentionSchedule = PeriodicJob;

/** Starts the retention schedule and stops it when the app closes. */
export function scheduleRetention(
  app: RetentionApp & Pick<App, 'onClose' | 'clock'>,
  options: RetentionScheduleOptions = {},
): RetentionSchedule {
  const clock = options.clock ?? app.clock;
  return schedulePeriodicJob(app, {
    name: 'retention',
    firstRunMs: options.firstRunMs ?? 10 * 60_000,
    intervalMs: options.intervalMs ?? 3_600_000,
    run: async () => {
      const summary = await runRetention(app, clock());
      if (summary.tickets + summary.outboxPayloads + summary.certificateNames > 0) {
        app.logger.info({ ...summary, cutoff: summary.cutoff.toISOString() }, 'retention: personal data past its retention removed');
      }
    },
  });
}
