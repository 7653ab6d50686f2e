/**
 * The report flow's commands on the bot side: the sealed personal data (encrypt, apply one change, decrypt for
 * the review), the storage periods for the privacy notice, and the submission that turns a draft into a ticket.
 *
 * A submission writes, in the turn's transaction: the ticket (identity and witnesses encrypted), its evidence
 * rows, a `submitted` event, and one outbox row that the forwarding worker expands into deliveries. A replay of
 * the same draft (same chat, same start, same content) finds the ticket through `submissionKey` and creates
 * nothing. Every report's last turn runs this, so it is two raw statements (the duplicate and daily-limit check,
 * then one insert of everything) rather than Prisma's seven round trips.
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
import { pureCommand, sqlCommand, type CommandHandler, type SqlCommandContext } from '../conversation/conversationRuntime.ts';
import { chatRef } from '../logger.ts';
import { officeName } from '../offices/officeDirectory.ts';
import type { Secrets } from '../security/secrets.ts';
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

/**
 * The reports a chat sent in the window REPORTS_PER_DAY counts (the 24 hours before `at`), as SQL over the chat's key
 * and the window's start (`sentSince`): checked at sending, and told as a draft begins.
 */
const sentInWindow = (chatKey: string, since: string) =>
  `(SELECT count(*)::int FROM "Ticket" WHERE "reporterChatKey" = ${chatKey} AND "createdAt" > ${since}::timestamp(3))`;
const sentSince = (at: Date): string => new Date(at.getTime() - 86_400_000).toISOString();

const reportsToday = `SELECT ${sentInWindow('$1', '$2')} AS "today"`;

const findDraftTicket = `SELECT t."code", t."officeCode", ${sentInWindow('$2', '$3')} AS "today"
  FROM (SELECT 1) AS one LEFT JOIN "Ticket" t ON t."submissionKey" = $1`;

/**
 * The ticket with its evidence, its `submitted` event and its outbox row, in one statement. A ticket code that is
 * taken inserts nothing (ON CONFLICT: an error would abort the turn's transaction) and the caller draws another.
 */
const insertTicket = `WITH ticket AS (
    INSERT INTO "Ticket" ("id", "code", "kind", "status", "category", "officeCode", "regencyCode", "provinceCode",
      "reporterChatKey", "pseudonym", "receiptHash", "submissionKey", "locale", "details", "reporterIdentityEnc",
      "witnessesEnc", "eventDate", "learnedDate", "deadline", "createdAt", "updatedAt")
    VALUES ($1, $2, $3, 'received', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15,
      $16::timestamp(3), $17::timestamp(3), $18::timestamp(3), $19::timestamp(3), $19::timestamp(3))
    ON CONFLICT ("code") DO NOTHING
    RETURNING "id"
  ), evidence AS (
    INSERT INTO "Evidence" ("id", "ticketId", "kind", "mime", "fileName", "size", "sha256", "path", "strippedPath", "url", "createdAt")
    SELECT e."id", ticket."id", e."kind", e."mime", e."fileName", e."size", e."sha256", e."path", e."strippedPath", e."url", e."createdAt"
    FROM ticket, jsonb_to_recordset($20::jsonb) AS e("id" text, "kind" text, "mime" text, "fileName" text, "size" int,
      "sha256" text, "path" text, "strippedPath" text, "url" text, "createdAt" timestamp(3))
  ), event AS (
    INSERT INTO "TicketEvent" ("id", "ticketId", "type", "status", "actor", "createdAt")
    SELECT $21, ticket."id", 'submitted', 'received', 'reporter', $19::timestamp(3) FROM ticket
  ), outbox AS (
    INSERT INTO "Outbox" ("id", "kind", "destination", "payload", "dedupKey", "nextAttemptAt", "createdAt")
    SELECT $22, 'ticket.forward', $23::jsonb, $24::jsonb, $25, $19::timestamp(3), $19::timestamp(3) FROM ticket
  )
  SELECT "id" FROM ticket`;

/** Creates the ticket for a draft, or finds the one this draft already became. */
export async function submitReport(app: App, command: unknown, ctx: SqlCommandContext): Promise<SubmitReportResult> {
  const { draft } = submitReportCommandSchema.parse(command);
  const { sql, chatKey, at } = ctx;
  const key = submissionKey(app.secrets, chatKey, draft);
  const [found] = await sql.query<{ code: string | null; officeCode: string | null; today: number }>(findDraftTicket, [
    key,
    chatKey,
    sentSince(at),
  ]);
  if (found?.code && found.officeCode) {
    return { status: 'duplicate', code: found.code, office: { code: found.officeCode, name: officeName(found.officeCode) } };
  }
  if ((found?.today ?? 0) >= app.config.REPORTS_PER_DAY) return { status: 'limitReached', limit: app.config.REPORTS_PER_DAY };

  const personal = openPersonal(app.secrets, draft.personalSealed);
  const formal = draft.kind === 'formal';
  const { reporter } = personal;
  if (formal && (!reporter.name || !reporter.address || !reporter.phone)) {
    throw new Error('A formal report needs the reporter name, address and phone');
  }

  const id = randomUUID();
  const receipt = generateReceipt();
  const officeCode = draft.place.regencyCode ?? draft.place.provinceCode;
  const evidence = draft.evidence.map((item, index) => ({
    id: randomUUID(),
    // Distinct instants keep the reporter's order when rows are read back by creation time.
    createdAt: new Date(at.getTime() + index).toISOString(),
    ...(item.type === 'link'
      ? { kind: 'link', url: item.url }
      : {
        kind: item.media.kind,
        mime: item.media.mime ?? null,
        fileName: item.media.fileName ?? null,
        size: item.media.size,
        sha256: item.media.sha256,
        path: item.media.path,
        strippedPath: item.media.strippedPath ?? null,
      }),
  }));
  const receiptHash = hashReceipt(app.secrets, receipt);
  const values = (code: string): unknown[] => [
    id,
    code,
    draft.kind,
    draft.category,
    officeCode,
    draft.place.regencyCode,
    draft.place.provinceCode,
    chatKey,
    pseudonymFor(app.secrets, chatKey, id),
    receiptHash,
    key,
    ctx.locale,
    JSON.stringify(ticketDetails(draft)),
    formal
      ? app.secrets.encryptJson({ name: reporter.name, address: reporter.address, phone: reporter.phone, email: reporter.email ?? null })
      : null,
    formal && personal.witnesses.length > 0 ? app.secrets.encryptJson(personal.witnesses) : null,
    jakartaDayStart(draft.eventDate).toISOString(),
    jakartaDayStart(draft.learnedDate).toISOString(),
    jakartaDayStart(reportDeadline(draft.learnedDate)).toISOString(),
    at.toISOString(),
    JSON.stringify(evidence),
    randomUUID(),
    randomUUID(),
    JSON.stringify({ type: 'office', officeCode }),
    JSON.stringify({ ticketId: id }),
    `ticket:${id}:forward`,
  ];
  let code: string | undefined;
  for (let attempt = 0; attempt < 8 && !code; attempt += 1) {
    const candidate = generateTicketCode();
    if ((await sql.query(insertTicket, values(candidate))).length === 1) code = candidate;
  }
  if (!code) throw new Error('Could not draw an unused ticket code');
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
    submitReport: sqlCommand((command, ctx) => submitReport(app, command, ctx)),
    updatePersonal: pureCommand(async (command) => {
      const { sealed, op } = updatePersonalCommandSchema.parse(command);
      return { sealed: app.secrets.encryptJson(applyPersonalOp(openPersonal(app.secrets, sealed), op)) };
    }),
    openPersonal: pureCommand(async (command) => {
      const { sealed } = openPersonalCommandSchema.parse(command);
      return { personal: openPersonal(app.secrets, sealed) };
    }),
    // Asked once as a draft begins: with the day's limit when this chat has reached it, so that the reporter learns it
    // before writing the whole report rather than at sending.
    describeReportPolicy: sqlCommand(async (_command, { sql, chatKey, at }) => {
      const [sent] = await sql.query<{ today: number }>(reportsToday, [chatKey, sentSince(at)]);
      const limit = app.config.REPORTS_PER_DAY;
      return {
        draftDays: app.config.DRAFT_TTL_DAYS,
        retentionDays: app.config.RETENTION_DAYS,
        ...(app.config.NETRA_SERVED_AREA ? { servedArea: app.config.NETRA_SERVED_AREA } : {}),
        ...((sent?.today ?? 0) >= limit ? { dailyLimitReached: limit } : {}),
      };
    }),
  };
}
