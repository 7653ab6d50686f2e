import { describe, expect, it } from 'vitest';
import { cpuCeiling } from './bench/machine.ts';

describe('The benchmark’s CPU ceiling', () => {
  it('divides the cores’ time by the whole cost of an update, the fake’s and PostgreSQL’s included', () => {
    // 1.268 + 0.466 + 0.465 = 2.199 ms an update: two cores allow 909 a second.
    const ceiling = cpuCeiling(2, { bot: 1.268, postgres: 0.466, fakeAndDriver: 0.465 }, 1_000);
    expect(ceiling.perSec).toBe(909);
    // 1,000 a second leaves 2 ms an update for all of them: 2 - 0.466 - 0.465 for Netra.
    expect(ceiling.botMsForGoal).toBe(1.069);
  });

  it('counts no PostgreSQL time for the embedded database, which runs inside Netra', () => {
    const ceiling = cpuCeiling(2, { bot: 1.5, postgres: null, fakeAndDriver: 0.5 }, 500);
    expect(ceiling.perSec).toBe(1_000);
    expect(ceiling.botMsForGoal).toBe(3.5);
  });

  it('leaves Netra no room when the other parts alone fill the cores at the goal', () => {
    expect(cpuCeiling(2, { bot: 1, postgres: 1, fakeAndDriver: 1.2 }, 1_000).botMsForGoal).toBeNull();
    expect(cpuCeiling(2, { bot: 0, postgres: 0, fakeAndDriver: 0 }, 1_000).perSec).toBe(0);
  });
});
