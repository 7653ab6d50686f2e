/**
 * Documents are cleaned in a worker thread of their own, one at a time, with limits: a PDF of 20 MB (the most a bot
 * may download from Telegram) is parsed object by object, which can take a good part of a second, and a crafted one
 * can ask for gigabytes once its streams are inflated. On the main thread, either would hold up every chat's turn or
 * end the process; in the thread, the document is refused (kept, and not sent).
 *
 * Three limits hold the thread: its JavaScript heap; the process's memory, watched while a document is cleaned
 * (inflated data lives outside the heap, so the heap's limit alone does not bound it), and the time one document may
 * take. Past any of them the thread is stopped, which frees all it held, and the next document starts a new one.
 *
 * The thread starts with the first document (it loads the TypeScript loader from the sources, and the PDF library)
 * and stops after an idle minute, so a process that receives no documents pays nothing for it.
 */
import pLimit from 'p-limit';
import { Piscina } from 'piscina';
import type { CleanJob, CleanResult, DocumentFormat } from './documentJobs.ts';

/** How long the thread stays after its last document. */
const IDLE_MS = 60_000;
/** The most one document may take, the thread's start included (the wait for an earlier document is not). */
const TIME_LIMIT_MS = 30_000;
/**
 * The thread's heap: a PDF of 180,000 objects (what a word processor's accessible export of a long report holds) is
 * parsed and written within it.
 */
const HEAP_LIMIT_MB = 256;
/** How much the process may grow while a document is cleaned: the heap above, the document's copies, inflated data. */
const MEMORY_BUDGET_BYTES = 448 * 1024 * 1024;
/** How often the process's memory is read while a document is cleaned. */
const WATCH_MS = 20;

/** The clean document; or why there is none: the document itself (`unreadable`), or the thread (`unavailable`). */
export type CleanOutcome = ({ ok: true } & CleanResult) | { ok: false; reason: 'unreadable' | 'unavailable' };

/** The cleaning thread could not run: the document is neither known clean nor known unreadable. */
export class DocumentCleaningUnavailableError extends Error {
  constructor() {
    super('document cleaning is unavailable');
    this.name = 'DocumentCleaningUnavailableError';
  }
}

let pool: Piscina<CleanJob, CleanResult | null> | undefined;
/** One document at a time, queued here rather than in the pool, so that a document's time limit starts with it. */
const oneAtATime = pLimit(1);

function threads(): Piscina<CleanJob, CleanResult | null> {
  if (!pool) {
    pool = new Piscina<CleanJob, CleanResult | null>({
      filename: new URL('./cleanThread.mjs', import.meta.url).href,
      execArgv: [],
      minThreads: 0,
      maxThreads: 1,
      idleTimeout: IDLE_MS,
      resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB },
    });
    // A thread that fails outside a document (out of memory, or it could not start) must not take the process down.
    pool.on('error', () => undefined);
  }
  return pool;
}

/**
 * A copy of the document without its author's metadata, or why there is none: `unreadable` when the document cannot
 * be cleaned (damaged, password-protected, not what it claims to be, or past the limits), `unavailable` when the
 * thread could not run.
 */
export function cleanDocument(format: DocumentFormat, bytes: Uint8Array): Promise<CleanOutcome> {
  return oneAtATime(() => cleanNow(format, bytes));
}

async function cleanNow(format: DocumentFormat, bytes: Uint8Array): Promise<CleanOutcome> {
  const stop = new AbortController();
  let pastLimits = false;
  const giveUp = () => {
    pastLimits = true;
    stop.abort();
  };
  const timer = setTimeout(giveUp, TIME_LIMIT_MS);
  // Growth is counted from the lowest the process was during this document, not from its start: a thread stopped for
  // the document before (out of memory, past its limits) may still be giving its memory back when this one starts,
  // and that fall would hide this document's growth.
  let lowest = process.memoryUsage.rss();
  const watch = setInterval(() => {
    const rss = process.memoryUsage.rss();
    lowest = Math.min(lowest, rss);
    if (rss - lowest > MEMORY_BUDGET_BYTES) giveUp();
  }, WATCH_MS);
  try {
    const result = await threads().run({ format, bytes }, { signal: stop.signal });
    return result ? { ok: true, ...result } : { ok: false, reason: 'unreadable' };
  } catch (error) {
    // Out of the thread's heap, or past the process's memory or the time: the document asked for it.
    if (pastLimits || (error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') return { ok: false, reason: 'unreadable' };
    return { ok: false, reason: 'unavailable' };
  } finally {
    clearTimeout(timer);
    clearInterval(watch);
  }
}

/** Stops the cleaning thread (at shutdown); the next document starts it again. */
export async function stopCleaningThreads(): Promise<void> {
  const stopping = pool;
  pool = undefined;
  await stopping?.destroy();
}

/** Threads running now (none before the first document and after an idle minute). */
export function cleaningThreadCount(): number {
  return pool?.threads.length ?? 0;
}
