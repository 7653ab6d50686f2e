/**
 * `netra officer list [--office 19.05] [--all]` shows officers (id prefix, office, role, name, since);
 * `netra officer revoke <id>` ends an officer's access at once (audit-logged).
 */
import { parseArgs } from 'node:util';
import { appendAudit } from '../audit/auditLog.ts';
import { listOfficers, revokeOfficer } from '../officers/officerRepository.ts';
import { officeName, OFFICE_CODE } from '../offices/officeDirectory.ts';
import { knownOffice, openOperatorContext, table } from '../offices/operatorContext.ts';

const USAGE = 'Usage: netra officer list [--office <code>] [--all]\n       netra officer revoke <officer id or its first 8 characters>\n';

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { office: { type: 'string' }, all: { type: 'boolean', default: false } } });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [action = 'list', target] = parsed.positionals;
  const office = parsed.values.office?.trim().toUpperCase();
  if ((action !== 'list' && !(action === 'revoke' && target)) || (office !== undefined && !OFFICE_CODE.test(office))) {
    process.stderr.write(USAGE);
    return 2;
  }
  const context = await openOperatorContext();
  try {
    const { prisma } = context.store;
    if (action === 'list') {
      if (office && !(await knownOffice(prisma, office))) return 1;
      const officers = (await listOfficers(prisma, office)).filter((o) => parsed.values.all || !o.revokedAt);
      if (officers.length === 0) {
        const whose = office ? ` of ${officeName(office)} (${office})` : '';
        process.stdout.write(
          `No officers${whose} yet. Invite the person who links the office's groups first: netra invite --office ${office ?? '<code>'} --role coordinator\n`,
        );
        return 0;
      }
      process.stdout.write(
        table([
          ['ID', 'OFFICE', 'ROLE', 'NAME', 'SINCE', 'STATUS'],
          ...officers.map((o) => [
            o.id.slice(0, 8),
            `${o.officeCode} ${officeName(o.officeCode)}`,
            o.role,
            o.displayName ?? '-',
            o.createdAt.toISOString().slice(0, 10),
            o.revokedAt ? `revoked ${o.revokedAt.toISOString().slice(0, 10)}` : 'active',
          ]),
        ]),
      );
      return 0;
    }
    const now = new Date();
    const result = await prisma.$transaction(async (tx) => {
      const revoked = await revokeOfficer(tx, target!, now);
      if (revoked.ok) {
        await appendAudit(tx, { actor: 'cli', action: 'officer.revoke', data: { officerId: revoked.officer.id, officeCode: revoked.officer.officeCode }, at: now });
      }
      return revoked;
    });
    if (!result.ok) {
      const why = { unknown: 'No such officer', ambiguous: 'Several officers match; give more characters of the id', revoked: 'Already revoked' }[result.reason];
      process.stderr.write(`${why}: ${target}\n`);
      return 1;
    }
    process.stdout.write(`Revoked ${result.officer.displayName ?? result.officer.id.slice(0, 8)} (${officeName(result.officer.officeCode)}). Audit-logged.\n`);
    // Groups this officer linked keep receiving the office's tickets; if the officer can still read one, it must go.
    const groups = await prisma.officeChat.findMany({ where: { linkedBy: result.officer.id }, orderBy: { createdAt: 'asc' } });
    if (groups.length > 0) {
      process.stdout.write(
        `Telegram groups this officer linked still receive tickets:\n${groups
          .map((g) => `  ${g.chatId} (${officeName(g.officeCode)}, linked ${g.createdAt.toISOString().slice(0, 10)}): netra office unlink ${g.officeCode} --chat ${g.chatId}`)
          .join('\n')}\nUnlink those the officer can still read, or remove the officer from them in Telegram.\n`,
      );
    }
    return 0;
  } finally {
    await context.close();
  }
}
