/**
 * Checks a quiz certificate: `/verifikasi ABCD-EFGH-JKLM` (or the code typed when asked) is looked up through the
 * `verifyCertificate` command; the answer says whether it is genuine, with the name, date and score, or that the
 * code is unknown (naming the registered code it may be a typo of). A report's code given instead ("cek sertifikat
 * NTR-7K3P-9QXA") is said to be one and handed to the status check, which is what its holder can do with it.
 */
import { assign, emit, setup } from 'xstate';
import { z } from 'zod';
import type { FlowDefinition, FlowEmitted, FlowInput, FlowOutput } from '../flow.ts';
import { ask, say, type InboundEvent, type OutboundMessage } from '../messages.ts';
import { isUnknownWord, isYesToOffer } from '../report/answerWords.ts';
import { formatDate } from '../report/parseDate.ts';
import { normaliseForMatch } from '../shared/texts.ts';
import { percentOf } from '../quiz/scoring.ts';
import { prefixedTicketCode } from '../status/ticketCode.ts';
import { hasLeftOutCharacter, miscountedCodeLength, typedCertificateCode } from './certificateCode.ts';
import { verifyCertificateResultSchema, type VerifyCertificateResult } from './verifyCommands.ts';

export const verifyContextSchema = z.object({
  /** The canonical code being checked. */
  code: z.string().nullable(),
  /** True when `/verifikasi` came with something that is not a code. */
  invalidArgs: z.boolean(),
  /** How many characters the code given with `/verifikasi` had, when it was one with some missing or extra. */
  typedLength: z.number().int().optional(),
  /** A report's code (`NTR-…`) given instead of a certificate's: handed to the status check as the flow ends. */
  reportCode: z.string().optional(),
  /** The registered code just named as the one a code not found may be: a "ya" checks it. */
  suggestion: z.string().optional(),
});
type VerifyContext = z.infer<typeof verifyContextSchema>;

/**
 * The answer for a lookup result. A code not found may be a typo: the one registered code it would be with a
 * look-alike character changed is named (not its holder: that shows once the user sends it). Without one, a code with
 * a character no code has (O, I, 0, 1) is simply no Netra code.
 */
export function verificationMessage(code: string, result: VerifyCertificateResult): OutboundMessage {
  if (!result.found && result.suggestion) return say('verify.lookAlike', { code, suggestion: result.suggestion });
  if (!result.found) return hasLeftOutCharacter(code) ? say('verify.leftOutCharacter', { code }) : say('verify.unknown', { code });
  const { certificate } = result;
  return say('verify.valid', {
    code: certificate.code,
    name: certificate.name ?? { key: certificate.nameRemoved ? 'verify.nameRemoved' : 'verify.noName' },
    date: { id: formatDate(certificate.issuedOn, 'id'), en: formatDate(certificate.issuedOn, 'en') },
    score: certificate.score,
    total: certificate.total,
    percent: percentOf(certificate.score, certificate.total),
  });
}

function typedCode(event: InboundEvent): string | undefined {
  return event.type === 'user.sendText' ? typedCertificateCode(event.text) : undefined;
}

function typedReportCode(event: InboundEvent): string | undefined {
  return event.type === 'user.sendText' ? prefixedTicketCode(event.text) : undefined;
}

function lookupResult(event: InboundEvent): VerifyCertificateResult | undefined {
  if (event.type !== 'system.commandResult' || event.command !== 'verifyCertificate') return undefined;
  return verifyCertificateResultSchema.safeParse(event.result).data;
}

/** Words of a code forgotten or lost ("lupa kodenya", "sertifikatnya hilang", "I forgot it"), without a code. */
const FORGOTTEN = /^(?:\p{L}+ )*(?:lupa|hilang|ilang|forgot|forget|lost|gatau|gak tau|ga tau|tidak tahu)(?: \p{L}+)*$/u;

/** Three groups of four letters or digits, as a code is printed and typed ("ABCD-EFGH-JKLM", "abcd efgh jklm"). */
const CODE_GROUPS = /(?:^|[^\p{L}\p{N}])[\p{L}\p{N}]{4}[\s\-–—._]?[\p{L}\p{N}]{4}[\s\-–—._]?[\p{L}\p{N}]{4}(?![\p{L}\p{N}])/u;

/** Asking for the check again, without a code ("cek sertifikat", "verifikasi kode", "check certificate"). */
const CHECK_REQUEST =
  /^(?:(?:tolong|mau|saya mau|ingin|please|i want to)\s+)?(?:cek|check|periksa|verifikasi|verify|validasi)(?:\s+(?:sertifikat|sertifikatnya|certificate|kode|kodenya|code|keaslian|keasliannya|the|a|my))*$/;

/** Asking for a certificate by its holder's name ("cek sertifikat atas nama Sri"), which the check does not do. */
const BY_NAME = /(?:^|\s)(?:atas nama|a\.n\.?|an\.|nama|namanya|name|named|by name)(?:\s|$)/;

function isForgotten(text: string): boolean {
  return isUnknownWord(text) || FORGOTTEN.test(normaliseForMatch(text));
}

export const verifyMachine = setup({
  types: {
    input: {} as FlowInput,
    context: {} as VerifyContext,
    events: {} as InboundEvent,
    emitted: {} as FlowEmitted,
    output: {} as FlowOutput,
  },
  guards: {
    // "Lupa kodenya", "gatau kodenya", "I lost it": where the code is, and how one's own certificate comes again.
    // Asked before the code: "gatau kodenya" has twelve letters, which would read as one. A message that holds three
    // groups of four, as codes are written, is read as a code.
    isForgottenCode: ({ event }) => event.type === 'user.sendText' && isForgotten(event.text) && !CODE_GROUPS.test(event.text),
    isCheckRequest: ({ event }) => event.type === 'user.sendText' && CHECK_REQUEST.test(normaliseForMatch(event.text)),
    // A name holds no digit, a code nearly always one: "atas nama Sri Wahyuningsih" is no code, whatever its twelve letters.
    isNameLookup: ({ event }) => event.type === 'user.sendText' && !/\d/.test(event.text) && BY_NAME.test(normaliseForMatch(event.text)),
    isYesToSuggestion: ({ context, event }) => context.suggestion !== undefined && event.type === 'user.sendText' && isYesToOffer(event.text),
    hasCode: ({ context }) => context.code !== null,
    hasInvalidArgs: ({ context }) => context.invalidArgs,
    hasReportCode: ({ context }) => context.reportCode !== undefined,
    isCode: ({ event }) => typedCode(event) !== undefined,
    isReportCode: ({ event }) => typedReportCode(event) !== undefined,
    isLookupResult: ({ event }) => lookupResult(event) !== undefined,
    isUnknownCode: ({ event }) => lookupResult(event)?.found === false,
  },
  actions: {
    askCode: emit({ type: 'reply', message: ask('verify.askCode') }),
    // A code a character or two short or long is told so, with the count: "no Netra code" would call it a fake.
    explainCode: emit(({ context, event }) => {
      const count = event.type === 'user.sendText' ? miscountedCodeLength(event.text) : context.typedLength;
      return { type: 'reply' as const, message: count === undefined ? say('verify.invalidCode') : say('verify.wrongLength', { count }) };
    }),
    explainWhereCodeIs: emit({ type: 'reply', message: say('verify.forgottenCode') }),
    // A report's code is not a certificate's: say so, and that the status check (which follows) is where it is used.
    explainReportCode: emit(({ context }) => ({ type: 'reply' as const, message: say('verify.ticketCode', { code: context.reportCode ?? '' }) })),
    saveReportCode: assign({ reportCode: ({ event }) => typedReportCode(event) }),
    explainVerify: emit({ type: 'reply', message: say('verify.help') }),
    saveCode: assign({ code: ({ event }) => typedCode(event) ?? null, suggestion: undefined }),
    takeSuggestion: assign({ code: ({ context }) => context.suggestion ?? null, suggestion: undefined }),
    rememberSuggestion: assign({
      suggestion: ({ event }) => {
        const result = lookupResult(event);
        return result && !result.found ? result.suggestion : undefined;
      },
    }),
    explainByCodeOnly: emit({ type: 'reply', message: say('verify.byCodeOnly') }),
    lookUp: emit(({ context }) => ({
      type: 'command' as const,
      command: { type: 'verifyCertificate', code: context.code },
    })),
    answer: emit(({ context, event }) => {
      const result = lookupResult(event) ?? { found: false as const };
      return { type: 'reply' as const, message: verificationMessage(context.code ?? '', result) };
    }),
    sayFailure: emit({ type: 'reply', message: say('common.error') }),
  },
}).createMachine({
  id: 'verify',
  context: ({ input }) => {
    const args = typeof input.params.args === 'string' ? input.params.args.trim() : '';
    const code = args ? (typedCertificateCode(args) ?? null) : null;
    const reportCode = code === null ? prefixedTicketCode(args) : undefined;
    const typedLength = code === null && reportCode === undefined ? miscountedCodeLength(args) : undefined;
    return { code, invalidArgs: args !== '' && code === null, ...(reportCode ? { reportCode } : {}), ...(typedLength ? { typedLength } : {}) };
  },
  initial: 'starting',
  states: {
    starting: {
      always: [
        { guard: 'hasCode', target: 'checking' },
        { guard: 'hasReportCode', target: 'done', actions: 'explainReportCode' },
        { guard: 'hasInvalidArgs', target: 'askingCode', actions: 'explainCode' },
        { target: 'askingCode' },
      ],
    },
    askingCode: {
      entry: 'askCode',
      on: {
        'user.sendText': [
          { guard: 'isForgottenCode', actions: ['explainWhereCodeIs', 'askCode'] },
          // "Cek sertifikat" typed again: the question again, not "that is no Netra code".
          { guard: 'isCheckRequest', actions: 'askCode' },
          // "Ya" after "Mungkin maksud Anda …?": that code.
          { guard: 'isYesToSuggestion', target: 'checking', actions: 'takeSuggestion' },
          // Certificates are found by their code only; a name is never searched for (nor read as a code: "WAHYUNINGSIH").
          { guard: 'isNameLookup', actions: ['explainByCodeOnly', 'askCode'] },
          { guard: 'isCode', target: 'checking', actions: 'saveCode' },
          { guard: 'isReportCode', target: 'done', actions: ['saveReportCode', 'explainReportCode'] },
          { actions: ['explainCode', 'askCode'] },
        ],
        'user.askHelp': { actions: 'explainVerify' },
        // Back from the only question leaves, as the status check's first question does.
        'user.goBack': { target: 'done' },
      },
    },
    checking: {
      entry: 'lookUp',
      on: {
        'system.commandResult': [
          // A code not found may be a typo: the corrected one can be sent straight away.
          { guard: 'isUnknownCode', target: 'askingCode', actions: ['answer', 'rememberSuggestion'] },
          { guard: 'isLookupResult', target: 'done', actions: 'answer' },
          { target: 'done', actions: 'sayFailure' },
        ],
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => (context.reportCode ? { next: { flow: 'status' as const, params: { args: context.reportCode } } } : {}),
});

/**
 * The part of `/verifikasi`'s arguments that may ride in a button's value while the runtime asks before leaving another
 * flow: the code in its canonical form (a certificate's, or a report's, which the check hands on), nothing else typed.
 */
export function verifyCarriedArgs(params: Record<string, unknown>): string | undefined {
  const args = typeof params.args === 'string' ? params.args.trim() : '';
  return args ? (typedCertificateCode(args) ?? prefixedTicketCode(args)) : undefined;
}

/**
 * Certificate verification as the runtime registers it; `carriedArgs` is what of `/verifikasi`'s arguments the runtime
 * may keep through its "leave the flow?" question.
 */
export const verifyFlow: FlowDefinition & { carriedArgs: typeof verifyCarriedArgs } = {
  id: 'verify',
  version: 1,
  machine: verifyMachine,
  contextSchema: verifyContextSchema,
  carriedArgs: verifyCarriedArgs,
};
