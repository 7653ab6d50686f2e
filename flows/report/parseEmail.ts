/**
 * E-mail addresses for the reporter's contact. Skip words (`tidak ada`, `-`) are the flow's business: it
 * checks {@link isSkipWord} from `answerWords.ts` before calling this.
 */
import { z } from 'zod';
import { normaliseAnswer } from './normaliseAnswer.ts';
import { fail, ok, type ParseResult } from './parseResult.ts';

export const emailErrorCodes = ['empty', 'invalidEmail'] as const;
/** Why an e-mail address was refused. */
export type EmailError = (typeof emailErrorCodes)[number];

/** RFC 5321 caps a forward path at 254 characters. */
const emailSchema = z.email().max(254);

/**
 * Accepts one address, also as `<budi@mail.com>` or `mailto:budi@mail.com`, with a trailing full stop
 * forgiven. The domain is lower-cased (it is case-insensitive); the local part is kept as typed.
 */
export function parseEmail(text: string): ParseResult<string, EmailError> {
  if (text.length > 1000) return fail('invalidEmail');
  const candidate = normaliseAnswer(text.normalize('NFKC'))
    .replace(/^mailto:/i, '')
    .replace(/^<(.*)>$/, '$1')
    .replace(/\.$/, '')
    .trim();
  if (candidate === '') return fail('empty');
  const at = candidate.lastIndexOf('@');
  const address = at < 0 ? candidate : candidate.slice(0, at) + candidate.slice(at).toLowerCase();
  return emailSchema.safeParse(address).success ? ok(address) : fail('invalidEmail');
}
