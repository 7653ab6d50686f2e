/**
 * What the operator commands (`netra invite`, `netra office`, `netra officer`, `netra outbox`, `netra audit`,
 * `netra tickets`) work on: the configured store and keys, without channels or workers. Offices are seeded first
 * so a fresh database already knows every office code.
 */
import path from 'node:path';
import { loadConfig, type Config } from '../config.ts';
import { createLogger } from '../logger.ts';
import { checkKey } from '../security/keyCheck.ts';
import { loadMasterSecret, Secrets } from '../security/secrets.ts';
import { openConfiguredStore, type PrismaClient, type Store } from '../store/store.ts';
import { seedOffices } from './officeSeed.ts';

/** An open operator session. */
export interface OperatorContext {
  config: Config;
  store: Store;
  secrets: Secrets;
  close(): Promise<void>;
}

/** Opens the store and keys of the configured environment. */
export async function openOperatorContext(env: NodeJS.ProcessEnv = process.env): Promise<OperatorContext> {
  const config = loadConfig(env);
  const dataDir = path.resolve(config.NETRA_DATA_DIR);
  const logger = createLogger(env.LOG_LEVEL ?? 'warn');
  const secrets = new Secrets(
    loadMasterSecret(config.NETRA_SECRET, dataDir, (file) =>
      logger.warn({ file }, 'NETRA_SECRET is not set: generated a new secret in the data directory. Back it up.'),
    ),
  );
  const store = await openConfiguredStore(config);
  try {
    await checkKey(store.prisma, secrets);
    await seedOffices(store.prisma);
  } catch (error) {
    await store.close();
    throw error;
  }
  return {
    config,
    store,
    secrets,
    async close() {
      await store.close();
      logger.flush?.();
    },
  };
}

/** What an operator is told for an office code that no office has. */
export function unknownOffice(code: string): string {
  return `Unknown office ${code}. Codes are region codes: RI, 19 (provinsi), 19.05 (kabupaten/kota).\n`;
}

/** True when the office exists; otherwise tells the operator so (the command then exits with 1). */
export async function knownOffice(prisma: PrismaClient, code: string): Promise<boolean> {
  if (await prisma.office.findUnique({ where: { code }, select: { code: true } })) return true;
  process.stderr.write(unknownOffice(code));
  return false;
}

/** A duration such as `7d`, `48h`, `30m` in milliseconds, or null when malformed. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)\s*(m|h|d)$/i.exec(text.trim());
  if (!match) return null;
  const factor = { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2]!.toLowerCase() as 'm' | 'h' | 'd'];
  const value = Number.parseInt(match[1]!, 10) * factor;
  return value > 0 ? value : null;
}

/** Left-aligned columns for terminal tables. */
export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return `${rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')}\n`;
}
