/**
 * PDFs are drawn in a worker thread: a report form takes about 10 ms of CPU (pdfkit measures every glyph and
 * kerning pair), and drawn on the main thread it held up every chat's turn meanwhile. With the outbox forwarding a
 * backlog of reports, that doubled the typical reply time and added tens of milliseconds to the slowest ones
 * (measured in the benchmark's open loop).
 *
 * The thread takes most of a second to start (it loads the TypeScript loader and pdfkit), so it starts with the
 * first document, which is drawn here meanwhile, and stops after an idle minute: a quiet deployment draws its
 * occasional certificate at once, a busy one draws off the main thread, and a process that draws nothing pays
 * nothing.
 */
import { Piscina } from 'piscina';
import { renderPdfJob, type PdfJob } from './pdfJobs.ts';

/** How long the thread stays after its last document. */
const IDLE_MS = 60_000;

/** After the thread failed to start, documents are drawn here this long before it is tried again. */
const RETRY_START_MS = 10 * 60_000;

let pool: Piscina<PdfJob | null, Uint8Array> | undefined;
/** The thread has started and loaded pdfkit. */
let ready = false;
let starting: Promise<void> | undefined;
let failedToStartAt = -Infinity;
let drawnInThread = 0;

function threads(): Piscina<PdfJob | null, Uint8Array> {
  if (!pool) {
    pool = new Piscina<PdfJob | null, Uint8Array>({
      filename: new URL('./pdfThread.mjs', import.meta.url).href,
      // Not the process's own flags: a module it preloads (`--import`) would need the TypeScript loader, which the
      // thread's entry registers for itself.
      execArgv: [],
      minThreads: 0,
      // One thread: documents are rare next to turns, and the machine's other cores serve the database.
      maxThreads: 1,
      idleTimeout: IDLE_MS,
    });
    // A thread that fails outside a document (it could not start) must not take the process down: its documents
    // are drawn here.
    pool.on('error', () => undefined);
  }
  return pool;
}

/** Starts the PDF thread if it is not running; resolves once it is ready (or could not start). */
export function startPdfThread(): Promise<void> {
  const current = threads();
  if (ready && current.threads.length > 0) return Promise.resolve();
  ready = false;
  starting ??= current
    .run(null)
    .then(
      () => void (ready = pool === current),
      () => void (failedToStartAt = Date.now()),
    )
    .finally(() => (starting = undefined));
  return starting;
}

/** Draws a document in the PDF thread once it runs, else here (and starts the thread for the next ones). */
export async function renderPdf(job: PdfJob): Promise<Buffer> {
  const current = threads();
  if (!ready || current.threads.length === 0) {
    if (Date.now() - failedToStartAt >= RETRY_START_MS) void startPdfThread();
    return renderPdfJob(job);
  }
  let bytes: Uint8Array;
  try {
    bytes = await current.run(job);
  } catch {
    // The thread died (or the job itself failed, which then fails here again): nothing is lost by drawing here.
    return renderPdfJob(job);
  }
  drawnInThread += 1;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Stops the PDF thread (at shutdown); the next document starts it again. */
export async function stopPdfThreads(): Promise<void> {
  const stopping = pool;
  pool = undefined;
  ready = false;
  failedToStartAt = -Infinity;
  drawnInThread = 0;
  await stopping?.destroy();
}

/** Threads running now (none before the first document and after an idle minute), and documents they drew. */
export function pdfThreadStats(): { threads: number; drawn: number } {
  return { threads: pool?.threads.length ?? 0, drawn: drawnInThread };
}
