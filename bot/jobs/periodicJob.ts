/**
 * A background job of a Netra process (retention, draft purge): run shortly after start (so a bot restarted often
 * still runs it) and then at an interval. Timers are unref'd so they never keep a process alive, runs never
 * overlap, a failed run is logged and retried at the next tick, and closing the app waits for a run in progress
 * before the store closes.
 */
import type { App } from '../app.ts';

/** A started job. */
export interface PeriodicJob {
  /** Runs the job now (waits for a run already in progress instead of starting a second one). */
  runNow(): Promise<void>;
  /** Stops the timers and waits for a run in progress. */
  stop(): Promise<void>;
}

export interface PeriodicJobOptions {
  /** Named in the log line of a failed run. */
  name: string;
  firstRunMs: number;
  intervalMs: number;
  run: () => Promise<void>;
}

/** Starts a job and stops it when the app closes. */
export function schedulePeriodicJob(app: Pick<App, 'onClose' | 'logger'>, options: PeriodicJobOptions): PeriodicJob {
  let running: Promise<void> | undefined;
  let stopped = false;
  const runNow = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    running ??= options
      .run()
      .catch((error: unknown) => {
        // The next tick retries; a failed background job must never take the bot down.
        app.logger.error({ job: options.name, err: error instanceof Error ? error.message : String(error) }, 'background job failed');
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const first = setTimeout(() => void runNow(), options.firstRunMs);
  const every = setInterval(() => void runNow(), options.intervalMs);
  first.unref();
  every.unref();
  const job: PeriodicJob = {
    runNow,
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
  app.onClose(() => job.stop());
  return job;
}
