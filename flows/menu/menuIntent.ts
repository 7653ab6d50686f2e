/**
 * What a sentence typed at the main menu asks for, when it plainly asks for one thing: "saya mau lapor camat yang
 * kampanye" is a report, "cek status laporan saya" a status check, "mau ikut kuis" the quiz. Words are matched
 * whole, in Indonesian and English; a sentence that names two different things is not guessed at.
 */
import { normaliseForMatch } from '../shared/texts.ts';

export type MenuIntent = 'report' | 'quiz' | 'learn' | 'status' | 'help' | 'english' | 'indonesian' | 'thanks' | 'hello';

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
  ['hello', ['halo', 'hallo', 'helo', 'hello', 'hai', 'hi', 'hey', 'pagi', 'siang', 'sore', 'malam', 'assalamualaikum', 'permisi']],
];

const FLOWS = new Set<MenuIntent>(['report', 'quiz', 'learn', 'status']);

/** Words that turn "laporan" into checking one: "cek laporan saya". */
const CHECKING = new Set(['cek', 'check', 'lihat', 'pantau', 'periksa']);

/** The one thing the text asks for, or undefined. */
export function menuIntent(text: string): MenuIntent | undefined {
  const words = new Set(normaliseForMatch(text).split(' '));
  const found = new Set(WORDS.filter(([, list]) => list.some((w) => words.has(w))).map(([intent]) => intent));
  // "Cek status laporan" and "lihat laporan saya" are about a report already sent.
  if (found.has('report') && (found.has('status') || [...CHECKING].some((w) => words.has(w)))) {
    found.delete('report');
    found.add('status');
  }
  // "Tolong, saya mau lapor ASN di Indonesia": help and a language beside a request are part of the request.
  if ([...found].some((intent) => FLOWS.has(intent))) {
    for (const side of ['help', 'english', 'indonesian', 'thanks', 'hello'] as const) found.delete(side);
  }
  // "Halo, tolong" asks for help; "pagi, terima kasih" thanks.
  if (found.size > 1) found.delete('hello');
  return found.size === 1 ? [...found][0] : undefined;
}
