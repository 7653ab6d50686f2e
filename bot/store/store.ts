/**
 * Opens Netra's store: PostgreSQL when a URL is given, else embedded PGlite under the data directory (or in
 * memory, for tests). Both run the same migrations and are used through the same Prisma client.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.ts';
import { migrate, type SqlRunner } from './migrate.ts';

export type { PrismaClient };
export { Prisma } from './generated/prisma/client.ts';

/** A transaction client, as handed to `prisma.$transaction(async (tx) => ...)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** A connection inside an open transaction, for raw parameterised statements. */
export interface Sql {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * Raw statements through Prisma: an open Prisma transaction (slower than {@link Store.transaction}, same semantics)
 * or the client itself.
 */
export function prismaSql(tx: Pick<Tx, '$queryRawUnsafe'>): Sql {
  return { query: <T,>(sql: string, params: unknown[] = []) => tx.$queryRawUnsafe<T[]>(sql, ...params) };
}

/** Raw statements wherever they run: on the store's driver as they are, or through Prisma (a client or a transaction). */
export function asSql(db: Sql | Pick<Tx, '$queryRawUnsafe'>): Sql {
  return '$queryRawUnsafe' in db ? prismaSql(db) : db;
}

/** The most statement texts prepared by name; any beyond them run unnamed, so a stray dynamic text cannot pile up. */
const MAX_PREPARED = 256;
const preparedNames = new Map<string, string>();

/**
 * A raw statement for pg, as a named prepared statement: PostgreSQL then parses and plans each text once per
 * connection instead of on every execution, which halves its CPU for the per-message path's short statements
 * (measured here: 125 → 64 µs of server CPU a statement, and less client work too). Netra's raw statements are
 * fixed texts with parameters, so a few dozen names cover them all. A pooler in front of PostgreSQL must keep
 * prepared statements in its pooling mode (PgBouncer does from 1.21, with `max_prepared_statements`); behind one
 * that cannot, open the store with `preparedStatements: false` (DATABASE_PREPARED_STATEMENTS=false).
 */
function pgQuery(text: string, values: unknown[]): pg.QueryConfig {
  let name = preparedNames.get(text);
  if (name === undefined && preparedNames.size < MAX_PREPARED) {
    name = `netra_${preparedNames.size + 1}`;
    preparedNames.set(text, name);
  }
  return name === undefined ? { text, values } : { name, text, values };
}

function unnamedQuery(text: string, values: unknown[]): pg.QueryConfig {
  return { text, values };
}

/** An open store. */
export interface Store {
  readonly kind: 'postgres' | 'pglite';
  readonly prisma: PrismaClient;
  /** Runs one SQL script outside Prisma (migrations, seeds); several statements allowed. */
  readonly exec: (sql: string) => Promise<void>;
  /**
   * One parameterised statement straight on the driver (pg or PGlite), bypassing Prisma: for the per-message hot
   * path only, where Prisma's overhead halves throughput. Use RETURNING to learn what a write touched. Pass a fixed
   * text with parameters: on PostgreSQL each text becomes a prepared statement on every connection.
   */
  readonly query: <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;
  /**
   * {@link query} for the conversation state of turns that write nothing else, on connections of their own whose
   * commits do not wait for the disk (PostgreSQL's `synchronous_commit = off`, unless the store was opened with
   * `syncChatState`). The change is visible at once and on disk a fraction of a second later; only a crash of
   * the database server in between can lose it (never a report: those commit in {@link transaction}, which waits,
   * and a commit that waits also makes everything committed before it durable). Its own small pool also keeps
   * turns going while forwarding holds the main pool's connections. PGlite: the same as {@link query}.
   */
  readonly relaxedQuery: <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;
  /**
   * Runs `fn` in one transaction straight on the driver (BEGIN … COMMIT on one connection, ROLLBACK when `fn`
   * throws). The hot path's transactions use this; Prisma's interactive transactions cost several times more.
   */
  transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /** Applies pending migrations; returns the names applied now. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

export type StoreOptions =
  | { databaseUrl: string; poolSize?: number; migrate?: boolean; syncChatState?: boolean; preparedStatements?: boolean }
  | { dataDir: string; migrate?: boolean }
  | {
      memory: true;
      migrate?: boolean;
      /**
       * A copy of an embedded database (PGlite's `dumpDataDir`) to start from instead of an empty one: PGlite then
       * skips initdb, about a second of CPU. The tests start each of their in-memory stores from one migrated copy.
       */
      from?: Blob;
    };

/** Raised when another process holds the embedded database. */
export class StoreLockedError extends Error {
  constructor(readonly pid: number, readonly lockFile: string) {
    super(
      `Another Netra process (PID ${pid}) is using the embedded database in ${path.dirname(lockFile)}. ` +
        'Stop it first, or run Netra on PostgreSQL (set DATABASE_URL), which several processes can share.',
    );
    this.name = 'StoreLockedError';
  }
}

/** Opens (and by default migrates) a store. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store = 'databaseUrl' in options ? openPostgres(options) : await openPglite(options);
  if (options.migrate !== false) {
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

/** The settings a deployment gives the store (a subset of Netra's configuration). */
export interface StoreConfig {
  DATABASE_URL?: string | undefined;
  NETRA_DATA_DIR: string;
  CHAT_STATE_SYNC_COMMIT: boolean;
  DATABASE_PREPARED_STATEMENTS: boolean;
}

/**
 * Opens the store a deployment is configured for: PostgreSQL when DATABASE_URL is set (with its settings), else the
 * embedded database under NETRA_DATA_DIR. The bot and every command that touches the data open it this way.
 */
export function openConfiguredStore(config: StoreConfig, options: { migrate?: boolean } = {}): Promise<Store> {
  return config.DATABASE_URL
    ? openStore({
      databaseUrl: config.DATABASE_URL,
      syncChatState: config.CHAT_STATE_SYNC_COMMIT,
      preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
      ...options,
    })
    : openStore({ dataDir: path.resolve(config.NETRA_DATA_DIR), ...options });
}

type OpenedStore = Store;

/** Connections of the chat-state pool: the shared loads and saves of chats run at most two of each at once. */
const RELAXED_POOL_SIZE = 4;

type PostgresOptions = { databaseUrl: string; poolSize?: number; syncChatState?: boolean; preparedStatements?: boolean };

function openPostgres(options: PostgresOptions): OpenedStore {
  const statement = options.preparedStatements === false ? unnamedQuery : pgQuery;
  // Timestamps are stored without a zone, in UTC (as Prisma writes them); now() must agree whatever the server's zone.
  const session = '-c TimeZone=UTC';
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10, options: session, allowExitOnIdle: true });
  const relaxedPool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: RELAXED_POOL_SIZE,
    options: options.syncChatState ? session : `${session} -c synchronous_commit=off`,
    allowExitOnIdle: true,
  });
  // A dropped connection must not crash the process: the pool replaces it on the next query.
  pool.on('error', () => undefined);
  relaxedPool.on('error', () => undefined);
  // A connection that dies (terminated, PostgreSQL restarted) emits 'error' on its client, which unheard would crash
  // the process. It can do so in the very read that completes the connection, before whoever checked it out could
  // listen; so every client listens from the moment the pool hands it out first, and its statements fail instead.
  for (const each of [pool, relaxedPool]) each.on('connect', (client) => client.on('error', () => undefined));
  releaseFailedTransactions(pool);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const runner: SqlRunner = {
    async withLock(fn) {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock(727072)');
        try {
          return await fn({
            exec: async (sql) => void (await client.query(sql)),
            query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
          });
        } finally {
          await client.query('SELECT pg_advisory_unlock(727072)');
        }
      } finally {
        client.release();
      }
    },
  };
  return {
    kind: 'postgres',
    prisma,
    migrate: () => migrate(runner),
    exec: async (sql) => void (await pool.query(sql)),
    query: async <T,>(sql: string, params: unknown[] = []) => (await pool.query(statement(sql, params))).rows as T[],
    relaxedQuery: async <T,>(sql: string, params: unknown[] = []) => (await relaxedPool.query(statement(sql, params))).rows as T[],
    async transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
      // The guarded client (above) releases itself with the error when COMMIT or ROLLBACK fails on a dead connection.
      const client = await pool.connect();
      let committing = false;
      try {
        await client.query('BEGIN');
        const result = await fn({ query: async <R,>(text: string, params: unknown[] = []) => (await client.query(statement(text, params))).rows as R[] });
        committing = true;
        await client.query('COMMIT');
        return result;
      } catch (error) {
        if (!committing) await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await Promise.all([pool.end().catch(() => undefined), relaxedPool.end().catch(() => undefined)]);
    },
  };
}

const GUARDED = Symbol('netra.guardedClient');

/**
 * Prisma's driver-adapter transactions send COMMIT or ROLLBACK and release the pool client only when that
 * succeeded. When the connection died during the transaction (PostgreSQL restarted, connections terminated), the
 * ROLLBACK fails too and the client is never released: each such transaction took one pool slot for good, until
 * the pool was empty and every query, every turn, waited forever. Here a failed COMMIT or ROLLBACK releases its
 * client with the error (so the pool discards the connection), and a later release of it is ignored.
 */
function releaseFailedTransactions(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  const guard = (client: pg.PoolClient): pg.PoolClient => {
    const release = client.release.bind(client);
    let released = false;
    client.release = (error?: Error | boolean) => {
      if (released) return;
      released = true;
      release(error);
    };
    const guarded = client as pg.PoolClient & { [GUARDED]?: true };
    if (!guarded[GUARDED]) {
      guarded[GUARDED] = true;
      // (Its 'error' events are heard from its first checkout on: see the pools' 'connect' listeners.)
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      client.query = ((...args: unknown[]) => {
        const result = query(...args);
        const first = args[0] as string | { text?: unknown } | undefined;
        const text = typeof first === 'string' ? first : typeof first?.text === 'string' ? first.text : '';
        if (result instanceof Promise && /^\s*(COMMIT|ROLLBACK)\b/i.test(text)) {
          result.catch((error: unknown) => client.release(error instanceof Error ? error : new Error(String(error))));
        }
        return result;
      }) as typeof client.query;
    }
    return client;
  };
  pool.connect = ((...args: unknown[]) => {
    // pg-pool's own pool.query() passes a callback; only the promise form (the adapter's) is guarded.
    if (typeof args[0] === 'function') return connect(...args);
    return (connect() as Promise<pg.PoolClient>).then(guard);
  }) as typeof pool.connect;
}

async function openPglite(options: { dataDir: string } | { memory: true; from?: Blob }): Promise<OpenedStore> {
  // Loaded only when used: PGlite's module alone adds about 40 MB to a process that runs on PostgreSQL.
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter')]);
  let release = () => {};
  let db: PGlite;
  if ('dataDir' in options) {
    const dir = path.resolve(options.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    release = lockDirectory(path.resolve(options.dataDir, 'pglite.lock'));
    try {
      db = await PGlite.create(dir);
    } catch (error) {
      release();
      throw error;
    }
  } else {
    db = await PGlite.create(options.from ? { loadDataDir: options.from } : {});
  }
  yieldBeforeStatements(db);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  const runner: SqlRunner = {
    withLock: (fn) =>
      fn({
        exec: async (sql) => void (await db.exec(sql)),
        query: async (sql, params) => (await db.query<Record<string, unknown>>(sql, params as unknown[])).rows,
      }),
  };
  const query = async <T,>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows;
  return {
    kind: 'pglite',
    prisma,
    migrate: () => migrate(runner),
    exec: async (sql) => void (await db.exec(sql)),
    query,
    relaxedQuery: query,
    transaction: <T,>(fn: (sql: Sql) => Promise<T>) =>
      db.transaction((tx) => fn({ query: async <R,>(text: string, params: unknown[] = []) => (await tx.query<R>(text, params)).rows })),
    async close() {
      await prisma.$disconnect();
      await db.close();
      release();
    },
  };
}

/**
 * PGlite runs each statement in this thread and resolves its promise at once, so turns waiting for it go on from
 * microtask to microtask: dozens of chats' statements ran back to back without a gap, and meanwhile no webhook was
 * read and no reply was sent (the event loop stood still for half a second to two seconds at a time under load).
 * Each statement and transaction now first lets pending I/O run, which costs microseconds.
 */
function yieldBeforeStatements(db: PGlite): void {
  const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));
  const query = db.query.bind(db);
  const exec = db.exec.bind(db);
  const transaction = db.transaction.bind(db);
  db.query = (async (...args: Parameters<PGlite['query']>) => {
    await nextTick();
    return query(...args);
  }) as PGlite['query'];
  db.exec = (async (...args: Parameters<PGlite['exec']>) => {
    await nextTick();
    return exec(...args);
  }) as PGlite['exec'];
  db.transaction = (async (...args: Parameters<PGlite['transaction']>) => {
    await nextTick();
    return transaction(...args);
  }) as PGlite['transaction'];
}

/**
 * PGlite has no multi-process locking: two processes on one directory would silently lose writes. A lock file
 * holding our PID keeps a second process out; a lock left by a dead process is taken over.
 */
function lockDirectory(lockFile: string): () => void {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        rmSync(lockFile, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(existsSync(lockFile) ? readFileSync(lockFile, 'utf8') : '', 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new StoreLockedError(pid, lockFile);
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`Could not lock ${lockFile}`);
}

/** Whether a process with this id runs (one of another user counts as running). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
