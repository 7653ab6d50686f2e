/**
 * How tickets read for the citizen: a list of the reports filed from this chat, and one ticket with its history.
 * Lines are composed in both languages (localize) and passed as one parameter, so a list is one message.
 */
import { say, type Localized, type OutboundMessage } from '../messages.ts';
import { joinLocalized, localize } from '../report/localize.ts';
import { formatDate, jakartaDate } from '../report/parseDate.ts';
import { lookupText } from '../shared/texts.ts';
import type { TicketHistoryEntry, TicketSummary, TicketView } from './statusCommands.ts';

function dateOf(iso: string): Localized {
  const day = jakartaDate(iso);
  return { id: formatDate(day, 'id'), en: formatDate(day, 'en') };
}

/** A ticket status in words; a status this version does not know is shown as it is stored. */
export function statusWords(status: string, body: Localized): Localized {
  return lookupText(`status.states.${status}`, 'id') === undefined
    ? localize('status.states.other', { status })
    : localize(`status.states.${status}`, { body });
}

function kindWords(kind: TicketSummary['kind']): Localized {
  return localize(`status.kinds.${kind}`);
}

/** Officers' free texts are shown, but kept short: the history is a summary. */
function clip(text: string | null): string {
  if (!text) return '';
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

function historyLine(entry: TicketHistoryEntry, body: Localized, kind: TicketSummary['kind']): Localized {
  const has = (key: string) => lookupText(key, 'id') !== undefined;
  // Initial information is sent as such, not as a report.
  const base = `status.events.${entry.type === 'submitted' && kind === 'tip' ? 'submittedTip' : entry.type}`;
  // Free text (a reason, a question) is shown only for event types whose template has a place for it.
  const key = entry.text && has(`${base}WithText`) ? `${base}WithText` : has(base) ? base : 'status.events.other';
  const what = localize(key, { status: entry.status ? statusWords(entry.status, body) : '', text: clip(entry.text) });
  const date = dateOf(entry.at);
  return { id: `${date.id} — ${what.id}`, en: `${date.en} — ${what.en}` };
}

/** The reports of this chat, one line each. */
export function reportListMessage(tickets: readonly TicketSummary[], total: number): OutboundMessage {
  if (tickets.length === 0) return say('status.noReports');
  const list = joinLocalized(
    tickets.map((t) => localize('status.listLine', { code: t.code, kind: kindWords(t.kind), status: statusWords(t.status, t.recommendedTo), office: t.office, date: dateOf(t.createdAt) })),
  );
  return say(total > tickets.length ? 'status.listMore' : 'status.list', { list, shown: tickets.length, total });
}

/** One ticket with its history. */
export function ticketMessage(ticket: TicketView): OutboundMessage {
  const history = ticket.history.length > 0 ? joinLocalized(ticket.history.map((e) => historyLine(e, ticket.recommendedTo, ticket.kind))) : localize('status.noHistory');
  return say('status.ticket', {
    heading: localize(`status.headings.${ticket.kind}`),
    code: ticket.code,
    kind: kindWords(ticket.kind),
    status: statusWords(ticket.status, ticket.recommendedTo),
    office: ticket.office,
    date: dateOf(ticket.createdAt),
    history,
  });
}
