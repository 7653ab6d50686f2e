import { describe, expect, it } from 'vitest';
import { createTestModel } from 'xstate/graph';
import type { FlowInput } from '../../../flows/flow.ts';
import type { InboundEvent } from '../../../flows/messages.ts';
import { lookAlikeCodes, parseCertificateCode, pastedCertificateCode } from '../../../flows/verify/certificateCode.ts';
import { verificationMessage, verifyCarriedArgs, verifyContextSchema, verifyMachine } from '../../../flows/verify/verify.machine.ts';
import { keyOf, runPath } from '../quiz/runPath.ts';

const at = '2026-11-22T03:00:00.000Z';
const found = {
  found: true,
  certificate: { code: 'ABCD-EFGH-JKLM', name: 'Budi', issuedOn: '2026-11-22', score: 9, total: 10 },
};
const events: InboundEvent[] = [
  { type: 'user.sendText', at, text: 'abcd efgh jklm' },
  { type: 'user.sendText', at, text: 'bukan kode' },
  { type: 'user.askHelp', at },
  { type: 'user.goBack', at },
  { type: 'system.commandResult', at, command: 'verifyCertificate', result: found },
  { type: 'system.commandResult', at, command: 'verifyCertificate', result: { found: false } },
  { type: 'system.commandResult', at, command: 'verifyCertificate', result: 'broken' },
];

describe('the verify machine (model-based paths)', () => {
  for (const args of [undefined, 'ABCD-EFGH-JKLM', 'nonsense']) {
    const input: FlowInput = { at, params: args ? { args } : {} };
    const paths = createTestModel(verifyMachine, { input, events }).getShortestPaths();

    it(`answers every lookup and asks again for a bad code (started with ${args ?? 'no code'})`, () => {
      expect(paths.some((p) => p.state.status === 'done')).toBe(true);
      for (const path of paths) {
        const { initial, steps } = runPath(verifyMachine, input, verifyContextSchema, path as never);
        const keys = initial.replies.map(keyOf);
        if (args === 'ABCD-EFGH-JKLM') expect(initial.commands).toEqual([{ type: 'verifyCertificate', code: 'ABCD-EFGH-JKLM' }]);
        else expect(keys).toEqual(args ? ['verify.invalidCode', 'verify.askCode'] : ['verify.askCode']);
        for (const step of steps) {
          if (step.after === 'checking' && step.before !== 'checking') {
            expect(step.commands).toEqual([{ type: 'verifyCertificate', code: 'ABCD-EFGH-JKLM' }]);
          }
          if (step.status === 'done' && step.event.type === 'user.goBack') {
            // Back from the only question leaves quietly (to the menu).
            expect(step.before).toBe('askingCode');
            expect(step.replies).toEqual([]);
          } else if (step.status === 'done') {
            const result = (step.event as { result?: unknown }).result;
            const expected = result === found ? 'verify.valid' : result === 'broken' ? 'common.error' : 'verify.unknown';
            expect(step.replies.map(keyOf)).toEqual([expected]);
            // Done without a next flow: back to the menu.
            expect(step.output ?? {}).toEqual({});
          }
        }
      }
    });
  }
});

describe('a report code given to /verifikasi', () => {
  it('is said to be a report\'s and handed to the status check, typed or given with the command', () => {
    const toStatus = { next: { flow: 'status', params: { args: 'NTR-9742-Y72R' } } };
    const typed = runPath(verifyMachine, { at, params: {} }, verifyContextSchema, {
      steps: [{ event: { type: 'user.sendText', at, text: 'ntr 9742 y72r' }, state: { value: 'done' } }],
    });
    expect(typed.steps[0]!.replies).toEqual([expect.objectContaining({ text: { key: 'verify.ticketCode', params: { code: 'NTR-9742-Y72R' } } })]);
    expect(typed.steps[0]).toMatchObject({ status: 'done', output: toStatus });
    const given = runPath(verifyMachine, { at, params: { args: 'NTR-9742-Y72R' } }, verifyContextSchema, { steps: [] });
    expect(given.initial.replies.map(keyOf)).toEqual(['verify.ticketCode']);
    expect(given.initial).toMatchObject({ status: 'done', output: toStatus });
  });

  it.each(['cek sertifikat NTR-7K3P-9QXA', 'ini kode sertifikat saya: ntr-7k3p-9qxa', 'kode NTR 7K3P 9QXA ya'])(
    'is told apart from a certificate code among other words (%j), not asked for again',
    (text) => {
      const typed = runPath(verifyMachine, { at, params: {} }, verifyContextSchema, {
        steps: [{ event: { type: 'user.sendText', at, text }, state: { value: 'done' } }],
      });
      expect(typed.steps[0]!.replies.map(keyOf)).toEqual(['verify.ticketCode']);
      expect(typed.steps[0]!.output).toEqual({ next: { flow: 'status', params: { args: 'NTR-7K3P-9QXA' } } });
      const given = runPath(verifyMachine, { at, params: { args: text } }, verifyContextSchema, { steps: [] });
      expect(given.initial.output).toEqual({ next: { flow: 'status', params: { args: 'NTR-7K3P-9QXA' } } });
    },
  );

  it('still reads a certificate code that holds the letters NTR as a certificate code', () => {
    const typed = runPath(verifyMachine, { at, params: {} }, verifyContextSchema, {
      steps: [{ event: { type: 'user.sendText', at, text: 'ABNT-R234-5678' }, state: { value: 'checking' } }],
    });
    expect(typed.steps[0]!.commands).toEqual([{ type: 'verifyCertificate', code: 'ABNT-R234-5678' }]);
  });

  it('leaves with "kembali" at its only question', () => {
    const back = runPath(verifyMachine, { at, params: {} }, verifyContextSchema, { steps: [{ event: { type: 'user.goBack', at }, state: { value: 'done' } }] });
    expect(back.steps[0]).toMatchObject({ status: 'done', replies: [] });
  });
});

describe('certificate codes and the answer', () => {
  it('reads codes forgivingly and refuses look-alikes and wrong lengths', () => {
    expect(parseCertificateCode('abcd-efgh-jklm')).toBe('ABCD-EFGH-JKLM');
    expect(parseCertificateCode(' ABCDEFGHJKLM ')).toBe('ABCD-EFGH-JKLM');
    expect(parseCertificateCode('NETRA-CERT:ABCD-EFGH-JKLM')).toBe('ABCD-EFGH-JKLM');
    expect(parseCertificateCode('ABCD-EFGH-JKL0')).toBeUndefined();
    expect(parseCertificateCode('ABCD-EFGH-JKLI')).toBeUndefined();
    expect(parseCertificateCode('ABCD-EFGH')).toBeUndefined();
    expect(parseCertificateCode('')).toBeUndefined();
  });

  it('finds a code among words, and refuses two readings of four-letter words in a row', () => {
    expect(parseCertificateCode('Kode verifikasi VGYN-BVLE-9G98')).toBe('VGYN-BVLE-9G98');
    expect(parseCertificateCode('kode saya ZZZZ-ZZZZ-ZZZY ya')).toBe('ZZZZ-ZZZZ-ZZZY');
    expect(parseCertificateCode('my code is vgyn bvle 9g98')).toBe('VGYN-BVLE-9G98');
    // "ABCD EFGH JKLM" and "EFGH JKLM NPQR" both make a code: neither is taken.
    expect(parseCertificateCode('ABCD EFGH JKLM NPQR')).toBeUndefined();
    expect(parseCertificateCode('saya mau cek sertifikat')).toBeUndefined();
    // The Telegram link of a certificate's QR code, scanned and pasted into another channel.
    expect(parseCertificateCode('https://t.me/netra_bot?start=verify_ABCD-EFGH-JKLM')).toBe('ABCD-EFGH-JKLM');
  });

  it('takes the reading without a common word when the words around a code make two', () => {
    // "SAYA MK67 YKE7" is a reading too, but "saya" is a word people write before their code.
    expect(parseCertificateCode('saya MK67 YKE7 4LBB')).toBe('MK67-YKE7-4LBB');
    expect(parseCertificateCode('cek MK67 YKE7 4LBB saja')).toBe('MK67-YKE7-4LBB');
    expect(parseCertificateCode('kode sertifikat saya glv7 fx2c 7pz8 ya')).toBe('GLV7-FX2C-7PZ8');
  });

  it('reads a code pasted without being asked for one only when it has the shape of one, letters and digits', () => {
    expect(pastedCertificateCode('MK67 YKE7 4LBB')).toBe('MK67-YKE7-4LBB');
    expect(pastedCertificateCode('mk67yke74lbb')).toBe('MK67-YKE7-4LBB');
    expect(pastedCertificateCode('verify MK67YKE74LBB')).toBe('MK67-YKE7-4LBB');
    expect(pastedCertificateCode('tolong cek sertifikat glv7 fx2c 7pz8')).toBe('GLV7-FX2C-7PZ8');
    expect(pastedCertificateCode('NETRA-CERT:ABCD-EFGH-JKLM')).toBe('ABCD-EFGH-JKLM');
    // Words of the code alphabet, and sentences that make 12 such characters once their spaces are dropped.
    for (const text of ['baru saja kena', 'test test test', 'KEPENGURUSAN', 'ABCDEFGHJKLM', 'saya umur 35 th', 'rt 05 rw 03 desa suka maju']) {
      expect(pastedCertificateCode(text)).toBeUndefined();
    }
  });

  it('lists the codes one look-alike character away from a code, one for each such character', () => {
    const near = lookAlikeCodes('7S77-QSRE-ZVWQ');
    expect(near).toEqual(['7577-QSRE-ZVWQ', '7S77-Q5RE-ZVWQ', '7S77-QSRE-2VWQ', '7S77-QSRE-ZUWQ']);
    expect(lookAlikeCodes('B8G6-U2Z5-SVAA')).toHaveLength(10);
    expect(lookAlikeCodes('ACDE-FHJK-LMNP')).toEqual([]);
  });

  it('names the one registered look-alike of a code that is not registered, without anyone\'s name, and waits for a code', () => {
    const path = runPath(verifyMachine, { at, params: { args: '7S77-QSRE-ZVWQ' } }, verifyContextSchema, {
      steps: [
        {
          event: { type: 'system.commandResult', at, command: 'verifyCertificate', result: { found: false, suggestion: '7S77-Q5RE-ZVWQ' } },
          state: { value: 'askingCode' },
        },
        { event: { type: 'user.sendText', at, text: '7S77-Q5RE-ZVWQ' }, state: { value: 'checking' } },
      ],
    });
    expect(path.steps[0]!.replies.map(keyOf)).toEqual(['verify.lookAlike', 'verify.askCode']);
    expect(path.steps[0]!.replies[0]).toMatchObject({ text: { params: { code: '7S77-QSRE-ZVWQ', suggestion: '7S77-Q5RE-ZVWQ' } } });
    expect(path.steps[1]!.commands).toEqual([{ type: 'verifyCertificate', code: '7S77-Q5RE-ZVWQ' }]);
  });

  it('waits for the corrected code after one that is not registered', () => {
    const path = runPath(verifyMachine, { at, params: { args: 'ZZZZ-ZZZZ-ZZZZ' } }, verifyContextSchema, {
      steps: [
        { event: { type: 'system.commandResult', at, command: 'verifyCertificate', result: { found: false } }, state: { value: 'askingCode' } },
        { event: { type: 'user.sendText', at, text: 'ZZZZ-ZZZZ-ZZZY' }, state: { value: 'checking' } },
      ],
    });
    expect(path.steps[0]!.replies.map(keyOf)).toEqual(['verify.unknown', 'verify.askCode']);
  });

  it('shows the name, the date in the reader\'s language and the score of a genuine certificate', () => {
    const message = verificationMessage('ABCD-EFGH-JKLM', found as never);
    expect(message).toMatchObject({
      text: {
        key: 'verify.valid',
        params: { name: 'Budi', date: { id: '22 November 2026', en: '22 November 2026' }, score: 9, total: 10, percent: 90 },
      },
    });
    const anonymous = verificationMessage('ABCD-EFGH-JKLM', { found: true, certificate: { ...found.certificate, name: null } });
    expect(anonymous).toMatchObject({ text: { params: { name: { key: 'verify.noName' } } } });
  });
});

describe('a code typed with characters the code alphabet leaves out', () => {
  it('lists the codes it may be, reading O and 0 as Q or D and I and 1 as L', () => {
    expect(lookAlikeCodes('HB3K-GW9U-ZP0M')).toContain('HB3K-GW9U-ZPQM');
    expect(lookAlikeCodes('HB3K-GW9U-ZPOM')).toContain('HB3K-GW9U-ZPQM');
    expect(lookAlikeCodes('HB3K-GW9U-ZPOM')).toContain('HB3K-GW9U-ZPDM');
    expect(lookAlikeCodes('H1ST-GW9U-ZPQM')).toContain('HLST-GW9U-ZPQM');
    expect(lookAlikeCodes('HIST-GW9U-ZPQM')).toContain('HLST-GW9U-ZPQM');
    // Every character left out is replaced, so each code listed is one the alphabet can make.
    for (const code of lookAlikeCodes('0B3K-GW9I-ZP1M')) expect(parseCertificateCode(code), code).toBe(code);
    expect(lookAlikeCodes('0B3K-GW9I-ZP1M')).toContain('QB3K-GW9L-ZPLM');
  });

  it('is looked up, so that the registered code it may be a typo of can be named', () => {
    const typed = runPath(verifyMachine, { at, params: {} }, verifyContextSchema, {
      steps: [{ event: { type: 'user.sendText', at, text: 'hb3k gw9u zp0m' }, state: { value: 'checking' } }],
    });
    expect(typed.steps[0]!.commands).toEqual([{ type: 'verifyCertificate', code: 'HB3K-GW9U-ZP0M' }]);
    const given = runPath(verifyMachine, { at, params: { args: 'HB3K-GW9U-ZPOM' } }, verifyContextSchema, {
      steps: [
        {
          event: { type: 'system.commandResult', at, command: 'verifyCertificate', result: { found: false, suggestion: 'HB3K-GW9U-ZPQM' } },
          state: { value: 'askingCode' },
        },
      ],
    });
    expect(given.initial.commands).toEqual([{ type: 'verifyCertificate', code: 'HB3K-GW9U-ZPOM' }]);
    expect(given.steps[0]!.replies[0]).toMatchObject({ text: { key: 'verify.lookAlike', params: { code: 'HB3K-GW9U-ZPOM', suggestion: 'HB3K-GW9U-ZPQM' } } });
  });

  it('is read from among words, not as a reading that takes in a word people write before their code', () => {
    const typed = runPath(verifyMachine, { at, params: {} }, verifyContextSchema, {
      steps: [{ event: { type: 'user.sendText', at, text: 'kode saya MK67 YKE7 4LB0' }, state: { value: 'checking' } }],
    });
    expect(typed.steps[0]!.commands).toEqual([{ type: 'verifyCertificate', code: 'MK67-YKE7-4LB0' }]);
    expect(verifyCarriedArgs({ args: 'sertifikat saya MK67 YKE7 4LBO' })).toBe('MK67-YKE7-4LBO');
    // A reading of the alphabet alone still wins when it is the only plausible one.
    expect(verifyCarriedArgs({ args: 'bola MK67 YKE7 4LBB' })).toBe('MK67-YKE7-4LBB');
  });

  it('is said to be unregistered, with the characters no code uses, when no registered code is near it', () => {
    const path = runPath(verifyMachine, { at, params: { args: 'HB3K-GW9U-ZP0M' } }, verifyContextSchema, {
      steps: [{ event: { type: 'system.commandResult', at, command: 'verifyCertificate', result: { found: false } }, state: { value: 'askingCode' } }],
    });
    expect(path.steps[0]!.replies.map(keyOf)).toEqual(['verify.leftOutCharacter', 'verify.askCode']);
  });

  it('checks the code it suggested when the answer is "ya", and names no one for a name asked after', () => {
    const suggested = { type: 'system.commandResult' as const, at, command: 'verifyCertificate', result: { found: false, suggestion: 'AGQ2-ZM89-ZVQL' } };
    const path = runPath(verifyMachine, { at, params: { args: 'AGO2-ZM89-ZVQL' } }, verifyContextSchema, {
      steps: [
        { event: suggested, state: { value: 'askingCode' } },
        { event: { type: 'user.sendText', at, text: 'ya betul' }, state: { value: 'checking' } },
      ],
    });
    expect(path.steps[0]!.replies.map(keyOf)).toEqual(['verify.lookAlike', 'verify.askCode']);
    expect(path.steps[1]!.commands).toEqual([{ type: 'verifyCertificate', code: 'AGQ2-ZM89-ZVQL' }]);
    // Without a suggestion, "ya" is no code.
    const bare = runPath(verifyMachine, { at, params: {} }, verifyContextSchema, {
      steps: [{ event: { type: 'user.sendText', at, text: 'ya' }, state: { value: 'askingCode' } }],
    });
    expect(bare.steps[0]!.replies.map(keyOf)).toEqual(['verify.invalidCode', 'verify.askCode']);
  });

  it.each(['bisa cek sertifikat atas nama Sri Wahyuningsih?', 'check the certificate of the person named Budi'])('answers %j that certificates are checked by code, not by name', (text) => {
    const path = runPath(verifyMachine, { at, params: {} }, verifyContextSchema, {
      steps: [{ event: { type: 'user.sendText', at, text }, state: { value: 'askingCode' } }],
    });
    expect(path.steps[0]!.replies.map(keyOf)).toEqual(['verify.byCodeOnly', 'verify.askCode']);
  });

  it('tells a code cut to two groups its count, not that it is no code', () => {
    const path = runPath(verifyMachine, { at, params: { args: 'AGQ2-ZM89' } }, verifyContextSchema, { steps: [] });
    expect(path.initial.replies.map(keyOf)).toEqual(['verify.wrongLength', 'verify.askCode']);
    expect(path.initial.replies[0]).toMatchObject({ text: { params: { count: 8 } } });
  });
});

describe('the check asked for again at the verify question', () => {
  it.each(['cek sertifikat', 'verifikasi kode', 'check the certificate', 'tolong periksa keasliannya'])('asks %j for the code again, without calling it no Netra code', (text) => {
    const path = runPath(verifyMachine, { at, params: {} }, verifyContextSchema, {
      steps: [{ event: { type: 'user.sendText', at, text }, state: { value: 'askingCode' } }],
    });
    expect(path.steps[0]!.replies.map(keyOf)).toEqual(['verify.askCode']);
  });
});

describe('a code forgotten at the verify question', () => {
  it.each(['lupa kodenya', 'tidak tahu kodenya', 'sertifikatnya hilang', 'I forgot the code', "I don't know", 'gatau kodenya', 'ga tau kodenya', 'ilang kodenya'])(
    'answers %j with where the code is and how to get one\'s own certificate again, not with "not a Netra code"',
    (text) => {
      const path = runPath(verifyMachine, { at, params: {} }, verifyContextSchema, {
        steps: [{ event: { type: 'user.sendText', at, text }, state: { value: 'askingCode' } }],
      });
      expect(path.steps[0]!.replies.map(keyOf)).toEqual(['verify.forgottenCode', 'verify.askCode']);
    },
  );

  it.each(['lupa ABCD-EFGH-JKLM', 'gatau ABCD EFGH JKLM'])('looks up the code in %j, forgotten words and all', (text) => {
    const path = runPath(verifyMachine, { at, params: {} }, verifyContextSchema, {
      steps: [{ event: { type: 'user.sendText', at, text }, state: { value: 'checking' } }],
    });
    expect(path.steps[0]!.commands).toEqual([{ type: 'verifyCertificate', code: 'ABCD-EFGH-JKLM' }]);
  });

  it.each(['bukan kode', 'ABCD EFGH', 'lupa 1234'])('still calls %j no Netra code', (text) => {
    const path = runPath(verifyMachine, { at, params: {} }, verifyContextSchema, {
      steps: [{ event: { type: 'user.sendText', at, text }, state: { value: 'askingCode' } }],
    });
    expect(path.steps[0]!.replies.map(keyOf)).toEqual(['verify.invalidCode', 'verify.askCode']);
  });
});

describe('a code with characters missing or extra', () => {
  it.each([
    ['PTVW-VWNF-E2W', 11],
    ['ptvw vwnf e2', 10],
    ['PTVWVWNFE2WX3', 13],
    ['PTVWVWNFE2W', 11],
  ])('answers %j with its count of characters, not "no Netra code"', (text, count) => {
    const path = runPath(verifyMachine, { at, params: {} }, verifyContextSchema, {
      steps: [{ event: { type: 'user.sendText', at, text }, state: { value: 'askingCode' } }],
    });
    expect(path.steps[0]!.replies.map(keyOf)).toEqual(['verify.wrongLength', 'verify.askCode']);
    expect(path.steps[0]!.replies[0]).toMatchObject({ text: { params: { count } } });
  });

  it('is counted when given with /verifikasi too', () => {
    const path = runPath(verifyMachine, { at, params: { args: 'PTVW-VWNF-E2W' } }, verifyContextSchema, { steps: [] });
    expect(path.initial.replies.map(keyOf)).toEqual(['verify.wrongLength', 'verify.askCode']);
  });

  it.each(['apa kabar', 'ABCD EFGH', 'PTVW-VWNF-E2W-XYZQ-RSTU', 'sertifikat saya', 'bukan kode', 'PTVW-VWNF-EEW'])('does not count %j as a code', (text) => {
    const path = runPath(verifyMachine, { at, params: {} }, verifyContextSchema, {
      steps: [{ event: { type: 'user.sendText', at, text }, state: { value: 'askingCode' } }],
    });
    expect(path.steps[0]!.replies.map(keyOf)).not.toContain('verify.wrongLength');
  });
});

describe('a code given to /verifikasi while another flow asks before leaving', () => {
  it('rides through the leave question in its canonical form, and nothing else typed does', () => {
    expect(verifyCarriedArgs({ args: 'kode saya abcd efgh jklm' })).toBe('ABCD-EFGH-JKLM');
    expect(verifyCarriedArgs({ args: 'NTR-7K3P-9QXA' })).toBe('NTR-7K3P-9QXA');
    expect(verifyCarriedArgs({ args: 'Budi Santoso' })).toBeUndefined();
    expect(verifyCarriedArgs({})).toBeUndefined();
  });
});
