/**
 * How busy the machine is while the benchmark runs (other people's test runs share it): load average and the
 * share of CPU time spent outside idle, from /proc on Linux (zeros elsewhere).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Cumulative CPU time counters of the whole machine. */
export interface CpuSnapshot {
  busy: number;
  total: number;
}

/** Reads the machine's CPU counters. */
export function cpuSnapshot(): CpuSnapshot {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** Share (0..1) of the machine's CPU time that was busy between two snapshots. */
export function busyShare(from: CpuSnapshot, to: CpuSnapshot): number {
  const total = to.total - from.total;
  return total > 0 ? (to.busy - from.busy) / total : 0;
}

/** The machine as the report describes it. */
export function machineInfo(): { cores: number; cpu: string; loadAverage: number[]; node: string } {
  return {
    cores: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
    node: process.version,
  };
}

/**
 * Milliseconds this thread takes for a fixed piece of work (objects, JSON and strings, as a turn does), the best of
 * three tries. Virtual machines differ and drift, even within an hour: the figure taken before and after a run tells
 * whether two runs, or two phases, met the same machine (lower is quicker).
 */
export function speedCheckMs(): number {
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const started = performance.now();
    let checksum = 0;
    for (let i = 0; i < 100_000; i += 1) {
      const draft = { step: `step-${i % 17}`, answers: [i, i * 2, i * 3], text: 'Kepala Dinas Pendidikan', at: i };
      const copy = JSON.parse(JSON.stringify(draft)) as typeof draft;
      checksum += copy.answers.length + copy.text.toUpperCase().length + copy.step.length;
    }
    const elapsed = performance.now() - started;
    if (checksum > 0) best = Math.min(best, elapsed);
  }
  return Math.round(best * 10) / 10;
}

/**
 * Waits until the machine has been quiet (under a fifth busy) for half a second, or `maxMs` passed: PostgreSQL
 * finishing its writes after a phase, or a test run just ended, would otherwise slow the speed check. Returns the
 * seconds waited.
 */
export async function waitForQuiet(maxMs = 20_000): Promise<number> {
  if (maxMs <= 0) return 0;
  const started = performance.now();
  for (;;) {
    const from = cpuSnapshot();
    await sleep(500);
    const busy = busyShare(from, cpuSnapshot());
    if (busy < 0.2 || performance.now() - started >= maxMs - 500) return Math.round((performance.now() - started) / 100) / 10;
  }
}

/**
 * {@link speedCheckMs} in a fresh Node process, once the machine is quiet: what the machine itself gives, apart from
 * the state of the benchmark's own process after its phases (a large heap makes its garbage collections dearer).
 */
export async function freshSpeedCheckMs(quietWaitMs = 20_000): Promise<{ ms: number; waitedSeconds: number }> {
  const waitedSeconds = await waitForQuiet(quietWaitMs);
  const self = fileURLToPath(import.meta.url);
  const script = `import(${JSON.stringify(pathToFileURL(self).href)}).then((m) => process.stdout.write(String(m.speedCheckMs())))`;
  // tsx is found from the project's root, whatever the directory the benchmark was started from.
  const root = path.resolve(path.dirname(self), '..', '..');
  const args = [...(self.endsWith('.ts') ? ['--import', 'tsx'] : []), '--input-type=module', '-e', script];
  const ms = await new Promise<number>((resolve) => {
    execFile(process.execPath, args, { timeout: 60_000, cwd: root }, (error, stdout) => {
      const value = Number(stdout.trim());
      // Should the fresh process fail, the check is taken here rather than not at all.
      resolve(!error && Number.isFinite(value) && value > 0 ? value : speedCheckMs());
    });
  });
  return { ms, waitedSeconds };
}

/** CPU time (ms) a process has used, from /proc (0 when it is gone or not on Linux). */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), counted from field 3: utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** A process's CPU counters as its children report them (process.cpuUsage and process.resourceUsage). */
export interface ProcessCounters {
  cpuMs: number;
  systemCpuMs: number;
  contextSwitches: { voluntary: number; involuntary: number };
}

/** The kernel's share of a process's CPU, and its context switches per update, between two readings. */
export interface KernelShare {
  systemShare: number;
  switchesPerUpdate: { voluntary: number; involuntary: number };
}

/** What the kernel did for a process between two readings of its counters, over `updates` updates. */
export function kernelShare(from: ProcessCounters, to: ProcessCounters, updates: number): KernelShare {
  const cpu = to.cpuMs - from.cpuMs;
  const per = (count: number) => (updates > 0 ? Math.round((count / updates) * 100) / 100 : 0);
  return {
    systemShare: cpu > 0 ? Math.round(((to.systemCpuMs - from.systemCpuMs) / cpu) * 1000) / 1000 : 0,
    switchesPerUpdate: {
      voluntary: per(to.contextSwitches.voluntary - from.contextSwitches.voluntary),
      involuntary: per(to.contextSwitches.involuntary - from.contextSwitches.involuntary),
    },
  };
}

/** A thread's scheduler counters (Linux's schedstat): time it ran, and time it was ready to run but waited for a core. */
export interface ThreadSchedule {
  runningNs: number;
  waitingNs: number;
}

/** Reads a thread's scheduler counters; the main thread's id is its process's. Null when /proc does not have them. */
export function threadSchedule(pid: number, tid = pid): ThreadSchedule | null {
  try {
    const [running, waiting] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    return Number.isFinite(running) && Number.isFinite(waiting) ? { runningNs: running as number, waitingNs: waiting as number } : null;
  } catch {
    return null;
  }
}

/**
 * Shares (0..1) of a stretch of wall time during which a thread ran, and was ready to run but waited for a core:
 * what is left is time it had nothing to do. A busy thread that waits a lot is short of cores, not of work.
 */
export interface ThreadShares {
  running: number;
  waitingForCore: number;
}

/** What a thread's scheduler counters say about `wallMs` of wall time between two readings. */
export function threadShares(from: ThreadSchedule | null, to: ThreadSchedule | null, wallMs: number): ThreadShares | null {
  if (!from || !to || wallMs <= 0) return null;
  const share = (ns: number) => Math.round(Math.min(1, Math.max(0, ns / 1e6 / wallMs)) * 100) / 100;
  return { running: share(to.runningNs - from.runningNs), waitingForCore: share(to.waitingNs - from.waitingNs) };
}

/** Linux's USER_HZ, which /proc counts CPU time in. */
const CLOCK_TICKS = 100;

/** CPU milliseconds one update costs each part on the machine (the fake Bot API and the load driver included). */
export interface CpuPerUpdate {
  bot: number;
  postgres: number | null;
  fakeAndDriver: number;
}

/**
 * What the machine's cores allow at a measured cost per update: the most updates a second if every core did
 * nothing but this (all of them busy, which a real run never quite reaches), and how much of Netra's CPU per update
 * `goal` updates a second would leave room for, with the other parts costing what they did (null when they alone
 * already fill the cores).
 */
export function cpuCeiling(cores: number, cost: CpuPerUpdate, goal: number): { perSec: number; botMsForGoal: number | null } {
  const others = (cost.postgres ?? 0) + cost.fakeAndDriver;
  const perUpdate = cost.bot + others;
  const room = (cores * 1000) / goal - others;
  return {
    perSec: perUpdate > 0 ? Math.floor((cores * 1000) / perUpdate) : 0,
    botMsForGoal: room > 0 ? Math.round(room * 1000) / 1000 : null,
  };
}
