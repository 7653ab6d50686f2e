/**
 * The part of every turn that comes before the active flow: global commands (`/batal`, `/bahasa`, `/lapor`, ...),
 * their WhatsApp-style keywords (`batal`, `menu`), and typed answers to the choices on screen ("2" -> the second
 * choice). Pure: it decides, the runtime acts.
 */
import type { FlowId } from './flow.ts';
import { menuIntent } from './menu/menuIntent.ts';
import type { Choice, InboundEvent, OutboundMessage, TextParams } from './messages.ts';
import { CHATTER_TRAILING, fillerReply, isNoWord, isYesWord } from './report/answerWords.ts';
import { isQuestion } from './report/validateText.ts';
import { matchChoice } from './shared/matchChoice.ts';
import { ownValue } from './shared/ownValue.ts';
import { normaliseForMatch } from './shared/texts.ts';
import { typedCertificateCode } from './verify/certificateCode.ts';

/** What the runtime should do with an inbound event. */
export type Route =
  | { type: 'forward'; event: InboundEvent }
  /**
   * `confirm`: ask first if the active flow has unsaved work (every switch but an explicit cancel). `cancel`: the
   * user's explicit cancel, which asks only where the flow says finished work would be lost (`confirmsCancel`).
   */
  | { type: 'startFlow'; flow: FlowId; params: Record<string, unknown>; confirm?: boolean; cancel?: boolean }
  /** The answer to "leave this flow?": go to `flow` (`cancelled`: the question was a cancel's), or stay. */
  | { type: 'leaveFlow'; flow: FlowId; cancelled?: boolean; params?: Record<string, unknown> }
  | { type: 'stayInFlow' }
  | { type: 'toggleLocale' }
  | { type: 'setLocale'; locale: 'id' | 'en' }
  | { type: 'help'; event: InboundEvent }
  /** Says `key` (after `lead`, when given) and asks the question on screen again. */
  | { type: 'inform'; key: string; params?: TextParams; lead?: string }
  | { type: 'unknownCommand'; name: string };

/** What the router knows of the chat. */
export interface RouteState {
  /** The active flow; undefined for a chat the bot has never seen (or one that had to be reset). */
  flow: FlowId | undefined;
  /** The question on screen, whose choices a typed answer may name. */
  prompt: OutboundMessage | null;
}

const flowCommands: Record<string, FlowId> = {
  lapor: 'report',
  report: 'report',
  kuis: 'quiz',
  quiz: 'quiz',
  belajar: 'learn',
  learn: 'learn',
  status: 'status',
  cek: 'status',
  verifikasi: 'verify',
  verify: 'verify',
  jawab: 'reply',
  answer: 'reply',
  menu: 'menu',
};

/** Deep-link payloads of `/start <payload>`. */
const startPayloads: Record<string, FlowId> = {
  lapor: 'report',
  report: 'report',
  kuis: 'quiz',
  quiz: 'quiz',
  belajar: 'learn',
  learn: 'learn',
  status: 'status',
};

/** Whole-message keywords, for channels without slash commands (WhatsApp) and for people who type them. */
const keywords: Record<string, string> = {
  menu: 'menu',
  batal: 'batal',
  cancel: 'batal',
  bantuan: 'bantuan',
  help: 'bantuan',
  bahasa: 'bahasa',
  language: 'bahasa',
  privasi: 'privasi',
  privacy: 'privasi',
};

/**
 * Asking for one's own certificate in words, as on WhatsApp. Not a keyword: it never takes the place of a choice on
 * screen ("Ya, buat sertifikat"), nor of the answer to a question that wants words typed (the certificate check's
 * "type the code").
 */
const certificatePhrases = new Set([
  'sertifikat',
  'sertifikat saya',
  'sertifikat kuis saya',
  'minta sertifikat',
  'minta sertifikat saya',
  'kirim sertifikat saya',
  'kirim ulang sertifikat',
  'kirim ulang sertifikat saya',
  'certificate',
  'my certificate',
  'send my certificate',
  'send my certificate again',
  'get my certificate',
]);
/** The same asked in more words: "can I get my certificate now?", "sy mau ambil sertifikatnya sekarang". */
const CERTIFICATE_ASK =
  /^(?:(?:can|could|may) i |i (?:want|would like|d like) to |(?:saya |sy |aku )?(?:mau|minta|bisa|boleh|ingin) )?(?:get|have|receive|download|dapat|dapatkan|ambil|unduh|kirim(?: ulang)?|minta) (?:my |the )?(?:sertifikat(?:nya| saya| sy)?|certificate)(?: (?:now|sekarang|please|dong|ya|kak|again|lagi))*$/;

/**
 * Commands and keywords that exist in one language only. The language commands are left out: they switch
 * languages, so they say nothing of the one the user reads.
 */
const wordLanguage: Record<string, 'id' | 'en'> = {
  lapor: 'id',
  report: 'en',
  kuis: 'id',
  quiz: 'en',
  belajar: 'id',
  learn: 'en',
  cek: 'id',
  verifikasi: 'id',
  verify: 'en',
  jawab: 'id',
  answer: 'en',
  batal: 'id',
  cancel: 'en',
  bantuan: 'id',
  help: 'en',
  privasi: 'id',
  privacy: 'en',
  sertifikat: 'id',
  certificate: 'en',
};

/**
 * The language a message is plainly written in, when its command or keyword exists in one language only
 * (`/report`, `/start quiz`, "help"); undefined otherwise. The runtime greets a chat it has never seen in this
 * language when the channel reports none (the terminal, WhatsApp).
 */
export function languageOfCommand(event: { type: string; name?: string; args?: string; text?: string }): 'id' | 'en' | undefined {
  if (event.type === 'user.sendCommand' && event.name !== undefined) {
    const name = event.name.toLowerCase();
    return ownValue(wordLanguage, name === 'start' ? (event.args ?? '').trim().toLowerCase() : name);
  }
  if (event.type === 'user.sendText' && event.text !== undefined) {
    const word = normaliseForMatch(event.text);
    if (ownValue(keywords, word)) return ownValue(wordLanguage, word);
    return languageOfSentence(word);
  }
  return undefined;
}

/** Short words only one of the two languages uses, to tell which one a first sentence is written in. */
const ENGLISH_WORDS = new Set([
  'i', 'im', 'want', 'would', 'like', 'to', 'the', 'a', 'an', 'is', 'are', 'was', 'who', 'what', 'how', 'my', 'me', 'you',
  'hello', 'hi', 'good', 'morning', 'evening', 'please', 'can', 'report', 'civil', 'servant', 'of', 'and', 'he', 'she',
  'this', 'that', 'with', 'in', 'on', 'for', 'about', 'thank', 'thanks',
]);
const INDONESIAN_WORDS = new Set([
  'saya', 'aku', 'mau', 'ingin', 'yang', 'di', 'ke', 'dan', 'ini', 'itu', 'ada', 'tidak', 'apa', 'bagaimana', 'pak', 'bu',
  'halo', 'selamat', 'pagi', 'siang', 'sore', 'malam', 'tolong', 'bisa', 'lapor', 'melaporkan', 'dengan', 'untuk',
  'dari', 'kampanye', 'terima', 'kasih', 'kak', 'min', 'gimana', 'mohon', 'dia', 'beliau', 'sudah', 'belum',
]);

/** "I want to report a civil servant who…": English when it has at least two English words and more than Indonesian. */
function languageOfSentence(normalised: string): 'en' | undefined {
  const words = normalised.split(' ').slice(0, 40);
  const english = words.filter((w) => ENGLISH_WORDS.has(w)).length;
  const indonesian = words.filter((w) => INDONESIAN_WORDS.has(w)).length;
  return english >= 2 && english > indonesian ? 'en' : undefined;
}

/** Names people give the two languages after `/bahasa`, `/language` or the keyword ("bahasa inggris"). */
const languageNames: Record<string, 'id' | 'en'> = {
  id: 'id',
  ind: 'id',
  indo: 'id',
  indonesia: 'id',
  indonesian: 'id',
  'bahasa indonesia': 'id',
  en: 'en',
  eng: 'en',
  english: 'en',
  inggris: 'en',
  'bahasa inggris': 'en',
};

/**
 * Words before "bahasa …" that ask for it ("pake bahasa inggris aja", "ganti ke bahasa indonesia", "switch to language
 * english", "in english please", "can we continue in english?"): dropped with politeness and "aja" at the end.
 */
const LANGUAGE_ASKING =
  /^(?:(?:pake|pakai|ganti|gunakan|ubah|mau|minta|tolong|bisa|boleh|lanjut|lanjutkan|switch|change|use|please|pls|can|could|we|you|i|speak|talk|write|reply|continue|go|on|to|ke|dalam|in|actually|sorry|ok|okay|oh|eh|hmm|maaf|sebenarnya|sebetulnya|aduh|wait)\s+)+/;

/** A whole message that names a language after the keyword ("bahasa inggris", "language english", "in english please"). */
function languageKeyword(word: string): string | undefined {
  const match = /^(?:bahasa|language)\s+(.+)$/.exec(word);
  if (match && ownValue(languageNames, match[1] ?? '')) return match[1];
  // Asked for in more words: the language named after them, with or without the keyword.
  const asked = word.replace(CHATTER_TRAILING, '').trim();
  const rest = asked.replace(LANGUAGE_ASKING, '');
  // A language's name alone asks for it only with politeness around it ("english please", "inggris aja").
  if (rest === asked && asked === word) return undefined;
  const name = /^(?:bahasa|language)\s+(.+)$/.exec(rest)?.[1] ?? rest;
  return ownValue(languageNames, name) && name.length > 3 ? name : undefined;
}

/**
 * Whole messages that move around rather than answer, as people write them ("kembali dong", "go back", "batal aja",
 * "stop", "main menu"): read after politeness and "aja" are dropped from their end. A free-text question never takes
 * them as its answer.
 */
const navigationPhrases: Record<string, 'back' | 'batal' | 'menu'> = {
  kembali: 'back',
  back: 'back',
  sebelumnya: 'back',
  sblmnya: 'back',
  previous: 'back',
  'go back': 'back',
  balik: 'back',
  mundur: 'back',
  'kembali ke sebelumnya': 'back',
  'kembali ke pertanyaan sebelumnya': 'back',
  'pertanyaan sebelumnya': 'back',
  'previous question': 'back',
  'back to the previous question': 'back',
  'go to the previous question': 'back',
  'go back one step': 'back',
  batalkan: 'batal',
  'batal saja': 'batal',
  'batalkan saja': 'batal',
  'batalkan laporan': 'batal',
  'batalkan laporannya': 'batal',
  stop: 'batal',
  berhenti: 'batal',
  'cancel it': 'batal',
  'cancel this': 'batal',
  'cancel the report': 'batal',
  'never mind': 'batal',
  nevermind: 'batal',
  'forget it': 'batal',
  'menu utama': 'menu',
  'ke menu': 'menu',
  'ke menu utama': 'menu',
  'kembali ke menu': 'menu',
  'kembali ke menu utama': 'menu',
  'main menu': 'menu',
  'back to menu': 'menu',
  'back to the menu': 'menu',
  'back to the main menu': 'menu',
  'go to the menu': 'menu',
  'balik ke menu': 'menu',
  'balik ke menu utama': 'menu',
  keluar: 'menu',
  'keluar dulu': 'menu',
  exit: 'menu',
};

/** The words that always mean what they say, whatever the choices on screen: the keywords, and back. */
const exactBackWords: ReadonlySet<string> = new Set(['kembali', 'back', 'sebelumnya', 'previous']);

/** The keyword the whole message is exactly ("batal", "menu", "kembali"). */
function exactWord(text: string): string | undefined {
  const word = normaliseForMatch(text);
  return ownValue(keywords, word) ?? (exactBackWords.has(word) ? 'back' : undefined);
}

/** A keyword or a navigation phrase the whole message is, after the politeness at its end ("batal aja", "go back"). */
function wholeMessageWord(text: string): string | undefined {
  const exact = exactWord(text);
  if (exact) return exact;
  const bare = normaliseForMatch(text).replace(CHATTER_TRAILING, '').trim();
  return ownValue(keywords, bare) ?? ownValue(navigationPhrases, bare) ?? (isChangeOfMind(bare) ? 'batal' : undefined);
}

/**
 * Asking what the question means, as a whole message where words are typed: the question's help, never its answer (it
 * was kept as the reported person's agency). Beside choices the flow reads them itself (the quiz explains its last
 * answer for "maksudnya?").
 */
const HELP_PHRASES: ReadonlySet<string> = new Set([
  'maksudnya', 'maksudnya apa', 'apa maksudnya', 'maksud nya apa', 'maksudnya gimana', 'maksudnya gmn', 'gimana maksudnya',
  'gmn maksudnya', 'maksudnya bagaimana', 'bagaimana maksudnya', 'ini maksudnya apa', 'itu maksudnya apa', 'apa itu',
  'ga ngerti', 'gak ngerti', 'gk ngerti', 'nggak ngerti', 'ngga ngerti', 'tidak mengerti', 'saya tidak mengerti',
  'sy ga ngerti', 'saya ga ngerti', 'tidak paham', 'ga paham', 'gak paham', 'kurang paham', 'saya kurang paham', 'bingung',
  'saya bingung', 'what do you mean', 'what does that mean', 'what does this mean', 'i dont understand', 'i do not understand',
]);

/** "Not" as people type it before "jadi": "ga jadi" is a change of mind. */
const NOT_WORDS: ReadonlySet<string> = new Set(['ga', 'gak', 'gk', 'g', 'ngga', 'nggak', 'ngak', 'enggak', 'engga', 'ndak', 'nda', 'tidak', 'tdk', 'tak']);
/** Words that call it off alone: "batalin", "gajadi". */
const CALL_OFF_WORDS: ReadonlySet<string> = new Set(['batal', 'batalkan', 'batalin', 'gajadi', 'gakjadi', 'gkjadi', 'nggakjadi', 'gjadi']);
/** Words around a change of mind that add nothing to it: "saya ga jadi lapor deh", "yaudah batalin aja". */
const CHANGE_OF_MIND_FILLER: ReadonlySet<string> = new Set([
  'jadi', 'lapor', 'melapor', 'ngelapor', 'laporan', 'laporannya', 'laporanku', 'mau',
  'mo', 'saya', 'sy', 'aku', 'gue', 'gw', 'udah', 'udh', 'sudah', 'yaudah', 'yauda', 'yasudah', 'deh', 'aja', 'saja',
  'dong', 'ya', 'yah', 'sih', 'kak', 'min', 'pak', 'bu', 'dulu', 'ini', 'nya',
  ...NOT_WORDS,
  ...CALL_OFF_WORDS,
]);

/**
 * A whole message that only calls the report off, as people write it: "ga jadi", "gak jadi lapor", "ga jadi deh,
 * batal", "sy mau batalin aja". Without this, such a message at a free-text question became its answer (the name of
 * the person reported, say) while its writer thought the report was cancelled. Every word must be one of these: a
 * message with anything else in it ("rapat batal karena hujan") is an answer.
 */
function isChangeOfMind(bare: string): boolean {
  const words = bare.split(' ').filter((w) => w !== '');
  if (words.length === 0 || words.length > 8 || !words.every((w) => CHANGE_OF_MIND_FILLER.has(w))) return false;
  const notThenJadi = words.some((w, i) => NOT_WORDS.has(w) && words[i + 1] === 'jadi');
  return notThenJadi || words.some((w) => CALL_OFF_WORDS.has(w));
}

/** The choice on screen the text names, if any. */
function choiceOnScreen(text: string, state: RouteState): Choice | undefined {
  return state.flow && state.prompt?.type === 'text' && state.prompt.choices?.length ? matchChoice(text, state.prompt.choices) : undefined;
}

/** Choice values of the leave-or-stay question the runtime asks. */
export const LEAVE_PREFIX = 'leave:';
export const STAY_VALUE = 'leave:stay';
/** After the flow in a leave choice's value: the flow is started to send the certificate (`/sertifikat`). */
export const CERTIFICATE_MARK = ':certificate';

/** Before the arguments a leave choice's value carries (`leave:quiz=sanctions`). */
export const ARGS_MARK = '=';
/** The most characters of arguments a leave choice carries (its value travels in Telegram's 64-byte callback data). */
export const CARRIED_ARGS_MAX = 32;

/**
 * The leave choice's value for starting `flow` with `params`: a mark without personal data, and `carried`, what the
 * target flow lets ride of the command's arguments (see `FlowDefinition.carriedArgs`), when it is short enough.
 */
export function leaveValue(flow: FlowId, params: Record<string, unknown> = {}, carried?: string): string {
  const args = carried && carried.length <= CARRIED_ARGS_MAX && !carried.includes(':') ? `${ARGS_MARK}${carried}` : '';
  return `${LEAVE_PREFIX}${flow}${params.certificate === true ? CERTIFICATE_MARK : ''}${args}`;
}

/** The text of the runtime's question before a cancel throws away finished work (see `confirmsCancel`). */
export const CANCEL_QUESTION_KEY = 'common.cancelConfirm';

/** The choices that give an answer offered or held ("Pakai: kades Sukamaju", "Biarkan: Dinas Pendidikan"). */
const SUGGESTION_VALUES: ReadonlySet<string> = new Set(['keep', 'hint']);

/**
 * A greeting typed at any question of a flow is returned, and the question asked again. At a question for a field in
 * the user's words (`field`: "halo" after a pause, "iya" to the position offered, "ok" under "Biarkan: Dinas
 * Pendidikan" had been stored as the field), a question gets the question's help (not in an account), and a yes takes
 * the one answer offered or held, if there is one, or is said to be no answer. There, and at the report's other
 * questions, a short wish to go elsewhere ("cek status laporan sy") is that command.
 */
function fieldFiller(text: string, at: string, prompt: OutboundMessage | null, state: RouteState): Route | undefined {
  if (prompt?.type !== 'text') return undefined;
  const filler = fillerReply(text);
  // A greeting is no answer to any question: returned, and the question asked again ("halo" at the summary too).
  if (filler === 'salam') return { type: 'inform', lead: 'menu.salam', key: 'common.carryOn' };
  if (filler === 'greeting') return { type: 'inform', lead: 'menu.hello', key: 'common.carryOn' };
  // "cek status laporan sy", "mau ikut kuis dulu" at a short field or at one of the report's dates and choices: a wish
  // to go elsewhere (asked first, as the command is), never the reported person's name. Not in an account.
  if (prompt.field === 'short' || (prompt.field === undefined && state.flow === 'report')) {
    const elsewhere = flowAskedFor(text, state.flow);
    if (elsewhere) return routeCommand(elsewhere, '', { type: 'user.sendText', at, text }, state);
  }
  if (prompt.field === undefined) return undefined;
  // "Why do you need this?": the question's help, never its answer (an account may hold a question of its own).
  if (prompt.field === 'short' && isQuestion(text)) return { type: 'help', event: { type: 'user.askHelp', at } };
  if (filler === undefined) return undefined;
  const offered = (prompt.choices ?? []).filter((c) => SUGGESTION_VALUES.has(c.value));
  const [only] = offered;
  if (offered.length === 1 && only) return { type: 'forward', event: { type: 'user.chooseOption', at, value: only.value } };
  return { type: 'inform', key: 'common.notAnAnswer', params: { text: text.trim().slice(0, 40) } };
}

/** The commands for the flows a short message at a question may ask for instead of answering it. */
const FLOW_COMMANDS: Readonly<Partial<Record<string, string>>> = { status: 'status', quiz: 'kuis', learn: 'belajar', report: 'lapor' };
/** Longer messages are not read as asking for another flow at a question: they may be an answer that names one. */
const FLOW_REQUEST_MAX_WORDS = 8;

/** The command of the flow a short message asks for as the menu reads it ("cek status laporan sy": `status`), if another flow. */
function flowAskedFor(text: string, flow: FlowId | undefined): string | undefined {
  // A link is an answer (evidence, a post), whatever its words ("x.com/desa/status/11").
  if (/:\/\/|www\./i.test(text) || normaliseForMatch(text).split(' ').length > FLOW_REQUEST_MAX_WORDS) return undefined;
  const intent = menuIntent(text);
  const command = intent === undefined ? undefined : ownValue(FLOW_COMMANDS, intent);
  return command === undefined || intent === flow ? undefined : command;
}

/** Decides what to do with one inbound event. */
export function route(event: InboundEvent, state: RouteState): Route {
  const decided = routeEvent(event, state);
  if (decided.type === 'startFlow' && decided.confirm !== false) {
    return { ...decided, confirm: true };
  }
  return decided;
}

function routeEvent(event: InboundEvent, state: RouteState): Route {
  const leave = leaveAnswer(event, state);
  if (leave) return leave;
  if (event.type === 'user.sendText') {
    // "?" alone asks what the question wants: it is no answer (it was "too short" at a name, "no date" at a date).
    if (/^[?？¿⁇❓❔\s]+$/u.test(event.text) && event.text.trim() !== '') return routeCommand('bantuan', '', event, state);
    const word = normaliseForMatch(event.text);
    const chosen = choiceOnScreen(event.text, state);
    // A loose phrase ("batalkan") gives way to a choice on screen that it names ("Ya, batalkan").
    const keyword = exactWord(event.text) ?? (chosen ? undefined : wholeMessageWord(event.text));
    if (keyword === 'back') {
      if (state.flow) return { type: 'forward', event: { type: 'user.goBack', at: event.at } };
    } else if (keyword) {
      return routeCommand(keyword, '', event, state);
    }
    const language = languageKeyword(word);
    if (language) return routeCommand('bahasa', language, event, state);
    const bare = word.replace(CHATTER_TRAILING, '').trim();
    const wantsWords = state.prompt?.type === 'text' && (state.prompt.typed === true || !state.prompt.choices?.length);
    if (!chosen && state.flow && wantsWords && HELP_PHRASES.has(bare)) return routeCommand('bantuan', '', event, state);
    const filler = !chosen && state.flow && state.flow !== 'menu' ? fieldFiller(event.text, event.at, state.prompt, state) : undefined;
    if (filler) return filler;
    if (!chosen && !(state.flow && wantsWords) && (certificatePhrases.has(bare) || CERTIFICATE_ASK.test(bare))) {
      return routeCommand('sertifikat', '', event, state);
    }
    // Typed answers to the choices on screen ("2", "yang pertama") become the choice.
    if (chosen) return { type: 'forward', event: { type: 'user.chooseOption', at: event.at, value: chosen.value } };
  }
  if (event.type === 'user.sendCommand') return routeCommand(event.name.toLowerCase(), event.args, event, state);
  if (!state.flow) {
    // A first message is answered too ("Assalamualaikum", "saya mau lapor camat yang kampanye"), after the greeting.
    const text = event.type === 'user.sendText' ? event.text.slice(0, 1_000) : undefined;
    // A photo or a file sent first is not kept: the menu says so, and where evidence goes.
    if (event.type === 'user.sendMedia') return { type: 'startFlow', flow: 'menu', params: { intro: 'greet', media: true } };
    return { type: 'startFlow', flow: 'menu', params: text ? { intro: 'greet', text } : { intro: 'greet' } };
  }
  return { type: 'forward', event };
}

function routeCommand(name: string, args: string, event: InboundEvent, state: RouteState): Route {
  const argument = args.trim().toLowerCase();
  switch (name) {
    case 'start': {
      const verify = /^(?:verify|verifikasi)[_-]([a-z0-9-]{4,40})$/.exec(argument);
      if (verify) return { type: 'startFlow', flow: 'verify', params: { args: (verify[1] ?? '').toUpperCase() } };
      const target = ownValue(startPayloads, argument);
      return target
        ? { type: 'startFlow', flow: target, params: {} }
        : { type: 'startFlow', flow: 'menu', params: { intro: 'greet' } };
    }
    case 'batal':
    case 'cancel':
      return {
        type: 'startFlow',
        flow: 'menu',
        // At the status check nothing is being written: what is left is only the check, not a report sent.
        params: { intro: state.flow === 'status' ? 'leftStatus' : state.flow && state.flow !== 'menu' ? 'cancelled' : 'none' },
        confirm: false,
        cancel: true,
      };
    case 'bahasa':
    case 'language': {
      // No argument switches to the other language; a name sets that one (even the current one); anything else
      // is explained rather than taken as a switch.
      if (argument === '') return { type: 'toggleLocale' };
      const locale = ownValue(languageNames, argument.replace(/\s+/g, ' '));
      return locale ? { type: 'setLocale', locale } : { type: 'inform', key: 'common.languageUnknown' };
    }
    case 'bantuan':
    case 'help':
      return { type: 'help', event: { type: 'user.askHelp', at: event.at } };
    case 'privasi':
    case 'privacy':
      return { type: 'inform', key: 'common.privacy' };
    case 'sertifikat':
    case 'certificate': {
      // With a certificate's code ("/sertifikat ABCD-EFGH-JKLM"), that certificate is checked; alone, the certificate
      // earned here is sent again (the quiz flow finds it).
      const code = args.trim() ? typedCertificateCode(args) : undefined;
      if (code) return { type: 'startFlow', flow: 'verify', params: { args: code } };
      return { type: 'startFlow', flow: 'quiz', params: { certificate: true } };
    }
    default: {
      const flow = ownValue(flowCommands, name);
      if (flow === 'menu') return { type: 'startFlow', flow, params: { intro: 'none' } };
      if (flow) return { type: 'startFlow', flow, params: args.trim() ? { args: args.trim() } : {} };
      return { type: 'unknownCommand', name };
    }
  }
}

/** Whether the question on screen is the runtime's own "leave the flow?" (not the flow's). */
export function isLeaveQuestion(prompt: OutboundMessage | null | undefined): prompt is Extract<OutboundMessage, { type: 'text' }> & { choices: Choice[] } {
  return prompt?.type === 'text' && (prompt.choices?.some((c) => c.value === STAY_VALUE) ?? false);
}

/** Whether the leave question on screen is a cancel's: its leave choice says "yes, cancel" (a flow's own text, too). */
function isCancelQuestion(prompt: Extract<OutboundMessage, { type: 'text' }> & { choices: Choice[] }): boolean {
  if ('key' in prompt.text && prompt.text.key === CANCEL_QUESTION_KEY) return true;
  const leave = prompt.choices.find((c) => c.value.startsWith(LEAVE_PREFIX));
  return leave !== undefined && 'key' in leave.label && leave.label.key === 'common.cancelYes';
}

/**
 * Carrying on, or taking the cancel back, as people answer "Batalkan sekarang?" ("lanjut", "eh jgn", "ga jadi batal",
 * "gak usah", "continue", "don't cancel").
 */
const KEEP_GOING =
  /^(?:(?:eh|oh|loh|lho|wait|tunggu|bentar|sebentar|tidak|tdk|no|nope)\s+)*(?:lanjut(?:kan)?|terus(?:kan)?|continue|keep going|go on|carry on|jangan|jgn|jangan dibatalkan|jgn dibatalin|jangan batal|jgn batal|(?:ga|gak|gk|nggak|ngga|enggak|tidak|tdk) jadi(?: batal| dibatalkan| dibatalin)?|(?:ga|gak|gk|nggak|tidak|tdk) (?:usah|perlu)(?: dibatalkan| dibatalin| batal)?|don t cancel|dont cancel|do not cancel|keep it)$/;
function isKeepGoing(text: string): boolean {
  return KEEP_GOING.test(normaliseForMatch(text).replace(CHATTER_TRAILING, '').trim());
}

/**
 * Reads the answer to the leave-or-stay question, when that question is on screen. A plain yes or no answers it
 * ("ya" must never reach the flow underneath, where it could file the report being cancelled), and so do words for
 * leaving ("yaudah tinggalin aja", "simpan dulu"). Other typed text is no answer to the flow's question underneath
 * (a user who wrote "gmn maksudnya?" there had it filed as the reported person's position): the question is asked
 * again. Under a cancel's question the cancel typed again means yes; under a switch's, a cancel means "not now" and
 * stays, so that no draft is thrown away by a cancel meant for the switch. A press of the flow's own buttons, a file
 * or a photo still goes to the flow (the user carries on instead).
 */
function leaveAnswer(event: InboundEvent, state: RouteState): Route | undefined {
  const prompt = state.prompt;
  if (!isLeaveQuestion(prompt)) return undefined;
  const cancel = isCancelQuestion(prompt);
  const leave = prompt.choices.find((c) => c.value.startsWith(LEAVE_PREFIX))?.value;
  let value =
    event.type === 'user.chooseOption'
      ? event.value
      : event.type === 'user.sendText'
        ? matchChoice(event.text, prompt.choices)?.value
        : undefined;
  if (value === undefined && event.type === 'user.sendText') {
    const cancelWord = wholeMessageWord(event.text) === 'batal';
    // Words for leaving answer a switch, not a restart of the same flow ("simpan dulu" under "Mulai ulang?").
    const restart = leave !== undefined && leaveTarget(leave).flow === state.flow && !leaveTarget(leave).certificate;
    // "Lanjut" and "ga jadi" answer the stay button ("Tidak, lanjutkan"): read before "lanjut" as a yes and "ga jadi"
    // as a cancel, either of which would throw the draft away.
    if (isKeepGoing(event.text)) value = STAY_VALUE;
    else if (isYesWord(event.text) || (cancel && cancelWord) || (!cancel && !restart && isLeaveWord(event.text))) value = leave;
    else if (isNoWord(event.text) || cancelWord) value = STAY_VALUE;
  }
  if (value === undefined && event.type === 'user.sendCommand' && wholeMessageWord(event.name) === 'batal') value = cancel ? leave : STAY_VALUE;
  if (value === STAY_VALUE) return { type: 'stayInFlow' };
  if (value?.startsWith(LEAVE_PREFIX)) {
    const { flow, args, certificate } = leaveTarget(value);
    if (cancel) return { type: 'leaveFlow', flow, cancelled: true };
    if (certificate) return { type: 'leaveFlow', flow, params: { certificate: true } };
    return args ? { type: 'leaveFlow', flow, params: { args } } : { type: 'leaveFlow', flow };
  }
  if (cancel && (event.type === 'user.sendText' || event.type === 'user.chooseOption')) return { type: 'inform', key: 'common.cancelChoose' };
  if (event.type === 'user.sendText') return { type: 'inform', key: 'common.leaveChoose' };
  return undefined;
}

/** What a leave button's value (see {@link leaveValue}) names: the flow to start, its arguments, a certificate. */
function leaveTarget(value: string): { flow: FlowId; args: string; certificate: boolean } {
  const marked = value.slice(LEAVE_PREFIX.length);
  const at = marked.indexOf(ARGS_MARK);
  const target = at >= 0 ? marked.slice(0, at) : marked;
  const args = at >= 0 ? marked.slice(at + ARGS_MARK.length) : '';
  const certificate = target.endsWith(CERTIFICATE_MARK);
  return { flow: (certificate ? target.slice(0, -CERTIFICATE_MARK.length) : target) as FlowId, args, certificate };
}

/**
 * Words for leaving now, as people answer "Tinggalkan sekarang?" ("yaudah tinggalin aja", "simpan dulu", "lanjut
 * nanti"). Not "nanti aja", which may as well mean "not now".
 */
const LEAVE_WORDS =
  /^(?:(?:y+a+|iya+|ok[a-z]*|yaudah|yaudh|ydh|yowes|udah|udh|sudah|boleh)\s+)*(?:tinggal(?:in|kan)?|tinggalkan saja|pindah|pindah dulu|keluar|keluar dulu|simpan|simpen|disimpan|simpan dulu|lanjut nanti|lanjutkan nanti|nanti dilanjut|nanti dilanjutkan|leave|leave it|switch|save it|save it for later|continue later)(?:\s+(?:aja|saja|dulu|deh|dong|ya|yah|kak|min|please|pls|now))*$/;
function isLeaveWord(text: string): boolean {
  return LEAVE_WORDS.test(normaliseForMatch(text));
}

