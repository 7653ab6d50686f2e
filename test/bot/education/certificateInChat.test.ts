import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type Reply } from '../../support/chatHarness.ts';
import { storeKinds } from '../../support/testDatabase.ts';
import { answerValue, isQuestionShown } from '../../flows/quiz/quizAnswers.ts';

const codePattern = /[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}/;

const isQuestion = (reply: Reply): boolean => isQuestionShown(reply.messages);

describe.each(storeKinds)('the certificate in the chat on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
  });
  afterAll(async () => {
    await h.close();
  });

  it('says how to earn one before the quiz is passed, sends the latest PDF after, and gives its code once the file is gone', async () => {
    const chat = 'sari';
    const none = await h.command('sertifikat', '', { chat });
    expect(none.all).toContain('Anda belum memiliki sertifikat');
    expect(none.choices).toEqual(['Kuis lengkap (10 soal)', 'Pelajari aturan', 'Menu utama']);
    expect(none.messages.some((m) => m.type === 'document')).toBe(false);

    // The full quiz, from that choice, passed without a name.
    let reply = await h.choose('full', { chat });
    reply = await h.choose('skip', { chat });
    while (isQuestion(reply)) reply = await h.choose(answerValue(reply.messages, true), { chat });
    const issued = await h.choose('skip', { chat });
    const code = codePattern.exec(issued.all)?.[0];
    expect(code).toBeDefined();

    // Typed as a word, as on WhatsApp.
    const again = await h.say('sertifikat', { chat });
    const document = again.messages.find((m) => m.type === 'document');
    expect(document).toMatchObject({ type: 'document', path: `certificates/${code}.pdf`, fileName: `sertifikat-netralitas-asn-${code}.pdf` });
    expect(again.all).toContain(`Ini sertifikat Anda, kode ${code}, diterbitkan`);
    expect(again.all).toContain(`/verifikasi ${code}`);
    // In other words, too; another chat has none of its own.
    expect((await h.say('kirim ulang sertifikat saya', { chat })).messages.some((m) => m.type === 'document')).toBe(true);
    expect((await h.command('certificate', '', { chat: 'someone-else' })).all).toContain('You do not have a certificate yet');
    // At the certificate check, the word is no request for one's own.
    await h.command('verifikasi', '', { chat });
    const atCheck = await h.say('sertifikat', { chat });
    expect(atCheck.messages.some((m) => m.type === 'document')).toBe(false);
    expect(atCheck.all).not.toContain('Ini sertifikat Anda');

    // After the retention period the PDF (which carries the name) is gone: the code is told, still verifiable.
    rmSync(path.join(h.dataDir, `certificates/${code}.pdf`));
    const removed = await h.command('sertifikat', '', { chat });
    expect(removed.messages.some((m) => m.type === 'document')).toBe(false);
    expect(removed.all).toContain(`Sertifikat Anda berkode ${code}`);
    expect(removed.all).toContain('Berkasnya sudah tidak kami simpan');
  });

  it('asks before starting the quiz over from inside it, and sends the certificate, not a new quiz, after /sertifikat there', async () => {
    const chat = 'dewi';
    await h.command('kuis', '', { chat });
    const first = await h.choose('skip', { chat });
    await h.choose(answerValue(first.messages, true), { chat });
    const again = await h.command('kuis', '', { chat });
    expect(again.all).toContain('Jika dimulai ulang, jawaban yang sudah Anda isi akan hilang');
    expect(again.choices).toEqual(['Ya, mulai ulang', 'Tidak, lanjutkan']);
    expect((await h.say('tidak', { chat })).all).toContain('Soal 2 dari 10');

    const certificate = await h.command('sertifikat', '', { chat });
    expect(certificate.all).toContain('Jika pindah sekarang');
    expect(certificate.choices).toEqual(['Ya, tinggalkan', 'Tidak, lanjutkan']);
    const left = await h.say('ya', { chat });
    expect(left.all).toContain('Anda belum memiliki sertifikat');
    expect(left.all).not.toContain('Soal 1 dari 10');
  });

  it('prints the name meant: without an opening, a correction or emoji, refusing titles alone and saying how long a long one was', async () => {
    const chat = 'wayan';
    let reply = await h.command('kuis', '', { chat });
    reply = await h.choose('skip', { chat });
    while (isQuestion(reply)) reply = await h.choose(answerValue(reply.messages, true), { chat });
    expect(reply.all).toContain('Nama siapa yang akan dicetak?');

    expect((await h.say('S.Pd.', { chat })).all).toContain('Nama perlu 2 sampai 80 karakter dan memuat huruf');
    // A short name that ends a sentence is a name.
    expect((await h.say('Ani.', { chat })).all).toContain('Nama yang akan dicetak: Ani.');
    expect((await h.say('tidak', { chat })).all).toContain('Nama siapa yang akan dicetak?');
    expect((await h.say(`Siti Rahma ${'Nurhaliza '.repeat(9)}S.Pd.`, { chat })).all).toContain('Nama itu 106 karakter, sedangkan yang dapat dicetak paling banyak 80');
    expect((await h.say('atas nama Siti Rahma, S.Pd. 🙏', { chat })).all).toContain('Nama yang akan dicetak: Siti Rahma, S.Pd.\n');
    // A correction typed at the confirmation replaces the name, without its opening words.
    expect((await h.say('bukan, nama saya Siti Rahmawati, S.Pd.', { chat })).all).toContain('Nama yang akan dicetak: Siti Rahmawati, S.Pd.\n');
    expect((await h.say("no, it's I Made Wirawan, S.Kom.", { chat })).all).toContain('Nama yang akan dicetak: I Made Wirawan, S.Kom.\n');
    // "sertifikat" here names the button "Ya, buat sertifikat": it issues this one, not look for an older one.
    const issued = await h.say('sertifikat', { chat });
    expect(issued.messages.some((m) => m.type === 'document')).toBe(true);
    expect(issued.all).not.toContain('Tinggalkan sekarang?');
  });
});
