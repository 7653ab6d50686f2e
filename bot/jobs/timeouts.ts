/** Time limits on work that is not itself cancellable: the work goes on, the caller stops waiting for it. */

/** Resolves or rejects as `promise` does, or rejects with `error()` once `ms` have passed. */
export function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Waits until `promise` has settled, but no longer than `ms`; never rejects. */
export async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  await withTimeout(promise, ms, () => new Error('timeout')).catch(() => undefined);
}
