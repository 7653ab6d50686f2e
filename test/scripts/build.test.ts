import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdfJob } from '../../bot/documents/pdfJobs.ts';
import { build, repoRoot } from '../../scripts/build.ts';
import { certificate } from '../bot/documents/fixtures.ts';

const out = path.join(repoRoot, 'node_modules', '.cache', `netra-build-test-${process.pid}`);
const generatedAt = '2026-11-20T03:15:00.000Z';

/** Runs plain Node (no TypeScript loader) in a fresh data directory with the given script or arguments. */
function node(args: string[], input?: string): string {
  return execFileSync(process.execPath, args, {
    cwd: path.join(out, '..'),
    encoding: 'utf8',
    input,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NETRA_DATA_DIR: path.join(out, 'data'), NODE_OPTIONS: '' },
    timeout: 60_000,
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('The build that npm start runs', () => {
  beforeAll(() => build(out), 60_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('emits JavaScript whose relative imports all point at JavaScript, with the data files and migrations beside it', () => {
    const scripts = filesUnder(out).filter((file) => file.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(100);
    const tsImports = scripts.filter((file) => /(?:from\s+|import\()\s*["']\.{1,2}\/[^"']+\.ts["']/.test(readFileSync(file, 'utf8')));
    expect(tsImports).toEqual([]);
    for (const file of ['content/regions/regions.json', 'content/locales/id/report.json', 'content/education/lessons.json', 'bot/documents/pdfThread.mjs', 'bot/media/cleanThread.mjs', 'bot/threadModule.mjs']) {
      expect(existsSync(path.join(out, file)), file).toBe(true);
    }
    expect(readdirSync(path.join(out, 'prisma', 'migrations')).length).toBeGreaterThan(0);
    expect(filesUnder(out).some((file) => file.endsWith('.ts'))).toBe(false);
  });

  it('runs the chat on the embedded database without a TypeScript loader', () => {
    const transcript = node([path.join(out, 'bot', 'cli', 'netra.js'), 'chat'], '/start\n1\n');
    expect(transcript).toContain('Selamat datang di Netra');
    // Choosing "report" starts the report flow from the compiled content: its first question and choices.
    expect(transcript).toContain('Bagaimana Anda ingin menyampaikannya?');
    expect(transcript).toContain('Informasi awal (anonim)');
  });

  it('draws PDFs in its worker thread from the compiled code, byte for byte as the sources draw them', async () => {
    const script = `
      const { pdfThreadStats, renderPdf, startPdfThread, stopPdfThreads } = await import(${JSON.stringify(path.join(out, 'bot', 'documents', 'pdfThreads.js'))});
      await startPdfThread();
      const bytes = await renderPdf({ kind: 'certificate', data: ${JSON.stringify(certificate)}, options: { generatedAt: new Date(${JSON.stringify(generatedAt)}) } });
      const stats = pdfThreadStats();
      await stopPdfThreads();
      const loaded = Object.keys((await import('node:module')).createRequire(import.meta.url).cache);
      const loader = process.execArgv.some((flag) => flag === '--import' || flag.startsWith('--loader')) || loaded.some((file) => file.includes('/node_modules/tsx/'));
      console.log(JSON.stringify({ stats, loader, pdf: Buffer.from(bytes).toString('base64') }));
    `;
    const result = JSON.parse(node(['--input-type=module', '-e', script]).trim().split('\n').at(-1) ?? '{}') as {
      stats: { threads: number; drawn: number };
      loader: boolean;
      pdf: string;
    };
    // Drawn in the thread: had its entry not found the compiled code, the document would have been drawn here.
    expect(result.stats).toEqual({ threads: 1, drawn: 1 });
    expect(result.loader).toBe(false);
    const fromSources = await renderPdfJob({ kind: 'certificate', data: certificate, options: { generatedAt: new Date(generatedAt) } });
    expect(Buffer.from(result.pdf, 'base64').equals(fromSources)).toBe(true);
  });

  it('cleans a document in its worker thread from the compiled code', () => {
    const script = `
      const { PDFDocument, PDFString } = await import('@cantoo/pdf-lib');
      const { cleanDocument, stopCleaningThreads } = await import(${JSON.stringify(path.join(out, 'bot', 'media', 'documentCleaning.js'))});
      const doc = await PDFDocument.create({ updateMetadata: false });
      doc.addPage([100, 100]);
      doc.context.trailerInfo.Info = doc.context.register(doc.context.obj({ Author: PDFString.of('Rina PENULIS') }));
      const input = Buffer.from(await doc.save({ useObjectStreams: false }));
      const result = await cleanDocument('pdf', input);
      await stopCleaningThreads();
      console.log(JSON.stringify({ before: input.includes('PENULIS'), after: result ? Buffer.from(result.bytes).includes('PENULIS') : null }));
    `;
    const result = JSON.parse(node(['--input-type=module', '-e', script]).trim().split('\n').at(-1) ?? '{}') as { before: boolean; after: boolean | null };
    expect(result).toEqual({ before: true, after: false });
  });

  it('refuses an output folder outside the repository (its imports of packages would not resolve)', () => {
    expect(() => build('/tmp/netra-elsewhere')).toThrow(/not inside/);
  });
});
