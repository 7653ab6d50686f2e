/**
 * How an officer's action on a ticket (acceptance, question, status, note, transfer) is worded for officers: the
 * line the acting chat reads at once, and the notice the other offices working on the ticket receive through the
 * outbox (`office.notify` with `notice: 'action'`), which carries the same line and the officer's words under it.
 * One wording for both, so every chat reads the same thing.
 */
import { z } from 'zod';
import { LATE_ANSWER_DAYS } from '../../flows/reply/replyCommands.ts';
import type { NonAsnGroup } from '../../flows/report/reportContext.ts';
import { escapeHtml } from '../i18n.ts';
import { officeName } from '../offices/officeDirectory.ts';
import type { OfficeTexts } from './officeViews.ts';

/** The officer events an office is told of (the TicketEvent types they record). */
export const actionKinds = ['acknowledged', 'question', 'note', 'status', 'transferred'] as const;
export type ActionKind = (typeof actionKinds)[number];

/**
 * What an action notice carries besides its event (whose type, status and text it reads when delivered). In the
 * fan-out row: the offices to tell and where the action was taken, so that chat and the officer's own private chat
 * are skipped; in each delivery: how that destination is told who acted (`from`).
 */
export const actionNoticeSchema = z.object({
  /** The offices working on the ticket, each told through its destinations (fan-out row only). */
  offices: z.array(z.string()).default([]),
  officerId: z.string(),
  /** The acting officer's office. */
  officeCode: z.string(),
  /** The name other officers know the officer by; without it, the name the officer enrolled with. */
  officerName: z.string().optional(),
  chatType: z.enum(['private', 'group']).default('private'),
  /** The group the action was taken in, which saw it (fan-out row only; a private chat's id is never stored). */
  groupChatId: z.string().optional(),
  /** The ticket's office when the officer acted (a transfer's notice goes to the office the ticket left). */
  ticketOfficeCode: z.string(),
  /** A transfer's destination, and the office that receives the ticket for it (null: none yet, up to RI). */
  toOfficeCode: z.string().optional(),
  receiverOfficeCode: z.string().nullable().optional(),
  /** A status that closed the ticket while the reporter had a question to answer. */
  openQuestion: z.boolean().optional(),
  /** The ticket's status as the action left it (a webhook is told the ticket as of the action, not as of delivery). */
  ticketStatus: z.string().optional(),
  /**
   * How a destination is told who acted: a chat that serves only the officer's office, the officer's name and where
   * (`private`: their private chat; `group`: a group linked to their office); anyone else, their office too.
   */
  from: z.enum(['office', 'private', 'group']).optional(),
});
export type ActionNotice = z.infer<typeof actionNoticeSchema>;

/** An action as its line needs it. */
export interface ActionSummary {
  kind: ActionKind;
  code: string;
  officer: string;
  officerOfficeCode: string;
  ticketOfficeCode: string;
  /** The status set (a status change). */
  status?: string | null;
  otherRules?: NonAsnGroup | null;
  openQuestion?: boolean;
  toOfficeCode?: string;
  /** Undefined: the transfer's destination receives it itself. */
  receiverOfficeCode?: string | null;
}

/** The line that says what was done ("✅ NTR-… diterima oleh Sari. …"), as the acting chat reads it. */
export function actionHeadline(texts: OfficeTexts, action: ActionSummary): string {
  const { code, officer } = action;
  switch (action.kind) {
    case 'acknowledged':
      return texts.t('officer.desk.acknowledged', { code, officer });
    case 'question':
      // An office above that asks (from a reminder's copy) gets the answer, and so does the office handling the ticket.
      return action.officerOfficeCode === action.ticketOfficeCode
        ? texts.t('officer.desk.questionSent', { code, office: officeName(action.officerOfficeCode) })
        : texts.t('officer.desk.questionSentBoth', {
            code,
            office: officeName(action.officerOfficeCode),
            ticketOffice: officeName(action.ticketOfficeCode),
          });
    case 'note':
      return texts.t('officer.desk.noteSaved', { code });
    case 'status': {
      const lines = [texts.t('officer.desk.statusSet', { code, status: texts.status(action.status ?? '', action.otherRules ?? null), officer })];
      // Closed before the reporter answered a question: the answer may still come, and officers should expect it.
      if (action.openQuestion) lines.push(texts.t('officer.desk.closedWithOpenQuestion', { days: LATE_ANSWER_DAYS }));
      return lines.join('\n');
    }
    case 'transferred': {
      const to = action.toOfficeCode ?? '';
      const receiver = action.receiverOfficeCode === undefined ? to : action.receiverOfficeCode;
      if (receiver === to) return texts.t('officer.desk.transferred', { code, office: officeName(to) });
      // An office that receives nothing through Netra yet: the ticket goes on to the first office above it that does.
      return receiver
        ? texts.t('officer.desk.transferredVia', { code, office: officeName(to), via: officeName(receiver) })
        : texts.t('officer.desk.transferredNowhere', { code, office: officeName(to) });
    }
  }
}

/** The line with the officer's own words under it (the question, the note, the reason), as the other chats read it. */
export function actionNoticeHtml(texts: OfficeTexts, action: ActionSummary, words: string | null | undefined): string {
  const headline = actionHeadline(texts, action);
  return words ? `${headline}\n<i>${escapeHtml(words)}</i>` : headline;
}

/** Who acted, as a destination is told: another office learns which office; the officer's own office the name. */
export function actionFromLine(texts: OfficeTexts, from: ActionNotice['from'], officer: string, officeCode: string): string {
  if (from === 'private') return texts.t('officer.desk.fromPrivate', { officer });
  if (from === 'group') return texts.t('officer.desk.fromGroup', { officer });
  return texts.t('officer.desk.fromOffice', { officer, office: officeName(officeCode) });
}

/** Whether a TicketEvent type is one an office is told of. */
export function isActionKind(type: string): type is ActionKind {
  return (actionKinds as readonly string[]).includes(type);
}
