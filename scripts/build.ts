/**
 * Compiles Netra to plain JavaScript for `npm start`: the TypeScript of bot/, flows/ and content/ emitted file by
 * file (imports of `.ts` rewritten to `.js`), their data files (texts, questions, regions, the PDF thread's entry)
 * and prisma/migrations copied beside it, so every path a module finds relative to itself holds in the output too.
 * Run without a TypeScript loader, the process keeps neither the loader's thread nor the transpiled sources with
 * their inline source maps: about 40 MB less at start and 45 MB less at peak with 10,000 conversations (README,
 * Performance). Types are not checked here (`npm run typecheck` does that); a syntax error still fails the build.
 *
 *   npm run build                     # into dist/
 *   tsx scripts/build.ts OUT [ROOT…]  # elsewhere, with more source folders (the benchmark adds its bots)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Netra's source folders: what `npm start` runs. */
export const appRoots = ['bot', 'flows', 'content'];

/**
 * Builds `roots` (folders of the repository) into `outDir`. The output must lie inside the repository (dist/, or
 * under node_modules/.cache) so that its imports of packages resolve to the repository's node_modules. The new
 * build replaces the old one only once it is complete.
 */
export function build(outDir: string, roots: string[] = appRoots): void {
  const target = path.resolve(outDir);
  if (!target.startsWith(repoRoot + path.sep)) throw new Error(`build: ${target} is not inside ${repoRoot}`);
  const partial = `${target}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    const config = path.join(partial, 'tsconfig.build.json');
    writeFileSync(
      config,
      JSON.stringify({
        extends: path.join(repoRoot, 'tsconfig.json'),
        compilerOptions: {
          noEmit: false,
          outDir: partial,
          rootDir: repoRoot,
          rewriteRelativeImportExtensions: true,
          noCheck: true,
          types: [],
          sourceMap: false,
          declaration: false,
          incremental: false,
        },
        include: roots.map((root) => path.join(repoRoot, root)),
      }),
    );
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', config], { cwd: repoRoot, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`build: tsc failed\n${result.stdout}${result.stderr}`);
    rmSync(config);
    // Every file that is not TypeScript (JSON texts and questions, regions, .mjs entries) goes beside the output.
    for (const root of roots) {
      cpSync(path.join(repoRoot, root), path.join(partial, root), { recursive: true, filter: (source) => !source.endsWith('.ts') });
    }
    cpSync(path.join(repoRoot, 'prisma', 'migrations'), path.join(partial, 'prisma', 'migrations'), { recursive: true });
    // ES modules, as in the repository (the output may sit where no package.json says so).
    writeFileSync(path.join(partial, 'package.json'), `${JSON.stringify({ type: 'module', private: true })}\n`);
    rmSync(target, { recursive: true, force: true });
    renameSync(partial, target);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [outDir = path.join(repoRoot, 'dist'), ...extraRoots] = process.argv.slice(2);
  const started = performance.now();
  build(outDir, [...appRoots, ...extraRoots]);
  if (!existsSync(path.join(outDir, 'bot', 'cli', 'netra.js'))) throw new Error('build: bot/cli/netra.js missing');
  process.stdout.write(`Netra built into ${path.relative(process.cwd(), outDir) || '.'} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
