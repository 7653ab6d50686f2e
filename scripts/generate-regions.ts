/**
 * Copies provinces, regencies and districts from the pinned `idn-area-data` package into
 * `content/regions/regions.json`, because `content/` may import only zod and flows must stay synchronous.
 *
 *   npx tsx scripts/generate-regions.ts          write the file
 *   npx tsx scripts/generate-regions.ts --check  exit 1 if the committed file differs from the package
 *
 * Run it after upgrading the package; the test suite fails until the file is regenerated.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getDistricts, getProvinces, getRegencies } from 'idn-area-data';
import packageJson from 'idn-area-data/package.json' with { type: 'json' };
import type { RegionsFileJson } from '../content/regions/regionSchemas.ts';

/** The committed data file. */
export const regionsJsonPath = fileURLToPath(new URL('../content/regions/regions.json', import.meta.url));

/** The regions as the installed package publishes them, in the package's order, in the shape of regions.json. */
export async function buildRegionsFile(): Promise<RegionsFileJson> {
  const [provinces, regencies, districts] = await Promise.all([getProvinces(), getRegencies(), getDistricts()]);
  return {
    source: { package: 'idn-area-data', version: packageJson.version, license: 'ODbL-1.0' },
    provinces: provinces.map((p): [string, string] => [p.code, p.name]),
    regencies: regencies.map((r): [string, string, string] => [r.code, r.name, r.province_code]),
    districts: districts.map((d): [string, string, string] => [d.code, d.name, d.regency_code]),
  };
}

/** JSON with one row per line: small, and a data upgrade reads as a line diff. */
export function serializeRegionsFile(file: RegionsFileJson): string {
  const rows = (list: readonly unknown[]): string => `[\n${list.map((row) => `    ${JSON.stringify(row)}`).join(',\n')}\n  ]`;
  return [
    '{',
    `  "source": ${JSON.stringify(file.source)},`,
    `  "provinces": ${rows(file.provinces)},`,
    `  "regencies": ${rows(file.regencies)},`,
    `  "districts": ${rows(file.districts)}`,
    '}',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const text = serializeRegionsFile(await buildRegionsFile());
  if (process.argv.includes('--check')) {
    const current = readFileSync(regionsJsonPath, 'utf8');
    if (current !== text) {
      console.error(`${regionsJsonPath} is out of date: run npx tsx scripts/generate-regions.ts`);
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(regionsJsonPath, text);
  console.log(`wrote ${regionsJsonPath}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
