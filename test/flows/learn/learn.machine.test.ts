import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { lessons, lessonsForTopic } from '../../../content/education/lessons.ts';
import { quizTopicIds as lessonTopicIds } from '../../../content/education/lessons.schema.ts';
import { quizQuestions, quizTopicIds } from '../../../flows/quiz/questionBank.ts';
import type { FlowInput } from '../../../flows/flow.ts';
import type { InboundEvent, OutboundMessage } from '../../../flows/messages.ts';
import { cardChoices, learnContextSchema, learnMachine, startIndex } from '../../../flows/learn/learn.machine.ts';
import { askedIn, keyOf, runPath } from '../quiz/runPath.ts';

const at = '2026-11-22T03:00:00.000Z';
const pick = (value: string): InboundEvent => ({ type: 'user.chooseOption', at, value });
const events: InboundEvent[] = [
  pick('next'),
  pick('previous'),
  pick('quiz'),
  pick('list'),
  pick('menu'),
  pick(`lesson:${lessons[lessons.length - 1]!.id}`),
  pick(`lesson:${lessons[1]!.id}`),
  pick('lesson:no-such-lesson'),
  { type: 'user.goBack', at },
  { type: 'user.askHelp', at },
  { type: 'user.sendText', at, text: 'hmm' },
];

describe('the lesson machine (model-based paths)', () => {
  const input: FlowInput = { at, params: {} };
  const model = createTestModel(learnMachine, { input, events });
  const paths = model.getShortestPaths();

  it('reaches every card and the list', () => {
    const seen = new Set(paths.flatMap((p) => p.steps.map((s) => `${String(s.state.value)}:${s.state.context.index}`)));
    for (let i = 0; i < lessons.length; i += 1) expect(seen).toContain(`reading:${i}`);
    expect([...seen].some((s) => s.startsWith('listing'))).toBe(true);
  });

  it('shows the card it is on after every move, with previous and next only where they exist', () => {
    for (const path of paths) {
      const { initial, steps } = runPath(learnMachine, input, learnContextSchema, path as never);
      expect(initial.replies.map(keyOf)).toEqual(['learn.intro', 'learn.card']);
      for (const step of steps) {
        const asked = askedIn(step);
        const index = (step.context as { index: number }).index;
        if (step.after === 'reading' && asked) {
          expect(keyOf(asked)).toBe('learn.card');
          expect(asked.type === 'text' && asked.text).toMatchObject({ params: { number: index + 1, total: lessons.length } });
          expect(asked.type === 'text' && asked.choices?.map((c) => c.value)).toEqual(cardChoices(index).map((c) => c.value));
        }
        if (step.after === 'listing' && step.before !== 'listing') expect(keyOf(asked)).toBe('learn.listAsk');
        expect(index).toBeGreaterThanOrEqual(0);
        expect(index).toBeLessThan(lessons.length);
      }
    }
  });

  it('hands over to the quiz on the card\'s topic, or returns to the menu', () => {
    let toQuiz = 0;
    for (const path of paths) {
      const { steps } = runPath(learnMachine, input, learnContextSchema, path as never);
      const last = steps[steps.length - 1];
      if (last?.status !== 'done') continue;
      const { index, next } = last.context as { index: number; next: string };
      if (next === 'quiz') {
        toQuiz += 1;
        expect(last.output).toEqual({ next: { flow: 'quiz', params: { topic: lessons[index]!.topic } } });
      } else {
        expect(last.output).toEqual({});
      }
    }
    expect(toQuiz).toBeGreaterThanOrEqual(lessons.length);
  });

  it('offers previous and next only where a card exists, and the quiz everywhere', () => {
    expect(cardChoices(0).map((c) => c.value)).toEqual(['next', 'quiz', 'list', 'menu']);
    expect(cardChoices(lessons.length - 1).map((c) => c.value)).toEqual(['previous', 'quiz', 'list', 'menu']);
    expect(cardChoices(1).map((c) => c.value)).toEqual(['next', 'previous', 'quiz', 'list', 'menu']);
  });
});

describe('where the lessons start', () => {
  it('says it is the last card when asked to read on past it, and reads on with a typed word elsewhere', () => {
    const replies = (args: string, text: string): string[] => {
      const actor = createActor(learnMachine, { input: { at, params: { args } } });
      const keys: string[] = [];
      actor.on('reply', (e) => keys.push(keyOf((e as { message: OutboundMessage }).message) ?? ''));
      actor.start();
      keys.length = 0;
      actor.send({ type: 'user.sendText', at, text });
      return keys;
    };
    expect(replies(String(lessons.length), 'berikutnya')).toEqual(['learn.lastCard', 'learn.card']);
    expect(replies('1', 'berikutnya')).toEqual(['learn.card']);
    // As people type it: a repeated letter, "udah" (read it), English, a polite word around it.
    for (const word of ['lanjutt', 'udah', 'Go on!', 'lanjut kak', 'ok next', 'Continue.']) expect(replies('1', word), word).toEqual(['learn.card']);
  });

  it('answers a typed question on a card with where answers are, and the card\'s choices again', () => {
    const actor = createActor(learnMachine, { input: { at, params: { args: '2' } } });
    const messages: OutboundMessage[] = [];
    actor.on('reply', (e) => void messages.push((e as { message: OutboundMessage }).message));
    actor.start();
    messages.length = 0;
    actor.send({ type: 'user.sendText', at, text: 'apakah guru honorer juga dilarang?' });
    expect(messages.map(keyOf)).toEqual(['learn.typed']);
    expect(messages[0]).toMatchObject({ choices: cardChoices(1) });
    actor.stop();
  });

  it('starts at a card number, a lesson id, a topic or a title, else at the first card', () => {
    expect(startIndex({})).toBe(0);
    expect(startIndex({ args: '3' })).toBe(2);
    expect(startIndex({ args: '99' })).toBe(0);
    expect(startIndex({ args: lessons[4]!.id })).toBe(4);
    const sanctions = lessons.findIndex((l) => l.topic === 'sanctions');
    expect(startIndex({ topic: 'sanctions' })).toBe(sanctions);
    expect(startIndex({ args: lessons[5]!.title.en.toUpperCase() })).toBe(5);
    expect(startIndex({ args: 'something else' })).toBe(0);
  });
});

describe('lesson and quiz topics', () => {
  it('are one list, and every topic has lessons to read and questions for its quiz button', () => {
    expect([...lessonTopicIds]).toEqual([...quizTopicIds]);
    for (const topic of quizTopicIds) {
      expect(lessonsForTopic(topic).length, topic).toBeGreaterThan(0);
      expect(quizQuestions.filter((q) => q.topic === topic).length, topic).toBeGreaterThan(0);
    }
  });
});

describe('the lessons opened after a quiz', () => {
  it('start at the weakest topic\'s first lesson and say in one sentence why', () => {
    const actor = createActor(learnMachine, { input: { at, params: { topic: 'sanctions', weakest: true } } });
    const messages: OutboundMessage[] = [];
    actor.on('reply', (e) => void messages.push((e as { message: OutboundMessage }).message));
    actor.start();
    expect(messages.map(keyOf)).toEqual(['learn.intro', 'learn.weakestTopic', 'learn.card']);
    expect(messages[1]).toMatchObject({ text: { params: { topic: { id: 'Sanksi', en: 'Sanctions' } } } });
    const first = lessons.findIndex((l) => l.topic === 'sanctions');
    expect(messages[2]).toMatchObject({ text: { params: { number: first + 1 } } });
    actor.stop();
  });

  it('say nothing of a weakest topic when opened on a topic otherwise', () => {
    const actor = createActor(learnMachine, { input: { at, params: { topic: 'sanctions' } } });
    const messages: OutboundMessage[] = [];
    actor.on('reply', (e) => void messages.push((e as { message: OutboundMessage }).message));
    actor.start();
    expect(messages.map(keyOf)).toEqual(['learn.intro', 'learn.card']);
    actor.stop();
  });
});
