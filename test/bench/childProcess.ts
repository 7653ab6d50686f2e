/**
 * The bots under test run in their own processes, as in production: Netra (netraChild.ts), the bare telegraf
 * echo bot (echoChild.ts) or the floor (floorChild.ts), each with its HTTP server taking webhook POSTs from the fake Bot API, which runs with
 * the load driver in the benchmark's process. This module is both sides of their small IPC protocol: the parent
 * forks and queries a child; a child answers with its memory, CPU time and warning counts.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { appRoots, build, repoRoot } from '../../scripts/build.ts';

/** What a Netra child runs on. */
export interface NetraChildConfig {
  bot: 'netra';
  store: 'postgres' | 'pglite';
  /** PostgreSQL URL (store postgres). */
  databaseUrl?: string;
  /** Netra's data directory (media files; the PGlite database lives under it). */
  dataDir: string;
  apiRoot: string;
  token: string;
  /** Telegram's flood limits in the send queue (true), or pacing off (false). */
  limits: boolean;
  /** PostgreSQL connections (default: Netra's). */
  poolSize?: number;
}

/** What the echo child runs on. */
export interface EchoChildConfig {
  bot: 'echo';
  apiRoot: string;
  token: string;
}

/** What the floor child runs on (floorChild.ts: Netra's input and output without its work). */
export interface FloorChildConfig {
  bot: 'floor';
  apiRoot: string;
  token: string;
  databaseUrl: string;
  poolSize?: number;
}

export type ChildConfig = NetraChildConfig | EchoChildConfig | FloorChildConfig;

/** A child's vital signs. */
export interface ChildStats {
  rssBytes: number;
  /** Peak resident set size of the process so far. */
  peakRssBytes: number;
  heapUsedBytes: number;
  /** CPU time used so far (user + system), ms. */
  cpuMs: number;
  /** Of which in the kernel (system calls, the loopback network, page faults), ms. */
  systemCpuMs: number;
  /** Context switches so far: the process waited for something (voluntary), or was preempted (involuntary). */
  contextSwitches: { voluntary: number; involuntary: number };
  /** Log lines at warn level and above, and a few of them. */
  warnings: number;
  logSamples: string[];
  /** Netra: messages in the send queue. */
  queueDepth: number;
  /** Netra: outbox rows still to deliver, and office deliveries done (the forwarding of filed reports). */
  outbox?: OutboxCounts;
  /** Since the previous stats: how late the main thread's event loop ran a timer, and the GC's pauses. */
  sincePrevious: MainThreadStalls;
}

/**
 * What held the main thread, from one stats request to the next: how late a timer due every
 * {@link LOOP_DELAY_RESOLUTION_MS} ms ran (Node's `monitorEventLoopDelay`, less that interval: the time a turn, a
 * collection or anything else kept the loop from coming back), and the garbage collector's pauses.
 */
export interface MainThreadStalls {
  loopDelayMs: { p50: number; p99: number; max: number };
  gcPauses: { count: number; totalMs: number; maxMs: number; majorCount: number; majorMaxMs: number };
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** How often the event loop's delay is sampled: coarse enough to cost nothing measurable, fine enough for a tail. */
export const LOOP_DELAY_RESOLUTION_MS = 10;

/** Where the forwarding of filed reports stands. */
export interface OutboxCounts {
  /** Rows pending (not yet delivered, not given up). */
  waiting: number;
  /** How long the oldest of them has waited, seconds (`netra_outbox_oldest_seconds`). */
  oldestSeconds: number;
  /** `office.deliver` rows done: a ticket (or notice) delivered to one destination of its office. */
  officeDeliveries: number;
}

export type ToChild = { type: 'start'; config: ChildConfig } | { type: 'stats'; gc?: boolean } | { type: 'stop' };
export type FromChild =
  | { type: 'ready'; port: number }
  | { type: 'stats'; stats: ChildStats }
  | { type: 'stopped' }
  | { type: 'failed'; error: string };

/** A running child, seen from the benchmark. */
export interface ChildHandle {
  readonly pid: number;
  readonly port: number;
  stats(options?: { gc?: boolean }): Promise<ChildStats>;
  /** Stops the bot gracefully (drains its queues) and waits for the process to exit. */
  stop(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Compiles Netra and the benchmark's bots into a fresh folder (scripts/build.ts), so that the bots run as
 * `npm start` runs Netra: plain JavaScript, no TypeScript loader. The caller removes the folder.
 */
export function buildBots(): string {
  const dir = path.join(repoRoot, 'node_modules', '.cache', `netra-bench-${process.pid}-${Date.now()}`);
  build(dir, [...appRoots, 'test/bench']);
  return dir;
}

/** How a bot process is started. */
export interface ChildOptions {
  /** A build from {@link buildBots} to run the bot from; without one, the bot runs from its sources under tsx. */
  build?: string;
  /** Write a V8 CPU profile here on exit. */
  cpuProfileDir?: string;
  /** Node flags for the bot process (e.g. `--max-old-space-size=160`). */
  nodeFlags?: string[];
}

/** Forks a bot process and waits until it takes webhooks. */
export async function startChild(config: ChildConfig, options: ChildOptions = {}): Promise<ChildHandle> {
  const entry = options.build ? path.join(options.build, 'test', 'bench', `${config.bot}Child.js`) : path.join(here, `${config.bot}Child.ts`);
  // Diagnostics: a module loaded first in the bot process (e.g. one that counts SQL statements), in TypeScript.
  const preload = process.env.NETRA_BENCH_PRELOAD;
  const child = fork(entry, [], {
    execArgv: [
      ...(!options.build || preload ? ['--import', 'tsx'] : []),
      '--expose-gc',
      ...(preload ? ['--import', preload] : []),
      ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
      ...(options.nodeFlags ?? []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const next = <T extends FromChild['type']>(type: T, timeoutMs: number): Promise<Extract<FromChild, { type: T }>> =>
    waitFor(child, exited, type, timeoutMs);
  const ready = next('ready', 120_000);
  child.send({ type: 'start', config } satisfies ToChild);
  const { port } = await ready.catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid ?? 0,
    port,
    async stats(statsOptions = {}) {
      const answer = next('stats', 30_000);
      child.send({ type: 'stats', gc: statsOptions.gc ?? false } satisfies ToChild);
      return (await answer).stats;
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null) return;
        const stopped = next('stopped', 60_000).catch(() => undefined);
        child.send({ type: 'stop' } satisfies ToChild);
        await stopped;
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

function waitFor<T extends FromChild['type']>(
  child: ChildProcess,
  exited: Promise<number | null>,
  type: T,
  timeoutMs: number,
): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromChild) => {
      if (message.type === 'failed') finish(() => reject(new Error(`bench child failed: ${message.error}`)));
      else if (message.type === type) finish(() => resolve(message as Extract<FromChild, { type: T }>));
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`bench child: no ${type} within ${timeoutMs} ms`))), timeoutMs);
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      settle();
    };
    child.on('message', onMessage);
    void exited.then((code) => finish(() => reject(new Error(`bench child exited (code ${code}) before ${type}`))));
  });
}

/** Child side: answers the parent's requests. `start` returns the bot's port and a function that stops it. */
export function serveChild(
  start: (
    config: ChildConfig,
  ) => Promise<{ port: number; stop: () => Promise<void>; queueDepth?: () => number; outbox?: () => Promise<OutboxCounts> }>,
  counters: { warnings: () => number; samples: () => string[] },
): void {
  const send = (message: FromChild) => process.send?.(message);
  let running: Awaited<ReturnType<typeof start>> | undefined;
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  loopDelay.enable();
  const gc = { count: 0, totalMs: 0, maxMs: 0, majorCount: 0, majorMaxMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count += 1;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gc.majorCount += 1;
        gc.majorMaxMs = Math.max(gc.majorMaxMs, entry.duration);
      }
    }
  }).observe({ entryTypes: ['gc'] });
  const stalls = (): MainThreadStalls => {
    const late = (ns: number) => round1(Math.max(0, ns / 1e6 - LOOP_DELAY_RESOLUTION_MS));
    const result: MainThreadStalls = {
      loopDelayMs:
        loopDelay.count > 0
          ? { p50: late(loopDelay.percentile(50)), p99: late(loopDelay.percentile(99)), max: late(loopDelay.max) }
          : { p50: 0, p99: 0, max: 0 },
      gcPauses: { ...gc, totalMs: round1(gc.totalMs), maxMs: round1(gc.maxMs), majorMaxMs: round1(gc.majorMaxMs) },
    };
    loopDelay.reset();
    Object.assign(gc, { count: 0, totalMs: 0, maxMs: 0, majorCount: 0, majorMaxMs: 0 });
    return result;
  };
  process.on('message', (message: ToChild) => {
    void (async () => {
      try {
        if (message.type === 'start') {
          running = await start(message.config);
          send({ type: 'ready', port: running.port });
        } else if (message.type === 'stats') {
          if (message.gc) (globalThis as { gc?: () => void }).gc?.();
          const memory = process.memoryUsage();
          const cpu = process.cpuUsage();
          const usage = process.resourceUsage();
          send({
            type: 'stats',
            stats: {
              rssBytes: memory.rss,
              peakRssBytes: usage.maxRSS * 1024,
              heapUsedBytes: memory.heapUsed,
              cpuMs: (cpu.user + cpu.system) / 1000,
              systemCpuMs: cpu.system / 1000,
              contextSwitches: { voluntary: usage.voluntaryContextSwitches, involuntary: usage.involuntaryContextSwitches },
              warnings: counters.warnings(),
              logSamples: counters.samples(),
              queueDepth: running?.queueDepth?.() ?? 0,
              ...(running?.outbox ? { outbox: await running.outbox() } : {}),
              sincePrevious: stalls(),
            },
          });
        } else if (message.type === 'stop') {
          await running?.stop();
          send({ type: 'stopped' });
          process.disconnect?.();
          // Lingering handles (kept-alive sockets, timers of libraries) must not keep a finished child alive.
          setTimeout(() => process.exit(0), 200).unref();
        }
      } catch (error) {
        send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    })();
  });
  process.on('disconnect', () => setTimeout(() => process.exit(0), 5_000).unref());
}
