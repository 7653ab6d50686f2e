/**
 * The lessons: short cards read one at a time with next and previous, a list to jump to any card, and on each
 * card "try the quiz on this topic", which hands over to the quiz restricted to the card's topic. Opened from a
 * quiz's result, they start at the topic answered worst and say so.
 */
import { and, assign, emit, enqueueActions, setup } from 'xstate';
import { z } from 'zod';
import { lessons, lessonsForTopic, type Lesson } from '../../content/education/lessons.ts';
import { isQuizTopic, quizTopicIds, topicLabel, type QuizTopic } from '../quiz/questionBank.ts';
import type { FlowDefinition, FlowEmitted, FlowInput, FlowOutput } from '../flow.ts';
import { ask, choice, say, type Choice, type InboundEvent, type OutboundMessage } from '../messages.ts';
import { isYesWord } from '../report/answerWords.ts';
import { normaliseForMatch } from '../shared/texts.ts';

export const learnContextSchema = z.object({
  /** The card on screen (0-based); kept within the lessons on restore. */
  index: z.number().int().nonnegative().max(Math.max(0, lessons.length - 1)),
  next: z.enum(['quiz', 'menu']).nullable(),
});
type LearnContext = z.infer<typeof learnContextSchema>;

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

const listChoices: Choice[] = [
  ...lessons.map((lesson) => ({ value: `lesson:${lesson.id}`, label: { localized: lesson.title } })),
  choice('menu', 'common.mainMenu'),
];

function chosen(event: InboundEvent): string | undefined {
  return event.type === 'user.chooseOption' ? event.value : undefined;
}

function lessonIndexOf(value: string | undefined): number {
  return value?.startsWith('lesson:') ? lessons.findIndex((l) => l.id === value.slice(7)) : -1;
}

/**
 * Where `/belajar <args>` or a `topic` parameter starts: a card number ("3"), a lesson id, or a topic id
 * (its first card); the first card otherwise.
 */
export function startIndex(params: Record<string, unknown>): number {
  const wanted = typeof params.topic === 'string' ? params.topic : typeof params.args === 'string' ? params.args : '';
  const key = wanted.trim().toLowerCase();
  if (/^\d{1,2}$/.test(key)) {
    const n = Number(key);
    return n >= 1 && n <= lessons.length ? n - 1 : 0;
  }
  const byId = lessons.findIndex((l) => l.id === key);
  if (byId >= 0) return byId;
  const topic = z.enum(quizTopicIds).safeParse(key);
  if (topic.success) {
    const first = lessonsForTopic(topic.data)[0];
    if (first) return lessons.indexOf(first);
  }
  const typed = normaliseForMatch(wanted);
  const byTitle = typed ? lessons.findIndex((l) => [l.title.id, l.title.en].some((t) => normaliseForMatch(t) === typed)) : -1;
  return Math.max(0, byTitle);
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

export const learnMachine = setup({
  types: {
    input: {} as FlowInput,
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
  },
  actions: {
    introduce: enqueueActions(({ event, enqueue }) => {
      enqueue.emit({ type: 'reply', message: say('learn.intro', { count: lessons.length }) });
      const weakest = weakestTopicOf(event);
      if (weakest) enqueue.emit({ type: 'reply', message: say('learn.weakestTopic', { topic: topicLabel(weakest) }) });
    }),
    showCard: emit(({ context }) => ({ type: 'reply' as const, message: cardMessage(context.index) })),
    showList: emit({ type: 'reply', message: ask('learn.listAsk', undefined, listChoices) }),
    explainCards: emit({ type: 'reply', message: say('learn.help') }),
    explainLastCard: emit({ type: 'reply', message: say('learn.lastCard') }),
    // A card asks nothing: typed words ("apa itu PTDH?") get where answers are, not "answer the question below".
    // With the card's choices again: they are far up the chat, and a typed number must mean one of them.
    explainTyped: emit(({ context }) => ({ type: 'reply' as const, message: ask('learn.typed', undefined, cardChoices(context.index)) })),
    explainList: emit({ type: 'reply', message: say('learn.listHelp') }),
    goNext: assign({ index: ({ context }) => Math.min(context.index + 1, lessons.length - 1) }),
    goPrevious: assign({ index: ({ context }) => Math.max(context.index - 1, 0) }),
    goToLesson: assign({ index: ({ context, event }) => {
      const index = lessonIndexOf(chosen(event));
      return index >= 0 ? index : context.index;
    } }),
    leaveForQuiz: assign({ next: 'quiz' as const }),
    leaveForMenu: assign({ next: 'menu' as const }),
  },
}).createMachine({
  id: 'learn',
  context: ({ input }) => ({ index: startIndex(input.params), next: null }),
  entry: 'introduce',
  initial: 'reading',
  states: {
    reading: {
      entry: 'showCard',
      on: {
        'user.chooseOption': [
          { guard: and(['isNext', 'hasNext']), target: 'reading', reenter: true, actions: 'goNext' },
          { guard: and(['isPrevious', 'hasPrevious']), target: 'reading', reenter: true, actions: 'goPrevious' },
          { guard: 'isQuiz', target: 'done', actions: 'leaveForQuiz' },
          { guard: 'isList', target: 'listing' },
          { guard: 'isMenu', target: 'done', actions: 'leaveForMenu' },
          { guard: 'isLesson', target: 'reading', reenter: true, actions: 'goToLesson' },
        ],
        'user.sendText': [
          { guard: and(['isNextWord', 'hasNext']), target: 'reading', reenter: true, actions: 'goNext' },
          // "Berikutnya" on the last card: say so, and what can follow.
          { guard: 'isNextWord', actions: ['explainLastCard', 'showCard'] },
          { actions: 'explainTyped' },
        ],
        'user.goBack': [
          { guard: 'hasPrevious', target: 'reading', reenter: true, actions: 'goPrevious' },
          { target: 'listing' },
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
        'user.goBack': { target: 'reading' },
        'user.askHelp': { actions: 'explainList' },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) =>
    context.next === 'quiz' ? { next: { flow: 'quiz', params: { topic: lessonAt(context.index).topic } } } : {},
});

/** The lessons as the runtime registers them. */
export const learnFlow: FlowDefinition = {
  id: 'learn',
  version: 1,
  machine: learnMachine,
  contextSchema: learnContextSchema,
};
