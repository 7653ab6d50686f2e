import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectChats, updateChats } from '../../../bot/conversation/chatRepository.ts';
import type { Store } from '../../../bot/store/store.ts';
import { createTestStore } from '../../support/testDatabase.ts';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/** Whether the plan of a prepared statement scans the whole Chat table. */
async function scansChats(client: pg.Client, name: string, execute: string): Promise<boolean> {
  const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) EXECUTE ${name}${execute}`);
  return nodesOf(rows[0]!['QUERY PLAN'][0]!.Plan).some((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'Chat');
}

/**
 * A fresh PostgreSQL test database for the block, with a client of its own on it (a prepared statement or a
 * transaction stays on one connection), prepared by `setUp`; closed and dropped after the block.
 */
function databaseWithClient(setUp: (client: pg.Client) => Promise<void>): () => pg.Client {
  let store: Store & { databaseUrl?: string };
  let client: pg.Client;
  beforeAll(async () => {
    store = await createTestStore('postgres');
    client = new pg.Client({ connectionString: store.databaseUrl });
    await client.connect();
    await setUp(client);
  });
  afterAll(async () => {
    await client.end();
    await store.close();
  });
  return () => client;
}

describe('the shared statements of chat state on PostgreSQL, with a few thousand chats analysed', () => {
  const saveArgs = `('[{"key":"k7","locale":"id","flow":"quiz","flowVersion":1,"snapshot":{},"prompt":null,"recent":[],"expected":1}]', ARRAY['k7'])`;

  const db = databaseWithClient(async (client) => {
    // The size at which the planner's guess of a hundred rows from jsonb_to_recordset made a scan look cheaper, in
    // pages packed full (Chat leaves a fifth of each page free for saves; fuller pages make a scan look cheaper still).
    await client.query('ALTER TABLE "Chat" SET (fillfactor = 100)');
    await client.query(`INSERT INTO "Chat" ("key", "channel", "addressEnc", "locale", "flow", "flowVersion", "snapshot", "prompt",
      "revision", "recentMessages", "updatedAt")
      SELECT 'k' || g, 'telegram', 'x', 'id', 'quiz', 1, jsonb_build_object('answers', repeat('x', 1200)), 'null', 1, ARRAY['1'], now()
      FROM generate_series(1, 2000) g`);
    await client.query('ANALYZE "Chat"');
    await client.query(`PREPARE save (jsonb, text[]) AS ${updateChats}`);
    await client.query(`PREPARE load (text[]) AS ${selectChats}`);
    // The save as it was, without the keys as an array: the control that shows the planner's choice at this size.
    await client.query(`PREPARE save_without_keys (jsonb, text[]) AS ${updateChats.replace('c."key" = ANY($2::text[]) AND ', '')}`);
  });

  it.each(['force_generic_plan', 'force_custom_plan'])('look chats up by key and never scan the table (%s)', async (mode) => {
    const client = db();
    await client.query(`SET plan_cache_mode = ${mode}`);
    expect(await scansChats(client, 'save_without_keys', saveArgs)).toBe(true);
    expect(await scansChats(client, 'save', saveArgs)).toBe(false);
    expect(await scansChats(client, 'load', `(ARRAY['k7', 'k8'])`)).toBe(false);
  });

  it('save only the chats whose revision still matches, as before', async () => {
    const client = db();
    await client.query('SET plan_cache_mode = auto');
    const saved = await client.query<{ key: string }>(
      `EXECUTE save ('[{"key":"k1","locale":"en","flow":"quiz","flowVersion":1,"snapshot":{},"prompt":null,"recent":["9"],"expected":1},
        {"key":"k2","locale":"en","flow":"quiz","flowVersion":1,"snapshot":{},"prompt":null,"recent":[],"expected":5}]', ARRAY['k1', 'k2'])`,
    );
    expect(saved.rows.map((r) => r.key)).toEqual(['k1']);
    const { rows } = await client.query<{ key: string; revision: number; locale: string; recentMessages: string[] }>(
      `SELECT "key", "revision", "locale", "recentMessages" FROM "Chat" WHERE "key" IN ('k1', 'k2') ORDER BY "key"`,
    );
    expect(rows).toEqual([
      { key: 'k1', revision: 2, locale: 'en', recentMessages: ['9'] },
      { key: 'k2', revision: 1, locale: 'id', recentMessages: ['1'] },
    ]);
  });
});

describe('a chat\'s save on PostgreSQL', () => {
  const db = databaseWithClient(async (client) => {
    // Chats mid-report: a turn there keeps the flow (entering or leaving one changes an indexed column, and is rare).
    await client.query(`INSERT INTO "Chat" ("key", "channel", "addressEnc", "flow", "snapshot", "revision", "updatedAt")
      SELECT 'h' || g, 'telegram', 'x', 'report', '{"value":"askCategory"}', 1, now() - interval '1 hour' FROM generate_series(1, 10) g`);
  });

  it('is a heap-only update, which writes no index entry, though it moves the chat\'s updatedAt', async () => {
    const client = db();
    await client.query('BEGIN');
    try {
      for (let i = 1; i <= 10; i += 1) {
        const saved = await client.query(updateChats, [
          JSON.stringify([{ key: `h${i}`, locale: 'id', flow: 'report', flowVersion: 1, snapshot: { value: 'askPlace' }, prompt: null, recent: [`${i}`], expected: 1 }]),
          [`h${i}`],
        ]);
        expect(saved.rowCount).toBe(1);
      }
      // This transaction's own counts, exact and at once (the cumulative view is updated later).
      const { rows } = await client.query<{ updates: string; hot: string }>(
        `SELECT n_tup_upd AS updates, n_tup_hot_upd AS hot FROM pg_stat_xact_user_tables WHERE relname = 'Chat'`,
      );
      expect(rows[0]).toEqual({ updates: '10', hot: '10' });
      const moved = await client.query(`SELECT count(*)::int AS n FROM "Chat" WHERE "updatedAt" > now() - interval '1 minute'`);
      expect(moved.rows[0]).toEqual({ n: 10 });
    } finally {
      await client.query('ROLLBACK');
    }
  });
});

describe('a chat\'s save of what it keeps on PostgreSQL', () => {
  const db = databaseWithClient(async (client) => {
    await client.query(`INSERT INTO "Chat" ("key", "channel", "addressEnc", "flow", "snapshot", "revision", "updatedAt")
      SELECT 'm' || g, 'telegram', 'x', 'learn', '{"value":"reading"}', 1, now() - interval '1 hour' FROM generate_series(1, 8) g`);
  });
  const save = (client: pg.Client, key: string, memory: unknown, expected = 1) =>
    client.query(updateChats, [
      JSON.stringify([{ key, locale: 'id', flow: 'learn', flowVersion: 1, snapshot: { value: 'reading' }, prompt: null, memory, recent: [], expected }]),
      [key],
    ]);

  it('stays heap-only when it changes what the chat keeps (a lesson card read), with no draft kept', async () => {
    const client = db();
    await client.query('BEGIN');
    try {
      for (let i = 1; i <= 8; i += 1) expect((await save(client, `m${i}`, { learn: { card: i, read: [i] } })).rowCount).toBe(1);
      const { rows } = await client.query<{ updates: string; hot: string }>(
        `SELECT n_tup_upd AS updates, n_tup_hot_upd AS hot FROM pg_stat_xact_user_tables WHERE relname = 'Chat'`,
      );
      expect(rows[0]).toEqual({ updates: '8', hot: '8' });
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('records when a report draft was kept from the memory it writes, keeps it while the memory is not written, and clears it', async () => {
    const client = db();
    const keptAt = async () => (await client.query<{ at: string | null }>(`SELECT "draftKeptAt"::text AS at FROM "Chat" WHERE "key" = 'm1'`)).rows[0]!.at;
    const draft = { snapshot: { status: 'active' }, prompt: null, version: 1, keptAt: '2026-12-01T10:15:30.250Z' };
    await save(client, 'm1', { learn: { card: 1 }, 'draft:report': draft }, 1);
    expect(await keptAt()).toBe('2026-12-01 10:15:30.25');
    await save(client, 'm1', null, 2);
    expect(await keptAt()).toBe('2026-12-01 10:15:30.25');
    await save(client, 'm1', { learn: { card: 2 } }, 3);
    expect(await keptAt()).toBeNull();
  });
});

describe('the draft purge\'s search on PostgreSQL, among many chats', () => {
  const db = databaseWithClient(async (client) => {
    // Many chats at rest and a few mid-report, as in a deployment, with the statistics the planner would have.
    await client.query(`INSERT INTO "Chat" ("key", "channel", "addressEnc", "flow", "snapshot", "revision", "updatedAt")
      SELECT 'p' || g, 'telegram', 'x', CASE WHEN g % 500 = 0 THEN 'report' ELSE 'menu' END, jsonb_build_object('answers', repeat('x', 400)), 1,
        now() - (g % 30) * interval '1 day'
      FROM generate_series(1, 20000) g`);
    await client.query('ANALYZE "Chat"');
  });

  it('finds stale drafts through the index of chats mid-report, and drafts kept aside through theirs, without reading every chat', async () => {
    const client = db();
    // The purge's two searches as Prisma sends them: the flow and the cut-off as parameters of an unnamed statement.
    const cutoff = new Date(Date.now() - 7 * 86_400_000);
    for (const comparison of ['<', '>=']) {
      const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
        `EXPLAIN (FORMAT JSON) SELECT "key", "snapshot" FROM "Chat" WHERE ("flow" = $1 AND "updatedAt" ${comparison} $2)`,
        ['report', cutoff],
      );
      const nodes = nodesOf(rows[0]!['QUERY PLAN'][0]!.Plan);
      expect(nodes.some((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'Chat')).toBe(false);
      expect(JSON.stringify(rows[0])).toContain('Chat_reportDrafts_idx');
    }
    // The drafts kept aside (a report left for another command), all and the stale ones, through their own index.
    for (const where of [`"draftKeptAt" IS NOT NULL`, `"draftKeptAt" IS NOT NULL AND "draftKeptAt" < ($1::timestamptz AT TIME ZONE 'UTC')`]) {
      const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
        `EXPLAIN (FORMAT JSON) SELECT "key", "revision", "flow", "memory" -> 'draft:report' AS "draft" FROM "Chat" WHERE ${where}`,
        where.includes('$1') ? [cutoff.toISOString()] : [],
      );
      expect(JSON.stringify(rows[0])).toContain('Chat_keptDrafts_idx');
    }
    const stale = await client.query(`SELECT count(*)::int AS n FROM "Chat" WHERE "flow" = 'report' AND "updatedAt" < now() - interval '7 days'`);
    const drafts = Array.from({ length: 20_000 }, (_, i) => i + 1).filter((g) => g % 500 === 0);
    expect(stale.rows[0]).toEqual({ n: drafts.filter((g) => g % 30 >= 7).length });
  });
});
