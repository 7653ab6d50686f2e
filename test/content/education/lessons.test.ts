import { describe, expect, it } from 'vitest';
import raw from '../../../content/education/lessons.json' with { type: 'json' };
import { getLesson, LessonContentError, lessons, lessonsForTopic, parseLessons } from '../../../content/education/lessons.ts';
import { lessonsSchema, quizTopicIds } from '../../../content/education/lessons.schema.ts';

const languages = ['id', 'en'] as const;

/** A fresh, valid copy of the shipped file that a test may break. */
function rawCopy(): Array<Record<string, unknown> & { title: { id: string; en: string }; body: { id: string; en: string } }> {
  return structuredClone(raw);
}

describe('lesson content', () => {
  it('offers between 8 and 12 lessons', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(8);
    expect(lessons.length).toBeLessThanOrEqual(12);
  });

  it('gives every lesson a unique id', () => {
    const ids = lessons.map((lesson) => lesson.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps every card, title included, within 700 characters in both languages', () => {
    for (const lesson of lessons) {
      for (const lang of languages) {
        const card = `${lesson.title[lang]}\n\n${lesson.body[lang]}`;
        expect(card.length, `${lesson.id} ${lang}`).toBeLessThanOrEqual(700);
      }
    }
  });

  it('has a non-empty title and body in Indonesian and English for every lesson', () => {
    for (const lesson of lessons) {
      for (const lang of languages) {
        expect(lesson.title[lang].trim(), `${lesson.id} title ${lang}`).not.toBe('');
        expect(lesson.body[lang].trim(), `${lesson.id} body ${lang}`).not.toBe('');
      }
    }
  });

  it('covers every quiz topic with at least one lesson', () => {
    const covered = new Set(lessons.map((lesson) => lesson.topic));
    expect([...covered].sort()).toEqual([...quizTopicIds].sort());
  });

  it('leaves the quiz button to the flow instead of inviting to the quiz in the body', () => {
    for (const lesson of lessons) {
      expect(lesson.body.id, lesson.id).not.toMatch(/kuis/i);
      expect(lesson.body.en, lesson.id).not.toMatch(/quiz/i);
    }
  });

  it('cites the neutrality articles and regulations in the legal-basis lesson', () => {
    const basics = lessons.filter((lesson) => lesson.topic === 'legal-basis').map((lesson) => lesson.body.id).join('\n');
    for (const citation of ['UU 20/2023', 'Pasal 9', 'Pasal 24', 'PP 94/2021', 'PP 42/2004', 'SKB']) {
      expect(basics).toContain(citation);
    }
  });

  it('teaches that Bawaslu recommends to BKN and the Pejabat Pembina Kepegawaian imposes the sanction', () => {
    const lesson = getLesson('who-decides');
    expect(lesson?.body.id).toMatch(/BKN/);
    expect(lesson?.body.id).toMatch(/Pejabat Pembina Kepegawaian/);
    expect(lesson?.body.en).toMatch(/Bawaslu does not impose/);
  });

  it('tells reporters the 7-day window and that a formal report cannot be anonymous', () => {
    const lesson = getLesson('how-to-report');
    expect(lesson?.body.id).toMatch(/7 hari/);
    expect(lesson?.body.id).toMatch(/tidak bisa anonim/);
    expect(lesson?.body.en).toMatch(/informasi awal/);
  });
});

describe('lesson lookups', () => {
  it('finds a lesson by its id', () => {
    expect(getLesson('criminal-track')?.topic).toBe('sanctions');
  });

  it('returns undefined for an unknown id', () => {
    expect(getLesson('no-such-lesson')).toBeUndefined();
  });

  it('lists the lessons of one topic in offering order', () => {
    const ids = lessonsForTopic('prohibited-acts').map((lesson) => lesson.id);
    const expected = lessons.filter((lesson) => lesson.topic === 'prohibited-acts').map((lesson) => lesson.id);
    expect(ids).toEqual(expected);
    expect(ids.length).toBeGreaterThan(1);
  });
});

describe('lesson schema', () => {
  it('accepts the shipped file', () => {
    expect(lessonsSchema.safeParse(raw).success).toBe(true);
  });

  it('rejects a card that grows past 700 characters with its title', () => {
    const data = rawCopy();
    const first = data[0]!;
    first.body.en = 'x'.repeat(700 - first.title.en.length - 1);
    expect(lessonsSchema.safeParse(data).success).toBe(false);
  });

  it('rejects an empty Indonesian title', () => {
    const data = rawCopy();
    data[1]!.title.id = '';
    expect(lessonsSchema.safeParse(data).success).toBe(false);
  });

  it('rejects a whitespace-only English body', () => {
    const data = rawCopy();
    data[1]!.body.en = '   ';
    expect(lessonsSchema.safeParse(data).success).toBe(false);
  });

  it('rejects a lesson without its English text', () => {
    const data = rawCopy();
    data[2]!.title = { id: data[2]!.title.id } as { id: string; en: string };
    expect(lessonsSchema.safeParse(data).success).toBe(false);
  });

  it('rejects a topic the quiz does not know', () => {
    const data = rawCopy();
    data[0]!.topic = 'gossip';
    expect(lessonsSchema.safeParse(data).success).toBe(false);
  });

  it('rejects two lessons with the same id', () => {
    const data = rawCopy();
    data[4]!.id = data[3]!.id;
    expect(lessonsSchema.safeParse(data).success).toBe(false);
  });

  it('rejects fewer than 8 lessons', () => {
    expect(lessonsSchema.safeParse(rawCopy().slice(0, 7)).success).toBe(false);
  });
});

describe('parseLessons', () => {
  it('returns the lessons of a valid file', () => {
    expect(parseLessons(raw).map((lesson) => lesson.id)).toEqual(lessons.map((lesson) => lesson.id));
  });

  it('names the broken entry and field in its error', () => {
    const data = rawCopy();
    data[5]!.body.en = '';
    let error: unknown;
    try {
      parseLessons(data);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LessonContentError);
    expect((error as LessonContentError).message).toContain(`lesson 5 ("${String(data[5]!.id)}") body.en`);
  });

  it('names both entries of a duplicate id', () => {
    const data = rawCopy();
    data[4]!.id = data[3]!.id;
    expect(() => parseLessons(data)).toThrow(`lesson 4 ("${String(data[3]!.id)}") id: duplicate id "${String(data[3]!.id)}" (first used by entry 3)`);
  });
});
