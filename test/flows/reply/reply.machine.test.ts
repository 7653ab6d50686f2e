import { createActor, type Snapshot } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { FlowEmitted } from '../../../flows/flow.ts';
import type { InboundEvent, OutboundMessage, StoredMedia } from '../../../flows/messages.ts';
import { parseReplyArgs, replyContextSchema, replyMachine, REPLY_LIMITS } from '../../../flows/reply/reply.machine.ts';
import { LATE_ANSWER_DAYS } from '../../../flows/reply/replyCommands.ts';

const at = '2026-11-22T03:00:00.000Z';
const CODE = 'NTR-7K3P-9QXA';
const found = { status: 'found', target: { code: CODE, office: 'Bawaslu Kabupaten Bangka Barat', question: 'Ada foto?' } };
const photo: StoredMedia = { kind: 'photo', size: 10, sha256: 'a'.repeat(64), path: 'evidence/aa/x.jpg', strippedPath: 'evidence/aa/x.clean.jpg' };

/** Drives the machine like the runtime does: a JSON round-trip of the snapshot between turns. */
function conversation(args = '') {
  let snapshot: Snapshot<unknown> | undefined;
  const turn = (event?: InboundEvent) => {
    const emitted: FlowEmitted[] = [];
    const actor = createActor(replyMachine, {
      input: { at, params: { args } },
      ...(snapshot ? { snapshot: snapshot as never } : {}),
    });
    actor.on('*', (e) => void emitted.push(e as FlowEmitted));
    actor.start();
    if (event) actor.send(event);
    snapshot = JSON.parse(JSON.stringify(actor.getPersistedSnapshot())) as Snapshot<unknown>;
    const state = actor.getSnapshot();
    expect(replyContextSchema.safeParse(state.context).success).toBe(true);
    actor.stop();
    return {
      state: state.value as string,
      done: state.status === 'done',
      replies: emitted.flatMap((e) => (e.type === 'reply' ? [e.message] : [])),
      commands: emitted.flatMap((e) => (e.type === 'command' ? [e.command] : [])),
    };
  };
  return turn;
}

const keyOf = (m: OutboundMessage | undefined) => (m?.type === 'text' && 'key' in m.text ? m.text.key : undefined);
const result = (command: string, value: unknown): InboundEvent => ({ type: 'system.commandResult', at, command, result: value });
const text = (value: string): InboundEvent => ({ type: 'user.sendText', at, text: value });

describe('reply command arguments', () => {
  it('read the ticket code in any case and the answer after it', () => {
    expect(parseReplyArgs('ntr-7k3p-9qxa sudah saya kirim')).toEqual({ code: CODE, text: 'sudah saya kirim' });
    expect(parseReplyArgs('NTR7K3P9QXA')).toEqual({ code: CODE, text: null });
    expect(parseReplyArgs('ntr 7k3p 9qxa')).toEqual({ code: CODE, text: null });
    expect(parseReplyArgs('NTR.7K3P.9QXA ada videonya')).toEqual({ code: CODE, text: 'ada videonya' });
    // Words are no code: a code has none of I, L, O, 0 and 1.
    expect(parseReplyArgs('NTR dari saya sendiri')).toMatchObject({ code: null });
    expect(parseReplyArgs('')).toEqual({ code: null, text: null });
  });
});

describe('reply flow', () => {
  it('looks up the open question, takes the answer and evidence, and submits them together', () => {
    const turn = conversation();
    const start = turn();
    expect(start.commands).toEqual([{ type: 'lookupReply', code: null }]);
    const asked = turn(result('lookupReply', found));
    expect(asked.state).toBe('answering');
    expect(keyOf(asked.replies[0])).toBe('officer.reply.askAnswer');
    expect(keyOf(turn(text('ya')).replies[0])).toBe('officer.reply.tooShort');
    const collecting = turn(text('Ada, lihat https://example.org/foto'));
    expect(collecting.state).toBe('collecting');
    expect(collecting.replies[0]).toMatchObject({ prompt: true, choices: [{ value: 'send' }] });
    expect(keyOf(turn({ type: 'user.sendMedia', at, media: photo }).replies[0])).toBe('officer.reply.evidenceAdded');
    expect(keyOf(turn(text('Spanduknya di pagar.')).replies[0])).toBe('officer.reply.textAdded');
    const submitting = turn({ type: 'user.chooseOption', at, value: 'send' });
    expect(submitting.commands).toEqual([
      {
        type: 'submitReply',
        code: CODE,
        text: 'Ada, lihat https://example.org/foto\nSpanduknya di pagar.',
        media: [photo],
        links: ['https://example.org/foto'],
        startedAt: at,
      },
    ]);
    const sent = turn(result('submitReply', { status: 'sent', code: CODE, office: 'Bawaslu Kabupaten Bangka Barat', files: 1 }));
    expect(sent.done).toBe(true);
    expect(sent.replies[0]).toMatchObject({ text: { key: 'officer.reply.sentWithFiles', params: { count: 1 } } });
  });

  it('forgets the links of an answer taken back with kembali, so they never reach the officers', () => {
    const turn = conversation();
    turn();
    turn(result('lookupReply', found));
    expect(turn(text('Lihat profil saya https://facebook.com/budi.santoso.asli')).state).toBe('collecting');
    const back = turn({ type: 'user.goBack', at });
    expect(back.state).toBe('answering');
    // Said, then the question again: the reporter knows the text they wrote is gone.
    expect(back.replies.map(keyOf)).toEqual(['officer.reply.answerCleared', 'officer.reply.askAnswer']);
    turn(text('Spanduknya masih terpasang di pagar kantor desa.'));
    expect(turn({ type: 'user.chooseOption', at, value: 'send' }).commands).toEqual([
      { type: 'submitReply', code: CODE, text: 'Spanduknya masih terpasang di pagar kantor desa.', media: [], links: [], startedAt: at },
    ]);
  });

  it('says a photo, video or document whose metadata could not be removed is kept but not sent', () => {
    const turn = conversation();
    turn();
    turn(result('lookupReply', found));
    turn(text('Ada, ini videonya.'));
    const { strippedPath: _none, ...uncleaned } = { ...photo, kind: 'video' as const, mime: 'video/mp4' };
    expect(turn({ type: 'user.sendMedia', at, media: uncleaned }).replies.map(keyOf)).toEqual(['common.media.notCleaned', 'officer.reply.evidenceAdded']);
    expect(turn({ type: 'user.sendMedia', at, media: { ...photo, sha256: 'c'.repeat(64) } }).replies.map(keyOf)).toEqual(['officer.reply.evidenceAdded']);
    // A document whose author could not be removed: the reporter is asked for a PDF or pictures of its pages.
    const { strippedPath: _neither, ...lockedPdf } = { ...photo, kind: 'document' as const, mime: 'application/pdf', fileName: 'surat.pdf', sha256: 'd'.repeat(64), path: `evidence/dd/${'d'.repeat(64)}.pdf` };
    expect(turn({ type: 'user.sendMedia', at, media: lockedPdf }).replies.map(keyOf)).toEqual(['common.media.documentNotCleaned', 'officer.reply.evidenceAdded']);
  });

  it('says the files stay when the answer written beside them is taken back', () => {
    const turn = conversation();
    turn();
    turn(result('lookupReply', found));
    turn({ type: 'user.sendMedia', at, media: { ...photo, caption: 'Ini foto spanduknya.' } });
    const back = turn({ type: 'user.goBack', at });
    expect(back.replies[0]).toMatchObject({ text: { key: 'officer.reply.answerClearedFiles', params: { count: 1 } } });
    turn(text('Spanduk itu dipasang hari Minggu.'));
    expect(turn({ type: 'user.chooseOption', at, value: 'send' }).commands[0]).toMatchObject({ text: 'Spanduk itu dipasang hari Minggu.', media: [photo] });
  });

  it('does not take "kirim" typed before any answer as the answer', () => {
    const turn = conversation();
    turn();
    turn(result('lookupReply', found));
    for (const word of ['kirim', 'Kirim jawaban', 'send']) {
      const refused = turn(text(word));
      expect(refused.state).toBe('answering');
      expect(keyOf(refused.replies[0])).toBe('officer.reply.nothingToSend');
    }
    // An answer that says something was sent is an answer.
    expect(turn(text('Sudah saya kirim')).state).toBe('collecting');
    // At the evidence step, the command typed sends: it is not added to the answer.
    expect(turn(text('kirim jawabannya')).commands).toEqual([{ type: 'submitReply', code: CODE, text: 'Sudah saya kirim', media: [], links: [], startedAt: at }]);
  });

  it('asks the question when the command came with no answer or only the command after the code', () => {
    for (const given of ['kirim', 'ok']) {
      const turn = conversation(`${CODE} ${given}`);
      turn();
      expect(turn(result('lookupReply', found)).state).toBe('answering');
    }
    // A file captioned with the command: the file is kept, the caption is no answer.
    const turn = conversation();
    turn();
    turn(result('lookupReply', found));
    expect(turn({ type: 'user.sendMedia', at, media: { ...photo, caption: 'kirim' } }).state).toBe('answering');
    turn(text('Ini fotonya, diambil hari Senin.'));
    turn({ type: 'user.sendMedia', at, media: { ...photo, sha256: 'b'.repeat(64), caption: 'kirim' } });
    expect(turn({ type: 'user.chooseOption', at, value: 'send' }).commands[0]).toMatchObject({ text: 'Ini fotonya, diambil hari Senin.' });
  });

  it('says a mistyped report code is not recognised, instead of answering whichever report waits', () => {
    const turn = conversation('NTR-9742-Y72 sudah saya kirim');
    const start = turn();
    expect(start.commands).toEqual([]);
    expect(start.done).toBe(true);
    expect(start.replies[0]).toMatchObject({ text: { key: 'officer.reply.unreadCode', params: { text: 'NTR-9742-Y72 sudah saya' } } });
    // A text without anything like a code is not taken as one: /jawab looks for the question waiting.
    expect(conversation('halo')().commands).toEqual([{ type: 'lookupReply', code: null }]);
  });

  it('takes an answer given with the command and goes straight to the evidence step', () => {
    const turn = conversation(`${CODE} Betul, saya punya videonya.`);
    expect(turn().commands).toEqual([{ type: 'lookupReply', code: CODE }]);
    const collecting = turn(result('lookupReply', found));
    expect(collecting.state).toBe('collecting');
    expect(turn({ type: 'user.chooseOption', at, value: 'send' }).commands[0]).toMatchObject({ text: 'Betul, saya punya videonya.' });
  });

  it("takes a file's caption as the answer, or as more of it", () => {
    const turn = conversation();
    turn();
    turn(result('lookupReply', found));
    const captioned = { ...photo, caption: 'Ini unggahan tanggal 5 Desember jam 8 pagi' };
    const collecting = turn({ type: 'user.sendMedia', at, media: captioned });
    expect(collecting.state).toBe('collecting');
    turn({ type: 'user.sendMedia', at, media: { ...photo, sha256: 'b'.repeat(64), caption: 'dan ini spanduknya https://example.org/s' } });
    const submitting = turn({ type: 'user.chooseOption', at, value: 'send' });
    expect(submitting.commands[0]).toMatchObject({
      text: 'Ini unggahan tanggal 5 Desember jam 8 pagi\ndan ini spanduknya https://example.org/s',
      links: ['https://example.org/s'],
    });
    expect((submitting.commands[0] as unknown as { media: unknown[] }).media).toHaveLength(2);
  });

  it('keeps a file whose caption would make the answer too long, and says the caption was not added', () => {
    const turn = conversation();
    turn();
    turn(result('lookupReply', found));
    turn(text('x'.repeat(REPLY_LIMITS.maxChars - 10)));
    const added = turn({ type: 'user.sendMedia', at, media: { ...photo, caption: 'keterangan yang terlalu panjang untuk muat' } });
    expect(added.replies.map(keyOf)).toEqual(['officer.reply.captionTooLong', 'officer.reply.evidenceAdded']);
    const submitting = turn({ type: 'user.chooseOption', at, value: 'send' });
    expect(submitting.commands[0]).toMatchObject({ text: 'x'.repeat(REPLY_LIMITS.maxChars - 10) });
    expect((submitting.commands[0] as unknown as { media: unknown[] }).media).toHaveLength(1);
  });

  it('offers a choice when several reports await an answer', () => {
    const turn = conversation();
    turn();
    const choosing = turn(result('lookupReply', { status: 'choose', codes: [CODE, 'NTR-AAAA-BBBB'] }));
    expect(choosing.replies[0]).toMatchObject({ choices: [{ value: CODE, label: { literal: CODE } }, { value: 'NTR-AAAA-BBBB' }] });
    expect(turn({ type: 'user.chooseOption', at, value: 'NTR-AAAA-BBBB' }).commands).toEqual([{ type: 'lookupReply', code: 'NTR-AAAA-BBBB' }]);
  });

  it('names the kind of violation beside each code to choose from, so the reporter can tell the reports apart', () => {
    const turn = conversation();
    turn();
    const choosing = turn(result('lookupReply', { status: 'choose', codes: [CODE, 'NTR-AAAA-BBBB'], categories: ['money-politics', 'unknown-kind'] }));
    const labels = (choosing.replies[0] as { choices: Array<{ label: unknown }> }).choices.map((c) => c.label);
    expect(labels[0]).toEqual({ localized: { id: `${CODE} · Politik uang`, en: `${CODE} · Money politics` } });
    expect(labels[1]).toEqual({ literal: 'NTR-AAAA-BBBB' });
  });

  it.each([
    [{ status: 'none' }, 'officer.reply.noQuestions'],
    [{ status: 'notFound', code: CODE }, 'officer.reply.notFound'],
    [{ status: 'closed', code: CODE }, 'officer.reply.closed'],
  ])('ends politely when the lookup finds nothing to answer (%j)', (value, key) => {
    const turn = conversation(CODE);
    turn();
    const ended = turn(result('lookupReply', value));
    expect(ended.done).toBe(true);
    expect(keyOf(ended.replies[0])).toBe(key);
  });

  it('says a report closed too long ago takes no more answers, and what to do instead', () => {
    const turn = conversation(CODE);
    turn();
    const ended = turn(result('lookupReply', { status: 'closed', code: CODE, expired: true }));
    expect(ended.done).toBe(true);
    expect(ended.replies[0]).toMatchObject({ text: { key: 'officer.reply.closedExpired', params: { code: CODE, days: LATE_ANSWER_DAYS } } });
  });

  it('asks for the answer to a question on a closed report, saying the report is closed and the answer still goes', () => {
    const turn = conversation();
    turn();
    const asked = turn(result('lookupReply', { status: 'found', target: { ...found.target, closedStatus: 'not-violation' } }));
    expect(asked.state).toBe('answering');
    expect(asked.replies[0]).toMatchObject({
      prompt: true,
      text: { key: 'officer.reply.askAnswerClosed', params: { code: CODE, question: 'Ada foto?', status: { key: 'officer.status.not-violation' } } },
    });
  });

  it('says an answer was passed on after the report was closed, and that the officers may reopen it', () => {
    const turn = conversation(`${CODE} Fotonya ada di tautan ini.`);
    turn();
    turn(result('lookupReply', found));
    turn({ type: 'user.chooseOption', at, value: 'send' });
    const sent = turn(result('submitReply', { status: 'sent', code: CODE, office: 'Bawaslu Kabupaten Bangka Barat', files: 0, closedStatus: 'done' }));
    expect(sent.done).toBe(true);
    expect(sent.replies.map(keyOf)).toEqual(['officer.reply.sent', 'officer.reply.sentAfterClosing']);
    expect(sent.replies[1]).toMatchObject({ text: { params: { code: CODE, status: { key: 'officer.status.done' } } } });
  });

  it('tells a reporter whose report was closed before the answer was sent that it was not passed on, and what to do instead', () => {
    const turn = conversation(`${CODE} Terlapor kampanye lagi kemarin.`);
    turn();
    turn(result('lookupReply', found));
    turn({ type: 'user.chooseOption', at, value: 'send' });
    const refused = turn(result('submitReply', { status: 'closed', code: CODE }));
    expect(refused.done).toBe(true);
    expect(refused.replies.map(keyOf)).toEqual(['officer.reply.closedMeanwhile']);
  });

  it('stops taking files at the limit and refuses stickers kindly', () => {
    const turn = conversation(`${CODE} jawaban saya`);
    turn();
    turn(result('lookupReply', found));
    for (let i = 0; i < REPLY_LIMITS.maxFiles; i += 1) turn({ type: 'user.sendMedia', at, media: photo });
    expect(keyOf(turn({ type: 'user.sendMedia', at, media: photo }).replies[0])).toBe('officer.reply.evidenceLimit');
    expect(keyOf(turn({ type: 'user.sendUnsupported', at, what: 'sticker' }).replies[0])).toBe('officer.reply.unsupported');
    expect(turn({ type: 'user.chooseOption', at, value: 'send' }).commands[0]?.media).toHaveLength(10);
  });

  it('refuses an answer over the limit and says how long it was', () => {
    const turn = conversation();
    turn();
    turn(result('lookupReply', found));
    const long = turn(text('x'.repeat(REPLY_LIMITS.maxChars + 1)));
    expect(long.state).toBe('answering');
    expect(long.replies[0]).toMatchObject({ text: { key: 'officer.reply.tooLong', params: { length: REPLY_LIMITS.maxChars + 1 } } });
  });
});
