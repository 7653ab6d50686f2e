/**
 * Quiz statistics for Bawaslu and BKPSDM: participants, pass rate and weakest topic per regency, agency or
 * employment status, and how well each topic is answered. Only finished attempts count; pass rates use the full
 * quiz (a topic quiz is practice), topic results use every finished answer. Small groups are suppressed.
 */
import { z } from 'zod';
import { getProvince, getRegency } from '../../../content/regions/regions.ts';
import { topicLabel, type QuizTopic, quizTopicIds } from '../../../flows/quiz/questionBank.ts';
import { employmentSchema } from '../../../flows/quiz/quizCommands.ts';
import type { PrismaClient } from '../../store/store.ts';
import { bySize, MIN_GROUP_SIZE, percent, shownCount, shownDerived, suppressionNote, type StatsTable } from './statsTable.ts';

export const quizGroupings = ['regency', 'agency', 'employment', 'topic'] as const;
/** What `netra stats quiz --by` accepts. */
export type QuizGrouping = (typeof quizGroupings)[number];

/** The fields of a finished attempt the statistics read. */
export interface QuizStatsRow {
  chatKey: string;
  topic: string | null;
  passed: boolean;
  answers: unknown;
  agency: string | null;
  regencyCode: string | null;
  employment: string | null;
}

const storedAnswersSchema = z.array(z.object({ topic: z.string().nullable(), correct: z.boolean() }).loose()).catch([]);

/** A period to count, by when the attempt finished. */
export interface StatsPeriod {
  since?: Date;
  until?: Date;
}

/**
 * Loads the finished attempts of a period; with `area` (a province `19` or a regency `19.05`), only those of
 * participants who gave a regency there.
 */
export async function loadQuizRows(prisma: PrismaClient, period: StatsPeriod = {}, area?: string): Promise<QuizStatsRow[]> {
  return prisma.quizAttempt.findMany({
    where: {
      finishedAt: { not: null, ...(period.since ? { gte: period.since } : {}), ...(period.until ? { lt: period.until } : {}) },
      ...(area ? { OR: [{ regencyCode: area }, { regencyCode: { startsWith: `${area}.` } }] } : {}),
    },
    select: { chatKey: true, topic: true, passed: true, answers: true, agency: true, regencyCode: true, employment: true },
  });
}

const NOT_GIVEN = '(not given)';
const OTHER_AGENCIES = `(other agencies, each under ${MIN_GROUP_SIZE} participants)`;

/** Agencies typed differently ("Dinas  Pendidikan", "dinas pendidikan.") count as one. */
export function agencyKey(agency: string): string {
  return agency.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** A regency with its province; a province's own code stands for its provincial government's agencies. */
function regencyName(code: string): string {
  const own = /^\d{2}$/.test(code) ? getProvince(code) : undefined;
  if (own) return `${own.name}, provincial agencies (${code})`;
  const regency = getRegency(code);
  const province = regency ? getProvince(regency.provinceCode) : undefined;
  return regency ? `${regency.name}, ${province?.name ?? regency.provinceCode} (${code})` : code;
}

const employmentNames: Record<z.infer<typeof employmentSchema>, string> = {
  pns: 'PNS',
  pppk: 'PPPK',
  cpns: 'CPNS',
  village: 'Village head / staff',
  honorer: 'Honorer / non-ASN',
  other: 'Other',
};

interface Group {
  label: string;
  chats: Set<string>;
  attempts: number;
  passed: number;
  /** Per topic: answers and right answers. */
  topics: Map<string, { answers: number; correct: number }>;
}

function newGroup(label: string): Group {
  return { label, chats: new Set(), attempts: 0, passed: 0, topics: new Map() };
}

function addAttempt(group: Group, row: QuizStatsRow): void {
  group.chats.add(row.chatKey);
  group.attempts += 1;
  if (row.passed) group.passed += 1;
  for (const answer of storedAnswersSchema.parse(row.answers)) {
    if (!answer.topic) continue;
    const tally = group.topics.get(answer.topic) ?? { answers: 0, correct: 0 };
    tally.answers += 1;
    if (answer.correct) tally.correct += 1;
    group.topics.set(answer.topic, tally);
  }
}

function merge(label: string, groups: readonly Group[]): Group {
  const merged = newGroup(label);
  for (const g of groups) {
    for (const chat of g.chats) merged.chats.add(chat);
    merged.attempts += g.attempts;
    merged.passed += g.passed;
    for (const [topic, t] of g.topics) {
      const tally = merged.topics.get(topic) ?? { answers: 0, correct: 0 };
      tally.answers += t.answers;
      tally.correct += t.correct;
      merged.topics.set(topic, tally);
    }
  }
  return merged;
}

/** The topic answered worst in a group, with its share of right answers. */
function weakestTopic(group: Group): string {
  let worst: { topic: QuizTopic; correct: number; answers: number } | undefined;
  for (const topic of quizTopicIds) {
    const t = group.topics.get(topic);
    if (!t || t.answers === 0) continue;
    if (!worst || t.correct / t.answers < worst.correct / worst.answers) worst = { topic, ...t };
  }
  return worst ? `${topicLabel(worst.topic).en} (${percent(worst.correct, worst.answers)} right)` : '';
}

function groupRows(rows: readonly QuizStatsRow[], by: Exclude<QuizGrouping, 'topic'>): Group[] {
  const groups = new Map<string, Group>();
  for (const row of rows.filter((r) => r.topic === null)) {
    let key: string;
    let label: string;
    if (by === 'regency') {
      key = row.regencyCode ?? '';
      label = row.regencyCode ? regencyName(row.regencyCode) : NOT_GIVEN;
    } else if (by === 'employment') {
      const employment = employmentSchema.safeParse(row.employment);
      key = employment.success ? employment.data : '';
      label = employment.success ? employmentNames[employment.data] : NOT_GIVEN;
    } else {
      key = row.agency ? agencyKey(row.agency) : '';
      label = row.agency?.trim() || NOT_GIVEN;
    }
    const group = groups.get(key) ?? newGroup(label);
    addAttempt(group, row);
    groups.set(key, group);
  }
  let list = [...groups.values()];
  if (by === 'agency') {
    // Free text could name a tiny office or even a person: small agencies are never listed by name.
    const small = list.filter((g) => g.chats.size < MIN_GROUP_SIZE && g.label !== NOT_GIVEN);
    list = list.filter((g) => !small.includes(g));
    if (small.length > 0) list.push(merge(OTHER_AGENCIES, small));
  }
  return list.sort((a, b) => bySize(a.chats.size, b.chats.size) || a.label.localeCompare(b.label));
}

/** The quiz table for one grouping. */
export function quizStatsTable(rows: readonly QuizStatsRow[], by: QuizGrouping): StatsTable {
  if (by === 'topic') return topicTable(rows);
  const groups = groupRows(rows, by);
  return {
    title: `Quiz results by ${by} (finished full quizzes)`,
    columns: [
      { key: 'group', header: by === 'employment' ? 'employment status' : by },
      { key: 'participants', header: 'participants', numeric: true },
      { key: 'attempts', header: 'attempts', numeric: true },
      { key: 'passRate', header: 'pass rate', numeric: true },
      { key: 'weakest', header: 'weakest topic' },
    ],
    rows: groups.map((g) => ({
      group: g.label,
      participants: shownCount(g.chats.size),
      attempts: shownDerived(g.chats.size, String(g.attempts)),
      passRate: shownDerived(g.chats.size, percent(g.passed, g.attempts)),
      weakest: shownDerived(g.chats.size, weakestTopic(g)),
    })),
    notes: [suppressionNote, 'Pass rate: share of attempts with at least 80% right.'],
  };
}

function topicTable(rows: readonly QuizStatsRow[]): StatsTable {
  const perTopic = new Map<string, { chats: Set<string>; answers: number; correct: number }>();
  for (const row of rows) {
    for (const answer of storedAnswersSchema.parse(row.answers)) {
      if (!answer.topic) continue;
      const tally = perTopic.get(answer.topic) ?? { chats: new Set<string>(), answers: 0, correct: 0 };
      tally.chats.add(row.chatKey);
      tally.answers += 1;
      if (answer.correct) tally.correct += 1;
      perTopic.set(answer.topic, tally);
    }
  }
  const topics = quizTopicIds
    .map((topic) => ({ topic, tally: perTopic.get(topic) }))
    .filter((t): t is { topic: QuizTopic; tally: NonNullable<typeof t.tally> } => t.tally !== undefined)
    // Weakest first; small groups (whose rate is hidden) last, so the order reveals nothing about them.
    .sort((a, b) => {
      const rate = (t: typeof a) => (t.tally.chats.size < MIN_GROUP_SIZE ? 2 : t.tally.correct / t.tally.answers);
      return rate(a) - rate(b);
    });
  return {
    title: 'Quiz results by topic, weakest first (every finished quiz)',
    columns: [
      { key: 'topic', header: 'topic' },
      { key: 'participants', header: 'participants', numeric: true },
      { key: 'answers', header: 'answers', numeric: true },
      { key: 'right', header: 'right', numeric: true },
    ],
    rows: topics.map(({ topic, tally }) => ({
      topic: topicLabel(topic).en,
      participants: shownCount(tally.chats.size),
      answers: shownDerived(tally.chats.size, String(tally.answers)),
      right: shownDerived(tally.chats.size, percent(tally.correct, tally.answers)),
    })),
    notes: [suppressionNote],
  };
}
