/**
 * Bawaslu's offices as Netra routes to them: Bawaslu RI, one Bawaslu provinsi per province and one Bawaslu
 * kabupaten/kota per regency, with the official region codes of idn-area-data (`19`, `19.05`). Seeded at every
 * start in one statement, so new regions arrive with a data update and existing settings (e-mail, webhook) stay.
 */
import { provinces, regencies } from '../../content/regions/regions.ts';
import type { PrismaClient, Tx } from '../store/store.ts';

/** The national office's code. */
export const RI_CODE = 'RI';

/** An office's level in the hierarchy. */
export type OfficeLevel = 'ri' | 'provinsi' | 'kabkota';

/** One office as seeded. */
export interface OfficeSeedRow {
  code: string;
  level: OfficeLevel;
  name: string;
  parentCode: string | null;
}

/** Every office, RI first, then provinces, then regencies (553 rows with the pinned data). */
export function officeSeedRows(): OfficeSeedRow[] {
  return [
    { code: RI_CODE, level: 'ri', name: 'Bawaslu Republik Indonesia', parentCode: null },
    ...provinces.map((p) => ({
      code: p.code,
      level: 'provinsi' as const,
      name: `Bawaslu Provinsi ${p.name}`,
      parentCode: RI_CODE,
    })),
    ...regencies.map((r) => ({
      code: r.code,
      level: 'kabkota' as const,
      name: `Bawaslu ${r.name}`,
      parentCode: r.provinceCode,
    })),
  ];
}

/**
 * Inserts missing offices and corrects names and parents of existing ones, in one statement; rows that are
 * already right are not touched. Returns how many rows were inserted or changed.
 */
export async function seedOffices(prisma: PrismaClient | Tx): Promise<number> {
  const rows = officeSeedRows();
  return prisma.$executeRawUnsafe(
    `INSERT INTO "Office" ("code", "level", "name", "parentCode")
     SELECT x."code", x."level", x."name", x."parentCode"
       FROM json_to_recordset($1::json) AS x("code" text, "level" text, "name" text, "parentCode" text)
     ON CONFLICT ("code") DO UPDATE
       SET "level" = EXCLUDED."level", "name" = EXCLUDED."name", "parentCode" = EXCLUDED."parentCode",
           "updatedAt" = now()
       WHERE ("Office"."level", "Office"."name", "Office"."parentCode")
             IS DISTINCT FROM (EXCLUDED."level", EXCLUDED."name", EXCLUDED."parentCode")`,
    JSON.stringify(rows),
  );
}
