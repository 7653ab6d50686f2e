import { describe, expect, it } from 'vitest';
import { within, withTimeout } from '../../../bot/jobs/timeouts.ts';

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('Time limits on work that cannot be cancelled', () => {
  it('gives the work’s own result, or its own error, when it settles in time', async () => {
    await expect(withTimeout(after(5, 'done'), 1_000, () => new Error('late'))).resolves.toBe('done');
    await expect(withTimeout(Promise.reject(new Error('broken')), 1_000, () => new Error('late'))).rejects.toThrow('broken');
  });

  it('rejects with the caller’s error when the work takes longer than the limit', async () => {
    await expect(withTimeout(after(1_000, 'done'), 10, () => new Error('late'))).rejects.toThrow('late');
  });

  it('waits for work at most the limit, and never rejects, whether the work fails or hangs', async () => {
    const started = performance.now();
    await expect(within(new Promise(() => undefined), 30)).resolves.toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    await expect(within(Promise.reject(new Error('broken')), 1_000)).resolves.toBeUndefined();
    let finished = false;
    await within(after(5, undefined).then(() => void (finished = true)), 1_000);
    expect(finished).toBe(true);
  });
});
