import { describe, expect, it } from 'vitest';
import { ask, askTyped, asField, choice } from '../../flows/messages.ts';
import { menuChoices } from '../../flows/menu/menu.machine.ts';
import { languageOfCommand, route } from '../../flows/router.ts';

const at = '2026-11-22T03:00:00.000Z';
const inMenu = { flow: 'menu' as const, prompt: ask('menu.ask', undefined, menuChoices) };
const inReport = { flow: 'report' as const, prompt: ask('report.askName') };
const cmd = (name: string, args = '') => ({ type: 'user.sendCommand' as const, at, name, args });
const text = (t: string) => ({ type: 'user.sendText' as const, at, text: t });

describe('the router', () => {
  it('starts the menu with the greeting for a chat it has never seen', () => {
    expect(route(text('halo'), { flow: undefined, prompt: null })).toMatchObject({ type: 'startFlow', flow: 'menu', params: { intro: 'greet' } });
  });

  it('opens a flow directly from a deep link', () => {
    expect(route(cmd('start', 'lapor'), inMenu)).toMatchObject({ type: 'startFlow', flow: 'report' });
    expect(route(cmd('start', 'kuis'), inMenu)).toMatchObject({ type: 'startFlow', flow: 'quiz' });
  });

  it('opens certificate verification from a deep link carrying the code', () => {
    expect(route(cmd('start', 'verify_ABCD-EFGH-JKLM'), inMenu)).toMatchObject({
      type: 'startFlow',
      flow: 'verify',
      params: { args: 'ABCD-EFGH-JKLM' },
    });
  });

  it.each([
    ['lapor', 'report'],
    ['report', 'report'],
    ['kuis', 'quiz'],
    ['quiz', 'quiz'],
    ['belajar', 'learn'],
    ['learn', 'learn'],
    ['status', 'status'],
  ])('starts a flow for /%s', (name, flow) => {
    expect(route(cmd(name), inReport)).toMatchObject({ type: 'startFlow', flow });
  });

  it('passes command arguments to the flow it starts', () => {
    expect(route(cmd('status', 'NTR-7K3P-9QXA 1234'), inMenu)).toMatchObject({
      type: 'startFlow',
      flow: 'status',
      params: { args: 'NTR-7K3P-9QXA 1234' },
    });
  });

  it('cancels to the menu with /batal, /cancel or the word batal, saying so only when leaving a flow, marked as the user\'s own cancel', () => {
    expect(route(cmd('batal'), inReport)).toEqual({ type: 'startFlow', flow: 'menu', params: { intro: 'cancelled' }, confirm: false, cancel: true });
    expect(route(cmd('cancel'), inReport)).toMatchObject({ params: { intro: 'cancelled' } });
    expect(route(text('Batal'), inReport)).toMatchObject({ params: { intro: 'cancelled' } });
    expect(route(cmd('batal'), inMenu)).toMatchObject({ params: { intro: 'none' } });
  });

  it('leaves the status check with /batal or "batal" saying that no report sent is cancelled', () => {
    const inStatus = { flow: 'status', prompt: null } as const;
    expect(route(cmd('batal'), inStatus)).toMatchObject({ type: 'startFlow', flow: 'menu', params: { intro: 'leftStatus' } });
    expect(route(text('batal'), inStatus)).toMatchObject({ params: { intro: 'leftStatus' } });
  });

  it('asks for one\'s certificate in more words where no typed answer is wanted ("can I get my certificate now?")', () => {
    for (const typed of ['can I get my certificate now?', 'sy mau ambil sertifikatnya sekarang', 'kirim ulang sertifikat saya dong']) {
      expect(route(text(typed), inMenu), typed).toEqual({ type: 'startFlow', flow: 'quiz', params: { certificate: true }, confirm: true });
    }
    // Where words are typed, as at a name, it is the flow's.
    expect(route(text('can I get my certificate now?'), inReport)).toMatchObject({ type: 'forward' });
  });

  it('opens a new chat whose first message is a file at the menu, saying it was not kept', () => {
    const media = { kind: 'photo' as const, size: 10, sha256: 'a'.repeat(64), path: 'media/x.jpg' };
    expect(route({ type: 'user.sendMedia', at: '2026-11-22T03:00:00.000Z', media }, { flow: undefined, prompt: null })).toMatchObject({
      type: 'startFlow',
      flow: 'menu',
      params: { intro: 'greet', media: true },
    });
  });

  it('reads a greeting, a question or a lone yes at a question marked as a field by the mark, not by its text', () => {
    const field = { flow: 'report' as const, prompt: asField(askTyped('any.field')) };
    const plain = { flow: 'report' as const, prompt: askTyped('any.field') };
    expect(route(text('iya'), field)).toMatchObject({ type: 'inform', key: 'common.notAnAnswer' });
    expect(route(text('kenapa harus isi ini?'), field)).toMatchObject({ type: 'help' });
    expect(route(text('iya'), plain)).toMatchObject({ type: 'forward' });
    // An account may ask a question of its own; a greeting is returned at any question.
    expect(route(text('kenapa camat boleh kampanye?'), { flow: 'report', prompt: asField(ask('any.account'), 'long') })).toMatchObject({ type: 'forward' });
    expect(route(text('halo'), plain)).toMatchObject({ type: 'inform', lead: 'menu.hello', key: 'common.carryOn' });
  });

  it('reads a short wish to go elsewhere at a field as that command, but never an answer that names a place or a post, nor an account', () => {
    const field = { flow: 'report' as const, prompt: asField(askTyped('any.field')) };
    expect(route(text('cek status laporan sy'), field)).toMatchObject({ type: 'startFlow', flow: 'status', confirm: true });
    expect(route(text('mau ikut kuis dulu'), field)).toMatchObject({ type: 'startFlow', flow: 'quiz', confirm: true });
    for (const answer of ['Kepala Dinas Pendidikan', 'Camat Koba', 'Dinas Sosial', 'Budi Santoso', 'lapor', 'https://x.com/desa/status/11']) {
      expect(route(text(answer), field), answer).toMatchObject({ type: 'forward' });
    }
    const account = { flow: 'report' as const, prompt: asField(ask('any.account'), 'long') };
    expect(route(text('kades nyuruh warga ikut kuis'), account)).toMatchObject({ type: 'forward' });
    expect(route(text('cek status'), account)).toMatchObject({ type: 'forward' });
  });

  it('switches or sets the language', () => {
    expect(route(cmd('bahasa'), inMenu)).toEqual({ type: 'toggleLocale' });
    expect(route(text('language'), inMenu)).toEqual({ type: 'toggleLocale' });
    expect(route(cmd('language', 'en'), inMenu)).toEqual({ type: 'setLocale', locale: 'en' });
  });

  it('sets the language a name after the command or keyword gives, and never switches on a name it does not know', () => {
    expect(route(cmd('bahasa', 'Indonesia'), inMenu)).toEqual({ type: 'setLocale', locale: 'id' });
    expect(route(cmd('bahasa', 'bahasa  inggris'), inMenu)).toEqual({ type: 'setLocale', locale: 'en' });
    expect(route(cmd('language', 'English'), inReport)).toEqual({ type: 'setLocale', locale: 'en' });
    expect(route(text('Bahasa Inggris'), inReport)).toEqual({ type: 'setLocale', locale: 'en' });
    expect(route(text('language indonesian'), inReport)).toEqual({ type: 'setLocale', locale: 'id' });
    expect(route(cmd('bahasa', 'klingon'), inMenu)).toEqual({ type: 'inform', key: 'common.languageUnknown' });
    // Asked for in more words, with or without the keyword.
    for (const [typed, locale] of [
      ['pake bahasa inggris aja', 'en'], ['ganti ke bahasa Indonesia', 'id'], ['in english please', 'en'], ['switch to English', 'en'],
      ['pakai bahasa indonesia saja kak', 'id'], ['can we speak english', 'en'], ['english please', 'en'],
      ['can we continue in english please?', 'en'], ['lanjut pakai bahasa indonesia aja', 'id'], ['inggris aja', 'en'], ['actually english please', 'en'], ['maaf, bahasa indonesia aja', 'id'],
    ] as const) {
      expect(route(text(typed), inReport), typed).toEqual({ type: 'setLocale', locale });
    }
    // A language's name alone, without politeness around it, is an answer to the flow.
    expect(route(text('English'), inReport)).toEqual({ type: 'forward', event: expect.objectContaining({ type: 'user.sendText' }) });
    // A short name after such words is no language ("ke id", "in en" are too easily something else).
    expect(route(text('ke id'), inReport)).toEqual({ type: 'forward', event: expect.objectContaining({ type: 'user.sendText' }) });
    // Other words after "bahasa" are an answer to the flow, not a command.
    expect(route(text('bahasa daerah'), inReport)).toEqual({ type: 'forward', event: expect.objectContaining({ type: 'user.sendText' }) });
  });

  it('asks the active flow for help on /bantuan and the word bantuan', () => {
    expect(route(cmd('bantuan'), inReport)).toMatchObject({ type: 'help', event: { type: 'user.askHelp' } });
    expect(route(text('help'), inReport)).toMatchObject({ type: 'help' });
  });

  it('turns kembali or back into a step back inside a flow', () => {
    expect(route(text('kembali'), inReport)).toEqual({ type: 'forward', event: { type: 'user.goBack', at } });
    expect(route(text('Back'), inReport)).toMatchObject({ event: { type: 'user.goBack' } });
    expect(route(text('sblmnya'), inReport)).toMatchObject({ event: { type: 'user.goBack' } });
  });

  it('reads back, cancel and menu as people write them, never as the answer to a free-text question', () => {
    for (const back of ['go back', 'Kembali dong', 'back please', 'balik', 'kembali ke pertanyaan sebelumnya', 'mundur aja kak']) {
      expect(route(text(back), inReport)).toEqual({ type: 'forward', event: { type: 'user.goBack', at } });
    }
    for (const cancel of ['stop', 'Batal aja', 'cancel please', 'berhenti', 'batalkan laporannya', 'Batal.', 'never mind']) {
      expect(route(text(cancel), inReport)).toMatchObject({ type: 'startFlow', flow: 'menu', cancel: true, confirm: false });
    }
    for (const menu of ['main menu', 'menu utama', 'kembali ke menu', 'back to the menu']) {
      expect(route(text(menu), inReport)).toMatchObject({ type: 'startFlow', flow: 'menu', confirm: true });
    }
    expect(route(text('bantuan dong'), inReport)).toMatchObject({ type: 'help' });
    // Asking what a typed question means is its help; beside choices (a quiz question) the flow reads it itself.
    for (const asking of ['maksudnya apa?', 'ga ngerti kak', 'What do you mean?']) {
      expect(route(text(asking), inReport)).toMatchObject({ type: 'help' });
    }
    const inQuizQuestion = { flow: 'quiz' as const, prompt: ask('quiz.question', undefined, [choice('a', 'quiz.a'), choice('b', 'quiz.b')]) };
    expect(route(text('maksudnya?'), inQuizQuestion)).toEqual({ type: 'forward', event: text('maksudnya?') });
    // A choice on screen that such a phrase names is that choice ("batalkan" at "Ya, batalkan").
    const askingCancel = { flow: 'report' as const, prompt: ask('report.review.askCancel', undefined, [choice('yes', 'report.review.cancelYes'), choice('no', 'report.review.cancelNo')]) };
    expect(route(text('batalkan'), askingCancel)).toEqual({ type: 'forward', event: { type: 'user.chooseOption', at, value: 'yes' } });
    expect(route(text('batal'), askingCancel)).toMatchObject({ type: 'startFlow', cancel: true });
    // Words beside them make an answer.
    for (const answer of ['kembali ke kantor', 'stop kampanye', 'Menu makan siang']) {
      expect(route(text(answer), inReport)).toEqual({ type: 'forward', event: text(answer) });
    }
  });

  it('reads a change of mind as people write it ("ga jadi deh, batal", "gak jadi lapor") as a cancel, never as an answer', () => {
    for (const cancel of ['ga jadi deh, batal', 'gak jadi lapor', 'Ga jadi', 'tidak jadi melapor', 'sy mau batalin aja', 'yaudah batal', 'nggak jadi deh kak', 'gajadi']) {
      expect(route(text(cancel), inReport), cancel).toMatchObject({ type: 'startFlow', flow: 'menu', cancel: true, confirm: false });
    }
    // Other words beside them make an answer; so do "jadi" and "tidak" alone.
    for (const answer of ['rapat batal karena hujan', 'Pak Jadi', 'tidak', 'jadi', 'tidak jadi kades lagi', 'saya mau lapor']) {
      expect(route(text(answer), inReport), answer).toEqual({ type: 'forward', event: text(answer) });
    }
  });

  it('takes a question mark alone as a request for help with the question on screen, not as an answer', () => {
    for (const asking of ['?', '??', ' ? ', '¿']) {
      expect(route(text(asking), inReport), asking).toEqual({ type: 'help', event: { type: 'user.askHelp', at } });
    }
    expect(route(text('Budi?'), inReport)).toEqual({ type: 'forward', event: text('Budi?') });
  });

  it('turns a typed number into the matching choice, and leaves free text alone', () => {
    expect(route(text('2'), inMenu)).toEqual({ type: 'forward', event: { type: 'user.chooseOption', at, value: 'quiz' } });
    expect(route(text('Budi Santoso'), inReport)).toEqual({ type: 'forward', event: text('Budi Santoso') });
  });

  it('marks every switch but an explicit cancel as one to confirm when work would be lost', () => {
    expect(route(cmd('kuis'), inReport)).toMatchObject({ type: 'startFlow', flow: 'quiz', confirm: true });
    expect(route(cmd('lapor'), inReport)).toMatchObject({ confirm: true });
    expect(route(text('menu'), inReport)).toMatchObject({ flow: 'menu', confirm: true });
    expect(route(cmd('cancel'), inReport)).toMatchObject({ confirm: false });
  });

  it('reads the answer to the leave-or-stay question, typed or pressed, only while it is on screen', () => {
    const leaving = {
      flow: 'report' as const,
      prompt: ask('common.leaveConfirm', undefined, [choice('leave:quiz', 'common.leaveYes'), choice('leave:stay', 'common.leaveNo')]),
    };
    expect(route(text('1'), leaving)).toEqual({ type: 'leaveFlow', flow: 'quiz' });
    expect(route(text('tidak, lanjutkan'), leaving)).toEqual({ type: 'stayInFlow' });
    // A reply's leading "Tidak," or "No," is not a negation of the words after it.
    expect(route(text('lanjutkan'), leaving)).toEqual({ type: 'stayInFlow' });
    expect(route(text('continue'), leaving)).toEqual({ type: 'stayInFlow' });
    expect(route({ type: 'user.chooseOption', at, value: 'leave:stay' }, leaving)).toEqual({ type: 'stayInFlow' });
    expect(route({ type: 'user.chooseOption', at, value: 'leave:quiz' }, inReport)).toMatchObject({ type: 'forward' });
    // Other words are no answer to the question underneath ("gmn maksudnya?" was filed as a position): asked again.
    expect(route(text('Budi'), leaving)).toEqual({ type: 'inform', key: 'common.leaveChoose' });
    for (const leave of ['yaudah tinggalin aja', 'simpan dulu', 'lanjut nanti', 'pindah', 'leave it']) {
      expect(route(text(leave), leaving)).toEqual({ type: 'leaveFlow', flow: 'quiz' });
    }
    // "Nanti aja" may mean "not now"; under "start over?", "simpan dulu" is no yes.
    expect(route(text('nanti aja'), leaving)).toEqual({ type: 'inform', key: 'common.leaveChoose' });
    const restarting = { flow: 'report' as const, prompt: ask('common.restartConfirm', undefined, [choice('leave:report', 'common.restartYes'), choice('leave:stay', 'common.leaveNo')]) };
    expect(route(text('simpan dulu'), restarting)).toEqual({ type: 'inform', key: 'common.leaveChoose' });
    // A cancel meant for the switch stays, so no draft goes with it.
    for (const cancel of [text('batal'), cmd('batal'), cmd('cancel')]) expect(route(cancel, leaving)).toEqual({ type: 'stayInFlow' });
    // A plain yes or no answers it: "ya" must not reach the flow underneath.
    for (const yes of ['ya', 'iya', 'ok', 'oke kak']) expect(route(text(yes), leaving)).toEqual({ type: 'leaveFlow', flow: 'quiz' });
    for (const no of ['tidak', 'gak', 'no']) expect(route(text(no), leaving)).toEqual({ type: 'stayInFlow' });
  });

  it('reads the answer to the cancel question strictly: yes, no or the cancel again, else asks again', () => {
    const cancelling = {
      flow: 'report' as const,
      prompt: ask('common.cancelConfirm', undefined, [choice('leave:menu', 'common.cancelYes'), choice('leave:stay', 'common.leaveNo')]),
    };
    for (const yes of [text('ya'), text('iya'), text('batal'), text('batal aja'), text('stop'), cmd('batal'), cmd('cancel'), cmd('batalkan')]) {
      expect(route(yes, cancelling)).toEqual({ type: 'leaveFlow', flow: 'menu', cancelled: true });
    }
    expect(route(text('tidak'), cancelling)).toEqual({ type: 'stayInFlow' });
    // Carrying on, or taking the cancel back, keeps the draft: never read as a yes or as the cancel again.
    for (const stay of ['lanjut', 'lanjut aja kak', 'eh jgn', 'ga jadi batal', 'gak jadi', 'gak usah', 'continue', "don't cancel"]) {
      expect(route(text(stay), cancelling), stay).toEqual({ type: 'stayInFlow' });
    }
    // What would answer the summary underneath ("kirim" files it) is not passed on.
    for (const other of ['kirim', 'kembali', 'Budi']) expect(route(text(other), cancelling)).toEqual({ type: 'inform', key: 'common.cancelChoose' });
  });

  it('names an unknown command so the user can be guided', () => {
    expect(route(cmd('xyz'), inMenu)).toEqual({ type: 'unknownCommand', name: 'xyz' });
  });

  it('tells the language of a command or keyword that exists in one language only', () => {
    expect(languageOfCommand(cmd('report'))).toBe('en');
    expect(languageOfCommand(cmd('Lapor'))).toBe('id');
    expect(languageOfCommand(cmd('start', 'kuis'))).toBe('id');
    expect(languageOfCommand(cmd('start', 'quiz'))).toBe('en');
    expect(languageOfCommand(text('Help'))).toBe('en');
    expect(languageOfCommand(text('batal'))).toBe('id');
  });

  it('tells no language for words both languages share, language switches, or text that is not plainly English', () => {
    for (const event of [cmd('start'), cmd('status'), cmd('menu'), cmd('language'), cmd('bahasa'), text('menu'), text('status'), text('tolong'), text('halo'), text('saya mau report ASN yang kampanye'), text('Budi')]) {
      expect(languageOfCommand(event)).toBeUndefined();
    }
  });

  it('tells English for a first sentence plainly written in it', () => {
    for (const sentence of ['I want to report a civil servant who is campaigning', 'Hello, good morning', 'please help me']) {
      expect(languageOfCommand(text(sentence))).toBe('en');
    }
  });

  it('reads names every object inherits as the plain words they are, not as commands', () => {
    for (const word of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(route(cmd(word), inMenu)).toEqual({ type: 'unknownCommand', name: word.toLowerCase() });
      expect(route(text(word), inReport)).toEqual({ type: 'forward', event: text(word) });
      expect(route(cmd('start', word), inMenu)).toMatchObject({ type: 'startFlow', flow: 'menu', params: { intro: 'greet' } });
      expect(languageOfCommand(cmd(word))).toBeUndefined();
      expect(languageOfCommand(text(word))).toBeUndefined();
    }
  });
});
