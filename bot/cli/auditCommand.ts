/**
 * `netra audit verify [--expect SEQ:HASH]`: walks the hash-chained audit log and exits 1 naming every edited or
 * removed entry. It prints the head (last entry); note it down and pass it with `--expect` later to also catch
 * entries cut from the end.
 */
import { parseArgs } from 'node:util';
import { verifyAuditLog } from '../audit/auditLog.ts';
import { openOperatorContext } from '../offices/operatorContext.ts';

const USAGE = 'Usage: netra audit verify [--expect SEQ:HASH]\n';

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { expect: { type: 'string' } } });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [action] = parsed.positionals;
  const expectMatch = parsed.values.expect ? /^(\d+):([0-9a-f]{64})$/.exec(parsed.values.expect) : null;
  if (action !== 'verify' || (parsed.values.expect !== undefined && !expectMatch)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const context = await openOperatorContext();
  try {
    const result = await verifyAuditLog(context.store.prisma, {
      ...(expectMatch ? { expect: { seq: Number.parseInt(expectMatch[1]!, 10), hash: expectMatch[2]! } } : {}),
    });
    if (result.ok) {
      process.stdout.write(
        `Audit log intact: ${result.entries} entries.\n` +
          (result.head ? `Head: ${result.head.seq}:${result.head.hash}\n` : 'The log is empty.\n'),
      );
      return 0;
    }
    process.stdout.write(`Audit log BROKEN (${result.entries} entries checked):\n`);
    for (const problem of result.problems) process.stdout.write(`  entry ${problem.seq}: ${problem.problem}: ${problem.detail}\n`);
    return 1;
  } finally {
    await context.close();
  }
}
