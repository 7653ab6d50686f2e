/**
 * The lessons: short cards read one at a time with next and previous, a list to jump to any card, and on each
 * card "try the quiz on this topic", which hands over to the quiz restricted to the card's topic. Opened from a
 * quiz's result, they start at the topic answered worst and say so.
 *
 * A reader's progress outlives the flow: the runtime keeps what `rememberLessons` returns (the card last on screen and
 * the cards read) and hands it back as the input's `remembered` the next time the lessons open. Opened again on the
 * whole course or a topic, they then offer to continue where the reader stopped, or to start over; the list marks the
 * cards read. Without anything remembered they start as they always did.
 */
import { and, assign, emit, enqueueActions, setup } from 'xstate';
import { z } from 'zod';
import { firstLessonOf, lessons, lessonsForTopic, type Lesson } from '../../content/education/lessons.ts';
import { isQuizTopic, quizTopicIds, topicFromWords, topicInQuestion, topicLabel, type QuizTopic } from '../quiz/questionBank.ts';
import type { FlowDefinition, FlowEmitted, FlowInput, FlowOutput } from '../flow.ts';
import { ask, choice, say, type Choice, type InboundEvent, type OutboundMessage } from '../messages.ts';
import { CHATTER_TRAILING, isNoWord, isYesWord } from '../report/answerWords.ts';
import { normaliseForMatch } from '../shared/texts.ts';
import { asksQuestion } from '../report/validateText.ts';

const cardIndexSchema = z.number().int().nonnegative().max(Math.max(0, lessons.length - 1));

export const learnContextSchema = z.object({
  /**
   * The card on screen (0-based); kept within the lessons on restore. While the resume offer is asked: the card starting
   * over opens.
   */
  index: cardIndexSchema,
  next: z.enum(['quiz', 'menu']).nullable(),
  /** Ids of the cards read (shown, then left any way: next, back, the list, their quiz, the menu); absent in older snapshots. */
  read: z.array(z.string().max(64)).max(64).optional(),
  /** The card continuing opens, while the resume offer is asked. */
  resume: cardIndexSchema.nullable().optional(),
  /** The topic the lessons were opened on (`/belajar sanksi`), whose first card starting over opens. */
  topic: z.enum(quizTopicIds).optional(),
});
type LearnContext = z.infer<typeof learnContextSchema>;

/** What the chat keeps of the lessons between visits: the card last on screen and the cards read, by lesson id. */
export const lessonProgressSchema = z.object({
  at: z.string().max(64).nullable(),
  read: z.array(z.string().max(64)).max(64),
});
export type LessonProgress = z.infer<typeof lessonProgressSchema>;

/** The lessons' input: the common one, with what the runtime kept from the last visit (see `rememberLessons`). */
type LearnInput = FlowInput & { remembered?: unknown };

/**
 * What the chat should keep of a lessons snapshot for the next visit: the card on screen (or, while the resume offer
 * is asked, the card it offers) and the cards read. Undefined for a snapshot that is not the lessons'.
 */
export function rememberLessons(snapshot: { value: unknown; context: unknown }): LessonProgress | undefined {
  const parsed = learnContextSchema.safeParse(snapshot.context);
  if (!parsed.success) return undefined;
  const { index, resume, read } = parsed.data;
  const shown = snapshot.value === 'offeringResume' && resume != null ? resume : index;
  return { at: lessons[shown]?.id ?? null, read: read ?? [] };
}

function readOf(context: LearnContext): readonly string[] {
  return context.read ?? [];
}

function lessonAt(index: number): Lesson {
  const lesson = lessons[index];
  if (!lesson) throw new Error(`no lesson at ${index}`);
  return lesson;
}

/** The choices under a card: previous and next where they exist, the topic's quiz, the list, the menu. */
export function cardChoices(index: number): Choice[] {
  return [
    ...(index + 1 < lessons.length ? [choice('next', 'common.next')] : []),
    ...(index > 0 ? [choice('previous', 'common.previous')] : []),
    choice('quiz', 'learn.tryQuiz'),
    choice('list', 'learn.list'),
    choice('menu', 'common.mainMenu'),
  ];
}

/** The card at `index` with its choices, as the question on screen. */
export function cardMessage(index: number): OutboundMessage {
  const lesson = lessonAt(index);
  return ask(
    'learn.card',
    { number: index + 1, total: lessons.length, title: lesson.title, body: lesson.body },
    cardChoices(index),
  );
}

/** The list of lessons, a read one marked ✓ (typed titles still match: the mark is no letter). */
export function listChoices(read: readonly string[]): Choice[] {
  const mark = (title: { id: string; en: string }) => ({ id: `✓ ${title.id}`, en: `✓ ${title.en}` });
  return [
    ...lessons.map((lesson) => ({
      value: `lesson:${lesson.id}`,
      label: { localized: read.includes(lesson.id) ? mark(lesson.title) : lesson.title },
    })),
    choice('menu', 'common.mainMenu'),
  ];
}

function chosen(event: InboundEvent): string | undefined {
  return event.type === 'user.chooseOption' ? event.value : undefined;
}

function lessonIndexOf(value: string | undefined): number {
  return value?.startsWith('lesson:') ? lessons.findIndex((l) => l.id === value.slice(7)) : -1;
}

/** Where the lessons open: the card, the topic it opens (when one was asked for), and whether a card was named. */
export interface LessonStart {
  index: number;
  topic?: QuizTopic;
  /** A card was asked for by its number, id or title: it opens as asked, without offering to continue elsewhere. */
  explicit: boolean;
}

/**
 * Where `/belajar <args>` or a `topic` parameter starts: a card number ("3"), a lesson id or title, or a topic (its
 * id, or its name as people type it: "sanksi", "media sosial", "pppk"), at its first card; the first card otherwise.
 */
export function startOf(params: Record<string, unknown>): LessonStart {
  const wanted = typeof params.topic === 'string' ? params.topic : typeof params.args === 'string' ? params.args : '';
  const key = wanted.trim().toLowerCase();
  if (/^\d{1,2}$/.test(key)) {
    const n = Number(key);
    return n >= 1 && n <= lessons.length ? { index: n - 1, explicit: true } : { index: 0, explicit: false };
  }
  const byId = lessons.findIndex((l) => l.id === key);
  if (byId >= 0) return { index: byId, explicit: true };
  const typed = normaliseForMatch(wanted);
  const byTitle = typed ? lessons.findIndex((l) => [l.title.id, l.title.en].some((t) => normaliseForMatch(t) === typed)) : -1;
  if (byTitle >= 0) return { index: byTitle, explicit: true };
  const topic = z.enum(quizTopicIds).safeParse(key).data ?? (key ? topicFromWords(wanted) : undefined);
  const first = topic ? firstLessonOf(topic) : undefined;
  return topic && first ? { index: lessons.indexOf(first), topic, explicit: false } : { index: 0, explicit: false };
}

/** The card `/belajar <args>` or a `topic` parameter opens (see `startOf`). */
export function startIndex(params: Record<string, unknown>): number {
  return startOf(params).index;
}

/**
 * The card to offer to continue at, for lessons opened at `start` by a reader with `progress`: among the cards opened
 * (a topic's, or all), the first unread one from the card last on screen on, else the first unread one. Null when that
 * is where the lessons open anyway, when every card there is read, or when a card was asked for by name.
 */
export function resumeIndex(progress: LessonProgress | undefined, start: LessonStart): number | null {
  if (!progress || start.explicit) return null;
  const read = new Set(progress.read);
  const cards = (start.topic ? lessonsForTopic(start.topic) : lessons).map((lesson) => lessons.indexOf(lesson));
  const unread = (index: number) => !read.has(lessons[index]?.id ?? '');
  const at = lessons.findIndex((lesson) => lesson.id === progress.at);
  const resume = (cards.includes(at) ? cards.find((i) => i >= at && unread(i)) : undefined) ?? cards.find(unread);
  return resume !== undefined && resume !== start.index ? resume : null;
}

/** What was remembered from the last visit, when it is readable: the cards read only among today's lessons. */
function progressOf(input: LearnInput): LessonProgress | undefined {
  const progress = lessonProgressSchema.safeParse(input.remembered).data;
  if (!progress) return undefined;
  const read = progress.read.filter((id, i, all) => lessons.some((l) => l.id === id) && all.indexOf(id) === i);
  return { at: progress.at, read };
}

/**
 * The part of `/belajar`'s arguments that may ride in a button's value while the runtime asks before leaving another
 * flow: the lesson's or the topic's id (short, and nothing personal); nothing for the lessons from the start.
 */
export function learnCarriedArgs(params: Record<string, unknown>): string | undefined {
  const start = startOf(params);
  if (start.explicit) return lessons[start.index]?.id;
  return start.topic;
}

/**
 * The topic a finished quiz found weakest, when the lessons were opened for it (`{ topic, weakest: true }`): read from
 * the start event, which carries the flow's input (entry actions run once, at the start, never on a restore).
 */
function weakestTopicOf(event: unknown): QuizTopic | undefined {
  const params = (event as { input?: Partial<FlowInput> }).input?.params;
  return params?.weakest === true && isQuizTopic(params.topic) ? params.topic : undefined;
}

/**
 * Words people type to read on instead of pressing Berikutnya: "lanjut", "lanjutt", "oke", "selanjutnya", "udah"
 * (read it), "next", "go on", with a polite word around them ("lanjut kak", "ok next").
 */
const NEXT_PHRASE =
  /^(?:(?:ya|ok|oke|okay|sip|baik)\s+)?(?:lanjut+(?:kan)?|terus(?:kan)?|selanjutnya|berikut(?:nya)?|maju|udah|sudah|done|next|continue|go on|keep going|more)(?:\s+(?:dong|deh|ya|kak|min|pak|bu|please|aja|saja))?$/;

function isNextWord(event: InboundEvent): boolean {
  if (event.type !== 'user.sendText') return false;
  return NEXT_PHRASE.test(normaliseForMatch(event.text)) || isYesWord(event.text);
}

/** Words for starting over at the resume offer: "ulang", "dari awal", "mulai lagi", "start over", or a plain no. */
const RESTART_PHRASE =
  /^(?:(?:mau|saya mau|aku mau|ok|oke|i d like to|i want to) )?(?:ulang(?:i)?|mengulang|(?:mulai )?(?:dari )?awal|mulai (?:lagi|ulang)|baca (?:lagi|ulang)(?: dari awal)?|start over|restart|from the (?:start|beginning)|start again)(?: lagi)?$/;

function isRestartWord(event: InboundEvent): boolean {
  if (event.type !== 'user.sendText') return false;
  return RESTART_PHRASE.test(normaliseForMatch(event.text).replace(CHATTER_TRAILING, '').trim()) || isNoWord(event.text);
}

/** The first card of the topic a typed question is about ("apa itu PTDH?": the first card on sanctions). */
function cardForQuestion(event: InboundEvent): number | undefined {
  if (event.type !== 'user.sendText') return undefined;
  const topic = topicInQuestion(event.text);
  const first = topic ? firstLessonOf(topic) : undefined;
  return first ? lessons.indexOf(first) : undefined;
}

/** The first card of the topic a text names ("sanctions", "medsos"), as `/belajar <topic>` opens it. */
function typedTopicStart(event: InboundEvent): number | undefined {
  if (event.type !== 'user.sendText') return undefined;
  const start = startOf({ args: event.text });
  return start.topic !== undefined ? start.index : undefined;
}

/** The lesson ids read, with the one at `index` added. */
function withRead(context: LearnContext, index: number): string[] {
  const id = lessons[index]?.id;
  const read = readOf(context);
  return id === undefined || read.includes(id) ? [...read] : [...read, id];
}

export const learnMachine = setup({
  types: {
    input: {} as LearnInput,
    context: {} as LearnContext,
    events: {} as InboundEvent,
    emitted: {} as FlowEmitted,
    output: {} as FlowOutput,
  },
  guards: {
    isNext: ({ event }) => chosen(event) === 'next',
    isNextWord: ({ event }) => isNextWord(event),
    isPrevious: ({ event }) => chosen(event) === 'previous',
    hasNext: ({ context }) => context.index + 1 < lessons.length,
    hasPrevious: ({ context }) => context.index > 0,
    isQuiz: ({ event }) => chosen(event) === 'quiz',
    isList: ({ event }) => chosen(event) === 'list',
    isMenu: ({ event }) => chosen(event) === 'menu',
    isLesson: ({ event }) => lessonIndexOf(chosen(event)) >= 0,
    hasResumeOffer: ({ context }) => context.resume != null,
    isResume: ({ event }) => chosen(event) === 'resume',
    isRestart: ({ event }) => chosen(event) === 'restart',
    isRestartWord: ({ event }) => isRestartWord(event),
    isTypedTopic: ({ event }) => typedTopicStart(event) !== undefined,
    /** A question typed at the list ("apa aturan ini berlaku buat kades?"): no topic to open, a pointer to give. */
    isTypedQuestion: ({ event }) => event.type === 'user.sendText' && asksQuestion(event.text),
    asksAboutThisCard: ({ context, event }) => {
      const topic = event.type === 'user.sendText' ? topicInQuestion(event.text) : undefined;
      return topic !== undefined && lessonAt(context.index).topic === topic;
    },
    asksAboutOtherCard: ({ context, event }) => {
      const card = cardForQuestion(event);
      return card !== undefined && card !== context.index;
    },
  },
  actions: {
    introduce: enqueueActions(({ context, event, enqueue }) => {
      enqueue.emit({ type: 'reply', message: say('learn.intro', { count: lessons.length }) });
      const weakest = weakestTopicOf(event);
      if (weakest) enqueue.emit({ type: 'reply', message: say('learn.weakestTopic', { topic: topicLabel(weakest) }) });
      else if (lessons.every((lesson) => readOf(context).includes(lesson.id))) enqueue.emit({ type: 'reply', message: say('learn.allRead') });
    }),
    askResume: emit(({ context }) => {
      const resume = context.resume ?? 0;
      const topic = context.topic;
      const params = { number: resume + 1, total: lessons.length, title: lessonAt(resume).title };
      return {
        type: 'reply' as const,
        message: ask(topic ? 'learn.resumeAskTopic' : 'learn.resumeAsk', topic ? { ...params, topic: topicLabel(topic) } : params, [
          choice('resume', 'learn.resume'),
          choice('restart', topic ? 'learn.restartTopic' : 'learn.restart'),
          choice('list', 'learn.list'),
        ]),
      };
    }),
    explainResume: emit({ type: 'reply', message: say('learn.resumeHelp') }),
    goToResume: assign({ index: ({ context }) => context.resume ?? context.index, resume: null }),
    startOver: assign({ resume: null }),
    markRead: assign({ read: ({ context }) => withRead(context, context.index) }),
    showCard: emit(({ context }) => ({ type: 'reply' as const, message: cardMessage(context.index) })),
    showList: emit(({ context }) => ({
      type: 'reply' as const,
      message: ask(readOf(context).length > 0 ? 'learn.listAskRead' : 'learn.listAsk', undefined, listChoices(readOf(context))),
    })),
    explainCards: emit({ type: 'reply', message: say('learn.help') }),
    explainLastCard: emit({ type: 'reply', message: say('learn.lastCard') }),
    // A card asks nothing: typed words ("apa itu PTDH?") get where answers are, not "answer the question below".
    // With the card's choices again: they are far up the chat, and a typed number must mean one of them.
    explainTyped: emit(({ context }) => ({ type: 'reply' as const, message: ask('learn.typed', undefined, cardChoices(context.index)) })),
    explainList: emit({ type: 'reply', message: say('learn.listHelp') }),
    explainThisCard: emit(({ context }) => ({ type: 'reply' as const, message: ask('learn.typedThisCard', undefined, cardChoices(context.index)) })),
    // At the list, the lesson a question's topic has is named; the list below holds it.
    pointFromList: emit(({ event }) => {
      const card = cardForQuestion(event);
      return {
        type: 'reply' as const,
        message: card === undefined ? say('learn.typedAtList') : say('learn.typedTopic', { title: lessonAt(card).title }),
      };
    }),
    pointToCard: emit(({ context, event }) => {
      const card = cardForQuestion(event) ?? context.index;
      const lesson = lessonAt(card);
      const open: Choice = { value: `lesson:${lesson.id}`, label: { localized: lesson.title } };
      return { type: 'reply' as const, message: ask('learn.typedTopic', { title: lesson.title }, [open, ...cardChoices(context.index)]) };
    }),
    goNext: assign({ index: ({ context }) => Math.min(context.index + 1, lessons.length - 1) }),
    goPrevious: assign({ index: ({ context }) => Math.max(context.index - 1, 0) }),
    goToLesson: assign({
      index: ({ context, event }) => {
        const index = lessonIndexOf(chosen(event));
        return index >= 0 ? index : context.index;
      },
      resume: null,
    }),
    goToTypedTopic: assign({ index: ({ context, event }) => typedTopicStart(event) ?? context.index, resume: null }),
    leaveForQuiz: assign({ next: 'quiz' as const }),
    leaveForMenu: assign({ next: 'menu' as const }),
  },
}).createMachine({
  id: 'learn',
  context: ({ input }) => {
    const start = startOf(input.params);
    const progress = progressOf(input);
    // Opened from a quiz (at the topic it found weakest, or at the topic just quizzed), the lessons start at that
    // topic, as the reader asked there: no offer to go elsewhere.
    const offer = input.params.weakest === true || input.params.from === 'quiz' ? null : resumeIndex(progress, start);
    return { index: start.index, next: null, read: progress?.read ?? [], resume: offer, ...(start.topic ? { topic: start.topic } : {}) };
  },
  entry: 'introduce',
  initial: 'starting',
  states: {
    starting: {
      always: [{ guard: 'hasResumeOffer', target: 'offeringResume' }, { target: 'reading' }],
    },
    // Back where the reader stopped last time: continue there, or start over (the whole course, or the topic asked for).
    offeringResume: {
      entry: 'askResume',
      on: {
        'user.chooseOption': [
          { guard: 'isResume', target: 'reading', actions: 'goToResume' },
          { guard: 'isRestart', target: 'reading', actions: 'startOver' },
          { guard: 'isList', target: 'listing', actions: 'startOver' },
        ],
        'user.sendText': [
          { guard: 'isRestartWord', target: 'reading', actions: 'startOver' },
          { guard: 'isNextWord', target: 'reading', actions: 'goToResume' },
          { actions: ['explainResume', 'askResume'] },
        ],
        'user.askHelp': { actions: 'explainResume' },
      },
    },
    reading: {
      entry: 'showCard',
      on: {
        'user.chooseOption': [
          { guard: and(['isNext', 'hasNext']), target: 'reading', reenter: true, actions: ['markRead', 'goNext'] },
          // A card shown and then left, whichever way, counts as read.
          { guard: and(['isPrevious', 'hasPrevious']), target: 'reading', reenter: true, actions: ['markRead', 'goPrevious'] },
          { guard: 'isQuiz', target: 'done', actions: ['markRead', 'leaveForQuiz'] },
          { guard: 'isList', target: 'listing', actions: 'markRead' },
          { guard: 'isMenu', target: 'done', actions: ['markRead', 'leaveForMenu'] },
          { guard: 'isLesson', target: 'reading', reenter: true, actions: ['markRead', 'goToLesson'] },
        ],
        'user.sendText': [
          { guard: and(['isNextWord', 'hasNext']), target: 'reading', reenter: true, actions: ['markRead', 'goNext'] },
          // "Berikutnya" on the last card: say so, and what can follow.
          { guard: 'isNextWord', actions: ['markRead', 'explainLastCard', 'showCard'] },
          // A question about another card's topic ("apa itu PTDH?") is pointed to that card.
          { guard: 'asksAboutOtherCard', actions: 'pointToCard' },
          // A question on the card's own topic is pointed to the card, not to "another lesson".
          { guard: 'asksAboutThisCard', actions: 'explainThisCard' },
          { actions: 'explainTyped' },
        ],
        'user.goBack': [
          { guard: 'hasPrevious', target: 'reading', reenter: true, actions: ['markRead', 'goPrevious'] },
          { target: 'listing', actions: 'markRead' },
        ],
        'user.askHelp': { actions: 'explainCards' },
      },
    },
    listing: {
      entry: 'showList',
      on: {
        'user.chooseOption': [
          { guard: 'isLesson', target: 'reading', actions: 'goToLesson' },
          { guard: 'isMenu', target: 'done', actions: 'leaveForMenu' },
        ],
        // A topic typed at the list ("sanctions", "media sosial") opens its first card, as `/belajar <topic>` does.
        'user.sendText': [
          { guard: 'isTypedQuestion', actions: ['pointFromList', 'showList'] },
          { guard: 'isTypedTopic', target: 'reading', actions: 'goToTypedTopic' },
          { actions: ['explainList', 'showList'] },
        ],
        'user.goBack': { target: 'reading' },
        'user.askHelp': { actions: 'explainList' },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) =>
    context.next === 'quiz' ? { next: { flow: 'quiz', params: { topic: lessonAt(context.index).topic } } } : {},
});

/**
 * The lessons as the runtime registers them. `remember` is what the runtime keeps of them between visits (see
 * `rememberLessons`); `carriedArgs` what of `/belajar`'s arguments it may keep through its "leave the flow?" question.
 */
export const learnFlow: FlowDefinition & { remember: typeof rememberLessons; carriedArgs: typeof learnCarriedArgs } = {
  id: 'learn',
  version: 1,
  machine: learnMachine,
  contextSchema: learnContextSchema,
  remember: rememberLessons,
  carriedArgs: learnCarriedArgs,
};
