import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

/**
 * Loads what `netra start` loads, in a fresh Node process (vitest's own module graph would hide the answer), and
 * prints the packages of node_modules that were loaded.
 */
function packagesLoadedAtStart(extra = ''): string[] {
  const script = `
    import { createRequire } from 'node:module';
    await import('./bot/cli/startCommand.ts');
    ${extra}
    const cache = createRequire(import.meta.url).cache;
    const names = new Set(Object.keys(cache).map((file) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(file)?.[1]).filter(Boolean));
    console.log(JSON.stringify([...names]));
  `;
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
  });
  return JSON.parse(output.trim().split('\n').at(-1) ?? '[]') as string[];
}

describe('startup footprint', () => {
  it('loads neither whatsapp-web.js nor pdfkit until a WhatsApp client or a document is needed', () => {
    const loaded = packagesLoadedAtStart();
    // The probe must see the CommonJS packages the start does load, or its silence proves nothing.
    expect(loaded).toContain('pg');
    expect(loaded).not.toContain('whatsapp-web.js');
    expect(loaded).not.toContain('puppeteer');
    expect(loaded).not.toContain('pdfkit');
  }, 60_000);

  it('loads pdfkit with the first document', () => {
    const loaded = packagesLoadedAtStart(`
      const { createPdf } = await import('./bot/documents/pdfDocument.ts');
      const pdf = createPdf({ size: 'A4', layout: 'portrait', margins: { top: 10, bottom: 10, left: 10, right: 10 },
        title: 't', subject: 's', createdAt: new Date(0), bufferPages: false });
      pdf.doc.end();
      await pdf.bytes;
    `);
    expect(loaded).toContain('pdfkit');
  }, 60_000);
});
