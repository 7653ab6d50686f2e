/**
 * Netra as a child process, exactly as operators run it (`npm start`: Node with its heap flags on the compiled
 * build, see test/support/npmStart.ts), so a test can kill it with SIGKILL at any instant and start it again on the
 * same database and data directory. One-shot operator commands run as `npm run netra -- <command>` runs them (tsx).
 *
 * One test-only preload (`childPreload.mjs`) lifts the send queue's Telegram flood limits: the fake Bot API enforces
 * none, and pacing at one message a second per chat would make the trials measure waiting instead of crashes.
 * Pacing has its own tests (sendQueue.test.ts, the benchmark).
 *
 * Every child started here is killed when the test process exits, whatever happened to the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { npmStartArgs } from '../../support/npmStart.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const preload = path.join(import.meta.dirname, 'childPreload.mjs');

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface NetraProcessOptions {
  /** The child's whole environment besides PATH and HOME (nothing else leaks in from the test process). */
  env: Record<string, string>;
  /** Subcommand and arguments (default `start`). */
  args?: string[];
  /** Keep every output line (the privacy test reads them all); otherwise only the last 400 are kept. */
  keepOutput?: boolean;
  /** Lift the send queue's flood limits (default true). */
  liftLimits?: boolean;
}

/** A running (or exited) Netra child. */
export class NetraProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly lines: string[] = [];
  private partial = '';
  private readonly watchers = new Set<{ pattern: string; resolve: () => void }>();

  private constructor(private readonly options: NetraProcessOptions) {
    const liftLimits = options.liftLimits ?? true;
    const args = options.args ?? ['start'];
    this.child = spawn(
      process.execPath,
      args[0] === 'start'
        ? npmStartArgs(args, liftLimits ? [preload] : [])
        : ['--import', 'tsx', 'bot/cli/netra.ts', ...args],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    live.add(this.child);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        live.delete(this.child);
        this.flushPartial();
        resolve({ code, signal });
      }),
    );
    this.child.stdout?.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  /** Starts a child. */
  static start(options: NetraProcessOptions): NetraProcess {
    return new NetraProcess(options);
  }

  /** Runs a one-shot subcommand (`office set ...`, `tickets export ...`) to its end. */
  static async run(env: Record<string, string>, args: string[]): Promise<{ code: number | null; output: string }> {
    const child = new NetraProcess({ env, args, keepOutput: true, liftLimits: false });
    const { code } = await child.exited;
    return { code, output: child.output() };
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Everything the child wrote (stdout and stderr interleaved, by line). */
  output(): string {
    return this.lines.join('\n');
  }

  /** Resolves once a line containing `pattern` was written; rejects if the child exits or time runs out. */
  async waitFor(pattern: string, timeoutMs = 60_000): Promise<void> {
    if (this.lines.some((line) => line.includes(pattern))) return;
    let watcher: { pattern: string; resolve: () => void } | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        new Promise<void>((resolve) => {
          watcher = { pattern, resolve };
          this.watchers.add(watcher);
        }),
        this.exited.then(({ code, signal }) => {
          throw new Error(`netra exited (${code ?? signal}) before "${pattern}":\n${this.tail()}`);
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`netra did not log "${pattern}" within ${timeoutMs} ms:\n${this.tail()}`)), timeoutMs);
        }),
      ]);
    } finally {
      if (watcher) this.watchers.delete(watcher);
      clearTimeout(timer);
    }
  }

  /** Resolves once `netra start` says it runs. */
  started(timeoutMs = 60_000): Promise<void> {
    return this.waitFor('"netra started"', timeoutMs);
  }

  /** Sends a signal and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.running) this.child.kill(signal);
    await this.exited;
  }

  /** The last lines, for error messages. */
  tail(count = 30): string {
    return this.lines.slice(-count).join('\n');
  }

  private onData(chunk: Buffer): void {
    const text = this.partial + chunk.toString('utf8');
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.addLine(line);
  }

  private flushPartial(): void {
    if (this.partial) this.addLine(this.partial);
    this.partial = '';
  }

  private addLine(line: string): void {
    this.lines.push(line);
    if (!this.options.keepOutput && this.lines.length > 400) this.lines.splice(0, this.lines.length - 400);
    for (const watcher of this.watchers) {
      if (line.includes(watcher.pattern)) watcher.resolve();
    }
  }
}
