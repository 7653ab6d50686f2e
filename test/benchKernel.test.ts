import { describe, expect, it } from 'vitest';
import { kernelShare } from './bench/machine.ts';

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
});
