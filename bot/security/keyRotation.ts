/**
 * Moves a deployment from one master secret to another (`netra secret rotate`), for an operator whose secret (a
 * `.env`, a `secret.key`) may have leaked. What depends on the secret, and what happens to it:
 *
 * - Ciphertexts (`v1.…`, AES-256-GCM): chat addresses, officers' addresses, reporters' identities and witnesses,
 *   offices' webhook signing secrets, certificate names, and the personal data sealed inside conversation snapshots,
 *   prompts and outbox rows (found by walking their JSON): decrypted with the old key, encrypted with the new one.
 * - Lookup keys (HMACs of a stored value): a chat's key is made again from its decrypted address and replaced
 *   everywhere it is referred to (tickets, draft evidence, quiz attempts, outbox destinations and dedup keys); an
 *   officer's user key from the decrypted address, with the invites it claimed; a ticket's pseudonym from the new
 *   chat key (it changes once: left as it was, it would let the old secret test "did this number file that tip?").
 *   A ticket's submission key (an HMAC over the chat key and the draft, which spots a replayed submission) cannot
 *   be made again without the draft: it is cleared, for the same reason (a replay afterwards has a new chat key).
 * - Receipts, kept only as a salted MAC of a receipt nobody stores: the MAC cannot be made again, so it is kept
 *   encrypted under the new key with the old key's id (`hmac-sealed$…`, see bot/tickets/ticketCodes.ts), and the
 *   old secret's receipt key alone is kept, encrypted under the new secret, in the Setting `secret.retired-keys`.
 *   Checking a receipt makes its MAC with the retired key and compares it with the decrypted one. The master
 *   secret itself is never kept, so the new secret opens no backup made under the old one; and whoever holds the
 *   old secret and a copy of the tables taken afterwards can neither decrypt contact data nor test a receipt guess,
 *   because each stored MAC is readable only with the new key.
 * - The key's fingerprint (`secret.fingerprint`): replaced in the same transaction, so from the commit on a process
 *   with the old secret refuses to start.
 * - Left as they are: the WhatsApp message ids in `Chat.recentMessages` and the ids of officers' message events
 *   (redelivery de-duplication, which only ever matched within moments), and the audit log, which is append-only
 *   and hash-chained. Its entries (like the logs) keep 12-hex-digit prefixes of old chat and officer keys, which
 *   the old secret can match against a guessed number. Offices' webhook signing secrets are sealed again but not
 *   changed: after a leak of the database they must be renewed. The Telegram webhook secret, when derived from
 *   NETRA_SECRET, is registered again at the next start.
 *
 * Everything happens in one transaction: a crash or an error at any point rolls it all back, so the data is always
 * readable with exactly one of the two keys, the old one until the commit and the new one after it. It holds the
 * migrations' advisory lock, under which every start migrates and checks its key: a process started meanwhile
 * waits, then refuses the old secret. Before it commits, every text and JSON column of every table is searched for
 * a ciphertext the old key still opens, and for an old chat or officer key: if one is found (a column added later
 * that this module does not know), nothing is changed. A dry run does all the work and rolls it back.
 *
 * What this covers is the live tables (and, once compacted, their files). Not covered: PostgreSQL's write-ahead log
 * (segments kept or recycled, WAL archives), replicas, and backups taken before, which hold data under the old key
 * until they are deleted or overwritten. The embedded database's old WAL segments are deleted after compaction
 * (see {@link compactRewrittenTables}).
 */
import { chownSync, closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { appendAuditSql } from '../audit/auditLog.ts';
import { officerUserKey } from '../officers/officerRepository.ts';
import type { Sql, Store } from '../store/store.ts';
import { pseudonymFor, RECEIPT_KEY_PURPOSES, rekeyReceiptHash, SEALED_RECEIPT_TAG } from '../tickets/ticketCodes.ts';
import { checkKey, FINGERPRINT_SETTING, KeyMismatchError, keyFingerprint, MIGRATION_LOCK, openRetiredKeys, RETIRED_KEYS_SETTING } from './keyCheck.ts';
import { parseMasterSecret, PREVIOUS_SECRET_FILE, SECRET_FILE, Secrets, writeSecretFile, type RetiredKeyRing } from './secrets.ts';

/** Rows read and written at a time. */
const PAGE = 500;

/** What `encrypt` produces, as a whole string (the shortest: 12-byte IV, 16-byte tag, empty text). */
const CIPHERTEXT = /^v1\.[A-Za-z0-9+/]{38,}={0,2}$/;
/** The same inside a longer text, for the final search (as a PostgreSQL and a JavaScript pattern). */
const CIPHERTEXT_SQL = 'v1\\.[A-Za-z0-9+/]{38}';
const CIPHERTEXT_ANYWHERE = /v1\.[A-Za-z0-9+/]{38,}={0,2}/g;
/** A chat or officer key (an HMAC-SHA256 in hex) inside a text. */
const KEY_ANYWHERE = /[0-9a-f]{64}/g;

/** The steps of a rotation, in order, as `onStep` is told them. */
export type RotationStep = 'chats' | 'references' | 'tickets' | 'officers' | 'offices' | 'certificates' | 'outbox' | 'keys' | 'search';

/** What a rotation changed (or, in a dry run, would change). */
export interface RotationSummary {
  dryRun: boolean;
  /** Chats whose address was encrypted again and whose lookup key was made again. */
  chats: number;
  /** Conversation states (snapshot, prompt, or a report draft kept in memory) that hold sealed personal data. */
  chatStates: number;
  /** Rows that refer to a chat by its key: tickets, draft evidence, quiz attempts, outbox rows. */
  chatReferences: number;
  /** Reporter identities and witness lists of formal reports. */
  reporterData: number;
  receipts: number;
  pseudonyms: number;
  officers: number;
  invites: number;
  webhookSecrets: number;
  certificateNames: number;
  outboxRows: number;
  /**
   * Values the current secret could not read either (written under some other key before fingerprints were kept):
   * left as they were; a chat or officer key referring to nothing readable is replaced by a new-key value that
   * keeps rows of the same chat together.
   */
  unreadable: number;
  /** Retired keys the database keeps after the rotation (for receipts made under them). */
  retiredKeys: number;
}

/** Raised when data that depends on the secret was found where the rotation does not know how to move it. */
export class UnknownKeyedDataError extends Error {
  constructor(readonly columns: string[]) {
    super(
      `Data that depends on the current secret was found in ${columns.join(', ')}, which netra secret rotate does not ` +
        'know how to move. Nothing was changed. Report this to the Netra developers.',
    );
    this.name = 'UnknownKeyedDataError';
  }
}

/** Raised when the new secret is the current one. */
export class SameSecretError extends Error {
  constructor() {
    super('The new secret is the current one. Nothing was changed.');
    this.name = 'SameSecretError';
  }
}

export interface RotationOptions {
  dryRun?: boolean;
  /** When the rotation happens (recorded in the audit log). */
  at?: Date;
  /** Told as each step is done (inside the transaction: throwing rolls everything back). */
  onStep?: (step: RotationStep) => void | Promise<void>;
  /**
   * Run inside the transaction once its locks are held, before anything changes (throwing rolls back): where the
   * command checks that no other process is connected, with no gap left for one to start unseen.
   */
  whileLocked?: (sql: Sql) => Promise<void>;
}

class DryRunDone extends Error {
  constructor(readonly summary: RotationSummary) {
    super('dry run');
  }
}

/**
 * Moves every piece of data that depends on `from` to `to`, in one transaction, and records the rotation in the
 * audit log. Refuses (KeyMismatchError) when `from` is not the key the database was encrypted with. Run it with
 * every other process stopped: one still running would go on writing under the old key.
 */
export async function rotateSecret(store: Store, from: Secrets, to: Secrets, options: RotationOptions = {}): Promise<RotationSummary> {
  if (from.keyId === to.keyId) throw new SameSecretError();
  // Gives a database from before fingerprints its fingerprint, or refuses a wrong key, before anything is changed.
  await checkKey(store.prisma, from);
  try {
    return await store.transaction((sql) => new Rotation(sql, from, to, options).run());
  } catch (error) {
    if (error instanceof DryRunDone) return error.summary;
    throw error;
  }
}

class Rotation {
  private readonly summary: RotationSummary;

  constructor(
    private readonly sql: Sql,
    private readonly from: Secrets,
    private readonly to: Secrets,
    private readonly options: RotationOptions,
  ) {
    this.summary = {
      dryRun: options.dryRun === true,
      chats: 0,
      chatStates: 0,
      chatReferences: 0,
      reporterData: 0,
      receipts: 0,
      pseudonyms: 0,
      officers: 0,
      invites: 0,
      webhookSecrets: 0,
      certificateNames: 0,
      outboxRows: 0,
      unreadable: 0,
      retiredKeys: 0,
    };
  }

  async run(): Promise<RotationSummary> {
    const { sql } = this;
    // A process that starts meanwhile waits for this lock (every start migrates under it, then checks its key under
    // it) and then finds the new fingerprint: it refuses the old secret instead of writing with it.
    await sql.query(`SELECT 1 AS "locked" FROM pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    // Two rotations at once (two operators) would each read what the other is rewriting.
    await sql.query('SELECT 1 AS "locked" FROM pg_advisory_xact_lock(727074)');
    await this.options.whileLocked?.(sql);
    const [stored] = await sql.query<{ value: string }>('SELECT "value" FROM "Setting" WHERE "key" = $1 FOR UPDATE', [FINGERPRINT_SETTING]);
    if (stored?.value !== keyFingerprint(this.from)) throw new KeyMismatchError();
    const [sealedRing] = await sql.query<{ value: string }>('SELECT "value" FROM "Setting" WHERE "key" = $1', [RETIRED_KEYS_SETTING]);
    const ring: RetiredKeyRing = { ...(sealedRing ? openRetiredKeys(this.from, sealedRing.value) : {}), ...this.from.keysToRetire(RECEIPT_KEY_PURPOSES) };
    // Old key -> new key, for chats and officers: the references are rewritten from it, and the final search looks
    // for any old key left.
    await sql.query('CREATE TEMP TABLE netra_rekeyed ("old" text PRIMARY KEY, "new" text NOT NULL) ON COMMIT DROP');

    await this.chats();
    await this.step('chats');
    await this.chatReferences();
    await this.step('references');
    await this.tickets();
    await this.step('tickets');
    await this.officers();
    await this.step('officers');
    await this.offices();
    await this.step('offices');
    await this.certificates();
    await this.step('certificates');
    await this.outbox();
    await this.step('outbox');
    await this.keys(ring);
    await this.step('keys');
    await this.search();
    await this.step('search');
    const { dryRun: _dryRun, ...counts } = this.summary;
    await appendAuditSql(sql, {
      actor: 'cli',
      action: 'secret.rotate',
      data: { fromKey: this.from.keyId, toKey: this.to.keyId, ...counts },
      at: this.options.at ?? new Date(),
    });
    if (this.summary.dryRun) throw new DryRunDone(this.summary);
    return this.summary;
  }

  private async step(step: RotationStep): Promise<void> {
    await this.options.onStep?.(step);
  }

  /** The text under the new key, or undefined (counted) when the old key cannot open it. */
  private reseal(token: string): string | undefined {
    try {
      return this.to.encrypt(this.from.decrypt(token));
    } catch {
      this.summary.unreadable += 1;
      return undefined;
    }
  }

  private open(token: string): string | undefined {
    try {
      return this.from.decrypt(token);
    } catch {
      this.summary.unreadable += 1;
      return undefined;
    }
  }

  /** What stands for a key whose input cannot be read: stable for equal inputs, useless without the new secret. */
  private orphanKey(old: string): string {
    return this.to.hmac(`rotated-orphan:${old}`);
  }

  /**
   * A JSON value with every ciphertext in it sealed again and `rename`'s old key replaced by its new one; `changed`
   * is false when nothing in it depends on the secret.
   */
  private resealJson(value: unknown, rename?: { old: string; new: string }): { value: unknown; changed: boolean } {
    let changed = false;
    const walk = (node: unknown): unknown => {
      if (typeof node === 'string') {
        if (CIPHERTEXT.test(node)) {
          const sealed = this.reseal(node);
          if (sealed !== undefined) {
            changed = true;
            return sealed;
          }
          return node;
        }
        if (rename && node.includes(rename.old)) {
          changed = true;
          return node.split(rename.old).join(rename.new);
        }
        return node;
      }
      if (Array.isArray(node)) return node.map(walk);
      if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
      return node;
    };
    const result = walk(value);
    return { value: result, changed };
  }

  private async chats(): Promise<void> {
    let after = '';
    for (;;) {
      // A chat's memory holds a report draft kept aside (left for another command), sealed identity and all.
      const rows = await this.sql.query<{ key: string; addressEnc: string; snapshot: unknown; prompt: unknown; memory: unknown }>(
        `SELECT "key", "addressEnc", "snapshot", "prompt", "memory" FROM "Chat" WHERE "key" > $1 ORDER BY "key" LIMIT ${PAGE}`,
        [after],
      );
      if (rows.length === 0) return;
      const renamed: Array<{ old: string; new: string }> = [];
      const updates: unknown[] = [];
      for (const row of rows) {
        const address = this.open(row.addressEnc);
        const key = address === undefined ? this.orphanKey(row.key) : this.to.hmac(address);
        const rename = { old: row.key, new: key };
        const snapshot = row.snapshot === null ? { value: null, changed: false } : this.resealJson(row.snapshot, rename);
        const prompt = row.prompt === null ? { value: null, changed: false } : this.resealJson(row.prompt, rename);
        const memory = row.memory === null ? { value: null, changed: false } : this.resealJson(row.memory, rename);
        if (snapshot.changed || prompt.changed || memory.changed) this.summary.chatStates += 1;
        renamed.push(rename);
        updates.push({
          key: row.key,
          addressEnc: address === undefined ? row.addressEnc : this.to.encrypt(address),
          snapshot: snapshot.value,
          snapshotChanged: snapshot.changed,
          prompt: prompt.value,
          promptChanged: prompt.changed,
          memory: memory.value,
          memoryChanged: memory.changed,
        });
      }
      await this.sql.query(
        `UPDATE "Chat" c SET "addressEnc" = r."addressEnc",
          "snapshot" = CASE WHEN r."snapshotChanged" THEN r."snapshot" ELSE c."snapshot" END,
          "prompt" = CASE WHEN r."promptChanged" THEN r."prompt" ELSE c."prompt" END,
          "memory" = CASE WHEN r."memoryChanged" THEN r."memory" ELSE c."memory" END
        FROM jsonb_to_recordset($1::jsonb) AS r("key" text, "addressEnc" text, "snapshot" jsonb, "snapshotChanged" boolean, "prompt" jsonb,
          "promptChanged" boolean, "memory" jsonb, "memoryChanged" boolean)
        WHERE c."key" = r."key"`,
        [JSON.stringify(updates)],
      );
      await this.remember(renamed);
      this.summary.chats += rows.length;
      after = rows[rows.length - 1]!.key;
    }
  }

  private async remember(renamed: Array<{ old: string; new: string }>): Promise<void> {
    if (renamed.length === 0) return;
    await this.sql.query(
      `INSERT INTO netra_rekeyed ("old", "new") SELECT r."old", r."new" FROM jsonb_to_recordset($1::jsonb) AS r("old" text, "new" text)
        ON CONFLICT ("old") DO NOTHING`,
      [JSON.stringify(renamed)],
    );
  }

  /** Every reference to a chat by its key, rewritten to the new key (chats renamed last, in one statement). */
  private async chatReferences(): Promise<void> {
    const { sql } = this;
    // A reference to a chat that is not there (none is ever deleted, but a database can be edited by hand).
    const orphans = await sql.query<{ key: string }>(
      `SELECT DISTINCT s."k" AS "key" FROM (
          SELECT "reporterChatKey" AS "k" FROM "Ticket"
          UNION ALL SELECT "chatKey" FROM "Evidence"
          UNION ALL SELECT "chatKey" FROM "QuizAttempt"
          UNION ALL SELECT "destination"->>'chatKey' FROM "Outbox"
        ) s
        WHERE s."k" IS NOT NULL AND s."k" <> '' AND NOT EXISTS (SELECT 1 FROM netra_rekeyed m WHERE m."old" = s."k")`,
    );
    this.summary.unreadable += orphans.length;
    await this.remember(orphans.map((o) => ({ old: o.key, new: this.orphanKey(o.key) })));
    await sql.query('UPDATE "Chat" c SET "key" = m."new" FROM netra_rekeyed m WHERE c."key" = m."old"');
    const statements = [
      'UPDATE "Ticket" t SET "reporterChatKey" = m."new" FROM netra_rekeyed m WHERE t."reporterChatKey" = m."old" RETURNING 1',
      'UPDATE "Evidence" e SET "chatKey" = m."new" FROM netra_rekeyed m WHERE e."chatKey" = m."old" RETURNING 1',
      'UPDATE "QuizAttempt" q SET "chatKey" = m."new" FROM netra_rekeyed m WHERE q."chatKey" = m."old" RETURNING 1',
      `UPDATE "Outbox" o SET "destination" = jsonb_set(o."destination", '{chatKey}', to_jsonb(m."new"))
        FROM netra_rekeyed m WHERE o."destination"->>'chatKey' = m."old" RETURNING 1`,
    ];
    for (const statement of statements) this.summary.chatReferences += await this.count(statement);
    // A dedup key that names a chat (`draft:<chat key>:…:expired`): not counted again, its row was counted above or
    // is a delivery long done.
    await sql.query(
      `UPDATE "Outbox" o SET "dedupKey" = replace(o."dedupKey", m."old", m."new")
        FROM netra_rekeyed m WHERE substring(o."dedupKey" from '[0-9a-f]{64}') = m."old"`,
    );
  }

  private async count(statement: string, params: unknown[] = []): Promise<number> {
    const [row] = await this.sql.query<{ n: number }>(`WITH changed AS (${statement}) SELECT count(*)::int AS "n" FROM changed`, params);
    return row?.n ?? 0;
  }

  private async tickets(): Promise<void> {
    let after = '';
    for (;;) {
      const rows = await this.sql.query<{
        id: string;
        reporterChatKey: string;
        pseudonym: string;
        receiptHash: string;
        reporterIdentityEnc: string | null;
        witnessesEnc: string | null;
      }>(
        `SELECT "id", "reporterChatKey", "pseudonym", "receiptHash", "reporterIdentityEnc", "witnessesEnc"
          FROM "Ticket" WHERE "id" > $1 ORDER BY "id" LIMIT ${PAGE}`,
        [after],
      );
      if (rows.length === 0) return;
      const updates = rows.map((row) => {
        const identity = row.reporterIdentityEnc === null ? null : (this.reseal(row.reporterIdentityEnc) ?? row.reporterIdentityEnc);
        const witnesses = row.witnessesEnc === null ? null : (this.reseal(row.witnessesEnc) ?? row.witnessesEnc);
        if (row.reporterIdentityEnc !== null) this.summary.reporterData += 1;
        if (row.witnessesEnc !== null) this.summary.reporterData += 1;
        let receiptHash = row.receiptHash;
        try {
          receiptHash = rekeyReceiptHash(row.receiptHash, this.from, this.to);
        } catch {
          this.summary.unreadable += 1;
        }
        if (receiptHash !== row.receiptHash) this.summary.receipts += 1;
        // A purged ticket has no pseudonym left to make again.
        const pseudonym = row.pseudonym === '' ? '' : pseudonymFor(this.to, row.reporterChatKey, row.id);
        if (pseudonym !== row.pseudonym) this.summary.pseudonyms += 1;
        return { id: row.id, identity, witnesses, receiptHash, pseudonym };
      });
      // The submission key (an HMAC over the chat key and the draft, for spotting a replayed submission) cannot be
      // made again without the draft, and left as it was it would let the old secret test "did this number file this
      // tip?". A replay after the rotation comes under a new chat key anyway, so there is nothing left to match.
      await this.sql.query(
        `UPDATE "Ticket" t SET "reporterIdentityEnc" = r."identity", "witnessesEnc" = r."witnesses", "receiptHash" = r."receiptHash",
          "pseudonym" = r."pseudonym", "submissionKey" = NULL
        FROM jsonb_to_recordset($1::jsonb) AS r("id" text, "identity" text, "witnesses" text, "receiptHash" text, "pseudonym" text)
        WHERE t."id" = r."id"`,
        [JSON.stringify(updates)],
      );
      after = rows[rows.length - 1]!.id;
    }
  }

  /** Officers (a few per office): their address, their user key, and the invites they claimed (by its prefix). */
  private async officers(): Promise<void> {
    const rows = await this.sql.query<{ id: string; userKey: string; addressEnc: string }>('SELECT "id", "userKey", "addressEnc" FROM "Officer"');
    const renamed = new Map<string, string>();
    for (const row of rows) {
      const address = this.open(row.addressEnc);
      const userId = address === undefined ? undefined : /^telegram:(.+)$/s.exec(address)?.[1];
      if (address !== undefined && userId === undefined) this.summary.unreadable += 1;
      const userKey = userId === undefined ? this.orphanKey(row.userKey) : officerUserKey(this.to, userId);
      renamed.set(row.userKey, userKey);
      await this.sql.query('UPDATE "Officer" SET "userKey" = $2, "addressEnc" = $3 WHERE "id" = $1', [
        row.id,
        userKey,
        address === undefined ? row.addressEnc : this.to.encrypt(address),
      ]);
      this.summary.officers += 1;
    }
    await this.remember([...renamed].map(([old, key]) => ({ old, new: key })));
    for (const [old, key] of renamed) {
      this.summary.invites += await this.count('UPDATE "Invite" SET "usedBy" = $2 WHERE "usedBy" = $1 RETURNING 1', [old.slice(0, 16), key.slice(0, 16)]);
    }
  }

  private async offices(): Promise<void> {
    const rows = await this.sql.query<{ code: string; webhookSecretEnc: string }>(
      'SELECT "code", "webhookSecretEnc" FROM "Office" WHERE "webhookSecretEnc" IS NOT NULL',
    );
    for (const row of rows) {
      const sealed = this.reseal(row.webhookSecretEnc);
      if (sealed === undefined) continue;
      await this.sql.query('UPDATE "Office" SET "webhookSecretEnc" = $2 WHERE "code" = $1', [row.code, sealed]);
      this.summary.webhookSecrets += 1;
    }
  }

  private async certificates(): Promise<void> {
    let after = '';
    for (;;) {
      // An empty name is one the retention period removed (CERTIFICATE_NAME_REMOVED), not a ciphertext.
      const rows = await this.sql.query<{ code: string; nameEnc: string }>(
        `SELECT "code", "nameEnc" FROM "Certificate" WHERE "code" > $1 AND "nameEnc" IS NOT NULL AND "nameEnc" <> ''
          ORDER BY "code" LIMIT ${PAGE}`,
        [after],
      );
      if (rows.length === 0) return;
      const updates = rows.flatMap((row) => {
        const sealed = this.reseal(row.nameEnc);
        return sealed === undefined ? [] : [{ code: row.code, nameEnc: sealed }];
      });
      await this.sql.query(
        `UPDATE "Certificate" c SET "nameEnc" = r."nameEnc" FROM jsonb_to_recordset($1::jsonb) AS r("code" text, "nameEnc" text)
          WHERE c."code" = r."code"`,
        [JSON.stringify(updates)],
      );
      this.summary.certificateNames += updates.length;
      after = rows[rows.length - 1]!.code;
    }
  }

  /** Outbox rows whose payload or destination carries a ciphertext (none does today; a later kind may). */
  private async outbox(): Promise<void> {
    let after = '';
    for (;;) {
      const rows = await this.sql.query<{ id: string; payload: unknown; destination: unknown }>(
        `SELECT "id", "payload", "destination" FROM "Outbox"
          WHERE "id" > $1 AND ("payload"::text ~ $2 OR "destination"::text ~ $2) ORDER BY "id" LIMIT ${PAGE}`,
        [after, CIPHERTEXT_SQL],
      );
      if (rows.length === 0) return;
      for (const row of rows) {
        const payload = this.resealJson(row.payload);
        const destination = this.resealJson(row.destination);
        if (!payload.changed && !destination.changed) continue;
        await this.sql.query('UPDATE "Outbox" SET "payload" = $2::jsonb, "destination" = $3::jsonb WHERE "id" = $1', [
          row.id,
          JSON.stringify(payload.value),
          JSON.stringify(destination.value),
        ]);
        this.summary.outboxRows += 1;
      }
      after = rows[rows.length - 1]!.id;
    }
  }

  /**
   * Searches every text and JSON column for a ciphertext the old key still opens and for an old chat or officer key:
   * either would be data left behind, readable with the old secret only (or a link the old secret could follow).
   */
  private async search(): Promise<void> {
    const columns = await this.sql.query<{ table: string; column: string }>(
      `SELECT c.table_name::text AS "table", c.column_name::text AS "column"
        FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> '_prisma_migrations'
          AND c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY')
        ORDER BY 1, 2`,
    );
    const problems: string[] = [];
    for (const { table, column } of columns) {
      const name = `${table}.${column}`;
      const [t, c] = [quoteIdentifier(table), quoteIdentifier(column)];
      if (await this.holdsOldCiphertext(t, c)) problems.push(name);
      // The audit log is append-only and hash-chained: it cannot be rewritten, and keeps only key prefixes.
      else if (table !== 'AuditLog' && (await this.holdsOldKey(t, c))) problems.push(name);
    }
    if (problems.length > 0) throw new UnknownKeyedDataError(problems);
  }

  /**
   * Reads the column once through a cursor, in the order the rows lie: paging by ctid (ORDER BY ctid LIMIT) sorted
   * every remaining row again for each page, which made the search quadratic (minutes at 100,000 chats).
   */
  private async holdsOldCiphertext(table: string, column: string): Promise<boolean> {
    await this.sql.query(
      `DECLARE netra_search NO SCROLL CURSOR FOR SELECT ${column}::text AS "value" FROM ${table} WHERE ${column}::text ~ '${CIPHERTEXT_SQL}'`,
    );
    let found = false;
    for (;;) {
      const rows = await this.sql.query<{ value: string }>(`FETCH ${PAGE} FROM netra_search`);
      if (rows.length === 0) break;
      found = rows.some((row) => [...row.value.matchAll(CIPHERTEXT_ANYWHERE)].some(([token]) => this.opensWithOldKey(token)));
      if (found) break;
    }
    await this.sql.query('CLOSE netra_search');
    return found;
  }

  private opensWithOldKey(token: string): boolean {
    try {
      this.from.decrypt(token);
      return true;
    } catch {
      // Not under the old key: moved already, or not a ciphertext at all.
      return false;
    }
  }

  private async holdsOldKey(table: string, column: string): Promise<boolean> {
    const [row] = await this.sql.query<{ found: boolean }>(
      `SELECT EXISTS (
          SELECT 1 FROM ${table} t CROSS JOIN LATERAL regexp_matches(t.${column}::text, $1, 'g') AS m("k")
          JOIN netra_rekeyed r ON r."old" = (m."k")[1]
        ) AS "found"`,
      [KEY_ANYWHERE.source],
    );
    return row?.found === true;
  }

  /** The fingerprint of the new key, and the retired keys still needed (those some receipt was made under). */
  private async keys(ring: RetiredKeyRing): Promise<void> {
    const used = await this.sql.query<{ id: string }>(
      `SELECT DISTINCT split_part("receiptHash", '$', 2) AS "id" FROM "Ticket" WHERE "receiptHash" LIKE $1`,
      [`${SEALED_RECEIPT_TAG}$%`],
    );
    const kept = Object.fromEntries(used.flatMap(({ id }) => (ring[id] ? [[id, ring[id]]] : [])));
    this.summary.retiredKeys = Object.keys(kept).length;
    if (this.summary.retiredKeys > 0) {
      await this.sql.query(
        `INSERT INTO "Setting" ("key", "value") VALUES ($1, $2) ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value"`,
        [RETIRED_KEYS_SETTING, this.to.encryptJson(kept)],
      );
    } else {
      await this.sql.query('DELETE FROM "Setting" WHERE "key" = $1', [RETIRED_KEYS_SETTING]);
    }
    await this.sql.query('UPDATE "Setting" SET "value" = $2 WHERE "key" = $1', [FINGERPRINT_SETTING, keyFingerprint(this.to)]);
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Tables whose rows a rotation rewrites. */
const REWRITTEN_TABLES = ['Chat', 'Ticket', 'Evidence', 'QuizAttempt', 'Outbox', 'Officer', 'Invite', 'Office', 'Certificate', 'Setting'];

/**
 * Rewrites the tables a rotation changed, so the row versions that still held data under the old key leave the
 * database files (a copy of the files, unlike a dump, would otherwise keep them until they are overwritten). Returns
 * false when the database refused (on PostgreSQL only the tables' owner may): the rotation stands all the same.
 *
 * The write-ahead log still holds the old rows. On the embedded database a switch to a new WAL segment and a
 * checkpoint, with recycling off, delete the segments that held them (a recycled segment keeps its old content
 * under a new name). PostgreSQL keeps its segments, archives and replicas as its own configuration says: see the
 * README.
 */
export async function compactRewrittenTables(store: Store): Promise<boolean> {
  try {
    await store.exec(`VACUUM FULL ${REWRITTEN_TABLES.map(quoteIdentifier).join(', ')}`);
  } catch {
    return false;
  }
  if (store.kind === 'pglite') await store.exec('SET wal_recycle = off; SELECT pg_switch_wal(); CHECKPOINT; RESET wal_recycle');
  return true;
}

/**
 * `secret.key` with NETRA_SECRET unset. The new secret is first written beside it as `secret.key.new` (durably), then
 * the data is moved (one transaction), then `secret.key.new` replaces `secret.key` (a rename, atomic). A crash
 * before the commit leaves the old secret and the old data: the stale `secret.key.new` is removed on the next run. A
 * crash between the commit and the rename leaves the new data with `secret.key.new`: the next `netra secret rotate`
 * sees that the database's fingerprint is that of `secret.key.new` and finishes it (compaction, then the rename).
 * The secret replaced is kept as `secret.key.old` until a start confirms the new one (see
 * {@link installPendingSecret}).
 */
export const PENDING_SECRET_FILE = `${SECRET_FILE}.new`;

/** Writes the new secret beside `secret.key`, durably, before any data is moved. */
export function stagePendingSecret(dataDir: string, secret: Buffer): void {
  const file = path.join(dataDir, PENDING_SECRET_FILE);
  rmSync(file, { force: true });
  writeSecretFile(file, secret, true);
  takeOwnership(file, dataDir);
  syncDirectory(dataDir);
}

/**
 * Makes the staged secret the data directory's secret (after the data was moved under it and, on the embedded
 * database, flushed: see {@link flushEmbeddedDatabase}). The secret it replaces is kept as `secret.key.old` until a
 * start finds the database under the new one (bot/security/keyCheck.ts): should the moved data still not have
 * reached the disk, that start says where the database's secret is instead of leaving it lost.
 */
export function installPendingSecret(dataDir: string): void {
  const current = path.join(dataDir, SECRET_FILE);
  const previous = path.join(dataDir, PREVIOUS_SECRET_FILE);
  rmSync(previous, { force: true });
  writeSecretFile(previous, parseMasterSecret(readFileSync(current, 'utf8')), true);
  takeOwnership(previous, dataDir);
  renameSync(path.join(dataDir, PENDING_SECRET_FILE), current);
  syncDirectory(dataDir);
}

/**
 * Makes the embedded database's files durable, once the store is closed: PGlite writes them without ever calling
 * fsync, so a power cut after `secret.key` was replaced could otherwise bring back the data as it was before the
 * rotation. Run as root (for the files it must write), it also gives every file to the data directory's owner, as
 * the bot, running as that user, must open the files VACUUM FULL made.
 */
export function flushEmbeddedDatabase(dataDir: string): void {
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      takeOwnership(file, dataDir);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) syncFile(file);
    }
    syncDirectory(dir);
  };
  walk(path.join(dataDir, 'pglite'));
}

/** Run as root, gives `file` to the owner of the data directory (the user the bot runs as). */
function takeOwnership(file: string, dataDir: string): void {
  if (process.getuid?.() !== 0) return;
  const { uid, gid } = statSync(dataDir);
  chownSync(file, uid, gid);
}

function syncFile(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Removes a staged secret whose rotation never committed. */
export function discardPendingSecret(dataDir: string): void {
  rmSync(path.join(dataDir, PENDING_SECRET_FILE), { force: true });
  syncDirectory(dataDir);
}

/** What an earlier, interrupted rotation left in the data directory. */
export type PendingRotation =
  /** Nothing. */
  | { state: 'none' }
  /** Its data was moved: the staged secret is the database's; it only has to be installed. */
  | { state: 'committed' }
  /** It never committed: the staged secret is nobody's. */
  | { state: 'stale' };

/** Tells what `secret.key.new` in the data directory means, from the database's fingerprint. */
export async function pendingRotation(store: Store, dataDir: string): Promise<PendingRotation> {
  const file = path.join(dataDir, PENDING_SECRET_FILE);
  if (!existsSync(file)) return { state: 'none' };
  let staged: Secrets;
  try {
    staged = new Secrets(parseMasterSecret(readFileSync(file, 'utf8')));
  } catch {
    // Cut short while being written: so before the commit, which waits for it.
    return { state: 'stale' };
  }
  const fingerprint = await store.prisma.setting.findUnique({ where: { key: FINGERPRINT_SETTING } });
  return fingerprint?.value === keyFingerprint(staged) ? { state: 'committed' } : { state: 'stale' };
}

function syncDirectory(dir: string): void {
  syncFile(dir);
}
