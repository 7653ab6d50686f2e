import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { netraBuild } from './support/npmStart.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs `npm run bench` in miniature (a few chats for a second or two per phase) and returns its JSON line. */
function runBench(args: string[]): Promise<{ json: Record<string, unknown>; stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'test/bench/bench.ts', ...args],
      { cwd: root, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`bench failed: ${error.message}\n${stderr}\n${stdout}`));
        const last = stdout.trimEnd().split('\n').pop() ?? '';
        try {
          resolve({ json: JSON.parse(last) as Record<string, unknown>, stdout });
        } catch {
          reject(new Error(`bench did not end with a JSON line:\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}

describe('The benchmark (a short smoke run)', () => {
  it('drives reports and quizzes through both stores, the echo bot, the floor and the limited send queue, and prints its JSON shape', async () => {
    const { json, stdout } = await runBench([
      '--chats', '4',
      '--duration', '1.5',
      '--warmup', '0.5',
      '--store', 'both',
      '--open-chats', '20',
      '--rate', '10',
      '--fast-forward', '6',
      '--rss-chats', '30',
      '--rate-limited', '2',
      // Other test files share the machine: waiting for it to be quiet would only add time.
      '--quiet-wait', '0',
      '--json',
      // The test run's build, which has the benchmark's bots in it (globalSetup.ts).
      '--build', netraBuild(),
    ]);
    const postgres = json.postgres as Record<string, unknown>;
    const pglite = json.pglite as Record<string, unknown>;
    const echo = json.echo as Record<string, unknown>;
    expect(postgres.updatesPerSec).toBeGreaterThan(0);
    expect(typeof postgres.openLoopP99Ms).toBe('number');
    expect(typeof postgres.ratioToEcho).toBe('number');
    // Every turn answered over HTTP: the calls per update are counted by method.
    expect((postgres.apiCallsPerUpdate as Record<string, number>).sendMessage).toBeGreaterThan(0);
    expect(pglite.updatesPerSec).toBeGreaterThan(0);
    expect(echo.updatesPerSec).toBeGreaterThan(0);
    // The floor did Netra's input and output: as many edits and messages per update, every chat answered.
    const floor = json.floor as Record<string, unknown>;
    expect(floor.updatesPerSec).toBeGreaterThan(0);
    expect(floor.unanswered).toBe(0);
    expect((floor.apiCallsPerUpdate as Record<string, number>).editMessageText).toBeGreaterThan(0);
    expect(typeof postgres.ratioToFloor).toBe('number');
    // What the machine's cores allow at the closed loop's cost per update, and Netra's share of it at the target.
    const ceiling = postgres.cpuCeiling as { perSec: number; botMsForGoal: number | null };
    expect(ceiling.perSec).toBeGreaterThan(0);
    expect(stdout).toMatch(/cores all busy would allow \d+ updates\/s/);
    // How the kernel met Netra's process: its share of the CPU, and the context switches per update.
    const kernel = postgres.botKernel as { systemShare: number; switchesPerUpdate: { voluntary: number; involuntary: number } };
    expect(kernel.systemShare).toBeGreaterThan(0);
    expect(kernel.systemShare).toBeLessThan(1);
    expect(kernel.switchesPerUpdate.voluntary + kernel.switchesPerUpdate.involuntary).toBeGreaterThan(0);
    expect(stdout).toMatch(/bot CPU in the kernel, and context switches per update \(preempted\/waited\): echo \d+ % \([\d.]+\/[\d.]+\)/);
    // How much of the measured time Netra's main thread ran, and how much it was ready but waited for a core.
    if (process.platform === 'linux') {
      const main = postgres.botMainThread as { running: number; waitingForCore: number };
      expect(main.running).toBeGreaterThan(0);
      expect(main.running + main.waitingForCore).toBeLessThanOrEqual(1.05);
      expect(stdout).toMatch(/bot's main thread, share of the time it ran \/ waited for a core: echo \d+\/\d+ %/);
    }
    // What held Netra's main thread: its event loop's lateness and the garbage collector's pauses, in both loops.
    for (const stalls of [postgres.botStalls, postgres.openLoopBotStalls] as Array<{ loopDelayMs: { p50: number; p99: number; max: number }; gcPauses: { count: number; totalMs: number } }>) {
      expect(stalls.loopDelayMs.p99).toBeGreaterThanOrEqual(stalls.loopDelayMs.p50);
      expect(stalls.loopDelayMs.max).toBeGreaterThanOrEqual(stalls.loopDelayMs.p99);
    }
    // Hundreds of turns in the closed loop allocate enough for young-generation collections.
    expect((postgres.botStalls as { gcPauses: { count: number } }).gcPauses.count).toBeGreaterThan(0);
    expect(stdout).toMatch(/bot's event loop late \(p99\/max\) and GC pauses while measured: .*postgres closed loop [\d.]+\/[\d.]+ ms late, GC \d+ pauses/);
    // The reports filed were forwarded to their office before the bot stopped.
    for (const store of [postgres, pglite]) {
      const forwarding = store.forwarding as Record<string, unknown>;
      expect(typeof forwarding.officeDeliveries).toBe('number');
      expect(forwarding.drainSeconds).not.toBeNull();
      // How long the oldest undelivered row had waited, as /metrics shows it: 0 only when nothing waited.
      const oldest = forwarding.oldestWaitingSecondsAtEnd as number;
      if ((forwarding.waitingAtEnd as number) === 0) expect(oldest).toBe(0);
      else expect(oldest).toBeGreaterThanOrEqual(0);
    }
    if ((postgres.forwarding as { waitingAtEnd: number }).waitingAtEnd > 0) {
      expect(stdout).toMatch(/\d+ outbox rows waiting at the end \(the oldest for \d+ s\)/);
    }
    // A backlog left at the end of the load is delivered alone afterwards: what a delivery costs is measured then.
    const closedForwarding = postgres.forwarding as { waitingAtEnd: number; drainCpuMsPerDelivery: { bot: number; postgres: number } | null };
    if (closedForwarding.waitingAtEnd >= 10) {
      expect(closedForwarding.drainCpuMsPerDelivery?.bot).toBeGreaterThan(0);
      expect(closedForwarding.drainCpuMsPerDelivery?.postgres).toBeGreaterThan(0);
      expect(stdout).toMatch(/ms of Netra's CPU and [\d.]+ ms of PostgreSQL's per delivery then/);
    }
    expect(json.rssMbAt10k).toBeGreaterThan(0);
    // The script followed every question the bot asked: no chat waited in vain, no filed report went missing.
    for (const store of [postgres, pglite]) {
      expect(store.stalls).toBe(0);
      expect(store.unanswered).toBe(0);
      expect(store.ticketsMatchReports).toBe(true);
    }
    expect(json.chatsInReportFlow).toBeGreaterThanOrEqual(30);
    const sendQueue = json.sendQueue as Record<string, unknown>;
    expect(sendQueue.lost).toBe(0);
    expect(sendQueue.steadyState429).toBe(0);
    expect(stdout).toContain('targets:');
    // The machine's speed before and after, so runs on drifting VMs can be compared.
    const speed = (json.machine as { speedCheckMs: number[] }).speedCheckMs;
    expect(speed).toHaveLength(2);
    for (const ms of speed) expect(ms).toBeGreaterThan(0);
    expect(stdout).toMatch(/speed check \(a fixed piece of work on one core, in a fresh process once the machine is quiet; lower is quicker\): [\d.]+ ms before, [\d.]+ ms after/);
    expect((json.machine as { speedCheckInBenchProcessAfterMs: number }).speedCheckInBenchProcessAfterMs).toBeGreaterThan(0);
    // The bots ran compiled, as npm start runs Netra.
    expect((json.machine as { bots: string }).bots).toBe('compiled');
    expect(stdout).toContain('bots compiled to JavaScript (as npm start runs Netra)');
  }, 300_000);

  it("runs the PostgreSQL open loop once more at the target's rate when half the maximum is another rate (and the bots from their sources)", async () => {
    const { json, stdout } = await runBench([
      '--sources',
      '--chats', '4',
      '--duration', '1',
      '--warmup', '0.3',
      '--store', 'postgres',
      '--phases', 'closed,open',
      '--open-chats', '20',
      '--fast-forward', '2',
      '--target-rate', '3',
      '--forward-drain', '30',
      '--quiet-wait', '0',
      '--json',
    ]);
    const postgres = json.postgres as Record<string, unknown>;
    const atTarget = postgres.openLoopAtTarget as Record<string, unknown>;
    expect(postgres.openLoopRate).not.toBe(3);
    expect(atTarget.rate).toBe(3);
    expect(atTarget.updatesPerSec).toBeGreaterThan(0);
    expect(typeof atTarget.p99Ms).toBe('number');
    expect(stdout).toContain("open loop 3/s (the target's rate)");
    expect(stdout).toContain('at 3/s)');
    expect(postgres.stalls).toBe(0);
    expect(postgres.ticketsMatchReports).toBe(true);
    expect((json.machine as { bots: string }).bots).toBe('sources');
    expect(stdout).toContain('bots run from their TypeScript sources under tsx');
  }, 300_000);
});
