/**
 * What a sentence typed at the main menu asks for, when it plainly asks for one thing: "saya mau lapor camat yang
 * kampanye" is a report, "cek status laporan saya" a status check, "mau ikut kuis" the quiz, "cek sertifikat" the
 * certificate check. Words are matched whole, in Indonesian and English; a sentence that names two different things
 * is not guessed at.
 */
import { QUESTION_FIRST_WORDS } from '../report/validateText.ts';
import { normaliseForMatch } from '../shared/texts.ts';

export type MenuIntent =
  | 'report' | 'quiz' | 'learn' | 'status' | 'verify' | 'help' | 'english' | 'indonesian' | 'thanks' | 'hello' | 'salam' | 'story'
  | 'question' | 'withdraw';

const WORDS: ReadonlyArray<[MenuIntent, readonly string[]]> = [
  // With the spoken forms: "sy mo laporin pak camat", "gmn cara lapornya?".
  ['report', [
    'lapor', 'laporkan', 'laporan', 'melapor', 'melaporkan', 'pelaporan', 'mengadu', 'adukan', 'aduan', 'pengaduan', 'report',
    'complaint', 'laporin', 'lapornya', 'ngelapor', 'ngelaporin', 'dilaporkan', 'dilaporin', 'ngadu', 'ngaduin',
  ]],
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

const SALAM_WORDS: ReadonlySet<string> = new Set(WORDS.find(([intent]) => intent === 'salam')?.[1] ?? []);

/**
 * Words of Netra's subject. A sentence with one of them that asks nothing on the menu tells what happened ("pak camat
 * ikut kampanye paslon 2": pointed to the report) or asks about the rules ("apakah PNS boleh ikut kampanye?": pointed to
 * the lessons and the report).
 */
const TOPIC_WORDS = new Set([
  'kampanye', 'kampanyekan', 'mengkampanyekan', 'asn', 'pns', 'pppk', 'paslon', 'caleg', 'capres', 'cawapres', 'cabup',
  'cawabup', 'cagub', 'cawagub', 'cawalkot', 'calon', 'camat', 'kades', 'lurah', 'netral', 'netralitas', 'partai',
  'pilkada', 'pemilu', 'sembako', 'baliho', 'spanduk', 'dukungan', 'mendukung', 'campaign', 'campaigning', 'candidate',
]);
/** Where a "status" is a post, not a report's progress ("status wa", "like status fb"). */
const POST_WORDS = new Set(['wa', 'whatsapp', 'fb', 'facebook', 'ig', 'instagram', 'medsos', 'like', 'ngelike', 'likes', 'bikin', 'pasang', 'posting', 'share', 'story']);
/** Words that say a question is coming, wherever they stand ("saya ingin bertanya tentang netralitas"). */
const ASKING = new Set(['tanya', 'bertanya', 'nanya', 'pertanyaan', 'question', 'ask']);
/** "Boleh gak …", "… boleh … ga": whether something is allowed, asked without a question word or a "?". */
const ALLOWED = new Set(['boleh', 'bolehkah', 'bisakah']);
const NEGATION = new Set(['gak', 'ga', 'gk', 'g', 'nggak', 'ngga', 'enggak', 'engga', 'tidak', 'tdk', 'ndak', 'nda', 'nggk', 'kagak']);
function asksIfAllowed(list: readonly string[]): boolean {
  const at = list.findIndex((w) => ALLOWED.has(w));
  return at >= 0 && (NEGATION.has(list[at + 1] ?? '') || NEGATION.has(list[list.length - 1] ?? ''));
}
/**
 * Question words a question may end with ("sanksi buat kades apa aja", "dendanya berapa"); not "gimana", which
 * ends accounts too ("pak camat ikut kampanye kemarin, gimana ini": what now).
 */
const QUESTION_LAST_WORDS = new Set(['apa', 'apaan', 'berapa', 'brp', 'siapa', 'kapan']);
const TRAILING_FILLERS = new Set(['aja', 'saja', 'sih', 'ya', 'yah', 'kah', 'dong', 'nih', 'tuh', 'ini', 'itu']);
function endsAsking(list: readonly string[]): boolean {
  let end = list.length - 1;
  while (end > 0 && TRAILING_FILLERS.has(list[end] ?? '')) end -= 1;
  return QUESTION_LAST_WORDS.has(list[end] ?? '');
}
/** Fewer words than this with a topic word ("asn", "netralitas") is a question about it, not an account. */
const STORY_MIN_WORDS = 3;
/** Thanks sent as an emoji: 🙏 or 👍, in any skin tone, alone or repeated. */
const THANKS_EMOJI = /^(?:[\u{1F64F}\u{1F44D}\u{1F3FB}-\u{1F3FF}\u{FE0F}]|\s)+$/u;
const THANKS_SIGN = /[\u{1F64F}\u{1F44D}]/u;

/** True when the text carries the Islamic greeting ("Assalamualaikum min, ..."), which is answered first. */
export function hasSalam(text: string): boolean {
  const words = normaliseForMatch(text).split(' ');
  return words.some((w) => SALAM_WORDS.has(w));
}

const FLOWS = new Set<MenuIntent>(['report', 'quiz', 'learn', 'status', 'verify']);

/** Words that turn "laporan" into checking one: "cek laporan saya", "laporan sy yg kmrn gmn kabarnya?". */
const CHECKING = new Set([
  'cek', 'check', 'lihat', 'pantau', 'periksa', 'kabar', 'kabarnya', 'progres', 'progress', 'perkembangannya', 'diproses',
  'ditindaklanjuti', 'ditanggapi',
]);
/** Words that ask for a check on their own: "verifikasi", "verify MK67YKE74LBB" (not of a report: "verifikasi laporan"). */
const VERIFYING = new Set(['verifikasi', 'verify', 'verification', 'memverifikasi', 'verifikasikan', 'verif']);
const CERTIFICATE = new Set(['sertifikat', 'sertifikatnya', 'sertif', 'certificate', 'cert']);
/**
 * Words that, with a certificate, ask to check it: "cek sertifikat", "periksa keaslian sertifikat", "apakah sertifikat
 * ini asli?", "check certificate". Not "lihat" (seeing one's own) nor a certificate alone ("kuis dapat sertifikat?").
 */
const CHECKING_CERTIFICATE = new Set([
  'cek', 'check', 'periksa', 'memeriksa', 'validasi', 'validate', 'asli', 'keaslian', 'palsu', 'keabsahan', 'valid',
  'genuine', 'fake', 'authentic', 'authenticity', ...VERIFYING,
]);
/** Words of a report, after which "verifikasi" is about the report ("verifikasi laporan saya"). */
const OF_REPORT: ReadonlySet<string> = new Set(WORDS.filter(([intent]) => intent === 'report' || intent === 'status').flatMap(([, list]) => list));

/**
 * A request to check a certificate: a checking word beside "sertifikat" ("tolong cek sertifikat glv7 fx2c 7pz8"), or
 * "verifikasi"/"verify" in a sentence about no report ("verify MK67YKE74LBB").
 */
function asksToVerify(list: readonly string[]): boolean {
  // An account of what happened ("kades bagi-bagi sertifikat tanah palsu saat kampanye", "camat ikut kampanye, mohon
  // verifikasi") is a report, whatever its words about checking.
  if (list.some((w) => STORY_WORDS.has(w))) return false;
  if (list.some((w) => CERTIFICATE.has(w))) return list.some((w) => CHECKING_CERTIFICATE.has(w));
  return list.length <= VERIFY_MAX_WORDS && list.some((w) => VERIFYING.has(w)) && !list.some((w) => OF_REPORT.has(w));
}

/** The words of an account, less those the certificate's own title has ("Sertifikat Netralitas ASN"). */
const STORY_WORDS: ReadonlySet<string> = new Set([...TOPIC_WORDS].filter((w) => !['asn', 'pns', 'pppk', 'netral', 'netralitas'].includes(w)));
/** "verify MK67YKE74LBB", "tolong verifikasi kode ini": short; a longer sentence with "verifikasi" is about something else. */
const VERIFY_MAX_WORDS = 5;

/** A report as a thing, which can be withdrawn ("laporan", "report"); not the verb ("lapor kades yang menarik uang"). */
const REPORT_NOUNS = new Set(['laporan', 'laporannya', 'laporanku', 'aduan', 'aduannya', 'pengaduan', 'report', 'complaint']);
/** Withdrawing, before the report: "batalin laporan saya", "cabut laporan yg tadi", "cancel my report". */
const WITHDRAW_BEFORE = new Set([
  'batal', 'batalkan', 'batalin', 'membatalkan', 'cabut', 'cabutin', 'mencabut', 'tarik', 'menarik', 'narik',
  'hapus', 'hapusin', 'menghapus', 'withdraw', 'retract', 'cancel', 'delete',
]);
/**
 * Withdrawing, after the report: "laporan saya yang tadi dibatalkan aja", "laporannya mau saya cabut". Not the verbs an
 * account has ("laporan: kades menarik uang warga", "report: he deleted the post").
 */
const WITHDRAW_AFTER = new Set([
  'batal', 'batalkan', 'batalin', 'cabut', 'cabutin', 'dibatalkan', 'dibatalin', 'dicabut', 'ditarik', 'dihapus', 'withdraw',
  'withdrawn', 'retract', 'retracted',
]);

/**
 * A wish to withdraw a report already sent ("sy mau batalin laporan yg tadi", "can I withdraw my report?"): a word of
 * withdrawing before the report with at most two words between, or one of the after-words at most four words after it.
 */
function asksToWithdraw(list: readonly string[]): boolean {
  return list.some((word, at) => {
    if (!REPORT_NOUNS.has(word)) return false;
    const before = list.slice(Math.max(0, at - 3), at);
    const after = list.slice(at + 1, at + 5);
    return before.some((w) => WITHDRAW_BEFORE.has(w)) || after.some((w) => WITHDRAW_AFTER.has(w));
  });
}

/** The one thing the text asks for, or undefined. */
export function menuIntent(text: string): MenuIntent | undefined {
  if (THANKS_EMOJI.test(text) && THANKS_SIGN.test(text)) return 'thanks';
  const list = normaliseForMatch(text).split(' ').filter((w) => w !== '');
  const words = new Set(list);
  const found = new Set(WORDS.filter(([, list]) => list.some((w) => words.has(w))).map(([intent]) => intent));
  // Withdrawing a report says what it is about as well ("cabut laporanku soal camat kampanye").
  if (asksToWithdraw(list)) return 'withdraw';
  // "Status" beside the subject and no report is a post ("like status caleg", "bikin status wa dukung capres").
  if (found.has('status') && !found.has('report') && list.some((w) => TOPIC_WORDS.has(w) || POST_WORDS.has(w))) found.delete('status');
  // A certificate is the quiz's: "cek sertifikat kuis saya" checks one rather than takes the quiz.
  if (asksToVerify(list)) {
    found.add('verify');
    found.delete('quiz');
  }
  // An account or a question about the subject, perhaps after a greeting: it matters more than the greeting.
  if (list.some((w) => TOPIC_WORDS.has(w)) && [...found].every((i) => i === 'hello' || i === 'salam' || i === 'thanks')) {
    const asks =
      QUESTION_FIRST_WORDS.has(list[0] ?? '') || list.some((w) => ASKING.has(w)) || /\?\s*$/.test(text) || asksIfAllowed(list) || endsAsking(list);
    return asks || list.length < STORY_MIN_WORDS ? 'question' : 'story';
  }
  if (found.size === 0) return undefined;
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
