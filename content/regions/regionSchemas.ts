/**
 * Schemas of Indonesia's administrative regions as Netra ships them: provinces, regencies (kabupaten/kota) and
 * districts (kecamatan). `regions.json` stores rows as compact tuples; these schemas turn them into objects and
 * check that every code is well formed, unique and nested under an existing parent.
 */
import { z } from 'zod';

/** A place name as published: non-empty, no surrounding spaces. */
const placeNameSchema = z.string().regex(/^\S(?:.*\S)?$/, 'a place name without surrounding spaces');

const provinceCodeSchema = z.string().regex(/^\d{2}$/);
const regencyCodeSchema = z.string().regex(/^\d{2}\.\d{2}$/);
const districtCodeSchema = z.string().regex(/^\d{2}\.\d{2}\.\d{2}$/);

/** A province (provinsi), e.g. `{ code: '19', name: 'Kepulauan Bangka Belitung' }`. */
export const provinceSchema = z.object({ code: provinceCodeSchema, name: placeNameSchema });
export type Province = z.infer<typeof provinceSchema>;

/** A regency or city (kabupaten/kota); its name carries the kind, e.g. `Kabupaten Bangka Barat`, `Kota Padang`. */
export const regencySchema = z.object({
  code: regencyCodeSchema,
  name: placeNameSchema,
  provinceCode: provinceCodeSchema,
});
export type Regency = z.infer<typeof regencySchema>;

/** A district (kecamatan), e.g. `{ code: '19.04.01', name: 'Koba', regencyCode: '19.04' }`. */
export const districtSchema = z.object({
  code: districtCodeSchema,
  name: placeNameSchema,
  regencyCode: regencyCodeSchema,
});
export type District = z.infer<typeof districtSchema>;

/** Where the data comes from; the licence travels with the data (ODbL requires the notice). */
export const regionSourceSchema = z.object({
  package: z.literal('idn-area-data'),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  license: z.literal('ODbL-1.0'),
});
export type RegionSource = z.infer<typeof regionSourceSchema>;

const provinceRowSchema = z
  .tuple([z.string(), z.string()])
  .transform(([code, name]) => ({ code, name }))
  .pipe(provinceSchema);
const regencyRowSchema = z
  .tuple([z.string(), z.string(), z.string()])
  .transform(([code, name, provinceCode]) => ({ code, name, provinceCode }))
  .pipe(regencySchema);
const districtRowSchema = z
  .tuple([z.string(), z.string(), z.string()])
  .transform(([code, name, regencyCode]) => ({ code, name, regencyCode }))
  .pipe(districtSchema);

/** The whole of `regions.json`: rows are `[code, name]` for provinces and `[code, name, parentCode]` below. */
export const regionsFileSchema = z
  .object({
    source: regionSourceSchema,
    provinces: z.array(provinceRowSchema),
    regencies: z.array(regencyRowSchema),
    districts: z.array(districtRowSchema),
  })
  .superRefine((file, ctx) => {
    const levels: Array<{ key: 'provinces' | 'regencies' | 'districts'; rows: ReadonlyArray<{ code: string }> }> = [
      { key: 'provinces', rows: file.provinces },
      { key: 'regencies', rows: file.regencies },
      { key: 'districts', rows: file.districts },
    ];
    for (const { key, rows } of levels) {
      const seen = new Set<string>();
      rows.forEach((row, index) => {
        if (seen.has(row.code)) {
          ctx.addIssue({ code: 'custom', path: [key, index], message: `duplicate code ${row.code}` });
        }
        seen.add(row.code);
      });
    }
    // A code nests under its parent's code (19.05 under 19); routing by region relies on that.
    const provinceCodes = new Set(file.provinces.map((p) => p.code));
    file.regencies.forEach((regency, index) => {
      if (!provinceCodes.has(regency.provinceCode) || !regency.code.startsWith(`${regency.provinceCode}.`)) {
        ctx.addIssue({ code: 'custom', path: ['regencies', index], message: `regency ${regency.code} has no province ${regency.provinceCode}` });
      }
    });
    const regencyCodes = new Set(file.regencies.map((r) => r.code));
    file.districts.forEach((district, index) => {
      if (!regencyCodes.has(district.regencyCode) || !district.code.startsWith(`${district.regencyCode}.`)) {
        ctx.addIssue({ code: 'custom', path: ['districts', index], message: `district ${district.code} has no regency ${district.regencyCode}` });
      }
    });
  });
/** The JSON shape of `regions.json` (what the generator writes). */
export type RegionsFileJson = z.input<typeof regionsFileSchema>;
