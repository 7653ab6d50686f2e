/**
 * The report flow's commands on the bot side: the sealed personal data (encrypt, apply one change, decrypt for
 * the review), the storage periods for the privacy notice, and the submission that turns a draft into a ticket.
 *
 * A submission writes, in the turn's transaction: the ticket (identity and witnesses encrypted), its evidence
 * rows, a `submitted` event, and one outbox row that the forwarding worker expands into deliveries. A replay of
 * the same draft (same chat, same start, same content) finds the ticket through `submissionKey` and creates
 * nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import { getDistrict, getProvince, getRegency } from '../../content/regions/regions.ts';
import {
  applyPersonalOp,
  emptyPersonalData,
  personalDataSchema,
  type PersonalData,
} from '../../flows/report/personalData.ts';
import {
  openPersonalCommandSchema,
  submitReportCommandSchema,
  updatePersonalCommandSchema,
  type ReportDraft,
  type SubmitReportResult,
} from '../../flows/report/reportCommands.ts';
import { reportDeadline } from '../../flows/report/parseDate.ts';
import type { App } from '../app.ts';
import type { CommandContext, CommandHandler } from '../conversation/conversationRuntime.ts';
import { chatRef } from '../logger.ts';
import { officeName } from '../offices/officeDirectory.ts';
import type { Secrets } from '../security/secrets.ts';
import type { Tx } from '../store/store.ts';
import { generateReceipt, generateTicketCode, hashReceipt, pseudonymFor } from './ticketCodes.ts';

/** The start of a calendar day in Jakarta (WIB), as tickets store dates. */
export function jakartaDayStart(date: string): Date {
  return new Date(`${date}T00:00:00+07:00`);
}

/** Opens sealed personal data; nothing sealed yet is an empty record. */
export function openPersonal(secrets: Secrets, sealed: string | null): PersonalData {
  return sealed ? personalDataSchema.parse(secrets.decryptJson(sealed)) : emptyPersonalData();
}

/** The HMAC that identifies one draft of one chat (see the module comment). */
export function submissionKey(secrets: Secrets, chatKey: string, draft: ReportDraft): string {
  const digest = createHash('sha256').update(JSON.stringify(draft)).digest('hex');
  return secrets.hmac(`submission:${chatKey}:${draft.startedAt}:${digest}`);
}

/**
 * What `Ticket.details` holds: the submitted draft without the sealed personal data, plus the place names (so a
 * reader needs no region data). Non-identifying for the reporter; dates are ISO calendar dates.
 */
export function ticketDetails(draft: ReportDraft): Record<string, unknown> {
  const { personalSealed: _sealed, ...rest } = draft;
  const regency = draft.place.regencyCode ? getRegency(draft.place.regencyCode) : undefined;
  const district = draft.place.districtCode ? getDistrict(draft.place.districtCode) : undefined;
  return {
    ...rest,
    place: {
      ...draft.place,
      provinceName: getProvince(draft.place.provinceCode)?.name ?? null,
      regencyName: regency?.name ?? null,
      districtName: district?.name ?? null,
    },
    deadline: reportDeadline(draft.learnedDate),
  };
}

async function uniqueTicketCode(tx: Tx): Promise<string> {
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const code = generateTicketCode();
    // Checked first: a unique violation would abort the whole turn's transaction on PostgreSQL.
    if (!(await tx.ticket.findUnique({ where: { code }, select: { id: true } }))) return code;
  }
  throw new Error('Could not draw an unused ticket code');
}

/** Creates the ticket for a draft, or finds the one this draft already became. */
export async function submitReport(app: App, command: unknown, ctx: CommandContext): Promise<SubmitReportResult> {
  const { draft } = submitReportCommandSchema.parse(command);
  const { tx, chatKey, at } = ctx;
  const key = submissionKey(app.secrets, chatKey, draft);
  const existing = await tx.ticket.findUnique({ where: { submissionKey: key }, select: { code: true, officeCode: true } });
  if (existing) {
    return { status: 'duplicate', code: existing.code, office: { code: existing.officeCode, name: officeName(existing.officeCode) } };
  }
  const since = new Date(at.getTime() - 86_400_000);
  const today = await tx.ticket.count({ where: { reporterChatKey: chatKey, createdAt: { gt: since } } });
  if (today >= app.config.REPORTS_PER_DAY) return { status: 'limitReached', limit: app.config.REPORTS_PER_DAY };

  const personal = openPersonal(app.secrets, draft.personalSealed);
  const formal = draft.kind === 'formal';
  const { reporter } = personal;
  if (formal && (!reporter.name || !reporter.address || !reporter.phone)) {
    throw new Error('A formal report needs the reporter name, address and phone');
  }

  const id = randomUUID();
  const code = await uniqueTicketCode(tx);
  const receipt = generateReceipt();
  const officeCode = draft.place.regencyCode ?? draft.place.provinceCode;
  await tx.ticket.create({
    data: {
      id,
      code,
      kind: draft.kind,
      status: 'received',
      category: draft.category,
      officeCode,
      regencyCode: draft.place.regencyCode,
      provinceCode: draft.place.provinceCode,
      reporterChatKey: chatKey,
      pseudonym: pseudonymFor(app.secrets, chatKey, id),
      receiptHash: await hashReceipt(receipt),
      submissionKey: key,
      locale: ctx.locale,
      details: ticketDetails(draft) as never,
      reporterIdentityEnc: formal
        ? app.secrets.encryptJson({ name: reporter.name, address: reporter.address, phone: reporter.phone, email: reporter.email ?? null })
        : null,
      witnessesEnc: formal && personal.witnesses.length > 0 ? app.secrets.encryptJson(personal.witnesses) : null,
      eventDate: jakartaDayStart(draft.eventDate),
      learnedDate: jakartaDayStart(draft.learnedDate),
      deadline: jakartaDayStart(reportDeadline(draft.learnedDate)),
      createdAt: at,
      updatedAt: at,
      evidence: {
        create: draft.evidence.map((item, index) =>
          item.type === 'link'
            ? { kind: 'link', url: item.url, createdAt: new Date(at.getTime() + index) }
            : {
              kind: item.media.kind,
              mime: item.media.mime ?? null,
              fileName: item.media.fileName ?? null,
              size: item.media.size,
              sha256: item.media.sha256,
              path: item.media.path,
              strippedPath: item.media.strippedPath ?? null,
              // Distinct instants keep the reporter's order when rows are read back by creation time.
              createdAt: new Date(at.getTime() + index),
            },
        ),
      },
      events: { create: [{ type: 'submitted', status: 'received', actor: 'reporter', createdAt: at }] },
    },
  });
  await tx.outbox.create({
    data: {
      kind: 'ticket.forward',
      destination: { type: 'office', officeCode },
      payload: { ticketId: id },
      dedupKey: `ticket:${id}:forward`,
      nextAttemptAt: at,
      createdAt: at,
    },
  });
  app.logger.info({ chat: chatRef(chatKey), ticket: code, kind: draft.kind, office: officeCode }, 'report submitted');
  return {
    status: 'submitted',
    code,
    receipt,
    office: { code: officeCode, name: officeName(officeCode) },
    recommendationBody: app.config.RECOMMENDATION_BODY,
  };
}

/** The report flow's command handlers, bound to an app. */
export function reportCommands(app: App): Record<string, CommandHandler> {
  return {
    submitReport: (command, ctx) => submitReport(app, command, ctx),
    updatePersonal: async (command) => {
      const { sealed, op } = updatePersonalCommandSchema.parse(command);
      return { sealed: app.secrets.encryptJson(applyPersonalOp(openPersonal(app.secrets, sealed), op)) };
    },
    openPersonal: async (command) => {
      const { sealed } = openPersonalCommandSchema.parse(command);
      return { personal: openPersonal(app.secrets, sealed) };
    },
    describeReportPolicy: async () => ({ draftDays: app.config.DRAFT_TTL_DAYS, retentionDays: app.config.RETENTION_DAYS }),
  };
}
