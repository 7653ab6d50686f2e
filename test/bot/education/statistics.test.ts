import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStats } from '../../../bot/cli/statsCommand.ts';
import type { Store } from '../../../bot/store/store.ts';
import { quizQuestions, type QuizTopic } from '../../../flows/quiz/questionBank.ts';
import { createTestStore, storeKinds } from '../../support/testDatabase.ts';

async function stats(store: Store, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runStats(args, store.prisma, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

/** The line of a text table that starts with `label`, split into its cells. */
function row(out: string, label: string): string[] {
  const line = out.split('\n').find((l) => l.startsWith(label));
  if (!line) throw new Error(`no row "${label}" in:\n${out}`);
  return line.slice(label.length).trim().split(/\s{2,}/);
}

/** Stored answers: `right` of `total` right, all on one topic. */
function answers(topic: QuizTopic, right: number, total = 10) {
  const ids = quizQuestions.filter((q) => q.topic === topic).map((q) => q.id);
  return Array.from({ length: total }, (_, i) => ({ questionId: ids[i % ids.length], chosen: 'a', topic, correct: i < right }));
}

interface Attempt {
  chat: string;
  regencyCode?: string;
  agency?: string;
  employment?: string;
  right: number;
  topic?: QuizTopic;
  answerTopic?: QuizTopic;
  finished?: boolean;
}

async function seed(store: Store): Promise<void> {
  const attempts: Attempt[] = [
    // Kabupaten Bangka Barat: 6 people, 4 of whom pass; one of them took it twice.
    ...['a1', 'a2', 'a3', 'a4'].map((chat) => ({ chat, regencyCode: '19.05', agency: 'Dinas Pendidikan', employment: 'pns', right: 9, answerTopic: 'legal-basis' as const })),
    { chat: 'a5', regencyCode: '19.05', agency: 'dinas  pendidikan.', employment: 'pppk', right: 5, answerTopic: 'sanctions' },
    { chat: 'a6', regencyCode: '19.05', agency: 'DINAS PENDIDIKAN', employment: 'pppk', right: 6, answerTopic: 'sanctions' },
    { chat: 'a6', regencyCode: '19.05', agency: 'DINAS PENDIDIKAN', employment: 'pppk', right: 7, answerTopic: 'sanctions' },
    // Kabupaten Bangka: 3 people (a small group), from a small agency.
    ...['b1', 'b2', 'b3'].map((chat) => ({ chat, regencyCode: '19.01', agency: 'Puskesmas Koba', employment: 'honorer', right: 10, answerTopic: 'reporting' as const })),
    // No profile: 5 people.
    ...['c1', 'c2', 'c3', 'c4', 'c5'].map((chat) => ({ chat, right: 3, answerTopic: 'who-decides' as const })),
    // Topic quizzes and unfinished attempts do not count towards pass rates.
    { chat: 'a1', regencyCode: '19.05', agency: 'Dinas Pendidikan', employment: 'pns', right: 0, topic: 'sanctions', answerTopic: 'sanctions' },
    { chat: 'z1', regencyCode: '19.05', agency: 'Dinas Pendidikan', employment: 'pns', right: 0, finished: false },
  ];
  for (const a of attempts) {
    const stored = answers(a.answerTopic ?? 'legal-basis', a.right, a.topic ? 5 : 10);
    await store.prisma.quizAttempt.create({
      data: {
        chatKey: a.chat,
        questionIds: stored.map((s) => s.questionId!),
        answers: a.finished === false ? [] : stored,
        score: a.right,
        total: stored.length,
        passed: a.right * 10 >= stored.length * 8,
        topic: a.topic ?? null,
        agency: a.agency ?? null,
        regencyCode: a.regencyCode ?? null,
        employment: a.employment ?? null,
        startedAt: new Date('2026-11-20T01:00:00Z'),
        finishedAt: a.finished === false ? null : new Date('2026-11-20T01:10:00Z'),
      },
    });
  }
  const tickets = [
    ...Array.from({ length: 7 }, (_, i) => ({ category: 'social-media', regencyCode: '19.05', status: 'received', createdAt: `2026-10-${10 + i}T05:00:00Z` })),
    { category: 'state-facilities', regencyCode: '19.01', status: 'closed', createdAt: '2026-11-01T05:00:00Z' },
    { category: 'state-facilities', regencyCode: null, status: 'received', createdAt: '2026-10-31T18:00:00Z' },
  ];
  let n = 0;
  for (const t of tickets) {
    n += 1;
    await store.prisma.ticket.create({
      data: {
        code: `NTR-TEST-${String(n).padStart(4, '0')}`,
        kind: n === 9 ? 'formal' : 'tip',
        status: t.status,
        category: t.category,
        officeCode: t.regencyCode ?? '19',
        regencyCode: t.regencyCode,
        provinceCode: '19',
        reporterChatKey: `r${n}`,
        pseudonym: `Pelapor ${n}`,
        receiptHash: 'x',
        // The reported person's employment: five village heads, two PNS, two not given.
        details: n <= 5 ? { terlapor: { name: 'x', employment: 'village' } } : n <= 7 ? { terlapor: { employment: 'pns' } } : {},
        createdAt: new Date(t.createdAt),
      },
    });
  }
}

describe.each(storeKinds)('netra stats on %s', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await createTestStore(kind);
    await seed(store);
  });
  afterAll(async () => {
    await store.close();
  });

  it('shows participants, pass rate and weakest topic per regency, with groups under 5 as "<5" and their rates hidden', async () => {
    const { code, out } = await stats(store, 'quiz', '--by', 'regency');
    expect(code).toBe(0);
    // 6 people, 7 full attempts, 4 passed; the topic quiz and the unfinished attempt are left out.
    expect(row(out, 'Kabupaten Bangka Barat, Kepulauan Bangka Belitung (19.05)')).toEqual(['6', '7', '57%', 'Sanctions (60% right)']);
    expect(row(out, 'Kabupaten Bangka, Kepulauan Bangka Belitung (19.01)')).toEqual(['<5', '–', '–', '–']);
    expect(row(out, '(not given)')).toEqual(['5', '5', '0%', 'Who imposes the sanction (30% right)']);
    expect(out).toContain('Counts under 5 are shown as "<5"');
    // Largest first, small groups last.
    expect(out.indexOf('(19.05)')).toBeLessThan(out.indexOf('(not given)'));
    expect(out.indexOf('(not given)')).toBeLessThan(out.indexOf('(19.01)'));
  });

  it('groups agencies typed differently and never names an agency with fewer than 5 participants', async () => {
    const { out } = await stats(store, 'quiz', '--by', 'agency');
    expect(row(out, 'Dinas Pendidikan')).toEqual(['6', '7', '57%', 'Sanctions (60% right)']);
    expect(out).not.toContain('Puskesmas');
    expect(row(out, '(other agencies, each under 5 participants)')).toEqual(['<5', '–', '–', '–']);
  });

  it('counts by employment status', async () => {
    const { out } = await stats(store, 'quiz', '--by', 'employment');
    expect(row(out, 'PNS')).toEqual(['<5', '–', '–', '–']);
    expect(row(out, 'Honorer / non-ASN')).toEqual(['<5', '–', '–', '–']);
    expect(row(out, '(not given)')).toEqual(['5', '5', '0%', 'Who imposes the sanction (30% right)']);
  });

  it('ranks topics weakest first over every finished quiz, topic quizzes included', async () => {
    const { out } = await stats(store, 'quiz', '--by', 'topic');
    expect(row(out, 'Who imposes the sanction')).toEqual(['5', '50', '30%']);
    // a1..a4 full quizzes plus a1's topic quiz: 4 people.
    expect(row(out, 'Legal basis')).toEqual(['<5', '–', '–']);
    expect(row(out, 'Sanctions')).toEqual(['<5', '–', '–']);
    expect(out.indexOf('Who imposes the sanction')).toBeLessThan(out.indexOf('Legal basis'));
  });

  it('counts reports by category, regency, status and Jakarta month', async () => {
    const category = await stats(store, 'reports', '--by', 'category');
    expect(row(category.out, 'Support on social media (social-media)')).toEqual(['7', '78%']);
    expect(row(category.out, 'Campaigning with state facilities (state-facilities)')).toEqual(['<5', '–']);
    const regency = await stats(store, 'reports', '--by', 'regency');
    expect(row(regency.out, 'Kabupaten Bangka Barat (19.05)')).toEqual(['7', '78%']);
    expect(row(regency.out, 'Kepulauan Bangka Belitung, regency unknown (19)')).toEqual(['<5', '–']);
    const status = await stats(store, 'reports', '--by', 'status');
    expect(row(status.out, 'received')).toEqual(['8', '89%']);
    expect(row(status.out, 'closed')).toEqual(['<5', '–']);
    // 31 October 18:00 UTC is 1 November in Jakarta.
    const month = await stats(store, 'reports', '--by', 'month');
    expect(row(month.out, '2026-10')).toEqual(['7', '78%']);
    expect(row(month.out, '2026-11')).toEqual(['<5', '–']);
  });

  it('counts reports by their kind and by the employment status of the person reported', async () => {
    const kindTable = await stats(store, 'reports', '--by', 'kind');
    expect(row(kindTable.out, 'Initial information (tip)')).toEqual(['8', '89%']);
    expect(row(kindTable.out, 'Formal report')).toEqual(['<5', '–']);
    const employment = await stats(store, 'reports', '--by', 'employment');
    expect(row(employment.out, 'Village head / village official')).toEqual(['5', '56%']);
    expect(row(employment.out, 'PNS')).toEqual(['<5', '–']);
    expect(row(employment.out, '(not given)')).toEqual(['<5', '–']);
    const period = await stats(store, 'reports', '--by', 'employment', '--since', '2026-11-01');
    expect(row(period.out, '(not given)')).toEqual(['<5', '–']);
    expect(period.out).not.toContain('Village head');
  });

  it('writes the same table as CSV', async () => {
    const { code, out } = await stats(store, 'reports', '--by', 'category', '--format', 'csv');
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      'category,reports,share',
      'Support on social media (social-media),7,78%',
      'Campaigning with state facilities (state-facilities),<5,–',
      '',
    ]);
    const regency = await stats(store, 'quiz', '--by', 'regency', '--format', 'csv');
    expect(regency.out).toContain('"Kabupaten Bangka Barat, Kepulauan Bangka Belitung (19.05)",6,7,57%,Sanctions (60% right)');
  });

  it('limits to a period of Jakarta days', async () => {
    const { out } = await stats(store, 'reports', '--by', 'month', '--since', '2026-11-01', '--until', '2026-11-30');
    expect(out).not.toContain('2026-10');
    expect(row(out, '2026-11')).toEqual(['<5', '–']);
    const none = await stats(store, 'quiz', '--by', 'regency', '--until', '2026-11-19');
    expect(none.out).toContain('(no data)');
  });

  it('limits to the reports of a province or regency, and to the quiz participants from there', async () => {
    const regency = await stats(store, 'reports', '--by', 'category', '--area', '19.05');
    expect(row(regency.out, 'Support on social media (social-media)')).toEqual(['7', '100%']);
    expect(regency.out).not.toContain('state-facilities');
    const province = await stats(store, 'reports', '--by', 'status', '--area', '19');
    expect(row(province.out, 'received')).toEqual(['8', '89%']);
    expect((await stats(store, 'reports', '--by', 'status', '--area', '32')).out).toContain('(no data)');
    const quiz = await stats(store, 'quiz', '--by', 'regency', '--area', '19.01');
    expect(row(quiz.out, 'Kabupaten Bangka, Kepulauan Bangka Belitung (19.01)')).toEqual(['<5', '–', '–', '–']);
    expect(quiz.out).not.toContain('19.05');
    expect(quiz.out).not.toContain('(not given)');
  });

  it('explains its usage for a wrong subject, grouping, format, date or area', async () => {
    for (const args of [[], ['quiz'], ['quiz', '--by', 'month'], ['reports', '--by', 'agency'], ['quiz', '--by', 'topic', '--format', 'xml'], ['quiz', '--by', 'topic', '--since', 'kemarin'], ['reports', '--by', 'status', '--area', 'Bangka']]) {
      const result = await stats(store, ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err).toMatch(/Usage: netra stats|--since expects/);
    }
  });

  it('lists the agencies of a provincial government under their province, and within that province\'s area', async () => {
    const stored = answers('legal-basis', 9, 10);
    const attempt = await store.prisma.quizAttempt.create({
      data: {
        chatKey: 'p1', questionIds: stored.map((s) => s.questionId!), answers: stored, score: 9, total: 10, passed: true, regencyCode: '19',
        startedAt: new Date('2026-11-20T01:00:00Z'), finishedAt: new Date('2026-11-20T01:10:00Z'),
      },
    });
    try {
      const province = await stats(store, 'quiz', '--by', 'regency', '--area', '19');
      expect(row(province.out, 'Kepulauan Bangka Belitung, provincial agencies (19)')).toEqual(['<5', '–', '–', '–']);
      expect((await stats(store, 'quiz', '--by', 'regency', '--area', '19.05')).out).not.toContain('provincial agencies');
    } finally {
      await store.prisma.quizAttempt.delete({ where: { id: attempt.id } });
    }
  });
});
