/**
 * Through the real runtime and store: the lessons remember where a reader stopped across other flows, and a command's
 * argument typed during a quiz (`/kuis sanksi`, `/belajar sanksi`, `/verifikasi KODE`) survives the leave question.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lessons, lessonsForTopic } from '../../../content/education/lessons.ts';
import { createHarness, type Harness, type Reply } from '../../support/chatHarness.ts';
import { answerValue, isQuestionShown, shownQuestion } from '../quiz/quizAnswers.ts';

describe('the lessons and the quiz across flows', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('postgres', { env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  afterAll(async () => {
    await h.close();
  });

  /** A quiz started with `/kuis args` and one question answered, so that leaving it asks first. */
  async function oneAnswerIn(chat: string, args = ''): Promise<Reply> {
    let reply = await h.command('kuis', args, { chat });
    if (!isQuestionShown(reply.messages)) reply = await h.choose('skip', { chat });
    return h.choose(answerValue(reply.messages, true), { chat });
  }

  it('offers a reader who left for another flow to continue at the card where they stopped, and marks the cards read', async () => {
    const chat = 'reader';
    await h.command('belajar', '', { chat });
    await h.say('lanjut', { chat });
    await h.say('lanjut', { chat });
    await h.command('lapor', '', { chat });
    await h.command('menu', '', { chat });
    const back = await h.command('belajar', '', { chat });
    expect(back.all).toContain(`Terakhir kali Anda sampai di materi 3/${lessons.length} (${lessons[2]!.title.id}).`);
    expect(back.choices).toEqual(['Lanjutkan', 'Mulai dari awal', 'Daftar materi']);
    const resumed = await h.say('lanjut', { chat });
    expect(resumed.all).toContain(`${lessons[2]!.title.id}  (3/${lessons.length})`);
    const list = await h.say('daftar materi', { chat });
    // The third card, shown and left for the list, is read too.
    expect(list.choices.slice(0, 4)).toEqual([`✓ ${lessons[0]!.title.id}`, `✓ ${lessons[1]!.title.id}`, `✓ ${lessons[2]!.title.id}`, lessons[3]!.title.id]);
  });

  it('starts the topic quiz asked for with /kuis <topic> typed during a quiz, after "ya"', async () => {
    const chat = 'quiz-to-topic';
    await oneAnswerIn(chat);
    const asked = await h.command('kuis', 'sanksi', { chat });
    expect(asked.all).toContain('Tinggalkan kuis ini dan mulai kuis topik yang Anda minta?');
    const started = await h.say('ya', { chat });
    expect(started.all).toContain('Kuis topik: Sanksi');
    expect(shownQuestion(started.messages).question.topic).toBe('sanctions');
  });

  it('opens the lessons of the topic asked for with /belajar <topic> typed during a quiz, after "ya"', async () => {
    const chat = 'quiz-to-lessons';
    await oneAnswerIn(chat);
    await h.command('belajar', 'sanksi', { chat });
    const opened = await h.say('ya', { chat });
    expect(opened.all).toContain(lessonsForTopic('sanctions')[0]!.title.id);
  });

  it('checks the code given with /verifikasi or /sertifikat typed during a quiz, after "ya"', async () => {
    for (const command of ['verifikasi', 'sertifikat']) {
      const chat = `quiz-to-${command}`;
      await oneAnswerIn(chat, 'medsos');
      await h.command(command, 'abcd efgh jklm', { chat });
      const checked = await h.say('ya', { chat });
      expect(checked.all, command).toContain('Kode ABCD-EFGH-JKLM tidak terdaftar.');
    }
  });

  it('looks up the report given with /status typed during a quiz, after "ya", without carrying its receipt', async () => {
    const chat = 'quiz-to-status';
    await oneAnswerIn(chat);
    const asked = await h.command('status', 'NTR-7K3P-9QXA 123456', { chat });
    expect(JSON.stringify(asked.messages)).not.toContain('123456');
    const looked = await h.say('ya', { chat });
    expect(looked.all).toContain('NTR-7K3P-9QXA');
  });
});
