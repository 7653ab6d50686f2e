/**
 * The main menu: greets a new user with the privacy notice, offers the six entries, and hands over to the chosen
 * flow through its output. Language and help are answered here without leaving the menu. A sentence that plainly
 * asks for one entry ("saya mau lapor ...") counts as choosing it.
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import { z } from 'zod';
import type { FlowDefinition, FlowEmitted, FlowId, FlowInput, FlowOutput } from '../flow.ts';
import { ask, choice, say, type InboundEvent, type OutboundMessage } from '../messages.ts';
import { leadingTicketCode, prefixedTicketCode, statusRequestArgs } from '../status/ticketCode.ts';
import { hasLeftOutCharacter, pastedCertificateCode, typedCertificateCode } from '../verify/certificateCode.ts';
import { hasSalam, menuIntent } from './menuIntent.ts';
import { topicFromWords, topicInQuestion } from '../quiz/questionBank.ts';
import { firstLessonOf, lessons } from '../../content/education/lessons.ts';
import { normaliseForMatch } from '../shared/texts.ts';
import { isQuestion } from '../report/validateText.ts';

/** `leftStatus`: `/batal` at the status check, which cancels no report sent. */
const introSchema = z.enum(['greet', 'cancelled', 'leftStatus', 'return', 'none']);

/** What a chat's first message said beside opening the menu: a salam to return, an account or a question to point on. */
const openingSchema = z.object({ salam: z.boolean(), topic: z.enum(['story', 'question', 'withdraw', 'media']).nullable() });

export const menuContextSchema = z.object({
  intro: introSchema,
  next: z.enum(['report', 'quiz', 'learn', 'status', 'verify']).nullable(),
  opening: openingSchema.nullable().optional(),
  /**
   * A report's code (and the receipt typed with it) or a certificate's pasted at the menu, handed to the status check
   * or the verification in the same turn.
   */
  args: z.string().optional(),
  /** The text that says a flow's unfinished work is kept for later (a report left for another command). */
  waiting: z.string().optional(),
});
type MenuContext = z.infer<typeof menuContextSchema>;

/** The menu's entries, in the order shown. */
export const menuChoices = [
  choice('report', 'menu.items.report'),
  choice('quiz', 'menu.items.quiz'),
  choice('learn', 'menu.items.learn'),
  choice('status', 'menu.items.status'),
  choice('language', 'menu.items.language'),
  choice('help', 'menu.items.help'),
];

const flowEntries = new Set<string>(['report', 'quiz', 'learn', 'status']);

/** The flow a typed sentence plainly asks for ("saya mau lapor ..."), if any. */
function typedFlow(event: InboundEvent): MenuContext['next'] {
  const intent = typedIntent(event);
  return intent && flowEntries.has(intent) ? (intent as MenuContext['next']) : null;
}

/** Words of a request for the lessons or the quiz around the topic asked for ("mau belajar sanksi", "kuis medsos"). */
const REQUEST_WORDS = new Set([
  'belajar', 'pelajari', 'mempelajari', 'pelajaran', 'materi', 'aturan', 'learn', 'lesson', 'lessons', 'rules', 'kuis', 'quiz',
  'ujian', 'mau', 'ingin', 'pengen', 'pingin', 'saya', 'sy', 'aku', 'tentang', 'soal', 'ttg', 'about', 'the', 'on', 'i', 'want',
  'to', 'ikut', 'coba', 'tolong', 'dong', 'yang',
]);
/** Most words a topic typed alone at the menu has ("sanksi", "media sosial", "hukuman disiplin pns"). */
const TOPIC_ALONE_MAX_WORDS = 3;

/** The topic a request for the lessons or the quiz names ("belajar sanksi"), or a topic typed alone ("medsos"). */
function topicOfRequest(text: string): string | undefined {
  const rest = normaliseForMatch(text).split(' ').filter((w) => w !== '' && !REQUEST_WORDS.has(w));
  return rest.length > 0 && rest.length <= TOPIC_ALONE_MAX_WORDS ? topicFromWords(rest.join(' ')) : undefined;
}

/** Where a question about the rules is answered: the lesson on its one topic ("boleh like status caleg?"), else the lessons. */
function questionPointer(text: string): OutboundMessage {
  const topic = topicInQuestion(text);
  const lesson = topic ? firstLessonOf(topic) : undefined;
  return lesson ? say('menu.questionLesson', { title: lesson.title, number: lessons.indexOf(lesson) + 1 }) : say('menu.question');
}

/** A topic typed alone at the menu, read as asking for its lessons. */
function typedTopic(event: InboundEvent): string | undefined {
  return event.type === 'user.sendText' && menuIntent(event.text) === undefined ? topicOfRequest(event.text) : undefined;
}

/** What a typed sentence plainly asks for, if anything. */
function typedIntent(event: InboundEvent): string | undefined {
  return event.type === 'user.sendText' ? menuIntent(event.text) : undefined;
}

/**
 * A report code typed at the menu, for the status check as `/status NTR-… <receipt>` would have it: pasted at the
 * start ("NTR-7K3P-9QXA 1234 5678 9012 3456") or anywhere in a request to check a report ("cek status NTR-7K3P-9QXA",
 * "status laporan ntr 7k3p 9qxa 1234567890123456"), with the receipt typed beside it, so that the user is asked for
 * neither again. A report code asked for as a certificate stays the verification's. The receipt is in the menu's
 * context only in this turn: the menu ends in it, and the status check forgets the receipt once it is checked.
 */
function statusRequest(text: string): string | undefined {
  return leadingTicketCode(text) || menuIntent(text) === 'status' ? statusRequestArgs(text) : undefined;
}

function typedStatusRequest(event: InboundEvent): string | undefined {
  return event.type === 'user.sendText' ? statusRequest(event.text) : undefined;
}

/**
 * A certificate to check, typed at the menu: a code pasted or scanned ("MK67-YKE7-4LBB", "MK67 YKE7 4LBB", "verify
 * MK67YKE74LBB") or asked for in words with or without one ("cek sertifikat", "tolong cek sertifikat glv7 fx2c 7pz8"):
 * its code, if any. Undefined when the text is neither. A report's code asked for as a certificate ("cek sertifikat
 * NTR-7K3P-9QXA") goes with it: the certificate check tells the two apart.
 */
function certificateRequest(text: string): { code?: string } | undefined {
  // A reading with a look-alike first: "kode saya MK67 YKE7 4LB0" is not "SAYA-MK67-YKE7".
  const pasted = pastedLookAlikeCode(text) ?? pastedCertificateCode(text);
  if (pasted) return { code: pasted };
  if (menuIntent(text) !== 'verify') return undefined;
  // Asked in words, a code may be read more forgivingly ("verify ABCDEFGHJKLM", all letters; "cek sertifikat
  // MK67-YKE7-4LB0", with a character no code has, for the check to name the code it may be).
  const code = typedCertificateCode(text) ?? prefixedTicketCode(text);
  return code ? { code } : {};
}

/** For each character the code alphabet leaves out, one of the alphabet of the same kind (a letter, a digit). */
const STAND_INS: Readonly<Record<string, string>> = { O: 'Q', I: 'L', '0': '8', '1': '7' };

/**
 * A certificate code pasted with O, 0, I or 1 for a character of the code alphabet ("MK67-YKE7-4LBO", "kode saya mk67
 * yke7 4lb0"), as the verification reads a typed code (its check names the registered code it may be). It must stand
 * in the text as any code pasted at the menu must (see `pastedCertificateCode`), so it is looked for with each such
 * character read as one of the alphabet of the same kind, in words that hold a digit ("INFO", "KODE" stay words),
 * and then taken as typed. Undefined when the text holds no such code.
 */
function pastedLookAlikeCode(text: string): string | undefined {
  if (text.length > 80) return undefined;
  const upper = text.normalize('NFKC').toUpperCase();
  if (!/[OI01]/.test(upper)) return undefined;
  const standIn = upper.replace(/\S+/g, (word) => (/\d/.test(word) ? word.replace(/[OI01]/g, (c) => STAND_INS[c] ?? c) : word));
  const found = pastedCertificateCode(standIn);
  if (found === undefined) return undefined;
  // The same characters in the text as typed (the stand-ins kept every character in its place).
  const at = new RegExp(found.replace(/-/g, '').split('').join('[\\s\\-–—._]*')).exec(standIn);
  const code = at ? typedCertificateCode(upper.slice(at.index, at.index + at[0].length)) : undefined;
  return code !== undefined && hasLeftOutCharacter(code) ? code : undefined;
}

function typedCertificateRequest(event: InboundEvent): { code?: string } | undefined {
  return event.type === 'user.sendText' ? certificateRequest(event.text) : undefined;
}

/**
 * True when the menu takes a typed message as nothing it offers: no code, no entry or other request, no greeting and
 * no account of what happened, so that it would say it did not understand, or point a question to the lessons
 * ("Apakah ada foto lain?"). The bot then knows better, for a user it knows more of (an officer, see bot/officers).
 */
export function isUnreadAtMenu(text: string): boolean {
  if (statusRequest(text) !== undefined || certificateRequest(text) !== undefined) return false;
  const intent = menuIntent(text);
  return intent === undefined || intent === 'question';
}

export const menuMachine = setup({
  types: {
    input: {} as FlowInput,
    context: {} as MenuContext,
    events: {} as InboundEvent,
    emitted: {} as FlowEmitted,
    output: {} as FlowOutput,
  },
  guards: {
    isFlowEntry: ({ event }) => event.type === 'user.chooseOption' && flowEntries.has(event.value),
    isLanguageEntry: ({ event }) => event.type === 'user.chooseOption' && event.value === 'language',
    isHelpEntry: ({ event }) => event.type === 'user.chooseOption' && event.value === 'help',
    asksForFlow: ({ event }) => typedFlow(event) !== null,
    asksForHelp: ({ event }) => typedIntent(event) === 'help',
    asksForEnglish: ({ event }) => typedIntent(event) === 'english',
    asksForIndonesian: ({ event }) => typedIntent(event) === 'indonesian',
    isThanks: ({ event }) => typedIntent(event) === 'thanks',
    isHello: ({ event }) => typedIntent(event) === 'hello',
    isSalam: ({ event }) => typedIntent(event) === 'salam',
    isStory: ({ event }) => typedIntent(event) === 'story',
    isQuestion: ({ event }) => typedIntent(event) === 'question',
    asksToWithdraw: ({ event }) => typedIntent(event) === 'withdraw',
    namesTopic: ({ event }) => typedTopic(event) !== undefined,
    /** "Apa itu PTDH?": a question on a lesson's topic without the subject's words the menu knows. */
    isTopicQuestion: ({ event }) =>
      event.type === 'user.sendText' && menuIntent(event.text) === undefined && isQuestion(event.text) && topicInQuestion(event.text) !== undefined,
    hasChosen: ({ context }) => context.next !== null,
    isTicketCode: ({ event }) => typedStatusRequest(event) !== undefined,
    asksToVerify: ({ event }) => typedCertificateRequest(event) !== undefined,
  },
  actions: {
    introduce: enqueueActions(({ context, enqueue }) => {
      const intro = {
        greet: ['menu.greeting', 'menu.privacyNotice'],
        cancelled: ['common.cancelled'],
        leftStatus: ['status.leftUnchanged'],
        return: ['menu.welcomeBack'],
        none: [],
      }[context.intro];
      const opening = context.intro === 'greet' ? context.opening : null;
      if (opening?.salam) enqueue.emit({ type: 'reply', message: say('menu.salam') });
      for (const key of intro) enqueue.emit({ type: 'reply', message: say(key) });
      if (opening?.topic) enqueue.emit({ type: 'reply', message: say(`menu.${opening.topic}`) });
      // Not when the menu is only passed through (a first message that asked for a flow goes there at once).
      if (context.waiting && context.next === null) enqueue.emit({ type: 'reply', message: say(context.waiting) });
    }),
    // Not once an entry is chosen: a first message that asked for one goes there after the greeting.
    askChoice: enqueueActions(({ context, enqueue }) => {
      if (context.next === null) enqueue.emit({ type: 'reply', message: ask('menu.ask', undefined, menuChoices) });
    }),
    // The menu's help names the commands too: checking a certificate or answering the officers has no menu entry.
    explainMenu: enqueueActions(({ enqueue }) => {
      enqueue.emit({ type: 'reply', message: say('menu.help') });
      enqueue.emit({ type: 'reply', message: say('common.help') });
    }),
    explainNotUnderstood: emit({ type: 'reply', message: say('menu.notUnderstood') }),
    explainMedia: emit({ type: 'reply', message: say('menu.media') }),
    answerThanks: emit({ type: 'reply', message: say('menu.thanks') }),
    answerHello: emit({ type: 'reply', message: say('menu.hello') }),
    answerSalam: emit({ type: 'reply', message: say('menu.salam') }),
    // With a draft kept aside, the report meant may be that one: how to throw it away is said too.
    explainWithdrawal: enqueueActions(({ context, enqueue }) => {
      enqueue.emit({ type: 'reply', message: say('menu.withdraw') });
      if (context.waiting) enqueue.emit({ type: 'reply', message: say('menu.withdrawDraft') });
    }),
    pointToLesson: emit(({ event }) => ({ type: 'reply' as const, message: questionPointer(event.type === 'user.sendText' ? event.text : '') })),
    // Someone who greets first is greeted back first ("Assalamualaikum min, pak camat ikut kampanye ...").
    pointOn: enqueueActions(({ event, enqueue }) => {
      if (event.type !== 'user.sendText') return;
      if (hasSalam(event.text)) enqueue.emit({ type: 'reply', message: say('menu.salam') });
      enqueue.emit({ type: 'reply', message: menuIntent(event.text) === 'question' ? questionPointer(event.text) : say('menu.story') });
    }),
    toggleLanguage: emit({ type: 'command', command: { type: 'toggleLocale' } }),
    useEnglish: emit({ type: 'command', command: { type: 'setLocale', locale: 'en' } }),
    useIndonesian: emit({ type: 'command', command: { type: 'setLocale', locale: 'id' } }),
    rememberTicketCode: assign({ next: 'status' as const, args: ({ event }) => typedStatusRequest(event) }),
    rememberCertificateRequest: assign({ next: 'verify' as const, args: ({ event }) => typedCertificateRequest(event)?.code }),
    rememberChoice: assign({
      next: ({ event }) =>
        event.type === 'user.chooseOption' && flowEntries.has(event.value)
          ? (event.value as MenuContext['next'])
          : typedFlow(event),
      // "Belajar sanksi", "kuis medsos": that topic's lessons or quiz, as `/belajar sanksi` opens them.
      args: ({ event }) => {
        const flow = typedFlow(event);
        return event.type === 'user.sendText' && (flow === 'learn' || flow === 'quiz') ? topicOfRequest(event.text) : undefined;
      },
    }),
    rememberTopic: assign({ next: 'learn' as const, args: ({ event }) => typedTopic(event) }),
    listReports: assign({ next: 'status' as const }),
  },
}).createMachine({
  id: 'menu',
  context: ({ input }) => {
    const intro = introSchema.catch('none').parse(input.params.intro);
    // The first message of a chat opens the menu with its greeting; what it said is answered after that.
    const text = intro === 'greet' && typeof input.params.text === 'string' ? input.params.text : '';
    const intent = text ? menuIntent(text) : undefined;
    // As at the menu: a report's code goes to the status check, checked before a certificate's.
    const ticket = text ? statusRequest(text) : undefined;
    // A certificate's code (or a request to check one) is often a checker's first message to Netra.
    const certificate = text && !ticket ? certificateRequest(text) : undefined;
    const code = ticket ?? certificate?.code;
    // As at the menu: "belajar sanksi" opens that topic, and "sanksi" alone its lessons.
    const topic = text && !code && intent === undefined ? topicOfRequest(text) : undefined;
    const flowArgs = text && (intent === 'learn' || intent === 'quiz') ? topicOfRequest(text) : topic;
    const args = code ?? flowArgs;
    const said = !ticket && !certificate && (intent === 'story' || intent === 'question' || intent === 'withdraw') ? intent : null;
    const opening: MenuContext['opening'] =
      input.params.media === true ? { salam: false, topic: 'media' } : text ? { salam: hasSalam(text), topic: said } : null;
    return {
      intro,
      next: ticket || said === 'withdraw'
        ? 'status'
        : certificate
          ? 'verify'
          : intent && flowEntries.has(intent)
            ? (intent as MenuContext['next'])
            : topic
              ? 'learn'
              : null,
      opening,
      ...(args ? { args } : {}),
      ...(typeof input.params.waiting === 'string' ? { waiting: input.params.waiting } : {}),
    };
  },
  initial: 'choosing',
  states: {
    choosing: {
      entry: ['introduce', 'askChoice'],
      always: { guard: 'hasChosen', target: 'leaving' },
      on: {
        'user.chooseOption': [
          { guard: 'isFlowEntry', target: 'leaving', actions: 'rememberChoice' },
          { guard: 'isLanguageEntry', actions: ['toggleLanguage', 'askChoice'] },
          { guard: 'isHelpEntry', actions: ['explainMenu', 'askChoice'] },
          { actions: ['explainNotUnderstood', 'askChoice'] },
        ],
        'user.askHelp': { actions: ['explainMenu', 'askChoice'] },
        'user.sendText': [
          // A code pasted here is a report or a certificate to check; "cek sertifikat" asks for the code.
          { guard: 'isTicketCode', target: 'leaving', actions: 'rememberTicketCode' },
          { guard: 'asksToVerify', target: 'leaving', actions: 'rememberCertificateRequest' },
          { guard: 'asksForFlow', target: 'leaving', actions: 'rememberChoice' },
          { guard: 'asksForHelp', actions: ['explainMenu', 'askChoice'] },
          { guard: 'asksForEnglish', actions: ['useEnglish', 'askChoice'] },
          { guard: 'asksForIndonesian', actions: ['useIndonesian', 'askChoice'] },
          { guard: 'isThanks', actions: ['answerThanks', 'askChoice'] },
          { guard: 'isHello', actions: ['answerHello', 'askChoice'] },
          { guard: 'isSalam', actions: ['answerSalam', 'askChoice'] },
          // Someone who starts by telling what happened is shown where to report it, not told it is not on the menu.
          { guard: 'isStory', actions: ['pointOn', 'askChoice'] },
          { guard: 'isQuestion', actions: ['pointOn', 'askChoice'] },
          // A report sent cannot be taken back here: who can act on it is told, not a new report started, and the
          // reports sent from this chat are listed with their codes (the status check), to name the one meant.
          { guard: 'asksToWithdraw', target: 'leaving', actions: ['explainWithdrawal', 'listReports'] },
          // "Sanksi", "medsos": a topic of the lessons, opened there.
          { guard: 'namesTopic', target: 'leaving', actions: 'rememberTopic' },
          { guard: 'isTopicQuestion', actions: ['pointToLesson', 'askChoice'] },
          { actions: ['explainNotUnderstood', 'askChoice'] },
        ],
        // A photo or a file here is not kept: where evidence goes is said instead of "not on the menu".
        'user.sendMedia': { actions: ['explainMedia', 'askChoice'] },
        'user.sendUnsupported': { actions: ['explainNotUnderstood', 'askChoice'] },
        'user.sendLocation': { actions: ['explainNotUnderstood', 'askChoice'] },
        'user.sendContact': { actions: ['explainNotUnderstood', 'askChoice'] },
        'user.goBack': { actions: ['askChoice'] },
      },
    },
    leaving: {
      type: 'final',
    },
  },
  output: ({ context }) =>
    context.next ? { next: { flow: context.next as FlowId, ...(context.args ? { params: { args: context.args } } : {}) } } : {},
});

/** The menu as the runtime registers it. */
export const menuFlow: FlowDefinition = {
  id: 'menu',
  version: 1,
  machine: menuMachine,
  contextSchema: menuContextSchema,
};
