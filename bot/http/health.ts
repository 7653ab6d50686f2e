/**
 * Health as a registry of named checks: each part of a running Netra (store, Telegram, WhatsApp, workers) adds
 * its own check, and `GET /healthz` reports them all. A check that throws or takes too long counts as down.
 */

/** `ok`: working; `degraded`: working with trouble (retrying); `down`: not working. */
export type HealthStatus = 'ok' | 'degraded' | 'down';

/** One check's verdict, with a short detail for operators (never personal data). */
export interface HealthCheckResult {
  status: HealthStatus;
  detail?: string;
}

/** A check: cheap, no side effects, answers within the report's timeout. */
export type HealthCheck = () => HealthCheckResult | Promise<HealthCheckResult>;

/** What `GET /healthz` returns. */
export interface HealthReport {
  /** The worst status of all checks (`ok` when there is none). */
  status: HealthStatus;
  checks: Record<string, HealthCheckResult & { ms: number }>;
}

const rank: Record<HealthStatus, number> = { ok: 0, degraded: 1, down: 2 };

/** The named health checks of one process. */
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();

  /** Adds (or replaces) a check; returns a function that removes it. */
  register(name: string, check: HealthCheck): () => void {
    this.checks.set(name, check);
    return () => {
      if (this.checks.get(name) === check) this.checks.delete(name);
    };
  }

  /** Names of the registered checks. */
  get names(): string[] {
    return [...this.checks.keys()];
  }

  /** Runs every check concurrently; one slower than `timeoutMs` counts as down. */
  async report(timeoutMs = 2_000): Promise<HealthReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const),
    );
    let status: HealthStatus = 'ok';
    for (const [, result] of entries) if (rank[result.status] > rank[status]) status = result.status;
    return { status, checks: Object.fromEntries(entries) };
  }
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<HealthCheckResult & { ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthCheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'down', detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    const result = await Promise.race([Promise.resolve().then(check), timeout]);
    return { ...result, ms: Math.round(performance.now() - started) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { status: 'down', detail: detail.slice(0, 200), ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}
