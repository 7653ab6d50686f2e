/**
 * Indonesia's provinces, regencies (kabupaten/kota) and districts (kecamatan), validated once at load.
 * Data: idn-area-data (ODbL-1.0), copied by `scripts/generate-regions.ts`; see README.md beside this file.
 */
import { readFileSync } from 'node:fs';
import { regionsFileSchema, type District, type Province, type Regency, type RegionSource } from './regionSchemas.ts';

export type { District, Province, Regency, RegionSource } from './regionSchemas.ts';

// Read and parsed as data: a JSON module import is compiled as code by the TypeScript loader, which costs
// several megabytes of memory that stay with the process.
const file = regionsFileSchema.parse(JSON.parse(readFileSync(new URL('./regions.json', import.meta.url), 'utf8')));

/** Package, version and licence the data was copied from. */
export const regionSource: RegionSource = Object.freeze(file.source);

/** All 38 provinces, by code. */
export const provinces: readonly Province[] = Object.freeze(file.provinces.map((p) => Object.freeze(p)));
/** All regencies and cities (kabupaten/kota), by code. */
export const regencies: readonly Regency[] = Object.freeze(file.regencies.map((r) => Object.freeze(r)));
/** All districts (kecamatan), by code. */
export const districts: readonly District[] = Object.freeze(file.districts.map((d) => Object.freeze(d)));

const provinceByCode = new Map(provinces.map((p) => [p.code, p]));
const regencyByCode = new Map(regencies.map((r) => [r.code, r]));
const districtByCode = new Map(districts.map((d) => [d.code, d]));

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, readonly T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return new Map([...groups].map(([k, list]) => [k, Object.freeze(list)]));
}

const regenciesByProvince = groupBy(regencies, (r) => r.provinceCode);
const districtsByRegency = groupBy(districts, (d) => d.regencyCode);

/** The province with this code (`'19'`), if any. */
export function getProvince(code: string): Province | undefined {
  return provinceByCode.get(code);
}

/** The regency or city with this code (`'19.05'`), if any. */
export function getRegency(code: string): Regency | undefined {
  return regencyByCode.get(code);
}

/** The district with this code (`'19.04.01'`), if any. */
export function getDistrict(code: string): District | undefined {
  return districtByCode.get(code);
}

/** The regencies and cities of a province, by code; empty for an unknown province. */
export function regenciesOf(provinceCode: string): readonly Regency[] {
  return regenciesByProvince.get(provinceCode) ?? [];
}

/** The districts of a regency, by code; empty for an unknown regency. */
export function districtsOf(regencyCode: string): readonly District[] {
  return districtsByRegency.get(regencyCode) ?? [];
}
