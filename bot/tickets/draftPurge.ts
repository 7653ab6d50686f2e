/**
 * Unfinished reports do not linger: a report draft untouched for DRAFT_TTL_DAYS is dropped with its evidence
 * files, the chat goes back to the main menu, and the reporter is told (through the outbox, when a channel can
 * reach them). Evidence files that no ticket and no live draft uses (a draft cancelled with /batal, a photo sent
 * to the menu) are removed once they are as old as that. Idempotent and safe in several processes: a chat is
 * reset with a compare-and-set on its revision, so a user who comes back at that moment keeps the draft. A draft kept
 * aside while the chat does something else (a report left for `/status`, see `FlowDefinition.keepsDraft`) is dropped
 * the same way once it was left DRAFT_TTL_DAYS ago, and its files count as used until then.
 */
import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { createActor } from 'xstate';
import { menuChoices, menuFlow } from '../../flows/menu/menu.machine.ts';
import { ask, say } from '../../flows/messages.ts';
import { reportContextSchema, type ReportContext } from '../../flows/report/reportContext.ts';
import type { App } from '../app.ts';
import type { Tx } from '../store/store.ts';
import { schedulePeriodicJob, type PeriodicJob } from '../jobs/periodicJob.ts';
import { KEPT_DRAFT_PREFIX } from '../conversation/chatRepository.ts';
import { chatRef } from '../logger.ts';

/** The parts of an app the purge needs. */
export type DraftPurgeApp = Pick<App, 'store' | 'dataDir' | 'logger' | 'config'>;

/** What a purge did. */
export interface DraftPurgeSummary {
  /** Chats whose stale draft was dropped. */
  drafts: number;
  /** Evidence files removed (originals and stripped copies). */
  files: number;
}

/** The paths (relative to the data directory) of the files a draft holds. */
function draftFiles(context: ReportContext | undefined): string[] {
  return (context?.evidence ?? []).flatMap((e) =>
    e.type === 'file' ? [e.media.path, ...(e.media.strippedPath ? [e.media.strippedPath] : [])] : [],
  );
}

function draftContext(snapshot: unknown): ReportContext | undefined {
  const context = (snapshot as { context?: unknown } | null)?.context;
  const parsed = reportContextSchema.safeParse(context);
  return parsed.success ? parsed.data : undefined;
}

/** A menu at rest, as the chat's new snapshot and prompt. */
function menuAtRest(at: Date): { snapshot: unknown; prompt: unknown } {
  const actor = createActor(menuFlow.machine, { input: { at: at.toISOString(), params: { intro: 'none' } } });
  actor.start();
  const snapshot = actor.getPersistedSnapshot();
  actor.stop();
  return { snapshot, prompt: ask('menu.ask', undefined, menuChoices) };
}

/** The name under which a chat's memory keeps a report left for another command. */
const KEPT_REPORT = `${KEPT_DRAFT_PREFIX}report`;

/** A chat with a report draft kept aside, as the purge reads it. */
interface KeptReport {
  key: string;
  revision: number;
  /** The kept draft's context, when it still reads as one. */
  context: ReportContext | undefined;
}

/**
 * The chats that keep a report draft aside (through the partial index on "draftKeptAt"): all of them, or those that
 * left it before `leftBefore`.
 */
async function keptReports(app: DraftPurgeApp, leftBefore?: Date): Promise<KeptReport[]> {
  const { prisma } = app.store;
  type Row = { key: string; revision: number; draft: unknown };
  const rows =
    leftBefore === undefined
      ? await prisma.$queryRaw<Row[]>`SELECT "key", "revision", "memory" -> ${KEPT_REPORT}::text AS "draft" FROM "Chat" WHERE "draftKeptAt" IS NOT NULL`
      : await prisma.$queryRaw<Row[]>`SELECT "key", "revision", "memory" -> ${KEPT_REPORT}::text AS "draft" FROM "Chat"
          WHERE "draftKeptAt" IS NOT NULL AND "draftKeptAt" < (${leftBefore.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  return rows.map((row) => ({
    key: row.key,
    revision: row.revision,
    context: draftContext((row.draft as { snapshot?: unknown } | null)?.snapshot),
  }));
}

async function referencedFiles(app: DraftPurgeApp, cutoff: Date): Promise<Set<string>> {
  const { prisma } = app.store;
  const referenced = new Set<string>();
  for (let after = ''; ; ) {
    const rows = await prisma.evidence.findMany({
      where: { id: { gt: after } },
      orderBy: { id: 'asc' },
      take: 1000,
      select: { id: true, path: true, strippedPath: true },
    });
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.path) referenced.add(path.normalize(row.path));
      if (row.strippedPath) referenced.add(path.normalize(row.strippedPath));
    }
    after = rows[rows.length - 1]!.id;
  }
  // Drafts kept aside are read before and after the live ones: a draft that moves between the two (left for another
  // command, or taken up again) while this runs is seen in one place or the other.
  const keptBefore = await keptReports(app);
  const live = await prisma.chat.findMany({
    where: { flow: 'report', updatedAt: { gte: cutoff } },
    select: { snapshot: true },
  });
  const keptAfter = await keptReports(app);
  const contexts = [...live.map((chat) => draftContext(chat.snapshot)), ...[...keptBefore, ...keptAfter].map((kept) => kept.context)];
  for (const context of contexts) for (const file of draftFiles(context)) referenced.add(path.normalize(file));
  return referenced;
}

async function removeFile(dataDir: string, relative: string): Promise<boolean> {
  const absolute = path.resolve(dataDir, relative);
  // Only ever under the evidence directory, whatever a stored path says.
  if (!absolute.startsWith(path.resolve(dataDir, 'evidence') + path.sep)) return false;
  try {
    await unlink(absolute);
    return true;
  } catch {
    return false;
  }
}

/** Evidence files older than the cutoff, relative to the data directory. */
async function oldEvidenceFiles(dataDir: string, cutoff: Date): Promise<string[]> {
  const root = path.join(dataDir, 'evidence');
  const files: string[] = [];
  let shards: string[];
  try {
    shards = await readdir(root);
  } catch {
    return files;
  }
  for (const shard of shards) {
    let names: string[];
    try {
      names = await readdir(path.join(root, shard));
    } catch {
      continue;
    }
    for (const name of names) {
      const relative = path.join('evidence', shard, name);
      const info = await stat(path.join(dataDir, relative)).catch(() => undefined);
      if (info?.isFile() && info.mtime < cutoff) files.push(relative);
    }
  }
  return files;
}

/**
 * In the transaction that drops a draft (`draft`: when it began, or the chat's revision): the chat's unsent evidence
 * rows go, and the reporter is told, once per draft.
 */
async function dropLeftovers(tx: Tx, chatKey: string, draft: string, days: number, now: Date): Promise<void> {
  await tx.evidence.deleteMany({ where: { chatKey, ticketId: null } });
  await tx.outbox.createMany({
    data: [
      {
        kind: 'chat.message',
        destination: { type: 'chat', chatKey },
        payload: { messages: [say('report.draftExpired', { days })] },
        dedupKey: `draft:${chatKey}:${draft}:expired`,
        nextAttemptAt: now,
        createdAt: now,
      },
    ],
    skipDuplicates: true,
  });
}

/** Drops report drafts untouched for DRAFT_TTL_DAYS before `now`, and evidence files nothing uses any more. */
export async function purgeStaleDrafts(app: DraftPurgeApp, now: Date): Promise<DraftPurgeSummary> {
  const { prisma } = app.store;
  const days = app.config.DRAFT_TTL_DAYS;
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const stale = await prisma.chat.findMany({
    where: { flow: 'report', updatedAt: { lt: cutoff } },
    select: { key: true, revision: true, snapshot: true },
  });
  const rest = menuAtRest(now);
  let drafts = 0;
  for (const chat of stale) {
    const context = draftContext(chat.snapshot);
    const reset = await prisma.$transaction(async (tx) => {
      const updated = await tx.chat.updateMany({
        where: { key: chat.key, revision: chat.revision, flow: 'report' },
        data: {
          flow: menuFlow.id,
          flowVersion: menuFlow.version,
          snapshot: rest.snapshot as never,
          prompt: rest.prompt as never,
          revision: { increment: 1 },
          updatedAt: now,
        },
      });
      if (updated.count === 0) return false;
      await dropLeftovers(tx, chat.key, context?.startedAt ?? String(chat.revision), days, now);
      return true;
    });
    if (reset) {
      drafts += 1;
      app.logger.info({ chat: chatRef(chat.key) }, 'stale report draft dropped');
    }
  }

  for (const kept of await keptReports(app, cutoff)) {
    const dropped = await prisma.$transaction(async (tx) => {
      const updated = await tx.$executeRaw`
        UPDATE "Chat" SET "memory" = "memory" - ${KEPT_REPORT}::text, "draftKeptAt" = NULL, "revision" = "revision" + 1
        WHERE "key" = ${kept.key} AND "revision" = ${kept.revision}`;
      if (updated === 0) return false;
      await dropLeftovers(tx, kept.key, kept.context?.startedAt ?? String(kept.revision), days, now);
      return true;
    });
    if (dropped) {
      drafts += 1;
      app.logger.info({ chat: chatRef(kept.key) }, 'stale kept report draft dropped');
    }
  }

  // Files go after the chats: whatever a dropped draft held is now unreferenced (unless a ticket or another
  // draft uses the same content, which is stored once).
  const referenced = await referencedFiles(app, cutoff);
  let files = 0;
  for (const file of await oldEvidenceFiles(app.dataDir, cutoff)) {
    if (!referenced.has(path.normalize(file)) && (await removeFile(app.dataDir, file))) files += 1;
  }
  return { drafts, files };
}

/** A started draft-purge schedule. */
export type DraftPurgeSchedule = PeriodicJob;

/** Purges stale drafts shortly after start and then every hour; timers are unref'd and stopped on close. */
export function scheduleDraftPurge(
  app: DraftPurgeApp & Pick<App, 'onClose'>,
  options: { firstRunMs?: number; intervalMs?: number; clock?: () => Date } = {},
): DraftPurgeSchedule {
  const clock = options.clock ?? (() => new Date());
  return schedulePeriodicJob(app, {
    name: 'draft purge',
    firstRunMs: options.firstRunMs ?? 5 * 60_000,
    intervalMs: options.intervalMs ?? 3_600_000,
    run: async () => {
      const summary = await purgeStaleDrafts(app, clock());
      if (summary.drafts + summary.files > 0) app.logger.info(summary, 'stale drafts and unused evidence removed');
    },
  });
}
