/**
 * `netra office show 19.05` shows an office's destinations (linked groups, with who linked each and in what role;
 * officers, e-mail, webhook) and open tickets; `netra office set 19.05 --email bawaslu@example.go.id --webhook
 * https://...` sets them (`none` clears).
 * A new webhook gets a fresh signing secret, printed once. `netra office unlink 19.05 --chat -100123` stops a
 * Telegram group receiving the office's tickets.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { appendAudit } from '../audit/auditLog.ts';
import { resolveDestinations } from '../forwarding/officeDestinations.ts';
import { officeName, OFFICE_CODE, setOfficeEmail, setOfficeWebhook } from '../offices/officeDirectory.ts';
import { openOperatorContext, unknownOffice } from '../offices/operatorContext.ts';

const USAGE =
  'Usage: netra office show <code>\n       netra office set <code> [--email ADDRESS|none] [--webhook URL|none]\n' +
  '       netra office unlink <code> --chat <Telegram chat id>\n';

const emailSchema = z.email();
const webhookSchema = z.url({ protocol: /^https?$/ });

/** `--chat -100123`: a group's id starts with a minus, which would otherwise read as an option. */
function joinChatIds(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const next = args[i + 1];
    if (args[i] === '--chat' && next !== undefined && /^-\d+$/.test(next)) {
      out.push(`--chat=${next}`);
      i += 1;
    } else {
      out.push(args[i]!);
    }
  }
  return out;
}

export async function run(rawArgs: string[]): Promise<number> {
  const args = joinChatIds(rawArgs);
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { email: { type: 'string' }, webhook: { type: 'string' }, chat: { type: 'string' } } });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [action, rawCode] = parsed.positionals;
  const code = rawCode?.toUpperCase();
  const { email, webhook, chat } = parsed.values;
  if (
    !code ||
    !OFFICE_CODE.test(code) ||
    !['show', 'set', 'unlink'].includes(action ?? '') ||
    (action === 'set' && email === undefined && webhook === undefined) ||
    (action === 'unlink' && !/^-?\d+$/.test(chat ?? ''))
  ) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (email !== undefined && email !== 'none' && !emailSchema.safeParse(email).success) {
    process.stderr.write(`Not an e-mail address: ${email}\n`);
    return 2;
  }
  if (webhook !== undefined && webhook !== 'none' && !webhookSchema.safeParse(webhook).success) {
    process.stderr.write(`Not an http(s) URL: ${webhook}\n`);
    return 2;
  }
  const context = await openOperatorContext();
  try {
    const { prisma } = context.store;
    const office = await prisma.office.findUnique({
      where: { code },
      include: { chats: true, officers: { where: { revokedAt: null } } },
    });
    if (!office) {
      process.stderr.write(unknownOffice(code));
      return 1;
    }
    if (action === 'unlink') {
      // A group an officer linked and should no longer read (say, after `netra officer revoke`).
      const link = office.chats.find((c) => c.chatId === chat);
      if (!link) {
        const linked = office.chats.map((c) => c.chatId).join(', ') || 'none';
        process.stderr.write(`${office.name} has no Telegram group ${chat}. Its groups: ${linked}\n`);
        return 1;
      }
      await prisma.$transaction(async (tx) => {
        await tx.officeChat.delete({ where: { id: link.id } });
        await appendAudit(tx, { actor: 'cli', action: 'office.unlink', data: { officeCode: code }, at: new Date() });
      });
      process.stdout.write(`Group ${chat} no longer receives ${office.name}'s tickets. Audit-logged.\n`);
      return 0;
    }
    if (action === 'set') {
      const now = new Date();
      let secret: string | null = null;
      await prisma.$transaction(async (tx) => {
        if (email !== undefined) await setOfficeEmail(tx, code, email === 'none' ? null : email);
        if (webhook !== undefined) secret = (await setOfficeWebhook(tx, context.secrets, code, webhook === 'none' ? null : webhook))?.secret ?? null;
        await appendAudit(tx, {
          actor: 'cli',
          action: 'office.set',
          data: { officeCode: code, ...(email !== undefined ? { email } : {}), ...(webhook !== undefined ? { webhook } : {}) },
          at: now,
        });
      });
      process.stdout.write(`Updated ${office.name}.\n`);
      if (email !== undefined && email !== 'none' && context.config.SMTP_URL === undefined) {
        process.stdout.write('Note: SMTP_URL is not set, so Netra sends no e-mail: until it is, this address is not used and tickets go to the office\'s groups or officers, or up to the office above.\n');
      }
      if (secret) {
        process.stdout.write(
          'Webhook signing secret (shown only now; store it in the receiving system):\n' +
            `${secret}\nEach POST carries X-Netra-Signature: sha256=<hex HMAC-SHA256 of the raw body under this secret>.\n`,
        );
      }
      return 0;
    }
    const open = await prisma.ticket.count({ where: { officeCode: code, closedAt: null } });
    const canEmail = context.config.SMTP_URL !== undefined;
    const resolved = await resolveDestinations(prisma, code, { email: canEmail });
    // Who linked each group, and as what: groups a plain officer linked (before linking became a coordinator's act)
    // may be read by people no coordinator chose.
    const linkers = new Map(
      (
        await prisma.officer.findMany({
          where: { id: { in: office.chats.map((c) => c.linkedBy) } },
          select: { id: true, displayName: true, role: true, revokedAt: true },
        })
      ).map((o) => [o.id, o]),
    );
    const linkedBy = (id: string) => {
      const linker = linkers.get(id);
      if (!linker) return 'by -, -';
      return `by ${linker.displayName ?? '-'} [${linker.id.slice(0, 8)}], ${linker.role}${linker.revokedAt ? ', revoked' : ''}`;
    };
    const chats = [...office.chats].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const lines = [
      `${office.name} (${office.code}), level ${office.level}${office.parentCode ? `, under ${officeName(office.parentCode)}` : ''}`,
      `Telegram groups: ${chats.length === 0 ? 'none' : chats.map((c) => `${c.chatId} (linked ${c.createdAt.toISOString().slice(0, 10)} ${linkedBy(c.linkedBy)})`).join(', ')}`,
      `Active officers: ${office.officers.length}`,
      `E-mail: ${office.email ? `${office.email}${canEmail ? '' : ' (not used: SMTP_URL is not set)'}` : 'not set'}`,
      `Webhook: ${office.webhookUrl ? `${office.webhookUrl} (signed)` : 'not set'}`,
      `Open tickets: ${open}`,
      resolved
        ? resolved.officeCode === code
          ? `New tickets go to: ${resolved.destinations.map((d) => d.destination.type).join(', ')}`
          : `No destination of its own: new tickets escalate to ${officeName(resolved.officeCode)}`
        : 'No destination here or above: tickets wait until Bawaslu RI or an office above has one.',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await context.close();
  }
}
