/**
 * `netra ban <pseudonym|ticket-code> [--reason TEXT]` and `netra unban ...`: suspends (or restores) the chat
 * behind an abusive reporter. The operator names a ticket code or the pseudonym officers see; the reporter's
 * identity is never shown. Each change goes to the audit log.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { BanTargetError, setBan, type BanResult } from '../retention/banList.ts';
import { openConfiguredStore } from '../store/store.ts';

/** `netra ban`. */
export function run(args: string[]): Promise<number> {
  return change(args, true);
}

/** `netra unban`. */
export function runUnban(args: string[]): Promise<number> {
  return change(args, false);
}

async function change(args: string[], ban: boolean): Promise<number> {
  const name = ban ? 'ban' : 'unban';
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { reason: { type: 'string' } } });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    parsed = undefined;
  }
  const target = parsed?.positionals.join(' ').trim();
  if (!parsed || !target) {
    process.stderr.write(`Usage: netra ${name} <pseudonym|ticket-code> [--reason TEXT]\n`);
    return 2;
  }
  const config = loadConfig();
  const store = await openConfiguredStore(config);
  try {
    const result = await setBan(store, target, ban, {
      at: new Date(),
      actor: 'cli',
      ...(parsed.values.reason ? { reason: parsed.values.reason } : {}),
    });
    process.stdout.write(describeBan(result));
    return 0;
  } catch (error) {
    if (error instanceof BanTargetError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

/** One line for the operator. */
export function describeBan(result: BanResult): string {
  const tickets = result.codes.join(', ');
  if (!result.changed) {
    return result.banned
      ? `Chat ${result.chat} (tickets ${tickets}) was already banned since ${result.bannedAt?.toISOString() ?? '?'}.\n`
      : `Chat ${result.chat} (tickets ${tickets}) was not banned.\n`;
  }
  return result.banned
    ? `Banned chat ${result.chat} (tickets ${tickets}): it now gets only the suspension notice. Audit-logged.\n`
    : `Unbanned chat ${result.chat} (tickets ${tickets}). Audit-logged.\n`;
}
