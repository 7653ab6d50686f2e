import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import committed from '../../content/regions/regions.json' with { type: 'json' };
import packageJson from 'idn-area-data/package.json' with { type: 'json' };
import {
  districts,
  districtsOf,
  getDistrict,
  getProvince,
  getRegency,
  provinces,
  regencies,
  regenciesOf,
  regionSource,
} from '../../content/regions/regions.ts';
import { regionsFileSchema } from '../../content/regions/regionSchemas.ts';
import { buildRegionsFile, regionsJsonPath, serializeRegionsFile } from '../../scripts/generate-regions.ts';

/** The messages of the issues a broken file raises. */
function issuesOf(file: unknown): string[] {
  const result = regionsFileSchema.safeParse(file);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe('region data', () => {
  it('equals the installed idn-area-data package row for row', async () => {
    const fromPackage = await buildRegionsFile();
    expect(committed).toEqual(fromPackage);
  });

  it('records the installed package version as its source', () => {
    expect(regionSource).toEqual({ package: 'idn-area-data', version: packageJson.version, license: 'ODbL-1.0' });
  });

  it('is written by the generator byte for byte, so regenerating leaves no diff', async () => {
    const fromPackage = await buildRegionsFile();
    expect(readFileSync(regionsJsonPath, 'utf8')).toBe(serializeRegionsFile(fromPackage));
  });

  it('has 38 provinces, 514 regencies and 7,285 districts', () => {
    expect(provinces).toHaveLength(38);
    expect(regencies).toHaveLength(514);
    expect(districts).toHaveLength(7285);
  });

  it('looks up a province, a regency and a district by code', () => {
    expect(getProvince('19')).toEqual({ code: '19', name: 'Kepulauan Bangka Belitung' });
    expect(getRegency('19.05')).toEqual({ code: '19.05', name: 'Kabupaten Bangka Barat', provinceCode: '19' });
    expect(getRegency('13.71')?.name).toBe('Kota Padang');
    expect(getDistrict('19.04.01')).toEqual({ code: '19.04.01', name: 'Koba', regencyCode: '19.04' });
  });

  it('returns nothing for an unknown code', () => {
    expect(getProvince('99')).toBeUndefined();
    expect(getRegency('19.99')).toBeUndefined();
    expect(getDistrict('19')).toBeUndefined();
    expect(regenciesOf('99')).toEqual([]);
    expect(districtsOf('19.99')).toEqual([]);
  });

  it('lists the regencies of a province and the districts of a regency', () => {
    expect(regenciesOf('19').map((r) => r.name)).toEqual([
      'Kabupaten Bangka',
      'Kabupaten Belitung',
      'Kabupaten Bangka Selatan',
      'Kabupaten Bangka Tengah',
      'Kabupaten Bangka Barat',
      'Kabupaten Belitung Timur',
      'Kota Pangkal Pinang',
    ]);
    expect(districtsOf('19.04').map((d) => d.name)).toContain('Koba');
    const total = regencies.reduce((sum, r) => sum + districtsOf(r.code).length, 0);
    expect(total).toBe(districts.length);
  });

  it('gives every official regency name once', () => {
    expect(new Set(regencies.map((r) => r.name)).size).toBe(regencies.length);
    expect(regencies.every((r) => /^(Kabupaten|Kota) /.test(r.name))).toBe(true);
  });

  it('rejects a file whose district points to a missing regency', () => {
    const broken = structuredClone(committed);
    broken.districts[0] = ['11.01.01', 'Bakongan', '11.99'];
    expect(issuesOf(broken)).toEqual(['district 11.01.01 has no regency 11.99']);
  });

  it('rejects a file with a duplicated regency code', () => {
    const broken = structuredClone(committed);
    broken.regencies.push(['19.05', 'Kabupaten Bangka Barat', '19']);
    expect(issuesOf(broken)).toEqual(['duplicate code 19.05']);
  });

  it('accepts the committed file', () => {
    expect(issuesOf(committed)).toEqual([]);
  });

  it('rejects a malformed code or a name with surrounding spaces', () => {
    const badCode = structuredClone(committed);
    badCode.provinces[0] = ['1', 'Aceh'];
    const badCodePaths = regionsFileSchema.safeParse(badCode).error?.issues.map((issue) => issue.path.join('.'));
    expect(badCodePaths).toContain('provinces.0.code');
    const badName = structuredClone(committed);
    badName.provinces[0] = ['11', ' Aceh'];
    expect(issuesOf(badName)).toEqual(['a place name without surrounding spaces']);
  });

  it('keeps the loaded data from being changed by a caller', () => {
    const regency = getRegency('19.05');
    expect(Object.isFrozen(regency)).toBe(true);
    expect(Object.isFrozen(regencies)).toBe(true);
  });
});
