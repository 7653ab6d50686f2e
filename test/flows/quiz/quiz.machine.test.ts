import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { createTestModel } from 'xstate/graph';
import type { FlowInput } from '../../../flows/flow.ts';
import type { InboundEvent, OutboundMessage } from '../../../flows/messages.ts';
import { quizQuestions, type QuizQuestion } from '../../../flows/quiz/questionBank.ts';
import { firstLessonOf, lessons } from '../../../content/education/lessons.ts';
import { quizCarriedArgs, quizContextSchema, quizFlow, quizMachine } from '../../../flows/quiz/quiz.machine.ts';
import { scoreQuiz, weakestTopic } from '../../../flows/quiz/scoring.ts';
import { askedIn, keyOf, runPath, type StepRecord } from './runPath.ts';

const at = '2026-11-22T03:00:00.000Z';
const result = (command: string, value: unknown): InboundEvent => ({ type: 'system.commandResult', at, command, result: value });
const text = (value: string): InboundEvent => ({ type: 'user.sendText', at, text: value });
const pick = (value: string): InboundEvent => ({ type: 'user.chooseOption', at, value });
const help: InboundEvent = { type: 'user.askHelp', at };
const back: InboundEvent = { type: 'user.goBack', at };

/** Three questions from three topics, options shown in reverse order: small enough to walk every answer. */
function drawOf(questions: readonly QuizQuestion[]) {
  return {
    attemptId: 'attempt-1',
    questions: questions.map((q) => ({ id: q.id, optionOrder: q.options.map((o) => o.id).reverse() })),
  };
}
const fullDraw = drawOf(['legal-basis', 'sanctions', 'reporting'].map((t) => quizQuestions.find((q) => q.topic === t)!));
const topicDraw = drawOf(quizQuestions.filter((q) => q.topic === 'sanctions').slice(0, 2));
const certificate = { code: 'ABCD-EFGH-JKLM', path: 'certificates/ABCD-EFGH-JKLM.pdf', fileName: 'sertifikat.pdf' };

type Context = ReturnType<typeof quizContextSchema.parse>;

/** The value of the right or a wrong answer to the question on screen. */
function answer(context: Context, correct: boolean): string {
  const drawn = context.questions[context.index]!;
  const question = quizQuestions.find((q) => q.id === drawn.id)!;
  const position = drawn.optionOrder.findIndex((id) => (id === question.correct) === correct);
  return `q${context.index + 1}-${position + 1}`;
}

/** Every event each state handles, with the answers that matter. */
function eventsFor(draw: typeof fullDraw) {
  return (snapshot: { value: unknown; context: Context }): InboundEvent[] => {
    const context = snapshot.context;
    switch (snapshot.value) {
      case 'checkingProfile':
        return [result('checkQuizProfile', { asked: true }), result('checkQuizProfile', { asked: false }), result('checkQuizProfile', 'nonsense')];
      case 'askingConsent':
        return [pick('consent'), pick('skip'), text('lewati'), text('mungkin'), help];
      case 'askingAgency':
        return [text('Dinas Pendidikan'), text('!!'), pick('skip'), back, help];
      case 'askingRegency':
        return [text('Bangka Barat'), text('bangka'), text('jawa barat'), text('qwertyuiop'), pick('skip'), back, help];
      case 'choosingRegency':
        return [pick(`region:${context.regionOptions[0]}`), pick('region:99.99'), pick('retype'), pick('skip'), text('Kota Padang'), text('padang'), text('jawa timur'), text('qwertyuiop'), back, help];
      case 'askingEmployment':
        return [pick('pns'), pick('skip'), pick('astronaut'), text('-'), back, help];
      case 'drawing':
        return [result('drawQuiz', draw), result('drawQuiz', { attemptId: null, questions: [] })];
      case 'asking':
        return [
          pick(answer(context, true)),
          pick(answer(context, false)),
          pick(`q${context.index === 0 ? 9 : context.index}-1`),
          pick('menu'),
          text('mungkin yang kedua'),
          back,
          help,
        ];
      case 'finishing':
        return [result('finishQuiz', scoreQuiz(context.answers, context.questions.length))];
      case 'askingName':
        return [text('Budi Santoso, S.Pd.'), text('!!'), pick('skip'), help];
      case 'confirmingName':
        return [pick('confirm'), pick('change'), text('Budi Santosa'), back, help];
      case 'issuing':
        return [result('issueCertificate', certificate), result('issueCertificate', { broken: true })];
      case 'choosingNext':
        return [pick('retry'), pick('full'), pick('learn'), pick('menu'), text('coba lagi'), text('entah')];
      default:
        return [];
    }
  };
}

/** The question each waiting state puts on screen when it is entered. */
const promptOf: Record<string, string[]> = {
  askingConsent: ['quiz.profile.intro'],
  askingAgency: ['quiz.profile.askAgency'],
  askingRegency: ['quiz.profile.askRegency', 'quiz.profile.askRegencyInProvince'],
  choosingRegency: ['quiz.profile.chooseRegency'],
  askingEmployment: ['quiz.profile.askEmployment'],
  asking: ['quiz.question'],
  askingName: ['quiz.certificate.askName'],
  confirmingName: ['quiz.certificate.confirmName'],
  choosingNext: ['quiz.next.ask'],
};

/** The command each state sends when it is entered. */
const commandOf: Record<string, string> = {
  checkingProfile: 'checkQuizProfile',
  drawing: 'drawQuiz',
  finishing: 'finishQuiz',
  issuing: 'issueCertificate',
};

function checkStep(step: StepRecord): void {
  const state = String(step.after);
  const entered = step.before !== step.after || step.event.type === 'user.sendText' || step.event.type === 'user.chooseOption';
  const asked = askedIn(step);
  if (asked && promptOf[state]) expect(promptOf[state]).toContain(keyOf(asked));
  if (step.before !== step.after && promptOf[state]) expect(keyOf(asked), `entering ${state}`).toBeDefined();
  if (step.before !== step.after && commandOf[state]) expect(step.commands.map((c) => c.type)).toContain(commandOf[state]);
  if (!entered) expect(step.commands).toEqual([]);
}

/** Plays every path, naming the failing one. */
function playAll(paths: ReadonlyArray<{ description: string; steps: unknown }>, input: FlowInput, check: (steps: StepRecord[]) => void) {
  for (const path of paths) {
    try {
      const { initial, steps } = runPath(quizMachine, input, quizContextSchema, path as never);
      expect(initial.commands).toEqual([{ type: 'checkQuizProfile' }]);
      for (const step of steps) checkStep(step);
      check(steps);
    } catch (error) {
      throw new Error(`${path.description}\n${String(error)}`);
    }
  }
}

const firstResult = (path: { steps: ReadonlyArray<{ event: InboundEvent }> }) =>
  path.steps.map((s) => s.event).find((e) => e.type === 'system.commandResult');

describe('the quiz machine: the optional profile (model-based paths)', () => {
  const input: FlowInput = { at, params: {} };
  const model = createTestModel(quizMachine, { input, events: eventsFor(fullDraw) as never });
  // The quiz after the profile is walked below; here every way through the profile up to the draw.
  const paths = model.getShortestPaths({ stopWhen: (s) => s.value === 'drawing' || s.status === 'done' });

  it('reaches every profile question, the draw and the failure exit', () => {
    const reached = new Set(paths.flatMap((p) => p.steps.map((step) => String(step.state.value))));
    for (const state of ['askingConsent', 'askingAgency', 'askingRegency', 'choosingRegency', 'askingEmployment', 'drawing', 'failed']) {
      expect(reached, state).toContain(state);
    }
  });

  it('keeps each path consistent through a JSON round-trip per step, and sends the profile with the draw', () => {
    playAll(paths, input, (steps) => {
      const draw = steps.flatMap((s) => s.commands).find((c) => c.type === 'drawQuiz');
      if (!draw) return;
      const context = steps[steps.length - 1]!.context as Context;
      expect(draw).toEqual({ type: 'drawQuiz', topic: null, profile: context.profile });
    });
  });

  it('asks the profile only when the chat has not been asked before', () => {
    const askedBefore = paths.find((p) => (firstResult(p) as { result?: { asked?: boolean } } | undefined)?.result?.asked === true);
    expect(askedBefore?.state.value).toBe('drawing');
    expect(askedBefore?.state.context.profile).toBeNull();
    const consented = paths.find((p) => p.steps.some((s) => s.event.type === 'user.chooseOption' && s.event.value === 'consent') && p.state.value === 'drawing');
    expect(consented?.state.context.profile).not.toBeNull();
  });

  it('stores a region chosen from the offered list, and only from it', () => {
    const chose = paths.filter((p) => p.steps.some((s) => s.event.type === 'user.chooseOption' && s.event.value.startsWith('region:19')));
    expect(chose.length).toBeGreaterThan(0);
    for (const p of chose) expect(p.state.context.profile?.regencyCode ?? '19').toMatch(/^19\./);
    const bogus = paths.filter((p) => p.steps.some((s) => s.event.type === 'user.chooseOption' && s.event.value === 'region:99.99'));
    for (const p of bogus) expect(p.state.context.profile?.regencyCode).not.toBe('99.99');
  });
});

describe('the quiz machine: questions, score and certificate (model-based paths)', () => {
  const input: FlowInput = { at, params: {} };
  const events = eventsFor(fullDraw);
  const model = createTestModel(quizMachine, {
    input,
    // The profile is walked above: start as a chat that was asked before.
    events: ((s: Parameters<typeof events>[0]) =>
      s.value === 'checkingProfile' ? [result('checkQuizProfile', { asked: true })] : events(s)) as never,
  });
  const paths = model.getShortestPaths();

  it('reaches every state of the quiz, including the certificate and each way out', () => {
    const reached = new Set(paths.flatMap((p) => p.steps.map((step) => String(step.state.value))));
    for (const state of ['asking', 'finishing', 'askingName', 'confirmingName', 'issuing', 'choosingNext', 'leaving', 'unavailable', 'failed']) {
      expect(reached, state).toContain(state);
    }
  });

  it('records each answer once, for the question it was given to, and leaves to the chosen place', () => {
    playAll(paths, input, (steps) => {
      const last = steps[steps.length - 1];
      if (!last) return;
      const context = last.context as Context;
      expect(context.answers.map((a) => a.questionId)).toEqual(context.questions.slice(0, context.answers.length).map((q) => q.id));
      const finish = steps.flatMap((s) => s.commands).find((c) => c.type === 'finishQuiz');
      if (finish) expect(finish).toEqual({ type: 'finishQuiz', attemptId: 'attempt-1', answers: context.answers });
      if (last.status === 'done' && context.next) {
        // The lessons open at the topic answered worst, if any was.
        const weakest = weakestTopic(context.answers);
        const learn = { flow: 'learn', params: weakest ? { topic: weakest, weakest: true } : {} };
        const expected = { retry: { flow: 'quiz', params: {} }, full: { flow: 'quiz', params: {} }, learn, menu: undefined };
        expect((last.output as { next?: unknown }).next).toEqual(expected[context.next]);
      }
    });
  });

  it('gives feedback on each answer before the next question, and ignores stale and stray answers', () => {
    playAll(paths, input, (steps) => {
      for (const step of steps.filter((s) => s.before === 'asking')) {
        const before = steps[steps.indexOf(step) - 1]?.context as Context | undefined;
        const recorded = (step.context as Context).answers.length - (before?.answers.length ?? 0);
        const keys = step.replies.map(keyOf);
        if (recorded === 1) expect(keys[0]).toMatch(/^quiz\.(correct|wrong)$/);
        else expect(keys.filter((k) => k === 'quiz.correct' || k === 'quiz.wrong')).toEqual([]);
      }
    });
  });

  it('offers the certificate only after a pass (3 of 3), and sends the PDF with its code', () => {
    let passes = 0;
    let fails = 0;
    let delivered = false;
    playAll(paths, input, (steps) => {
      for (const s of steps.filter((x) => x.before === 'finishing' && x.after !== 'failed')) {
        const passed = (s.context as Context).result?.passed;
        expect(s.after).toBe(passed ? 'askingName' : 'choosingNext');
        if (passed) passes += 1;
        else fails += 1;
      }
      const issued = steps.find((s) => s.before === 'issuing' && s.after === 'choosingNext');
      if (issued) {
        expect(issued.replies[0]).toMatchObject({ type: 'document', path: certificate.path, fileName: certificate.fileName });
        expect(issued.replies.map(keyOf)).toEqual(['quiz.certificate.caption', 'quiz.certificate.issued', 'quiz.next.ask']);
        delivered = true;
      }
    });
    expect(passes).toBeGreaterThan(0);
    expect(fails).toBeGreaterThan(0);
    expect(delivered).toBe(true);
  });

  it('prints the confirmed name, or none when the user chose to skip it', () => {
    playAll(paths, input, (steps) => {
      const issue = steps.flatMap((s) => s.commands).find((c) => c.type === 'issueCertificate');
      if (!issue) return;
      const confirmedName = steps.some((s) => s.before === 'confirmingName' && s.after === 'issuing');
      expect(issue.name).toBe(confirmedName ? (steps.find((s) => s.before === 'confirmingName' && s.after === 'issuing')!.context as Context).certificateName : null);
    });
  });
});

describe('the quiz machine on one topic (model-based paths)', () => {
  const input: FlowInput = { at, params: { topic: 'sanctions' } };
  const events = eventsFor(topicDraw);
  const model = createTestModel(quizMachine, {
    input,
    events: ((s: Parameters<typeof events>[0]) =>
      s.value === 'checkingProfile' ? [result('checkQuizProfile', { asked: true })] : events(s)) as never,
  });
  const paths = model.getShortestPaths({ toState: (s) => s.status === 'done' });

  it('never leads to a certificate, and comes back to the same topic', () => {
    playAll(paths, input, (steps) => {
    // A topic quiz never leads to a certificate, whatever the score.
    expect(steps.map((s) => s.after)).not.toContain('askingName');
    const last = steps[steps.length - 1]!;
    const context = last.context as Context;
    if (context.next === 'retry' || context.next === 'learn') {
      // The lessons open at the topic just quizzed, not at the card the reader last stopped at.
      const params = context.next === 'retry' ? { topic: 'sanctions' } : { topic: 'sanctions', from: 'quiz' };
      expect(last.output).toEqual({ next: { flow: context.next === 'retry' ? 'quiz' : 'learn', params } });
    }
    if (context.next === 'full') expect(last.output).toEqual({ next: { flow: 'quiz', params: {} } });
    });
  });

  it('tells a user who passed a topic quiz that certificates come with the full quiz', () => {
    const passedPath = paths.find((p) => p.steps.some((s) => s.state.value === 'choosingNext' && (s.state.context as Context).result?.passed));
    expect(passedPath).toBeDefined();
    const { steps } = runPath(quizMachine, input, quizContextSchema, passedPath as never);
    const scored = steps.find((s) => s.before === 'finishing')!;
    expect(scored.replies.map(keyOf)).toEqual(['quiz.score', 'quiz.passed', 'quiz.topicPassed', 'quiz.next.ask']);
    expect(askedIn(scored)?.type === 'text' && askedIn(scored)).toMatchObject({ choices: [{ value: 'full' }, { value: 'learn' }, { value: 'menu' }] });
  });
});

describe('a stored quiz', () => {
  const stored = {
    topic: null,
    profile: null,
    regionScope: null,
    regionOptions: [],
    attemptId: 'attempt-1',
    questions: fullDraw.questions,
    index: 1,
    answers: [],
    result: null,
    certificateName: null,
    next: null,
  };

  it('is restored while its questions are still in the bank as drawn', () => {
    expect(quizContextSchema.safeParse(stored).success).toBe(true);
  });

  it('is not restored once a question was removed or its options changed (the user restarts politely)', () => {
    const removed = { ...stored, questions: [{ id: 'legal-basis-99', optionOrder: ['a', 'b', 'c'] }] };
    expect(quizContextSchema.safeParse(removed).success).toBe(false);
    const changed = { ...stored, questions: [{ ...fullDraw.questions[0]!, optionOrder: ['a', 'b'] }] };
    expect(quizContextSchema.safeParse(changed).success).toBe(false);
  });
});

/**
 * Plays a quiz on one actor the way the runtime does (a JSON round-trip before every event): each step is an event or
 * a function of the context on screen (to answer the question shown). Returns what the last step emitted and where
 * the quiz ended up.
 */
function playQuiz(params: Record<string, unknown>, steps: ReadonlyArray<InboundEvent | ((context: Context) => InboundEvent)>) {
  let replies: OutboundMessage[] = [];
  let stored: unknown;
  let snapshot: { value: unknown; status: string; output: unknown; context: Context } | undefined;
  const input: FlowInput = { at, params };
  for (const step of [undefined, ...steps]) {
    replies = [];
    const actor = stored === undefined ? createActor(quizMachine, { input }) : createActor(quizMachine, { snapshot: stored as never, input });
    actor.on('reply', (e) => void replies.push((e as { message: OutboundMessage }).message));
    actor.start();
    if (step) actor.send(typeof step === 'function' ? step(actor.getSnapshot().context) : step);
    snapshot = actor.getSnapshot() as typeof snapshot;
    stored = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    actor.stop();
  }
  return { replies, ...snapshot! };
}

/** A quiz of `draw` answered right or wrong in turn, up to its score (the chat was asked its profile before). */
function toScore(draw: typeof fullDraw, rightAnswers: readonly boolean[]) {
  return [
    result('checkQuizProfile', { asked: true }),
    result('drawQuiz', draw),
    ...rightAnswers.map((right) => (context: Context) => pick(answer(context, right))),
    (context: Context) => result('finishQuiz', scoreQuiz(context.answers, context.questions.length)),
  ];
}

/** The name the certificate's confirmation shows for a typed name, after a pass. */
function nameToPrint(typed: string): string | undefined {
  const played = playQuiz({}, [...toScore(fullDraw, [true, true, true]), text(typed)]);
  const confirm = played.replies.find((m) => keyOf(m) === 'quiz.certificate.confirmName');
  return confirm?.type === 'text' && 'key' in confirm.text ? (confirm.text.params?.name as string | undefined) : undefined;
}

describe('the name printed on a certificate', () => {
  it('is capitalised, with its titles in their usual spelling, when it was typed all in lower case', () => {
    expect(nameToPrint('siti rahma s.pd')).toBe('Siti Rahma, S.Pd.');
    expect(nameToPrint('siti rahma, s.pd.')).toBe('Siti Rahma, S.Pd.');
    expect(nameToPrint('dra. sri wahyuni m.pd')).toBe('Dra. Sri Wahyuni, M.Pd.');
    expect(nameToPrint('dr. budi santoso')).toBe('dr. Budi Santoso');
    expect(nameToPrint('ir. h. ahmad fauzi, s.t., m.si.')).toBe('Ir. H. Ahmad Fauzi, S.T., M.Si.');
    expect(nameToPrint('prof. rina marlina sh mh')).toBe('Prof. Rina Marlina, S.H., M.H.');
    expect(nameToPrint('hj. nur aini s.pd.i')).toBe('Hj. Nur Aini, S.Pd.I.');
    expect(nameToPrint('muhammad rizki bin abdullah')).toBe('Muhammad Rizki bin Abdullah');
    expect(nameToPrint('nama saya i gusti ngurah agung-putra a.md.kep')).toBe('I Gusti Ngurah Agung-Putra, A.Md.Kep.');
  });

  it('is kept as typed when it has any capital letter, as a deliberate spelling', () => {
    expect(nameToPrint('dr. Budi')).toBe('dr. Budi');
    expect(nameToPrint('Ronald McDonald')).toBe('Ronald McDonald');
    expect(nameToPrint('Anna van der Berg')).toBe('Anna van der Berg');
    expect(nameToPrint('Siti Rahma, S.Pd.')).toBe('Siti Rahma, S.Pd.');
    expect(nameToPrint('siti Rahma spd')).toBe('siti Rahma spd');
  });
});

describe('the choices after a result', () => {
  const failed = toScore(fullDraw, [true, false, false]);

  it.each(['ulang lg', 'ulangi lagi', 'coba lagi', 'sekali lagi', 'try again', 'again', 'Coba lagi dong', 'ulang lagi ya kak', 'ulangi kuisnya lagi', 'Try again!', 'again please'])(
    'takes %j typed after a failed quiz as "Ulangi kuis"',
    (typed) => {
      const played = playQuiz({}, [...failed, text(typed)]);
      expect(played.status).toBe('done');
      expect(played.output).toEqual({ next: { flow: 'quiz', params: {} } });
    },
  );

  it('does not take other words with "lagi" in them as retaking the quiz', () => {
    for (const typed of ['lagi apa', 'nanti lagi']) {
      const played = playQuiz({}, [...failed, text(typed)]);
      expect(played.value, typed).toBe('choosingNext');
    }
    // "Pelajari lagi" asks for the lessons, which are on screen too.
    expect(playQuiz({}, [...failed, text('pelajari lagi')]).output).toMatchObject({ next: { flow: 'learn' } });
  });

  it('takes "coba lagi" after a topic quiz as retaking that topic, and not when retaking is not offered', () => {
    const topicFailed = playQuiz({ topic: 'sanctions' }, [...toScore(topicDraw, [false, false]), text('coba lagi')]);
    expect(topicFailed.output).toEqual({ next: { flow: 'quiz', params: { topic: 'sanctions' } } });
    // A passed topic quiz offers no retake: the words are not taken as some other choice.
    const topicPassed = playQuiz({ topic: 'sanctions' }, [...toScore(topicDraw, [true, true]), text('coba lagi')]);
    expect(topicPassed.status).toBe('active');
    expect(topicPassed.value).toBe('choosingNext');
  });

  it('opens the lesson of the topic answered worst when "Pelajari aturan" is chosen after a failed quiz', () => {
    // legal-basis right, sanctions and reporting wrong: of the two at 0%, the one met first.
    const played = playQuiz({}, [...toScore(fullDraw, [true, false, false]), pick('learn')]);
    expect(played.output).toEqual({ next: { flow: 'learn', params: { topic: 'sanctions', weakest: true } } });
  });
});

describe('a quiz started with words after /kuis', () => {
  it.each([
    ['sanksi', 'sanctions'],
    ['Sangsi', 'sanctions'],
    ['media sosial', 'social-media'],
    ['medsos', 'social-media'],
    ['PPPK', 'pppk-honorer-village'],
    ['siapa yang menjatuhkan', 'who-decides'],
    ['reporting', 'reporting'],
  ])('starts the topic quiz named %j', (args, topic) => {
    const played = playQuiz({ args }, [result('checkQuizProfile', { asked: true })]);
    expect(played.value).toBe('drawing');
    expect(played.context.topic).toBe(topic);
  });

  it('starts the full quiz for "lengkap", and asks which quiz for words that name no topic', () => {
    expect(playQuiz({ args: 'lengkap' }, []).value).toBe('checkingProfile');
    const asked = playQuiz({ args: 'apa saja boleh' }, []);
    expect(asked.value).toBe('choosingTopic');
    expect(asked.replies.map(keyOf)).toEqual(['quiz.chooseTopic']);
    expect(asked.replies[0]).toMatchObject({ choices: expect.arrayContaining([{ value: 'topic:sanctions', label: { localized: { id: 'Sanksi', en: 'Sanctions' } } }]) });
  });

  it('starts the quiz chosen, pressed or typed, after asking which', () => {
    expect(playQuiz({ args: 'xyz' }, [pick('topic:reporting')]).context.topic).toBe('reporting');
    expect(playQuiz({ args: 'xyz' }, [text('medsos aja')]).context.topic).toBe('social-media');
    const full = playQuiz({ args: 'xyz' }, [pick('full')]);
    expect(full.value).toBe('checkingProfile');
    expect(full.context.topic).toBeNull();
    const unclear = playQuiz({ args: 'xyz' }, [text('hmm')]);
    expect(unclear.value).toBe('choosingTopic');
    expect(unclear.replies.map(keyOf)).toEqual(['quiz.chooseTopicHelp', 'quiz.chooseTopic']);
  });
});

describe('answers typed in words', () => {
  const draw = (id: string) => drawOf([quizQuestions.find((q) => q.id === id)!]);
  const answered = (id: string, typed: string) => playQuiz({}, [result('checkQuizProfile', { asked: true }), result('drawQuiz', draw(id)), text(typed)]);

  it('take the start of one option\'s words as that option', () => {
    expect(answered('legal-basis-04', 'pns dan pppk').context.answers).toEqual([{ questionId: 'legal-basis-04', chosen: 'd' }]);
    expect(answered('legal-basis-03', 'Pasal 24').context.answers).toEqual([{ questionId: 'legal-basis-03', chosen: 'c' }]);
    expect(answered('sanctions-05', 'pemberhentian tidak dengan hormat').context.answers).toEqual([{ questionId: 'sanctions-05', chosen: 'b' }]);
    expect(answered('legal-basis-10', 'iya').context.answers).toEqual([{ questionId: 'legal-basis-10', chosen: 'b' }]);
    expect(answered('legal-basis-10', 'gak').context.answers).toEqual([{ questionId: 'legal-basis-10', chosen: 'a' }]);
  });

  it('take words only one option holds, short forms spelled out, as that option', () => {
    const chosen = (id: string, typed: string) => answered(id, typed).context.answers[0]?.chosen;
    expect(chosen('sanctions-05', 'ptdh')).toBe('b');
    expect(chosen('legal-basis-05', 'kode etik')).toBe('c');
    expect(chosen('legal-basis-05', 'code of ethics')).toBe('c');
    expect(chosen('who-decides-01', 'DKPP')).toBe('d');
    expect(chosen('who-decides-03', 'the PPK')).toBe('c');
    expect(chosen('pppk-honorer-village-06', 'ga boleh')).toBe('c');
    expect(chosen('prohibited-acts-09', 'sejak ditetapkan sbg calon')).toBe('c');
    expect(chosen('prohibited-acts-09', 'stlh dilantik')).toBe('d');
    expect(chosen('prohibited-acts-09', 'the sworn in one')).toBe('d');
  });

  it('do not take one word that another option says with other affixes ("melanggar" beside "pelanggaran"), and take the words that tell them apart', () => {
    const chosen = (id: string, typed: string) => answered(id, typed).context.answers[0]?.chosen;
    expect(chosen('prohibited-acts-08', 'melanggar')).toBeUndefined();
    expect(answered('prohibited-acts-08', 'melanggar').value).toBe('asking');
    expect(chosen('prohibited-acts-08', 'termasuk pelanggaran')).toBe('b');
    expect(chosen('prohibited-acts-08', 'melanggar hanya jika')).toBe('d');
  });

  it('take a letter or a number with words around it as that choice', () => {
    // The draw shows the options in reverse: the second shown is c, the third b.
    const chosen = (typed: string) => answered('sanctions-05', typed).context.answers[0]?.chosen;
    expect(chosen('jawabannya b')).toBe('c');
    expect(chosen('pilihan c')).toBe('b');
    expect(chosen('2 kayaknya')).toBe('c');
    expect(chosen('b mungkin')).toBe('c');
    // Doubt before it: "kayaknya yg 2", "probably b", "I think it's B".
    expect(chosen('kayaknya yg 2')).toBe('c');
    expect(chosen('kayaknya b')).toBe('c');
    expect(chosen('probably 2')).toBe('c');
    expect(chosen("I think it's B")).toBe('c');
  });

  it('do not answer with words several options start with or hold, a common word, or a yes to a question that is no yes-or-no', () => {
    for (const [id, typed] of [
      ['legal-basis-04', 'pns'], ['legal-basis-03', 'pasal'], ['legal-basis-04', 'pppk'], ['legal-basis-03', 'ya'], ['sanctions-05', '12 bulan'],
      ['legal-basis-04', 'dan'], ['legal-basis-05', 'apa itu kode etik'],
    ] as const) {
      const played = answered(id, typed);
      expect(played.context.answers, typed).toEqual([]);
      // A question of one's own is told when it can be answered; the rest how to answer.
      const told = typed.startsWith('apa ') ? 'quiz.ownQuestion' : 'quiz.answerHint';
      expect(played.replies.map(keyOf), typed).toEqual([told, 'quiz.question']);
    }
  });
});

describe('"kenapa?" in the quiz', () => {
  const start = [result('checkQuizProfile', { asked: true }), result('drawQuiz', fullDraw)];

  it('before the first answer says the explanation comes with the answer, and asks the question again', () => {
    const played = playQuiz({}, [...start, text('kenapa?')]);
    expect(played.replies.map(keyOf)).toEqual(['quiz.whyFirst', 'quiz.question']);
    expect(played.context.answers).toEqual([]);
  });

  it('after an answer gives that answer\'s explanation and correct option again, the lesson on its topic for more, then the question on screen', () => {
    const played = playQuiz({}, [...start, (c: Context) => pick(answer(c, false)), text('kok salah sih?')]);
    expect(played.replies.map(keyOf)).toEqual(['quiz.whyAgain', 'quiz.whyLessonDuring', 'quiz.question']);
    const first = quizQuestions.find((q) => q.id === fullDraw.questions[0]!.id)!;
    expect(played.replies[0]).toMatchObject({
      text: { params: { number: 1, answer: first.options.find((o) => o.id === first.correct)!.text, explanation: first.explanation } },
    });
    const lesson = firstLessonOf(first.topic)!;
    expect(played.replies[1]).toMatchObject({ text: { params: { title: lesson.title, number: lessons.indexOf(lesson) + 1 } } });
    expect(played.context.index).toBe(1);
  });

  it('after the last answer is not taken as the name to print', () => {
    const played = playQuiz({}, [...toScore(fullDraw, [true, true, true]), text('kenapa')]);
    expect(played.value).toBe('askingName');
    expect(played.replies.map(keyOf)).toEqual(['quiz.whyAgain', 'quiz.whyLessonAfter', 'quiz.certificate.askName']);
  });

  it('after a failed quiz says how many right answers the pass needed', () => {
    const played = playQuiz({}, [...toScore(fullDraw, [true, false, false]), text('kenapa saya gagal?')]);
    expect(played.replies.map(keyOf)).toEqual(['quiz.whyFailed', 'quiz.next.ask']);
    expect(played.replies[0]).toMatchObject({ text: { params: { score: 1, total: 3, needed: 3, pass: 80 } } });
  });
});

describe('the choices after a result, typed', () => {
  it('take "belajar" or "pelajari materinya" as "Pelajari aturan", and "kuis lengkap" after a topic quiz as the full quiz', () => {
    for (const typed of ['belajar', 'pelajari materinya', 'baca materi dulu', 'learn']) {
      expect(playQuiz({}, [...toScore(fullDraw, [true, false, false]), text(typed)]).output, typed).toMatchObject({ next: { flow: 'learn' } });
    }
    const topic = playQuiz({ topic: 'sanctions' }, [...toScore(topicDraw, [true, true]), text('kuis lengkap')]);
    expect(topic.output).toEqual({ next: { flow: 'quiz', params: {} } });
  });
});

describe('leaving a quiz for another quiz', () => {
  const asking = (topic: string | null) => ({ value: 'asking', context: { topic, answers: [{ questionId: 'x', chosen: 'a' }] } });
  const question = (topic: string | null, params: Record<string, unknown>) => quizFlow.leaveQuestion?.(asking(topic), 'switch', { flow: 'quiz', params });

  it('asks whether to start the topic quiz asked for, whatever quiz is on screen', () => {
    expect(question(null, { args: 'sanksi' })).toEqual({ key: 'quiz.leaveForTopic', yes: 'quiz.leaveForTopicYes' });
    expect(question('reporting', { args: 'sanksi' })).toEqual({ key: 'quiz.leaveForTopic', yes: 'quiz.leaveForTopicYes' });
  });

  it('asks whether to start over for the same topic or /kuis in the full quiz, and says /kuis in a topic quiz starts the full one', () => {
    expect(question('sanctions', { args: 'sangsi' })).toBeUndefined();
    expect(question(null, {})).toBeUndefined();
    expect(question('sanctions', {})).toEqual({ key: 'quiz.leaveTopicForFull', yes: 'quiz.leaveTopicForFullYes' });
  });

  it('lets only the topic\'s id ride through the leave question', () => {
    expect(quizCarriedArgs({ args: 'Sanksi dong' })).toBe('sanctions');
    expect(quizCarriedArgs({ args: 'media sosial' })).toBe('social-media');
    expect(quizCarriedArgs({ args: 'budi santoso 0812' })).toBeUndefined();
    expect(quizCarriedArgs({})).toBeUndefined();
  });
});
