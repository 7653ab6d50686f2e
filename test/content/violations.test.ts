import { describe, expect, it } from 'vitest';
import raw from '../../content/violations.json' with { type: 'json' };
import { getViolation, isViolationId, parseViolations, ViolationContentError, violations } from '../../content/violations.ts';
import { violationsSchema } from '../../content/violations.schema.ts';

const languages = ['id', 'en'] as const;
type Bilingual = { id: string; en: string };
type RawViolation = Record<string, unknown> & { id: string; label: Bilingual; examples: Bilingual; legalBasis: Bilingual; keywords: string[] };

/** A fresh, valid copy of the shipped catalogue that a test may break. */
function rawCopy(): RawViolation[] {
  return structuredClone(raw) as RawViolation[];
}

describe('violation catalogue', () => {
  it('lists the twelve agreed categories in the agreed order', () => {
    expect(violations.map((violation) => violation.id)).toEqual([
      'social-media',
      'photo-or-hand-sign',
      'attending-campaign',
      'state-facilities',
      'mobilising-staff',
      'favouring-decision',
      'declaring-support',
      'ktp-support-letter',
      'party-membership',
      'candidacy-no-resign',
      'money-politics',
      'other',
    ]);
  });

  it('gives every category a unique id of at most 24 characters that is safe in callback data', () => {
    const ids = violations.map((violation) => violation.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id.length, id).toBeLessThanOrEqual(24);
      expect(id).toMatch(/^[a-z0-9-]+$/);
    }
  });

  it('keeps every label short enough for a button in both languages', () => {
    for (const violation of violations) {
      for (const lang of languages) {
        expect(violation.label[lang].trim(), `${violation.id} ${lang}`).not.toBe('');
        expect(violation.label[lang].length, `${violation.id} ${lang}`).toBeLessThanOrEqual(40);
      }
    }
  });

  it('gives one line of examples and a sanction note in both languages', () => {
    for (const violation of violations) {
      for (const lang of languages) {
        expect(violation.examples[lang].trim(), `${violation.id} ${lang}`).not.toBe('');
        expect(violation.examples[lang], `${violation.id} ${lang}`).not.toMatch(/\n/);
        expect(violation.sanctionNote[lang].trim(), `${violation.id} ${lang}`).not.toBe('');
      }
    }
  });

  it('names an article in every legal basis, in both languages', () => {
    for (const violation of violations) {
      expect(violation.legalBasis.id, violation.id).toMatch(/Pasal \d+/);
      expect(violation.legalBasis.en, violation.id).toMatch(/Article \d+/);
    }
  });

  it('rates party membership as PTDH under UU 20/2023 Pasal 52', () => {
    const violation = getViolation('party-membership');
    expect(violation?.sanctionLevel).toBe('ptdh');
    expect(violation?.legalBasis.id).toContain('UU 20/2023 Pasal 52');
  });

  it('rates joining a campaign as medium and the acts of Pasal 5 huruf n angka 3 to 7 as heavy', () => {
    expect(getViolation('attending-campaign')?.sanctionLevel).toBe('sedang');
    for (const id of ['state-facilities', 'mobilising-staff', 'favouring-decision', 'ktp-support-letter']) {
      expect(getViolation(id)?.sanctionLevel, id).toBe('berat');
    }
  });

  it('treats money politics as a crime and cites its criminal article', () => {
    const violation = getViolation('money-politics');
    expect(violation?.sanctionLevel).toBe('pidana');
    expect(violation?.legalBasis.id).toContain('Pasal 523');
  });
});

describe('violation lookups', () => {
  it('finds a category by its id', () => {
    expect(getViolation('money-politics')?.label.id).toBe('Politik uang');
  });

  it('returns undefined for an unknown id', () => {
    expect(getViolation('jaywalking')).toBeUndefined();
  });

  it('recognises known ids and rejects others', () => {
    expect(isViolationId('other')).toBe(true);
    expect(isViolationId('Other')).toBe(false);
  });
});

describe('violation schema', () => {
  it('accepts the shipped catalogue', () => {
    expect(violationsSchema.safeParse(raw).success).toBe(true);
  });

  it('rejects a label longer than 40 characters', () => {
    const data = rawCopy();
    data[0]!.label.en = 'x'.repeat(41);
    expect(violationsSchema.safeParse(data).success).toBe(false);
  });

  it('rejects empty English examples', () => {
    const data = rawCopy();
    data[1]!.examples.en = '';
    expect(violationsSchema.safeParse(data).success).toBe(false);
  });

  it.each(['Mobil Dinas', 'mobil  dinas', ' amplop', 'uang!'])('rejects the keyword %j, which typed words could never match', (keyword) => {
    const data = rawCopy();
    data[2]!.keywords.push(keyword);
    expect(violationsSchema.safeParse(data).success).toBe(false);
  });

  it('rejects examples that span two lines', () => {
    const data = rawCopy();
    data[1]!.examples.id = 'satu\ndua';
    expect(violationsSchema.safeParse(data).success).toBe(false);
  });

  it('rejects a legal basis that names no article', () => {
    const data = rawCopy();
    data[2]!.legalBasis.id = 'SKB 2022';
    expect(violationsSchema.safeParse(data).success).toBe(false);
  });

  it('rejects a sanction level outside the agreed set', () => {
    const data = rawCopy();
    data[3]!.sanctionLevel = 'ringan';
    expect(violationsSchema.safeParse(data).success).toBe(false);
  });

  it('rejects two categories with the same id', () => {
    const data = rawCopy();
    data[4]!.id = data[3]!.id;
    expect(violationsSchema.safeParse(data).success).toBe(false);
  });

  it('rejects a catalogue in another order', () => {
    const data = rawCopy();
    [data[0], data[1]] = [data[1]!, data[0]!];
    expect(violationsSchema.safeParse(data).success).toBe(false);
  });

  it('rejects a catalogue with a category missing', () => {
    expect(violationsSchema.safeParse(rawCopy().slice(0, 11)).success).toBe(false);
  });
});

describe('parseViolations', () => {
  it('returns the categories of a valid catalogue', () => {
    expect(parseViolations(raw)).toHaveLength(violations.length);
  });

  it('names the broken entry and field in its error', () => {
    const data = rawCopy();
    data[6]!.legalBasis.en = 'the SKB';
    let error: unknown;
    try {
      parseViolations(data);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ViolationContentError);
    expect((error as ViolationContentError).message).toContain(`violation 6 ("${data[6]!.id}") legalBasis.en`);
  });
});
