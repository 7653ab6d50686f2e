import { createActor } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import type { FlowEmitted } from '../../../flows/flow.ts';
import type { InboundEvent } from '../../../flows/messages.ts';
import { isUnreadAtMenu, menuChoices, menuMachine } from '../../../flows/menu/menu.machine.ts';
import { lessons } from '../../../content/education/lessons.ts';

const at = '2026-11-22T03:00:00.000Z';
const input = { at, params: { intro: 'greet' } };
const events: InboundEvent[] = [
  ...menuChoices.map((c) => ({ type: 'user.chooseOption' as const, at, value: c.value })),
  { type: 'user.chooseOption', at, value: 'stale-button' },
  { type: 'user.sendText', at, text: 'halo' },
  { type: 'user.sendText', at, text: 'saya mau lapor' },
  { type: 'user.sendText', at, text: 'NTR-7K3P-9QXA' },
  { type: 'user.askHelp', at },
  { type: 'user.sendUnsupported', at, what: 'sticker' },
];

function run(sequence: InboundEvent[], params: Record<string, unknown> = input.params) {
  const emitted: FlowEmitted[] = [];
  const actor = createActor(menuMachine, { input: { at, params } });
  actor.on('reply', (e) => emitted.push(e));
  actor.on('command', (e) => emitted.push(e));
  actor.start();
  for (const e of sequence) actor.send(e);
  return { emitted, snapshot: actor.getSnapshot() };
}

describe('the menu machine', () => {
  it('reaches every state along some path, and every path leaves only by choosing a flow or asking for one', () => {
    const model = createTestModel(menuMachine, { events, input } as never);
    const paths = model.getShortestPaths({ allowDuplicatePaths: true });
    const reached = new Set(paths.map((p) => JSON.stringify(p.state.value)));
    expect(reached).toEqual(new Set(['"choosing"', '"leaving"']));
    const leavingBy = new Set<string>();
    for (const path of paths.filter((p) => p.state.status === 'done')) {
      const last = path.steps.at(-1)?.event as InboundEvent | undefined;
      if (last?.type === 'user.sendText') {
        expect(['saya mau lapor', 'NTR-7K3P-9QXA']).toContain(last.text);
        leavingBy.add('typed');
      } else {
        expect(last?.type).toBe('user.chooseOption');
        expect(['report', 'quiz', 'learn', 'status']).toContain((last as { value: string }).value);
        leavingBy.add('chosen');
      }
    }
    expect(leavingBy).toEqual(new Set(['typed', 'chosen']));
  });

  it('ends every answer that stays in the menu with the menu question, so the user always knows what to do', () => {
    const staying = events.filter((e) => run([e]).snapshot.status === 'active');
    expect(staying.length).toBeGreaterThan(4);
    for (const first of staying) {
      for (const second of staying) {
        const { emitted } = run([first, second]);
        const last = emitted.filter((e) => e.type === 'reply').at(-1);
        expect(last?.type === 'reply' && last.message.type === 'text' && last.message.prompt).toBe(true);
      }
    }
  });

  it('greets a new user with the greeting and the privacy notice before the question', () => {
    const { emitted } = run([]);
    const keys = emitted.map((e) => (e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text ? e.message.text.key : e.type));
    expect(keys).toEqual(['menu.greeting', 'menu.privacyNotice', 'menu.ask']);
  });

  it('hands over to the chosen flow through its output', () => {
    const { snapshot } = run([{ type: 'user.chooseOption', at, value: 'quiz' }]);
    expect(snapshot.status).toBe('done');
    expect(snapshot.output).toEqual({ next: { flow: 'quiz' } });
  });

  it('hands a pasted report code to the status check and a certificate code to the verification', () => {
    expect(run([{ type: 'user.sendText', at, text: 'ntr-7k3p-9qxa' }]).snapshot.output).toEqual({ next: { flow: 'status', params: { args: 'NTR-7K3P-9QXA' } } });
    expect(run([{ type: 'user.sendText', at, text: 'NETRA-CERT:ABCD-EFGH-JKLM' }]).snapshot.output).toEqual({
      next: { flow: 'verify', params: { args: 'ABCD-EFGH-JKLM' } },
    });
    expect(run([{ type: 'user.sendText', at, text: 'cek VGYN-BVLE-9G98' }]).snapshot.output).toEqual({ next: { flow: 'verify', params: { args: 'VGYN-BVLE-9G98' } } });
    expect(run([{ type: 'user.sendText', at, text: 'https://t.me/netra_bot?start=verify_ABCD-EFGH-JKLM' }]).snapshot.output).toEqual({
      next: { flow: 'verify', params: { args: 'ABCD-EFGH-JKLM' } },
    });
    // A long word of the code alphabet is no certificate code.
    expect(run([{ type: 'user.sendText', at, text: 'kepengurusan' }]).snapshot.status).toBe('active');
  });

  it.each(['cek status NTR-7K3P-9QXA', 'status laporan NTR-7K3P-9QXA', 'check status ntr 7k3p 9qxa', 'tolong cek status laporan saya NTR-7K3P-9QXA'])(
    'hands the report code in %j, a status check asked for in words, to the status check as /status would',
    (text) => {
      const status = { next: { flow: 'status', params: { args: 'NTR-7K3P-9QXA' } } };
      expect(run([{ type: 'user.sendText', at, text }]).snapshot.output).toEqual(status);
      expect(run([], { intro: 'greet', text }).snapshot.output).toEqual(status);
      expect(isUnreadAtMenu(text)).toBe(false);
    },
  );

  it.each([
    ['cek status NTR-7K3P-9QXA 1234 5678 9012 3456', 'NTR-7K3P-9QXA 1234567890123456'],
    ['NTR-7K3P-9QXA 1234-5678-9012-3456', 'NTR-7K3P-9QXA 1234567890123456'],
    ['status laporan ntr 7k3p 9q23 tanda terima 1234567890123456', 'NTR-7K3P-9Q23 1234567890123456'],
    // A receipt a digit short goes too, for the status check to say what is wrong with it.
    ['cek status NTR-7K3P-9QXA 1234 5678 9012 345', 'NTR-7K3P-9QXA 123456789012345'],
    // A few digits beside the code are no receipt.
    ['cek status NTR-7K3P-9QXA tgl 20', 'NTR-7K3P-9QXA'],
  ])('hands the code and the receipt in %j to the status check, which shows the report at once', (text, args) => {
    const status = { next: { flow: 'status', params: { args } } };
    expect(run([{ type: 'user.sendText', at, text }]).snapshot.output).toEqual(status);
    expect(run([], { intro: 'greet', text }).snapshot.output).toEqual(status);
  });

  it('keeps the receipt out of what the menu leaves behind: it ends in the turn that hands it on', () => {
    const { snapshot } = run([{ type: 'user.sendText', at, text: 'cek status NTR-7K3P-9QXA 1234 5678 9012 3456' }]);
    expect(snapshot.status).toBe('done');
  });

  it.each([
    ['MK67-YKE7-4LBO', 'MK67-YKE7-4LBO'],
    ['mk67 yke7 4lb0', 'MK67-YKE7-4LB0'],
    ['MK67YKE74LB0', 'MK67-YKE7-4LB0'],
    ['kode saya MK67 YKE7 4LB0', 'MK67-YKE7-4LB0'],
    ['INFO MK67 YKE7 4LB0', 'MK67-YKE7-4LB0'],
    ['HB3K-GW9U-ZP0M', 'HB3K-GW9U-ZP0M'],
    ['H83K-GW9U-ZPOM', 'H83K-GW9U-ZPOM'],
    ['NETRA-CERT:MK67-YK1E-4LBB', 'MK67-YK1E-4LBB'],
    ['cek sertifikat MK67-YKE7-4LB0', 'MK67-YKE7-4LB0'],
  ] as const)('hands %j, a certificate code typed with O, 0, I or 1, to the verification as typed (it names the likely code)', (text, code) => {
    const verify = { next: { flow: 'verify', params: { args: code } } };
    expect(run([{ type: 'user.sendText', at, text }]).snapshot.output).toEqual(verify);
    expect(run([], { intro: 'greet', text }).snapshot.output).toEqual(verify);
    expect(isUnreadAtMenu(text)).toBe(false);
  });

  it.each(['1234 5678 9010', 'nip 1980 0101 2005', 'tps 01 desa 0101', 'INFO KODE DONG', 'saya umur 10 th', 'OKTOBER2010'])(
    'does not take %j, numbers or words with O, 0, I or 1, for a certificate code',
    (text) => {
      const output = run([{ type: 'user.sendText', at, text }]).snapshot.output as { next?: { flow: string } } | undefined;
      expect(output?.next?.flow).not.toBe('verify');
    },
  );

  it.each([
    ['MK67 YKE7 4LBB', 'MK67-YKE7-4LBB'],
    ['mk67yke74lbb', 'MK67-YKE7-4LBB'],
    ['verify MK67YKE74LBB', 'MK67-YKE7-4LBB'],
    ['tolong cek sertifikat glv7 fx2c 7pz8', 'GLV7-FX2C-7PZ8'],
    ['kode sertifikat saya MK67 YKE7 4LBB', 'MK67-YKE7-4LBB'],
    // Asked for in words, a code of letters only is read too.
    ['verifikasi sertifikat ABCD EFGH JKLM', 'ABCD-EFGH-JKLM'],
  ] as const)('hands the certificate code in %j to the verification', (text, code) => {
    expect(run([{ type: 'user.sendText', at, text }]).snapshot.output).toEqual({ next: { flow: 'verify', params: { args: code } } });
  });

  it('says which typed messages it takes as nothing it offers, exactly those it answers with "not understood" or a pointer for a question', () => {
    const texts = [
      'Apakah ada foto lain?', 'tanya pelapor NTR-7K3P-9QXA apakah ada saksi', 'apakah PNS boleh ikut kampanye?', 'xyz',
      'saya mau lapor', 'pak camat ikut kampanye paslon 2 kemarin', 'NTR-7K3P-9QXA', 'cek sertifikat NTR-7K3P-9QXA', 'MK67 YKE7 4LBB',
      'halo', 'terima kasih', 'bantuan', 'english', 'assalamualaikum', 'cek status laporan saya', 'mau ikut kuis',
    ];
    const unread = new Set(['menu.notUnderstood', 'menu.question', 'menu.questionLesson']);
    const shownFirst = run([], { intro: 'none' }).emitted.length;
    for (const text of texts) {
      const { emitted, snapshot } = run([{ type: 'user.sendText', at, text }], { intro: 'none' });
      const first = emitted.slice(shownFirst).find((e) => e.type === 'reply');
      const key = first?.type === 'reply' && first.message.type === 'text' && 'key' in first.message.text ? first.message.text.key : undefined;
      expect(isUnreadAtMenu(text), text).toBe(snapshot.status === 'active' && key !== undefined && unread.has(key));
    }
    expect(isUnreadAtMenu('Apakah ada foto lain?')).toBe(true);
    expect(isUnreadAtMenu('saya mau lapor')).toBe(false);
  });

  it.each(['cek sertifikat NTR-7K3P-9QXA', 'tolong periksa sertifikat ntr 7k3p 9qxa', 'verifikasi NTR-7K3P-9QXA'])(
    'hands a report code in %j, asked for as a certificate, to the verification, which tells it apart',
    (text) => {
      expect(run([{ type: 'user.sendText', at, text }]).snapshot.output).toEqual({ next: { flow: 'verify', params: { args: 'NTR-7K3P-9QXA' } } });
      expect(run([], { intro: 'greet', text }).snapshot.output).toEqual({ next: { flow: 'verify', params: { args: 'NTR-7K3P-9QXA' } } });
    },
  );

  it.each(['cek sertifikat', 'periksa sertifikat', 'verifikasi sertifikat', 'verifikasi', 'check certificate', 'verify', 'cek sertifikat kuis saya', 'apakah sertifikat ini asli?'])(
    'opens the verification, which asks for the code, when %j asks to check a certificate without one',
    (text) => {
      expect(run([{ type: 'user.sendText', at, text }]).snapshot.output).toEqual({ next: { flow: 'verify' } });
    },
  );

  it('tells a certificate to check from a report code, a menu word or an ordinary sentence that looks close to one', () => {
    const outputOf = (text: string) => run([{ type: 'user.sendText', at, text }]).snapshot.output;
    const verify = { next: { flow: 'verify' } };
    // A certificate's code typed loosely is checked; a report's, typed the same ways, keeps going to the status check.
    expect(outputOf('mk67 yke7 4lbb')).toEqual({ next: { flow: 'verify', params: { args: 'MK67-YKE7-4LBB' } } });
    expect(outputOf('ntr 7k3p 9qxa')).toEqual({ next: { flow: 'status', params: { args: 'NTR-7K3P-9QXA' } } });
    expect(outputOf('NTR-7K3P-9QXA')).toEqual({ next: { flow: 'status', params: { args: 'NTR-7K3P-9QXA' } } });
    // Checking a certificate against taking the quiz for one, or checking a report.
    expect(outputOf('cek sertifikat kuis saya')).toEqual(verify);
    expect(outputOf('saya mau ikut kuis biar dapat sertifikat')).toEqual({ next: { flow: 'quiz' } });
    expect(outputOf('verifikasi')).toEqual(verify);
    expect(outputOf('verifikasi laporan saya')).toEqual({ next: { flow: 'report' } });
    expect(outputOf('cek laporan saya')).toEqual({ next: { flow: 'status' } });
    // Twelve characters of the code alphabet with letters only, or only once the spaces are dropped, are words.
    expect(outputOf('MK67YKE74LBB')).toEqual({ next: { flow: 'verify', params: { args: 'MK67-YKE7-4LBB' } } });
    for (const text of ['sertifikat', 'baru saja kena', 'test test test', 'saya umur 35 th', 'ABCDEFGHJKLM', 'kepengurusan']) {
      expect(run([{ type: 'user.sendText', at, text }]).snapshot.status).toBe('active');
    }
  });

  it.each([
    ['tolong verifikasi info ini, camat ikut kampanye', undefined],
    ['ada ASN yang posting foto kampanye, mohon verifikasi', undefined],
    ['kades bagi-bagi sertifikat tanah palsu saat kampanye', undefined],
    ['guru honorer dijanjikan sertifikat asli PPPK kalau pilih paslon 2', undefined],
    ['saya mau lapor, kades membagikan sertifikat palsu', 'report'],
  ])('does not take %j, an account with words about checking or certificates, for checking a certificate', (text, flow) => {
    const output = run([{ type: 'user.sendText', at, text }]).snapshot.output as { next?: { flow: string } } | undefined;
    expect(output?.next?.flow).not.toBe('verify');
    if (flow) expect(output?.next?.flow).toBe(flow);
  });

  it('asks the runtime to switch the language without leaving the menu', () => {
    const { emitted, snapshot } = run([{ type: 'user.chooseOption', at, value: 'language' }]);
    expect(emitted).toContainEqual({ type: 'command', command: { type: 'toggleLocale' } });
    expect(snapshot.value).toBe('choosing');
  });

  it('falls back to no introduction for an unknown intro parameter', () => {
    const { emitted } = run([], { intro: 'bogus' });
    expect(emitted).toHaveLength(1);
  });
});

describe('a sentence typed at the menu', () => {
  it.each([
    ['saya mau lapor camat yang kampanye', 'report'],
    ['sy mo laporin pak camat', 'report'],
    ['td pagi ada guru pns ikut deklarasi dukungan caleg, gmn cara lapornya?', 'report'],
    ['kades bisa dilaporkan ke mana?', 'report'],
    ['Tolong, saya ingin melaporkan kepala desa', 'report'],
    ['saya mau lapor ASN di Indonesia timur', 'report'],
    ['I want to report a civil servant', 'report'],
    ['mau ikut kuis netralitas', 'quiz'],
    ['saya ingin belajar aturannya', 'learn'],
    ['cek status laporan saya', 'status'],
    ['lihat laporan saya', 'status'],
    ['laporan sy yg kmrn gmn kabarnya?', 'status'],
    ['laporan saya sudah ditindaklanjuti belum', 'status'],
  ] as const)('goes where %j plainly asks (%s)', (text, flow) => {
    const { snapshot } = run([{ type: 'user.sendText', at, text }]);
    expect(snapshot.status).toBe('done');
    expect(snapshot.output).toEqual({ next: { flow } });
  });

  it.each(['tes', 'apa ini', 'lapor atau kuis?', 'lapor atau belajar'])('is not guessed at when %j does not ask for one thing', (text) => {
    const { snapshot, emitted } = run([{ type: 'user.sendText', at, text }]);
    expect(snapshot.status).toBe('active');
    const keys = emitted.map((e) => (e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text ? e.message.text.key : e.type));
    expect(keys.slice(-2)).toEqual(['menu.notUnderstood', 'menu.ask']);
  });

  it.each([
    ['terima kasih', 'menu.thanks'],
    ['makasih ya kak', 'menu.thanks'],
    ['Thank you!', 'menu.thanks'],
    ['pagi, terima kasih', 'menu.thanks'],
    ['halo', 'menu.hello'],
    ['Assalamualaikum', 'menu.salam'],
    ["assalamu'alaikum, selamat pagi", 'menu.salam'],
    ['selamat malam', 'menu.hello'],
    ['🙏🙏', 'menu.thanks'],
    ['👍🏽', 'menu.thanks'],
    // Someone who starts by telling what happened is pointed to the report, not told it is not on the menu.
    ['pak camat kami ikut kampanye paslon 2 kemarin, gimana ini', 'menu.story'],
    ['ada asn yg kampanye', 'menu.story'],
    ['kemarin saya lihat kepala dinas membagikan sembako di kantor desa', 'menu.story'],
    // A question about the rules, or a bare topic word, is pointed to the lessons (and the report).
    ['apakah pns boleh ikut kampanye', 'menu.questionLesson'],
    ['apa itu netralitas?', 'menu.question'],
    ['saya ingin bertanya tentang netralitas asn', 'menu.question'],
    ['asn', 'menu.question'],
    // "boleh gak", or "boleh" with a negation at the end, asks whether something is allowed, even without a "?".
    ['pak kades boleh gak sih dukung calon bupati? kan sy dipilih rakyat bukan pns', 'menu.questionLesson'],
    ['kades boleh ikut kampanye ga', 'menu.question'],
    ['pns boleh tidak foto sama paslon', 'menu.questionLesson'],
    ['pak kades tidak boleh ikut kampanye tapi kemarin dia ikut', 'menu.story'],
    // "Status" beside the subject is a post, not a report's progress; a question may end with its question word.
    ['kalau cuma like status caleg apa kena sanksi?', 'menu.question'],
    ['asn boleh bikin status wa dukung capres ga', 'menu.question'],
    ['sanksi buat kades apa aja', 'menu.question'],
  ] as const)('answers %j in kind and shows the menu again', (text, key) => {
    const { snapshot, emitted } = run([{ type: 'user.sendText', at, text }]);
    expect(snapshot.status).toBe('active');
    const keys = emitted.map((e) => (e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text ? e.message.text.key : e.type));
    expect(keys.slice(-2)).toEqual([key, 'menu.ask']);
  });

  it.each([
    'sy mau batalin laporan yg tadi',
    'tolong cabut laporan saya',
    'laporan saya yang tadi dibatalkan aja',
    'laporannya mau saya cabut',
    'cabut laporanku soal camat kampanye',
    'bisa hapus laporan sy?',
    'can I withdraw my report?',
    'cancel my report please',
  ])('tells %j that a report sent is not withdrawn here but by asking its officers, and lists the reports sent instead of starting one', (text) => {
    const { snapshot, emitted } = run([{ type: 'user.sendText', at, text }]);
    expect(snapshot.output).toEqual({ next: { flow: 'status' } });
    const keys = emitted.map((e) => (e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text ? e.message.text.key : e.type));
    expect(keys.slice(-2)).toEqual(['menu.ask', 'menu.withdraw']);
  });

  it.each([
    ['laporan: kades menarik uang dari warga untuk kampanye', 'report'],
    ['pak kades menarik uang dari warga untuk kampanye', 'menu.story'],
    ['saya mau lapor kades yang menarik uang warga', 'report'],
    ['lapor camat hapus postingan kampanye', 'report'],
  ] as const)('reads %j, an account with a word of withdrawing, as the account (%s)', (text, expected) => {
    const { snapshot, emitted } = run([{ type: 'user.sendText', at, text }]);
    const keys = emitted.map((e) => (e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text ? e.message.text.key : e.type));
    if (expected === 'report') expect(snapshot.output).toEqual({ next: { flow: 'report' } });
    else expect(keys.slice(-2)).toEqual([expected, 'menu.ask']);
  });

  it('says how to throw away a report draft kept aside when a wish to withdraw comes while one is kept', () => {
    const keysOf = (params: Record<string, unknown>) =>
      run([{ type: 'user.sendText', at, text: 'sy mau batalin laporan yg tadi' }], params).emitted.map((e) =>
        e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text ? e.message.text.key : e.type,
      );
    expect(keysOf({ intro: 'none', waiting: 'report.draftWaiting' })).toEqual(['report.draftWaiting', 'menu.ask', 'menu.withdraw', 'menu.withdrawDraft']);
    expect(keysOf({ intro: 'none' })).toEqual(['menu.ask', 'menu.withdraw']);
  });

  it('answers a wish to withdraw a report sent as a chat\'s first message, after the greeting', () => {
    const { snapshot, emitted } = run([], { intro: 'greet', text: 'min, mau batalin laporan saya' });
    const keys = emitted.map((e) => (e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text ? e.message.text.key : e.type));
    expect(keys).toEqual(['menu.greeting', 'menu.privacyNotice', 'menu.withdraw']);
    expect(snapshot.output).toEqual({ next: { flow: 'status' } });
  });

  it('says that leaving the status check cancels no report sent, where other flows say "cancelled"', () => {
    const keysOf = (intro: string) =>
      run([], { intro }).emitted.map((e) => (e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text ? e.message.text.key : e.type));
    expect(keysOf('leftStatus')).toEqual(['status.leftUnchanged', 'menu.ask']);
    expect(keysOf('cancelled')).toEqual(['common.cancelled', 'menu.ask']);
  });

  it.each([
    ['sanksi', 'sanctions'],
    ['medsos', 'social-media'],
    ['belajar sanksi', 'sanctions'],
    ['mau belajar tentang medsos', 'social-media'],
    // Learning how to report is the lessons' topic on it, not a report.
    ['pelajari cara melapor', 'reporting'],
  ] as const)('opens the lessons on the topic %j names (%s)', (text, topic) => {
    const { snapshot } = run([{ type: 'user.sendText', at, text }]);
    expect(snapshot.output).toEqual({ next: { flow: 'learn', params: { args: topic } } });
  });

  it('opens the quiz on a topic named with it, and a topic sent as the first message in the lessons', () => {
    expect(run([{ type: 'user.sendText', at, text: 'kuis sanksi' }]).snapshot.output).toEqual({ next: { flow: 'quiz', params: { args: 'sanctions' } } });
    expect(run([], { intro: 'greet', text: 'sanksi' }).snapshot.output).toEqual({ next: { flow: 'learn', params: { args: 'sanctions' } } });
    // Words that name no topic still open the lessons from where the reader is.
    expect(run([{ type: 'user.sendText', at, text: 'saya ingin belajar aturannya' }]).snapshot.output).toEqual({ next: { flow: 'learn' } });
  });

  it('says a file sent at the menu, or as the first message, is not kept, and where evidence goes', () => {
    const media = { kind: 'photo' as const, size: 10, sha256: 'a'.repeat(64), path: 'media/x.jpg' };
    const keysOf = (emitted: FlowEmitted[]) => emitted.map((e) => (e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text ? e.message.text.key : e.type));
    expect(keysOf(run([{ type: 'user.sendMedia', at, media }]).emitted).slice(-2)).toEqual(['menu.media', 'menu.ask']);
    expect(keysOf(run([], { intro: 'greet', media: true }).emitted)).toEqual(['menu.greeting', 'menu.privacyNotice', 'menu.media', 'menu.ask']);
  });

  it('names the lesson on the one topic a question is about, with its number', () => {
    const { emitted } = run([{ type: 'user.sendText', at, text: 'apa itu PTDH?' }]);
    const pointer = emitted.find((e) => e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text && e.message.text.key === 'menu.questionLesson');
    const sanctions = lessons.findIndex((l) => l.topic === 'sanctions');
    expect(pointer).toMatchObject({ message: { text: { params: { title: lessons[sanctions]!.title, number: sanctions + 1 } } } });
  });

  it('greets back first, then points on, when a greeting comes with an account', () => {
    const { emitted } = run([{ type: 'user.sendText', at, text: 'Assalamualaikum min, pak camat ikut kampanye paslon 2' }]);
    const keys = emitted.map((e) => (e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text ? e.message.text.key : e.type));
    expect(keys.slice(-3)).toEqual(['menu.salam', 'menu.story', 'menu.ask']);
  });

  it.each(['saya mau kembali ke menu utama', '   ', 'hmm'])('does not guess at %j', (text) => {
    const { emitted } = run([{ type: 'user.sendText', at, text }]);
    const keys = emitted.map((e) => (e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text ? e.message.text.key : e.type));
    expect(keys.slice(-2)).toEqual(['menu.notUnderstood', 'menu.ask']);
  });

  it('answers a chat\'s first message after the greeting: a salam, an account, or a request for an entry', () => {
    const keysOf = (params: Record<string, unknown>) =>
      run([], params).emitted.map((e) => (e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text ? e.message.text.key : e.type));
    expect(keysOf({ intro: 'greet', text: 'Assalamualaikum' })).toEqual(['menu.salam', 'menu.greeting', 'menu.privacyNotice', 'menu.ask']);
    expect(keysOf({ intro: 'greet', text: 'pak camat ikut kampanye paslon 2 kemarin' })).toEqual(['menu.greeting', 'menu.privacyNotice', 'menu.story', 'menu.ask']);
    const request = run([], { intro: 'greet', text: 'saya mau lapor camat yang kampanye' });
    expect(request.snapshot.status).toBe('done');
    expect(request.snapshot.output).toEqual({ next: { flow: 'report' } });
    expect(request.emitted.map((e) => (e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text ? e.message.text.key : e.type))).toEqual(['menu.greeting', 'menu.privacyNotice']);
    // Only a first message: a text given with another intro is not read.
    expect(keysOf({ intro: 'none', text: 'Assalamualaikum' })).toEqual(['menu.ask']);
  });

  it('checks a certificate code sent as a chat\'s first message, the first thing a checker sends, after the greeting', () => {
    const code = run([], { intro: 'greet', text: 'MK67 YKE7 4LBB' });
    expect(code.snapshot.output).toEqual({ next: { flow: 'verify', params: { args: 'MK67-YKE7-4LBB' } } });
    expect(code.emitted.map((e) => (e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text ? e.message.text.key : e.type))).toEqual(['menu.greeting', 'menu.privacyNotice']);
    expect(run([], { intro: 'greet', text: 'cek sertifikat' }).snapshot.output).toEqual({ next: { flow: 'verify' } });
  });

  it('takes a greeting or thanks beside a request as the request', () => {
    expect(run([{ type: 'user.sendText', at, text: 'selamat pagi, saya mau lapor' }]).snapshot.output).toEqual({ next: { flow: 'report' } });
    expect(run([{ type: 'user.sendText', at, text: 'halo, tolong' }]).emitted.map((e) => (e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text ? e.message.text.key : e.type))).toContain('menu.help');
  });

  it('switches to the language it names, and explains the menu when asked for help', () => {
    const english = run([{ type: 'user.sendText', at, text: 'bahasa inggris' }]).emitted;
    expect(english).toContainEqual({ type: 'command', command: { type: 'setLocale', locale: 'en' } });
    const indonesian = run([{ type: 'user.sendText', at, text: 'Indonesian please' }]).emitted;
    expect(indonesian).toContainEqual({ type: 'command', command: { type: 'setLocale', locale: 'id' } });
    const help = run([{ type: 'user.sendText', at, text: 'saya bingung' }]).emitted;
    expect(help.map((e) => (e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text ? e.message.text.key : e.type))).toContain('menu.help');
    // With the list of commands, since /verifikasi and /jawab have no menu entry.
    for (const asked of [help, run([{ type: 'user.askHelp', at }]).emitted]) {
      expect(asked.map((e) => (e.type === 'reply' && e.message.type === 'text' && 'key' in e.message.text ? e.message.text.key : e.type))).toContain('common.help');
    }
  });
});
