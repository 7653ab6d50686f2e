import { describe, expect, it } from 'vitest';
import { districts, getDistrict, getProvince, getRegency, provinces, regencies } from '../../../content/regions/regions.ts';
import type { Regency } from '../../../content/regions/regions.ts';
import {
  districtLabel,
  placesNamedIn,
  regencyLabel,
  searchInProvince,
  searchRegions,
  type RegionSearchResult,
} from '../../../flows/shared/regionSearch.ts';

function regency(code: string): Regency {
  const found = getRegency(code);
  if (!found) throw new Error(`no regency ${code}`);
  return found;
}

/** The regency names offered, or an empty list when the result is not a list of choices. */
function optionNames(result: RegionSearchResult): string[] {
  return result.kind === 'choices'
    ? result.options.map((o) => (o.district ? `Kecamatan ${o.district.name}, ${o.regency.name}` : o.regency.name))
    : [];
}

const bangkaBarat = '19.05';

describe('searchRegions', () => {
  it('hands out the same result when one answer is searched again, and searches again for another scope or limit', () => {
    const first = searchRegions('bangka barat');
    expect(searchRegions('bangka barat')).toBe(first);
    expect(first).toMatchObject({ kind: 'exact', regency: { code: '19.05' } });
    const scoped = searchRegions('bangka barat', { provinceCode: '19' });
    expect(scoped).not.toBe(first);
    expect(scoped).toEqual(first);
    expect(searchRegions('bangka barat', { provinceCode: '11' })).not.toEqual(first);
    expect(searchRegions('bangka', { limit: 2 })).not.toBe(searchRegions('bangka', { limit: 3 }));
  });

  it('resolves every official regency name to itself as an exact match', () => {
    const misses = regencies.filter((r) => {
      const result = searchRegions(r.name);
      return result.kind !== 'exact' || result.regency.code !== r.code;
    });
    expect(misses.map((r) => r.name)).toEqual([]);
    expect(regencies).toHaveLength(514);
  });

  it('resolves every official regency name typed in lower case with "kab." to itself', () => {
    const misses = regencies.filter((r) => {
      const result = searchRegions(r.name.toLowerCase().replace(/^kabupaten /, 'kab. '));
      return result.kind !== 'exact' || result.regency.code !== r.code;
    });
    expect(misses.map((r) => r.name)).toEqual([]);
  });

  it('resolves every regency label it produces back to the same regency', () => {
    const misses = regencies.filter((r) => {
      const result = searchRegions(regencyLabel(r));
      return result.kind !== 'exact' || result.regency.code !== r.code;
    });
    expect(misses.map((r) => r.name)).toEqual([]);
  });

  it('resolves every district label it produces back to the same district', () => {
    const misses = districts.filter((d) => {
      const result = searchRegions(districtLabel(d));
      return result.kind !== 'district' || result.district.code !== d.code || result.regency.code !== d.regencyCode;
    });
    expect(misses.map((d) => districtLabel(d))).toEqual([]);
  });

  it.each([
    'bangka barat',
    'Bangka Barat',
    'BANGKA BARAT',
    'Kab. Bangka Barat',
    'kab bangka barat',
    'kab.bangka barat',
    'kabupaten bangka barat',
    'Kabupaten Bangka Barat, Kepulauan Bangka Belitung',
    '  bangka-barat!! ',
    'di kabupaten bangka barat',
  ])('finds Kabupaten Bangka Barat from %j', (query) => {
    expect(searchRegions(query)).toEqual({ kind: 'exact', regency: regency(bangkaBarat) });
  });

  it.each(['bangka brat', 'bangka barta', 'bangkabarat', 'kabupatn bangka barat'])(
    'forgives the typo or spacing in %j',
    (query) => {
      expect(searchRegions(query)).toEqual({ kind: 'exact', regency: regency(bangkaBarat) });
    },
  );

  it('finds Kota Padang when the kind is typed', () => {
    expect(searchRegions('kota padang')).toEqual({ kind: 'exact', regency: regency('13.71') });
    expect(searchRegions('Kota Padang')).toEqual({ kind: 'exact', regency: regency('13.71') });
  });

  it('reads the kind written in English, after the name or before it', () => {
    expect(searchRegions('Sumedang regency')).toEqual({ kind: 'exact', regency: regency('32.11') });
    expect(searchRegions('padang city')).toEqual({ kind: 'exact', regency: regency('13.71') });
    expect(searchRegions('City of Padang')).toEqual({ kind: 'exact', regency: regency('13.71') });
    expect(searchRegions('Koba district')).toEqual({ kind: 'district', district: getDistrict('19.04.01'), regency: regency('19.04') });
    // "District" is also what many call a kabupaten: it finds the regencies named Bogor, not a kecamatan spelled nearly so.
    expect(searchRegions('Bogor district')).toEqual(searchRegions('bogor'));
    expect(searchRegions('Bangka Barat district')).toEqual({ kind: 'exact', regency: regency(bangkaBarat) });
  });

  it.each([
    ['West Java', '32'],
    ['central java', '33'],
    ['East Java Province', '35'],
    ['province of north sumatra', '12'],
    ['South Sumatra', '16'],
    ['Bangka Belitung Islands', '19'],
    ['Riau Islands', '21'],
    ['Special Region of Yogyakarta', '34'],
    ['West Nusa Tenggara', '52'],
    ['East Nusa Tenggara', '53'],
    ['North Kalimantan', '65'],
    ['Southeast Sulawesi', '74'],
    ['North Maluku', '82'],
    ['Highland Papua', '95'],
    ['Southwest Papua', '96'],
    ['South West Papua', '96'],
    ['South-East Sulawesi', '74'],
    ['Papua Highlands', '95'],
    ['in West Java', '32'],
    ['di Jawa Barat', '32'],
    ['DI Yogyakarta', '34'],
  ])('finds the province written in English, %j', (query, code) => {
    expect(searchRegions(query)).toEqual({ kind: 'province', province: getProvince(code) });
  });

  it('finds regencies and cities written in English', () => {
    expect(searchRegions('South Jakarta')).toEqual({ kind: 'exact', regency: regency('31.74') });
    expect(searchRegions('Central Jakarta')).toEqual({ kind: 'exact', regency: regency('31.71') });
    expect(searchRegions('North Central Timor Regency')).toEqual({ kind: 'exact', regency: regency('53.03') });
    expect(searchRegions('West Bangka')).toEqual({ kind: 'exact', regency: regency(bangkaBarat) });
    expect(searchRegions('South West Aceh')).toEqual({ kind: 'exact', regency: regency('11.12') });
    expect(searchRegions('South East Aceh')).toEqual({ kind: 'exact', regency: regency('11.02') });
    expect(searchRegions('South Tangerang')).toEqual({ kind: 'exact', regency: regency('36.74') });
    expect(searchRegions('North Seribu Islands')).toMatchObject({ kind: 'district', district: { name: 'Kepulauan Seribu Utara' } });
    expect(searchRegions('Thousand Islands')).toEqual({ kind: 'exact', regency: regency('31.01') });
    expect(searchRegions('South', { provinceCode: '31' })).toEqual({ kind: 'exact', regency: regency('31.74') });
  });

  it("reads Jakarta's centre as Pusat however it is written, and Tengah elsewhere as Tengah", () => {
    const pusat = { kind: 'exact', regency: regency('31.71') };
    expect(searchRegions('Central', { provinceCode: '31' })).toEqual(pusat);
    expect(searchRegions('tengah', { provinceCode: '31' })).toEqual(pusat);
    expect(searchRegions('Jakarta Tengah')).toEqual(pusat);
    expect(searchRegions('central', { provinceCode: '52' })).toEqual({ kind: 'exact', regency: regency('52.02') });
    expect(searchRegions('tengah', { provinceCode: '33' })).toEqual({ kind: 'none' });
    expect(searchRegions('Jakarta Tengah, DKI Jakarta')).toEqual(pusat);
    expect(searchRegions('Menteng, Jakarta Tengah')).toMatchObject({ kind: 'district', district: { name: 'Menteng' }, regency: { code: '31.71' } });
    expect(searchInProvince('Jakarta Tengah', '33')).toEqual({ ...pusat, otherProvince: true });
    expect(searchRegions('kota tengah', { provinceCode: '31' })).toEqual(pusat);
    // Another kind word says it is no city's centre.
    expect(searchRegions('Kabupaten Tengah', { provinceCode: '31' })).toEqual({ kind: 'none' });
  });

  it.each([
    ['jakpus', '31.71'],
    ['Jakut', '31.72'],
    ['jakbar', '31.73'],
    ['Jaksel', '31.74'],
    ['jaktim', '31.75'],
  ])("finds Jakarta's city by its short name %j", (query, code) => {
    expect(searchRegions(query)).toEqual({ kind: 'exact', regency: regency(code) });
  });

  it.each([
    ['solo', '33.72'],
    ['kota solo', '33.72'],
    ['Tangsel', '36.74'],
    ['kota jogja', '34.71'],
    ['Kota Jogjakarta', '34.71'],
    ['kota solok', '13.72'],
  ])('finds the city everyone calls %j', (query, code) => {
    expect(searchRegions(query)).toEqual({ kind: 'exact', regency: regency(code) });
  });

  it('still reads "jogja" alone as the province, whose regencies are then listed', () => {
    expect(searchRegions('jogja')).toMatchObject({ kind: 'province', province: { code: '34' } });
  });

  it('finds districts by the first words of their names before any near spelling', () => {
    expect(optionNames(searchRegions('cibeunying')).sort()).toEqual([
      'Kecamatan Cibeunying Kaler, Kota Bandung',
      'Kecamatan Cibeunying Kidul, Kota Bandung',
    ]);
    // Not Kemayoran, one letter away.
    expect(optionNames(searchRegions('kebayoran')).sort()).toEqual([
      'Kecamatan Kebayoran Baru, Kota Administrasi Jakarta Selatan',
      'Kecamatan Kebayoran Lama, Kota Administrasi Jakarta Selatan',
    ]);
    // A regency one letter away is listed first beside it ("Sampang" for "mampang", "Rembang" for "rebang").
    expect(optionNames(searchRegions('mampang'))).toEqual(['Kabupaten Sampang', 'Kecamatan Mampang Prapatan, Kota Administrasi Jakarta Selatan']);
    expect(optionNames(searchRegions('rebang'))).toEqual(['Kabupaten Rembang', 'Kecamatan Rebang Tangkas, Kabupaten Way Kanan']);
  });

  it('offers the regencies named Padang as choices, Kota Padang first', () => {
    const result = searchRegions('padang');
    const names = optionNames(result);
    expect(result.kind).toBe('choices');
    expect(names[0]).toBe('Kota Padang');
    expect(names).toEqual(
      expect.arrayContaining([
        'Kota Padang Panjang',
        'Kota Padangsidimpuan',
        'Kabupaten Padang Lawas',
        'Kabupaten Padang Lawas Utara',
        'Kabupaten Padang Pariaman',
      ]),
    );
    expect(names.length).toBeLessThanOrEqual(8);
  });

  it.each(['pangkal pinang', 'pangkalpinang', 'Kota Pangkalpinang', 'PANGKAL-PINANG'])(
    'finds Kota Pangkal Pinang from %j',
    (query) => {
      expect(searchRegions(query)).toEqual({ kind: 'exact', regency: regency('19.71') });
    },
  );

  it('takes "kab. bangka" as Kabupaten Bangka itself', () => {
    expect(searchRegions('kab. bangka')).toEqual({ kind: 'exact', regency: regency('19.01') });
  });

  it('offers the regencies before any district for "bangka", Kabupaten Bangka first', () => {
    const result = searchRegions('bangka');
    expect(result.kind).toBe('choices');
    if (result.kind !== 'choices') return;
    expect(result.options[0]).toEqual({ regency: regency('19.01') });
    expect(optionNames(result)).toEqual(
      expect.arrayContaining(['Kabupaten Bangka Barat', 'Kabupaten Bangka Tengah', 'Kabupaten Bangka Selatan']),
    );
    expect(result.options.every((o) => o.district === undefined)).toBe(true);
  });

  it('finds the kecamatan Koba and its regency, Bangka Tengah', () => {
    const koba = getDistrict('19.04.01');
    expect(koba?.name).toBe('Koba');
    for (const query of ['Koba', 'koba', 'kec. koba', 'Kecamatan Koba']) {
      expect(searchRegions(query)).toEqual({ kind: 'district', district: koba, regency: regency('19.04') });
    }
  });

  it('offers each district when several share the typed name', () => {
    const result = searchRegions('sukajadi');
    expect(result.kind).toBe('choices');
    if (result.kind !== 'choices') return;
    expect(result.options.length).toBeGreaterThan(1);
    expect(result.options.every((o) => o.district?.name === 'Sukajadi' && o.district.regencyCode === o.regency.code)).toBe(true);
  });

  it('prefers a regency one letter away over a district spelled exactly', () => {
    expect(optionNames(searchRegions('makasar'))).toEqual([
      'Kota Makassar',
      'Kecamatan Makasar, Kota Administrasi Jakarta Timur',
    ]);
  });

  it('offers both Kabupaten and Kota when only the shared name is typed', () => {
    expect(optionNames(searchRegions('bekasi'))).toEqual(['Kabupaten Bekasi', 'Kota Bekasi']);
    expect(searchRegions('kota bekasi')).toEqual({ kind: 'exact', regency: regency('32.75') });
  });

  it.each([
    ['jawa barat', '32'],
    ['Provinsi Jawa Barat', '32'],
    ['prov. jawa barat', '32'],
    ['jabar', '32'],
    ['jawa brat', '32'],
    ['jakarta', '31'],
    ['DKI Jakarta', '31'],
    ['sumatra utara', '12'],
    ['aceh', '11'],
  ])('answers the province-only query %j with the province', (query, code) => {
    expect(searchRegions(query)).toEqual({ kind: 'province', province: getProvince(code) });
  });

  it('answers every province name with the province, or with choices inside it when a regency shares the name', () => {
    for (const province of provinces) {
      const result = searchRegions(province.name);
      if (result.kind === 'province') {
        expect(result.province).toBe(province);
      } else {
        expect(result.kind, province.name).toBe('choices');
        if (result.kind === 'choices') {
          expect(result.options.every((o) => o.regency.provinceCode === province.code), province.name).toBe(true);
        }
      }
    }
    expect(provinces).toHaveLength(38);
  });

  it('searches only within a province when one is given', () => {
    expect(optionNames(searchRegions('bandung', { provinceCode: '32' }))).toEqual([
      'Kabupaten Bandung',
      'Kota Bandung',
      'Kabupaten Bandung Barat',
    ]);
    expect(searchRegions('kota padang', { provinceCode: '32' }).kind).not.toBe('exact');
  });

  it('narrows by a province or regency written after a comma', () => {
    expect(optionNames(searchRegions('padang, sumatera barat'))).toEqual([
      'Kota Padang',
      'Kota Padang Panjang',
      'Kabupaten Padang Pariaman',
    ]);
    expect(searchRegions('koba, bangka tengah')).toMatchObject({ kind: 'district', regency: regency('19.04') });
  });

  it.each([
    ['ciomas, bogor', 'Ciomas', 'Kabupaten Bogor'],
    ['ciomas,bogor', 'Ciomas', 'Kabupaten Bogor'],
    ['cibinong, bogor', 'Cibinong', 'Kabupaten Bogor'],
    ['bekasi utara, bekasi', 'Bekasi Utara', 'Kota Bekasi'],
    ['lowokwaru, malang', 'Lowokwaru', 'Kota Malang'],
    ['ciomas, bogor, jawa barat', 'Ciomas', 'Kabupaten Bogor'],
    // Kota Banjar is in Jawa Barat, Kabupaten Banjar in Kalimantan Selatan.
    ['pataruman, banjar', 'Pataruman', 'Kota Banjar'],
    ['martapura, banjar', 'Martapura', 'Kabupaten Banjar'],
    ['martapura, banjar, kalimantan selatan', 'Martapura', 'Kabupaten Banjar'],
  ])('finds the district in whichever of the regencies sharing the name after a comma has it: %j', (query, district, regency) => {
    expect(searchRegions(query)).toMatchObject({ kind: 'district', district: { name: district }, regency: { name: regency } });
  });

  it('offers each district of the name when more than one of the regencies sharing the name after a comma has it', () => {
    expect(optionNames(searchRegions('kec. sorong, sorong'))).toEqual([
      'Kecamatan Sorong, Kabupaten Sorong',
      'Kecamatan Sorong, Kota Sorong',
    ]);
  });

  it('takes the regency named before a comma among those sharing the name after it', () => {
    expect(searchRegions('kota bogor, bogor')).toEqual({ kind: 'exact', regency: regency('32.71') });
    expect(searchRegions('kabupaten bogor, bogor')).toEqual({ kind: 'exact', regency: regency('32.01') });
    expect(optionNames(searchRegions('bogor, bogor'))).toEqual(['Kabupaten Bogor', 'Kota Bogor']);
  });

  it('does not take a place of the same name outside the regencies sharing the name after a comma', () => {
    // No Kecamatan Cibadak lies in Kabupaten or Kota Bogor: the one in Sukabumi is not offered instead.
    expect(searchRegions('cibadak, bogor').kind).toBe('none');
  });

  it.each([
    ['koba bangka tengah', 'Koba', 'Kabupaten Bangka Tengah'],
    ['kecamatan koba kab bangka tengah', 'Koba', 'Kabupaten Bangka Tengah'],
    ['cibadak sukabumi', 'Cibadak', 'Kabupaten Sukabumi'],
    ['depok sleman', 'Depok', 'Kabupaten Sleman'],
    ['koba kak', 'Koba', 'Kabupaten Bangka Tengah'],
  ])('narrows by the regency written after the place without a comma: %j', (query, district, regency) => {
    expect(searchRegions(query)).toMatchObject({ kind: 'district', district: { name: district }, regency: { name: regency } });
  });

  it('does not take a place of the same name outside the regencies named after it, nor split a long text', () => {
    // No Kecamatan Cibadak lies in Kabupaten or Kota Bogor: the one in Sukabumi is not offered instead.
    expect(searchRegions('cibadak bogor').kind).toBe('none');
    expect(searchRegions('pak camat kemarin datang ke acara kampanye di koba bangka tengah').kind).toBe('none');
  });

  it('reads the regency and its province without a comma, and past politeness', () => {
    expect(searchRegions('kab bogor jawa barat')).toMatchObject({ kind: 'exact', regency: { name: 'Kabupaten Bogor' } });
    expect(searchRegions('kabupaten bogor aja')).toMatchObject({ kind: 'exact', regency: { name: 'Kabupaten Bogor' } });
  });

  it('finds the place when the wrong kind is typed', () => {
    expect(searchRegions('kota bangka barat')).toEqual({ kind: 'exact', regency: regency(bangkaBarat) });
  });

  it('reads a district whose name starts with "Kota" as that district', () => {
    expect(searchRegions('kota juang')).toMatchObject({ kind: 'district', district: { name: 'Kota Juang' } });
  });

  it('accepts official codes', () => {
    expect(searchRegions('19.05')).toEqual({ kind: 'exact', regency: regency(bangkaBarat) });
    expect(searchRegions('19.04.01')).toMatchObject({ kind: 'district', district: { name: 'Koba' } });
  });

  it.each(['asdfgh', 'qwertyuiop', '', '   ', '!!!', '2', 'x'.repeat(10_000), 'constructor', 'kota constructor', 'hasOwnProperty'])('finds nothing for %j', (query) => {
    expect(searchRegions(query)).toEqual({ kind: 'none' });
  });

  it.each(['kabupatennya', 'kab nya', 'pak', 'sama', 'sol'])(
    'finds no place for %j, which only begins a name or is a short name plus edits of its kind',
    (query) => {
      // Before, these picked Kabupaten Nias, Pakpak Bharat, Samarinda and Solok without asking ("solo" is Surakarta's
      // everyday name, found as that).
      expect(searchRegions(query).kind).toBe('none');
    },
  );

  it('still takes the first five letters or more of a name, and a misspelt kind before a long name', () => {
    expect(searchRegions('pekan')).toMatchObject({ kind: 'exact', regency: { name: 'Kota Pekanbaru' } });
    expect(searchRegions('kabupatn bangka barat')).toMatchObject({ kind: 'exact', regency: { name: 'Kabupaten Bangka Barat' } });
  });

  it('finds nothing for a word that starts several province names', () => {
    expect(searchRegions('sumatera')).toEqual({ kind: 'none' });
  });

  it('offers at most the requested number of choices', () => {
    const result = searchRegions('barat', { limit: 3 });
    expect(optionNames(result)).toHaveLength(3);
    expect(optionNames(searchRegions('barat'))).toHaveLength(8);
  });
});

describe('searchInProvince', () => {
  const names = (result: ReturnType<typeof searchInProvince>) =>
    result.kind === 'choices' ? result.options.map((o) => (o.district ? `${o.district.name}, ${o.regency.name}` : o.regency.name)) : [];

  it('takes a regency named after the wrong province from the one province that has that name', () => {
    expect(searchInProvince('Medan', '32')).toEqual({ kind: 'exact', regency: regency('12.71'), otherProvince: true });
    expect(searchInProvince('Surabaya, Jawa Timur', '32')).toEqual({ kind: 'exact', regency: regency('35.78'), otherProvince: true });
  });

  it('lists every regency of a shared name elsewhere before near spellings in the province', () => {
    expect(names(searchInProvince('Bekasi', '31')).slice(0, 2)).toEqual(['Kabupaten Bekasi', 'Kota Bekasi']);
  });

  it('keeps a place of that exact name inside the province, and a regency found there', () => {
    const depok = searchInProvince('Depok', '34');
    expect(depok.kind === 'district' ? depok.district.name : names(depok)[0]).toMatch(/^Depok/);
    expect(depok).not.toHaveProperty('otherProvince');
    expect(searchInProvince('Bogor', '32')).not.toHaveProperty('otherProvince');
    expect(searchInProvince('sumedang', '32')).toEqual({ kind: 'exact', regency: regency('32.11') });
  });

  it('finds nothing elsewhere for a name no regency has exactly', () => {
    expect(searchInProvince('qwertyuiop', '32')).toEqual({ kind: 'none' });
  });
});

describe('regencyLabel', () => {
  it('names the regency with its province', () => {
    expect(regencyLabel(regency(bangkaBarat))).toBe('Kabupaten Bangka Barat, Kepulauan Bangka Belitung');
  });

  it('uses the province it is given instead of looking it up', () => {
    const province = getProvince('19');
    expect(regencyLabel(regency('13.71'), province)).toBe('Kota Padang, Kepulauan Bangka Belitung');
  });
});

describe('districtLabel', () => {
  it('names the district with its regency', () => {
    const koba = getDistrict('19.04.01');
    if (!koba) throw new Error('no Koba');
    expect(districtLabel(koba)).toBe('Kecamatan Koba, Kabupaten Bangka Tengah');
  });
});

describe('placesNamedIn', () => {
  const named = (text: string) => placesNamedIn(text).map((m) => m.map((c) => (c.district ? districtLabel(c.district, c.regency) : c.regency.name)));

  it('finds a district or regency named with its kind, short or spelt out, and stops at the name', () => {
    expect(named('Lapangan Merdeka, Kec. Koba')).toEqual([['Kecamatan Koba, Kabupaten Bangka Tengah']]);
    expect(named('kecamatan koba dekat pasar')).toEqual([['Kecamatan Koba, Kabupaten Bangka Tengah']]);
    expect(named('Kantor Kab. Bangka Tengah')).toEqual([['Kabupaten Bangka Tengah']]);
    expect(named('Alun-alun Kota Bogor; juga Kab Bogor')).toEqual([['Kota Bogor'], ['Kabupaten Bogor']]);
  });

  it('gives every place of a shared district name', () => {
    const [mention] = placesNamedIn('Kecamatan Kota Baru');
    expect(mention?.length).toBe(districts.filter((d) => d.name.toLowerCase() === 'kota baru').length);
    expect(mention?.length).toBeGreaterThan(1);
  });

  it('ends a name at the next kind word, which starts a mention of its own', () => {
    expect(named('Kec. Koba Kab. Bangka Tengah')).toEqual([['Kecamatan Koba, Kabupaten Bangka Tengah'], ['Kabupaten Bangka Tengah']]);
    expect(named('ibu kota Kabupaten Garut')).toEqual([['Kabupaten Garut']]);
    expect(named('Kecamatan Kota Juang')).toEqual([['Kecamatan Kota Juang, Kabupaten Bireuen']]);
  });

  it('looks for no name without a kind word, nor for a kind word that names nothing', () => {
    expect(named('Kantor Camat Koba')).toEqual([]);
    expect(named('di tengah kota')).toEqual([]);
    expect(named('Jalan Kota Baru')).toEqual([]);
    expect(named('kecamatan')).toEqual([]);
    // A one-word name that is an everyday word is more often the start of a name written otherwise.
    expect(named('Kantor Kecamatan Kota')).toEqual([]);
    expect(named('Kec. Barat')).toEqual([]);
  });
});
