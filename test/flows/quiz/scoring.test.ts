import { describe, expect, it } from 'vitest';
import { quizQuestions, type QuizQuestion } from '../../../flows/quiz/questionBank.ts';
import { isPassing, percentOf, scoreAnswers, scoreQuiz, topicScores, topicsToReview, weakestTopic } from '../../../flows/quiz/scoring.ts';

const ten = quizQuestions.slice(0, 10);
const right = (q: QuizQuestion) => ({ questionId: q.id, chosen: q.correct });
const wrong = (q: QuizQuestion) => ({ questionId: q.id, chosen: q.options.find((o) => o.id !== q.correct)?.id ?? 'x' });

describe('quiz scoring', () => {
  it('passes 8 right answers out of 10 (exactly 80%)', () => {
    const answers = ten.map((q, i) => (i < 8 ? right(q) : wrong(q)));
    expect(scoreQuiz(answers, 10)).toEqual({ score: 8, total: 10, passed: true });
  });

  it('fails 7 right answers out of 10', () => {
    const answers = ten.map((q, i) => (i < 7 ? right(q) : wrong(q)));
    expect(scoreQuiz(answers, 10)).toEqual({ score: 7, total: 10, passed: false });
  });

  it('holds shorter topic quizzes to the same 80%: 7 of 8 and 4 of 5 pass, 6 of 8 fails', () => {
    expect(isPassing(7, 8)).toBe(true);
    expect(isPassing(6, 8)).toBe(false);
    expect(isPassing(4, 5)).toBe(true);
    expect(isPassing(3, 5)).toBe(false);
    expect(isPassing(0, 0)).toBe(false);
  });

  it('counts unanswered questions as wrong', () => {
    expect(scoreQuiz(ten.slice(0, 8).map(right), 10).passed).toBe(true);
    expect(scoreQuiz(ten.slice(0, 7).map(right), 10)).toEqual({ score: 7, total: 10, passed: false });
  });

  it('marks an answer to a question no longer in the bank as wrong, without a topic', () => {
    expect(scoreAnswers([{ questionId: 'gone-01', chosen: 'a' }])).toEqual([
      { questionId: 'gone-01', chosen: 'a', topic: null, correct: false },
    ]);
  });

  it('rounds the percentage shown', () => {
    expect(percentOf(8, 10)).toBe(80);
    expect(percentOf(2, 3)).toBe(67);
    expect(percentOf(0, 0)).toBe(0);
  });

  it('lists the topics to review, the most missed first', () => {
    const sanctions = quizQuestions.filter((q) => q.topic === 'sanctions').slice(0, 2);
    const reporting = quizQuestions.filter((q) => q.topic === 'reporting').slice(0, 2);
    const answers = [wrong(reporting[0]!), wrong(sanctions[0]!), wrong(sanctions[1]!), right(reporting[1]!)];
    expect(topicsToReview(answers)).toEqual(['sanctions', 'reporting']);
    expect(topicsToReview([right(sanctions[0]!)])).toEqual([]);
  });
});

describe('the topic answered worst', () => {
  const sanctions = quizQuestions.filter((q) => q.topic === 'sanctions').slice(0, 2);
  const reporting = quizQuestions.filter((q) => q.topic === 'reporting').slice(0, 2);
  const legal = quizQuestions.filter((q) => q.topic === 'legal-basis').slice(0, 1);

  it('is the one with the lowest share right, then the most missed, then the first met', () => {
    // Reporting 1 of 2 right, legal basis 0 of 1: the share decides, not the order met.
    expect(weakestTopic([wrong(reporting[0]!), right(reporting[1]!), wrong(legal[0]!)])).toBe('legal-basis');
    // Both at 0%: sanctions missed twice.
    expect(weakestTopic([wrong(legal[0]!), wrong(sanctions[0]!), wrong(sanctions[1]!)])).toBe('sanctions');
    expect(weakestTopic([wrong(reporting[0]!), wrong(legal[0]!)])).toBe('reporting');
    expect(weakestTopic([right(legal[0]!)])).toBeUndefined();
    expect(topicScores([wrong(reporting[0]!), right(reporting[1]!), wrong(legal[0]!)])).toEqual([
      { topic: 'reporting', right: 1, total: 2 },
      { topic: 'legal-basis', right: 0, total: 1 },
    ]);
  });

  it('comes first in the list of topics to review', () => {
    expect(topicsToReview([wrong(reporting[0]!), right(reporting[1]!), wrong(legal[0]!)])).toEqual(['legal-basis', 'reporting']);
  });
});
