/**
 * What a walk-through by an Indonesian PNS and an English-speaking PPPK found, played through the real runtime and
 * store as a channel would: the lessons, the quiz with its certificate, and the certificate check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lessonsForTopic } from '../../../content/education/lessons.ts';
import { topicLabel, type QuizTopic } from '../../../flows/quiz/questionBank.ts';
import { createHarness, type Harness, type Reply } from '../../support/chatHarness.ts';
import { answerValue, isQuestionShown, shownQuestion } from './quizAnswers.ts';

describe('the lessons, the quiz and the certificate check, as the walk-through used them', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('postgres', { env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  afterAll(async () => {
    await h.close();
  });

  /** Starts the full quiz (skipping the profile the first time) and answers every question `right` decides. */
  async function takeQuiz(chat: string, right: (topic: QuizTopic, seen: readonly QuizTopic[]) => boolean, first?: Reply): Promise<Reply> {
    let reply = first ?? (await h.command('kuis', '', { chat }));
    if (!isQuestionShown(reply.messages)) reply = await h.choose('skip', { chat });
    const seen: QuizTopic[] = [];
    while (isQuestionShown(reply.messages)) {
      const { topic } = shownQuestion(reply.messages).question;
      const answer = answerValue(reply.messages, right(topic, seen));
      seen.push(topic);
      reply = await h.choose(answer, { chat });
    }
    return reply;
  }

  it('prints a name typed all in lower case with capitals and its title in the usual spelling', async () => {
    const chat = 'lower-case-name';
    const scored = await takeQuiz(chat, () => true);
    expect(scored.all).toContain('Nama siapa yang akan dicetak?');
    const confirm = await h.say('siti rahma s.pd', { chat });
    expect(confirm.all).toContain('Nama yang akan dicetak: Siti Rahma, S.Pd.\n');
    const issued = await h.say('ya', { chat });
    const code = /[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/.exec(issued.all)?.[0] ?? '';
    const certificate = await h.app.store.prisma.certificate.findUniqueOrThrow({ where: { code } });
    expect(h.app.secrets.decrypt(certificate.nameEnc!)).toBe('Siti Rahma, S.Pd.');
  });

  it('takes "ulang lg", "ulangi lagi", "coba lagi" and "sekali lagi" after a failed quiz as "Ulangi kuis"', async () => {
    const chat = 'retries';
    let scored = await takeQuiz(chat, (_, seen) => seen.length < 5);
    for (const words of ['ulang lg', 'ulangi lagi', 'coba lagi', 'sekali lagi']) {
      expect(scored.choices, words).toEqual(['Ulangi kuis', 'Pelajari aturan', 'Menu utama']);
      const retake = await h.say(words, { chat });
      expect(retake.all, words).not.toContain('belum memahami');
      expect(retake.all, words).toContain('Soal 1 dari 10');
      scored = await takeQuiz(chat, (_, seen) => seen.length < 5, retake);
    }
  });

  it('takes "try again" and "again" after a failed quiz as "Retake the quiz" in English', async () => {
    const chat = 'retries-en';
    await h.command('language', 'en', { chat });
    let scored = await takeQuiz(chat, (_, seen) => seen.length < 5);
    for (const words of ['try again', 'again']) {
      expect(scored.choices, words).toEqual(['Retake the quiz', 'Learn the rules', 'Main menu']);
      const retake = await h.say(words, { chat });
      expect(retake.all, words).toContain('Question 1 of 10');
      scored = await takeQuiz(chat, (_, seen) => seen.length < 5, retake);
    }
  });

  it('opens the lesson of the topic answered worst when "Pelajari aturan" is chosen after a failed quiz, and says so', async () => {
    const chat = 'weakest-topic';
    let weakest: QuizTopic | undefined;
    // Every question of the first topic met wrong (0%); of each other topic the first right and any second wrong.
    const scored = await takeQuiz(chat, (topic, seen) => {
      weakest ??= topic;
      return topic !== weakest && !seen.includes(topic);
    });
    expect(scored.all).toContain('belum mencapai batas lulus 80%');
    const lesson = await h.say('pelajari aturan', { chat });
    const topic = weakest!;
    expect(lesson.all).toContain(`Kita mulai dari topik yang nilainya paling rendah di kuis tadi: ${topicLabel(topic).id}.`);
    expect(lesson.all).toContain(lessonsForTopic(topic)[0]!.title.id);
    expect(lesson.choices).toContain('Coba kuis topik ini');
  });

  it('says that /kuis typed inside a topic quiz starts the full quiz, and starts the full quiz', async () => {
    const chat = 'topic-then-full';
    await h.command('belajar', '', { chat });
    await h.say('coba kuis topik ini', { chat });
    const first = await h.choose('skip', { chat });
    expect(first.all).toContain('Kuis topik: Dasar hukum');
    await h.choose(answerValue(first.messages, true), { chat });
    const asked = await h.command('kuis', '', { chat });
    expect(asked.all).toContain('Mulai kuis lengkap dari awal? Kuis topik ini akan ditinggalkan');
    expect(asked.all).not.toContain('Mulai ulang dari awal?');
    expect(asked.choices).toEqual(['Ya, mulai kuis lengkap', 'Tidak, lanjutkan']);
    const full = await h.say('ya', { chat });
    expect(full.all).toContain('Kuis Netralitas ASN');
    expect(full.all).toContain('Soal 1 dari 10');

    const english = 'topic-then-full-en';
    await h.command('language', 'en', { chat: english });
    await h.command('learn', '', { chat: english });
    await h.say('try the quiz on this topic', { chat: english });
    const question = await h.choose('skip', { chat: english });
    await h.choose(answerValue(question.messages, false), { chat: english });
    const askedEn = await h.command('quiz', '', { chat: english });
    expect(askedEn.all).toContain('Start the full quiz from the beginning?');
    expect(askedEn.choices).toEqual(['Yes, start the full quiz', 'No, continue']);
  });

  it('starts the sanctions quiz for "/kuis sanksi" and opens the sanctions lessons for "/belajar sanksi"', async () => {
    const chat = 'topic-in-words';
    let reply = await h.command('kuis', 'sanksi', { chat });
    if (!isQuestionShown(reply.messages)) reply = await h.choose('skip', { chat });
    expect(reply.all).toContain('Kuis topik: Sanksi');
    expect(shownQuestion(reply.messages).question.topic).toBe('sanctions');
    const lesson = await h.command('belajar', 'sanksi', { chat: 'topic-in-words-learn' });
    expect(lesson.all).toContain(lessonsForTopic('sanctions')[0]!.title.id);
  });

  it('takes an answer typed as a letter, and answers "kenapa?" and "maksudnya?" after it with its explanation and the question again', async () => {
    const chat = 'typed-answers';
    let reply = await h.command('kuis', '', { chat });
    if (!isQuestionShown(reply.messages)) reply = await h.choose('skip', { chat });
    const { question, choices } = shownQuestion(reply.messages);
    const position = choices.findIndex((c) => 'localized' in c.label && c.label.localized.id === question.options.find((o) => o.id === question.correct)!.text.id);
    const answered = await h.say(`${String.fromCharCode(65 + position)}.`, { chat });
    expect(answered.all).toContain('✅ Benar.');
    const why = await h.say('kenapa?', { chat });
    expect(why.all).toContain(`Pembahasan soal 1: jawaban yang benar adalah ${question.options.find((o) => o.id === question.correct)!.text.id}.`);
    expect(why.all).toContain('Soal 2 dari 10');
    expect(why.all).toMatch(/Materi .+ membahasnya lebih lengkap: ketik \/belajar \d+ setelah kuis selesai\./);
    // "Maksudnya?" asks the same, not for the quiz's help.
    const meaning = await h.say('maksudnya?', { chat });
    expect(meaning.all).toContain('Pembahasan soal 1');
  });

  it('names the registered code meant by one typed with 0 or O for Q, or 1 for L, without its holder\'s name', async () => {
    const register = (code: string, name: string) =>
      h.app.store.prisma.certificate.create({
        data: { code, attemptId: `attempt-${code}`, nameEnc: h.app.secrets.encrypt(name), score: 9, total: 10, issuedAt: new Date('2026-11-20T03:00:00Z') },
      });
    await register('HB3K-GW9U-ZPQM', 'Rahmat Hidayat');
    await register('LM4N-P2QR-ST8V', 'Dewi Lestari');
    const chat = 'code-checker';
    const zero = await h.command('verifikasi', 'HB3K-GW9U-ZP0M', { chat });
    expect(zero.all).toContain('Kode HB3K-GW9U-ZP0M tidak terdaftar. Mungkin maksud Anda HB3K-GW9U-ZPQM?');
    expect(zero.all).not.toContain('Rahmat');
    const letterO = await h.say('hb3k gw9u zpom', { chat });
    expect(letterO.all).toContain('Mungkin maksud Anda HB3K-GW9U-ZPQM?');
    const one = await h.say('1M4N-P2QR-ST8V', { chat });
    expect(one.all).toContain('Kode 1M4N-P2QR-ST8V tidak terdaftar. Mungkin maksud Anda LM4N-P2QR-ST8V?');
    expect(one.all).not.toContain('Dewi');
    const sent = await h.say('LM4N-P2QR-ST8V', { chat });
    expect(sent.all).toContain('Sertifikat asli.');
    // A code with such a character that is near no registered one is not registered, and why it may be misread.
    expect((await h.command('verifikasi', 'ZZZZ-ZZZZ-ZZZ0', { chat })).all).toContain('Kode ZZZZ-ZZZZ-ZZZ0 tidak terdaftar. Kode sertifikat Netra tidak memakai huruf O dan I');
  });

  it('answers a number typed at the regency question as a number, not as a regency called "2", and one beyond the regencies offered likewise', async () => {
    const chat = 'regency-number';
    await h.command('kuis', '', { chat });
    await h.choose('consent', { chat });
    const regency = await h.say('Dinas Pendidikan', { chat });
    expect(regency.all).toContain('Di kabupaten/kota mana instansi Anda berada?');
    expect(regency.choices).toEqual(['Lewati']);
    const two = await h.say('2', { chat });
    expect(two.all).toContain('Angka saja bukan nama kabupaten/kota.');
    expect(two.all).not.toContain('tidak menemukan');
    const offered = await h.say('bangka', { chat });
    expect(offered.all).toContain('Yang Anda maksud yang mana?');
    const beyond = offered.choices.length + 1;
    const none = await h.say(String(beyond), { chat });
    expect(none.all).toContain(`Tidak ada pilihan nomor ${beyond}.`);
    expect(none.all).not.toContain('tidak menemukan');
    // Still choosing among the same regencies: the first is taken.
    const noted = await h.say('1', { chat });
    expect(noted.all).toContain(`Tercatat: ${offered.choices[0]}`);
    expect(noted.all).toContain('Apa status kepegawaian Anda?');
  });

  it('answers "gatau" or "I don\'t know" at a question with encouragement to guess, and the question again', async () => {
    const chat = 'unsure';
    await h.command('kuis', '', { chat });
    const first = await h.choose('skip', { chat });
    expect(first.all).toContain('Soal 1 dari 10');
    const unsure = await h.say('ga tau pak', { chat });
    expect(unsure.all).toContain('Tidak apa-apa bila belum yakin.');
    expect(unsure.all).not.toContain('Silakan jawab');
    expect(unsure.all).toContain('Soal 1 dari 10');
    await h.command('language', 'en', { chat });
    const english = await h.say("I don't know", { chat });
    expect(english.all).toContain("That's fine if you are not sure.");
    expect(english.all).toContain('Question 1 of 10');
  });

  it("answers a question of one's own typed at a quiz question, with when it can be answered, and the question again", async () => {
    const chat = 'own-question';
    await h.command('kuis', '', { chat });
    await h.choose('skip', { chat });
    const asked = await h.say('apakah PPPK juga dilarang ikut kampanye?', { chat });
    expect(asked.all).toContain('Pertanyaan di luar soal belum bisa saya jawab di tengah kuis.');
    expect(asked.all).not.toContain('Silakan jawab');
    expect(asked.all).toContain('Soal 1 dari 10');
    // Without a question mark, by its first word; a few words with no question are still told how to answer.
    expect((await h.say('bagaimana kalau kades yang ikut', { chat })).all).toContain('Pertanyaan di luar soal');
    expect((await h.say('tidak paham soalnya', { chat })).all).toContain('Silakan jawab');
    // A question on one topic names the lesson on it, to read after the quiz.
    expect((await h.say('apa itu PTDH?', { chat })).all).toContain('materi Tingkat hukuman disiplin mungkin menjawabnya: ketik /belajar 6');
  });

  it('hands a report code given at the certificate check back to the check when a certificate was meant', async () => {
    const chat = 'report-code-at-verify';
    const first = await h.command('verifikasi', 'NTR-4F7K-2MXD', { chat });
    expect(first.all).toContain('adalah kode laporan, bukan kode sertifikat');
    const back = await h.say('sy gak punya nomor tanda terima, sy cuma mau cek sertifikat', { chat });
    expect(back.all).toContain('Ketik kode yang tercetak pada sertifikat');
    // There, "ya" to a code suggested checks that code.
    await h.app.store.prisma.certificate.create({ data: { code: 'AGQ2-ZM89-ZVQL', attemptId: 'attempt-agq2', score: 9, total: 10 } });
    expect((await h.say('AGO2-ZM89-ZVQL', { chat })).all).toContain('Mungkin maksud Anda AGQ2-ZM89-ZVQL?');
    expect((await h.say('ya betul itu', { chat })).all).toContain('Sertifikat asli.');
  });

  it('takes "yg kabupaten" among regencies offered as the one kabupaten, and says back a status typed in words', async () => {
    const chat = 'regency-kind';
    await h.command('kuis', '', { chat });
    await h.choose('consent', { chat });
    await h.say('Dinas Pendidikan', { chat });
    const offered = await h.say('bogor', { chat });
    expect(offered.choices.slice(0, 2)).toEqual(['Kabupaten Bogor, Jawa Barat', 'Kota Bogor, Jawa Barat']);
    const noted = await h.say('yg kabupaten', { chat });
    expect(noted.all).toContain('Tercatat: Kabupaten Bogor, Jawa Barat.');
    expect(noted.all).toContain('Apa status kepegawaian Anda?');
    const status = await h.say('saya kades pak', { chat });
    expect(status.all).toContain('Tercatat: Kepala desa / perangkat desa.');
    expect(status.all).toContain('Terima kasih.');
    const profile = await h.app.store.prisma.chat.findFirstOrThrow({ where: { key: status.result.chatKey } });
    expect(profile.snapshot).toMatchObject({ context: { profile: { regencyCode: '32.01', employment: 'village' } } });
  });

  it('greets back a greeting at the profile\'s agency, answers a question there with help, and stores neither nor a lone yes', async () => {
    const chat = 'profile-fillers';
    await h.command('kuis', '', { chat });
    await h.choose('consent', { chat });
    const greeted = await h.say('halo', { chat });
    expect(greeted.all).toContain('Kita lanjutkan dari pertanyaan terakhir.');
    expect(greeted.all).toContain('Di instansi atau OPD mana Anda bekerja?');
    expect((await h.say('iya', { chat })).all).toContain('“iya” belum menjawab pertanyaan ini.');
    expect((await h.say('kenapa harus isi ini?', { chat })).all).toContain('statistik gabungan');
    const regency = await h.say('Dinas Pendidikan', { chat });
    expect(regency.all).toContain('Di kabupaten/kota mana instansi Anda berada?');
    expect((await h.say('masih disitu?', { chat })).all).toContain('Kita lanjutkan dari pertanyaan terakhir.');
    const saved = await h.app.store.prisma.chat.findFirstOrThrow({ where: { key: regency.result.chatKey } });
    expect(saved.snapshot).toMatchObject({ context: { profile: { agency: 'Dinas Pendidikan', regencyCode: null } } });
  });

  it('takes an agency of a provincial government as its province, chosen after the province or typed with it', async () => {
    /** The quiz's profile, consented to, up to the regency question with the agency given. */
    const toRegency = async (chat: string, agency: string) => {
      await h.command('kuis', '', { chat });
      await h.choose('consent', { chat });
      return h.say(agency, { chat });
    };
    const chat = 'province-level';
    const asked = await toRegency(chat, 'BKD');
    expect(asked.all).toContain('Untuk instansi pemerintah provinsi, ketik nama provinsinya.');
    const inProvince = await h.say('Jawa Barat', { chat });
    expect(inProvince.all).toContain('Kabupaten/kota mana di Jawa Barat?');
    expect(inProvince.choices).toContain('Instansi pemerintah provinsi');
    const noted = await h.choose('provinceLevel', { chat });
    expect(noted.all).toContain('Tercatat: instansi Pemerintah Provinsi Jawa Barat.');
    expect(noted.all).toContain('Apa status kepegawaian Anda?');
    const status = await h.say('pns', { chat });
    const saved = await h.app.store.prisma.chat.findFirstOrThrow({ where: { key: status.result.chatKey } });
    expect(saved.snapshot).toMatchObject({ context: { profile: { regencyCode: '32', employment: 'pns' } } });
    const attempt = await h.app.store.prisma.quizAttempt.findFirstOrThrow({ where: { chatKey: status.result.chatKey } });
    expect(attempt.regencyCode).toBe('32');

    const typed = 'province-level-typed';
    await toRegency(typed, 'Dinas Kesehatan');
    expect((await h.say('pemprov jateng', { chat: typed })).all).toContain('Tercatat: instansi Pemerintah Provinsi Jawa Tengah.');
    // Named after the province, the words alone say the same.
    const words = 'province-level-words';
    await toRegency(words, 'Bappeda');
    await h.say('Provinsi Bali', { chat: words });
    expect((await h.say('tingkat provinsi aja', { chat: words })).all).toContain('Tercatat: instansi Pemerintah Provinsi Bali.');
  });
});
