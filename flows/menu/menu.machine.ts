/**
 * The main menu: greets a new user with the privacy notice, offers the six entries, and hands over to the chosen
 * flow through its output. Language and help are answered here without leaving the menu.
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import { z } from 'zod';
import type { FlowDefinition, FlowEmitted, FlowId, FlowInput, FlowOutput } from '../flow.ts';
import { ask, choice, say, type InboundEvent } from '../messages.ts';

const introSchema = z.enum(['greet', 'cancelled', 'return', 'none']);

export const menuContextSchema = z.object({
  intro: introSchema,
  next: z.enum(['report', 'quiz', 'learn', 'status']).nullable(),
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
  },
  actions: {
    introduce: enqueueActions(({ context, enqueue }) => {
      const intro = {
        greet: ['menu.greeting', 'menu.privacyNotice'],
        cancelled: ['common.cancelled'],
        return: ['menu.welcomeBack'],
        none: [],
      }[context.intro];
      for (const key of intro) enqueue.emit({ type: 'reply', message: say(key) });
    }),
    askChoice: emit({ type: 'reply', message: ask('menu.ask', undefined, menuChoices) }),
    explainMenu: emit({ type: 'reply', message: say('menu.help') }),
    explainNotUnderstood: emit({ type: 'reply', message: say('menu.notUnderstood') }),
    toggleLanguage: emit({ type: 'command', command: { type: 'toggleLocale' } }),
    rememberChoice: assign({
      next: ({ event }) =>
        event.type === 'user.chooseOption' && flowEntries.has(event.value)
          ? (event.value as MenuContext['next'])
          : null,
    }),
  },
}).createMachine({
  id: 'menu',
  context: ({ input }) => ({
    intro: introSchema.catch('none').parse(input.params.intro),
    next: null,
  }),
  initial: 'choosing',
  states: {
    choosing: {
      entry: ['introduce', 'askChoice'],
      on: {
        'user.chooseOption': [
          { guard: 'isFlowEntry', target: 'leaving', actions: 'rememberChoice' },
          { guard: 'isLanguageEntry', actions: ['toggleLanguage', 'askChoice'] },
          { guard: 'isHelpEntry', actions: ['explainMenu', 'askChoice'] },
          { actions: ['explainNotUnderstood', 'askChoice'] },
        ],
        'user.askHelp': { actions: ['explainMenu', 'askChoice'] },
        'user.sendText': { actions: ['explainNotUnderstood', 'askChoice'] },
        'user.sendMedia': { actions: ['explainNotUnderstood', 'askChoice'] },
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
  output: ({ context }) => (context.next ? { next: { flow: context.next as FlowId } } : {}),
});

/** The menu as the runtime registers it. */
export const menuFlow: FlowDefinition = {
  id: 'menu',
  version: 1,
  machine: menuMachine,
  contextSchema: menuContextSchema,
};
