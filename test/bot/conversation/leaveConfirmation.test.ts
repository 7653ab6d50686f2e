import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';

describe.each(storeKinds)('leaving a flow with unsaved work on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { env: { RATE_LIMIT_PER_MINUTE: '1000' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('asks before another command throws a half-written report away, and stays on "no" with the same question', async () => {
    await h.command('lapor', '', { chat: 'stay' });
    const consent = await h.say('1', { chat: 'stay' });
    const question = consent.texts.at(-1);
    const asked = await h.command('kuis', '', { chat: 'stay' });
    expect(asked.all).toContain('Laporan Anda belum selesai');
    expect(asked.values).toEqual(['leave:quiz', 'leave:stay']);
    const stayed = await h.say('2', { chat: 'stay' });
    expect(stayed.texts[0]).toContain('kita lanjutkan');
    expect(stayed.texts.at(-1)).toBe(question);
    expect(stayed.values).toEqual(consent.values);
  });

  it('leaves for the command the user gave when they confirm', async () => {
    await h.command('lapor', '', { chat: 'leave' });
    await h.say('1', { chat: 'leave' });
    await h.command('status', '', { chat: 'leave' });
    const left = await h.say('ya, tinggalkan', { chat: 'leave' });
    expect(left.all).toContain('Belum ada laporan');
  });

  it('lets the user simply answer the flow instead, which keeps the draft going', async () => {
    await h.command('lapor', '', { chat: 'answer' });
    await h.say('1', { chat: 'answer' });
    await h.command('start', '', { chat: 'answer' });
    const answered = await h.choose('agree', { chat: 'answer' });
    expect(answered.all).not.toContain('Selamat datang');
    expect(answered.all).not.toContain('belum selesai');
  });

  it('does not ask on an explicit cancel, nor before any answer was given', async () => {
    await h.command('lapor', '', { chat: 'cancel' });
    const fresh = await h.command('kuis', '', { chat: 'cancel' });
    expect(fresh.all).not.toContain('belum selesai');
    await h.command('lapor', '', { chat: 'cancel' });
    await h.say('1', { chat: 'cancel' });
    const cancelled = await h.command('batal', '', { chat: 'cancel' });
    expect(cancelled.all).toContain('dibatalkan');
  });

  it('asks in English for an English user', async () => {
    await h.command('language', 'en', { chat: 'english' });
    await h.command('report', '', { chat: 'english' });
    await h.say('1', { chat: 'english' });
    const asked = await h.command('quiz', '', { chat: 'english' });
    expect(asked.all).toContain('Your report is not finished');
    expect(asked.choices).toEqual(['Yes, leave', 'No, continue']);
  });
});
