/** Polls until a condition holds (state changes that happen on the client's own schedule). */
export async function waitFor(condition: () => boolean, timeoutMs = 5_000, stepMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}
