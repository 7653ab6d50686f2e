import { describe, expect, it } from 'vitest';
import { kernelShare, threadSchedule, threadShares } from './bench/machine.ts';

describe('The benchmark’s view of the kernel’s part in a bot’s work', () => {
  it('gives the system time as a share of the CPU used between the two readings, not since the process started', () => {
    const from = { cpuMs: 5_000, systemCpuMs: 2_000, contextSwitches: { voluntary: 100, involuntary: 50 } };
    // 1,000 ms of CPU meanwhile, 120 of them in the kernel.
    const to = { cpuMs: 6_000, systemCpuMs: 2_120, contextSwitches: { voluntary: 150, involuntary: 950 } };
    expect(kernelShare(from, to, 1_000).systemShare).toBe(0.12);
  });

  it('counts context switches per update, the preempted ones apart from the waits', () => {
    const from = { cpuMs: 0, systemCpuMs: 0, contextSwitches: { voluntary: 10, involuntary: 20 } };
    const to = { cpuMs: 900, systemCpuMs: 90, contextSwitches: { voluntary: 60, involuntary: 920 } };
    expect(kernelShare(from, to, 1_000).switchesPerUpdate).toEqual({ voluntary: 0.05, involuntary: 0.9 });
  });

  it('reports zeros, not a division by zero, when nothing ran', () => {
    const same = { cpuMs: 10, systemCpuMs: 1, contextSwitches: { voluntary: 1, involuntary: 1 } };
    expect(kernelShare(same, same, 0)).toEqual({ systemShare: 0, switchesPerUpdate: { voluntary: 0, involuntary: 0 } });
  });

  it('gives the main thread’s running and waiting-for-a-core time as shares of the wall time between two readings', () => {
    // 2 s of wall time: 1.5 s running, 0.4 s ready but waiting for a core, the rest idle.
    const from = { runningNs: 10e9, waitingNs: 3e9 };
    const to = { runningNs: 11.5e9, waitingNs: 3.4e9 };
    expect(threadShares(from, to, 2_000)).toEqual({ running: 0.75, waitingForCore: 0.2 });
    expect(threadShares(null, to, 2_000)).toBeNull();
    expect(threadShares(from, to, 0)).toBeNull();
  });

  it.runIf(process.platform === 'linux')('reads a real thread’s counters, which grow as it works', () => {
    const before = threadSchedule(process.pid);
    expect(before).not.toBeNull();
    // Work until the counter shows 20 ms of running time, for at most 5 s of wall time: on a loaded machine the
    // thread may get much less than the wall time it spins (a fixed 50 ms spin once ran for under 20 ms).
    const startedAt = performance.now();
    let spin = 0;
    let grown = 0;
    while (grown <= 20e6 && performance.now() - startedAt < 5_000) {
      for (let i = 0; i < 100_000; i += 1) spin += 1;
      grown = (threadSchedule(process.pid)?.runningNs ?? 0) - (before?.runningNs ?? 0);
    }
    expect(spin).toBeGreaterThan(0);
    expect(grown).toBeGreaterThan(20e6);
    expect(threadSchedule(process.pid, 999_999_999)).toBeNull();
  });
});
