/**
 * Evidence links (social-media posts, news articles, cloud folders) pasted into a message, one or several,
 * with any text around them.
 */
import { fail, ok, type ParseResult } from './parseResult.ts';

export const linkErrorCodes = ['noLink', 'invalidLink', 'tooMany'] as const;
/** Why a message yielded no usable links. */
export type LinkError = (typeof linkErrorCodes)[number];

/** More than this in one message is a paste of something else (a chat export, a link list); ask for fewer. */
export const MAX_LINKS_PER_MESSAGE = 20;
const MAX_URL_LENGTH = 2048;

/**
 * An http(s) URL, a bare `www.` address, or a post on a platform people share without the scheme
 * (`tiktok.com/@warga/video/1`, `fb.watch/abc`), starting where a link can start: not glued to a word, another
 * scheme (`javascript:http://…`) or an e-mail address.
 */
const HTTP_CANDIDATE =
  /(?<![\p{L}\p{N}:/.@-])(?:https?:\/\/|www\.|(?:(?:m|mobile|web|vt|vm)\.)?(?:facebook\.com|fb\.com|fb\.watch|instagram\.com|tiktok\.com|x\.com|twitter\.com|youtube\.com|youtu\.be|threads\.net|t\.me|s\.id|bit\.ly)\/)[^\s<>"'`]*/giu;
/** Links in schemes we never accept, found only to say "that link cannot be used" instead of "no link". */
const OTHER_SCHEME = /(?:javascript|vbscript|data|file|ftp|intent|tg):\S*/i;
const TRAILING_PUNCTUATION = /[.,;:!?…'"»”’*_~]$/;
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** Drops punctuation that ends the sentence rather than the URL, and a bracket the URL never opened. */
function trimTrailing(candidate: string): string {
  let url = candidate;
  for (;;) {
    const last = url.at(-1) ?? '';
    const opener = CLOSERS[last];
    if (TRAILING_PUNCTUATION.test(url)) url = url.slice(0, -1);
    else if (opener !== undefined && count(url, opener) < count(url, last)) url = url.slice(0, -1);
    else return url;
  }
}

function toValidUrl(candidate: string): string | undefined {
  if (candidate.length > MAX_URL_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(candidate) ? candidate : `https://${candidate}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // user:pass@host hides the real host from a reader (https://bawaslu.go.id@evil.example).
  if (url.username !== '' || url.password !== '') return undefined;
  const labels = url.hostname.split('.');
  const tld = labels.at(-1) ?? '';
  // A public name only: IP literals and intranet names (localhost, a lone word) are no evidence for others.
  if (labels.length < 2 || !TLD.test(tld) || !labels.every((label) => LABEL.test(label))) return undefined;
  // "www.instagram": a name cut short after "www.", which names no site.
  if (labels.length === 2 && labels[0] === 'www') return undefined;
  return url.href;
}

/**
 * Extracts every http(s) link (and `www.` address or bare platform post, read as https) from a message, in order and without
 * duplicates. Links that do not parse, have no public host name, or carry credentials are left out; the
 * message fails with `noLink` when it contains no link at all and `invalidLink` when none of its links can
 * be used (including `javascript:` and other schemes).
 */
export function parseEvidenceLinks(text: string): ParseResult<string[], LinkError> {
  const candidates = text.normalize('NFC').match(HTTP_CANDIDATE) ?? [];
  const links: string[] = [];
  for (const candidate of candidates) {
    const url = toValidUrl(trimTrailing(candidate));
    if (url !== undefined && !links.includes(url)) links.push(url);
  }
  if (links.length > MAX_LINKS_PER_MESSAGE) return fail('tooMany', { count: links.length, max: MAX_LINKS_PER_MESSAGE });
  if (links.length > 0) return ok(links);
  return fail(candidates.length > 0 || OTHER_SCHEME.test(text) ? 'invalidLink' : 'noLink');
}
