import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { tipToReview } from '../../flows/report/reportJourney.ts';

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

  it('never files text typed at the leave question as the answer underneath: words for leaving leave, the rest asks again', async () => {
    const t = { chat: 'typed-at-leave' };
    await h.command('lapor', '', t);
    await h.say('1', t);
    await h.say('setuju', t);
    const name = await h.say('Budi', t);
    const position = name.texts.at(-1);
    await h.command('status', '', t);
    for (const typed of ['gmn maksudnya?', 'Kepala Dinas']) {
      const asked = await h.say(typed, t);
      expect(asked.texts[0]).toBe('Silakan pilih salah satu jawaban di bawah ini, atau ketik ya atau tidak.');
      expect(asked.values).toEqual(['leave:status', 'leave:stay']);
    }
    // A cancel meant for the switch keeps the report where it was.
    const stayed = await h.command('batal', '', t);
    expect(stayed.texts[0]).toContain('kita lanjutkan');
    expect(stayed.texts.at(-1)).toBe(position);
    await h.command('status', '', t);
    const left = await h.say('yaudah tinggalin aja', t);
    expect(left.all).toContain('Draf laporan Anda disimpan');
    const resumed = await h.command('lapor', '', t);
    expect(resumed.texts.at(-1)).toBe(position);
    const review = await h.say('kembali', t);
    expect(review.all).not.toContain('Kepala Dinas');
  });

  it('reads a wish to go elsewhere typed at a question of the report as the command, asked first, not as the answer', async () => {
    const t = { chat: 'words-elsewhere' };
    await h.command('lapor', '', t);
    await h.say('1', t);
    const name = await h.say('setuju', t);
    for (const [typed, target] of [
      ['cek status laporan sy', 'leave:status'],
      ['mau ikut kuis dulu', 'leave:quiz'],
      ['sy mau belajar aturan dulu', 'leave:learn'],
      ['keluar', 'leave:menu'],
      ['balik ke menu', 'leave:menu'],
    ] as const) {
      const asked = await h.say(typed, t);
      expect(asked.all, typed).toContain('disimpan sebagai draf');
      expect(asked.values, typed).toEqual([target, 'leave:stay']);
      expect((await h.say('tidak', t)).texts.at(-1)).toBe(name.texts.at(-1));
    }
  });

  it('asks the evidence question afresh when a report left there is taken up again, never "delete it all?"', async () => {
    const t = { chat: 'kept-evidence' };
    await h.command('lapor', '', t);
    for (const answer of ['1', 'setuju', 'tidak tahu', 'Kepala Dinas Pendidikan', 'Dinas Pendidikan Kabupaten Bangka Barat', 'PNS', '1', '20/11/2026', 'hari ini', 'bangka barat', 'lewati']) {
      await h.say(answer, t);
    }
    await h.say('Kepala dinas mengunggah foto kampanye calon bupati dan meminta para guru membagikannya.', t);
    await h.say('https://www.facebook.com/kadis/posts/1', t);
    await h.say('https://www.facebook.com/kadis/posts/2', t);
    await h.command('belajar', '', t);
    await h.say('ya', t);
    const resumed = await h.command('lapor', '', t);
    expect(resumed.all).not.toContain('diterima');
    expect(resumed.texts.at(-1)).toContain('Bukti: 2 dari paling banyak 10');
    // Left at "delete all the evidence?", it comes back at the evidence question: a "ya" then deletes nothing.
    expect((await h.say('hapus semua bukti', t)).all).toContain('Hapus semua 2 bukti');
    await h.command('kuis', '', t);
    await h.say('ya', t);
    const back = await h.command('lapor', '', t);
    expect(back.all).not.toContain('Hapus semua');
    expect(back.texts.at(-1)).toContain('Bukti: 2 dari paling banyak 10');
    expect((await h.say('ya', t)).all).not.toContain('dihapus');
    expect((await h.say('selesai', t)).all).toContain('Bukti (2)');
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

  it('keeps a report left for the status check, says so at the menu, and goes on from the same question at the next /lapor', async () => {
    const t = { chat: 'kept' };
    await h.command('lapor', '', t);
    const asked = await h.say('1', t);
    const question = asked.texts.at(-1);
    const leaving = await h.command('status', '', t);
    expect(leaving.all).toContain('disimpan sebagai draf selama 7 hari');
    const left = await h.say('ya', t);
    expect(left.texts[0]).toBe('Draf laporan Anda disimpan. Ketik /lapor untuk melanjutkannya.');
    expect(left.all).toContain('Belum ada laporan');
    const menu = await h.command('batal', '', t);
    expect(menu.all).toContain('masih tersimpan sebagai draf');
    const resumed = await h.command('lapor', '', t);
    expect(resumed.texts[0]).toContain('Kita lanjutkan laporan Anda');
    expect(resumed.texts.at(-1)).toBe(question);
    expect(resumed.values).toEqual(asked.values);
    // Taken up again, it is no longer kept aside: leaving it at once (nothing answered since) says nothing of a draft.
    const cancelled = await h.command('batal', '', t);
    expect(cancelled.all).not.toContain('tersimpan');
  });

  it('says the draft is kept once when the report is left for the menu, and says so when a kept draft no longer fits', async () => {
    const t = { chat: 'kept-menu' };
    await h.command('lapor', '', t);
    await h.say('1', t);
    await h.say('menu utama', t);
    const left = await h.say('ya', t);
    expect(left.all).toContain('Draf laporan Anda disimpan');
    expect(left.all).not.toContain('masih tersimpan');
    // A draft kept before an update of the report flow that it no longer fits: not announced, and said when asked for.
    const key = h.app.runtime.chatKey({ channel: 'terminal', chatId: 'kept-menu' });
    await h.app.store.prisma.$executeRaw`UPDATE "Chat" SET "memory" = jsonb_set("memory", '{draft:report,version}', '0') WHERE "key" = ${key}`;
    expect((await h.command('batal', '', t)).all).not.toContain('masih tersimpan');
    const fresh = await h.command('lapor', '', t);
    expect(fresh.texts[0]).toContain('tidak dapat dilanjutkan lagi');
    expect(fresh.all).not.toContain('Kita lanjutkan');
    expect(fresh.values).toContain('tip');
  });

  it('shows a kept report\'s summary again when it was left at its review', async () => {
    const t = { chat: 'kept-review' };
    const review = await tipToReview(h, { chat: 'kept-review', locale: 'id' });
    await h.command('belajar', '', t);
    const learning = await h.say('ya', t);
    expect(learning.all).not.toContain('Kita lanjutkan');
    const resumed = await h.command('lapor', '', t);
    expect(resumed.texts[0]).toContain('Kita lanjutkan laporan Anda');
    expect(resumed.all).toContain('Dinas Pendidikan Kabupaten Bangka Barat');
    expect(resumed.values).toEqual(review.values);
  });

  it('keeps nothing when the report is cancelled or started over', async () => {
    const t = { chat: 'not-kept' };
    await h.command('lapor', '', t);
    await h.say('1', t);
    await h.command('kuis', '', t);
    await h.say('ya', t);
    await h.command('lapor', '', t);
    // "/lapor" in the report it resumed starts over when the user says so: the answers are not kept.
    const restart = await h.command('lapor', '', t);
    expect(restart.all).toContain('dimulai ulang');
    const fresh = await h.say('ya', t);
    expect(fresh.all).not.toContain('Kita lanjutkan');
    await h.say('1', t);
    const cancelled = await h.command('batal', '', t);
    expect(cancelled.all).toContain('dibatalkan');
    expect(cancelled.all).not.toContain('tersimpan');
    const again = await h.command('lapor', '', t);
    expect(again.all).not.toContain('Kita lanjutkan');
  });

  it('asks in English for an English user', async () => {
    await h.command('language', 'en', { chat: 'english' });
    await h.command('report', '', { chat: 'english' });
    await h.say('1', { chat: 'english' });
    const asked = await h.command('quiz', '', { chat: 'english' });
    expect(asked.all).toContain('Your report is not finished');
    expect(asked.all).toContain('kept as a draft for 7 days');
    expect(asked.choices).toEqual(['Yes, leave', 'No, continue']);
    await h.say('yes', { chat: 'english' });
    const menu = await h.command('cancel', '', { chat: 'english' });
    expect(menu.all).toContain('still kept as a draft');
    const resumed = await h.command('report', '', { chat: 'english' });
    expect(resumed.texts[0]).toContain('carry on with your unfinished report');
  });
});
