/**
 * Recognises the short replies people type instead of pressing a button: yes, no, skip, "I don't know".
 * Matching is on whole words after {@link matchKey}, so `Ya, lanjut kak!` is a yes and `yakin?` is not.
 * `batal` (cancel) is deliberately absent: it is a global command handled before any flow step.
 */
import { matchKey } from './normaliseAnswer.ts';
import { normaliseForMatch } from '../shared/texts.ts';

const YES_TOKEN =
  /^(?:y+a*|i+y+a+|iy+e+|ye+s+|yup|yep|ya+p|o+k+|o+k+e+[hy]?|okay|oce|sip+|siap|setuju|lanjut(?:kan)?|benar|betul|bener|boleh|baik|sure|yoi|gas|gapapa|gpp|gakpapa|nggakpapa|ngapapa|tidakapaapa)$/;
/** A thumbs-up, an OK hand or a check mark, alone or repeated, in any skin tone. */
const YES_EMOJI = /^(?=[^]*[\u{1F44D}\u{1F44C}\u{2705}\u{2714}\u{1F197}])(?:[\u{1F44D}\u{1F44C}\u{2705}\u{2714}\u{1F197}\u{1F3FB}-\u{1F3FF}\u{FE0F}]|\s)+$/u;
const NO_TOKEN =
  /^(?:t+i+d+a+k+|tdk|gak|ga|gk|g|nggak|ngga|nggk|enggak|engga|ndak|nda|no+|nope|n|bukan|jangan|belum)$/;
/**
 * Politeness, particles and verbs of wanting that ride along with a yes or no without changing it (`ya kak`, `oke
 * deh`, `gak usah`, `tidak perlu`, `ya mau`, `no need`).
 */
const FILLER_TOKEN =
  /^(?:deh|dong|aja|saja|lah|kok|sih|kak|ka|pak|bu|ibu|bapak|mas|mbak|min|bang|gan|sis|please|thanks|thank|you|makasih|terima|kasih|trims|sudah|udah|jadi|usah|perlu|mau|need)$/;

function tokens(text: string): string[] {
  const key = matchKey(text);
  return key === '' ? [] : key.split(/[^\p{L}\p{N}]+/u).filter((t) => t !== '');
}

/** Forms of address after a greeting ("halo min", "permisi kak"). */
const ADDRESS_AFTER = '(?: (?:min|admin|kak|ka|pak|bu|mas|mbak|bang|gan|sis|bro|all|semua|bot|netra))*';
const SALAM_PHRASE = new RegExp(
  `^(?:assalamu ?alaikum|ass?alamm?u ?alaikum|asw|salam|samlekom)(?: (?:wr|wb|warahmatullahi|wabarakatuh|warahmatullahi wabarakatuh))*${ADDRESS_AFTER}$`,
);
/** A greeting; a part of the day alone ("malam") only with a form of address after it, being a time at a date's question. */
const GREETING_PHRASE = new RegExp(
  `^(?:(?:halo+|hallo+|hai+|hi+|hello|hey|helo|permisi|punten|selamat (?:pagi|siang|sore|malam)|good (?:morning|afternoon|evening)|p|ping|tes|test)${ADDRESS_AFTER}|(?:pagi|siang|sore|malam)${ADDRESS_AFTER.replace(/\*$/, '+')}|(?:masih|msh) (?:di ?situ|di ?sana|ada|aktif|online|bisa)${ADDRESS_AFTER}|(?:are you|r u|you) (?:there|still there)|anyone there)$`,
);
/** "Yg itu aja", "itu": the one answer offered, pointed at without a yes. */
const THAT_ONE = /^(?:(?:y+a+|i+y+a+|ok[a-z]*|betul|benar|bener|yes)\s+)*(?:(?:yang|yg)\s+)?itu(?:\s+(?:aja|saja|deh|dong|kak|min|pak|bu))*$/;

/**
 * A yes to the one answer offered (a category suggested, a code "Mungkin maksud Anda …?", a position "Pakai: …"):
 * `ya`, `iya itu`, `betul yang itu`, `yg itu aja`, `yes, that one`.
 */
export function isYesToOffer(text: string): boolean {
  const key = tokens(text).join(' ');
  return isYesWord(text) || THAT_ONE.test(key) || isYesWord(key.replace(/\b(?:yang itu|yg itu|itu|that one|that)\b/g, ' '));
}

/**
 * What a message is when it is no answer to a question that wants words: a salam, a greeting ("halo min", "masih
 * disitu?"), or a yes or an acknowledgement ("iya", "ok", "lanjut", "iya itu"); undefined for anything else.
 */
export function fillerReply(text: string): 'salam' | 'greeting' | 'yes' | undefined {
  const key = tokens(text).join(' ');
  if (key === '' || key.length > 60) return undefined;
  if (SALAM_PHRASE.test(key)) return 'salam';
  if (GREETING_PHRASE.test(key)) return 'greeting';
  if (isYesToOffer(text)) return 'yes';
  return undefined;
}

/** True for an affirmative reply: `ya`, `iya`, `y`, `yes`, `ok`, `oke`, `setuju`, `lanjut`, `ya kak`, `oke lanjut`. */
export function isYesWord(text: string): boolean {
  if (YES_EMOJI.test(text)) return true;
  const words = tokens(text);
  if (words.length === 0 || words.length > 5) return false;
  return words.some((w) => YES_TOKEN.test(w)) && words.every((w) => YES_TOKEN.test(w) || FILLER_TOKEN.test(w));
}

const DONE_WORDS: ReadonlySet<string> = new Set([
  'selesai', 'sudah', 'sudah selesai', 'cukup', 'sdh', 'udah', 'udh', 'done', 'finish', 'finished', 'that s all', 'thats all',
  'itu saja', 'itu aja', 'sudah itu saja', 'udah itu aja', 'udah itu saja', 'sudah cukup', 'udah cukup', 'cukup itu',
  'segitu saja', 'segitu aja', 'sudah semua', 'udah semua', 'sudah semuanya', 'udah semuanya', 'that is all', 'that s it',
  'thats it', 'im done', 'i m done', 'i am done', 'all done', 'no more', 'nothing more', 'nothing else', 'that s everything',
  'thats everything', 'that is everything', 'dah', 'sdh itu aja', 'udh itu aja', 'dah itu aja', 'dah itu saja', 'dah cukup',
  'udh cukup', 'sdh cukup', 'dah semua', 'udh semua', 'itu aja dah', 'itu aja udah', 'itu aja udh',
]);

/** True for "that's all" (`selesai`, `udah itu aja`, `done`, `I'm done`): at the evidence question, and at "another witness?". */
export function isDoneWord(text: string): boolean {
  return DONE_WORDS.has(tokens(text).join(' ').replace(POLITE_TRAILING, ''));
}

const NO_INDONESIAN_NUMBER =
  /^(?:saya |aku |i )?(?:tidak|tdk|gak|ga|gk|nggak|ngga|enggak|belum|dont|do not|don t) (?:punya|ada|have|has) (?:(?:nomor|nomer|no|hp)(?: hp| telepon| telp| wa)?(?: (?:indonesia|indo|lokal))?|(?:an? )?(?:(?:indonesian|indonesia|local) )?(?:phone |mobile )?(?:number|phone))$/;
/** "Nomor saya Malaysia", "pakai nomor luar negeri", "I have a foreign number": a number abroad, without the number. */
const ABROAD_NUMBER =
  /^(?:(?:saya|aku|i|pakai|pake|cuma|hanya|only|use|have|has|a|an|my|nomor|nomer|no|hp|wa|number|phone|is|ada|punya|nya|lagi|sedang|kerja|bekerja|tinggal|di|in|im|am|work|working|live|living) )*(?:(?:nomor|nomer|no|hp|wa|number) )?(?:luar negeri|luar|ln|abroad|foreign|overseas|malaysia|saudi|arab saudi|hong kong|hongkong|hk|taiwan|singapura|singapore|jepang|japan|korea|brunei|qatar|uae|dubai|kuwait|australia)(?: (?:number|phone|nomor|nomer))?$/;

/**
 * True for "I have no Indonesian number" (`saya tidak punya nomor Indonesia`, `I don't have an Indonesian number`), no
 * number at all (`gak punya hp`), or one only from abroad (`nomor saya Malaysia`, `pakai nomor luar negeri`): answered
 * with how to write a number abroad, and that without one the report can go as initial information.
 */
export function isNoIndonesianNumberWord(text: string): boolean {
  const words = tokens(text).join(' ').replace(POLITE_TRAILING, '');
  return NO_INDONESIAN_NUMBER.test(words) || ABROAD_NUMBER.test(words);
}

const SEND_TOKEN = /^(?:kirim(?:kan|in)?|send|submit)$/;
const SEND_OBJECT_TOKEN = /^(?:laporan(?:nya)?|informasi(?:nya)?|info(?:nya)?|report|information|it|the|sekarang|skrg|skrng|skg|now)$/;

/**
 * True for "send it" typed at a review, whatever the button is called: `kirim laporan` for a tip whose button reads
 * "Kirim informasi", `ya kirim sekarang`, `send the report`.
 */
export function isSendWord(text: string): boolean {
  const words = tokens(text);
  if (words.length === 0 || words.length > 6) return false;
  return (
    words.some((w) => SEND_TOKEN.test(w)) &&
    words.every((w) => SEND_TOKEN.test(w) || SEND_OBJECT_TOKEN.test(w) || YES_TOKEN.test(w) || FILLER_TOKEN.test(w))
  );
}

const REPLY_OBJECT_TOKEN = /^(?:jawaban(?:nya)?|answer|reply|it|sekarang|now)$/;
const COMMAND_PARTICLE_TOKEN = /^(?:aja|saja|dong|deh|ya|yes|ok|oke|please|kak|pak|bu)$/;

/**
 * True for "send the answer" typed as a command, as the button reads (`kirim`, `kirim jawabannya`, `send it`,
 * `ya kirim aja`), and not for an answer that says something was sent (`sudah saya kirim`, `udah kirim kak`).
 */
export function isSendAnswerCommand(text: string): boolean {
  const words = tokens(text);
  if (words.length === 0 || words.length > 4) return false;
  return (
    words.some((w) => SEND_TOKEN.test(w)) &&
    words.every((w) => SEND_TOKEN.test(w) || REPLY_OBJECT_TOKEN.test(w) || COMMAND_PARTICLE_TOKEN.test(w))
  );
}

/**
 * True for a negative reply: `tidak`, `no`, `n`, `gak`, `bukan`, and a negation of a yes (`tidak setuju`,
 * `no thanks`). A reply that mixes both without leading with the negation (`ok tidak`) is neither.
 */
export function isNoWord(text: string): boolean {
  const words = tokens(text);
  const first = words[0];
  if (first === undefined || words.length > 5 || !NO_TOKEN.test(first)) return false;
  return words.every((w) => NO_TOKEN.test(w) || YES_TOKEN.test(w) || FILLER_TOKEN.test(w));
}

const SKIP_PHRASES = new Set([
  'tidak ada', 'tidak', 'lewati', 'skip', 'none', 'no', 'gak ada', 'nggak ada', 'ga ada', 'tdk ada',
  'gk ada', 'ngga ada', 'enggak ada', 'engga ada', 'ndak ada', 'gaada', 'gada', 'nggak', 'gak', 'ga', 'tdk',
  'tidak punya', 'tdk punya', 'gak punya', 'ga punya', 'gk punya', 'nggak punya', 'enggak punya',
  'lewat', 'lewatkan', 'kosong', 'nihil', 'nothing', 'n a', 'na', 'belum ada', 'blm ada', 'tidak ada sama sekali',
  'dont have', 'don t have', 'do not have',
]);
/**
 * Politeness and particles people put after a short answer ("ya kak", "oke deh", "koba pak"), which no answer ends
 * with. One list for every reader of short answers.
 */
export const POLITE_WORDS = ['deh', 'dong', 'kak', 'ka', 'pak', 'bu', 'min', 'ya', 'yah', 'sih', 'please', 'pls'] as const;
/** `words` after the rest of a message, whitespace before each; as a regular expression for its end. */
function trailing(words: readonly string[]): RegExp {
  return new RegExp(`(?:\\s+(?:${words.join('|')}))+\\s*$`, 'i');
}
/** Politeness at the end of a message. */
export const POLITE_TRAILING = trailing(POLITE_WORDS);
/** Politeness and "only" ("anonim aja", "kabupaten bogor saja kak") at the end of a message. */
export const CHATTER_TRAILING = trailing(['aja', 'saja', ...POLITE_WORDS]);
const SKIP_TRAILING_FILLER = trailing(['aja', 'saja', 'dulu', ...POLITE_WORDS]);
/** What the optional question asks for, named after the "none" (`tidak ada bukti`, `gk ada saksi`, `no email`). */
const SKIP_OBJECT =
  /(?: (?:bukti|buktinya|saksi|saksinya|foto|fotonya|link|linknya|tautan|tautannya|e ?mail|e ?mailnya|surel|alamat|alamatnya|nomor|nomornya|kontak|kontaknya|hp|wa|keterangan|keterangannya|detail|detailnya|lagi|lg|lgi|evidence|proof|photos?|links?|witness(?:es)?|address|number|contact|details?|more|yet|any|an|a))+$/;
const DASHES = /^[-‐‑‒–—―−]+$/;
/** "Saya" before the "none" (`saya ga punya email`, `aku gak ada saksi`). */
const SKIP_SUBJECT = /^(?:saya|sy|aku|gw|gue|gua|i) (?=\S)/;

/**
 * True when the reply means "none / skip this optional question": `tidak ada`, `tidak`, `-`, `lewati`,
 * `skip`, `none`, `no`, `gak ada`, `nggak ada`, `ga ada`, `tdk ada` and close colloquial variants
 * (`ga punya`, `skip aja`), also with what is missing named (`gk ada bukti`, `tidak ada saksinya kak`, `no email`)
 * and after "saya" (`saya ga punya email`). The flow decides which questions may be skipped.
 */
export function isSkipWord(text: string): boolean {
  const trimmed = text.normalize('NFKC').trim();
  if (DASHES.test(trimmed)) return true;
  const key = tokens(text).join(' ').replace(SKIP_TRAILING_FILLER, '').replace(SKIP_SUBJECT, '');
  return SKIP_PHRASES.has(key) || SKIP_PHRASES.has(key.replace(SKIP_OBJECT, '').replace(SKIP_TRAILING_FILLER, ''));
}

const NO_WITNESS_PHRASE =
  /^(?:(?:tidak|tdk|ga|gak|gk|g|nggak|ngga|enggak|engga|ndak) (?:ada )?(?:orang )?(?:yang|yg) (?:lihat|liat|melihat|ngeliat|ngelihat|tahu|tau|menyaksikan)(?: (?:selain|kecuali) (?:saya|aku|gue|gw))?|(?:cuma|cuman|hanya|cm|cuma ada) (?:saya|sy|aku|gue|gw)(?: sendiri)?(?: (?:aja|saja))?(?: (?:yang|yg) (?:lihat|liat|melihat|tahu|tau))?|(?:saya|sy|aku|gue|gw) sendiri(?:an)?(?: (?:aja|saja))?(?: (?:yang|yg) (?:lihat|liat|melihat|tahu|tau))?|sendirian|(?:nobody|no one)(?: else)?(?: (?:saw|has seen|seen|was there)(?: it)?)?|only me|just me|(?:there (?:were|was|are|is) )?no (?:other )?(?:witness(?:es)?|one else|body else)(?: (?:there|around))?|(?:(?:none|nobody|no one)(?: of them)? )?i was (?:alone|by myself|on my own))$/;

/**
 * True for "nobody else saw it" at the witness question (`ga ada yg liat selain saya`, `cuma saya`, `saya sendiri`,
 * `nobody`): no witness, not a witness of that name.
 */
export function isNoWitnessWord(text: string): boolean {
  if (NO_WITNESS_PHRASE.test(tokens(text).join(' ').replace(SKIP_TRAILING_FILLER, ''))) return true;
  // "No one, it was online", "gak ada, cuma di fb": none, then why.
  const opening = /^([^,.;:!?—–-]+)[,.;:!?—–-]\s*\S/u.exec(text.trim())?.[1];
  return opening !== undefined && (NO_ONE.test(tokens(opening).join(' ')) || NO_WITNESS_PHRASE.test(tokens(opening).join(' ')));
}

/** None, said first before a reason ("gak ada, …", "no one, …"). */
const NO_ONE = /^(?:(?:tidak|tdk|ga|gak|gk|nggak|ngga|enggak|engga|ndak) ada(?: (?:saksi|saksinya|orang|siapa siapa))?|none|no one|nobody|no witness(?:es)?|no)$/;

const UNKNOWN_PHRASE =
  /^(?:(?:tidak|tdk|ga|gak|gk|g|nggak|ngga|enggak|engga|ndak|belum|blm|blum|belom|kurang) ?(?:tahu|tau|tw|kenal)(?: (?:namanya|nama|orangnya|siapa))?|(?:tidak|tdk|ga|gak|gk|nggak|ngga|enggak|lupa) (?:ingat|inget) namanya|lupa namanya|tidak diketahui|unknown|idk|dunno|no idea|no clue|not sure|(?:im|i am) not sure|(?:i )?(?:dont|do not) know(?: (?:his|her|their|the) name| who(?: (?:he|she|it) is)?| the person)?|not known|name unknown|unknown name|(?:(?:ga|gak|gk|nggak) )?(?:tau|tahu) tuh|entah(?:lah)?|mana (?:saya|sy|aku|gue|gw) tau|who knows)$/;

/**
 * A wish to go on without giving one's identity ("anonim aja", "ga jadi resmi deh, anonim aja", "jadikan informasi
 * awal", "I want to stay anonymous"): at the reporter's questions, the report goes on as initial information.
 */
const ANONYMOUS_WORDS = /\b(?:anonim|anonym|anonymous|anonymously|tanpa (?:nama|identitas)|informasi awal|initial information|ga jadi resmi|gak jadi resmi|tidak jadi resmi|without (?:my )?(?:name|identity))\b/;
export function isAnonymousWish(text: string): boolean {
  const words = tokens(text);
  return words.length > 0 && words.length <= 10 && ANONYMOUS_WORDS.test(words.join(' '));
}

/** True for "I don't know" (`tidak tahu`, `tdk tahu`, `ga tau`, `gatau`, `unknown`, `don't know`, `no idea`). */
export function isUnknownWord(text: string): boolean {
  return UNKNOWN_PHRASE.test(tokens(text).join(' ').replace(POLITE_TRAILING, ''));
}

/** "…, I don't know his name", "…, tidak tahu namanya": a clause saying the name is unknown. */
const UNKNOWN_NAME_CLAUSE =
  /^(?:(?:saya|aku|i) )?(?:(?:tidak|tdk|ga|gak|gk|nggak|ngga|enggak|belum|kurang) ?(?:tahu|tau|kenal|ingat|inget) namanya|lupa namanya|(?:dont|do not) know (?:his|her|their|the) name|idk (?:his|her|their|the) name|(?:his|her|their) name is unknown|nama(?:nya)? tidak diketahui)$/;

/** Between the clauses of an answer: a comma, a semicolon or a spaced dash. */
const CLAUSE_SEPARATOR = /[,;]|\s[-–—]\s/g;

/**
 * True for a description of someone that ends, or starts, saying the name is unknown ("the village head of Sukamaju,
 * I don't know his name", "kepala desa Sukamaju, tidak tahu namanya", "gatau namanya, kades Sukamaju"): no name was
 * given.
 */
export function endsWithUnknownName(text: string): boolean {
  return unknownNameClause(text) !== undefined;
}

/** Where the clause saying the name is unknown stands among two or more clauses, if it ends or starts the text. */
function unknownNameClause(text: string): 'last' | 'first' | undefined {
  const clauses = text.split(CLAUSE_SEPARATOR);
  if (clauses.length < 2) return undefined;
  if (UNKNOWN_NAME_CLAUSE.test(tokens(clauses.at(-1) ?? '').join(' '))) return 'last';
  return UNKNOWN_NAME_CLAUSE.test(tokens(clauses[0] ?? '').join(' ')) ? 'first' : undefined;
}

/** "dia", "beliau itu seorang", "he is the": words before a description that are not part of it. */
const DESCRIPTION_OPENING =
  /^(?:(?:pokoknya|pokok nya|pkoknya|yang jelas|yg jelas|yang pasti|yg pasti|intinya|anyway)\s+)?(?:(?:dia|beliau|orangnya|orang itu|yang dilaporkan|he|she|they)\s+(?:(?:adalah|itu|ini|is|was|are)\s+)?(?:(?:seorang|sebagai|a|an|the)\s+)?)?/i;

/**
 * The description given beside saying the name is unknown: "kepala desa Sukamaju" in "kepala desa Sukamaju, tidak
 * tahu namanya" and in "gatau namanya, kepala desa Sukamaju", "the village head" in "he is the village head, I don't
 * know his name". Undefined when there is none, or when it is no more than words like "dia" or "pokoknya".
 */
export function descriptionBeforeUnknownName(text: string): string | undefined {
  const where = unknownNameClause(text);
  if (where === undefined) return undefined;
  const separators = [...text.matchAll(CLAUSE_SEPARATOR)];
  const cut = where === 'last' ? separators.at(-1)! : separators[0]!;
  const side = where === 'last' ? text.slice(0, cut.index) : text.slice(cut.index + cut[0].length);
  const before = side.trim().replace(DESCRIPTION_OPENING, '').trim();
  const words = tokens(before);
  if (words.length === 0 || words.every((w) => FILLER_TOKEN.test(w) || NOT_A_DESCRIPTION.test(w))) return undefined;
  // "bukan, tidak tahu namanya", "saya tidak tahu, tidak tahu namanya": an answer, not a description.
  const said = before.replace(/^(?:saya|aku|i)\s+/i, '');
  if (isUnknownWord(said) || isNoWord(said) || isYesWord(said) || endsWithUnknownName(`x, ${said}`)) return undefined;
  return before.length >= 3 && before.length <= 150 ? before : undefined;
}

/** Words a position starts with, after a name and a comma ("pak Budi, camatnya", "Budi Santoso, kades Sukamaju"). */
const POSITION_START =
  /^(?:camat|sekcam|lurah|kades|kepala|kadis|kabid|kasi|kasubag|kasubbag|sekdes|sekretaris|staf|staff|pegawai|guru|kepsek|bidan|perawat|dokter|dosen|polisi|tentara|babinsa|perangkat|aparat|kaur|kadus|pns|asn|pppk|p3k|honorer|ketua|anggota)(?:nya)?$/;
/** Words before the position that are not part of it ("pak Budi, dia camat", "Budi, selaku kades"). */
const POSITION_OPENING = /^(?:(?:dia|beliau|yang|yg|selaku|sebagai|jabatan|jabatannya)\s+)+/i;
/** A correction's opening word and its comma ("bukan, …", "no, …", "maaf, …"). */
const CORRECTION_OPENING = /^(?:bukan|salah|no|nope|maaf|sorry|eh)\s*[,.!;:]+\s*(?=\S)/i;

/**
 * A position or an agency without a correction's opening and the words that only introduce it ("bukan, dia kepala
 * sekolah" is "kepala sekolah", "beliau sebagai camat" is "camat"); the text itself when nothing is left after them.
 */
export function withoutOpening(text: string): string {
  const rest = text.trim().replace(CORRECTION_OPENING, '').replace(POSITION_OPENING, '');
  return rest === '' ? text : rest;
}

/**
 * A name followed by the person's position ("pak budi, camatnya", "Budi Santoso, kades Sukamaju"): the name, and the
 * position to offer at the question that comes next. Undefined when what follows the comma does not start with a
 * position's word (titles after a comma, "Budi Santoso, S.Pd.", stay with the name).
 */
export function positionAfterName(text: string): { name: string; position: string } | undefined {
  const at = text.indexOf(',');
  if (at < 0) return positionAfterNameUnmarked(text);
  const position = text.slice(at + 1).trim().replace(POSITION_OPENING, '');
  const first = tokens(position)[0];
  if (first === undefined || !POSITION_START.test(first)) return undefined;
  // "camatnya", "kepala desanya": the position, not "his".
  const bare = position.replace(/nya$/i, '').trim();
  return bare.length >= 3 ? { name: text.slice(0, at).trim(), position: bare } : undefined;
}

/** Titles and forms of address before a name ("Pak H. Darsono"): no name on their own. */
const ADDRESS_WORD = /^(?:pak|bapak|bpk|bu|ibu|sdr|sdri|saudara|saudari|h|hj|haji|hajjah|dr|drs|dra|ir|mas|mbak|mba|bang|kak|om|tante)$/;

/**
 * "Pak H. Darsono Kades Sukamaju", "Budi Santoso kepala dinas pendidikan": a position's word after the name with no
 * comma between. Only after a word that is not a form of address, so "Pak Camat" stays a description.
 */
function positionAfterNameUnmarked(text: string): { name: string; position: string } | undefined {
  const words = text.trim().split(/\s+/);
  const plain = (word: string) => word.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  const at = words.findIndex((word, i) => i > 0 && POSITION_START.test(plain(word)));
  if (at < 1 || !words.slice(0, at).some((word) => plain(word) !== '' && !ADDRESS_WORD.test(plain(word)))) return undefined;
  const position = words.slice(at).join(' ').replace(/nya$/i, '').trim();
  return position.length >= 3 ? { name: words.slice(0, at).join(' '), position } : undefined;
}

const NOT_A_DESCRIPTION = /^(?:dia|beliau|orangnya|orang|itu|ini|pokoknya|maaf|sorry|he|she|they|him|her|the|a|an|yang|pokok|pokonya)$/;

const KEEP_PHRASE =
  /^(?:tetap|tetap saja|tetap aja|tetap sama|sama saja|sama aja|sama seperti tadi|sama seperti sebelumnya|seperti tadi|seperti semula|biarkan|biar(?:kan)? saja|biarin(?: aja| saja)?|biar aja|(?:(?:pakai|pake) )?(?:yang|yg) (?:lama|sebelumnya)(?: aja| saja)?|tidak (?:diubah|berubah)|gak berubah|ga berubah|nggak berubah|jangan diubah|keep|keep it|keep the old one|the old one|same as before|unchanged|no change)$/;

/**
 * True for "keep the earlier answer" (`tetap`, `sama saja`, `seperti semula`, `tidak diubah`, `keep`), while editing
 * from the review. A bare `sama` or `same` counts only with `sameMeansKeep`: at the date questions it means "the
 * same day".
 */
export function isKeepWord(text: string, sameMeansKeep = true): boolean {
  const key = tokens(text).join(' ').replace(POLITE_TRAILING, '');
  return KEEP_PHRASE.test(key) || (sameMeansKeep && (key === 'sama' || key === 'same'));
}

const EARLIER_PHRASE =
  /^(?:(?:pakai|pake|pakek|pk|gunakan|ambil|use|sama|seperti|kayak|kaya|same as|just) )*(?:(?:yang|yg|cerita|ceritanya|kronologi|the|that|one|story|my) )*(?:tadi|td|sebelumnya|di atas|diatas|barusan|above|earlier|before|what i wrote|what i said|what i typed)$/;
/** "Udh sy ceritain td", "sudah saya ceritakan tadi", "I already told you": the story written earlier. */
const TOLD_ALREADY =
  /^(?:(?:kan|kn|loh|lho|kak|min) )*(?:udah|udh|sudah|sdh|dah|tadi|td) (?:(?:saya|sy|aku|ak|gue|gw) )?(?:ceritain|ceritakan|diceritain|diceritakan|cerita|tulis|tulisin|ditulis|jelasin|jelaskan|kasih tau|bilang)(?: (?:tadi|td|di atas|diatas|sebelumnya|barusan))?$|^i (?:already )?(?:told you|wrote it|wrote that|said it)(?: (?:already|before|above|earlier))?$/;

/**
 * True for "the one I wrote before" (`pake yg tadi`, `cerita yang tadi aja`, `use what I wrote`), typed where a story
 * written earlier is offered as the description.
 */
export function isEarlierWord(text: string): boolean {
  const words = tokens(text).join(' ').replace(CHATTER_TRAILING, '');
  return EARLIER_PHRASE.test(words) || TOLD_ALREADY.test(words);
}

/** "… tp tambahin:", "… and add:": where what is added to an earlier story starts. */
const ADDING =
  /^(.+?)[\s,.;]+(?:(?:tapi|tp|dan|plus|terus|trus|and|but)\s+)?(?:tambahin|tambahkan|tambah|ditambah|ditambahin|ditambahkan|tambahannya|tambahan|add|also)\b(?:\s+(?:ini|dengan|dgn|sama|this))?\s*[:,-]?\s*(\S[\s\S]*)$/i;

/**
 * What is added to a story written earlier (`pakai yg tadi aja tp tambahin: habis jumatan warga dikumpulin`, `use what
 * I wrote and add: …`), typed where that story is offered as the description; undefined for anything else. The words
 * before it must name the earlier story in two words or more: "tadi tambah ramai, …" is a story of its own.
 */
export function storyAddition(text: string): string | undefined {
  const adding = ADDING.exec(text.normalize('NFKC').trim());
  const earlier = adding?.[1] ?? '';
  return adding && tokens(earlier).length >= 2 && isEarlierWord(earlier) ? adding[2]?.trim() : undefined;
}

const SAME_DAY_PHRASE =
  /^(?:(?:ya|iya|yes) )?(?:(?:pas|pada|di|waktu|saat|ketika|on) )?(?:sama|sama saja|sama aja|(?:hari|hr) (?:yang |yg )?sama(?: (?:juga|jg))?|(?:hari|hr) itu(?: (?:juga|jg|jga))?|same|same day|the same day|that day|that same day)$/;

/**
 * True for "the same day as the event" (`sama`, `hari yang sama`, `hari itu juga`, `pas hari itu jg`, `same day`),
 * typed at the learned date.
 */
export function isSameDayWord(text: string): boolean {
  return SAME_DAY_PHRASE.test(tokens(text).join(' ').replace(POLITE_TRAILING, ''));
}

/**
 * What people call each employment status, by the value of its choice; 'asn' names two of them. Words that can
 * mean more than one are left out: an acting village head (Pj kades) and some village secretaries are PNS, and
 * "contract staff" may be PPPK.
 */
const EMPLOYMENT_PHRASES: ReadonlyMap<string, 'pns' | 'pppk' | 'village' | 'tniPolri' | 'nonAsn' | 'asn'> = new Map([
  // Only a PNS can be appointed camat. "Lurah" is left out: in Yogyakarta and in everyday Javanese it is also the
  // elected village head.
  ...['pns', 'cpns', 'pegawai negeri', 'pegawai negeri sipil', 'camat'].map((p) => [p, 'pns'] as const),
  ...['pppk', 'p3k', 'pppk paruh waktu', 'p3k paruh waktu', 'pegawai pemerintah dengan perjanjian kerja'].map((p) => [p, 'pppk'] as const),
  ...[
    'kades', 'kepala desa', 'kuwu', 'keuchik', 'geuchik', 'wali nagari', 'kepala kampung', 'perbekel', 'petinggi',
    'hukum tua', 'kepala lembang', 'kepala pekon', 'perangkat desa', 'aparat desa', 'aparatur desa', 'kadus',
    'kepala dusun', 'kaur', 'kasi desa', 'staf desa', 'village head', 'village official', 'village officials',
    'village staff',
  ].map((p) => [p, 'village'] as const),
  ...[
    'tni', 'polri', 'tni polri', 'tni ad', 'tni al', 'tni au', 'polisi', 'polwan', 'brimob', 'tentara', 'babinsa',
    'bhabinkamtibmas', 'police', 'police officer', 'policeman', 'policewoman', 'army', 'army officer', 'military',
    'soldier',
  ].map((p) => [p, 'tniPolri'] as const),
  ...['honorer', 'tenaga honorer', 'pegawai honorer', 'non asn', 'nonasn', 'ppnpn', 'thl', 'honorary', 'honorary staff'].map(
    (p) => [p, 'nonAsn'] as const,
  ),
  ...['asn', 'aparatur sipil negara', 'civil servant'].map((p) => [p, 'asn'] as const),
]);
/** Words around the status that do not change it (`dia kades`, `pak kades`, `guru PNS`, `saya PNS`, `he is a soldier`). */
const EMPLOYMENT_LEADING =
  /^(?:(?:dia|beliau|ia|saya|aku|seorang|sebagai|status|statusnya|adalah|itu|anggota|pak|bu|bapak|ibu|guru|he|she|i|am|im|is|a|an|member|of|teacher|mungkin|kayaknya|kayanya|kyknya|sepertinya|maybe|probably) )+/;
/** Doubt after a status ("PNS kayaknya", "PPPK kalau tidak salah"): the status is still the answer, to be checked by officers. */
const EMPLOYMENT_HEDGE =
  /(?: (?:kayaknya|kayanya|kyknya|kayak nya|sepertinya|mungkin|kali|kalau tidak salah|kalau gak salah|kalo gak salah|kalo ga salah|klo ga salah|klo gak salah|kalau ga salah|i think|probably|maybe|i guess))+$/;

/** A grade after the status ("PNS golongan IV", "pppk gol 9", "PNS pangkat III/a"): the status is still the answer. */
const EMPLOYMENT_GRADE = / (?:golongan|gol|pangkat|grade|ruang)(?: [a-z0-9]{1,4}){1,2}$/;
/** Words that make a position name more than one status ("PNS atau PPPK"): no status is read from its first words. */
const EITHER = /\b(?:atau|or|dan|and|bukan|not|mantan|former|eks|ex)\b/;

/**
 * The employment status a typed answer names (`kades`, `P3K`, `polisi`, `honorer`, `statusnya PNS`, `ASN PNS`), or
 * 'asn' when it names only ASN, which is PNS or PPPK. Undefined when it names none, or one that could be either.
 * `leading`: a position, whose first words may name the status before the place or office (`Camat Koba`, `Kepala Desa
 * Sukamaju`, `polisi Polsek Koba`).
 */
export function employmentFromWords(text: string, options: { leading?: boolean } = {}): 'pns' | 'pppk' | 'village' | 'tniPolri' | 'nonAsn' | 'asn' | undefined {
  const key = tokens(text).join(' ').replace(EMPLOYMENT_GRADE, '').replace(POLITE_TRAILING, '').replace(EMPLOYMENT_HEDGE, '').replace(POLITE_TRAILING, '');
  const named = EMPLOYMENT_PHRASES.get(key.replace(EMPLOYMENT_LEADING, ''));
  if (named !== undefined) return named;
  if (options.leading && !EITHER.test(key)) {
    const words = key.replace(EMPLOYMENT_LEADING, '').split(' ');
    for (let n = Math.min(words.length - 1, 5); n >= 1; n -= 1) {
      const first = EMPLOYMENT_PHRASES.get(words.slice(0, n).join(' '));
      if (first !== undefined) return first;
    }
  }
  // "ASN PNS" and "PPPK ASN" say which kind of ASN.
  const withoutAsn = key.split(' ').filter((word) => word !== 'asn').join(' ');
  return withoutAsn === '' || withoutAsn === key ? undefined : EMPLOYMENT_PHRASES.get(withoutAsn.replace(EMPLOYMENT_LEADING, ''));
}

/** Asking to take back evidence: the verb, and what may be named after it. */
const REMOVE_VERB = '(?:(?:tolong|mohon|please|pls|min|kak) )*(?:hapus|hapuskan|hapusin|buang|cabut|delete|remove|drop)(?: (?:aja|saja|dong))?';
/** The words for a piece of evidence, and the kind each one names (none: any piece). */
const EVIDENCE_NOUNS: ReadonlyArray<readonly [string, EvidenceKind | undefined]> = [
  ['bukti|buktinya|evidence|item|the|yang|yg|itu', undefined],
  ['foto|fotonya|gambar|gambarnya|screenshot|ss|photo|picture|image', 'photo'],
  ['video|videonya', 'video'],
  ['dokumen|dokumennya|document|pdf', 'document'],
  ['file|filenya|berkas', 'file'],
  ['tautan|tautannya|link|linknya', 'link'],
];
const EVIDENCE_NOUN = `(?:${EVIDENCE_NOUNS.map(([words]) => words).join('|')})`;
const LAST_WORDS = '(?:terakhir|tadi|barusan|last|last one|latest|most recent)';
/** Ordinals as people type them for a piece ("hapus yg kedua"). */
const ORDINAL_NUMBERS: Readonly<Record<string, number>> = {
  pertama: 1, kesatu: 1, first: 1, kedua: 2, second: 2, ketiga: 3, third: 3, keempat: 4, fourth: 4, kelima: 5, fifth: 5,
  keenam: 6, sixth: 6, ketujuh: 7, seventh: 7, kedelapan: 8, eighth: 8, kesembilan: 9, ninth: 9, kesepuluh: 10, tenth: 10,
};
const NUMBER = `(\\d{1,2}|${Object.keys(ORDINAL_NUMBERS).join('|')})`;
const REMOVE_NUMBERED = new RegExp(`^${REMOVE_VERB}((?: ${EVIDENCE_NOUN})*) (?:(?:ke|nomor|no|number|nr) ?)?${NUMBER}$`);
const REMOVE_LAST = new RegExp(`^${REMOVE_VERB}((?: ${EVIDENCE_NOUN})*) ${LAST_WORDS}((?: ${EVIDENCE_NOUN})*)$`);
/** "Salah kirim", "yg terakhir salah kirim, hapus aja", "oops wrong link": the last one sent was a mistake. */
const SENT_BY_MISTAKE = new RegExp(
  `^(?:(?:${EVIDENCE_NOUN}|${LAST_WORDS}) )*(?:salah kirim|salah|keliru|wrong|wrong one|sent by mistake)((?: ${EVIDENCE_NOUN})*)(?: (?:kirim|${LAST_WORDS}))?(?: ${REMOVE_VERB}(?: ${EVIDENCE_NOUN})*)?(?: (?:${LAST_WORDS}|that))?$`,
);
/** Interjections before the request ("eh", "eh salah,", "oops", "maaf"). */
const LEADING_OOPS = /^(?:(?:eh|eh salah|ups|oops|oop|maaf|sorry|aduh|waduh|astaga|loh|lho) )+/;

/** What a piece of evidence is, as people name it: a photo (or an image sent as a file), a video, a document, any file, a link. */
export type EvidenceKind = 'photo' | 'video' | 'document' | 'file' | 'link';

/**
 * Which evidence to take back: one by its number in the list (from 1), with the kind it was called by ("hapus foto 2");
 * the last one sent (of a kind, if named); or, for the verb alone ("hapus"), which is to be asked.
 */
export type EvidenceRemoval = { number: number; kind?: EvidenceKind } | { last: true; kind?: EvidenceKind } | { unnamed: true };

/** The kind the words before or after a number or "the last" name, if any. */
function kindNamed(words: string): EvidenceKind | undefined {
  return words
    .trim()
    .split(' ')
    .map((word) => EVIDENCE_NOUNS.find(([nouns]) => nouns.split('|').includes(word))?.[1])
    .find((kind) => kind !== undefined);
}

function lastOf(kind: EvidenceKind | undefined): EvidenceRemoval {
  return kind ? { last: true, kind } : { last: true };
}

/**
 * Evidence taken back at the evidence question ("hapus bukti 2", "hapus yg kedua", "hapus yang terakhir", "hapus foto
 * tadi", "salah kirim", "remove the last link", "delete evidence 3"); undefined for anything else ("hapus semua bukti"
 * is the choice that removes all; "undo" could as well mean a removal undone, and is not read).
 */
export function evidenceToRemove(text: string): EvidenceRemoval | undefined {
  const words = normaliseForMatch(text).replace(CHATTER_TRAILING, '').trim().replace(LEADING_OOPS, '');
  if (new RegExp(`^${REMOVE_VERB}$`).test(words)) return { unnamed: true };
  const numbered = REMOVE_NUMBERED.exec(words);
  if (numbered) {
    const kind = kindNamed(numbered[1] ?? '');
    const said = numbered[2] ?? '';
    const number = /^\d+$/.test(said) ? Number(said) : (ORDINAL_NUMBERS[said] ?? 0);
    return kind ? { number, kind } : { number };
  }
  const last = REMOVE_LAST.exec(words);
  if (last) return lastOf(kindNamed(`${last[1] ?? ''} ${last[2] ?? ''}`));
  return SENT_BY_MISTAKE.test(words) ? lastOf(kindNamed(words)) : undefined;
}
