import { describe, expect, it } from 'vitest';
import { isFullQuizWord, quizTopicIds, topicFromWords, topicInQuestion, topicLabel, topicWordList } from '../../../flows/quiz/questionBank.ts';

describe('a topic named in words', () => {
  it('is read from its id, its name in either language, its everyday words and the start of its name', () => {
    for (const id of quizTopicIds) {
      expect(topicFromWords(id), id).toBe(id);
      expect(topicFromWords(topicLabel(id).id.toUpperCase()), id).toBe(id);
      expect(topicFromWords(topicLabel(id).en), id).toBe(id);
    }
    expect(topicFromWords('sanksi')).toBe('sanctions');
    expect(topicFromWords('sangsi dong')).toBe('sanctions');
    expect(topicFromWords('topik media sosial')).toBe('social-media');
    expect(topicFromWords('medsos')).toBe('social-media');
    expect(topicFromWords('p3k')).toBe('pppk-honorer-village');
    expect(topicFromWords('kades')).toBe('pppk-honorer-village');
    expect(topicFromWords('siapa yang menjatuhkan')).toBe('who-decides');
    expect(topicFromWords('cara melapor')).toBe('reporting');
  });

  it('is not read from words that name no topic or the start of several names', () => {
    for (const words of ['', 'xyz', 'apa saja', 'budi santoso', 'pe']) expect(topicFromWords(words), words).toBeUndefined();
  });

  it('never names two topics with one word', () => {
    const seen = new Map<string, string>();
    for (const [word, topic] of topicWordList) {
      expect(seen.get(word) ?? topic, word).toBe(topic);
      seen.set(word, topic);
    }
  });

  it('asks for the full quiz with "lengkap", "semua" or "full"', () => {
    for (const words of ['lengkap', 'kuis lengkap', 'yang lengkap aja', 'semua topik', 'full', 'the full quiz']) expect(isFullQuizWord(words), words).toBe(true);
    expect(isFullQuizWord('sanksi')).toBe(false);
  });
});

describe('the topic a typed question is about', () => {
  it.each([
    ['apa itu PTDH?', 'sanctions'],
    ['klo kades boleh jd timses ga?', 'pppk-honorer-village'],
    ['boleh like postingan caleg?', 'social-media'],
    ['bolehkah foto bareng calon?', 'prohibited-acts'],
    ['gimana cara lapor ke bawaslu', 'reporting'],
  ] as const)('reads %j as about %s', (text, topic) => {
    expect(topicInQuestion(text)).toBe(topic);
  });

  it.each(['apakah pppk boleh like postingan caleg?', 'siapa yang lapor', 'hmm', ''])('reads no one topic in %j', (text) => {
    expect(topicInQuestion(text)).toBeUndefined();
  });
});
