/**
 * E-mail addresses for the reporter's contact. Skip words (`tidak ada`, `-`) are the flow's business: it
 * checks {@link isSkipWord} from `answerWords.ts` before calling this.
 */
import mailSpellChecker from '@zootools/email-spell-checker';
import { z } from 'zod';
import { normaliseAnswer } from './normaliseAnswer.ts';
import { fail, ok, type ParseResult } from './parseResult.ts';

export const emailErrorCodes = ['empty', 'invalidEmail'] as const;
/** Why an e-mail address was refused. */
export type EmailError = (typeof emailErrorCodes)[number];

/** RFC 5321 caps a forward path at 254 characters. */
const emailSchema = z.email().max(254);

/** Words people put before the address (`email saya: budi@mail.com`, `my email is …`), read past. */
const EMAIL_LABEL = /^(?:(?:e-?mail(?:nya|ku)?|surel|alamat|saya|aku|aja|saja|di|my|address|is)(?:\s*:\s*|\s+))+(?=\S+@)/i;

/**
 * Accepts one address, also as `<budi@mail.com>`, `mailto:budi@mail.com` or after `email saya`, with a trailing
 * full stop forgiven. The domain is lower-cased (it is case-insensitive); the local part is kept as typed.
 */
export function parseEmail(text: string): ParseResult<string, EmailError> {
  if (text.length > 1000) return fail('invalidEmail');
  const candidate = normaliseAnswer(text.normalize('NFKC'))
    .replace(EMAIL_LABEL, '')
    .replace(/^mailto:/i, '')
    .replace(/^<(.*)>$/, '$1')
    .replace(/\.$/, '')
    .trim();
  if (candidate === '') return fail('empty');
  const at = candidate.lastIndexOf('@');
  const address = at < 0 ? candidate : candidate.slice(0, at) + candidate.slice(at).toLowerCase();
  return emailSchema.safeParse(address).success ? ok(address) : fail('invalidEmail');
}

/** Mail services people in Indonesia use most, whose misspellings are worth a second look. */
const COMMON_DOMAINS = [
  'gmail.com',
  'yahoo.com',
  'yahoo.co.id',
  'ymail.com',
  'rocketmail.com',
  'hotmail.com',
  'outlook.com',
  'outlook.co.id',
  'live.com',
  'icloud.com',
  'protonmail.com',
  'proton.me',
  // Services spelt close to the ones above, so that they are never "corrected" into them.
  'yahoo.com.my',
  'yahoo.com.sg',
  'yahoo.co.jp',
  'yahoo.co.uk',
  'mail.com',
  'email.com',
  'gmx.com',
  'gmx.de',
  'aol.com',
  'zoho.com',
  'yandex.com',
];

/** Top-level domains, Indonesia's second-level ones first (`go.id`, `ac.id`, …), so that they are never "corrected". */
const TOP_LEVEL_DOMAINS = [
  'co.id', 'go.id', 'ac.id', 'sch.id', 'or.id', 'web.id', 'my.id', 'biz.id', 'net.id', 'mil.id', 'desa.id', 'ponpes.id', 'id',
  'co', 'io', 'me', 'com', 'net', 'org', 'edu', 'gov', 'info',
  // Where Indonesians abroad and their employers often have addresses.
  'my', 'com.my', 'sg', 'com.sg', 'au', 'com.au', 'jp', 'co.jp', 'kr', 'co.kr', 'tw', 'com.tw', 'hk', 'com.hk', 'sa', 'com.sa',
  'ae', 'nl', 'de', 'uk', 'co.uk', 'ac.uk', 'us', 'ca', 'fr', 'eu',
];

/**
 * The domain an address was probably meant to have when its own looks like a slip (`gmial.com`, `gmail.con`,
 * `yaho.co.id`): the suggestion, or nothing when the domain looks intended. Names of institutions (`ui.ac.id`,
 * `kemendagri.go.id`) are left alone: only the common mail services and the top-level domains are compared.
 */
export function suggestEmailDomain(address: string): string | undefined {
  const suggestion = mailSpellChecker.run({
    email: address,
    domains: COMMON_DOMAINS,
    topLevelDomains: TOP_LEVEL_DOMAINS,
    // Comparing the names before the top-level domain alone would turn `ui.ac.id` into `live.ac.id`.
    secondLevelDomains: [],
  });
  return suggestion && suggestion.domain !== address.slice(address.lastIndexOf('@') + 1) ? suggestion.domain : undefined;
}
