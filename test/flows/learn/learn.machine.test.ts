import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { lessons, lessonsForTopic } from '../../../content/education/lessons.ts';
import { quizTopicIds as lessonTopicIds } from '../../../content/education/lessons.schema.ts';
import { quizQuestions, quizTopicIds } from '../../../flows/quiz/questionBank.ts';
import type { FlowInput } from '../../../flows/flow.ts';
import type { InboundEvent, OutboundMessage } from '../../../flows/messages.ts';
import { cardChoices, learnCarriedArgs, learnContextSchema, learnMachine, listChoices, rememberLessons, startIndex } from '../../../flows/learn/learn.machine.ts';
import { matchChoice } from '../../../flows/shared/matchChoice.ts';
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
  // The cards read grow with every path; states differ by where the reader is, not by what was read on the way.
  const model = createTestModel(learnMachine, {
    input,
    events,
    serializeState: (state) => JSON.stringify([state.value, (state.context as { index: number }).index, (state.context as { next: unknown }).next]),
  });
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
        if (step.after === 'listing' && step.before !== 'listing') expect(['learn.listAsk', 'learn.listAskRead']).toContain(keyOf(asked));
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

/**
 * Plays the lessons as the runtime would with the progress kept between visits: `remembered` in, a JSON round-trip of
 * the snapshot before every event, and what `rememberLessons` keeps at the end.
 */
function playLessons(params: Record<string, unknown>, remembered: unknown, events: readonly InboundEvent[]) {
  let messages: OutboundMessage[] = [];
  let stored: unknown;
  const input = { at, params, remembered };
  for (const event of [undefined, ...events]) {
    messages = [];
    const actor = stored === undefined ? createActor(learnMachine, { input }) : createActor(learnMachine, { snapshot: stored as never, input });
    actor.on('reply', (e) => void messages.push((e as { message: OutboundMessage }).message));
    actor.start();
    if (event) actor.send(event);
    stored = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    actor.stop();
  }
  const snapshot = stored as { value: unknown; status: string; context: unknown; output: unknown };
  return { messages, snapshot, kept: JSON.parse(JSON.stringify(rememberLessons(snapshot) ?? null)) as unknown };
}

const text = (value: string): InboundEvent => ({ type: 'user.sendText', at, text: value });
const cardNumber = (message: OutboundMessage | undefined) => (message?.type === 'text' && 'key' in message.text ? message.text.params?.number : undefined);
const idsOf = (...indexes: number[]) => indexes.map((i) => lessons[i]!.id);

describe('a reader coming back to the lessons', () => {
  it('is remembered at the card on screen, with the cards moved on from as read', () => {
    const { kept } = playLessons({}, undefined, [pick('next'), pick('next'), pick('next')]);
    expect(kept).toEqual({ at: lessons[3]!.id, read: idsOf(0, 1, 2) });
    // Leaving for the topic's quiz or the menu finishes the card on screen too.
    expect(playLessons({}, undefined, [pick('next'), pick('quiz')]).kept).toEqual({ at: lessons[1]!.id, read: idsOf(0, 1) });
  });

  it('is offered to continue at the card where they stopped, or to start over, and continues there', () => {
    const offer = playLessons({}, { at: lessons[3]!.id, read: idsOf(0, 1, 2) }, []);
    expect(offer.messages.map(keyOf)).toEqual(['learn.intro', 'learn.resumeAsk']);
    expect(offer.messages[1]).toMatchObject({ text: { params: { number: 4, total: lessons.length, title: lessons[3]!.title } } });
    expect(offer.messages[1]?.type === 'text' && offer.messages[1].choices?.map((c) => c.value)).toEqual(['resume', 'restart', 'list']);
    for (const answer of [pick('resume'), text('lanjut'), text('iya')]) {
      const resumed = playLessons({}, { at: lessons[3]!.id, read: idsOf(0, 1, 2) }, [answer]);
      expect(cardNumber(resumed.messages[0]), JSON.stringify(answer)).toBe(4);
    }
    for (const answer of [pick('restart'), text('dari awal aja'), text('ulang'), text('tidak')]) {
      const restarted = playLessons({}, { at: lessons[3]!.id, read: idsOf(0, 1, 2) }, [answer]);
      expect(cardNumber(restarted.messages[0]), JSON.stringify(answer)).toBe(1);
    }
  });

  it('is offered the first unread card after one they finished, and nothing once the course is read or when they had only opened the first card', () => {
    const after = playLessons({}, { at: lessons[2]!.id, read: idsOf(0, 1, 2) }, []);
    expect(after.messages[1]).toMatchObject({ text: { key: 'learn.resumeAsk', params: { number: 4 } } });
    expect(playLessons({}, { at: lessons[0]!.id, read: [] }, []).messages.map(keyOf)).toEqual(['learn.intro', 'learn.card']);
    const all = lessons.map((l) => l.id);
    expect(playLessons({}, { at: all[all.length - 1], read: all }, []).messages.map(keyOf)).toEqual(['learn.intro', 'learn.allRead', 'learn.card']);
  });

  it('is offered to continue inside the topic asked for by name, and starting over opens the topic\'s first card', () => {
    const sanctions = lessons.map((l, i) => (l.topic === 'sanctions' ? i : -1)).filter((i) => i >= 0);
    expect(sanctions.length).toBeGreaterThan(1);
    const progress = { at: lessons[sanctions[1]!]!.id, read: idsOf(sanctions[0]!) };
    const offer = playLessons({ args: 'sanksi' }, progress, []);
    expect(offer.messages[1]).toMatchObject({ text: { key: 'learn.resumeAskTopic', params: { number: sanctions[1]! + 1, topic: { id: 'Sanksi' } } } });
    expect(offer.messages[1]?.type === 'text' && offer.messages[1].choices?.[1]).toMatchObject({ label: { key: 'learn.restartTopic' } });
    expect(cardNumber(playLessons({ args: 'sanksi' }, progress, [pick('restart')]).messages[0])).toBe(sanctions[0]! + 1);
    // Another topic's progress says nothing about this one's.
    expect(playLessons({ args: 'pelaporan' }, progress, []).messages.map(keyOf)).toEqual(['learn.intro', 'learn.card']);
  });

  it('is not offered elsewhere when a card is asked for by number or title, or when a quiz opened its weakest topic', () => {
    const progress = { at: lessons[3]!.id, read: idsOf(0, 1, 2) };
    expect(cardNumber(playLessons({ args: '7' }, progress, []).messages[1])).toBe(7);
    expect(cardNumber(playLessons({ args: lessons[5]!.title.id }, progress, []).messages[1])).toBe(6);
    expect(playLessons({ topic: 'sanctions', weakest: true }, { at: lessons[6]!.id, read: idsOf(5) }, []).messages.map(keyOf)).toEqual([
      'learn.intro',
      'learn.weakestTopic',
      'learn.card',
    ]);
  });

  it('sees the cards read marked ✓ in the list, and can still pick one by its title', () => {
    const listed = playLessons({}, { at: lessons[2]!.id, read: idsOf(0, 1) }, [pick('list')]);
    expect(listed.messages.map(keyOf)).toEqual(['learn.listAskRead']);
    const labels = listed.messages[0]?.type === 'text' ? listed.messages[0].choices?.map((c) => c.label) : [];
    expect(labels?.[0]).toEqual({ localized: { id: `✓ ${lessons[0]!.title.id}`, en: `✓ ${lessons[0]!.title.en}` } });
    expect(labels?.[2]).toEqual({ localized: lessons[2]!.title });
    expect(matchChoice(lessons[0]!.title.id.toLowerCase(), listChoices(idsOf(0)))?.value).toBe(`lesson:${lessons[0]!.id}`);
  });

  it('counts a card as read once it was shown and left any way: back, the list, another card', () => {
    const back = { type: 'user.goBack', at } as const;
    // Card 1, next to card 2, back to card 1: both were read.
    expect(playLessons({}, undefined, [pick('next'), back]).kept).toEqual({ at: lessons[0]!.id, read: idsOf(0, 1) });
    // Card 1 left for the list, then card 4 left for card 2.
    expect(playLessons({}, undefined, [pick('list'), pick(`lesson:${lessons[3]!.id}`), pick(`lesson:${lessons[1]!.id}`)]).kept).toEqual({
      at: lessons[1]!.id,
      read: idsOf(0, 3),
    });
  });

  it('opens the first card of a topic typed at the list, in either language, as /belajar <topic> does', () => {
    const sanctions = lessons.findIndex((l) => l.topic === 'sanctions');
    for (const typed of ['sanctions', 'hukuman disiplin', 'medsos']) {
      const opened = playLessons({}, undefined, [pick('list'), text(typed)]);
      expect(cardNumber(opened.messages[0]), typed).toBe(startIndex({ args: typed }) + 1);
    }
    expect(cardNumber(playLessons({}, undefined, [pick('list'), text('sanctions')]).messages[0])).toBe(sanctions + 1);
  });

  it('points a question typed at a card to the card on its topic, with that card to choose', () => {
    const sanctions = lessons.findIndex((l) => l.topic === 'sanctions');
    const asked = playLessons({}, undefined, [text('apa itu PTDH?')]);
    expect(asked.messages.map(keyOf)).toEqual(['learn.typedTopic']);
    const choices = asked.messages[0]?.type === 'text' ? asked.messages[0].choices?.map((c) => c.value) : [];
    expect(choices?.[0]).toBe(`lesson:${lessons[sanctions]!.id}`);
    expect(cardNumber(playLessons({}, undefined, [text('apa itu PTDH?'), pick(`lesson:${lessons[sanctions]!.id}`)]).messages[0])).toBe(sanctions + 1);
    // A question on the card's own topic is pointed to that card; on none or several, it gets where answers are.
    expect(playLessons({ args: 'sanksi' }, undefined, [text('apa itu PTDH?')]).messages.map(keyOf)).toEqual(['learn.typedThisCard']);
    expect(playLessons({}, undefined, [text('hmm')]).messages.map(keyOf)).toEqual(['learn.typed']);
  });

  it('answers a question typed at the list with the lesson on its topic or where answers are, and never opens a card for it', () => {
    const asked = playLessons({}, undefined, [pick('list'), text('apa itu PTDH?')]);
    expect(asked.messages.map(keyOf)).toEqual(['learn.typedTopic', 'learn.listAskRead']);
    const kades = playLessons({}, undefined, [pick('list'), text('sy kades, apa aturan netralitas ini berlaku buat kades jg?')]);
    expect(kades.messages.map(keyOf)).not.toContain('learn.card');
    expect(kades.messages.map(keyOf).at(-1)).toBe('learn.listAskRead');
    // Words that are neither a topic nor a question: how to choose, and the list again.
    expect(playLessons({}, undefined, [pick('list'), text('hmm')]).messages.map(keyOf)).toEqual(['learn.listHelp', 'learn.listAskRead']);
  });

  it('forgets lessons no longer offered, and starts as always from a progress it cannot read', () => {
    expect(playLessons({}, { at: 'gone', read: ['gone', lessons[0]!.id] }, []).kept).toEqual({ at: lessons[1]!.id, read: idsOf(0) });
    expect(playLessons({}, 'nonsense', []).messages.map(keyOf)).toEqual(['learn.intro', 'learn.card']);
  });
});

describe('the lessons asked for by topic in words', () => {
  it('open at the topic\'s first card for "/belajar sanksi", "medsos" or "pppk"', () => {
    const first = (topic: string) => lessons.findIndex((l) => l.topic === topic);
    expect(startIndex({ args: 'sanksi' })).toBe(first('sanctions'));
    expect(startIndex({ args: 'medsos' })).toBe(first('social-media'));
    expect(startIndex({ args: 'PPPK' })).toBe(first('pppk-honorer-village'));
    // A lesson's own title still opens that lesson, not its topic's first.
    expect(startIndex({ args: 'jalur pidana' })).toBe(lessons.findIndex((l) => l.id === 'criminal-track'));
  });

  it('let only a lesson\'s or a topic\'s id ride through the leave question', () => {
    expect(learnCarriedArgs({ args: 'sanksi' })).toBe('sanctions');
    expect(learnCarriedArgs({ args: '3' })).toBe(lessons[2]!.id);
    expect(learnCarriedArgs({ args: 'budi santoso' })).toBeUndefined();
    expect(learnCarriedArgs({})).toBeUndefined();
    expect(startIndex({ args: learnCarriedArgs({ args: 'jalur pidana' }) })).toBe(startIndex({ args: 'jalur pidana' }));
  });
});
