/**
 * How busy the machine is while the benchmark runs (other people's test runs share it): load average and the
 * share of CPU time spent outside idle, from /proc on Linux (zeros elsewhere).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

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

/** Linux's USER_HZ, which /proc counts CPU time in. */
const CLOCK_TICKS = 100;
