/**
 * Runs retention in the background of every Netra process: shortly after start (so a bot restarted often still
 * purges) and then every hour. Timers are unref'd so they never keep a process alive, runs never overlap, and
 * closing the app waits for a run in progress before the store closes. Several processes may run it at once:
 * each purge step is idempotent.
 */
import type { App } from '../app.ts';
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
export interface RetentionSchedule {
  /** Runs retention now (waits for a run already in progress instead of starting a second one). */
  runNow(): Promise<void>;
  /** Stops the timers and waits for a run in progress. */
  stop(): Promise<void>;
}

/** Starts the retention schedule and stops it when the app closes. */
export function scheduleRetention(
  app: RetentionApp & Pick<App, 'onClose' | 'clock'>,
  options: RetentionScheduleOptions = {},
): RetentionSchedule {
  const clock = options.clock ?? app.clock;
  let running: Promise<void> | undefined;
  let stopped = false;

  const runNow = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    running ??= runRetention(app, clock())
      .then((summary) => {
        if (summary.tickets + summary.outboxPayloads + summary.certificateNames > 0) {
          app.logger.info({ ...summary, cutoff: summary.cutoff.toISOString() }, 'retention: personal data past its retention removed');
        }
      })
      .catch((error: unknown) => {
        // The next run retries; a failed purge must never take the bot down.
        app.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'retention run failed');
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const first = setTimeout(() => void runNow(), options.firstRunMs ?? 10 * 60_000);
  const every = setInterval(() => void runNow(), options.intervalMs ?? 3_600_000);
  first.unref();
  every.unref();

  const schedule: RetentionSchedule = {
    runNow,
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
  app.onClose(() => schedule.stop());
  return schedule;
}
