/**
 * Documents are cleaned in a worker thread of their own, with a memory limit and a time limit: a PDF of 20 MB (the
 * most a bot may download from Telegram) is parsed object by object, which can take a good part of a second, and a
 * crafted one could ask for more memory than the process has. On the main thread, either would hold up every
 * chat's turn or end the process; in the thread, the document is only refused (kept, and not sent).
 *
 * The thread starts with the first document (it loads the TypeScript loader from the sources, and the PDF library)
 * and stops after an idle minute, so a process that receives no documents pays nothing for it.
 */
import { Piscina } from 'piscina';
import type { CleanJob, CleanResult, DocumentFormat } from './documentJobs.ts';

/** How long the thread stays after its last document. */
const IDLE_MS = 60_000;
/** The most one document may take, the thread's start included. */
const TIME_LIMIT_MS = 30_000;
/** The thread's heap: a 20 MB document parsed and written again needs well under this. */
const HEAP_LIMIT_MB = 128;

let pool: Piscina<CleanJob, CleanResult | null> | undefined;

function threads(): Piscina<CleanJob, CleanResult | null> {
  if (!pool) {
    pool = new Piscina<CleanJob, CleanResult | null>({
      filename: new URL('./cleanThread.mjs', import.meta.url).href,
      execArgv: [],
      minThreads: 0,
      // One thread: documents are rare next to turns, and one at a time bounds the memory they take.
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
 * A copy of the document without its author's metadata, or `undefined` when it cannot be cleaned (damaged,
 * password-protected, too large to parse within the limits, or the thread could not run).
 */
export async function cleanDocument(format: DocumentFormat, bytes: Uint8Array): Promise<CleanResult | undefined> {
  try {
    const result = await threads().run({ format, bytes }, { signal: AbortSignal.timeout(TIME_LIMIT_MS) });
    return result ?? undefined;
  } catch {
    return undefined;
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
