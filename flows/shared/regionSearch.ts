/**
 * Finds the regency or city (kabupaten/kota) a user means from what they typed: "bangka barat",
 * "Kab. Bangka Barat", "kota padang", "pangkalpinang", a typo ("bangka brat"), a district (kecamatan) name
 * ("Koba") or a province ("jawa barat"). Pure and synchronous; the index is built once at module load.
 *
 * Ranking, best first: a regency whose name is the query; a province whose name or everyday short form is the
 * query; a regency whose name starts with, contains, or starts with the letters of the query; a district whose
 * name is the query; then near spellings (regencies before provinces before districts at the same distance),
 * only when nothing above matched. Regencies win over districts because a regency is what the report needs:
 * "bangka" offers the kabupaten, not Kecamatan Muara Bangka Hulu.
 */
import {
  districts,
  getDistrict,
  getProvince,
  getRegency,
  provinces,
  regencies,
  type District,
  type Province,
  type Regency,
} from '../../content/regions/regions.ts';
import { CHATTER_TRAILING } from '../report/answerWords.ts';
import { ownValue } from './ownValue.ts';
import { KEPT_VALUE_MAX } from './texts.ts';

/** One option offered when the query is ambiguous; `district` is set when a kecamatan name matched. */
export interface RegionChoice {
  regency: Regency;
  district?: District;
}

/** What a query resolved to. */
export type RegionSearchResult =
  /** One clear regency. */
  | { kind: 'exact'; regency: Regency }
  /** Several plausible places, best first; each is a regency, possibly reached through a district. */
  | { kind: 'choices'; options: RegionChoice[] }
  /** A district name matched: ask the user to confirm the district and its regency. */
  | { kind: 'district'; district: District; regency: Regency }
  /** A province matched: ask for the regency within it. */
  | { kind: 'province'; province: Province }
  | { kind: 'none' };

/** Narrowing for a search. */
export interface RegionSearchOptions {
  /** Only regencies and districts of this province (e.g. after a `province` result); provinces are not offered. */
  provinceCode?: string;
  /** Most options in a `choices` result (default 8). */
  limit?: number;
}

const defaultLimit = 8;
/** Longer input is not a place name; the cap also bounds the work of the near-spelling search. */
const maxQueryLength = 120;

type Hint = 'kabupaten' | 'kota' | 'kecamatan' | 'provinsi';

/** Short and alternative forms people type, rewritten word by word before matching. */
const wordAliases: Readonly<Record<string, string>> = {
  kab: 'kabupaten',
  kabupatan: 'kabupaten',
  kotamadya: 'kota',
  kodya: 'kota',
  kotif: 'kota',
  kec: 'kecamatan',
  kecamtan: 'kecamatan',
  prov: 'provinsi',
  propinsi: 'provinsi',
  adm: 'administrasi',
  kep: 'kepulauan',
  kepl: 'kepulauan',
  sumatra: 'sumatera',
  // Jakarta's five cities by their everyday short names.
  jakpus: 'jakarta pusat',
  jakut: 'jakarta utara',
  jakbar: 'jakarta barat',
  jaksel: 'jakarta selatan',
  jaktim: 'jakarta timur',
  // Cities by the names everyone calls them: Solo is Kota Surakarta (not Solok), Tangsel Kota Tangerang Selatan.
  solo: 'surakarta',
  tangsel: 'tangerang selatan',
  // English words of names that Indonesian spells otherwise (none is part of an official name).
  java: 'jawa',
  highlands: 'pegunungan',
  thousand: 'seribu',
};

/** Everyday names of provinces, by province code (the official name always matches too). */
const provinceAliases: Readonly<Record<string, readonly string[]>> = {
  '11': ['nad', 'nanggroe aceh darussalam'],
  '12': ['sumut'],
  '13': ['sumbar'],
  '16': ['sumsel'],
  '19': ['babel', 'bangka belitung'],
  '21': ['kepri'],
  '31': ['jakarta', 'dki', 'dki jakarta', 'daerah khusus jakarta', 'dkj', 'special capital region of jakarta', 'jakarta special capital region'],
  '32': ['jabar'],
  '33': ['jateng'],
  '34': ['diy', 'di yogyakarta', 'jogja', 'jogjakarta', 'yogya', 'special region of yogyakarta', 'yogyakarta special region'],
  '35': ['jatim'],
  '52': ['ntb'],
  '53': ['ntt'],
  '61': ['kalbar'],
  '62': ['kalteng'],
  '63': ['kalsel'],
  '64': ['kaltim'],
  '65': ['kaltara'],
  '71': ['sulut'],
  '72': ['sulteng'],
  '73': ['sulsel'],
  '74': ['sultra'],
  '76': ['sulbar'],
  '82': ['malut'],
  '92': ['pabar'],
  '96': ['pbd'],
};

/** Lower case, accents and apostrophes dropped, other punctuation as spaces, known short forms expanded. */
function normalize(text: string): string[] {
  return text
    .slice(0, maxQueryLength)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’`"]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((word) => word.length > 0)
    .flatMap((word) => ownValue(wordAliases, word)?.split(' ') ?? [word]);
}

interface Entry {
  /** Name words without the kind prefix ("bangka barat" for Kabupaten Bangka Barat). */
  words: string;
  /** The same without spaces, so "pangkalpinang" meets "pangkal pinang". */
  compact: string;
  /** The whole official name without spaces, for near spellings of the prefix ("kabupatn bangka barat"). */
  fullCompact: string;
}
interface RegencyEntry extends Entry {
  regency: Regency;
  hint: 'kabupaten' | 'kota';
  /** `words` between spaces, for whole-word matches without building the string at every search. */
  spaced: string;
}
interface DistrictEntry extends Entry {
  district: District;
  regency: Regency;
}
interface ProvinceEntry {
  province: Province;
  /** The official name's words, for "sumatera" (which starts three province names). */
  words: string;
  /** The official name and the aliases, without spaces. */
  compacts: string[];
}

function entryOf(name: string, prefixWords: number): Entry {
  const all = normalize(name);
  const words = all.slice(prefixWords).join(' ');
  return { words, compact: words.replaceAll(' ', ''), fullCompact: all.join('') };
}

const regencyIndex: readonly RegencyEntry[] = regencies.map((regency) => {
  const all = normalize(regency.name);
  const hint = all[0] === 'kota' ? 'kota' : 'kabupaten';
  // "Kota Administrasi Jakarta Pusat", "Kabupaten Administrasi Kepulauan Seribu": the kind is two words.
  const prefixWords = all[1] === 'administrasi' ? 2 : 1;
  const entry = entryOf(regency.name, prefixWords);
  return { ...entry, regency, hint, spaced: ` ${entry.words} ` };
});

const districtIndex: readonly DistrictEntry[] = districts.map((district) => {
  const regency = getRegency(district.regencyCode);
  if (!regency) throw new Error(`district ${district.code} has no regency`);
  return { ...entryOf(district.name, 0), district, regency };
});

const provinceIndex: readonly ProvinceEntry[] = provinces.map((province) => ({
  province,
  words: normalize(province.name).join(' '),
  compacts: [province.name, ...(provinceAliases[province.code] ?? [])].map((name) => normalize(name).join('')),
}));

function groupByCompact<T extends Entry>(entries: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const entry of entries) {
    const list = map.get(entry.compact);
    if (list) list.push(entry);
    else map.set(entry.compact, [entry]);
  }
  return map;
}

const districtsByCompact = groupByCompact(districtIndex);
const provinceByCompact = new Map(provinceIndex.flatMap((entry) => entry.compacts.map((c) => [c, entry] as const)));

/** How many edits a query of this length may be from a name: none for short words, where edits find noise. */
function allowedEdits(length: number): number {
  if (length < 5) return 0;
  if (length < 8) return 1;
  if (length < 13) return 2;
  return 3;
}

/** Rows reused by `editDistance`: searches are synchronous, so one set serves every call. */
const rowSize = maxQueryLength + 2;
const rows = [new Int32Array(rowSize), new Int32Array(rowSize), new Int32Array(rowSize)] as const;

/**
 * Edit distance with adjacent transpositions (optimal string alignment), or `max + 1` as soon as it must exceed
 * `max`. Only the band of cells within `max` of the diagonal can stay under the limit, so only those are
 * computed, and most names are rejected by their length or after a few rows.
 */
function editDistance(a: string, b: string, max: number): number {
  const over = max + 1;
  if (Math.abs(a.length - b.length) > max || a.length >= rowSize || b.length >= rowSize) return over;
  let twoBack = rows[0];
  let back = rows[1];
  let now = rows[2];
  for (let j = 0; j <= b.length; j++) back[j] = j <= max ? j : over;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    now[0] = i <= max ? i : over;
    if (from > 1) now[from - 1] = over;
    let rowMin = now[0];
    const ca = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const cb = b.charCodeAt(j - 1);
      let value = (back[j - 1] ?? over) + (ca === cb ? 0 : 1);
      const up = (back[j] ?? over) + 1;
      if (up < value) value = up;
      const left = (now[j - 1] ?? over) + 1;
      if (left < value) value = left;
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        const swap = (twoBack[j - 2] ?? over) + 1;
        if (swap < value) value = swap;
      }
      now[j] = value > over ? over : value;
      if (value < rowMin) rowMin = value;
    }
    if (to < b.length) now[to + 1] = over;
    if (rowMin > max) return over;
    const spare = twoBack;
    twoBack = back;
    back = now;
    now = spare;
  }
  const distance = back[b.length] ?? over;
  return distance > over ? over : distance;
}

/** Scores, lower is better; near spellings score `nearBase + 2 * edits` (+1 for provinces, +2 for districts). */
const score = {
  regencyExact: 0,
  provinceExact: 1,
  regencyStartsWithWords: 2,
  regencyContainsWords: 3,
  regencyStartsWithLetters: 4,
  provinceStartsWithWords: 5,
  /** A regency one edit away from a district spelled exactly ("makasar") or begun: regencies are what is asked for. */
  regencyOneEditBesideDistrict: 5.5,
  districtExact: 6,
  /** A district whose name starts with the words typed ("kebayoran": Kebayoran Baru and Kebayoran Lama). */
  districtStartsWithWords: 6.5,
  nearBase: 7,
} as const;
const lastNameScore = score.districtExact;

type Candidate = { score: number; closeness: number } & (
  | { kind: 'regency'; entry: RegencyEntry }
  | { kind: 'district'; entry: DistrictEntry }
  | { kind: 'province'; entry: ProvinceEntry }
);

interface ParsedQuery {
  hint: Hint | undefined;
  /** Words after the kind ("bangka barat" for "Kab. Bangka Barat"). */
  words: string;
  compact: string;
  /** Everything typed, kind included, without spaces. */
  fullCompact: string;
}

const hintWords: ReadonlySet<string> = new Set(['kabupaten', 'kota', 'kecamatan', 'provinsi']);

/** The kinds in English, written after the name or before it ("Sumedang regency", "city of Bandung"). */
const englishKinds: Readonly<Record<string, string>> = {
  regency: 'kabupaten',
  city: 'kota',
  province: 'provinsi',
  // "District" means a kecamatan to some and a kabupaten to others ("Bogor district"): it is dropped, and the name
  // alone finds either.
  district: '',
  subdistrict: '',
};

/** "sumedang regency" and "city of bandung" as "kabupaten sumedang" and "kota bandung"; "koba district" as "koba". */
function englishKindFirst(words: string[]): string[] {
  const last = words.at(-1);
  const lastKind = last === undefined ? undefined : ownValue(englishKinds, last);
  if (words.length > 1 && lastKind !== undefined) return [...(lastKind ? [lastKind] : []), ...words.slice(0, -1)];
  const firstKind = words[0] === undefined ? undefined : ownValue(englishKinds, words[0]);
  if (firstKind === undefined || words.length < 2) return words;
  const rest = words.length > 2 && words[1] === 'of' ? words.slice(2) : words.slice(1);
  return [...(firstKind ? [firstKind] : []), ...rest];
}

/**
 * Compass words of English place names, as Indonesian names write them after the name: "West Java" is Jawa Barat,
 * "North Central Timor" is Timor Tengah Utara, "Highland Papua" is Papua Pegunungan. None of these English words
 * occurs in an official name.
 */
const englishDirections: Readonly<Record<string, readonly string[]>> = {
  north: ['utara'],
  south: ['selatan'],
  east: ['timur'],
  west: ['barat'],
  central: ['tengah'],
  southeast: ['tenggara'],
  southwest: ['barat', 'daya'],
  highland: ['pegunungan'],
};
/** Compass points written as two words ("South West Papua", "South-East Sulawesi"). */
const englishTwoWordDirections: Readonly<Record<string, string>> = { 'south west': 'southwest', 'south east': 'southeast' };

/**
 * "west java" as "jawa barat", "riau islands" as "kepulauan riau", "north seribu islands" as "kepulauan seribu utara";
 * a leading kind word ("provinsi", from "West Java province") stays first.
 */
function englishNameOrder(words: string[]): string[] {
  const kind = words[0] !== undefined && hintWords.has(words[0]) ? words.slice(0, 1) : [];
  const name: string[] = [];
  for (const word of words.slice(kind.length)) {
    const joined = name.length > 0 ? ownValue(englishTwoWordDirections, `${name.at(-1)} ${word}`) : undefined;
    if (joined !== undefined) name[name.length - 1] = joined;
    else name.push(word);
  }
  let leading = 0;
  while (leading < name.length && ownValue(englishDirections, name[leading] ?? '') !== undefined) leading += 1;
  let rest = name.slice(leading);
  if (rest.length > 1 && rest.at(-1) === 'islands') rest = ['kepulauan', ...rest.slice(0, -1)];
  if (leading === 0) return [...kind, ...rest];
  // A compass point alone ("South", once the province is Jakarta) is the same word in Indonesian.
  if (rest.length === 0) return [...kind, ...name.slice().reverse().flatMap((word) => ownValue(englishDirections, word) ?? [])];
  const directions = name
    .slice(0, leading)
    .reverse()
    .flatMap((word) => ownValue(englishDirections, word) ?? []);
  return [...kind, ...rest, ...directions];
}

/** "di Garut" and "in West Java" as the place alone; "DI Yogyakarta" stays the province. */
function withoutPreposition(words: string[]): string[] {
  if ((words[0] !== 'di' && words[0] !== 'in') || words.length < 2) return words;
  return provinceByCompact.has(words.join('')) ? words : words.slice(1);
}

/** The province code of Jakarta, whose centre is "Pusat" where other places say "Tengah". */
const JAKARTA = '31';

/** "Jakarta Tengah" (and "Central Jakarta", once in Indonesian order) as the official "Jakarta Pusat". */
function jakartaCentre(words: string[]): string[] {
  return words.map((word, i) => (word === 'tengah' && words[i - 1] === 'jakarta' ? 'pusat' : word));
}

function parseQuery(text: string, readHint = true): ParsedQuery {
  let words = jakartaCentre(englishNameOrder(englishKindFirst(withoutPreposition(normalize(text)))));
  const fullCompact = words.join('');
  let hint: Hint | undefined;
  const first = words[0];
  if (readHint && first !== undefined && hintWords.has(first) && words.length > 1) {
    hint = first as Hint;
    words = words.slice(words[1] === 'administrasi' && words.length > 2 ? 2 : 1);
  }
  // "Kota Jogja": the city of Yogyakarta, which "jogja" alone (the province's everyday name) is not.
  if (hint === 'kota') words = words.flatMap((w) => ownValue(cityNicknames, w)?.split(' ') ?? [w]);
  const joined = words.join(' ');
  return { hint, words: joined, compact: joined.replaceAll(' ', ''), fullCompact };
}

/** Everyday names of a city that, alone, name its province: read as the city's after "kota". */
const cityNicknames: Readonly<Record<string, string>> = { jogja: 'yogyakarta', jogjakarta: 'yogyakarta', yogya: 'yogyakarta', djogja: 'yogyakarta' };

interface Scope {
  provinceCode?: string | undefined;
  /**
   * The regencies the place lies in: the one named after it ("koba, bangka tengah"), or all that share the name
   * written ("ciomas, bogor": Kabupaten and Kota Bogor).
   */
  regencyCodes?: readonly string[] | undefined;
}

function collect(query: ParsedQuery, scope: Scope): Candidate[] {
  const { hint, words, compact } = query;
  if (compact.length === 0) return [];
  const candidates: Candidate[] = [];
  const closeness = (name: string): number => Math.abs(name.length - compact.length);

  const inRegencies = scope.regencyCodes;
  // Within one regency the place is one of its districts; within several that share a name, the words may also name
  // one of them ("kota bogor, bogor").
  const regencyPool = hint === 'kecamatan' || hint === 'provinsi' || inRegencies?.length === 1
    ? []
    : regencyIndex.filter(
      (entry) =>
        (hint === undefined || entry.hint === hint) &&
        (scope.provinceCode === undefined || entry.regency.provinceCode === scope.provinceCode) &&
        (inRegencies === undefined || inRegencies.includes(entry.regency.code)),
    );
  const districtPool = hint === undefined || hint === 'kecamatan'
    ? (entry: DistrictEntry): boolean =>
      (scope.provinceCode === undefined || entry.regency.provinceCode === scope.provinceCode) &&
      (inRegencies === undefined || inRegencies.includes(entry.regency.code))
    : undefined;
  const wantProvinces = (hint === undefined || hint === 'provinsi') && scope.provinceCode === undefined && inRegencies === undefined;

  const wordsThenSpace = `${words} `;
  const spacedWords = ` ${words} `;
  for (const entry of regencyPool) {
    let s: number | undefined;
    if (entry.compact === compact) s = score.regencyExact;
    else if (compact.length < 3) continue;
    else if (entry.words.startsWith(wordsThenSpace)) s = score.regencyStartsWithWords;
    else if (entry.spaced.includes(spacedWords)) s = score.regencyContainsWords;
    // The first letters of a name only from five on: "pak" is no abbreviation of Pakpak Bharat, nor "sama" of Samarinda.
    else if (compact.length >= 5 && entry.compact.startsWith(compact)) s = score.regencyStartsWithLetters;
    if (s !== undefined) candidates.push({ score: s, closeness: closeness(entry.compact), kind: 'regency', entry });
  }
  if (wantProvinces) {
    const province = provinceByCompact.get(compact);
    if (province) candidates.push({ score: score.provinceExact, closeness: 0, kind: 'province', entry: province });
    else if (compact.length >= 3) {
      for (const entry of provinceIndex) {
        if (entry.words.startsWith(wordsThenSpace)) {
          candidates.push({ score: score.provinceStartsWithWords, closeness: 0, kind: 'province', entry });
        }
      }
    }
  }
  const nameMatched = candidates.length > 0;
  let districtMatched = false;
  if (districtPool) {
    for (const entry of districtsByCompact.get(compact) ?? []) {
      if (!districtPool(entry)) continue;
      candidates.push({ score: score.districtExact, closeness: 0, kind: 'district', entry });
      districtMatched = true;
    }
  }

  // The first words of a district's name, before any near spelling ("kebayoran" is not Kemayoran).
  let districtStartMatched = false;
  if (districtPool && !nameMatched && !districtMatched && compact.length >= 4) {
    for (const entry of districtIndex) {
      if (!entry.words.startsWith(wordsThenSpace) || !districtPool(entry)) continue;
      candidates.push({ score: score.districtStartsWithWords, closeness: 0, kind: 'district', entry });
      districtStartMatched = true;
    }
  }

  // Near spellings only when no regency or province name matched: never offered beside a better match.
  const edits = allowedEdits(compact.length);
  if (nameMatched || edits === 0) return sortCandidates(candidates);
  for (const entry of regencyPool) {
    // The whole name with its kind ("kabupatn bangka barat") may be as far off as the name alone may be: the kind's
    // letters do not buy edits for a short name ("kabupatennya" is not Kabupaten Nias).
    const fullEdits = Math.min(edits, allowedEdits(entry.compact.length));
    const fullDistance = hint === undefined ? editDistance(query.fullCompact, entry.fullCompact, fullEdits) : edits + 1;
    const distance = Math.min(editDistance(compact, entry.compact, edits), fullDistance <= fullEdits ? fullDistance : edits + 1);
    // Beside a district named exactly or by its first words, only a regency one edit away ("rebang": Rembang, then
    // Kecamatan Rebang Tangkas).
    const besideDistrict = districtMatched || districtStartMatched;
    if (besideDistrict ? distance === 1 : distance <= edits) {
      const s = besideDistrict ? score.regencyOneEditBesideDistrict : score.nearBase + 2 * distance;
      candidates.push({ score: s, closeness: closeness(entry.compact), kind: 'regency', entry });
    }
  }
  if (!districtMatched) {
    if (wantProvinces) {
      for (const entry of provinceIndex) {
        const distance = Math.min(...entry.compacts.map((c) => editDistance(compact, c, edits)));
        if (distance <= edits) candidates.push({ score: score.nearBase + 2 * distance + 1, closeness: 0, kind: 'province', entry });
      }
    }
    if (districtPool && !districtStartMatched) {
      for (const entry of districtIndex) {
        if (!districtPool(entry)) continue;
        const distance = editDistance(compact, entry.compact, edits);
        if (distance <= edits) {
          candidates.push({ score: score.nearBase + 2 * distance + 2, closeness: 0, kind: 'district', entry });
        }
      }
    }
  }
  return sortCandidates(candidates);
}

/** Best first; stable, so at equal score and closeness the data's code order stays. */
function sortCandidates(candidates: Candidate[]): Candidate[] {
  return candidates.sort((a, b) => a.score - b.score || a.closeness - b.closeness);
}

function toChoice(candidate: Candidate): RegionChoice | undefined {
  if (candidate.kind === 'regency') return { regency: candidate.entry.regency };
  if (candidate.kind === 'district') return { regency: candidate.entry.regency, district: candidate.entry.district };
  return undefined;
}

function decide(candidates: Candidate[], hint: Hint | undefined, limit: number): RegionSearchResult {
  const best = candidates[0];
  if (!best) return { kind: 'none' };
  if (best.kind === 'province') {
    // "sumatera" starts three province names: too vague to pick one.
    const tied = candidates.filter((c) => c.kind === 'province' && c.score === best.score);
    return tied.length === 1 ? { kind: 'province', province: best.entry.province } : { kind: 'none' };
  }

  const places = candidates.filter((c) => c.kind !== 'province');
  // Among near spellings, keep those at most one edit worse than the best.
  const band = best.score <= lastNameScore ? places : places.filter((c) => c.score <= best.score + 2);
  const others = band.filter((c) => c !== best);

  let rivals: Candidate[];
  if (best.score > lastNameScore) {
    // A near spelling is clear when nothing else is as near.
    rivals = others.filter((c) => c.score === best.score);
  } else if (best.kind === 'district') {
    rivals = others;
  } else if (best.score === score.regencyExact) {
    // With "kabupaten"/"kota" typed, the full official name was given; without it, "padang" may also mean
    // Padang Panjang or Padang Lawas, so every regency the words start or appear in is a rival. Districts are
    // not: a regency wins over a district of the same name.
    rivals = others.filter((c) => c.kind === 'regency' && (hint === undefined || c.score === score.regencyExact));
  } else {
    rivals = others;
  }
  if (rivals.length === 0) {
    return best.kind === 'regency'
      ? { kind: 'exact', regency: best.entry.regency }
      : { kind: 'district', district: best.entry.district, regency: best.entry.regency };
  }

  const options: RegionChoice[] = [];
  for (const candidate of band) {
    const option = toChoice(candidate);
    if (option) options.push(option);
    if (options.length >= limit) break;
  }
  return { kind: 'choices', options };
}

function searchScoped(text: string, scope: Scope, limit: number): RegionSearchResult {
  const query = parseQuery(text);
  const result = decide(collect(query, scope), query.hint, limit);
  if (result.kind !== 'none' || query.hint === undefined) return result;
  // A wrong kind ("kota bangka barat") or a name that starts like one ("Kota Baru", a district, or Kabupaten
  // Kotabaru) should not hide the place: read the words without the kind, and all of them as the name; keep
  // whichever matches better.
  const withoutKind = collect({ ...query, hint: undefined }, scope);
  const asName = collect(parseQuery(text, false), scope);
  const better = (asName[0]?.score ?? Infinity) < (withoutKind[0]?.score ?? Infinity) ? asName : withoutKind;
  return decide(better, undefined, limit);
}

/**
 * "koba bangka tengah", "cibadak sukabumi", "kec cibadak kab sukabumi": a place and, after it without a comma, the
 * regency or province it is in. The last words that name one (or regencies of one province: Kabupaten and Kota
 * Sukabumi) narrow the search for the words before them.
 */
function searchSplit(text: string, base: Scope, limit: number): RegionSearchResult | undefined {
  const words = text.split(/\s+/).filter((w) => w !== '');
  // A place and its regency are a few words; a longer text is no place (and each try scans the districts).
  if (words.length > SPLIT_MAX_WORDS) return undefined;
  for (let at = Math.max(1, words.length - 3); at < words.length; at += 1) {
    const head = words.slice(0, at).join(' ');
    const tail = words.slice(at).join(' ');
    const scope = scopeOf([tail], base);
    // Without a comma the split is a guess: a name several regencies share is looked for in each of them in turn, and
    // a place found in more than one settles nothing.
    const found = scope && (scope.regencyCodes?.length ?? 0) < 2 ? searchScoped(head, scope, limit) : searchInRegencies(head, tail, base, limit);
    if (found && found.kind !== 'none') return found;
  }
  return undefined;
}
const SPLIT_MAX_WORDS = 7;

/**
 * The words before a name several regencies share ("cibadak sukabumi": Kabupaten and Kota Sukabumi), looked for in
 * each of them: found in exactly one, that is the place; in none, no place (not one elsewhere in the province).
 */
function searchInRegencies(head: string, tail: string, base: Scope, limit: number): RegionSearchResult | undefined {
  const found = searchScoped(tail, { provinceCode: base.provinceCode }, defaultLimit);
  const regencies = found.kind === 'choices' ? found.options.filter((o) => !o.district).map((o) => o.regency) : [];
  if (regencies.length === 0) return undefined;
  const inside = regencies
    .map((regency) => searchScoped(head, { provinceCode: regency.provinceCode, regencyCodes: [regency.code] }, limit))
    .filter((result) => result.kind !== 'none');
  return inside.length === 1 ? inside[0] : undefined;
}

/**
 * "…, Bangka Tengah" or "…, Jawa Barat": a trailing part naming one regency or province narrows the search. A part
 * naming several regencies alike ("…, Bogor": Kabupaten and Kota Bogor; "…, Banjar", a kota in Jawa Barat and a
 * kabupaten in Kalimantan Selatan) narrows it to all of them: which one is meant is for the place before it to tell.
 */
function scopeOf(parts: readonly string[], base: Scope): Scope | undefined {
  const scope: Scope = { ...base };
  for (const part of parts) {
    const query = parseQuery(part);
    const province = query.hint === undefined || query.hint === 'provinsi' ? provinceByCompact.get(query.compact) : undefined;
    const provinceCode = province?.province.code;
    // A province after a name shared across provinces ("…, Banjar, Kalimantan Selatan") keeps its own regencies.
    const inProvince = scope.regencyCodes?.filter((code) => getRegency(code)?.provinceCode === provinceCode);
    if (provinceCode !== undefined && (scope.provinceCode === undefined || scope.provinceCode === provinceCode) && inProvince?.length !== 0) {
      scope.provinceCode = provinceCode;
      scope.regencyCodes = inProvince;
      continue;
    }
    const regency = searchScoped(part, { provinceCode: scope.provinceCode }, defaultLimit);
    if (regency.kind === 'exact') {
      scope.regencyCodes = [regency.regency.code];
      scope.provinceCode = regency.regency.provinceCode;
      continue;
    }
    const shared = regenciesNamedExactly(part).filter((r) => scope.provinceCode === undefined || r.provinceCode === scope.provinceCode);
    const [first] = shared;
    if (first === undefined || shared.length < 2) return undefined;
    scope.regencyCodes = shared.map((r) => r.code);
    scope.provinceCode = shared.every((r) => r.provinceCode === first.provinceCode) ? first.provinceCode : undefined;
  }
  return scope;
}

/**
 * Resolves what a user typed to a regency, a list of choices, a district, a province or nothing.
 * `searchRegions(regencyLabel(r))` and `searchRegions(districtLabel(d))` always find `r` and `d` again.
 */
export function searchRegions(query: string, opts: RegionSearchOptions = {}): RegionSearchResult {
  const limit = Math.max(1, opts.limit ?? defaultLimit);
  // A flow asks about one answer several times in one turn (each guard that tests it, then the action that uses
  // it); the search is pure, so the last few results are kept and handed out again (they are never changed).
  const key = `${opts.provinceCode ?? ''}\u0000${limit}\u0000${query}`;
  const known = recentSearches.get(key);
  if (known) return known;
  const result = search(query, opts.provinceCode, limit);
  if (recentSearches.size >= RECENT_SEARCHES) recentSearches.delete(recentSearches.keys().next().value as string);
  recentSearches.set(key, result);
  return result;
}

/** How many recent searches are kept (a turn repeats one search; a few cover turns that interleave). */
const RECENT_SEARCHES = 16;
const recentSearches = new Map<string, RegionSearchResult>();

function search(query: string, provinceCode: string | undefined, limit: number): RegionSearchResult {
  const base: Scope = { provinceCode };
  // Politeness after a place ("kabupaten bogor aja", "koba kak"), which no place name ends with.
  const trimmed = query.trim().replace(CHATTER_TRAILING, '');

  // Official codes ("19.05", "19.04.01") are what officers and data exports use.
  if (/^\d{2}\.\d{2}$/.test(trimmed)) {
    const regency = getRegency(trimmed);
    if (regency && (base.provinceCode === undefined || regency.provinceCode === base.provinceCode)) {
      return { kind: 'exact', regency };
    }
  }
  if (/^\d{2}\.\d{2}\.\d{2}$/.test(trimmed)) {
    const district = getDistrict(trimmed);
    const regency = district && getRegency(district.regencyCode);
    if (district && regency && (base.provinceCode === undefined || regency.provinceCode === base.provinceCode)) {
      return { kind: 'district', district, regency };
    }
  }

  const parts = trimmed.split(/[,;]/).map((part) => part.trim()).filter((part) => part.length > 0);
  const head = parts[0];
  if (head !== undefined && parts.length > 1) {
    const scope = scopeOf(parts.slice(1), base);
    if (scope) {
      const scoped = searchScoped(head, scope, limit);
      if (scoped.kind !== 'none') return scoped;
    }
  }
  const result = searchScoped(trimmed, base, limit);
  if (result.kind === 'none' && parts.length === 1) {
    const split = searchSplit(trimmed, base, limit);
    if (split) return split;
  }
  // Jakarta has no "Tengah": its centre alone ("tengah", "kota tengah"), once the province is Jakarta, is Pusat.
  const lone = parseQuery(trimmed);
  if (result.kind === 'none' && base.provinceCode === JAKARTA && base.regencyCodes === undefined && lone.compact === 'tengah' && (lone.hint ?? 'kota') === 'kota') {
    return searchScoped('pusat', base, limit);
  }
  return result;
}

const regenciesByCompact = groupByCompact(regencyIndex);

/**
 * The regencies whose name, without its kind, is exactly what was typed ("Bekasi": Kabupaten and Kota Bekasi;
 * "kota bekasi": the city alone), whatever their province. No near spellings, no partial names.
 */
export function regenciesNamedExactly(query: string): Regency[] {
  const { hint, compact } = parseQuery(query);
  return (regenciesByCompact.get(compact) ?? [])
    .filter((entry) => hint === undefined || entry.hint === hint)
    .map((entry) => entry.regency);
}

/** Whether a place offered for a query carries exactly the name typed (not a near spelling or a longer name). */
export function isNamedExactly(query: string, place: RegionChoice): boolean {
  const { compact } = parseQuery(query);
  if (place.district) return normalize(place.district.name).join('') === compact;
  return regencyIndex.find((entry) => entry.regency === place.regency)?.compact === compact;
}

/** A search after a province was named: as `searchRegions`, or a regency taken from another province. */
export type ProvinceSearchResult = RegionSearchResult | { kind: 'exact'; regency: Regency; otherProvince: true };

/**
 * Searches after the user named a province, for a place named after the wrong one ("Surabaya" after "Jawa Barat",
 * "Bekasi" after "DKI Jakarta"): the regencies of that exact name elsewhere come before any near spellings in the
 * province, and one alone is taken (`otherProvince`), as it is when the answer names its own province ("Surabaya,
 * Jawa Timur"). A place of that exact name inside the province wins (Kecamatan Depok, Sleman, after "DIY").
 */
export function searchInProvince(query: string, provinceCode: string, limit = defaultLimit): ProvinceSearchResult {
  const inProvince = searchRegions(query, { provinceCode, limit });
  if (inProvince.kind === 'exact') return inProvince;
  const here: RegionChoice[] =
    inProvince.kind === 'choices' ? inProvince.options : inProvince.kind === 'district' ? [{ regency: inProvince.regency, district: inProvince.district }] : [];
  if (here.some((place) => isNamedExactly(query, place))) return inProvince;
  if (/[,;]/.test(query)) {
    const anywhere = searchRegions(query, { limit });
    if (anywhere.kind === 'exact' && anywhere.regency.provinceCode !== provinceCode) return { ...anywhere, otherProvince: true };
  }
  const elsewhere = regenciesNamedExactly(query).filter((regency) => regency.provinceCode !== provinceCode);
  const [only] = elsewhere;
  if (only === undefined) return inProvince;
  if (elsewhere.length === 1 && here.length === 0) return { kind: 'exact', regency: only, otherProvince: true };
  return { kind: 'choices', options: [...elsewhere.map((regency) => ({ regency })), ...here].slice(0, Math.max(1, limit)) };
}

/** Most words a district or regency name has ("Kepulauan Seribu Utara" is three). */
const maxNameWords = 4;
/** The kind words a mention starts with (short forms are expanded by `normalize`). */
const kindWords = new Set(['kecamatan', 'kabupaten', 'kota']);
/**
 * One-word names that are also everyday words: "Kecamatan Kota" or "Kab. Barat" in a detail is far more often the
 * start of a longer name written differently than the one district so named.
 */
const commonWords = new Set([
  'kota', 'baru', 'lama', 'barat', 'timur', 'utara', 'selatan', 'tengah', 'pusat', 'raya', 'jaya', 'indah', 'batu', 'bukit',
  'laut', 'pantai', 'pasar', 'kampung', 'desa', 'hilir', 'hulu', 'ilir', 'ulu', 'sari', 'makmur', 'mulya', 'mulia', 'asri',
]);

/**
 * The districts and regencies a free text names explicitly with their kind ("Desa Simpang Perlang, Kec. Koba"):
 * for each mention, every place of that kind with exactly that name (a district name such as "Kota Baru" is shared
 * by several regencies). Names without a kind word are not looked for: many are everyday words.
 */
export function placesNamedIn(text: string): RegionChoice[][] {
  const mentions: RegionChoice[][] = [];
  for (const segment of text.slice(0, 1_000).split(/[,;()\n]/)) {
    const words = normalize(segment);
    for (let i = 0; i < words.length; i++) {
      const kind = words[i];
      if (!kind || !kindWords.has(kind)) continue;
      // The name runs up to the next kind word ("Kec. Sukamaju Kab. Garut"); a district's name may start with
      // "Kota" ("Kecamatan Kota Juang").
      const name: string[] = [];
      for (const word of words.slice(i + 1, i + 1 + maxNameWords)) {
        if (kindWords.has(word) && !(word === 'kota' && name.length === 0 && kind === 'kecamatan')) break;
        name.push(word);
      }
      // The longest run of words that names a place of that kind: "Kec. Koba dekat pasar" names Koba.
      for (let n = name.length; n > 0; n--) {
        if (n === 1 && commonWords.has(name[0] ?? '')) break;
        const compact = name.slice(0, n).join('');
        const found: RegionChoice[] =
          kind === 'kecamatan'
            ? (districtsByCompact.get(compact) ?? []).map((e) => ({ regency: e.regency, district: e.district }))
            : (regenciesByCompact.get(compact) ?? []).filter((e) => e.hint === kind).map((e) => ({ regency: e.regency }));
        if (found.length > 0) {
          mentions.push(found);
          i += n;
          break;
        }
      }
    }
  }
  return mentions;
}

/**
 * A regency's name within `fit` characters (a keep button's quote) where it can be, still whole: "Kota Jakarta Selatan"
 * (without "Administrasi"), and "Kab. Bolaang Mongondow Selatan" where "Kabupaten" would not fit.
 */
export function regencyShortName(regency: Regency, fit = KEPT_VALUE_MAX): string {
  const name = regency.name.replace(/^(Kota|Kabupaten) Administrasi /, '$1 ');
  return name.length <= fit ? name : name.replace(/^Kabupaten /, 'Kab. ');
}

/** "Kabupaten Bangka Barat, Kepulauan Bangka Belitung": the regency with its province (looked up if not given). */
export function regencyLabel(regency: Regency, province: Province | undefined = getProvince(regency.provinceCode)): string {
  return province ? `${regency.name}, ${province.name}` : regency.name;
}

/**
 * "Kecamatan Koba, Kabupaten Bangka Tengah": the district with its regency (looked up if not given); with `null` for
 * the regency, "Kecamatan Koba" alone.
 */
export function districtLabel(district: District, regency: Regency | null | undefined = getRegency(district.regencyCode)): string {
  return regency ? `Kecamatan ${district.name}, ${regency.name}` : `Kecamatan ${district.name}`;
}
