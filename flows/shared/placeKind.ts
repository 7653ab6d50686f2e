/**
 * A place's kind named alone ("kabupatennya", "yang kota"), to pick one from a list of places: the report's place
 * question and the quiz's regency question.
 */
import { getRegency } from '../../content/regions/regions.ts';
import { matchKey } from '../report/normaliseAnswer.ts';

export type PlaceKind = 'kabupaten' | 'kota' | 'kecamatan';
const PLACE_KIND_WORDS: ReadonlyMap<string, PlaceKind> = new Map([
  ...['kabupaten', 'kabupatennya', 'kab', 'kabnya', 'regency', 'the regency'].map((w) => [w, 'kabupaten'] as const),
  ...['kota', 'kotanya', 'kotamadya', 'city', 'the city'].map((w) => [w, 'kota'] as const),
  ...['kecamatan', 'kecamatannya', 'kec', 'kecnya', 'distrik'].map((w) => [w, 'kecamatan'] as const),
]);

/** The kind one word names ("kec", "kabupaten", "kota"), as in front of a place's name. */
export function placeKindOfWord(word: string): PlaceKind | undefined {
  return PLACE_KIND_WORDS.get(word);
}
/** Words around a kind that do not change it (`yang kota`, `yg kabupaten aja`, `kabupaten nya`). */
const PLACE_KIND_AROUND = /^(?:(?:yang|yg|di|pilih|the) )*(.+?)(?: (?:nya|aja|saja|deh|dong|kak|ya|please))*$/;

/** The kind of place a reply names alone ("kabupatennya", "yang kota"), to pick from a list of places. */
export function placeKindWord(text: string): PlaceKind | undefined {
  const words = matchKey(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '').join(' ');
  const core = PLACE_KIND_AROUND.exec(words)?.[1];
  return core === undefined ? undefined : PLACE_KIND_WORDS.get(core);
}

/** A regency's kind, from its official name ("Kota Bogor", "Kabupaten Bogor"). */
export function regencyKind(code: string): 'kabupaten' | 'kota' | undefined {
  const name = getRegency(code)?.name ?? '';
  return name.startsWith('Kota ') ? 'kota' : name.startsWith('Kabupaten ') ? 'kabupaten' : undefined;
}
