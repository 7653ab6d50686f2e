import { beforeAll, describe, expect, it } from 'vitest';
import { Renderer, toPlainText } from '../../../bot/i18n.ts';
import { locales } from '../../../content/locales/index.ts';
import { quizQuestions } from '../../../flows/quiz/questionBank.ts';
import { answerValue, feedbackMessage, parseAnswerValue, questionMessage } from '../../../flows/quiz/quizMessages.ts';
import { matchChoice } from '../../../flows/shared/matchChoice.ts';

let renderer: Renderer;
beforeAll(async () => {
  renderer = await Renderer.create();
});

describe('quiz messages', () => {
  it('takes an option typed by its number or its whole text, never by a word that one option alone starts with', () => {
    let checked = 0;
    for (const question of quizQuestions) {
      const message = questionMessage(question, question.options.map((o) => o.id), 1, 10);
      const choices = message.type === 'text' ? (message.choices ?? []) : [];
      for (const [index, option] of question.options.entries()) {
        expect(matchChoice(String(index + 1), choices)?.value).toBe(answerValue(1, index + 1));
        expect(matchChoice(option.text.id, choices)?.value).toBe(answerValue(1, index + 1));
        const first = option.text.id.split(/\s+/)[0]!.replace(/[^\p{L}]/gu, '');
        const others = question.options.filter((o) => o !== option && o.text.id.toLowerCase().includes(first.toLowerCase()));
        if (first.length < 4 || others.length > 0 || first === option.text.id.trim()) continue;
        expect(matchChoice(first, choices), `${question.id}: "${first}"`).toBeUndefined();
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('renders every question with its options in both languages', () => {
    for (const question of quizQuestions) {
      const order = question.options.map((o) => o.id).reverse();
      for (const locale of locales) {
        const rendered = renderer.message(questionMessage(question, order, 3, 10), locale);
        const text = toPlainText(rendered.text);
        expect(text, `${question.id} ${locale}`).toContain(question.prompt[locale]);
        expect(text).toContain(locale === 'id' ? 'Soal 3 dari 10' : 'Question 3 of 10');
        expect(text).not.toMatch(/\{\{|quiz\./);
        expect(rendered.choices.map((c) => toPlainText(c.label))).toEqual(
          order.map((id) => question.options.find((o) => o.id === id)?.text[locale]),
        );
      }
    }
  });

  it('renders right and wrong feedback with the explanation for every question in both languages', () => {
    for (const question of quizQuestions) {
      const wrongOption = question.options.find((o) => o.id !== question.correct);
      const rightOption = question.options.find((o) => o.id === question.correct);
      for (const locale of locales) {
        const praised = toPlainText(renderer.message(feedbackMessage(question, question.correct), locale).text);
        expect(praised, `${question.id} ${locale}`).toContain(locale === 'id' ? 'Benar.' : 'Correct.');
        expect(praised).toContain(question.explanation[locale]);
        const corrected = toPlainText(renderer.message(feedbackMessage(question, wrongOption!.id), locale).text);
        expect(corrected).toContain(locale === 'id' ? 'Kurang tepat.' : 'Not quite.');
        expect(corrected).toContain(rightOption!.text[locale]);
        expect(corrected).toContain(question.explanation[locale]);
        expect(`${praised}${corrected}`).not.toMatch(/\{\{|quiz\./);
      }
    }
  });

  it('escapes markup in content so a "<" in a question cannot break Telegram HTML', () => {
    const [question] = quizQuestions;
    const tricky = { ...question!, prompt: { id: 'a < b & c', en: 'a < b & c' } };
    const rendered = renderer.message(questionMessage(tricky, tricky.options.map((o) => o.id), 1, 10), 'id');
    expect(rendered.text).toContain('a &lt; b &amp; c');
  });

  it('names question and position in each answer value, and reads them back', () => {
    expect(answerValue(3, 2)).toBe('q3-2');
    expect(parseAnswerValue('q3-2')).toEqual({ number: 3, position: 2 });
    expect(parseAnswerValue('retry')).toBeUndefined();
    expect(parseAnswerValue('q3-')).toBeUndefined();
  });
});
