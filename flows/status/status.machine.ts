/**
 * "Cek status laporan" (`/status`): the reports filed from this chat, each with its history on request; and any
 * report by its code and secret receipt, from another device (`/status NTR-XXXX-XXXX 1234 5678 9012 3456`, or
 * asked one at a time). The receipt passes through the context only within the turn that checks it, so it is
 * never stored with the conversation.
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import { z } from 'zod';
import type { FlowDefinition, FlowEmitted, FlowInput, FlowOutput } from '../flow.ts';
import { ask, choice, say, type InboundEvent } from '../messages.ts';
import {
  checkTicketResultSchema,
  listMyReportsResultSchema,
  showMyTicketResultSchema,
} from './statusCommands.ts';
import { reportListMessage, ticketMessage } from './statusViews.ts';
import { parseReceipt, parseStatusArgs, parseTicketCode, textBesideCode } from './ticketCode.ts';

/** What the status flow remembers between turns (never a receipt). */
export const statusContextSchema = z.object({
  /** The code being looked up. */
  code: z.string().nullable(),
  /** A receipt to check in this turn; always null between turns. */
  pendingReceipt: z.string().nullable(),
  /** Codes of this chat's reports as last listed (offered as choices). */
  codes: z.array(z.string()),
  /** `/status` came with arguments that were neither a code nor a receipt. */
  badArgs: z.boolean(),
  /** The code whose receipt just did not match: a corrected receipt sent alone is checked with it. */
  failedCode: z.string().nullable().optional(),
  /** The user asked to check a certificate instead (a report's code had been given for one): handed to the check. */
  toVerify: z.boolean().optional(),
});
type StatusContext = z.infer<typeof statusContextSchema>;

/** Most reports listed at once. */
export const LISTED_REPORTS = 5;

function resultOf(event: InboundEvent, command: string): unknown {
  return event.type === 'system.commandResult' && event.command === command ? event.result : undefined;
}

/** Fewest words of an account of what happened typed at the status check, pointed to the report. */
const STORY_MIN_WORDS = 6;

/** A wish to check a certificate, typed where a report's code or receipt is asked ("sy cuma mau cek sertifikat"). */
const CERTIFICATE_WORDS = /(?:^|[^\p{L}])(?:sertifikat|sertifikatnya|sertif|certificate)(?:$|[^\p{L}])/iu;

function textOf(event: InboundEvent): string | undefined {
  return event.type === 'user.sendText' ? event.text : undefined;
}

function initialContext(input: FlowInput): StatusContext {
  const args = typeof input.params.args === 'string' ? input.params.args : '';
  const parsed = parseStatusArgs(args);
  // "/status 7K3P-9QXA" without the prefix is still a code.
  const code = parsed.code ?? parseTicketCode(args) ?? null;
  const beside = code ? textBesideCode(args) : '';
  const receipt = code ? (parseReceipt(beside) ?? null) : null;
  return {
    code,
    pendingReceipt: receipt,
    codes: [],
    // Neither a code, or a code with something beside it that is not a receipt ("/status NTR-… 1234").
    badArgs: args.trim() !== '' && (code === null || (receipt === null && beside !== '')),
  };
}

/** The status flow's machine. */
export const statusMachine = setup({
  types: {
    input: {} as FlowInput,
    context: {} as StatusContext,
    events: {} as InboundEvent,
    emitted: {} as FlowEmitted,
    output: {} as FlowOutput,
  },
  guards: {
    asksForCertificate: ({ event }) => CERTIFICATE_WORDS.test(textOf(event) ?? ''),
    /** An account of what happened typed here ("kepala sekolah nyuruh guru pilih calon tertentu, gmn?"). */
    isStory: ({ event }) => (textOf(event) ?? '').trim().split(/\s+/).length >= STORY_MIN_WORDS,
    hasCodeAndReceipt: ({ context }) => context.code !== null && context.pendingReceipt !== null,
    hasCode: ({ context }) => context.code !== null,
    hasCodeAndBadArgs: ({ context }) => context.code !== null && context.badArgs,
    hasBadArgs: ({ context }) => context.badArgs,
    isListResult: ({ event }) => listMyReportsResultSchema.safeParse(resultOf(event, 'listMyReports')).success,
    isOwnTicketFound: ({ event }) => {
      const result = showMyTicketResultSchema.safeParse(resultOf(event, 'showMyTicket'));
      return result.success && result.data.status === 'found';
    },
    isOwnTicketResult: ({ event }) => showMyTicketResultSchema.safeParse(resultOf(event, 'showMyTicket')).success,
    isCheckResult: ({ event }) => checkTicketResultSchema.safeParse(resultOf(event, 'checkTicket')).success,
    isListedChoice: ({ context, event }) =>
      event.type === 'user.chooseOption' && event.value.startsWith('t:') && context.codes.includes(event.value.slice(2)),
    isListedCodeTyped: ({ context, event }) => {
      const code = parseTicketCode(textOf(event) ?? '');
      return code !== undefined && context.codes.includes(code);
    },
    isCodeAndReceiptTyped: ({ event }) => {
      const parsed = parseStatusArgs(textOf(event) ?? '');
      return parsed.code !== undefined && parsed.receipt !== undefined;
    },
    isCodeTyped: ({ event }) => parseTicketCode(textOf(event) ?? '') !== undefined,
    isReceiptTyped: ({ event }) => parseReceipt(textOf(event) ?? '') !== undefined,
    /** A receipt alone after a code was looked up (the one corrected after "does not match"). */
    isReceiptForCode: ({ context, event }) => Boolean(context.failedCode) && parseReceipt(textOf(event) ?? '') !== undefined,
    isLookupChoice: ({ event }) => event.type === 'user.chooseOption' && event.value === 'lookup',
    isMenuChoice: ({ event }) => event.type === 'user.chooseOption' && event.value === 'menu',
  },
  actions: {
    handToVerify: assign({ toVerify: true }),
    pointToReport: emit({ type: 'reply', message: say('status.storyHere') }),
    explainBadArgs: emit({ type: 'reply', message: say('status.badArgs') }),
    requestList: emit({ type: 'command', command: { type: 'listMyReports' } }),
    showList: enqueueActions(({ event, enqueue }) => {
      const result = listMyReportsResultSchema.parse(resultOf(event, 'listMyReports'));
      enqueue.emit({ type: 'reply', message: reportListMessage(result.tickets, result.total) });
      enqueue.assign({ codes: result.tickets.map((t) => t.code) });
    }),
    askNext: enqueueActions(({ context, enqueue }) => {
      enqueue.emit({
        type: 'reply',
        message: ask(context.codes.length > 0 ? 'status.askNext' : 'status.askNextNoList', undefined, [
          ...context.codes.map((code) => ({ value: `t:${code}`, label: { literal: code } })),
          choice('lookup', 'status.lookup'),
          choice('menu', 'status.menu'),
        ]),
      });
    }),
    rememberChosenCode: assign({
      code: ({ event }) => (event.type === 'user.chooseOption' ? event.value.slice(2) : null),
    }),
    rememberTypedCode: assign({ code: ({ event }) => parseTicketCode(textOf(event) ?? '') ?? null }),
    rememberCodeAndReceipt: assign(({ event }) => {
      const parsed = parseStatusArgs(textOf(event) ?? '');
      return { code: parsed.code ?? null, pendingReceipt: parsed.receipt ?? null };
    }),
    rememberReceipt: assign({ pendingReceipt: ({ event }) => parseReceipt(textOf(event) ?? '') ?? null }),
    retryFailedCode: assign({
      code: ({ context }) => context.failedCode ?? null,
      pendingReceipt: ({ event }) => parseReceipt(textOf(event) ?? '') ?? null,
    }),
    requestOwnTicket: enqueueActions(({ context, enqueue }) => {
      if (context.code) enqueue.emit({ type: 'command', command: { type: 'showMyTicket', code: context.code } });
    }),
    showOwnTicket: enqueueActions(({ event, enqueue }) => {
      enqueue.assign({ failedCode: null });
      const result = showMyTicketResultSchema.parse(resultOf(event, 'showMyTicket'));
      enqueue.emit({ type: 'reply', message: result.status === 'found' ? ticketMessage(result.ticket) : say('status.notFound') });
    }),
    requestCheck: enqueueActions(({ context, enqueue }) => {
      if (context.code && context.pendingReceipt) {
        enqueue.emit({ type: 'command', command: { type: 'checkTicket', code: context.code, receipt: context.pendingReceipt } });
      }
      // The receipt leaves the context at once: snapshots are stored.
      enqueue.assign({ pendingReceipt: null });
    }),
    showCheck: enqueueActions(({ context, event, enqueue }) => {
      const result = checkTicketResultSchema.parse(resultOf(event, 'checkTicket'));
      enqueue.assign({ failedCode: result.status === 'notFound' ? context.code : null });
      const message =
        result.status === 'found'
          ? ticketMessage(result.ticket)
          : result.status === 'rateLimited'
            ? say('status.rateLimited', { minutes: result.retryAfterMinutes })
            : say('status.notFound');
      enqueue.emit({ type: 'reply', message });
    }),
    askCode: emit({ type: 'reply', message: ask('status.askCode') }),
    askReceipt: enqueueActions(({ context, enqueue }) => {
      enqueue.emit({ type: 'reply', message: ask('status.askReceipt', { code: context.code ?? '' }) });
    }),
    explainCode: emit({ type: 'reply', message: say('status.errors.code') }),
    explainReceipt: emit({ type: 'reply', message: say('status.errors.receipt') }),
    explainReceiptAlone: emit({ type: 'reply', message: say('status.receiptAlone') }),
    explainChoices: emit({ type: 'reply', message: say('status.errors.useChoices') }),
    // With no report sent from here there is no list to choose from: only the check by code and receipt.
    explainChoosing: emit(({ context }) => ({
      type: 'reply' as const,
      message: say(context.codes.length > 0 ? 'status.help.choosing' : 'status.help.choosingNoList'),
    })),
    explainCodeStep: emit({ type: 'reply', message: say('status.help.askingCode') }),
    explainReceiptStep: emit({ type: 'reply', message: say('status.help.askingReceipt') }),
  },
}).createMachine({
  id: 'status',
  context: ({ input }) => initialContext(input),
  initial: 'starting',
  states: {
    starting: {
      always: [
        { guard: 'hasCodeAndReceipt', target: 'checking' },
        { guard: 'hasCodeAndBadArgs', target: 'askingReceipt', actions: 'explainReceipt' },
        { guard: 'hasCode', target: 'checkingOwn' },
        { guard: 'hasBadArgs', target: 'listing', actions: 'explainBadArgs' },
        { target: 'listing' },
      ],
    },
    listing: {
      entry: 'requestList',
      on: {
        'system.commandResult': { guard: 'isListResult', target: 'choosing', actions: 'showList' },
      },
    },
    choosing: {
      entry: 'askNext',
      on: {
        'user.chooseOption': [
          { guard: 'isListedChoice', target: 'showing', actions: 'rememberChosenCode' },
          { guard: 'isLookupChoice', target: 'askingCode' },
          { guard: 'isMenuChoice', target: 'done' },
          { actions: ['explainChoices', 'askNext'] },
        ],
        'user.sendText': [
          { guard: 'isListedCodeTyped', target: 'showing', actions: 'rememberTypedCode' },
          { guard: 'isCodeAndReceiptTyped', target: 'checking', actions: 'rememberCodeAndReceipt' },
          // Before a code: sixteen digits may also read as a code without its prefix.
          { guard: 'isReceiptForCode', target: 'checking', actions: 'retryFailedCode' },
          // A receipt alone says which report by nothing: the code goes with it (a report of this chat needs none).
          { guard: 'isReceiptTyped', actions: ['explainReceiptAlone', 'askNext'] },
          { guard: 'isCodeTyped', target: 'checkingOwn', actions: 'rememberTypedCode' },
          { guard: 'isStory', actions: ['pointToReport', 'askNext'] },
          { actions: ['explainChoices', 'askNext'] },
        ],
        'user.askHelp': { actions: 'explainChoosing' },
        'user.goBack': { target: 'done' },
      },
    },
    showing: {
      entry: 'requestOwnTicket',
      on: {
        'system.commandResult': { guard: 'isOwnTicketResult', target: 'choosing', actions: 'showOwnTicket' },
      },
    },
    askingCode: {
      entry: 'askCode',
      on: {
        'user.sendText': [
          { guard: 'isCodeAndReceiptTyped', target: 'checking', actions: 'rememberCodeAndReceipt' },
          { guard: 'isCodeTyped', target: 'checkingOwn', actions: 'rememberTypedCode' },
          { actions: ['explainCode', 'askCode'] },
        ],
        'user.askHelp': { actions: 'explainCodeStep' },
        'user.goBack': { target: 'choosing' },
      },
    },
    /** A code without its receipt: a report sent from this chat is shown as the list shows it, with no receipt asked. */
    checkingOwn: {
      entry: 'requestOwnTicket',
      on: {
        'system.commandResult': [
          { guard: 'isOwnTicketFound', target: 'choosing', actions: 'showOwnTicket' },
          { guard: 'isOwnTicketResult', target: 'askingReceipt' },
        ],
      },
    },
    askingReceipt: {
      entry: 'askReceipt',
      on: {
        'user.sendText': [
          { guard: 'isReceiptTyped', target: 'checking', actions: 'rememberReceipt' },
          { guard: 'isCodeAndReceiptTyped', target: 'checking', actions: 'rememberCodeAndReceipt' },
          // A certificate was meant: the report's code was given by mistake at the certificate check.
          { guard: 'asksForCertificate', target: 'done', actions: 'handToVerify' },
          { actions: ['explainReceipt', 'askReceipt'] },
        ],
        'user.askHelp': { actions: 'explainReceiptStep' },
        'user.goBack': { target: 'askingCode' },
      },
    },
    checking: {
      entry: 'requestCheck',
      on: {
        'system.commandResult': { guard: 'isCheckResult', target: 'choosing', actions: 'showCheck' },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => (context.toVerify ? { next: { flow: 'verify' as const, params: {} } } : {}),
});

/** The status flow as the runtime registers it. */
export const statusFlow: FlowDefinition = {
  id: 'status',
  version: 1,
  machine: statusMachine,
  contextSchema: statusContextSchema,
  // Through the runtime's "leave the flow?" question only the report's code rides, never its receipt (a secret).
  carriedArgs: (params) => {
    const args = typeof params.args === 'string' ? params.args : '';
    return parseStatusArgs(args).code ?? parseTicketCode(args) ?? undefined;
  },
};
