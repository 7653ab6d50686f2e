import type { Message } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiCall } from '../../../support/fakeBotApi.ts';
import { startKit, textOf, type Kit } from './telegramKit.ts';

const messageIdOf = (call: ApiCall) => (call.result as Message).message_id;
/** The data of the question's first button, or of the one whose data ends with `value`. */
const firstButton = (call: ApiCall, value?: string): string => {
  const markup = call.params.reply_markup as { inline_keyboard: Array<Array<{ callback_data: string }>> };
  const buttons = markup.inline_keyboard.flat();
  const data = (value === undefined ? buttons[0] : buttons.find((b) => b.callback_data.endsWith(value)))?.callback_data;
  if (!data) throw new Error('the question has no such button');
  return data;
};

describe('Feedback on a pressed answer (Telegram, real quiz flow)', () => {
  let kit: Kit;
  let chat = 7100;

  beforeAll(async () => {
    kit = await startKit({ kind: 'pglite', mode: 'polling', probe: false });
  });
  afterAll(async () => {
    await kit?.close();
  });

  /** Starts the quiz, skips the profile question and returns question 1 as sent. */
  async function quizStarted(id: number): Promise<ApiCall> {
    const { fake } = kit;
    fake.pushUpdate(fake.textUpdate(id, '/kuis'));
    const intro = await fake.waitForSent(id, 'bolehkah kami mencatat');
    fake.pushUpdate(fake.callbackUpdate(id, messageIdOf(intro), firstButton(intro, 'skip')));
    return fake.waitForSent(id, 'Soal 1 dari 10');
  }

  it('shows the verdict and the explanation under the answered question, and the next question as a new message', async () => {
    const { fake } = kit;
    const id = ++chat;
    const first = await quizStarted(id);
    // The skipped profile question carries the acknowledgement; no message of its own was sent for it.
    const intro = fake.messages(id).find((m) => m.text?.includes('bolehkah kami mencatat'));
    expect(intro?.text).toContain('Baik, tidak apa-apa. Kita langsung mulai kuisnya.');
    expect(fake.sent(id).filter((c) => c.method === 'sendMessage' && textOf(c).startsWith('Baik, tidak apa-apa'))).toEqual([]);

    const before = fake.sent(id).length;
    fake.pushUpdate(fake.callbackUpdate(id, messageIdOf(first), firstButton(first)));
    await fake.waitForSent(id, 'Soal 2 dari 10');
    const calls = fake.sent(id).slice(before);
    expect(calls.map((c) => c.method)).toEqual(['editMessageText', 'sendMessage']);

    const answered = fake.messages(id).find((m) => m.messageId === messageIdOf(first));
    expect(answered?.text).toMatch(/Soal 1 dari 10[\s\S]*✅ Pilihan Anda: [\s\S]+\n\n(✅ Benar\.|❌ Kurang tepat\.)/);
    expect(answered?.editCount).toBe(1);
    expect(answered?.message).not.toHaveProperty('reply_markup');
    // The verdict keeps its bold type through the edit's entities.
    const entities = (answered?.message as { entities?: Array<{ type: string; offset: number; length: number }> }).entities ?? [];
    const bold = entities.filter((e) => e.type === 'bold').map((e) => answered?.text?.slice(e.offset, e.offset + e.length));
    expect(bold).toEqual(expect.arrayContaining([expect.stringMatching(/^(Benar\.|Kurang tepat\.)$/)]));
  });

  it('sends the feedback as a message before the next question when Telegram refuses the edit', async () => {
    const { fake } = kit;
    const id = ++chat;
    const first = await quizStarted(id);
    fake.failNext('editMessageText', { code: 400, description: 'Bad Request: message to edit not found' });
    const before = fake.sent(id).length;
    fake.pushUpdate(fake.callbackUpdate(id, messageIdOf(first), firstButton(first)));
    await fake.waitForSent(id, 'Soal 2 dari 10');
    const texts = fake.sent(id).slice(before).filter((c) => c.method === 'sendMessage').map(textOf);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/^(✅ <b>Benar\.<\/b>|❌ <b>Kurang tepat\.<\/b>)/);
    expect(texts[1]).toContain('Soal 2 dari 10');
  });

  it('puts the feedback above the next question, in one message, when the answer is typed', async () => {
    const { fake } = kit;
    const id = ++chat;
    await quizStarted(id);
    const before = fake.sent(id).length;
    fake.pushUpdate(fake.textUpdate(id, '1'));
    await fake.waitForSent(id, 'Soal 2 dari 10');
    const calls = fake.sent(id).slice(before);
    expect(calls.map((c) => c.method)).toEqual(['sendMessage']);
    expect(textOf(calls[0] as ApiCall)).toMatch(/^(✅ <b>Benar\.<\/b>|❌ <b>Kurang tepat\.<\/b>)[\s\S]+\n\n[\s\S]*Soal 2 dari 10/);
  });
});
