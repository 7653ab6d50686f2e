/**
 * The benchmark's phases, in one run:
 * 1. the bare telegraf echo bot, closed loop (the yardstick);
 * 2. on PostgreSQL, the floor: a bot doing Netra's input and output per update (webhook, conversation load and
 *    save, as many Bot API calls) and nothing else, closed loop: the most any bot with Netra's I/O reaches here;
 * 3. per store (PostgreSQL in a fresh database, PGlite in a temporary data directory): Netra closed loop
 *    (maximum throughput), then open loop at a fixed rate over many chats, fast-forwarded to staggered points of
 *    their conversations first (the latency a user feels);
 * 4. ten thousand chats brought mid-report at once, then Netra's peak RSS (their state is in the store), with
 *    Node's default heap and again with heap limits;
 * 5. the send queue against a fake Bot API enforcing Telegram's flood limits: the rate it sustains, 429s, losses.
 * Every phase runs a fresh bot process against a fresh fake Bot API; the fake and the load driver share this one.
 * Besides rates and latencies it reports the CPU time one update costs the bot, its PostgreSQL backends and the
 * fake, which moves far less than the rates when other work shares the machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { startFakeBotApi, type ApiCall, type FakeBotApi } from '../support/fakeBotApi.ts';
import { createTestDatabase, dropTestDatabase } from '../support/testDatabase.ts';
import { buildBots, startChild, type ChildHandle, type ChildOptions, type ChildStats, type MainThreadStalls } from './childProcess.ts';
import { clock, LoadDriver, type LoadSamples } from './loadDriver.ts';
import {
  busyShare,
  cpuSnapshot,
  freshSpeedCheckMs,
  kernelShare,
  machineInfo,
  processCpuMs,
  speedCheckMs,
  threadSchedule,
  threadShares,
  type CpuPerUpdate,
  type KernelShare,
  type ThreadShares,
} from './machine.ts';

export type BenchStore = 'postgres' | 'pglite';
export const benchPhases = ['echo', 'floor', 'closed', 'open', 'memory', 'limits'] as const;
export type BenchPhase = (typeof benchPhases)[number];

export interface BenchOptions {
  /** Chats of the closed loops. */
  chats: number;
  /** Chats of the open loop. */
  openChats: number;
  /** Open-loop arrivals per second; default half the store's closed-loop maximum. */
  rate?: number;
  /**
   * On PostgreSQL, the open loop runs once more at this rate when its own rate is another (the target of
   * 500/s, so that one run always measures it); 0 or undefined: no second run.
   */
  targetRate?: number;
  /** Before the open loop, each chat goes up to this many turns into its conversations (a seeded random share). */
  openFastForward: number;
  /** Measured seconds per load phase (after the warm-up). */
  durationSec: number;
  warmupSec: number;
  stores: BenchStore[];
  /** Chats brought mid-report for the memory phase (0 skips it). */
  rssChats: number;
  /** Seconds of load against the rate-limited fake (0 skips the phase). */
  rateLimitedSec: number;
  /** The phases to run (default all): the echo bot, the floor, closed and open loops, memory, the rate-limited queue. */
  phases?: ReadonlySet<BenchPhase>;
  /** Write V8 CPU profiles of the bot processes here. */
  cpuProfileDir?: string;
  /** Run the bots from their TypeScript sources under tsx instead of compiled (as `npm start` runs Netra). */
  fromSources?: boolean;
  /** Run the bots from this existing build (with test/bench in it) instead of compiling them first. */
  prebuilt?: string;
  /** Node flags for the bot processes (Netra and the echo bot). */
  botNodeFlags?: string[];
  /** The memory phase runs once more with these Node flags (heap limits), when given. */
  tunedMemoryFlags?: string[];
  /** PostgreSQL pool size of the Netra process (default: Netra's). */
  poolSize?: number;
  /** After a load phase, how long to wait for Netra's outbox to deliver what is left (seconds). */
  forwardDrainSec: number;
  /** Before each speed check, how long to wait for the machine to be quiet (seconds; default 20). */
  quietWaitSec?: number;
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

/** Percentiles of a latency sample, ms. */
export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** One measured load phase. */
export interface LoadResult {
  chats: number;
  /** Open loop: the arrival rate asked for. */
  rate?: number;
  seconds: number;
  updates: number;
  updatesPerSec: number;
  /** From an update's arrival at the fake to the bot's first call about it. */
  firstReplyMs: Percentiles;
  /** From an update's arrival to the call carrying the next question (the whole answer). */
  turnMs: Percentiles;
  reportsFiled: number;
  quizzesScored: number;
  conversationsAbandoned: number;
  stalls: number;
  /** Updates still without an answer 30 s after the load stopped. */
  unanswered: number;
  strayMessages: number;
  missedArrivals: number;
  stallSamples: string[];
  /** Share of one core the bot process used while measured. */
  botCpu: number;
  /** Share of the whole machine's CPU that was busy (all processes, other people's included). */
  machineBusy: number;
  /**
   * CPU time per update of the bot process, of the PostgreSQL backends serving it, and of this process (the
   * fake Bot API and the driver): what an update costs, whatever else runs on the machine.
   */
  cpuMsPerUpdate: CpuPerUpdate;
  /** Bot API calls the bot made per update while measured, by method (the webhook's own answers excluded). */
  apiCallsPerUpdate: Record<string, number>;
  /**
   * How the bot process met the machine while measured: the share of its CPU spent in the kernel, and its context
   * switches per update (voluntary: it waited for input; involuntary: a core was taken from it while it could run).
   * Machines that look alike in a compute check can differ here by a lot.
   */
  botKernel: KernelShare;
  /**
   * The bot's main thread (its event loop) while measured: the share of the time it ran, and the share it was ready
   * to run but waited for a core (null where Linux's schedstat is missing). Running plus waiting near 1 means the
   * loop is bound by the cores it shares with PostgreSQL and the fake, not by the event loop's own work.
   */
  botMainThread: ThreadShares | null;
  /**
   * What held the bot's main thread while measured: how late its event loop came back to a timer (p50, p99, max,
   * beyond the timer's interval) and the garbage collector's pauses (all, and the major ones). A latency tail with
   * a late loop and long pauses is the bot's own; one with a punctual loop was spent waiting elsewhere.
   */
  botStalls: MainThreadStalls | null;
  /**
   * Netra: the forwarding of filed reports to their office. Office deliveries done while measured, outbox rows
   * still waiting when the measurement ended, and seconds from then until none waited (null: not within the limit).
   */
  forwarding?: {
    officeDeliveries: number;
    waitingAtEnd: number;
    /** How long the oldest of them had waited then, seconds (what `netra_outbox_oldest_seconds` showed). */
    oldestWaitingSecondsAtEnd: number;
    drainSeconds: number | null;
    /**
     * CPU per office delivery while the backlog drained after the load (forwarding alone: the dossier, its PDF in
     * the PDF thread, the card, the uploads, the bookkeeping), when at least {@link MIN_DRAIN_DELIVERIES} were made.
     */
    drainCpuMsPerDelivery: { bot: number; postgres: number | null } | null;
  };
  warnings: number;
  logSamples: string[];
}

export interface StoreResult {
  closed?: LoadResult;
  open?: LoadResult;
  /** The open loop again at {@link BenchOptions.targetRate} (PostgreSQL, when the open loop ran at another rate). */
  openAtTarget?: LoadResult;
  tickets: number;
  /** Tickets in the store equal the reports the driver saw filed. */
  ticketsMatchReports: boolean;
  /** PostgreSQL: bytes of the ticket tables (Ticket, Evidence, TicketEvent, Outbox with indexes and TOAST) per ticket. */
  bytesPerTicket?: number;
  /** The same per table. */
  bytesPerTicketByTable?: Record<string, number>;
}

export interface MemoryResult {
  chats: number;
  updates: number;
  seconds: number;
  chatsInReportFlow: number;
  baselineRssMb: number;
  peakRssMb: number;
  rssAfterGcMb: number;
  heapUsedAfterGcMb: number;
  stalls: number;
}

export interface SendQueueResult {
  updates: number;
  /** Successful outgoing calls a second while the queue had a backlog. */
  sustainedPerSec: number;
  globalLimitPerSec: number;
  delivered: number;
  tooManyRequests: number;
  /** 429 answers after the first two seconds. */
  steadyState429: number;
  /** Updates whose answer never arrived. */
  lost: number;
  drainSeconds: number;
  warnings: number;
}

export interface BenchResult {
  machine: ReturnType<typeof machineInfo> & {
    loadAverageAfter: number[];
    botNodeFlags: string[];
    /** How the bots ran: compiled to JavaScript (as `npm start` runs Netra) or from the sources under tsx. */
    bots: 'compiled' | 'sources';
    /**
     * {@link speedCheckMs} before the first phase and after the last, each in a fresh process once the machine was
     * quiet ({@link freshSpeedCheckMs}).
     */
    speedCheckMs: [number, number];
    /** Seconds waited for the machine to be quiet before each of those. */
    quietWaitSeconds: [number, number];
    /** The same check run in the benchmark's own process after the last phase, whose state can slow it. */
    speedCheckInBenchProcessAfterMs: number;
  };
  echo?: LoadResult;
  /** The floor bot (floorChild.ts) on PostgreSQL, closed loop. */
  floor?: LoadResult;
  postgres?: StoreResult;
  pglite?: StoreResult;
  memory?: MemoryResult;
  /** The memory phase again, with `tunedMemoryFlags`. */
  memoryTuned?: MemoryResult & { nodeFlags: string[] };
  sendQueue?: SendQueueResult;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs every phase the options ask for. */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  if (options.fromSources) return runPhases(options);
  if (options.prebuilt) return runPhases({ ...options, build: options.prebuilt });
  const started = performance.now();
  const build = buildBots();
  options.log(`bots compiled as npm start compiles Netra, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  try {
    return await runPhases({ ...options, build });
  } finally {
    rmSync(build, { recursive: true, force: true });
  }
}

async function runPhases(options: BenchOptions & { build?: string }): Promise<BenchResult> {
  const machine = machineInfo();
  const quietWaitMs = (options.quietWaitSec ?? 20) * 1000;
  const speedBefore = await freshSpeedCheckMs(quietWaitMs);
  const photos = await makePhotos(8);
  const result: BenchResult = {
    machine: { ...machine, loadAverageAfter: [], botNodeFlags: options.botNodeFlags ?? [], bots: options.build ? 'compiled' : 'sources', speedCheckMs: [speedBefore.ms, 0], quietWaitSeconds: [speedBefore.waitedSeconds, 0], speedCheckInBenchProcessAfterMs: 0 },
  };

  const runs = (phase: BenchPhase) => options.phases?.has(phase) ?? true;
  if (runs('echo')) {
    options.log(`echo bot: closed loop, ${options.chats} chats`);
    result.echo = await withFake({}, async (fake) => {
      const child = await startChild({ bot: 'echo', apiRoot: fake.apiRoot, token: fake.token }, profile(options));
      try {
        const driver = new LoadDriver({ fake, firstChatId: 500_000, chats: options.chats, conversations: ['echo'], photos });
        return await measure(options, driver, child, () => driver.startClosedLoop(), options.chats);
      } finally {
        await child.stop();
      }
    });
  }

  for (const store of options.stores) {
    const databaseUrl = store === 'postgres' ? await createTestDatabase() : undefined;
    // Test runs drop leftover test databases that nobody is connected to; between phases nobody else is.
    const holder = databaseUrl ? new pg.Client({ connectionString: databaseUrl }) : undefined;
    await holder?.connect();
    const dataDir = mkdtempSync(path.join(tmpdir(), `netra-bench-${store}-`));
    try {
      const netra = (fake: FakeBotApi, limits = false, extraFlags: string[] = []) =>
        startChild(
          {
            bot: 'netra',
            store,
            dataDir,
            apiRoot: fake.apiRoot,
            token: fake.token,
            limits,
            ...(databaseUrl ? { databaseUrl } : {}),
            ...(options.poolSize ? { poolSize: options.poolSize } : {}),
          },
          { ...profile(options), nodeFlags: [...(options.botNodeFlags ?? []), ...extraFlags] },
        );
      if (runs('floor') && databaseUrl) {
        options.log(`floor (Netra's input and output, none of its work): closed loop, ${options.chats} chats`);
        result.floor = await withFake({}, async (fake) => {
          const child = await startChild(
            { bot: 'floor', apiRoot: fake.apiRoot, token: fake.token, databaseUrl, ...(options.poolSize ? { poolSize: options.poolSize } : {}) },
            profile(options),
          );
          try {
            const driver = new LoadDriver({ fake, firstChatId: 700_000, chats: options.chats, conversations: ['floor'], photos });
            return await measure(options, driver, child, () => driver.startClosedLoop(), options.chats, databaseUrl);
          } finally {
            await child.stop();
          }
        });
        // The floor's chats hold no real encrypted address; Netra, which checks its key against the stored data at
        // start, must not find them.
        await holder?.query(`DELETE FROM "Chat" WHERE "key" LIKE 'floor:%'`);
      }
      let closed: LoadResult | undefined;
      if (runs('closed')) {
        options.log(`${store}: closed loop, ${options.chats} chats`);
        closed = await withFake({}, async (fake) => {
          const child = await netra(fake);
          try {
            const driver = new LoadDriver({ fake, firstChatId: 1_000_000, chats: options.chats, photos });
            return await measure(options, driver, child, () => driver.startClosedLoop(), options.chats, databaseUrl);
          } finally {
            await child.stop();
          }
        });
      }
      const rate = options.rate ?? (closed ? Math.max(1, Math.floor(closed.updatesPerSec / 2)) : undefined);
      const openLoop = (at: number, firstChatId: number, label = ''): Promise<LoadResult> => {
        options.log(`${store}: open loop, ${at} updates/s over ${options.openChats} chats${label}`);
        return withFake({}, async (fake) => {
          const child = await netra(fake);
          try {
            const driver = new LoadDriver({ fake, firstChatId, chats: options.openChats, photos });
            if (options.openFastForward > 0) {
              const started = clock();
              await driver.fastForward(options.openFastForward, 600_000);
              options.log(`${store}: chats fast-forwarded into their conversations in ${((clock() - started) / 1000).toFixed(1)} s`);
            }
            const measured = await measure(options, driver, child, () => driver.startOpenLoop(at), options.openChats, databaseUrl);
            return { ...measured, rate: at };
          } finally {
            await child.stop();
          }
        });
      };
      let open: LoadResult | undefined;
      let openAtTarget: LoadResult | undefined;
      if (runs('open') && options.openChats > 0) {
        if (rate === undefined) throw new Error('The open loop needs --rate when the closed loop does not run');
        open = await openLoop(rate, 2_000_000);
        const target = options.targetRate ?? 0;
        if (store === 'postgres' && target > 0 && target !== rate) openAtTarget = await openLoop(target, 2_500_000, " (the target's rate)");
      }
      if (closed || open) {
        const storeResult: StoreResult = {
          ...(closed ? { closed } : {}),
          ...(open ? { open } : {}),
          ...(openAtTarget ? { openAtTarget } : {}),
          tickets: 0,
          ticketsMatchReports: false,
        };
        const reportsFiled = (closed?.reportsFiled ?? 0) + (open?.reportsFiled ?? 0) + (openAtTarget?.reportsFiled ?? 0);
        if (databaseUrl) {
          const sizes = await ticketSizes(databaseUrl);
          storeResult.tickets = sizes.tickets;
          if (sizes.tickets > 0) {
            storeResult.bytesPerTicket = Math.round(sizes.bytes / sizes.tickets);
            storeResult.bytesPerTicketByTable = Object.fromEntries(
              Object.entries(sizes.byTable).map(([table, bytes]) => [table, Math.round(bytes / sizes.tickets)]),
            );
          }
        } else {
          storeResult.tickets = reportsFiled;
        }
        // Reports filed while the driver was settling are in the store too; a mismatch beyond them means loss.
        storeResult.ticketsMatchReports = storeResult.tickets >= reportsFiled;
        result[store] = storeResult;
      }

      if (runs('memory') && options.rssChats > 0 && (store === 'postgres' || !options.stores.includes('postgres'))) {
        options.log(`${store}: ${options.rssChats} conversations brought mid-report`);
        result.memory = await withFake({}, async (fake) => {
          const child = await netra(fake);
          try {
            return await memoryPhase(options, fake, child, photos, databaseUrl, 3_000_000);
          } finally {
            await child.stop();
          }
        });
        const tuned = options.tunedMemoryFlags ?? [];
        if (tuned.length > 0) {
          options.log(`${store}: ${options.rssChats} more conversations brought mid-report, Netra run with ${tuned.join(' ')}`);
          const measured = await withFake({}, async (fake) => {
            const child = await netra(fake, false, tuned);
            try {
              return await memoryPhase(options, fake, child, photos, databaseUrl, 3_500_000);
            } finally {
              await child.stop();
            }
          });
          result.memoryTuned = { ...measured, nodeFlags: tuned };
        }
      }

      if (runs('limits') && options.rateLimitedSec > 0 && (store === 'postgres' || !options.stores.includes('postgres'))) {
        options.log(`${store}: send queue against Telegram's limits, ${options.rateLimitedSec} s`);
        result.sendQueue = await withFake({ rateLimits: true }, async (fake) => {
          const child = await netra(fake, true);
          try {
            return await sendQueuePhase(options, fake, child, photos);
          } finally {
            await child.stop();
          }
        });
      }
    } finally {
      await holder?.end().catch(() => undefined);
      if (databaseUrl) await dropTestDatabase(databaseUrl).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  result.machine.loadAverageAfter = machineInfo().loadAverage;
  result.machine.speedCheckInBenchProcessAfterMs = speedCheckMs();
  const speedAfter = await freshSpeedCheckMs(quietWaitMs);
  result.machine.speedCheckMs = [speedBefore.ms, speedAfter.ms];
  result.machine.quietWaitSeconds = [speedBefore.waitedSeconds, speedAfter.waitedSeconds];
  return result;
}

function profile(options: BenchOptions & { build?: string }): ChildOptions {
  return {
    ...(options.build ? { build: options.build } : {}),
    ...(options.cpuProfileDir ? { cpuProfileDir: options.cpuProfileDir } : {}),
    ...(options.botNodeFlags ? { nodeFlags: options.botNodeFlags } : {}),
  };
}

async function withFake<T>(limits: { rateLimits?: boolean }, run: (fake: FakeBotApi) => Promise<T>): Promise<T> {
  const fake = await startFakeBotApi({ now: clock, ...limits });
  try {
    return await run(fake);
  } finally {
    await fake.close();
  }
}

/** Warms up, measures for the phase's duration, then lets the chats waiting for an answer get it. */
async function measure(
  options: BenchOptions,
  driver: LoadDriver,
  child: ChildHandle,
  start: () => void,
  chats: number,
  databaseUrl?: string,
): Promise<LoadResult> {
  start();
  await sleep(options.warmupSec * 1000);
  const backends = databaseUrl ? await BackendCpu.open(databaseUrl) : undefined;
  const from = clock();
  const callsFrom = driver.fakeCalls;
  const statsFrom = await child.stats();
  const mainFrom = threadSchedule(child.pid);
  const cpuFrom = cpuSnapshot();
  const selfFrom = process.cpuUsage();
  const postgresFrom = await backends?.sample();
  await sleep(options.durationSec * 1000);
  const to = clock();
  const callsTo = driver.fakeCalls;
  const cpuTo = cpuSnapshot();
  const mainTo = threadSchedule(child.pid);
  const self = process.cpuUsage(selfFrom);
  const postgresMs = postgresFrom ? await backends?.since(postgresFrom) : undefined;
  const statsTo = await child.stats();
  const postgresTo = await backends?.sample();
  driver.stop();
  await driver.settle(30_000);
  driver.dispose();
  const unanswered = driver.waiting;
  const result = summarise(driver.samples, chats, from, to, statsFrom, statsTo, busyShare(cpuFrom, cpuTo));
  result.unanswered = unanswered;
  const per = (ms: number) => (result.updates > 0 ? round(ms / result.updates, 3) : 0);
  result.cpuMsPerUpdate = {
    bot: per(statsTo.cpuMs - statsFrom.cpuMs),
    postgres: postgresMs === undefined ? null : per(postgresMs),
    fakeAndDriver: per((self.user + self.system) / 1000),
  };
  result.apiCallsPerUpdate = driver.callsByMethod(callsFrom, callsTo, result.updates);
  result.botKernel = kernelShare(statsFrom, statsTo, result.updates);
  result.botMainThread = threadShares(mainFrom, mainTo, to - from);
  result.botStalls = statsTo.sincePrevious;
  try {
    if (statsFrom.outbox && statsTo.outbox) {
      const drainedAfter = await outboxDrained(child, options.forwardDrainSec, to);
      // The drain's CPU from the end of the load (the driver's last turns settled meanwhile: a few ms at most).
      const statsDrained = await child.stats();
      const postgresDrainMs = postgresTo ? await backends?.since(postgresTo) : undefined;
      const drainDeliveries = (statsDrained.outbox?.officeDeliveries ?? 0) - statsTo.outbox.officeDeliveries;
      result.forwarding = {
        officeDeliveries: statsTo.outbox.officeDeliveries - statsFrom.outbox.officeDeliveries,
        waitingAtEnd: statsTo.outbox.waiting,
        oldestWaitingSecondsAtEnd: statsTo.outbox.oldestSeconds,
        drainSeconds: drainedAfter,
        drainCpuMsPerDelivery:
          drainedAfter !== null && drainDeliveries >= MIN_DRAIN_DELIVERIES
            ? {
                bot: round((statsDrained.cpuMs - statsTo.cpuMs) / drainDeliveries, 2),
                postgres: postgresDrainMs === undefined ? null : round(postgresDrainMs / drainDeliveries, 2),
              }
            : null,
      };
    }
  } finally {
    await backends?.close();
  }
  return result;
}

/** Office deliveries during a drain below which its CPU per delivery is not reported (too few to mean much). */
const MIN_DRAIN_DELIVERIES = 10;

/**
 * Seconds from `since` until the bot's outbox has nothing left to deliver (checked ten times a second), or null
 * when it still has after `limitSec`.
 */
async function outboxDrained(child: ChildHandle, limitSec: number, since: number): Promise<number | null> {
  const deadline = clock() + limitSec * 1000;
  for (;;) {
    const { outbox } = await child.stats();
    if (!outbox || outbox.waiting === 0) return round((clock() - since) / 1000, 1);
    if (clock() >= deadline) return null;
    await sleep(100);
  }
}

/** CPU time of the PostgreSQL server processes serving one database (its backends, seen in pg_stat_activity). */
class BackendCpu {
  private constructor(
    private readonly client: pg.Client,
    private readonly database: string,
  ) {}

  static async open(databaseUrl: string): Promise<BackendCpu> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    return new BackendCpu(client, new URL(databaseUrl).pathname.slice(1));
  }

  async sample(): Promise<Map<number, number>> {
    const { rows } = await this.client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [this.database]);
    return new Map(rows.map((row) => [row.pid, processCpuMs(row.pid)]));
  }

  /** CPU ms used since `before` by the backends alive now (a backend started since counts whole). */
  async since(before: Map<number, number>): Promise<number> {
    let total = 0;
    for (const [pid, ms] of await this.sample()) total += ms - (before.get(pid) ?? 0);
    return total;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

function summarise(
  samples: LoadSamples,
  chats: number,
  from: number,
  to: number,
  statsFrom: ChildStats,
  statsTo: ChildStats,
  machineBusy: number,
): LoadResult {
  const first: number[] = [];
  const turn: number[] = [];
  for (let index = 0; index < samples.completedAt.length; index += 1) {
    const at = samples.completedAt[index] as number;
    if (at < from || at > to) continue;
    first.push(samples.firstReplyMs[index] as number);
    turn.push(samples.turnMs[index] as number);
  }
  const seconds = (to - from) / 1000;
  return {
    chats,
    seconds: round(seconds, 2),
    updates: turn.length,
    updatesPerSec: Math.round(turn.length / seconds),
    firstReplyMs: percentiles(first),
    turnMs: percentiles(turn),
    reportsFiled: samples.reportsFiled,
    quizzesScored: samples.quizzesScored,
    conversationsAbandoned: samples.conversationsAbandoned,
    stalls: samples.stalls,
    unanswered: 0,
    strayMessages: samples.strayMessages,
    missedArrivals: samples.missedArrivals,
    stallSamples: samples.stallSamples,
    botCpu: round((statsTo.cpuMs - statsFrom.cpuMs) / (to - from), 2),
    machineBusy: round(machineBusy, 2),
    warnings: statsTo.warnings,
    logSamples: statsTo.logSamples,
    cpuMsPerUpdate: { bot: 0, postgres: null, fakeAndDriver: 0 },
    apiCallsPerUpdate: {},
    botKernel: { systemShare: 0, switchesPerUpdate: { voluntary: 0, involuntary: 0 } },
    botMainThread: null,
    botStalls: null,
  };
}

/** Brings `rssChats` chats mid-report (/lapor, the kind, the consent) all at once, then reads the bot's memory. */
async function memoryPhase(
  options: BenchOptions,
  fake: FakeBotApi,
  child: ChildHandle,
  photos: Buffer[],
  databaseUrl: string | undefined,
  firstChatId: number,
): Promise<MemoryResult> {
  const baseline = await child.stats({ gc: true });
  const driver = new LoadDriver({
    fake,
    firstChatId,
    chats: options.rssChats,
    conversations: ['report'],
    photos,
    turnsPerChat: 3,
    stallMs: 600_000,
  });
  const started = clock();
  driver.startClosedLoop();
  const settled = await driver.settle(900_000);
  const seconds = (clock() - started) / 1000;
  driver.dispose();
  if (!settled) options.log(`memory phase: ${driver.waiting} chats still waiting after 15 minutes`);
  const after = await child.stats({ gc: true });
  let chatsInReportFlow = -1;
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ count: string }>(`SELECT count(*) AS count FROM "Chat" WHERE "flow" = 'report'`);
      chatsInReportFlow = Number(rows[0]?.count ?? 0);
    } finally {
      await client.end();
    }
  }
  const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
  return {
    chats: options.rssChats,
    updates: driver.samples.updatesSent,
    seconds: round(seconds, 1),
    chatsInReportFlow,
    baselineRssMb: mb(baseline.rssBytes),
    peakRssMb: mb(after.peakRssBytes),
    rssAfterGcMb: mb(after.rssBytes),
    heapUsedAfterGcMb: mb(after.heapUsedBytes),
    stalls: driver.samples.stalls,
  };
}

const OUTGOING = new Set(['sendMessage', 'sendDocument', 'sendPhoto', 'editMessageText', 'editMessageReplyMarkup']);

/**
 * More answers than Telegram lets through (30 updates a second, one to four messages each, against 30 messages
 * a second overall), spread over many chats; then every answer must arrive, without 429s once under way.
 */
async function sendQueuePhase(options: BenchOptions, fake: FakeBotApi, child: ChildHandle, photos: Buffer[]): Promise<SendQueueResult> {
  const driver = new LoadDriver({ fake, firstChatId: 4_000_000, chats: 2_000, photos, stallMs: 600_000 });
  const started = clock();
  driver.startOpenLoop(30);
  await sleep(options.rateLimitedSec * 1000);
  driver.stop();
  await driver.settle(600_000);
  const drained = clock();
  driver.dispose();
  const stats = await child.stats();
  const delivered: number[] = [];
  let tooMany = 0;
  let steady429 = 0;
  for (const call of fake.calls as ApiCall[]) {
    if (!OUTGOING.has(call.method)) continue;
    if (call.ok) delivered.push(call.at);
    else if (call.error?.error_code === 429) {
      tooMany += 1;
      if (call.at - started > 2_000) steady429 += 1;
    }
  }
  // The queue has a backlog from a few seconds in until its last message; its pace there is what it sustains.
  const last = delivered.length > 0 ? Math.max(...delivered) : started;
  const windowFrom = started + 3_000;
  const windowTo = last - 1_000;
  const inWindow = delivered.filter((at) => at >= windowFrom && at <= windowTo).length;
  return {
    updates: driver.samples.updatesSent,
    sustainedPerSec: windowTo > windowFrom ? round((inWindow * 1000) / (windowTo - windowFrom), 1) : 0,
    globalLimitPerSec: 30,
    delivered: delivered.length,
    tooManyRequests: tooMany,
    steadyState429: steady429,
    lost: driver.waiting + driver.samples.stalls,
    drainSeconds: round((drained - started) / 1000 - options.rateLimitedSec, 1),
    warnings: stats.warnings,
  };
}

/** The tables a ticket writes to. */
const ticketTables = ['Ticket', 'Evidence', 'TicketEvent', 'Outbox'] as const;

async function ticketSizes(databaseUrl: string): Promise<{ bytes: number; tickets: number; byTable: Record<string, number> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const byTable: Record<string, number> = {};
    for (const table of ticketTables) {
      const { rows } = await client.query<{ bytes: string }>(`SELECT pg_total_relation_size('"${table}"') AS bytes`);
      byTable[table] = Number(rows[0]?.bytes ?? 0);
    }
    const { rows } = await client.query<{ tickets: string }>('SELECT count(*) AS tickets FROM "Ticket"');
    const bytes = Object.values(byTable).reduce((sum, value) => sum + value, 0);
    return { bytes, tickets: Number(rows[0]?.tickets ?? 0), byTable };
  } finally {
    await client.end();
  }
}

/**
 * Small evidence photos (320×240, about 20 KB): gradients with noise, so they cost what a photo costs to decode
 * and re-encode (a flat colour compresses to under a kilobyte and strips in a fraction of the time).
 */
export async function makePhotos(count: number): Promise<Buffer[]> {
  const width = 320;
  const height = 240;
  const photos: Buffer[] = [];
  let seed = 1;
  for (let index = 0; index < count; index += 1) {
    const pixels = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const at = (y * width + x) * 3;
        pixels[at] = (x + y + index * 30 + (seed & 31)) & 255;
        pixels[at + 1] = (x * 2 + ((seed >> 5) & 31)) & 255;
        pixels[at + 2] = (y * 2 + index * 20 + ((seed >> 10) & 31)) & 255;
      }
    }
    photos.push(await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer());
  }
  return photos;
}

function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: 0, p95: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number, 1);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(sorted[sorted.length - 1] as number, 1) };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
