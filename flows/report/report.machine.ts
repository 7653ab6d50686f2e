/**
 * The citizen report flow (issue 3): kind and consent, the reported person, what, when, where, description,
 * evidence, witnesses and the reporter's identity (formal reports), a review where any field can be changed,
 * and the submission that turns the draft into a ticket.
 *
 * Each waiting state asks one question (reportSteps.ts has the prompts and the readers of answers). Answers are
 * read by the `answerIs` guard and applied by `applyAnswer`; the outcome names where to go. While the user edits
 * a field from the review (`editing`), the end of that field's group goes to `checkingDraft`, which walks to
 * whatever a formal report still lacks and then back to the review. `kembali` goes one step back (while editing,
 * within the part changed, and from its first question back to the review).
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import type { FlowDefinition, FlowEmitted, FlowInput, FlowOutput } from '../flow.ts';
import { say, type InboundEvent } from '../messages.ts';
import {
  openPersonalResultSchema,
  reportPolicyResultSchema,
  submitReportResultSchema,
  toDraft,
  updatePersonalResultSchema,
} from './reportCommands.ts';
import { emptyPersonalState, emptyReport, reportContextSchema, type ReportContext } from './reportContext.ts';
import { reviewMessages, submittedMessages, witnessListMessage } from './reportSummary.ts';
import { answerOf, canSwitchPart, helpFor, promptFor, readAnswer, SWITCH_PART, type ReportStep } from './reportSteps.ts';
import { jakartaDate } from './parseDate.ts';

type StepParams = { step: ReportStep };
type OutcomeParams = { step: ReportStep; outcome: string };

type Reading = { context: ReportContext; step: ReportStep; outcome: ReturnType<typeof readAnswer> | undefined };

/**
 * What an answer means, read once per event: a waiting state's guards ask for it for each outcome they test, and
 * the action that applies it asks once more. Reading is pure (the step, the answer, the context and the event's
 * time decide it), so the same event, context and step give the same outcome, and the outcome is never changed.
 */
const readings = new WeakMap<InboundEvent, Reading>();

function outcomeOf(context: ReportContext, event: InboundEvent, step: ReportStep) {
  const known = readings.get(event);
  if (known && known.context === context && known.step === step) return known.outcome;
  const answer = answerOf(event);
  const outcome = answer ? readAnswer(step, answer, context, event.at) : undefined;
  readings.set(event, { context, step, outcome });
  return outcome;
}

function commandResult(event: InboundEvent, command: string): unknown {
  return event.type === 'system.commandResult' && event.command === command ? event.result : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// State builders: every waiting state asks its question on entry and handles answers, help, back, stickers and
// files it cannot use in the same way.

/** Stay on the step without asking again (the reply already says what to do next). */
const STAY = { stay: 'quiet' } as const;
/** Stay on the step and ask its question again. */
const STAY_AND_ASK = { stay: 'ask' } as const;

type Target = string | typeof STAY | typeof STAY_AND_ASK | { editing: string; otherwise: string } | { reenter: string };

type BackTransition =
  | {
    guard?: 'isEditing' | 'hasWitnesses' | 'isChangingWitnesses';
    target: string;
    actions?: 'revertToTip' | 'reopenWitnessQuestion' | 'closeWitnessQuestion' | 'keepWitnesses' | 'reopenLastWitness';
  }
  /** Back out of a tip's change to a formal report before the reporter's identity is given: it stays a tip. */
  | {
    guard: 'isUnfinishedChangeToFormal';
    target: string;
    actions: ['revertToTip', 'forgetPersonal', { type: 'sayText'; params: { key: string } }];
  }
  /** Stays, saying why, and asks the step again. */
  | { guard: 'hasAnswers'; actions: [{ type: 'sayText'; params: { key: string } }, { type: 'askStep'; params: StepParams }] };

interface WaitingOptions {
  outcomes: Record<string, Target>;
  entry?: Array<'introduce' | 'stopEditing'>;
  /** The previous step (while editing, back returns to the review instead). */
  back?: string;
  backTransitions?: BackTransition[];
}

type ActionRef = { type: 'askStep'; params: StepParams } | { type: 'applyAnswer'; params: StepParams };

interface AnswerTransition {
  guard?: { type: 'answerIs' | 'answerIsWhileEditing'; params: OutcomeParams };
  target?: string;
  reenter?: boolean;
  actions: ActionRef[];
}

function answerTransitions(step: ReportStep, own: Record<string, Target>): AnswerTransition[] {
  const apply: ActionRef = { type: 'applyAnswer', params: { step } };
  const ask: ActionRef = { type: 'askStep', params: { step } };
  // While a part is changed, another part named here ("ubah saksi") is opened instead (see `canSwitchPart`).
  const outcomes = canSwitchPart(step) ? { ...own, ...switchTargets } : own;
  const transitions = Object.entries(outcomes).flatMap(([outcome, target]): AnswerTransition[] => {
    const guard = { type: 'answerIs' as const, params: { step, outcome } };
    if (typeof target === 'string') return [{ guard, target, actions: [apply] }];
    if ('stay' in target) return [{ guard, actions: target.stay === 'ask' ? [apply, ask] : [apply] }];
    if ('reenter' in target) return [{ guard, target: target.reenter, reenter: true, actions: [apply] }];
    return [
      { guard: { type: 'answerIsWhileEditing', params: { step, outcome } }, target: target.editing, actions: [apply] },
      { guard, target: target.otherwise, actions: [apply] },
    ];
  });
  // Anything else is an invalid answer: the reader's reply says why, then the question again.
  return [...transitions, { actions: [apply, ask] }];
}

/**
 * Steps whose previous step belongs to the same part of the review (the reported person, the dates, the place, the
 * witnesses, the reporter's identity): while that part is changed, back goes there too, not to the review.
 */
const backWithinPart: ReadonlySet<ReportStep> = new Set<ReportStep>([
  'askingTerlaporPosition',
  'askingTerlaporAgency',
  'askingEmployment',
  'askingLearnedDate',
  'offeringTipConversion',
  'choosingRegion',
  'confirmingDistrict',
  'askingRegencyInProvince',
  'askingPlaceDetail',
  'confirmingEvidenceClear',
  'confirmingNoEvidence',
  'askingWitnessContact',
  'askingReporterAddress',
  'askingReporterPhone',
  'askingReporterEmail',
]);

function waiting(step: ReportStep, options: WaitingOptions) {
  const answers = answerTransitions(step, options.outcomes);
  const back =
    options.backTransitions ??
    (options.back && backWithinPart.has(step)
      ? [{ target: options.back }]
      : [{ guard: 'isEditing' as const, target: 'checkingDraft' }, { target: options.back ?? 'done' }]);
  return {
    entry: [...(options.entry ?? []), { type: 'askStep' as const, params: { step } }],
    on: {
      'user.sendText': answers,
      'user.chooseOption': answers,
      'user.sendContact': answers,
      'user.sendLocation': answers,
      'user.sendMedia': answers,
      'user.sendUnsupported': { actions: [{ type: 'sayText' as const, params: { key: 'report.errors.unsupported' } }, { type: 'askStep' as const, params: { step } }] },
      'user.sendUnavailableMedia': { actions: ['explainUnavailableMedia' as const, { type: 'askStep' as const, params: { step } }] },
      'user.askHelp': { actions: { type: 'explainStep' as const, params: { step } } },
      'user.goBack': back,
      // Taken up again after days: the step's own question, afresh ("Bukti: 2 dari paling banyak 10", not the notice
      // that the second had just been received).
      'system.resumed': { actions: { type: 'askStep' as const, params: { step } } },
    },
  };
}

/**
 * A waiting state that shows more than its question (the review's summary): help explains and shows all of it again,
 * and so does a change of language, in the new one.
 */
function showingAgain<S extends ReturnType<typeof waiting>>(state: S, help: { target: string; actions: { type: 'explainStep'; params: StepParams } }) {
  return {
    ...state,
    on: { ...state.on, 'user.askHelp': help, 'system.localeChanged': { target: help.target }, 'system.resumed': { target: help.target } },
  };
}

/** Whether any of the report's questions past the first was answered. */
function hasAnswers({ terlapor, ...c }: ReportContext): boolean {
  return (
    terlapor.name !== null ||
    terlapor.position !== null ||
    terlapor.agency !== null ||
    terlapor.employment !== null ||
    c.category !== null ||
    c.eventDate !== null ||
    c.place !== null ||
    c.description !== null ||
    c.evidence.length > 0
  );
}

/** The first question of each part of the review, where changing it starts. */
const partTargets = {
  kind: 'choosingKind',
  terlapor: 'askingTerlaporName',
  category: 'choosingCategory',
  dates: 'askingEventDate',
  place: 'askingRegion',
  description: 'askingDescription',
  evidence: 'collectingEvidence',
  witnesses: 'askingWitnessName',
  /** The witnesses a formal report has: shown, with what can be done with them. */
  witnessChange: 'preparingWitnessChange',
  reporter: 'askingReporterName',
} as const;

/** Where a part named while another is changed leads: that part's first question (see `canSwitchPart`). */
const switchTargets: Record<string, string> = Object.fromEntries(
  Object.entries(partTargets).map(([part, target]) => [`${SWITCH_PART}${part}`, target]),
);

/** The report flow's machine. */
export const reportMachine = setup({
  types: {
    input: {} as FlowInput,
    context: {} as ReportContext,
    events: {} as InboundEvent,
    emitted: {} as FlowEmitted,
    output: {} as FlowOutput,
  },
  guards: {
    answerIs: ({ context, event }, params: OutcomeParams) => outcomeOf(context, event, params.step)?.outcome === params.outcome,
    answerIsWhileEditing: ({ context, event }, params: OutcomeParams) =>
      context.editing && outcomeOf(context, event, params.step)?.outcome === params.outcome,
    isEditing: ({ context }) => context.editing,
    // A tip being changed into a formal report from the review, not yet back at the review.
    isUnfinishedChangeToFormal: ({ context }) => context.editing && context.kind === 'formal' && context.changingToFormal === true,
    hasAnswers: ({ context }) => hasAnswers(context),
    hasPolicy: ({ context }) => context.policy !== null,
    isPolicy: ({ event }) => reportPolicyResultSchema.safeParse(commandResult(event, 'describeReportPolicy')).success,
    hasWitnesses: ({ context }) => context.personal.witnessCount > 0,
    // The witnesses given before are being added to or replaced from the review.
    isChangingWitnesses: ({ context }) => context.editing && context.personal.witnessCount > 0,
    needsTerlaporName: ({ context }) => context.kind === 'formal' && context.terlapor.name === null,
    needsEvidence: ({ context }) => context.kind === 'formal' && context.evidence.length === 0,
    learnedBeforeEvent: ({ context }) => context.learnedDate !== null && context.eventDate !== null && context.learnedDate < context.eventDate,
    needsWitnesses: ({ context }) => context.kind === 'formal' && !context.personal.witnessesAsked,
    needsReporterName: ({ context }) => context.kind === 'formal' && !context.personal.reporter.name,
    needsReporterAddress: ({ context }) => context.kind === 'formal' && !context.personal.reporter.address,
    needsReporterPhone: ({ context }) => context.kind === 'formal' && !context.personal.reporter.phone,
    needsReporterEmail: ({ context }) => context.kind === 'formal' && context.personal.reporter.email === null,
    isPersonalReady: ({ context }) => context.personal.sealed === null && !context.personal.pending,
    isPersonalUpdate: ({ event }) => updatePersonalResultSchema.safeParse(commandResult(event, 'updatePersonal')).success,
    isPersonalOpened: ({ event }) => openPersonalResultSchema.safeParse(commandResult(event, 'openPersonal')).success,
    isSubmitted: ({ event }) => {
      const result = submitReportResultSchema.safeParse(commandResult(event, 'submitReport'));
      return result.success && result.data.status !== 'limitReached';
    },
    isSubmissionRefused: ({ event }) => {
      const result = submitReportResultSchema.safeParse(commandResult(event, 'submitReport'));
      return result.success && result.data.status === 'limitReached';
    },
  },
  actions: {
    askStep: enqueueActions(({ context, event, enqueue }, params: StepParams) => {
      // The flow's start (xstate.init) carries no time of its own; every event after it does.
      const at = 'at' in event && typeof event.at === 'string' ? event.at : undefined;
      enqueue.emit({ type: 'reply', message: promptFor(params.step, context, at === undefined ? undefined : jakartaDate(at)) });
    }),
    applyAnswer: enqueueActions(({ context, event, enqueue }, params: StepParams) => {
      const outcome = outcomeOf(context, event, params.step);
      if (!outcome) return;
      const { patch } = outcome;
      if (patch) enqueue.assign(() => patch);
      for (const message of outcome.replies ?? []) enqueue.emit({ type: 'reply', message });
      for (const command of outcome.commands ?? []) enqueue.emit({ type: 'command', command });
    }),
    explainStep: enqueueActions(({ context, enqueue }, params: StepParams) => {
      enqueue.emit({ type: 'reply', message: helpFor(params.step, context) });
    }),
    sayText: enqueueActions(({ enqueue }, params: { key: string }) => {
      enqueue.emit({ type: 'reply', message: say(params.key) });
    }),
    introduce: emit({ type: 'reply', message: say('report.intro') }),
    explainUnavailableMedia: enqueueActions(({ event, enqueue }) => {
      const reason = event.type === 'user.sendUnavailableMedia' ? event.reason : 'downloadFailed';
      enqueue.emit({ type: 'reply', message: say(`report.errors.unavailable.${reason}`) });
    }),
    stopEditing: assign({ editing: false, changingToFormal: false }),
    startEditing: assign({ editing: true }),
    revertToTip: assign({ kind: 'tip' as const }),
    reopenWitnessQuestion: assign({ personal: ({ context }) => ({ ...context.personal, witnessesAsked: false }) }),
    closeWitnessQuestion: assign({ personal: ({ context }) => ({ ...context.personal, witnessesAsked: true }) }),
    keepWitnesses: assign({ personal: ({ context }) => ({ ...context.personal, witnessesAsked: true, keepingWitnesses: false }) }),
    reopenLastWitness: enqueueActions(({ context, enqueue }) => {
      enqueue.emit({
        type: 'command',
        command: { type: 'updatePersonal', sealed: context.personal.sealed, op: { type: 'reopenLastWitness' } },
      });
      enqueue.assign({
        personal: {
          ...context.personal,
          witnessCount: Math.max(0, context.personal.witnessCount - 1),
          pendingWitness: true,
          witnessesAsked: false,
          pending: true,
        },
      });
    }),
    storeSealed: assign({
      personal: ({ context, event }) => {
        const result = updatePersonalResultSchema.parse(commandResult(event, 'updatePersonal'));
        return { ...context.personal, sealed: result.sealed, pending: false };
      },
    }),
    requestPersonal: enqueueActions(({ context, enqueue }) => {
      const { sealed, pending } = context.personal;
      if (sealed !== null && !pending) enqueue.emit({ type: 'command', command: { type: 'openPersonal', sealed } });
    }),
    showWitnesses: enqueueActions(({ event, enqueue }) => {
      const opened = openPersonalResultSchema.safeParse(commandResult(event, 'openPersonal'));
      if (opened.success) enqueue.emit({ type: 'reply', message: witnessListMessage(opened.data.personal) });
    }),
    showSummary: enqueueActions(({ context, event, enqueue }) => {
      const opened = openPersonalResultSchema.safeParse(commandResult(event, 'openPersonal'));
      for (const message of reviewMessages(context, opened.success ? opened.data.personal : null)) {
        enqueue.emit({ type: 'reply', message });
      }
    }),
    requestSubmission: enqueueActions(({ context, enqueue }) => {
      const draft = toDraft(context);
      if (draft) enqueue.emit({ type: 'command', command: { type: 'submitReport', draft } });
    }),
    announceSubmission: enqueueActions(({ context, event, enqueue }) => {
      const result = submitReportResultSchema.parse(commandResult(event, 'submitReport'));
      for (const message of submittedMessages(context, result)) enqueue.emit({ type: 'reply', message });
    }),
    requestPolicy: enqueueActions(({ context, enqueue }) => {
      if (context.policy === null) enqueue.emit({ type: 'command', command: { type: 'describeReportPolicy' } });
    }),
    storePolicy: enqueueActions(({ event, enqueue }) => {
      const policy = reportPolicyResultSchema.parse(commandResult(event, 'describeReportPolicy'));
      enqueue.assign({ policy });
      // Said before the questions rather than at sending: the draft can still be written now and sent later.
      if (policy.dailyLimitReached !== undefined) {
        enqueue.emit({ type: 'reply', message: say('report.limitReachedAtStart', { limit: policy.dailyLimitReached, days: policy.draftDays }) });
      }
    }),
    forgetPersonal: assign({ personal: () => emptyPersonalState() }),
  },
}).createMachine({
  id: 'report',
  context: ({ input }) => emptyReport(input.at),
  initial: 'choosingKind',
  on: {
    // A sealed update that finished after the flow moved on (the next question was asked in the same turn).
    'system.commandResult': { guard: 'isPersonalUpdate', actions: 'storeSealed' },
  },
  states: {
    choosingKind: waiting('choosingKind', {
      entry: ['introduce'],
      outcomes: { chosen: 'preparingConsent', unchanged: 'checkingDraft', toFormal: 'preparingConsent', toTip: 'checkingDraft' },
      backTransitions: [
        { guard: 'isEditing', target: 'checkingDraft' },
        // Back past the first question with answers given would throw them away: /batal is the way to do that.
        {
          guard: 'hasAnswers',
          actions: [{ type: 'sayText', params: { key: 'report.errors.backAtStart' } }, { type: 'askStep', params: { step: 'choosingKind' } }],
        },
        { target: 'done' },
      ],
    }),
    /** Fetches the storage periods the privacy notice states (once per draft). */
    preparingConsent: {
      entry: 'requestPolicy',
      always: { guard: 'hasPolicy', target: 'consenting' },
      on: {
        'system.commandResult': { guard: 'isPolicy', target: 'consenting', actions: 'storePolicy' },
        'user.sendText': { target: 'preparingConsent', reenter: true },
        'user.chooseOption': { target: 'preparingConsent', reenter: true },
      },
    },
    consenting: waiting('consenting', {
      outcomes: {
        agree: 'askingTerlaporName',
        agreeEditing: 'checkingDraft',
        agreePastDeadline: 'offeringTipConversion',
        decline: 'done',
        declineEditing: 'checkingDraft',
      },
      backTransitions: [
        { guard: 'isEditing', target: 'checkingDraft', actions: 'revertToTip' },
        { target: 'choosingKind' },
      ],
    }),
    askingTerlaporName: waiting('askingTerlaporName', { outcomes: { ok: 'askingTerlaporPosition' }, back: 'consenting' }),
    askingTerlaporPosition: waiting('askingTerlaporPosition', { outcomes: { ok: 'askingTerlaporAgency' }, back: 'askingTerlaporName' }),
    askingTerlaporAgency: waiting('askingTerlaporAgency', {
      outcomes: { ok: 'askingEmployment', okEmploymentFromPosition: 'choosingCategory' },
      back: 'askingTerlaporPosition',
    }),
    askingEmployment: waiting('askingEmployment', {
      outcomes: { ok: { editing: 'checkingDraft', otherwise: 'choosingCategory' } },
      back: 'askingTerlaporAgency',
    }),
    choosingCategory: waiting('choosingCategory', {
      outcomes: { ok: { editing: 'checkingDraft', otherwise: 'askingEventDate' } },
      back: 'askingEmployment',
    }),
    askingEventDate: waiting('askingEventDate', { outcomes: { ok: 'askingLearnedDate' }, back: 'choosingCategory' }),
    askingLearnedDate: waiting('askingLearnedDate', {
      outcomes: { ok: { editing: 'checkingDraft', otherwise: 'askingRegion' }, pastDeadline: 'offeringTipConversion' },
      back: 'askingEventDate',
    }),
    offeringTipConversion: waiting('offeringTipConversion', {
      outcomes: { convert: { editing: 'checkingDraft', otherwise: 'askingRegion' }, cancel: 'done' },
      back: 'askingLearnedDate',
    }),
    askingRegion: waiting('askingRegion', {
      outcomes: {
        placed: 'askingPlaceDetail',
        choices: 'choosingRegion',
        district: 'confirmingDistrict',
        province: 'askingRegencyInProvince',
        pin: STAY_AND_ASK,
      },
      back: 'askingLearnedDate',
    }),
    choosingRegion: waiting('choosingRegion', {
      outcomes: {
        placed: 'askingPlaceDetail',
        choices: { reenter: 'choosingRegion' },
        district: 'confirmingDistrict',
        province: 'askingRegencyInProvince',
        retry: 'askingRegion',
        pin: STAY_AND_ASK,
      },
      back: 'askingRegion',
    }),
    confirmingDistrict: waiting('confirmingDistrict', {
      outcomes: {
        placed: 'askingPlaceDetail',
        retry: 'askingRegion',
        choices: 'choosingRegion',
        district: { reenter: 'confirmingDistrict' },
        province: 'askingRegencyInProvince',
      },
      back: 'askingRegion',
    }),
    askingRegencyInProvince: waiting('askingRegencyInProvince', {
      outcomes: {
        placed: 'askingPlaceDetail',
        choices: 'choosingRegion',
        district: 'confirmingDistrict',
        retry: 'askingRegion',
        pin: STAY_AND_ASK,
      },
      back: 'askingRegion',
    }),
    askingPlaceDetail: waiting('askingPlaceDetail', {
      outcomes: { ok: { editing: 'checkingDraft', otherwise: 'askingDescription' }, elsewhere: 'confirmingPlaceDetail' },
      back: 'askingRegion',
    }),
    /** The detail names a district or regency other than the chosen place: which one decides the office. */
    confirmingPlaceDetail: waiting('confirmingPlaceDetail', {
      outcomes: {
        placed: { editing: 'checkingDraft', otherwise: 'askingDescription' },
        kept: { editing: 'checkingDraft', otherwise: 'askingDescription' },
      },
      // Back is to write the detail again, while editing too (the review would show the detail in question).
      backTransitions: [{ target: 'askingPlaceDetail' }],
    }),
    askingDescription: waiting('askingDescription', {
      outcomes: { ok: { editing: 'checkingDraft', otherwise: 'collectingEvidence' } },
      back: 'askingPlaceDetail',
    }),
    collectingEvidence: waiting('collectingEvidence', {
      outcomes: {
        added: STAY,
        kept: STAY,
        clear: 'confirmingEvidenceClear',
        pin: STAY_AND_ASK,
        done: 'checkingDraft',
        none: 'confirmingNoEvidence',
      },
      back: 'askingDescription',
    }),
    /**
     * "Delete all evidence" chosen: asked before every file and link goes. Taken up again after the report was left
     * here, the evidence question comes back instead: a returning "ya" meant to carry on must not delete it all.
     */
    confirmingEvidenceClear: (() => {
      const state = waiting('confirmingEvidenceClear', {
        outcomes: { cleared: 'collectingEvidence', kept: 'collectingEvidence' },
        back: 'collectingEvidence',
      });
      return { ...state, on: { ...state.on, 'system.resumed': { target: 'collectingEvidence' } } };
    })(),
    confirmingNoEvidence: waiting('confirmingNoEvidence', {
      outcomes: { continue: 'checkingDraft', add: 'collectingEvidence' },
      back: 'collectingEvidence',
    }),
    /** Opens the sealed witnesses, to show them before asking what to do with them. */
    preparingWitnessChange: {
      entry: 'requestPersonal',
      on: {
        'system.commandResult': [
          { guard: 'isPersonalOpened', target: 'choosingWitnessChange', actions: 'showWitnesses' },
          { guard: 'isPersonalUpdate', actions: ['storeSealed', 'requestPersonal'] },
        ],
        'user.sendText': { target: 'preparingWitnessChange', reenter: true },
        'user.chooseOption': { target: 'preparingWitnessChange', reenter: true },
      },
    },
    /** From the review: the witnesses given are kept, added to, replaced or removed, as the reporter says. */
    choosingWitnessChange: waiting('choosingWitnessChange', {
      outcomes: { keep: 'checkingDraft', add: 'askingWitnessName', replace: 'askingWitnessName', clear: 'checkingDraft' },
      backTransitions: [{ target: 'checkingDraft', actions: 'keepWitnesses' }],
    }),
    askingWitnessName: waiting('askingWitnessName', {
      // `noted`: a name with its phone number, in one answer.
      outcomes: { ok: 'askingWitnessContact', skip: 'checkingDraft', noted: 'askingMoreWitnesses', full: 'checkingDraft' },
      backTransitions: [
        // Back from a witness added or replacing those given before: the witnesses as they are, and the choice again.
        { guard: 'isChangingWitnesses', target: 'preparingWitnessChange', actions: 'keepWitnesses' },
        { guard: 'hasWitnesses', target: 'askingMoreWitnesses' },
        // The part's first question, while the witnesses are given anew: back to the review with none (as "Lewati"),
        // not round to this question again.
        { guard: 'isEditing', target: 'checkingDraft', actions: 'closeWitnessQuestion' },
        { target: 'collectingEvidence' },
      ],
    }),
    askingWitnessContact: waiting('askingWitnessContact', {
      outcomes: { ok: 'askingMoreWitnesses', full: 'checkingDraft' },
      back: 'askingWitnessName',
    }),
    askingMoreWitnesses: waiting('askingMoreWitnesses', {
      // A yes with the next witness's name (`named`), or its name and number (`noted`, `full`), in one answer.
      outcomes: { yes: 'askingWitnessName', no: 'checkingDraft', named: 'askingWitnessContact', noted: { reenter: 'askingMoreWitnesses' }, full: 'checkingDraft' },
      backTransitions: [{ target: 'askingWitnessContact', actions: 'reopenLastWitness' }],
    }),
    askingReporterName: waiting('askingReporterName', {
      outcomes: { ok: 'askingReporterAddress', tipInstead: 'checkingDraft' },
      backTransitions: [
        {
          guard: 'isUnfinishedChangeToFormal',
          target: 'checkingDraft',
          actions: ['revertToTip', 'forgetPersonal', { type: 'sayText', params: { key: 'report.consent.keptAsTip' } }],
        },
        { guard: 'isEditing', target: 'checkingDraft' },
        { guard: 'hasWitnesses', target: 'askingMoreWitnesses', actions: 'reopenWitnessQuestion' },
        { target: 'askingWitnessName', actions: 'reopenWitnessQuestion' },
      ],
    }),
    askingReporterAddress: waiting('askingReporterAddress', { outcomes: { ok: 'askingReporterPhone', tipInstead: 'checkingDraft' }, back: 'askingReporterName' }),
    askingReporterPhone: waiting('askingReporterPhone', {
      outcomes: { ok: 'askingReporterEmail', tipInstead: 'checkingDraft' },
      back: 'askingReporterAddress',
    }),
    askingReporterEmail: waiting('askingReporterEmail', { outcomes: { ok: 'checkingDraft' }, back: 'askingReporterPhone' }),

    /** Walks to whatever a formal report still lacks, then to the review. */
    checkingDraft: {
      always: [
        // Going back from a changed event date to the review could leave the learned date before it.
        { guard: 'learnedBeforeEvent', target: 'askingLearnedDate', actions: { type: 'sayText', params: { key: 'report.review.datesOutOfOrder' } } },
        { guard: 'needsTerlaporName', target: 'askingTerlaporName', actions: { type: 'sayText', params: { key: 'report.review.formalNeedsTerlapor' } } },
        { guard: 'needsEvidence', target: 'collectingEvidence', actions: { type: 'sayText', params: { key: 'report.evidence.formalNeedsEvidence' } } },
        { guard: 'needsWitnesses', target: 'askingWitnessName' },
        { guard: 'needsReporterName', target: 'askingReporterName', actions: { type: 'sayText', params: { key: 'report.reporter.intro' } } },
        { guard: 'needsReporterAddress', target: 'askingReporterAddress' },
        { guard: 'needsReporterPhone', target: 'askingReporterPhone' },
        { guard: 'needsReporterEmail', target: 'askingReporterEmail' },
        { target: 'preparingReview' },
      ],
    },
    /** Opens the sealed personal data (formal reports) so the summary can show it; a tip goes straight on. */
    preparingReview: {
      entry: 'requestPersonal',
      always: { guard: 'isPersonalReady', target: 'reviewing', actions: 'showSummary' },
      on: {
        'system.commandResult': [
          { guard: 'isPersonalOpened', target: 'reviewing', actions: 'showSummary' },
          { guard: 'isPersonalUpdate', actions: ['storeSealed', 'requestPersonal'] },
        ],
        'user.sendText': { target: 'preparingReview', reenter: true },
        'user.chooseOption': { target: 'preparingReview', reenter: true },
      },
    },
    reviewing: showingAgain(
      waiting('reviewing', {
        entry: ['stopEditing'],
        outcomes: {
          confirm: 'checkingBeforeSubmission',
          pastDeadline: 'offeringTipConversion',
          edit: 'choosingEditField',
          cancel: 'confirmingCancel',
          // A part named at the review ("ubah uraian"): its questions at once.
          ...partTargets,
        },
        backTransitions: [{ target: 'choosingEditField' }],
      }),
      // Help at the review shows the summary again: after a while (or a restart of the terminal) it is out of sight.
      { target: 'preparingReview', actions: { type: 'explainStep', params: { step: 'reviewing' } } },
    ),
    // "Kembali ke ringkasan" shows the summary again, as its label says.
    choosingEditField: waiting('choosingEditField', {
      outcomes: { ...partTargets, back: 'preparingReview' },
      backTransitions: [{ target: 'preparingReview' }],
    }),
    confirmingCancel: waiting('confirmingCancel', {
      outcomes: { yes: 'done', no: 'reviewing' },
      backTransitions: [{ target: 'reviewing' }],
    }),
    /**
     * A draft saved before the dates were checked on the way to the review may hold them out of order: its learned
     * date is asked again (as a change from the review) rather than filed.
     */
    checkingBeforeSubmission: {
      always: [
        { guard: 'learnedBeforeEvent', target: 'checkingDraft', actions: 'startEditing' },
        { target: 'submitting' },
      ],
    },
    /** The ticket is created by the bot in this same turn; its answer says what to show. */
    submitting: {
      entry: 'requestSubmission',
      on: {
        'system.commandResult': [
          { guard: 'isSubmitted', target: 'done', actions: ['announceSubmission', 'forgetPersonal'] },
          { guard: 'isSubmissionRefused', target: 'reviewing', actions: 'announceSubmission' },
        ],
        'user.sendText': { target: 'submitting', reenter: true },
        'user.chooseOption': { target: 'submitting', reenter: true },
      },
    },
    done: { type: 'final' },
  },
});

/** The report flow as the runtime registers it. */
export const reportFlow: FlowDefinition = {
  id: 'report',
  version: 1,
  machine: reportMachine,
  contextSchema: reportContextSchema,
  // Past the first question there is a draft to lose, and at it too once answers were given (back from later
  // questions, or the kind changed from the review).
  hasUnsavedWork: ({ value, context }) =>
    value !== 'done' && (value !== 'choosingKind' || hasAnswers(context as ReportContext) || (context as ReportContext).editing),
  // A report that reached its review is whole: /batal there, or while changing a part of it, asks before throwing it
  // away (someone changing one answer may mean to cancel the change). Before the review it asks once the account of
  // what happened is written (the longest answer, and evidence may follow); before that it leaves at once.
  confirmsCancel: ({ value, context }) =>
    isWhole(value, context as ReportContext) || value === 'confirmingCancel' || hasAccount(context as ReportContext),
  leaveQuestion: ({ value, context }, why, target) => {
    if (why === 'cancel') {
      return !isWhole(value, context as ReportContext) && hasAccount(context as ReportContext) ? { key: 'report.cancelDraftConfirm' } : undefined;
    }
    // Left for another command, the draft is kept (`keepsDraft`); "/lapor" again starts over, as the common question says.
    const days = (context as ReportContext).policy?.draftDays ?? 7;
    return target.flow === 'report' ? undefined : { key: 'report.leaveKeepsDraft', params: { days } };
  },
  // A report left for another command ("/status" to look at an earlier one, "/belajar" to check the rules) is kept and
  // goes on from the same question at the next "/lapor"; the draft purge drops it after DRAFT_TTL_DAYS.
  keepsDraft: { kept: 'report.draftKept', resumed: 'report.draftResumed', waiting: 'report.draftWaiting' },
};

/** Whether the report reached its review: shown, or one of its parts being changed from it. */
function isWhole(value: unknown, context: ReportContext): boolean {
  return context.editing || value === 'reviewing' || value === 'choosingEditField';
}

/** Whether the draft holds the account of what happened, or evidence. */
function hasAccount(context: ReportContext): boolean {
  return context.description !== null || context.evidence.length > 0;
}
