/** Named errors that carry their data. */

/** Another turn of the same chat committed first (revision compare-and-set failed); the turn is retried. */
export class ConcurrentTurnError extends Error {
  constructor(
    readonly chatKey: string,
    readonly expectedRevision: number,
  ) {
    super(`Chat ${chatKey.slice(0, 12)} changed during the turn (expected revision ${expectedRevision})`);
    this.name = 'ConcurrentTurnError';
  }
}

/** A flow machine failed (an action threw); the user is restarted at the menu. */
export class FlowError extends Error {
  constructor(
    readonly flow: string,
    override readonly cause: unknown,
  ) {
    super(`Flow ${flow} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'FlowError';
  }
}

/** A flow emitted a command nobody handles. */
export class UnknownCommandError extends Error {
  constructor(readonly command: string) {
    super(`No handler for command ${command}`);
    this.name = 'UnknownCommandError';
  }
}

/** Sending to a user or destination failed. `permanent` means retrying cannot help (blocked, not found). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
