/**
 * A reporter answers an officer's question, or adds information and evidence to their report: `/jawab` (the
 * ticket with an open question, or a choice among several), `/jawab NTR-XXXX-XXXX` (that ticket), or
 * `/jawab NTR-XXXX-XXXX <answer>` (answer given at once). The answer is written, evidence may follow (photos,
 * files, links, up to 10), then "Kirim jawaban" relays it to the office under the reporter's pseudonym. A closed report
 * takes only the answer to a question asked before it closed, for `LATE_ANSWER_DAYS`; anything else is refused with
 * what to do instead (a new report, `/status`).
 */
import { and, assign, emit, enqueueActions, setup } from 'xstate';
import { z } from 'zod';
import type { FlowDefinition, FlowEmitted, FlowInput, FlowOutput } from '../flow.ts';
import { getViolation, isViolationId } from '../../content/violations.ts';
import { ask, choice, say, storedMediaSchema, type InboundEvent, type StoredMedia, type TextRef } from '../messages.ts';
import { isSendAnswerCommand } from '../report/answerWords.ts';
import { parseEvidenceLinks } from '../report/parseEvidenceLinks.ts';
import { notCleanedNotice } from '../shared/mediaFormat.ts';
import { leadingTicketCode } from '../status/ticketCode.ts';
import {
  LATE_ANSWER_DAYS,
  lookupReplyResultSchema,
  submitReplyResultSchema,
  type LookupReplyResult,
  type ReplyTarget,
} from './replyCommands.ts';

/** The flow's id (to be listed in flows/flow.ts `flowIds` and routed from `/jawab`). */
export const REPLY_FLOW_ID = 'reply' as const;

/** Limits of an answer. */
export const REPLY_LIMITS = { minChars: 3, maxChars: 4_000, maxFiles: 10, maxLinks: 10 } as const;

const targetSchema = z.object({
  code: z.string(),
  office: z.string(),
  question: z.string().nullable(),
  /** The ticket was closed after the question was asked: the answer still goes, and the reporter is told so. */
  closedStatus: z.string().optional(),
});

export const replyContextSchema = z.object({
  code: z.string().nullable(),
  /** Text given with the command (`/jawab CODE text`), used as the answer once the ticket is found. */
  initialAnswer: z.string().nullable(),
  target: targetSchema.nullable(),
  answer: z.string(),
  media: z.array(storedMediaSchema),
  links: z.array(z.string()),
  sent: z.object({ code: z.string(), office: z.string(), files: z.number(), closedStatus: z.string().optional() }).nullable(),
  /** The ticket the answer was refused for, closed before it was sent and not waiting for it. */
  refusedClosed: z.string().optional(),
  /** When the reporter began (the flow's start): an answer begun while the ticket was open still goes. */
  startedAt: z.string().optional(),
  /** What came after `/jawab` that looks like a report code but is not one (`NTR-9742-Y72`): said, not looked up. */
  unreadCode: z.string().optional(),
});
type ReplyContext = z.infer<typeof replyContextSchema>;

/** Reads `NTR-XXXX-XXXX` (any case, dashes optional) and the text after it from the command's arguments. */
export function parseReplyArgs(args: string): { code: string | null; text: string | null } {
  // Read as /status reads it: "ntr 7k3p 9qxa", "NTR.7K3P.9QXA", "NTR7K3P9QXA"; "NTR dari saya" is no code.
  const found = leadingTicketCode(args);
  if (!found) return { code: null, text: args.trim() ? args.trim() : null };
  return { code: found.code, text: found.rest ? found.rest : null };
}

const sendChoice = [choice('send', 'officer.reply.sendButton')];

function lookupResult(event: InboundEvent): LookupReplyResult | undefined {
  if (event.type !== 'system.commandResult' || event.command !== 'lookupReply') return undefined;
  const parsed = lookupReplyResultSchema.safeParse(event.result);
  return parsed.success ? parsed.data : undefined;
}

/** "NTR-7K3P-9QXA · Ikut kampanye": the code and the kind of violation, which the reporter recognises. */
function ticketLabel(code: string, category: string | undefined): TextRef {
  const violation = category && isViolationId(category) ? getViolation(category) : undefined;
  return violation ? { localized: { id: `${code} · ${violation.label.id}`, en: `${code} · ${violation.label.en}` } } : { literal: code };
}

/** A closed status in words (`officer.status.done`: "Selesai"). */
function closedStatusLabel(status: string): { key: string } {
  return { key: `officer.status.${/^[a-z-]+$/.test(status) ? status : 'done'}` };
}

function captionOf(event: InboundEvent): string {
  return event.type === 'user.sendMedia' ? (event.media.caption ?? '').trim() : '';
}

function textOf(event: InboundEvent): string {
  return event.type === 'user.sendText' ? event.text.trim() : '';
}

function linksIn(text: string): string[] {
  const parsed = parseEvidenceLinks(text);
  return parsed.ok ? parsed.value : [];
}

export const replyMachine = setup({
  types: {
    input: {} as FlowInput,
    context: {} as ReplyContext,
    events: {} as InboundEvent,
    emitted: {} as FlowEmitted,
    output: {} as FlowOutput,
  },
  guards: {
    isFound: ({ event }) => lookupResult(event)?.status === 'found',
    // "/jawab CODE kirim" or "/jawab CODE ok" gives no answer: the question is asked.
    isFoundWithAnswer: ({ event, context }) =>
      lookupResult(event)?.status === 'found' &&
      context.initialAnswer !== null &&
      context.initialAnswer.length >= REPLY_LIMITS.minChars &&
      !isSendAnswerCommand(context.initialAnswer),
    isChoice: ({ event }) => lookupResult(event)?.status === 'choose',
    isLookupFailure: ({ event }) => {
      const status = lookupResult(event)?.status;
      return status === 'none' || status === 'notFound' || status === 'closed';
    },
    isSubmitResult: ({ event }) => event.type === 'system.commandResult' && event.command === 'submitReply',
    isTicketCode: ({ event }) => parseReplyArgs(textOf(event)).code !== null,
    isTooShort: ({ event }) => textOf(event).length < REPLY_LIMITS.minChars,
    /** "kirim", "kirim jawabannya", "send it": the button's command typed, not an answer. */
    isSendCommand: ({ event }) => isSendAnswerCommand(textOf(event)),
    /** A file captioned with the command: the file is added, the caption is not an answer. */
    captionIsSendCommand: ({ event }) => isSendAnswerCommand(captionOf(event)),
    hasAnswer: ({ context }) => context.answer !== '',
    isTooLong: ({ event }) => textOf(event).length > REPLY_LIMITS.maxChars,
    wouldBeTooLong: ({ event, context }) => context.answer.length + 1 + textOf(event).length > REPLY_LIMITS.maxChars,
    hasRoomForFile: ({ context }) => context.media.length < REPLY_LIMITS.maxFiles,
    /** A caption that would make the answer too long: the file is kept, the caption not. */
    captionWouldBeTooLong: ({ event, context }) => context.answer.length + 1 + captionOf(event).length > REPLY_LIMITS.maxChars,
    /** A file whose caption is long enough to be the answer. */
    hasCaptionAnswer: ({ event, context }) =>
      context.media.length < REPLY_LIMITS.maxFiles &&
      event.type === 'user.sendMedia' &&
      captionOf(event).length >= REPLY_LIMITS.minChars &&
      !isSendAnswerCommand(captionOf(event)),
  },
  actions: {
    lookUp: emit(({ context }) => ({ type: 'command' as const, command: { type: 'lookupReply', code: context.code } })),
    rememberTarget: assign({
      target: ({ event }) => {
        const result = lookupResult(event);
        return result?.status === 'found' ? (result.target as ReplyTarget) : null;
      },
    }),
    takeInitialAnswer: assign({
      answer: ({ context }) => (context.initialAnswer ?? '').slice(0, REPLY_LIMITS.maxChars),
      links: ({ context }) => linksIn(context.initialAnswer ?? '').slice(0, REPLY_LIMITS.maxLinks),
    }),
    askAnswer: emit(({ context }) => {
      const target = context.target;
      if (target?.question && target.closedStatus) {
        return {
          type: 'reply' as const,
          message: ask('officer.reply.askAnswerClosed', {
            code: target.code,
            office: target.office,
            question: target.question,
            status: closedStatusLabel(target.closedStatus),
          }),
        };
      }
      return {
        type: 'reply' as const,
        message: target?.question
          ? ask('officer.reply.askAnswer', { code: target.code, office: target.office, question: target.question })
          : ask('officer.reply.askInfo', { code: target?.code ?? '', office: target?.office ?? '' }),
      };
    }),
    askChoice: emit(({ event }) => {
      const result = lookupResult(event);
      const codes = result?.status === 'choose' ? result.codes : [];
      const categories = result?.status === 'choose' ? (result.categories ?? []) : [];
      return {
        type: 'reply' as const,
        message: ask('officer.reply.chooseTicket', undefined, codes.map((code, i) => ({ value: code, label: ticketLabel(code, categories[i]) }))),
      };
    }),
    explainLookupFailure: emit(({ event }) => {
      const result = lookupResult(event);
      const key =
        result?.status === 'notFound'
          ? 'officer.reply.notFound'
          : result?.status === 'closed'
            ? result.expired
              ? 'officer.reply.closedExpired'
              : 'officer.reply.closed'
            : 'officer.reply.noQuestions';
      const code = result && 'code' in result ? result.code : '';
      return { type: 'reply' as const, message: say(key, { code, days: LATE_ANSWER_DAYS }) };
    }),
    chooseCode: assign({
      code: ({ event }) =>
        event.type === 'user.chooseOption' ? parseReplyArgs(event.value).code : parseReplyArgs(textOf(event)).code,
      initialAnswer: () => null,
    }),
    takeAnswer: assign({
      answer: ({ event }) => textOf(event),
      links: ({ event, context }) => [...new Set([...context.links, ...linksIn(textOf(event))])].slice(0, REPLY_LIMITS.maxLinks),
    }),
    appendText: assign({
      answer: ({ event, context }) => `${context.answer}\n${textOf(event)}`,
      links: ({ event, context }) => [...new Set([...context.links, ...linksIn(textOf(event))])].slice(0, REPLY_LIMITS.maxLinks),
    }),
    // A file's caption is part of the answer ("ini unggahan tanggal 5 Desember").
    addMedia: assign(({ event, context }) => {
      if (event.type !== 'user.sendMedia') return {};
      const caption = captionOf(event);
      const answer = caption === '' ? context.answer : context.answer === '' ? caption : `${context.answer}\n${caption}`;
      return {
        media: [...context.media, event.media as StoredMedia],
        answer: answer.slice(0, REPLY_LIMITS.maxChars),
        links: [...new Set([...context.links, ...linksIn(caption)])].slice(0, REPLY_LIMITS.maxLinks),
      };
    }),
    // The links came from the text given up: they go with it, so a link written and then taken back never reaches
    // the officers (it may name the reporter). Files sent stay: each was sent on its own, and is listed as added.
    forgetAnswer: assign({ answer: () => '', links: () => [] }),
    askEvidence: emit({ type: 'reply', message: ask('officer.reply.askEvidence', { max: REPLY_LIMITS.maxFiles }, sendChoice) }),
    confirmMedia: emit(({ context }) => ({
      type: 'reply' as const,
      message: ask('officer.reply.evidenceAdded', { count: context.media.length, max: REPLY_LIMITS.maxFiles }, sendChoice),
    })),
    confirmText: emit({ type: 'reply', message: ask('officer.reply.textAdded', undefined, sendChoice) }),
    explainLimit: emit({ type: 'reply', message: ask('officer.reply.evidenceLimit', { max: REPLY_LIMITS.maxFiles }, sendChoice) }),
    explainTooShort: emit({ type: 'reply', message: say('officer.reply.tooShort', { min: REPLY_LIMITS.minChars }) }),
    explainTooLong: emit(({ event, context }) => ({
      type: 'reply' as const,
      message: say('officer.reply.tooLong', { max: REPLY_LIMITS.maxChars, length: context.answer.length + textOf(event).length }),
    })),
    explainCaptionTooLong: emit(({ event, context }) => ({
      type: 'reply' as const,
      message: say('officer.reply.captionTooLong', { max: REPLY_LIMITS.maxChars, length: context.answer.length + captionOf(event).length }),
    })),
    addFileOnly: assign({
      media: ({ event, context }) => (event.type === 'user.sendMedia' ? [...context.media, event.media as StoredMedia] : context.media),
    }),
    explainMediaFirst: emit({ type: 'reply', message: say('officer.reply.mediaFirst') }),
    // A file whose metadata could not be removed is kept but not sent: the reporter can send it another way.
    noteUncleaned: enqueueActions(({ event, enqueue }) => {
      const notice = event.type === 'user.sendMedia' ? notCleanedNotice(event.media) : undefined;
      if (notice) enqueue.emit({ type: 'reply', message: say(notice) });
    }),
    explainNothingToSend: emit({ type: 'reply', message: say('officer.reply.nothingToSend') }),
    explainAnswerCleared: emit(({ context }) => ({
      type: 'reply' as const,
      message: say(context.media.length > 0 ? 'officer.reply.answerClearedFiles' : 'officer.reply.answerCleared', { count: context.media.length }),
    })),
    explainUnsupported: emit({ type: 'reply', message: say('officer.reply.unsupported') }),
    explainUnavailable: emit({ type: 'reply', message: say('officer.reply.unavailable') }),
    explainHelp: emit({ type: 'reply', message: say('officer.reply.help') }),
    explainUnreadCode: emit(({ context }) => ({ type: 'reply' as const, message: say('officer.reply.unreadCode', { text: context.unreadCode ?? '' }) })),
    submit: emit(({ context }) => ({
      type: 'command' as const,
      command: {
        type: 'submitReply',
        code: context.target?.code ?? '',
        text: context.answer,
        media: context.media,
        links: context.links,
        ...(context.startedAt ? { startedAt: context.startedAt } : {}),
      },
    })),
    rememberSent: assign(({ event }) => {
      if (event.type !== 'system.commandResult') return { sent: null };
      const parsed = submitReplyResultSchema.safeParse(event.result);
      if (!parsed.success) return { sent: null };
      const result = parsed.data;
      if (result.status === 'closed') return { sent: null, refusedClosed: result.code };
      if (result.status !== 'sent') return { sent: null };
      return {
        sent: {
          code: result.code,
          office: result.office,
          files: result.files,
          ...(result.closedStatus ? { closedStatus: result.closedStatus } : {}),
        },
      };
    }),
    reportOutcome: enqueueActions(({ context, enqueue }) => {
      const { sent } = context;
      if (!sent) {
        const message = context.refusedClosed
          ? say('officer.reply.closedMeanwhile', { code: context.refusedClosed })
          : say('officer.reply.failed');
        enqueue.emit({ type: 'reply', message });
        return;
      }
      const params = { code: sent.code, office: sent.office, count: sent.files };
      enqueue.emit({ type: 'reply', message: say(sent.files > 0 ? 'officer.reply.sentWithFiles' : 'officer.reply.sent', params) });
      // Closed before it arrived: the office reads it all the same, and decides whether it reopens the report.
      if (sent.closedStatus) {
        enqueue.emit({ type: 'reply', message: say('officer.reply.sentAfterClosing', { code: sent.code, status: closedStatusLabel(sent.closedStatus) }) });
      }
    }),
  },
}).createMachine({
  id: 'reply',
  context: ({ input }) => {
    const args = typeof input.params.args === 'string' ? input.params.args : '';
    const parsed = parseReplyArgs(args);
    // A code mistyped must not be taken as no code: plain /jawab would then pick the report waiting for an answer.
    const unread = parsed.code === null && /^\s*NTR/i.test(args) ? args.trim().split(/\s+/).slice(0, 3).join(' ').slice(0, 40) : undefined;
    return {
      ...(unread ? { unreadCode: unread } : {}),
      code: parsed.code,
      initialAnswer: parsed.code ? parsed.text : null,
      startedAt: input.at,
      target: null,
      answer: '',
      media: [],
      links: [],
      sent: null,
    };
  },
  initial: 'starting',
  states: {
    starting: {
      always: [{ guard: ({ context }) => context.unreadCode !== undefined, target: 'done', actions: 'explainUnreadCode' }, { target: 'looking' }],
    },
    looking: {
      entry: 'lookUp',
      on: {
        'system.commandResult': [
          { guard: 'isFoundWithAnswer', target: 'collecting', actions: ['rememberTarget', 'takeInitialAnswer'] },
          { guard: 'isFound', target: 'answering', actions: 'rememberTarget' },
          { guard: 'isChoice', target: 'choosing', actions: 'askChoice' },
          { guard: 'isLookupFailure', target: 'done', actions: 'explainLookupFailure' },
        ],
      },
    },
    choosing: {
      on: {
        'user.chooseOption': { target: 'looking', actions: 'chooseCode' },
        'user.sendText': { guard: 'isTicketCode', target: 'looking', actions: 'chooseCode' },
        'user.askHelp': { actions: 'explainHelp' },
      },
    },
    answering: {
      entry: 'askAnswer',
      on: {
        'user.sendText': [
          { guard: 'isSendCommand', actions: 'explainNothingToSend' },
          { guard: 'isTooShort', actions: 'explainTooShort' },
          { guard: 'isTooLong', actions: 'explainTooLong' },
          { target: 'collecting', actions: 'takeAnswer' },
        ],
        'user.sendMedia': [
          { guard: 'hasCaptionAnswer', target: 'collecting', actions: ['addMedia', 'noteUncleaned'] },
          { guard: 'hasRoomForFile', actions: ['addMedia', 'noteUncleaned', 'explainMediaFirst'] },
          { actions: 'explainMediaFirst' },
        ],
        'user.sendUnsupported': { actions: 'explainUnsupported' },
        'user.sendUnavailableMedia': { actions: 'explainUnavailable' },
        'user.askHelp': { actions: 'explainHelp' },
      },
    },
    collecting: {
      entry: 'askEvidence',
      on: {
        'user.chooseOption': { guard: ({ event }) => event.value === 'send', target: 'submitting' },
        'user.sendMedia': [
          { guard: and(['hasRoomForFile', 'captionIsSendCommand']), actions: ['addFileOnly', 'noteUncleaned', 'confirmMedia'] },
          { guard: and(['hasRoomForFile', 'captionWouldBeTooLong']), actions: ['addFileOnly', 'explainCaptionTooLong', 'noteUncleaned', 'confirmMedia'] },
          { guard: 'hasRoomForFile', actions: ['addMedia', 'noteUncleaned', 'confirmMedia'] },
          { actions: 'explainLimit' },
        ],
        'user.sendText': [
          // The button typed in other words ("kirim jawabannya", "send it"): sent, not added to the answer.
          { guard: 'isSendCommand', target: 'submitting' },
          { guard: 'wouldBeTooLong', actions: 'explainTooLong' },
          { actions: ['appendText', 'confirmText'] },
        ],
        'user.sendUnsupported': { actions: 'explainUnsupported' },
        'user.sendUnavailableMedia': { actions: 'explainUnavailable' },
        // Back to writing the answer: what was written is given up (and said so), the files stay.
        'user.goBack': [
          { guard: 'hasAnswer', target: 'answering', actions: ['forgetAnswer', 'explainAnswerCleared'] },
          { target: 'answering' },
        ],
        'user.askHelp': { actions: 'explainHelp' },
      },
    },
    submitting: {
      entry: 'submit',
      on: {
        'system.commandResult': { guard: 'isSubmitResult', target: 'done', actions: ['rememberSent', 'reportOutcome'] },
      },
    },
    done: { type: 'final' },
  },
});

/** The reply flow as the runtime registers it. */
export const replyFlow: FlowDefinition = {
  id: REPLY_FLOW_ID,
  version: 1,
  machine: replyMachine,
  contextSchema: replyContextSchema,
};
