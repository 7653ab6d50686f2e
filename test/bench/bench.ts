/**
 * `npm run bench`: Netra under synthetic Telegram load, through the real pipeline (webhook POSTs from a fake Bot
 * API to Netra's HTTP server, the Telegram channel, the runtime, the store, replies over HTTP to the fake),
 * against a bare telegraf echo bot on the same machine. Prints a table; with `--json`, one JSON object on the
 * last line.
 *
 *   npm run bench -- [--chats 64] [--open-chats 2000] [--rate N] [--duration 20] [--store postgres|pglite|both]
 *                    [--json] ...   (npm run bench -- --help lists every option)
 */
import { parseArgs } from 'node:util';
import { cpuCeiling } from './machine.ts';
import { benchPhases, runBench, type BenchOptions, type BenchPhase, type BenchResult, type BenchStore, type LoadResult, type StoreResult } from './runBench.ts';

/** The targets of issue 9 (on a 2-core machine). */
export const targets = {
  postgresUpdatesPerSec: 1_000,
  ratioToEcho: 0.4,
  openLoopRate: 500,
  openLoopP99Ms: 50,
  pgliteUpdatesPerSec: 300,
  rssMb: 250,
} as const;

const USAGE = `npm run bench -- [options]
  --chats N                 chats of the closed loops (64)
  --open-chats N            chats of the open loop (2000; 0 skips it)
  --rate N                  open-loop updates per second (half the closed-loop maximum)
  --target-rate N           without --rate, the PostgreSQL open loop runs once more at this rate when half the
                            maximum is another, so the target is always measured (500; 0 skips)
  --fast-forward N          before the open loop, chats go 0 to N turns into their conversations (24; 0 skips)
  --duration S              measured seconds per load phase (20)
  --warmup S                seconds before measuring (3)
  --store S                 postgres, pglite or both (both)
  --rss-chats N             conversations brought mid-report for the memory phase (10000; 0 skips it)
  --rate-limited S          seconds of load against Telegram's limits (15; 0 skips it)
  --phases LIST             phases to run, of echo,floor,closed,open,memory,limits (all; floor needs postgres)
  --no-echo                 skip the telegraf echo bot
  --pool N                  PostgreSQL connections of the Netra process (Netra's default)
  --forward-drain S         after a load phase, wait up to S seconds for the reports' forwarding to finish (90)
  --quiet-wait S            before each speed check, wait up to S seconds for the machine to be quiet (20)
  --tuned-flags=FLAGS       the memory phase again with these Node flags
                            (default: the flags "npm start" gives Node; "" skips it)
  --bot-node-options=FLAGS  Node flags for every bot process, e.g. "--max-old-space-size=192"
  --cpu-prof DIR            write V8 CPU profiles of the bot processes to DIR
  --sources                 run the bots from their TypeScript sources under tsx (as npm run chat does) instead
                            of compiled to JavaScript first (as npm start does)
  --build DIR               run the bots from this build (made by scripts/build.ts with test/bench among its
                            folders, as the test run's own build is) instead of compiling them first
  --json                    print one JSON object on the last line
Environment: NETRA_TEST_DATABASE_URL (the PostgreSQL server, as for the tests), NETRA_BENCH_PRELOAD (a module
loaded first in every Netra process, for diagnostics).
`;

function phases(list: string, noEcho: boolean): Set<BenchPhase> {
  const chosen = new Set<BenchPhase>();
  for (const name of list.split(',').map((p) => p.trim()).filter(Boolean)) {
    if (!(benchPhases as readonly string[]).includes(name)) throw new Error(`--phases: unknown phase ${name} (${benchPhases.join(', ')})`);
    chosen.add(name as BenchPhase);
  }
  if (noEcho) chosen.delete('echo');
  return chosen;
}

function options(argv: string[]): BenchOptions & { json: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      chats: { type: 'string', default: '64' },
      'open-chats': { type: 'string', default: '2000' },
      rate: { type: 'string' },
      'target-rate': { type: 'string', default: String(targets.openLoopRate) },
      'fast-forward': { type: 'string', default: '24' },
      duration: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '3' },
      store: { type: 'string', default: 'both' },
      'rss-chats': { type: 'string', default: '10000' },
      'rate-limited': { type: 'string', default: '15' },
      phases: { type: 'string', default: benchPhases.join(',') },
      'no-echo': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      sources: { type: 'boolean', default: false },
      build: { type: 'string' },
      'bot-node-options': { type: 'string' },
      pool: { type: 'string' },
      'forward-drain': { type: 'string', default: '90' },
      'quiet-wait': { type: 'string', default: '20' },
      'tuned-flags': { type: 'string', default: '--max-old-space-size=256 --max-semi-space-size=8' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const number = (name: string, value: string | undefined, min: number): number => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min) throw new Error(`--${name} must be a number >= ${min}`);
    return parsed;
  };
  const store = values.store;
  if (store !== 'postgres' && store !== 'pglite' && store !== 'both') throw new Error('--store must be postgres, pglite or both');
  return {
    chats: number('chats', values.chats, 1),
    openChats: number('open-chats', values['open-chats'], 0),
    ...(values.rate !== undefined ? { rate: number('rate', values.rate, 1) } : { targetRate: number('target-rate', values['target-rate'], 0) }),
    openFastForward: number('fast-forward', values['fast-forward'], 0),
    durationSec: number('duration', values.duration, 0.5),
    warmupSec: number('warmup', values.warmup, 0),
    stores: (store === 'both' ? ['postgres', 'pglite'] : [store]) as BenchStore[],
    rssChats: number('rss-chats', values['rss-chats'], 0),
    rateLimitedSec: number('rate-limited', values['rate-limited'], 0),
    phases: phases(values.phases, values['no-echo']),
    tunedMemoryFlags: values['tuned-flags'].split(/\s+/).filter(Boolean),
    ...(values.pool !== undefined ? { poolSize: number('pool', values.pool, 1) } : {}),
    forwardDrainSec: number('forward-drain', values['forward-drain'], 0),
    quietWaitSec: number('quiet-wait', values['quiet-wait'], 0),
    ...(values['cpu-prof'] ? { cpuProfileDir: values['cpu-prof'] } : {}),
    ...(values.sources ? { fromSources: true } : {}),
    ...(values.build ? { prebuilt: values.build } : {}),
    ...(values['bot-node-options'] ? { botNodeFlags: values['bot-node-options'].split(/\s+/).filter(Boolean) } : {}),
    log: (line) => process.stderr.write(`[bench] ${line}\n`),
    json: values.json,
  };
}


/** A count added up over a store's load phases. */
function sum(s: StoreResult, count: (r: LoadResult) => number): number {
  return [s.closed, s.open, s.openAtTarget].reduce((total, r) => total + (r ? count(r) : 0), 0);
}

/** The one-line summary (the shape issue 9 asks for, with more keys). */
export function summary(result: BenchResult): Record<string, unknown> {
  const echoRate = result.echo?.updatesPerSec;
  const floorRate = result.floor?.updatesPerSec;
  const store = (s: BenchResult['postgres']) =>
    s && {
      updatesPerSec: s.closed?.updatesPerSec ?? null,
      ratioToEcho: echoRate && s.closed ? Math.round((s.closed.updatesPerSec / echoRate) * 100) / 100 : null,
      ratioToFloor: floorRate && s.closed ? Math.round((s.closed.updatesPerSec / floorRate) * 100) / 100 : null,
      closedLoopChats: s.closed?.chats ?? null,
      closedLoopTurnP99Ms: s.closed?.turnMs.p99 ?? null,
      openLoopRate: s.open?.rate ?? null,
      openLoopUpdatesPerSec: s.open?.updatesPerSec ?? null,
      openLoopP50Ms: s.open?.firstReplyMs.p50 ?? null,
      openLoopP95Ms: s.open?.firstReplyMs.p95 ?? null,
      openLoopP99Ms: s.open?.firstReplyMs.p99 ?? null,
      openLoopTurnP99Ms: s.open?.turnMs.p99 ?? null,
      openLoopAtTarget: s.openAtTarget
        ? {
            rate: s.openAtTarget.rate ?? null,
            updatesPerSec: s.openAtTarget.updatesPerSec,
            p50Ms: s.openAtTarget.firstReplyMs.p50,
            p95Ms: s.openAtTarget.firstReplyMs.p95,
            p99Ms: s.openAtTarget.firstReplyMs.p99,
            turnP99Ms: s.openAtTarget.turnMs.p99,
            cpuMsPerUpdate: s.openAtTarget.cpuMsPerUpdate,
            botMainThread: s.openAtTarget.botMainThread,
            botStalls: s.openAtTarget.botStalls,
            forwarding: s.openAtTarget.forwarding ?? null,
          }
        : null,
      reportsFiled: sum(s, (r) => r.reportsFiled),
      quizzesScored: sum(s, (r) => r.quizzesScored),
      tickets: s.tickets,
      ticketsMatchReports: s.ticketsMatchReports,
      stalls: sum(s, (r) => r.stalls),
      unanswered: sum(s, (r) => r.unanswered),
      warnings: sum(s, (r) => r.warnings),
      botCpu: s.closed?.botCpu ?? null,
      cpuMsPerUpdate: s.closed?.cpuMsPerUpdate ?? null,
      cpuCeiling: s.closed ? cpuCeiling(result.machine.cores, s.closed.cpuMsPerUpdate, targets.postgresUpdatesPerSec) : null,
      openLoopCpuMsPerUpdate: s.open?.cpuMsPerUpdate ?? null,
      apiCallsPerUpdate: s.closed?.apiCallsPerUpdate ?? null,
      botKernel: s.closed?.botKernel ?? null,
      botMainThread: s.closed?.botMainThread ?? null,
      botStalls: s.closed?.botStalls ?? null,
      openLoopBotStalls: s.open?.botStalls ?? null,
      machineBusy: s.closed?.machineBusy ?? null,
      forwarding: s.closed?.forwarding ?? null,
      openLoopForwarding: s.open?.forwarding ?? null,
    };
  return {
    postgres: store(result.postgres) ?? null,
    pglite: store(result.pglite) ?? null,
    echo: result.echo
      ? {
          updatesPerSec: result.echo.updatesPerSec,
          botCpu: result.echo.botCpu,
          cpuMsPerUpdate: result.echo.cpuMsPerUpdate,
          botKernel: result.echo.botKernel,
          botMainThread: result.echo.botMainThread,
          unanswered: result.echo.unanswered,
        }
      : null,
    floor: result.floor
      ? {
          updatesPerSec: result.floor.updatesPerSec,
          ratioToEcho: echoRate ? Math.round((result.floor.updatesPerSec / echoRate) * 100) / 100 : null,
          botCpu: result.floor.botCpu,
          cpuMsPerUpdate: result.floor.cpuMsPerUpdate,
          apiCallsPerUpdate: result.floor.apiCallsPerUpdate,
          botKernel: result.floor.botKernel,
          botMainThread: result.floor.botMainThread,
          unanswered: result.floor.unanswered,
        }
      : null,
    rssMbAt10k: result.memory?.peakRssMb ?? null,
    rssChats: result.memory?.chats ?? null,
    rssAfterGcMb: result.memory?.rssAfterGcMb ?? null,
    rssMbAt10kTuned: result.memoryTuned?.peakRssMb ?? null,
    tunedFlags: result.memoryTuned?.nodeFlags ?? null,
    chatsInReportFlow: result.memory?.chatsInReportFlow ?? null,
    bytesPerTicket: result.postgres?.bytesPerTicket ?? null,
    bytesPerTicketByTable: result.postgres?.bytesPerTicketByTable ?? null,
    sendQueue: result.sendQueue ?? null,
    machine: result.machine,
  };
}

function loadRow(name: string, r: LoadResult | undefined, echo?: number, floor?: number): string[] {
  if (!r) return [name, '-', '', '', '', '', '', ''];
  const cost = r.cpuMsPerUpdate;
  const shares = [echo ? `${Math.round((r.updatesPerSec / echo) * 100)}% of echo` : '', floor ? `${Math.round((r.updatesPerSec / floor) * 100)}% of floor` : '']
    .filter(Boolean)
    .join(', ');
  const ratio = shares ? ` (${shares})` : '';
  return [
    name,
    `${r.updatesPerSec}${ratio}`,
    `${r.firstReplyMs.p50} / ${r.firstReplyMs.p95} / ${r.firstReplyMs.p99}`,
    `${r.turnMs.p50} / ${r.turnMs.p95} / ${r.turnMs.p99}`,
    `${Math.round(r.botCpu * 100)}%`,
    `${cost.bot} + ${cost.postgres ?? '-'} + ${cost.fakeAndDriver}`,
    `${Math.round(r.machineBusy * 100)}%`,
    [
      r.reportsFiled || r.quizzesScored ? `${r.reportsFiled} reports, ${r.quizzesScored} quizzes` : '',
      r.stalls ? `${r.stalls} stalls` : '',
      r.unanswered ? `${r.unanswered} unanswered` : '',
      r.missedArrivals ? `${r.missedArrivals} arrivals found no chat ready` : '',
      r.warnings ? `${r.warnings} warnings` : '',
    ]
      .filter(Boolean)
      .join(', '),
  ];
}

/** The readable table. */
export function table(result: BenchResult): string {
  const m = result.machine;
  const lines = [
    `Netra benchmark: ${m.cores} cores (${m.cpu}), Node ${m.node}, load average ${m.loadAverage.join(' ')} before, ${m.loadAverageAfter.join(' ')} after` +
      (m.bots === 'compiled' ? ', bots compiled to JavaScript (as npm start runs Netra)' : ', bots run from their TypeScript sources under tsx') +
      (m.botNodeFlags.length > 0 ? `, with ${m.botNodeFlags.join(' ')}` : ''),
    `speed check (a fixed piece of work on one core, in a fresh process once the machine is quiet; lower is quicker): ${m.speedCheckMs[0]} ms before, ${m.speedCheckMs[1]} ms after` +
      ` (waited ${m.quietWaitSeconds[0]} and ${m.quietWaitSeconds[1]} s for quiet; ${m.speedCheckInBenchProcessAfterMs} ms after in the benchmark's own process)`,
    '',
  ];
  const header = ['phase', 'updates/s', 'first reply p50/p95/p99 ms', 'whole answer p50/p95/p99 ms', 'bot CPU', 'CPU ms/update bot+pg+fake', 'machine busy', 'notes'];
  const rows: string[][] = [header];
  const echo = result.echo?.updatesPerSec;
  const floor = result.floor?.updatesPerSec;
  if (result.echo) rows.push(loadRow(`echo bot, closed loop ${result.echo.chats} chats`, result.echo));
  if (result.floor) rows.push(loadRow(`floor, closed loop ${result.floor.chats} chats`, result.floor, echo));
  for (const store of ['postgres', 'pglite'] as const) {
    const s = result[store];
    if (!s) continue;
    if (s.closed) rows.push(loadRow(`${store}, closed loop ${s.closed.chats} chats`, s.closed, echo, store === 'postgres' ? floor : undefined));
    if (s.open) rows.push(loadRow(`${store}, open loop ${s.open.rate}/s over ${s.open.chats} chats`, s.open));
    if (s.openAtTarget) rows.push(loadRow(`${store}, open loop ${s.openAtTarget.rate}/s (the target's rate)`, s.openAtTarget));
  }
  const widths = header.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  for (const [index, row] of rows.entries()) {
    lines.push(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
    if (index === 0) lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  lines.push('');
  const kernel = [
    ['echo', result.echo],
    ['floor', result.floor],
    ['postgres closed loop', result.postgres?.closed],
    ['postgres open loop', result.postgres?.open],
    [`postgres open loop at ${result.postgres?.openAtTarget?.rate ?? ''}/s`, result.postgres?.openAtTarget],
    ['pglite closed loop', result.pglite?.closed],
  ] as const;
  const kernelParts = kernel.flatMap(([name, r]) =>
    r
      ? [`${name} ${Math.round(r.botKernel.systemShare * 100)} % (${r.botKernel.switchesPerUpdate.involuntary}/${r.botKernel.switchesPerUpdate.voluntary})`]
      : [],
  );
  if (kernelParts.length > 0) {
    lines.push(`bot CPU in the kernel, and context switches per update (preempted/waited): ${kernelParts.join(', ')}`);
  }
  const mainThreadParts = kernel.flatMap(([name, r]) =>
    r?.botMainThread ? [`${name} ${Math.round(r.botMainThread.running * 100)}/${Math.round(r.botMainThread.waitingForCore * 100)} %`] : [],
  );
  if (mainThreadParts.length > 0) {
    lines.push(`bot's main thread, share of the time it ran / waited for a core: ${mainThreadParts.join(', ')}`);
  }
  const stallParts = kernel.flatMap(([name, r]) =>
    r?.botStalls
      ? [
          `${name} ${r.botStalls.loopDelayMs.p99}/${r.botStalls.loopDelayMs.max} ms late, GC ${r.botStalls.gcPauses.count} pauses ` +
            `${r.botStalls.gcPauses.totalMs} ms (longest ${r.botStalls.gcPauses.maxMs}; ${r.botStalls.gcPauses.majorCount} major, longest ${r.botStalls.gcPauses.majorMaxMs})`,
        ]
      : [],
  );
  if (stallParts.length > 0) {
    lines.push(`bot's event loop late (p99/max) and GC pauses while measured: ${stallParts.join(', ')}`);
  }
  if (result.floor) {
    const calls = Object.entries(result.floor.apiCallsPerUpdate).map(([method, n]) => `${method} ${n}`);
    lines.push(
      `floor: Netra's input and output per update and none of its work (webhook, conversation load and compare-and-set save, ${calls.join(', ')})`,
    );
  }
  for (const store of ['postgres', 'pglite'] as const) {
    const s = result[store];
    if (!s) continue;
    const tables = Object.entries(s.bytesPerTicketByTable ?? {})
      .map(([table, bytes]) => `${table} ${bytes}`)
      .join(', ');
    const size = s.bytesPerTicket !== undefined ? `, ${s.bytesPerTicket} bytes per ticket in the ticket tables (${tables})` : '';
    lines.push(`${store}: ${s.tickets} tickets${s.ticketsMatchReports ? ' (every filed report is in the store)' : ' (FEWER tickets than reports filed)'}${size}`);
    if (s.closed) {
      const calls = Object.entries(s.closed.apiCallsPerUpdate).map(([method, n]) => `${method} ${n}`);
      lines.push(`  Bot API calls per update in the closed loop: ${calls.join(', ') || 'none'}`);
    }
    for (const [shape, r] of [['closed loop', s.closed], ['open loop', s.open], [`open loop at ${s.openAtTarget?.rate}/s`, s.openAtTarget]] as const) {
      const f = r?.forwarding;
      if (!r || !f) continue;
      const cost = f.drainCpuMsPerDelivery;
      const drained =
        f.drainSeconds === null
          ? 'not drained within the limit'
          : `all delivered ${f.drainSeconds} s after the load stopped` +
            (cost ? ` (${cost.bot} ms of Netra's CPU${cost.postgres === null ? '' : ` and ${cost.postgres} ms of PostgreSQL's`} per delivery then)` : '');
      lines.push(
        `  forwarding in the ${shape}: ${r.reportsFiled} reports filed, ${f.officeDeliveries} delivered to the office meanwhile, ` +
          `${f.waitingAtEnd} outbox rows waiting at the end${f.waitingAtEnd > 0 ? ` (the oldest for ${f.oldestWaitingSecondsAtEnd} s)` : ''}; ${drained}`,
      );
    }
    const phases = [s.closed, s.open, s.openAtTarget];
    for (const sample of phases.flatMap((r) => r?.stallSamples ?? [])) lines.push(`  stalled after: ${sample}`);
    for (const sample of phases.flatMap((r) => r?.logSamples ?? []).slice(0, 4)) lines.push(`  log: ${sample}`);
  }
  const mem = result.memory;
  if (mem) {
    lines.push(
      `memory: ${mem.chats} chats brought mid-report in ${mem.seconds} s (${mem.updates} updates, ${mem.chatsInReportFlow} chats in the report flow in the store): ` +
        `peak RSS ${mem.peakRssMb} MB (baseline ${mem.baselineRssMb} MB, ${mem.rssAfterGcMb} MB after GC, heap ${mem.heapUsedAfterGcMb} MB)`,
    );
  }
  const tuned = result.memoryTuned;
  if (tuned) {
    lines.push(
      `memory, Netra run with ${tuned.nodeFlags.join(' ')}: ${tuned.chats} chats mid-report in ${tuned.seconds} s: ` +
        `peak RSS ${tuned.peakRssMb} MB (baseline ${tuned.baselineRssMb} MB, ${tuned.rssAfterGcMb} MB after GC, heap ${tuned.heapUsedAfterGcMb} MB)`,
    );
  }
  const q = result.sendQueue;
  if (q) {
    lines.push(
      `send queue vs Telegram's limits: ${q.sustainedPerSec} messages/s sustained (limit ${q.globalLimitPerSec}/s), ${q.delivered} delivered, ` +
        `${q.tooManyRequests} 429s (${q.steadyState429} in steady state), ${q.lost} lost, drained ${q.drainSeconds} s after the load stopped`,
    );
  }
  lines.push('', 'targets:');
  const check = (label: string, ok: boolean | undefined) => lines.push(`  ${ok === undefined ? 'n/a ' : ok ? 'met ' : 'MISS'}  ${label}`);
  const pgRate = result.postgres?.closed?.updatesPerSec;
  check(`PostgreSQL closed loop >= ${targets.postgresUpdatesPerSec} updates/s (${pgRate ?? '-'})`, pgRate === undefined ? undefined : pgRate >= targets.postgresUpdatesPerSec);
  check(
    `PostgreSQL >= ${targets.ratioToEcho * 100}% of the echo bot (${pgRate && echo ? Math.round((pgRate / echo) * 100) : '-'}%)`,
    pgRate === undefined || !echo ? undefined : pgRate / echo >= targets.ratioToEcho,
  );
  if (floor !== undefined) {
    const reachable = (goal: boolean) => (goal ? 'within the floor' : 'beyond even the floor');
    lines.push(
      `        the floor did ${floor} updates/s${echo ? ` (${Math.round((floor / echo) * 100)}% of echo)` : ''}: on this machine ` +
        `${targets.postgresUpdatesPerSec}/s is ${reachable(floor >= targets.postgresUpdatesPerSec)}` +
        (echo ? `, ${targets.ratioToEcho * 100}% of echo is ${reachable(floor / echo >= targets.ratioToEcho)}` : ''),
    );
  }
  const closedCost = result.postgres?.closed?.cpuMsPerUpdate;
  if (closedCost && closedCost.bot > 0) {
    const ceiling = cpuCeiling(result.machine.cores, closedCost, targets.postgresUpdatesPerSec);
    const room = ceiling.botMsForGoal;
    lines.push(
      `        at the closed loop's CPU per update, ${result.machine.cores} cores all busy would allow ${ceiling.perSec} updates/s; ` +
        (room === null
          ? `${targets.postgresUpdatesPerSec}/s is beyond them even if Netra cost nothing`
          : `${targets.postgresUpdatesPerSec}/s leaves Netra ${room} ms per update (it took ${closedCost.bot})`),
    );
  }
  // The run at the target's rate when there was one, else the open loop if it ran at that rate or faster.
  const open = result.postgres?.openAtTarget ?? result.postgres?.open;
  check(
    `PostgreSQL open loop at ${targets.openLoopRate}/s p99 <= ${targets.openLoopP99Ms} ms (${open ? `${open.firstReplyMs.p99} ms at ${open.rate}/s` : '-'})`,
    open && open.rate !== undefined && open.rate >= targets.openLoopRate ? open.firstReplyMs.p99 <= targets.openLoopP99Ms : undefined,
  );
  const liteRate = result.pglite?.closed?.updatesPerSec;
  check(`PGlite closed loop >= ${targets.pgliteUpdatesPerSec} updates/s (${liteRate ?? '-'})`, liteRate === undefined ? undefined : liteRate >= targets.pgliteUpdatesPerSec);
  check(
    `peak RSS with ${mem?.chats ?? '-'} conversations in flight <= ${targets.rssMb} MB (${mem?.peakRssMb ?? '-'} MB)`,
    mem ? mem.chats >= 10_000 && mem.peakRssMb <= targets.rssMb && mem.chatsInReportFlow !== 0 : undefined,
  );
  if (tuned) {
    check(
      `the same with ${tuned.nodeFlags.join(' ')} (${tuned.peakRssMb} MB)`,
      tuned.chats >= 10_000 && tuned.peakRssMb <= targets.rssMb,
    );
  }
  check(
    `send queue: no 429 in steady state, no message lost (${q ? `${q.steadyState429} 429s, ${q.lost} lost` : '-'})`,
    q ? q.steadyState429 === 0 && q.lost === 0 : undefined,
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const result = await runBench(opts);
  process.stdout.write(`${table(result)}\n`);
  if (opts.json) process.stdout.write(`${JSON.stringify(summary(result))}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
