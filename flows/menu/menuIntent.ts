/**
 * What a sentence typed at the main menu asks for, when it plainly asks for one thing: "saya mau lapor camat yang
 * kampanye" is a report, "cek status laporan saya" a status check, "mau ikut kuis" the quiz. Words are matched
 * whole, in Indonesian and English; a sentence that names two different things is not guessed at.
 */
import { normaliseForMatch } from '../shared/texts.ts';

export type MenuIntent = 'report' | 'quiz' | 'learn' | 'status' | 'help' | 'english' | 'indonesian' | 'thanks' | 'hello' | 'salam' | 'story';

const WORDS: ReadonlyArray<[MenuIntent, readonly string[]]> = [
  ['report', ['lapor', 'laporkan', 'laporan', 'melapor', 'melaporkan', 'pelaporan', 'mengadu', 'adukan', 'aduan', 'pengaduan', 'report', 'complaint']],
  // Not "tes"/"test": people type it to see whether the bot answers.
  ['quiz', ['kuis', 'quiz', 'ujian']],
  ['learn', ['belajar', 'pelajari', 'mempelajari', 'pelajaran', 'materi', 'aturan', 'learn', 'lesson', 'lessons', 'rules']],
  ['status', ['status', 'perkembangan', 'track']],
  ['help', ['bantuan', 'tolong', 'bingung', 'help']],
  ['english', ['english', 'inggris']],
  ['indonesian', ['indonesia', 'indonesian']],
  // What people send after a report or between requests: answered in kind, with the menu again.
  ['thanks', ['kasih', 'makasih', 'terimakasih', 'trimakasih', 'trims', 'thanks', 'thank', 'thx', 'tq', 'nuwun']],
  ['hello', ['halo', 'hallo', 'helo', 'hello', 'hai', 'hi', 'hey', 'pagi', 'siang', 'sore', 'malam', 'permisi']],
  // The Islamic greeting has its own answer ("Waalaikumsalam").
  ['salam', ['assalamualaikum', 'asalamualaikum', 'assalammualaikum', 'assalamu', 'asalamu', 'assalam', 'salam', 'samlekom']],
];

/** Words of someone telling what happened rather than choosing ("pak camat ikut kampanye paslon 2"). */
const STORY_WORDS = new Set([
  'kampanye', 'kampanyekan', 'mengkampanyekan', 'asn', 'pns', 'pppk', 'paslon', 'caleg', 'capres', 'cawapres', 'cabup',
  'cawabup', 'cagub', 'cawagub', 'cawalkot', 'calon', 'camat', 'kades', 'lurah', 'netral', 'netralitas', 'campaign',
  'campaigning', 'candidate',
]);
/** A message this long that asks for nothing on the menu is taken as an account of what happened. */
const STORY_MIN_WORDS = 6;
/** Thanks sent as an emoji: 🙏 or 👍, in any skin tone, alone or repeated. */
const THANKS_EMOJI = /^(?:\u{1F64F}|\u{1F44D}|[\u{1F3FB}-\u{1F3FF}]|\s)+$/u;

const FLOWS = new Set<MenuIntent>(['report', 'quiz', 'learn', 'status']);

/** Words that turn "laporan" into checking one: "cek laporan saya". */
const CHECKING = new Set(['cek', 'check', 'lihat', 'pantau', 'periksa']);

/** The one thing the text asks for, or undefined. */
export function menuIntent(text: string): MenuIntent | undefined {
  if (THANKS_EMOJI.test(text)) return 'thanks';
  const list = normaliseForMatch(text).split(' ').filter((w) => w !== '');
  const words = new Set(list);
  const found = new Set(WORDS.filter(([, list]) => list.some((w) => words.has(w))).map(([intent]) => intent));
  if (found.size === 0) return list.length >= STORY_MIN_WORDS || list.some((w) => STORY_WORDS.has(w)) ? 'story' : undefined;
  // "Cek status laporan" and "lihat laporan saya" are about a report already sent.
  if (found.has('report') && (found.has('status') || [...CHECKING].some((w) => words.has(w)))) {
    found.delete('report');
    found.add('status');
  }
  // "Tolong, saya mau lapor ASN di Indonesia": help and a language beside a request are part of the request.
  if ([...found].some((intent) => FLOWS.has(intent))) {
    for (const side of ['help', 'english', 'indonesian', 'thanks', 'hello', 'salam'] as const) found.delete(side);
  }
  // "Halo, tolong" asks for help; "pagi, terima kasih" thanks; "assalamualaikum, selamat pagi" is a salam.
  if (found.size > 1) found.delete('hello');
  if (found.size > 1) found.delete('salam');
  return found.size === 1 ? [...found][0] : undefined;
}
