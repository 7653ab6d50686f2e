/**
 * The long messages of the report flow: the review summary (every field of the draft) and what the citizen
 * reads once the report is a ticket (code, receipt, office, what happens next, evidence digests).
 */
import { getViolation } from '../../content/violations.ts';
import { say, type OutboundMessage, type TextParams } from '../messages.ts';
import { reportDeadline } from './parseDate.ts';
import type { PersonalData, Witness } from './personalData.ts';
import type { SubmitReportResult } from './reportCommands.ts';
import { evidenceLines } from './evidenceLines.ts';
import { nonAsnGroupOf, type ReportContext } from './reportContext.ts';
import { dateParam, placeParam } from './reportSteps.ts';

const none = { key: 'report.review.none' };
const unknown = { key: 'report.common.unknown' };

/** The review: a summary of every field, and for a formal report the witnesses and the reporter's identity. */
export function reviewMessages(context: ReportContext, personal: PersonalData | null): OutboundMessage[] {
  const { terlapor } = context;
  const violation = context.category ? getViolation(context.category) : undefined;
  const location = context.location ? `📍 ${context.location.latitude.toFixed(5)}, ${context.location.longitude.toFixed(5)}` : null;
  const params: TextParams = {
    title: { key: `report.review.titles.${context.kind === 'formal' ? 'formal' : 'tip'}` },
    kind: { key: `report.review.kinds.${context.kind === 'formal' ? 'formal' : context.convertedFromFormal ? 'converted' : 'tip'}` },
    terlaporName: terlapor.name ?? unknown,
    position: terlapor.position ?? unknown,
    agency: terlapor.agency ?? unknown,
    employment: { key: `report.employment.${terlapor.employment ?? 'unknown'}` },
    category: violation ? violation.label : none,
    eventDate: context.eventDate ? dateParam(context.eventDate) : none,
    learnedDate: context.learnedDate ? dateParam(context.learnedDate) : none,
    place: context.place ? placeParam(context.place) : none,
    placeDetail: [context.placeDetail, location].filter((p) => p !== null).join(' · ') || none,
    description: context.description ?? none,
    evidenceCount: context.evidence.length,
    evidence: context.evidence.length > 0 ? evidenceLines(context.evidence, { fullDigest: false }) : { key: 'report.review.noEvidence' },
  };
  const messages = [say('report.review.summary', params)];
  if (context.kind === 'formal') {
    const reporter = personal?.reporter ?? {};
    const witnesses = personal?.witnesses ?? [];
    messages.push(
      say('report.review.formalSection', {
        witnesses: witnessLines(witnesses),
        name: reporter.name ?? none,
        address: reporter.address ?? none,
        phone: reporter.phone ?? none,
        email: reporter.email ?? none,
        deadline: context.learnedDate ? dateParam(reportDeadline(context.learnedDate)) : none,
      }),
    );
  }
  return messages;
}

/** The witnesses one per line, numbered, each with the contact given ("1. Siti Aminah (+6281311112222)"). */
function witnessLines(witnesses: readonly Witness[]): TextParams[string] {
  return witnesses.length > 0
    ? witnesses.map((w, i) => `${i + 1}. ${w.name}${w.contact ? ` (${w.contact})` : ''}`).join('\n')
    : { key: 'report.review.noWitnesses' };
}

/** The witnesses given so far, shown before the reporter chooses what to do with them from the review. */
export function witnessListMessage(personal: PersonalData): OutboundMessage {
  return say('report.witness.current', { list: witnessLines(personal.witnesses) });
}

/** "1234567890123456" -> "1234 5678 9012 3456". */
export function formatReceipt(receipt: string): string {
  return receipt.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/**
 * What happens next depends on who was reported: an ASN's sanction comes through a recommendation and the agency's
 * PPK, a village head's or village official's under the Village Law, anyone else's through whichever body is
 * competent for them. An act that is also an election crime (money politics) goes to Sentra Gakkumdu as well.
 */
function nextSteps(context: ReportContext, recommendationBody: string): OutboundMessage[] {
  const group = nonAsnGroupOf(context.terlapor.employment);
  const steps = [
    group === 'village'
      ? say('report.submitted.nextVillage')
      : group !== null
        ? say('report.submitted.nextOther')
        : say('report.submitted.next', { body: recommendationBody }),
  ];
  if (context.category && getViolation(context.category)?.sanctionLevel === 'pidana') steps.push(say('report.submitted.criminal'));
  return steps;
}

/** What the citizen reads after submitting. A tip is never promised a case. */
export function submittedMessages(context: ReportContext, result: SubmitReportResult): OutboundMessage[] {
  switch (result.status) {
    case 'limitReached':
      return [say('report.submitted.limitReached', { limit: result.limit })];
    case 'duplicate':
      return [say('report.submitted.duplicate', { code: result.code, office: result.office.name })];
    case 'submitted': {
      const messages = [
        context.kind === 'formal'
          ? say('report.submitted.formal', {
            code: result.code,
            office: result.office.name,
            deadline: context.learnedDate ? dateParam(reportDeadline(context.learnedDate)) : none,
          })
          : say('report.submitted.tip', { code: result.code, office: result.office.name }),
        say('report.submitted.receipt', { receipt: formatReceipt(result.receipt), code: result.code }),
        ...nextSteps(context, result.recommendationBody),
      ];
      const files = context.evidence.filter((e) => e.type === 'file');
      if (files.length > 0) messages.push(say('report.submitted.digests', { list: evidenceLines(context.evidence, { fullDigest: true }) }));
      return messages;
    }
  }
}
