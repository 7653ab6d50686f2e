/**
 * `netra invite --office 19.05 [--role officer|coordinator] [--expires 7d]`: creates a one-time invite code that
 * makes a Telegram user an officer of the office (`/petugas <code>` in a private chat with the bot). The code is
 * printed once, alone on the last line (for scripts: `netra invite ... | tail -n1`), and stored only as a hash.
 */
import { parseArgs } from 'node:util';
import { appendAudit } from '../audit/auditLog.ts';
import { createInvite, officerRoleSchema } from '../officers/invites.ts';
import { officeName, OFFICE_CODE } from '../offices/officeDirectory.ts';
import { knownOffice, openOperatorContext, parseDuration } from '../offices/operatorContext.ts';

const USAGE = 'Usage: netra invite --office <code, e.g. 19.05> [--role officer|coordinator] [--expires 7d]\n';

export async function run(args: string[]): Promise<number> {
  let values: { office?: string; role?: string; expires?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { office: { type: 'string' }, role: { type: 'string', default: 'officer' }, expires: { type: 'string', default: '7d' } },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const office = values.office?.trim().toUpperCase();
  const role = officerRoleSchema.safeParse(values.role);
  const ttl = parseDuration(values.expires ?? '7d');
  if (!office || !OFFICE_CODE.test(office) || !role.success || ttl === null) {
    process.stderr.write(USAGE);
    return 2;
  }
  const context = await openOperatorContext();
  try {
    const { prisma } = context.store;
    if (!(await knownOffice(prisma, office))) return 1;
    const now = new Date();
    const expiresAt = new Date(now.getTime() + ttl);
    const code = await prisma.$transaction(async (tx) => {
      const created = await createInvite(tx, { officeCode: office, role: role.data, expiresAt });
      await appendAudit(tx, { actor: 'cli', action: 'invite.create', data: { officeCode: office, role: role.data, expiresAt: expiresAt.toISOString() }, at: now });
      return created;
    });
    process.stdout.write(
      `Invite for ${role.data} of ${officeName(office)} (${office}), valid once until ${expiresAt.toISOString()}.\n` +
        'Give it to the officer privately; they send "/petugas <code>" to the bot in a private chat.\n' +
        `${code}\n`,
    );
    return 0;
  } finally {
    await context.close();
  }
}
