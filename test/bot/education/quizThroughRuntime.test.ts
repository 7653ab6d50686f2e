import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../bot/app.ts';
import { toPlainText } from '../../../bot/i18n.ts';
import { quizQuestions } from '../../../flows/quiz/questionBank.ts';
import { createHarness, type Harness, type Reply } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { pdfText } from '../documents/fixtures.ts';
import { answerValue, isQuestionShown, shownQuestion } from '../../flows/quiz/quizAnswers.ts';

/** Answers the questions on screen until the score: the first `right` correctly, the rest wrongly. */
async function answerAll(h: Harness, first: Reply, right: number, chat: string): Promise<Reply> {
  let reply = first;
  for (let n = 0; isQuestionShown(reply.messages); n += 1) reply = await h.choose(answerValue(reply.messages, n < right), { chat });
  return reply;
}

const codePattern = /[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}/;

describe.each(storeKinds)('the quiz through the runtime on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    // A whole quiz and a certificate's corrections in one chat: more messages than a person sends in a minute.
    h = await createHarness(kind, { env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('takes a first-time ASN through the profile, ten questions, a pass and a named certificate, in Indonesian', async () => {
    const chat = 'budi';
    const consent = await h.command('kuis', '', { chat });
    expect(consent.all).toContain('hanya dipakai dalam statistik gabungan');
    expect(consent.choices).toEqual(['Ya, saya bersedia', 'Lewati, langsung ke kuis']);
    // A typed "iya" consents, as pressing the button does.
    expect((await h.say('iya', { chat })).all).toContain('Di instansi atau OPD mana');
    expect((await h.say('Dinas Pendidikan dan Kebudayaan', { chat })).all).toContain('Di kabupaten/kota mana');
    const regency = await h.say('bangka barat', { chat });
    expect(regency.all).toContain('Tercatat: Kabupaten Bangka Barat, Kepulauan Bangka Belitung.');
    expect(regency.choices).toContain('Kepala desa / perangkat desa');
    const first = await h.say('PNS', { chat });
    expect(first.all).toContain('Terima kasih. Keterangan Anda hanya dipakai dalam statistik gabungan.');
    expect(first.all).toContain('Kuis Netralitas ASN');
    expect(first.all).toContain('Soal 1 dari 10');

    // The second answer is typed as its number, the others pressed.
    const wrongNumber = 1 + first.values.indexOf(answerValue(first.messages, false));
    const second = await h.say(String(wrongNumber), { chat });
    expect(second.all).toContain('Kurang tepat.');
    expect(second.all).toContain('Soal 2 dari 10');
    const scored = await answerAll(h, second, 8, chat);
    expect(scored.all).toContain('Skor Anda: 8 dari 10 (80%).');
    expect(scored.all).toContain('Selamat, Anda lulus!');
    expect(scored.all).toContain('Nama siapa yang akan dicetak?');

    // "Ya" says a name is wanted; it is never printed as one.
    const yes = await h.say('ya', { chat });
    expect(yes.all).toContain('Silakan ketik nama yang akan dicetak');
    expect(yes.all).not.toContain('Nama yang akan dicetak: ya');
    expect((await h.say('bukan', { chat })).all).toContain('Silakan ketik nama yang akan dicetak');
    // A bare "tidak" is no wish for a certificate without a name, which would be issued at once and for good.
    const no = await h.say('tidak', { chat });
    expect(no.all).toContain('atau pilih Tanpa nama');
    expect(no.messages.some((m) => m.type === 'document')).toBe(false);
    // The pass cannot be claimed later: /batal asks first, and says what would be lost.
    const cancel = await h.command('batal', '', { chat });
    expect(cancel.all).toContain('Anda sudah lulus, tetapi sertifikatnya belum dibuat. Jika dibatalkan');
    expect(cancel.choices).toEqual(['Ya, batalkan', 'Tidak, lanjutkan']);
    // Under a cancel's question a name is not taken: it must be answered first.
    expect((await h.say('Budi', { chat })).all).toContain('Silakan pilih Ya, batalkan');
    expect((await h.say('tidak', { chat })).all).toContain('Nama siapa yang akan dicetak?');
    const switching = await h.command('belajar', '', { chat });
    expect(switching.all).toContain('Anda sudah lulus, tetapi sertifikatnya belum dibuat. Jika pindah sekarang');
    expect(switching.all).not.toContain('jawaban yang sudah Anda isi');
    expect((await h.say('tidak', { chat })).all).toContain('Nama siapa yang akan dicetak?');
    expect((await h.say('Budi Santosa', { chat })).all).toContain('Nama yang akan dicetak: Budi Santosa');
    // "Tidak" at the confirmation asks for the name again; "ya" then confirms it.
    expect((await h.say('tidak', { chat })).all).toContain('Nama siapa yang akan dicetak?');
    // "Change name", "ganti nama" or "namanya salah" ask for it again too: they are never printed.
    for (const typed of ['change name', 'ganti nama', 'namanya salah']) {
      expect((await h.say('Budi Santosa', { chat })).all).toContain('Nama yang akan dicetak: Budi Santosa');
      const changed = await h.say(typed, { chat });
      expect(changed.all).toContain('Nama siapa yang akan dicetak?');
      expect(changed.all).not.toMatch(/Nama yang akan dicetak: (?:Change|Ganti|Namanya)/i);
    }
    // Typed where the name is asked, such words ask for the name rather than become it.
    expect((await h.say('ubah nama', { chat })).all).toContain('Silakan ketik nama yang akan dicetak');
    // An opening such as "nama saya" is not printed.
    expect((await h.say('nama saya Budi Santoso', { chat })).all).toContain('Nama yang akan dicetak: Budi Santoso\n');
    expect((await h.say('tidak', { chat })).all).toContain('Nama siapa yang akan dicetak?');
    const confirm = await h.say('my name is Budi Santoso, S.Pd.', { chat });
    expect(confirm.all).toContain('Nama yang akan dicetak: Budi Santoso, S.Pd.');
    // A Telegram link in the QR code is for certificates earned on Telegram: this chat is the terminal.
    h.app.links.telegramBot = 'netra_bawaslu_bot';
    const issued = await h.say('ya', { chat }).finally(() => delete h.app.links.telegramBot);
    const document = issued.messages.find((m) => m.type === 'document');
    expect(document).toBeDefined();
    if (document?.type !== 'document') return;
    const code = codePattern.exec(document.path)?.[0] ?? '';
    expect(document.path).toBe(`certificates/${code}.pdf`);
    expect(document.fileName).toBe(`sertifikat-netralitas-asn-${code}.pdf`);
    expect(issued.all).toContain(`/verifikasi ${code}`);
    expect(issued.choices).toEqual(['Ulangi kuis', 'Pelajari aturan', 'Menu utama']);

    const pdf = readFileSync(path.join(h.dataDir, document.path));
    const { text } = await pdfText(pdf);
    expect(text).toContain(code);
    expect(text).toContain('Budi Santoso, S.Pd.');
    expect(text).toContain('skor 8 dari 10 (80%)');
    expect(text).toContain('Diterbitkan pada 22 November 2026');
    expect(text).not.toContain('t.me/');

    const attempt = await h.app.store.prisma.quizAttempt.findFirstOrThrow({ where: { chatKey: issued.result.chatKey } });
    expect(attempt).toMatchObject({
      score: 8,
      total: 10,
      passed: true,
      topic: null,
      agency: 'Dinas Pendidikan dan Kebudayaan',
      regencyCode: '19.05',
      employment: 'pns',
    });
    expect(attempt.answers).toHaveLength(10);
    const certificate = await h.app.store.prisma.certificate.findUniqueOrThrow({ where: { code } });
    expect(certificate.nameEnc).not.toContain('Budi');
    expect(h.app.secrets.decrypt(certificate.nameEnc!)).toBe('Budi Santoso, S.Pd.');

    // Anyone can check it, here from another chat.
    const verified = await h.command('verifikasi', code.toLowerCase(), { chat: 'employer' });
    expect(verified.all).toContain('Sertifikat asli.');
    expect(verified.all).toContain('Nama: Budi Santoso, S.Pd.');
    expect(verified.all).toContain('Tanggal terbit: 22 November 2026');
    expect(verified.all).toContain('Skor: 8 dari 10 (80%)');
  });

  it('shows a name the certificate cannot print as it will be printed, before issuing it', async () => {
    const chat = 'nguyen';
    await h.command('kuis', '', { chat });
    const first = await h.say('lewati', { chat });
    const scored = await answerAll(h, first, 10, chat);
    expect(scored.all).toContain('Nama siapa yang akan dicetak?');
    const confirm = await h.say('Nguyễn Thị Hằng Łukasz 王', { chat });
    expect(confirm.all).toContain('Nama yang akan dicetak: Nguyen Thi Hang Lukasz ?');
    expect(confirm.all).toContain('tidak tersedia pada jenis huruf sertifikat');
    // A name it prints as written gets the plain question.
    const plain = await h.say('Siti Nurhaliza', { chat });
    expect(plain.all).toContain('Nama yang akan dicetak: Siti Nurhaliza');
    expect(plain.all).not.toContain('tidak dapat dicetak');
  });

  it('takes a regency named after the wrong province from where it has that name, saying so, and lists both of a shared name', async () => {
    const chat = 'wrong-province';
    await h.command('kuis', '', { chat });
    await h.say('iya', { chat });
    await h.say('Dinas Kesehatan', { chat });
    expect((await h.say('jawa barat', { chat })).all).toContain('Kabupaten/kota mana di Jawa Barat?');
    const medan = await h.say('Medan', { chat });
    expect(medan.all).toContain('Tercatat: Kota Medan. Tempat ini ada di Provinsi Sumatera Utara, bukan di Provinsi Jawa Barat');
    expect(medan.choices).toContain('Kepala desa / perangkat desa');
    // "kembali" there goes back to the regency, which a shared name then lists from both provinces.
    await h.say('kembali', { chat });
    await h.say('dki jakarta', { chat });
    const bekasi = await h.say('Bekasi', { chat });
    expect(bekasi.choices.slice(0, 2)).toEqual(['Kabupaten Bekasi, Jawa Barat', 'Kota Bekasi, Jawa Barat']);
    const chosen = await h.choose(bekasi.values[1]!, { chat });
    expect(chosen.all).toContain('Tercatat: Kota Bekasi. Tempat ini ada di Provinsi Jawa Barat, bukan di Provinsi Daerah Khusus Ibukota Jakarta');
    expect((await h.choose('skip', { chat })).all).toContain('Soal 1 dari 10');
    const attempt = await h.app.store.prisma.quizAttempt.findFirstOrThrow({ where: { chatKey: chosen.result.chatKey } });
    expect(attempt.regencyCode).toBe('32.75');
  });

  it('explains at the first question that the quiz only goes forward, and later that a sent answer stays', async () => {
    const chat = 'goes-back';
    const first = await h.command('kuis', '', { chat }).then(() => h.say('jangan', { chat }));
    expect(first.all).toContain('Soal 1 dari 10');
    const atFirst = await h.say('kembali', { chat });
    expect(atFirst.all).toContain('Ini soal pertama, dan kuis hanya berjalan maju.');
    expect(atFirst.all).not.toContain('sudah dikirim');
    const second = await h.choose(answerValue(first.messages, true), { chat });
    expect(second.all).toContain('Soal 2 dari 10');
    const atSecond = await h.say('kembali', { chat });
    expect(atSecond.all).toContain('Jawaban yang sudah dikirim tidak dapat diubah.');
    expect(atSecond.all).toContain('Soal 2 dari 10');
  });

  it('offers the profile answers given before going back on keep buttons, and forgets them when skipped or declined', async () => {
    const chat = 'profile-back';
    await h.command('kuis', '', { chat });
    await h.say('iya', { chat });
    expect((await h.say('tetap', { chat })).all).toContain('Belum ada jawaban yang bisa dibiarkan di sini.');
    await h.say('Dinas Kesehatan', { chat });
    // Kecamatan Tetap (Kaur) is not what a typed "tetap" means.
    expect((await h.say('tetap', { chat })).all).toContain('Belum ada jawaban yang bisa dibiarkan di sini.');
    await h.say('bangka barat', { chat });
    const regency = await h.say('kembali', { chat });
    expect(regency.choices).toEqual(['Biarkan: Kabupaten Bangka Barat', 'Lewati']);
    const agency = await h.say('kembali', { chat });
    expect(agency.choices).toEqual(['Biarkan: Dinas Kesehatan', 'Lewati']);
    // A new answer sharing the button's words is new; "1" and "tetap" keep.
    expect((await h.say('Dinas', { chat })).choices[0]).toBe('Biarkan: Kabupaten Bangka Barat');
    await h.say('kembali', { chat });
    await h.say('1', { chat });
    expect((await h.say('tetap', { chat })).all).toContain('Apa status kepegawaian Anda?');
    const first = await h.choose('pppk', { chat });
    expect(first.all).toContain('Soal 1 dari 10');
    const attempt = await h.app.store.prisma.quizAttempt.findFirstOrThrow({ where: { chatKey: first.result.chatKey } });
    expect(attempt).toMatchObject({ agency: 'Dinas', regencyCode: '19.05', employment: 'pppk' });

    // A city of Jakarta is named whole on the button; after naming a province, "tetap" still keeps it.
    const jakarta = 'profile-jakarta';
    await h.command('kuis', '', { chat: jakarta });
    await h.say('iya', { chat: jakarta });
    await h.say('Dinas Kesehatan', { chat: jakarta });
    await h.say('jaksel', { chat: jakarta });
    expect((await h.say('kembali', { chat: jakarta })).choices[0]).toBe('Biarkan: Kota Jakarta Selatan');
    await h.say('jawa barat', { chat: jakarta });
    expect((await h.say('tetap', { chat: jakarta })).all).toContain('Apa status kepegawaian Anda?');
    const kept = await h.choose('skip', { chat: jakarta });
    const jakartaAttempt = await h.app.store.prisma.quizAttempt.findFirstOrThrow({ where: { chatKey: kept.result.chatKey } });
    expect(jakartaAttempt.regencyCode).toBe('31.74');

    // Several kecamatan of one city make one choice, named by the city.
    const kebayoran = 'profile-kebayoran';
    await h.command('kuis', '', { chat: kebayoran });
    await h.say('iya', { chat: kebayoran });
    await h.say('Dinas Kesehatan', { chat: kebayoran });
    const listed = await h.say('kebayoran', { chat: kebayoran });
    expect(listed.choices).toEqual(['Kota Administrasi Jakarta Selatan, Daerah Khusus Ibukota Jakarta', 'Bukan salah satunya', 'Lewati']);

    const other = 'profile-forget';
    await h.command('kuis', '', { chat: other });
    await h.say('iya', { chat: other });
    await h.say('Dinas Sosial', { chat: other });
    await h.say('bangka barat', { chat: other });
    await h.say('kembali', { chat: other });
    // Skipped after going back, the regency is left empty; declined, the whole profile is.
    expect((await h.choose('skip', { chat: other })).all).toContain('Apa status kepegawaian Anda?');
    await h.say('kembali', { chat: other });
    await h.say('kembali', { chat: other });
    await h.say('kembali', { chat: other });
    const declined = await h.choose('skip', { chat: other });
    expect(declined.all).toContain('Soal 1 dari 10');
    const forgotten = await h.app.store.prisma.quizAttempt.findFirstOrThrow({ where: { chatKey: declined.result.chatKey } });
    expect(forgotten).toMatchObject({ agency: null, regencyCode: null, employment: null });
  });

  it('takes a typed "jangan" at the profile question as skipping it', async () => {
    const first = await h.command('kuis', '', { chat: 'declines' }).then(() => h.say('jangan', { chat: 'declines' }));
    expect(first.all).toContain('Soal 1 dari 10');
  });

  /** The quiz's profile agreed to, agency and regency skipped: at the employment question. */
  async function toEmploymentQuestion(chat: string): Promise<void> {
    await h.command('kuis', '', { chat });
    await h.say('ya', { chat });
    await h.say('lewati', { chat });
    await h.say('lewati', { chat });
  }

  it.each([
    ['saya PNS', 'pns'],
    ['P3K', 'pppk'],
    ['guru honorer', 'honorer'],
    ['CPNS', 'cpns'],
    ['saya seorang CPNS', 'cpns'],
    ['polisi', 'other'],
    // The job after the status, or the status in brackets after other words.
    ['pppk guru', 'pppk'],
    ['civil servant (PNS)', 'pns'],
  ] as const)('takes the status typed in words, %j, at the profile question as %s', async (typed, employment) => {
    const chat = `typed-status-${typed}`;
    await toEmploymentQuestion(chat);
    const first = await h.say(typed, { chat });
    expect(first.all).toContain('Keterangan Anda hanya dipakai');
    expect(first.all).toContain('Soal 1 dari 10');
    const attempt = await answerAll(h, first, 10, chat);
    expect(attempt.all).toContain('Skor Anda');
    const saved = await h.app.store.prisma.quizAttempt.findFirstOrThrow({ where: { chatKey: attempt.result.chatKey } });
    expect(saved.employment).toBe(employment);
  });

  it('explains that ASN is either PNS or PPPK when only "ASN" or "civil servant" is typed at the profile question', async () => {
    const chat = 'typed-asn';
    await toEmploymentQuestion(chat);
    const asked = await h.say('saya ASN', { chat });
    expect(asked.all).toContain('ASN terdiri atas PNS dan PPPK');
    expect(asked.all).toContain('Apa status kepegawaian Anda?');
    await h.command('bahasa', 'en', { chat });
    expect((await h.say('civil servant', { chat })).all).toContain('Civil servants (ASN) are either PNS (permanent) or PPPK (on contract)');
  });

  it('thanks for the profile only when something was given', async () => {
    const chat = 'skipper';
    await toEmploymentQuestion(chat);
    const first = await h.say('lewati', { chat });
    expect(first.all).toContain('Soal 1 dari 10');
    expect(first.all).not.toContain('Keterangan Anda hanya dipakai');
  });

  it('does the same in English, without a profile or a name', async () => {
    const chat = 'ayu';
    await h.command('language', 'en', { chat });
    const consent = await h.command('quiz', '', { chat });
    expect(consent.all).toContain('used only in aggregate statistics');
    const first = await h.choose('skip', { chat });
    expect(first.all).toContain('Question 1 of 10');
    const scored = await answerAll(h, first, 10, chat);
    expect(scored.all).toContain('Your score: 10 out of 10 (100%).');
    expect(scored.choices).toEqual(['No name']);
    const issued = await h.say('No name', { chat });
    const document = issued.messages.find((m) => m.type === 'document');
    if (document?.type !== 'document') throw new Error('no certificate sent');
    const code = codePattern.exec(document.path)?.[0] ?? '';
    expect(document.fileName).toBe(`asn-neutrality-certificate-${code}.pdf`);
    expect(issued.all).toContain(`/verify ${code}`);
    const { text } = await pdfText(readFileSync(path.join(h.dataDir, document.path)));
    expect(text).toContain('Awarded to Participant');
    expect(text).toContain(code);
    expect(text).toContain('Issued on 22 November 2026');

    const attempt = await h.app.store.prisma.quizAttempt.findFirstOrThrow({ where: { chatKey: issued.result.chatKey } });
    expect(attempt).toMatchObject({ agency: null, regencyCode: null, employment: null, score: 10, passed: true });
    expect((await h.app.store.prisma.certificate.findUniqueOrThrow({ where: { code } })).nameEnc).toBeNull();

    const verified = await h.command('verify', code, { chat });
    expect(verified.all).toContain('Genuine certificate.');
    expect(verified.all).toContain('Name: Participant (no name given)');
  });

  it('fails 7 of 10 without a certificate, then retakes with new questions and no second profile', async () => {
    const chat = 'siti';
    await h.command('kuis', '', { chat });
    await h.choose('consent', { chat });
    await h.say('Kantor Kecamatan Koba', { chat });
    await h.choose('skip', { chat });
    const first = await h.choose('pppk', { chat });
    const scored = await answerAll(h, first, 7, chat);
    expect(scored.all).toContain('Skor Anda: 7 dari 10 (70%).');
    expect(scored.all).toContain('belum mencapai batas lulus 80%');
    expect(scored.all).toContain('Topik yang sebaiknya dipelajari lagi:');
    expect(scored.all).not.toContain('sertifikat');
    expect(scored.choices).toEqual(['Ulangi kuis', 'Pelajari aturan', 'Menu utama']);

    h.setNow('2026-11-22T04:00:00.000Z');
    const retake = await h.say('ulangi kuis', { chat });
    expect(retake.all).not.toContain('bolehkah kami mencatat');
    expect(retake.all).toContain('Soal 1 dari 10');
    const attempts = await h.app.store.prisma.quizAttempt.findMany({
      where: { chatKey: retake.result.chatKey },
      orderBy: { startedAt: 'asc' },
    });
    expect(attempts).toHaveLength(2);
    const [before, after] = attempts;
    expect(after!.questionIds.filter((id) => before!.questionIds.includes(id))).toEqual([]);
    expect(after).toMatchObject({ agency: 'Kantor Kecamatan Koba', regencyCode: null, employment: 'pppk' });
    h.setNow('2026-11-22T03:00:00.000Z');
  });

  it('accepts a typed answer by number or letter, hints on anything else, and refuses an earlier question\'s button', async () => {
    const chat = 'typist';
    await h.command('kuis', '', { chat });
    const first = await h.say('lewati', { chat });
    const hint = await h.say('mungkin yang pertama', { chat });
    expect(hint.all).toContain('mengetik angka atau hurufnya (1–');
    expect(hint.all).toContain('Soal 1 dari 10');
    // A sticker gets the same hint, not "not understood".
    const sticker = await h.send({ type: 'user.sendUnsupported', what: 'sticker' }, { chat });
    expect(sticker.all).toContain('mengetik angka atau hurufnya (1–');
    expect(sticker.all).not.toContain('belum memahami');
    const second = await h.say('1', { chat });
    expect(second.all).toContain('Soal 2 dari 10');
    const stale = await h.choose(first.values[0]!, { chat });
    expect(stale.all).toContain('Jawaban itu untuk soal sebelumnya');
    expect(stale.all).toContain('Soal 2 dari 10');
    const help = await h.command('bantuan', '', { chat });
    expect(help.all).toContain('Batas lulusnya 80%');
    expect(help.all).toContain('Soal 2 dari 10');
    // A letter answers as on a paper test: B is the second option shown; a letter past the last option is hinted.
    expect((await h.say('z', { chat })).all).toContain('mengetik angka atau hurufnya (1–');
    const secondIsRight = second.values.indexOf(answerValue(second.messages, true)) === 1;
    const third = await h.say('B.', { chat });
    expect(third.all).toContain(secondIsRight ? 'Benar.' : 'Kurang tepat.');
    expect(third.all).toContain('Soal 3 dari 10');
  });

  it('stops with /batal at any time, leaving the attempt unmarked', async () => {
    const chat = 'quitter';
    await h.command('kuis', '', { chat });
    const first = await h.choose('skip', { chat });
    await h.choose(answerValue(first.messages, true), { chat });
    const cancelled = await h.command('batal', '', { chat });
    expect(cancelled.all).toContain('Baik, dibatalkan.');
    expect(cancelled.choices[0]).toBe('Laporkan pelanggaran');
    const attempt = await h.app.store.prisma.quizAttempt.findFirstOrThrow({ where: { chatKey: cancelled.result.chatKey } });
    expect(attempt.finishedAt).toBeNull();
  });

  it('goes from a lesson to a quiz on its topic only, without a certificate for a pass', async () => {
    const chat = 'learner';
    const card = await h.command('belajar', '', { chat });
    expect(card.all).toContain('Pelajari aturan netralitas ASN');
    expect(card.choices).toEqual(['Berikutnya', 'Coba kuis topik ini', 'Daftar materi', 'Menu utama']);
    const next = await h.say('berikutnya', { chat });
    expect(next.all).toContain('(2/');
    expect(next.choices).toContain('Sebelumnya');
    const previous = await h.say('kembali', { chat });
    expect(previous.all).toContain('(1/');
    await h.say('berikutnya', { chat });
    const consent = await h.say('coba kuis topik ini', { chat });
    expect(consent.all).toContain('bolehkah kami mencatat');
    const first = await h.choose('skip', { chat });
    expect(first.all).toContain('Kuis topik: Perbuatan yang dilarang');
    const topic = quizQuestions.filter((q) => q.topic === 'prohibited-acts');
    const total = Math.min(10, topic.length);
    expect(first.all).toContain(`Soal 1 dari ${total}`);
    const scored = await answerAll(h, first, total, chat);
    expect(scored.all).toContain(`Skor Anda: ${total} dari ${total} (100%).`);
    expect(scored.all).toContain('Sertifikat diberikan untuk kuis lengkap');
    expect(scored.choices).toEqual(['Kuis lengkap (10 soal)', 'Pelajari aturan', 'Menu utama']);
    const attempt = await h.app.store.prisma.quizAttempt.findFirstOrThrow({ where: { chatKey: scored.result.chatKey } });
    expect(attempt.topic).toBe('prohibited-acts');
    for (const id of attempt.questionIds) expect(id.startsWith('prohibited-acts-')).toBe(true);
    expect(await h.app.store.prisma.certificate.count({ where: { attemptId: attempt.id } })).toBe(0);
    const back = await h.say('pelajari aturan', { chat });
    expect(back.all).toContain('Tujuh bentuk dukungan yang dilarang');
  });

  it('answers a question typed at a lesson card with where answers are, not with "answer the question below"', async () => {
    const chat = 'asker';
    await h.command('belajar', '', { chat });
    const typed = await h.say('apa itu PTDH?', { chat });
    expect(typed.all).toContain('Netra belum dapat menjawab pertanyaan yang diketik');
    expect(typed.all).not.toContain('belum memahami');
  });

  it('reads on to the next lesson when the reader types "lanjut", "oke" or "next", and not past the last one', async () => {
    const chat = 'typing-reader';
    await h.command('belajar', '', { chat });
    expect((await h.say('lanjut', { chat })).all).toContain('(2/');
    expect((await h.say('Oke kak', { chat })).all).toContain('(3/');
    expect((await h.say('next', { chat })).all).toContain('(4/');
    const last = await h.command('belajar', '10', { chat });
    expect(last.all).toContain('(10/10)');
    const past = await h.say('lanjut', { chat });
    expect(past.all).toContain('Ini materi terakhir.');
    expect(past.all).toContain('(10/10)');
  });

  it('says an unknown code is not registered, and asks for a code when none was given', async () => {
    const unknown = await h.command('verifikasi', 'ZZZZ-ZZZZ-ZZZZ', { chat: 'checker' });
    expect(unknown.all).toContain('ZZZZ-ZZZZ-ZZZZ tidak terdaftar');
    // A typo is corrected by sending the code again, with or without words around it.
    expect(unknown.all).toContain('Ketik kode yang tercetak');
    const corrected = await h.say('kode saya ZZZZ-ZZZZ-ZZZY ya', { chat: 'checker' });
    expect(corrected.all).toContain('ZZZZ-ZZZZ-ZZZY tidak terdaftar');
    expect((await h.say('menu', { chat: 'checker' })).choices[0]).toBe('Laporkan pelanggaran');
    const asked = await h.command('verifikasi', '', { chat: 'checker' });
    expect(asked.all).toContain('Ketik kode yang tercetak');
    const wrong = await h.say('12345', { chat: 'checker' });
    expect(wrong.all).toContain('Saya tidak menemukan kode sertifikat dalam pesan itu.');
    const again = await h.say('zzzz zzzz zzzz', { chat: 'checker' });
    expect(again.all).toContain('tidak terdaftar');
  });

  it('resumes a quiz after a restart at the question it was on', async () => {
    const chat = 'restart';
    await h.command('kuis', '', { chat });
    let reply = await h.choose('skip', { chat });
    for (let n = 0; n < 3; n += 1) reply = await h.choose(answerValue(reply.messages, true), { chat });
    const onScreen = shownQuestion(reply.messages).question.id;
    expect(reply.all).toContain('Soal 4 dari 10');

    // A new process on the same database: nothing of the old one survives but what was stored.
    const restarted = await createApp(h.app.config, { store: h.app.store, logger: pino({ level: 'silent' }), clock: () => h.now() });
    try {
      const ref = { channel: 'terminal' as const, chatId: chat };
      const resumed = await restarted.runtime.resume(ref);
      expect(resumed?.messages.map((m) => toPlainText(restarted.renderer.message(m, 'id').text)).join('\n')).toContain('Soal 4 dari 10');
      let result = await restarted.runtime.handle(ref, { type: 'user.chooseOption', value: answerValue(resumed!.messages, true) });
      expect(shownQuestion(resumed!.messages).question.id).toBe(onScreen);
      for (let n = 4; n < 10; n += 1) {
        result = await restarted.runtime.handle(ref, { type: 'user.chooseOption', value: answerValue(result.messages, true) });
      }
      const text = result.messages.map((m) => toPlainText(restarted.renderer.message(m, 'id').text)).join('\n');
      expect(text).toContain('Skor Anda: 10 dari 10 (100%).');
    } finally {
      await restarted.close();
    }
  });
});
