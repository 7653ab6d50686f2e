import { describe, expect, it } from 'vitest';
import { drawQuiz, shuffled } from '../../../bot/education/drawQuiz.ts';
import { quizQuestions, quizTopicIds, type QuizQuestion } from '../../../flows/quiz/questionBank.ts';

const byId = new Map(quizQuestions.map((q) => [q.id, q]));
const topicOf = (id: string) => byId.get(id)!.topic;
const countByTopic = (ids: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(topicOf(id), (counts.get(topicOf(id)) ?? 0) + 1);
  return counts;
};

describe('drawing a quiz', () => {
  it('draws 10 different questions, balanced across the 7 topics (1 or 2 each), in 2,000 draws', () => {
    for (let i = 0; i < 2000; i += 1) {
      const ids = drawQuiz({ questions: quizQuestions, topic: null, seen: new Set() }).map((q) => q.id);
      expect(ids).toHaveLength(10);
      expect(new Set(ids).size).toBe(10);
      const counts = countByTopic(ids);
      expect(counts.size).toBe(quizTopicIds.length);
      for (const n of counts.values()) expect(n === 1 || n === 2).toBe(true);
    }
  });

  it('gives each question its own options in a shuffled order', () => {
    const correctAt = [0, 0, 0, 0];
    let fourOptions = 0;
    for (let i = 0; i < 2000; i += 1) {
      for (const drawn of drawQuiz({ questions: quizQuestions, topic: null, seen: new Set() })) {
        const question = byId.get(drawn.id)!;
        expect([...drawn.optionOrder].sort()).toEqual(question.options.map((o) => o.id).sort());
        if (question.options.length === 4) {
          fourOptions += 1;
          correctAt[drawn.optionOrder.indexOf(question.correct)]! += 1;
        }
      }
    }
    // The right answer lands in each of four places about a quarter of the time.
    for (const n of correctAt) expect(n / fourOptions).toBeGreaterThan(0.2);
    for (const n of correctAt) expect(n / fourOptions).toBeLessThan(0.3);
  });

  it('reaches every question of the bank over many draws', () => {
    const drawn = new Set<string>();
    for (let i = 0; i < 1000; i += 1) for (const q of drawQuiz({ questions: quizQuestions, topic: null, seen: new Set() })) drawn.add(q.id);
    expect(drawn.size).toBe(quizQuestions.length);
  });

  it('avoids every question of the last attempt on a retake, in 1,000 retakes', () => {
    let seen = new Set<string>();
    for (let i = 0; i < 1000; i += 1) {
      const ids = drawQuiz({ questions: quizQuestions, topic: null, seen }).map((q) => q.id);
      for (const id of ids) expect(seen.has(id)).toBe(false);
      for (const n of countByTopic(ids).values()) expect(n).toBeLessThanOrEqual(2);
      seen = new Set(ids);
    }
  });

  it('repeats a seen question only where its topic has nothing new left, keeping the balance', () => {
    const small: QuizQuestion[] = quizTopicIds.flatMap((topic) =>
      quizQuestions.filter((q) => q.topic === topic).slice(0, topic === 'sanctions' ? 1 : 3),
    );
    const onlySanctions = small.find((q) => q.topic === 'sanctions')!.id;
    for (let i = 0; i < 300; i += 1) {
      const seen = new Set([onlySanctions, ...small.filter((q) => q.topic === 'reporting').map((q) => q.id)]);
      const ids = drawQuiz({ questions: small, topic: null, seen }).map((q) => q.id);
      const counts = countByTopic(ids);
      expect(counts.get('sanctions')).toBe(1);
      // Reporting has only seen questions: it keeps one slot but never gets an extra one another topic could fill.
      expect(counts.get('reporting')).toBe(1);
      expect(ids.filter((id) => seen.has(id))).toHaveLength(2);
    }
  });

  it('draws only the chosen topic for a lesson\'s quiz: all of it, up to 10, new questions first', () => {
    for (const topic of quizTopicIds) {
      const inTopic = quizQuestions.filter((q) => q.topic === topic);
      const seen = new Set(inTopic.slice(0, 3).map((q) => q.id));
      for (let i = 0; i < 100; i += 1) {
        const ids = drawQuiz({ questions: quizQuestions, topic, seen }).map((q) => q.id);
        expect(ids).toHaveLength(Math.min(10, inTopic.length));
        for (const id of ids) expect(topicOf(id)).toBe(topic);
        const unseen = inTopic.filter((q) => !seen.has(q.id)).length;
        expect(ids.filter((id) => seen.has(id)).length).toBe(Math.max(0, ids.length - unseen));
      }
    }
  });

  it('draws nothing from an empty topic', () => {
    expect(drawQuiz({ questions: quizQuestions.filter((q) => q.topic !== 'reporting'), topic: 'reporting', seen: new Set() })).toEqual([]);
  });

  it('shuffles with the random source it is given', () => {
    const seq = [0, 0, 0];
    expect(shuffled([1, 2, 3, 4], () => seq.shift() ?? 0)).toEqual([2, 3, 4, 1]);
  });
});
