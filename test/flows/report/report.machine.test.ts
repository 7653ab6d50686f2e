/**
 * Model-based paths through the report machine: `xstate/graph` walks the machine with a set of answers per
 * step, and every path it finds is replayed turn by turn on the pure machine (snapshot through JSON between
 * turns, commands answered by fakes), checking that each turn asks the question of the state it lands in.
 */
import { describe, expect, it } from 'vitest';
import { createTestModel } from 'xstate/graph';
import type { AnyMachineSnapshot } from 'xstate';
import type { InboundEvent, StoredMedia } from '../../../flows/messages.ts';
import { reportMachine } from '../../../flows/report/report.machine.ts';
import type { ReportContext } from '../../../flows/report/reportContext.ts';
import { editFields, promptFor, reportSteps, type ReportStep } from '../../../flows/report/reportSteps.ts';
import { defaultSubmitResult, keyOf, ReportDriver } from './reportDriver.ts';

const NOW = '2026-11-22T03:00:00.000Z';

const photo: StoredMedia = {
  kind: 'photo',
  mime: 'image/jpeg',
  size: 1234,
  sha256: 'ab'.repeat(32),
  path: 'evidence/ab/abab.jpg',
  strippedPath: 'evidence/ab/abab.clean.jpg',
};

const text = (t: string): InboundEvent => ({ type: 'user.sendText', at: NOW, text: t });
const choose = (value: string): InboundEvent => ({ type: 'user.chooseOption', at: NOW, value });
const back: InboundEvent = { type: 'user.goBack', at: NOW };
const result = (command: string, value: unknown): InboundEvent => ({ type: 'system.commandResult', at: NOW, command, result: value });

/** The answers tried at each step: valid ones for every branch, plus going back. */
function eventsFor(snapshot: AnyMachineSnapshot): InboundEvent[] {
  const context = snapshot.context as ReportContext;
  const formal = context.kind === 'formal';
  // While editing from the review, an earlier answer can be kept as it is.
  const keep = context.editing ? [choose('keep')] : [];
  if (context.personal.pending) return [result('updatePersonal', { sealed: 'sealed' })];
  switch (snapshot.value as string) {
    case 'choosingKind':
      return [choose('tip'), choose('formal'), back];
    case 'preparingConsent':
      return [result('describeReportPolicy', { draftDays: 7, retentionDays: 365 })];
    case 'consenting':
      return [choose('agree'), choose('decline'), back];
    case 'askingTerlaporName':
      return formal ? [text('Budi Santoso'), back] : [text('Budi Santoso'), choose('unknown'), back];
    case 'askingTerlaporPosition':
      return [text('Camat'), text('Kepala Dinas Pendidikan'), ...keep, back];
    case 'askingTerlaporAgency':
      return [choose('unknown'), back];
    case 'askingEmployment':
      return [choose('pns'), back];
    case 'choosingCategory':
      return [choose('social-media'), back];
    case 'askingEventDate':
      return [choose('today'), text('01/11/2026'), back];
    case 'askingLearnedDate':
      return [choose('sameDay'), back];
    case 'offeringTipConversion':
      return [choose('convert'), choose('cancel'), back];
    case 'askingRegion':
      return [text('bangka barat'), text('padang'), text('koba'), text('jawa barat'), ...keep, back];
    case 'choosingRegion':
      return [choose(context.regionOptions[0]?.districtCode ? `d:${context.regionOptions[0].districtCode}` : `r:${context.regionOptions[0]?.regencyCode}`), choose('other'), back];
    case 'confirmingDistrict':
      return [choose('yes'), choose('no'), back];
    case 'askingRegencyInProvince':
      return [text('bandung'), choose('unknown'), back];
    case 'askingPlaceDetail':
      return [choose('skip'), text('Kantor camat, Kec. Koba'), back];
    case 'confirmingPlaceDetail':
      return [choose('named'), choose('chosen'), back];
    case 'askingDescription':
      return [text('Camat mengunggah foto bersama calon bupati di Facebook dengan pose dua jari.'), back];
    case 'collectingEvidence':
      return [
        { type: 'user.sendMedia', at: NOW, media: photo },
        choose('done'),
        ...(formal ? [] : [choose('none')]),
        ...(context.evidence.length > 0 ? [choose('clear')] : []),
        back,
      ];
    case 'confirmingEvidenceClear':
      return [choose('clear'), choose('keep'), back];
    case 'confirmingNoEvidence':
      return [choose('continue'), choose('add'), back];
    case 'preparingWitnessChange':
      return [result('openPersonal', { personal: { reporter: {}, witnesses: [{ name: 'Siti Aminah', contact: null }], pendingWitnessName: null } })];
    case 'choosingWitnessChange':
      return [choose('keep'), choose('add'), choose('replace'), choose('clear'), back];
    case 'askingWitnessName':
      return [text('Siti Aminah'), text('Siti Aminah, no hp 0812 3456 7890'), choose('skip'), ...keep, back];
    case 'askingWitnessContact':
      return [text('0812 3456 7890'), back];
    case 'askingMoreWitnesses':
      return [choose('yes'), choose('no'), text('iya, pak RT Joko'), text('ada, Dodi 0813 1111 2222'), back];
    case 'askingReporterName':
      return [text('Andi Wijaya'), ...keep, back];
    case 'askingReporterAddress':
      return [text('Jl. Merdeka No. 10, Muntok'), back];
    case 'askingReporterPhone':
      return [text('0812-9876-5432'), back];
    case 'askingReporterEmail':
      return [choose('skip'), back];
    case 'preparingReview':
      return [result('openPersonal', { personal: { reporter: {}, witnesses: [], pendingWitnessName: null } })];
    case 'reviewing':
      return [choose('confirm'), choose('edit'), choose('cancel'), back];
    case 'choosingEditField':
      return [...editFields(context).map(choose), choose('back')];
    case 'confirmingCancel':
      return [choose('yes'), choose('no')];
    case 'submitting':
      return [result('submitReport', defaultSubmitResult), result('submitReport', { status: 'limitReached', limit: 5 })];
    default:
      return [];
  }
}

/** Coarse enough to keep the graph small, fine enough to tell tips, formal reports and edits apart. */
function serializeState(snapshot: AnyMachineSnapshot): string {
  const c = snapshot.context as ReportContext;
  // Back at the first question with a name given stays there (it does not leave): a state of its own.
  const backAtStart = snapshot.value === 'choosingKind' && c.terlapor.name !== null;
  return JSON.stringify([
    snapshot.value, c.kind, c.editing, c.personal.pending, c.evidence.length > 0, c.personal.witnessCount > 0, c.personal.keepingWitnesses === true, backAtStart,
  ]);
}

const model = createTestModel(reportMachine, {
  events: (snapshot) => eventsFor(snapshot as AnyMachineSnapshot) as never,
  serializeState: (snapshot) => serializeState(snapshot as AnyMachineSnapshot),
  input: { at: NOW, params: {} },
  // The graph adds a bare `{ type }` for every event a state handles; only the answers above are real.
  filterEvents: (_snapshot, event) => 'at' in event,
});

/** Replays a path's user events on the driver (commands are answered in the same turn there). */
function replay(events: InboundEvent[]): { driver: ReportDriver; checked: number } {
  const driver = new ReportDriver(NOW);
  let checked = 0;
  for (const event of events) {
    if (!event.type.startsWith('user.')) continue;
    const { at: _at, ...unstamped } = event;
    const turn = driver.send(unstamped as never);
    const state = turn.state as ReportStep;
    const prompts = turn.replies.filter((m) => m.type === 'text' && m.prompt);
    const last = prompts.at(-1);
    if (last && (reportSteps as readonly string[]).includes(state)) {
      const question = keyOf(promptFor(state, turn.snapshot.context as ReportContext));
      // While evidence comes in, the notice of what arrived carries the step's choices and stands as its question.
      const notices = state === 'collectingEvidence' ? ['report.evidence.received', 'report.evidence.duplicate', 'report.evidence.full'] : [];
      expect([question, ...notices], `question asked in ${state}`).toContain(keyOf(last));
      checked += 1;
    }
  }
  return { driver, checked };
}

function resting(value: unknown): string {
  // Transient states resolve within the same turn on the driver.
  const map: Record<string, string> = {
    preparingConsent: 'consenting',
    preparingReview: 'reviewing',
    preparingWitnessChange: 'choosingWitnessChange',
    submitting: 'done',
  };
  return map[String(value)] ?? String(value);
}

describe('the report machine, model-based', () => {
  const paths = model.getShortestPaths();

  it('reaches every state of the machine (checkingDraft and checkingBeforeSubmission only pass through)', () => {
    const reached = new Set(paths.flatMap((p) => [p.state, ...p.steps.map((s) => s.state)]).map((s) => String(s.value)));
    const passing = new Set(['checkingDraft', 'checkingBeforeSubmission']);
    const all = Object.keys(reportMachine.root.states).filter((s) => !passing.has(s));
    expect([...all].filter((s) => !reached.has(s))).toEqual([]);
    const atStartWithName = paths.some((p) => p.state.value === 'choosingKind' && (p.state.context as ReportContext).terlapor.name !== null);
    expect(atStartWithName).toBe(true);
  });

  it('replays every shortest path turn by turn, asking the right question at each step', () => {
    let checked = 0;
    for (const path of paths) {
      const events = path.steps.map((s) => s.event as InboundEvent);
      const run = replay(events);
      checked += run.checked;
      const expected = resting(path.state.value);
      const endedAt = String(run.driver.snapshot.value ?? 'done');
      expect(run.driver.snapshot.status === 'done' ? 'done' : endedAt, path.description).toBe(
        (path.state.context as ReportContext).personal.pending ? endedAt : expected,
      );
    }
    expect(paths.length).toBeGreaterThan(50);
    expect(checked).toBeGreaterThan(300);
  });

  describe.each(['tip', 'formal'] as const)('editing a %s from the review', (kind) => {
    /** A complete draft at the review. */
    function atReview(): ReportDriver {
      const d = new ReportDriver(NOW);
      d.choose(kind);
      d.choose('agree');
      d.text('Budi Santoso');
      d.text('Camat Muntok');
      d.text('Kecamatan Muntok');
      d.choose('pns');
      d.choose('social-media');
      d.choose('today');
      d.choose('sameDay');
      d.text('bangka barat');
      d.choose('skip');
      d.text('Camat mengunggah foto bersama calon bupati di Facebook dengan pose dua jari.');
      d.send({ type: 'user.sendMedia', media: photo });
      d.choose('done');
      if (kind === 'formal') {
        d.text('Siti Aminah');
        d.text('0812 3456 7890');
        d.choose('no');
        d.text('Andi Wijaya');
        d.text('Jl. Merdeka No. 10, Muntok');
        d.text('0812-9876-5432');
        d.choose('skip');
      }
      expect(d.snapshot.value).toBe('reviewing');
      return d;
    }

    const fields = kind === 'formal'
      ? ['kind', 'terlapor', 'category', 'dates', 'place', 'description', 'evidence', 'witnesses', 'reporter']
      : ['kind', 'terlapor', 'category', 'dates', 'place', 'description', 'evidence'];

    it.each(fields)('returns to the review after changing %s, by every shortest way the model finds', (field) => {
      const d = atReview();
      d.choose('edit');
      const turn = d.choose(field);
      const from = turn.snapshot;
      const toReview = model.getShortestPaths({
        fromState: from as never,
        toState: (s) => (s as AnyMachineSnapshot).value === 'reviewing',
      });
      expect(toReview.length, `a way back to the review from ${field}`).toBeGreaterThan(0);
      for (const path of toReview) {
        const replayed = atReview();
        replayed.choose('edit');
        replayed.choose(field);
        let last = replayed.first;
        for (const step of path.steps) {
          const event = step.event as InboundEvent;
          if (!event.type.startsWith('user.')) continue;
          const { at: _at, ...unstamped } = event;
          last = replayed.send(unstamped as never);
        }
        expect(replayed.snapshot.value).toBe('reviewing');
        expect(last.replies.map(keyOf)).toContain('report.review.summary');
      }
    });

    it('asks the learned date again instead of filing a draft stored with it before the event date', () => {
      const d = atReview();
      d.patchStoredContext({ eventDate: '2026-11-22', learnedDate: '2026-11-20' });
      const refused = d.choose('confirm');
      expect(refused.commands.map((c) => c.type)).not.toContain('submitReport');
      expect(refused.replies.map(keyOf)).toEqual(['report.review.datesOutOfOrder', 'report.when.askLearnedDate']);
      expect(d.choose('sameDay').state).toBe('reviewing');
      expect(d.choose('confirm').commands.map((c) => c.type)).toContain('submitReport');
    });
  });
});

/** A formal draft answered up to its first witness's name, in the driver returned. */
function atWitnessQuestion(): ReportDriver {
  const d = new ReportDriver(NOW);
  for (const value of ['formal', 'agree']) d.choose(value);
  for (const answer of ['Budi Santoso', 'Camat Muntok', 'Kecamatan Muntok']) d.text(answer);
  for (const value of ['social-media', 'today', 'sameDay']) d.choose(value);
  d.text('bangka barat');
  d.choose('skip');
  d.text('Camat mengunggah foto bersama calon bupati di Facebook dengan pose dua jari.');
  d.text('https://x.com/camat/status/1');
  d.choose('done');
  return d;
}

describe('"another witness?" answered in one line', () => {
  /** A formal draft with one witness noted, asked whether there is another. */
  function atMoreWitnesses(): ReportDriver {
    const d = atWitnessQuestion();
    d.text('Siti Aminah 0812 3456 7890');
    expect(d.snapshot.value).toBe('askingMoreWitnesses');
    return d;
  }

  it.each([
    ['iya, pak RT Joko', 'askingWitnessContact'],
    ['ada, Dodi 0813 1111 2222', 'askingMoreWitnesses'],
    ['iya, tambah satu lagi', 'askingWitnessName'],
    ['ya, 2 orang lagi', 'askingWitnessName'],
    ['ada 1 lg', 'askingWitnessName'],
    ['masih ada satu lagi', 'askingWitnessName'],
    ['ada yg lain', 'askingWitnessName'],
    ['one more', 'askingWitnessName'],
  ])('takes %j to %s', (text, state) => {
    const d = atMoreWitnesses();
    d.text(text);
    expect(d.snapshot.value).toBe(state);
    expect((d.snapshot.context as ReportContext).personal.witnessCount).toBe(state === 'askingMoreWitnesses' ? 2 : 1);
  });

  it.each(['ubah lokasi', 'ganti tanggal'])('does not store %j as a witness\'s contact, and says to finish the witness first', (text) => {
    const d = atMoreWitnesses();
    d.text('ya');
    d.text('Rahmat Hidayat');
    expect(d.snapshot.value).toBe('askingWitnessContact');
    const refused = d.text(text);
    expect(refused.state).toBe('askingWitnessContact');
    expect(refused.replies.map(keyOf)).toContain('report.witness.contactFirst');
    expect(refused.commands).toEqual([]);
  });

  it.each(['ga ada lg', 'tidak ada lagi', 'no more'])('takes %j as no other witness', (text) => {
    const d = atMoreWitnesses();
    d.text(text);
    expect(d.snapshot.value).not.toBe('askingWitnessName');
    expect(d.snapshot.value).not.toBe('askingMoreWitnesses');
  });
});

describe('a reporter wary of giving their identity', () => {
  /** A formal draft at the reporter's name, its one witness noted. */
  function atReporterName(): ReportDriver {
    const d = atWitnessQuestion();
    d.text('selesai');
    expect(d.snapshot.value).toBe('askingReporterName');
    return d;
  }

  it('is told why a formal report needs a name, and how to go on without, when asking instead of answering', () => {
    const d = atReporterName();
    const asked = d.text('kenapa harus nama sy? takut nanti ketauan pak kades');
    expect(asked.state).toBe('askingReporterName');
    expect(asked.replies.map(keyOf)).toContain('report.reporter.whyIdentity');
    expect((d.snapshot.context as ReportContext).personal.reporter.name).toBeFalsy();
  });

  it.each([
    ['askingReporterName', 'anonim aja'],
    ['askingReporterAddress', 'ga jadi resmi deh, anonim aja'],
    ['askingReporterPhone', 'jadikan informasi awal'],
  ] as const)('goes on as initial information on %s for %j, its identity not stored', (step, text) => {
    const d = atReporterName();
    if (step !== 'askingReporterName') d.text('Siti Aminah');
    if (step === 'askingReporterPhone') d.text('Jl. Merdeka No. 10, Muntok');
    expect(d.snapshot.value).toBe(step);
    d.text(text);
    const context = d.snapshot.context as ReportContext;
    expect(context.kind).toBe('tip');
    expect(context.personal.sealed).toBeNull();
    expect(d.snapshot.value).toBe('reviewing');
  });

  it('takes "selesai" typed again after the evidence as no witness, not a witness called Selesai', () => {
    const d = atReporterName();
    expect((d.snapshot.context as ReportContext).personal.witnessCount).toBe(0);
  });
});
