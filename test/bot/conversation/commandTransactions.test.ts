import { pino } from 'pino';
import { enqueueActions, setup } from 'xstate';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConversationRuntime,
  pureCommand,
  sqlCommand,
  type CommandHandler,
} from '../../../bot/conversation/conversationRuntime.ts';
import { Secrets } from '../../../bot/security/secrets.ts';
import type { Store } from '../../../bot/store/store.ts';
import type { FlowDefinition, FlowEmitted, FlowInput } from '../../../flows/flow.ts';
import { say, type InboundEvent } from '../../../flows/messages.ts';
import { createTestStore, storeKinds } from '../../support/testDatabase.ts';

/** A flow that runs the commands named in the user's text ("a,b") and replies with each result. */
const commandingMachine = setup({
  types: { input: {} as FlowInput, context: {} as Record<string, never>, events: {} as InboundEvent, emitted: {} as FlowEmitted },
}).createMachine({
  id: 'commanding',
  context: {},
  initial: 'idle',
  states: {
    idle: {
      on: {
        'user.sendText': {
          actions: enqueueActions(({ event, enqueue }) => {
            for (const type of event.text.split(',')) enqueue.emit({ type: 'command', command: { type } });
          }),
        },
        'system.commandResult': {
          actions: enqueueActions(({ event, enqueue }) => {
            enqueue.emit({ type: 'reply', message: say('common.help', { result: String(event.result) }) });
            // "chain" asks for a Prisma command only once its result is in: the turn cannot know it beforehand.
            if (event.command === 'chain') enqueue.emit({ type: 'command', command: { type: 'prisma' } });
          }),
        },
      },
    },
  },
});

const commandingFlow: FlowDefinition = {
  id: 'menu',
  version: 1,
  machine: commandingMachine,
  contextSchema: z.object({}),
};

describe.each(storeKinds)('commands in a turn on %s', (kind) => {
  let store: Store;
  let runtime: ConversationRuntime;
  const seen: Array<{ command: string; keys: string[] }> = [];

  const record =
    (command: string) =>
      async (_command: unknown, ctx: object): Promise<string> => {
        seen.push({ command, keys: Object.keys(ctx).sort() });
        return command;
      };
  const insertNote = (text: string) => async (ctx: { sql: { query: (sql: string, params: unknown[]) => Promise<unknown[]> } }) =>
    ctx.sql.query('INSERT INTO "probe_note" ("text") VALUES ($1)', [text]);
  const notes = async (): Promise<string[]> =>
    (await store.query<{ text: string }>('SELECT "text" FROM "probe_note" ORDER BY "id"')).map((r) => r.text);

  beforeAll(async () => {
    store = await createTestStore(kind);
    await store.exec('CREATE TABLE "probe_note" ("id" serial PRIMARY KEY, "text" text NOT NULL)');
    const prismaHandler: CommandHandler = async (command, ctx) => {
      await record('prisma')(command, ctx);
      await ctx.tx.$executeRawUnsafe('INSERT INTO "probe_note" ("text") VALUES ($1)', 'by prisma');
      return 'prisma';
    };
    runtime = new ConversationRuntime({
      store,
      secrets: new Secrets(Buffer.alloc(32, 7)),
      logger: pino({ level: 'silent' }),
      flows: [commandingFlow],
      commands: {
        pure: pureCommand(record('pure')),
        sql: sqlCommand(async (command, ctx) => {
          await record('sql')(command, ctx);
          await insertNote('by sql')(ctx);
          return 'sql';
        }),
        chain: sqlCommand(async (_command, ctx) => {
          await insertNote('by chain')(ctx);
          return 'chain';
        }),
        failing: sqlCommand(async () => {
          throw new Error('the handler failed');
        }),
        prisma: prismaHandler,
      },
    });
  });
  afterAll(async () => {
    await store.close();
  });

  const turn = (chatId: string, text: string) => runtime.handle({ channel: 'terminal', chatId }, { type: 'user.sendText', text });

  it('gives a pure command no transaction and an SQL command only its raw transaction', async () => {
    seen.length = 0;
    await turn('kinds', 'start');
    await turn('kinds', 'pure,sql');
    expect(seen).toEqual([
      { command: 'pure', keys: ['at', 'channel', 'chatKey', 'locale'] },
      { command: 'sql', keys: ['at', 'channel', 'chatKey', 'locale', 'sql'] },
    ]);
    expect(await notes()).toContain('by sql');
  });

  it('rolls back what an SQL command wrote when a later command of the same turn fails, and keeps the old state', async () => {
    await store.exec('DELETE FROM "probe_note"');
    await turn('rollback', 'start');
    const before = await store.query<{ revision: number }>('SELECT "revision" FROM "Chat"');
    await expect(turn('rollback', 'sql,failing')).rejects.toThrow('the handler failed');
    expect(await notes()).toEqual([]);
    expect(await store.query<{ revision: number }>('SELECT "revision" FROM "Chat"')).toEqual(before);
  });

  it('runs a turn that mixes SQL and Prisma commands once, in one Prisma transaction', async () => {
    await store.exec('DELETE FROM "probe_note"');
    seen.length = 0;
    await turn('mixed', 'start');
    const result = await turn('mixed', 'sql,prisma');
    expect(await notes()).toEqual(['by sql', 'by prisma']);
    expect(seen.map((s) => s.command)).toEqual(['sql', 'prisma']);
    expect(seen[1]!.keys).toContain('tx');
    expect(result.messages).toHaveLength(2);
  });

  it('runs the turn again on a Prisma transaction when an SQL command leads to a Prisma one, writing each once', async () => {
    await store.exec('DELETE FROM "probe_note"');
    await turn('chained', 'start');
    const result = await turn('chained', 'chain');
    expect(await notes()).toEqual(['by chain', 'by prisma']);
    expect(result.messages).toHaveLength(2);
  });
});
