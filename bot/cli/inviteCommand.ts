/**
 * `netra invite --office 19.05 [--role officer|coordinator] [--expires 7d]`: creates a one-time invite code that
 * makes a Telegram user an officer of the office (`/petugas <code>` in a private chat with the bot). The code is
 * printed once, alone on the last line (for scripts: `netra invite ... | tail -n1`), and stored only as a hash.
 * `netra invite list [--office 19.05]` shows the invites not yet used or expired (by the first characters of their
 * hash, never the code); `netra invite cancel <id>` ends one, say a code sent to the wrong person.
 */
import { parseArgs } from 'node:util';
import { appendAudit } from '../audit/auditLog.ts';
import { createInvite, officerRoleSchema } from '../officers/invites.ts';
import { officeName, OFFICE_CODE } from '../offices/officeDirectory.ts';
import { knownOffice, openOperatorContext, parseDuration, table } from '../offices/operatorContext.ts';

const USAGE =
  'Usage: netra invite --office <code, e.g. 19.05> [--role officer|coordinator] [--expires 7d]\n' +
  '       netra invite list [--office <code>]\n' +
  '       netra invite cancel <id from invite list>\n';

export async function run(args: string[]): Promise<number> {
  let values: { office?: string; role?: string; expires?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { office: { type: 'string' }, role: { type: 'string', default: 'officer' }, expires: { type: 'string', default: '7d' } },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [action, target, ...extra] = positionals;
  if (action === 'list' || action === 'cancel') return manage(action, target, extra, values.office);
  if (action !== undefined) {
    process.stderr.write(USAGE);
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

/** Lists the open invites, or cancels one by the first characters of its hash. */
async function manage(action: 'list' | 'cancel', target: string | undefined, extra: string[], rawOffice: string | undefined): Promise<number> {
  const office = rawOffice?.trim().toUpperCase();
  const badTarget = action === 'cancel' ? !target || !/^[0-9a-f]{6,64}$/i.test(target) : target !== undefined;
  if (extra.length > 0 || badTarget || (office !== undefined && !OFFICE_CODE.test(office))) {
    process.stderr.write(USAGE);
    return 2;
  }
  const context = await openOperatorContext();
  try {
    const { prisma } = context.store;
    const now = new Date();
    if (action === 'list') {
      if (office && !(await knownOffice(prisma, office))) return 1;
      const open = await prisma.invite.findMany({
        where: { usedAt: null, expiresAt: { gt: now }, ...(office ? { officeCode: office } : {}) },
        orderBy: { createdAt: 'asc' },
      });
      if (open.length === 0) {
        process.stdout.write('No open invites.\n');
        return 0;
      }
      process.stdout.write(
        table([
          ['ID', 'OFFICE', 'ROLE', 'CREATED', 'EXPIRES'],
          ...open.map((i) => [
            i.codeHash.slice(0, 8),
            `${i.officeCode} ${officeName(i.officeCode)}`,
            i.role,
            i.createdAt.toISOString().slice(0, 16).replace('T', ' '),
            i.expiresAt.toISOString().slice(0, 16).replace('T', ' '),
          ]),
        ]),
      );
      return 0;
    }
    const matches = await prisma.invite.findMany({ where: { codeHash: { startsWith: target!.toLowerCase() } }, take: 2 });
    if (matches.length !== 1) {
      process.stderr.write(matches.length === 0 ? `No invite ${target}. See: netra invite list\n` : `Several invites start with ${target}; give more characters.\n`);
      return 1;
    }
    const invite = matches[0]!;
    if (invite.usedAt || invite.expiresAt.getTime() <= now.getTime()) {
      process.stderr.write(`Invite ${target} was already ${invite.usedAt ? 'used' : 'expired'}; nothing to cancel. A used one is ended with: netra officer revoke\n`);
      return 1;
    }
    await prisma.$transaction(async (tx) => {
      await tx.invite.update({ where: { codeHash: invite.codeHash }, data: { expiresAt: now } });
      await appendAudit(tx, { actor: 'cli', action: 'invite.cancel', data: { officeCode: invite.officeCode, invite: invite.codeHash.slice(0, 8) }, at: now });
    });
    process.stdout.write(`Cancelled the invite for ${invite.role} of ${officeName(invite.officeCode)}: its code no longer works. Audit-logged.\n`);
    return 0;
  } finally {
    await context.close();
  }
}
