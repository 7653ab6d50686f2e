import { describe, expect, it } from 'vitest';
import {
  linkErrorCodes,
  MAX_LINKS_PER_MESSAGE,
  parseEvidenceLinks,
  type LinkError,
} from '../../../flows/report/parseEvidenceLinks.ts';

describe('parseEvidenceLinks', () => {
  it.each([
    ['https://www.tiktok.com/@budi/video/7301234567890', ['https://www.tiktok.com/@budi/video/7301234567890']],
    ['Ini buktinya: https://x.com/budi/status/123 mohon dicek', ['https://x.com/budi/status/123']],
    ['http://kompas.com/read/2026/11/20/berita', ['http://kompas.com/read/2026/11/20/berita']],
    ['HTTPS://WWW.Facebook.com/Budi', ['https://www.facebook.com/Budi']],
    ['https://drive.google.com/drive/folders/abc?usp=sharing', ['https://drive.google.com/drive/folders/abc?usp=sharing']],
    ['https://youtu.be/dQw4w9WgXcQ?t=42', ['https://youtu.be/dQw4w9WgXcQ?t=42']],
    ['https://instagram.com/p/abc/.', ['https://instagram.com/p/abc/']],
    ['Lihat https://x.com/a, dan https://x.com/b!', ['https://x.com/a', 'https://x.com/b']],
    ['https://x.com/a\nhttps://x.com/b\nhttps://x.com/c', ['https://x.com/a', 'https://x.com/b', 'https://x.com/c']],
    ['(https://x.com/a)', ['https://x.com/a']],
    // Posts on the platforms people share without the scheme.
    ['ini linknya https://www.facebook.com/share/v/abc123 sama tiktok.com/@warga/video/123', ['https://www.facebook.com/share/v/abc123', 'https://tiktok.com/@warga/video/123']],
    ['fb.watch/xyz dan vt.tiktok.com/ZSabc/', ['https://fb.watch/xyz', 'https://vt.tiktok.com/ZSabc/']],
    ['lihat x.com/camat/status/1.', ['https://x.com/camat/status/1']],
    ['[foto](https://imgur.com/a/xyz)', ['https://imgur.com/a/xyz']],
    ['https://en.wikipedia.org/wiki/Foo_(bar)', ['https://en.wikipedia.org/wiki/Foo_(bar)']],
    ['"https://x.com/a"', ['https://x.com/a']],
    ['*https://x.com/a*', ['https://x.com/a']],
    ['https://x.com/a?', ['https://x.com/a']],
    ['www.kompas.com/read/1', ['https://www.kompas.com/read/1']],
    ['https://x.com/a https://x.com/a', ['https://x.com/a']],
    ['https://X.com/a https://x.com/a', ['https://x.com/a']],
    ['https://bücher.de/a', ['https://xn--bcher-kva.de/a']],
    ['https://bawaslu.go.id:443/x', ['https://bawaslu.go.id/x']],
    ['http://foo.com/x https://localhost/y', ['http://foo.com/x']],
  ])('extracts from %j', (text, expected) => {
    expect(parseEvidenceLinks(text)).toEqual({ ok: true, value: expected });
  });

  const refused: [string, LinkError, string][] = [
    ['', 'noLink', 'an empty message'],
    ['tidak ada link', 'noLink', 'words only'],
    ['kompas.com/read/1', 'noLink', 'a host without scheme or www'],
    ['email budi@www.mail.com', 'noLink', 'an e-mail address with www'],
    ['mytiktok.com/a', 'noLink', 'a host that only ends like a known platform'],
    ['budi@tiktok.com/x', 'noLink', 'an e-mail address at a known platform'],
    ['javascript:alert(1)', 'invalidLink', 'a javascript: link'],
    ['javascript:http://evil.com', 'invalidLink', 'an http link behind javascript:'],
    ['JavaScript:void(0)', 'invalidLink', 'javascript: in capitals'],
    ['data:text/html,<script>alert(1)</script>', 'invalidLink', 'a data: link'],
    ['ftp://files.example.com/a', 'invalidLink', 'an ftp link'],
    ['http://localhost:3000/x', 'invalidLink', 'a host without a dot'],
    ['http://intranet/x', 'invalidLink', 'an intranet name'],
    ['http://192.168.1.1/a', 'invalidLink', 'an IP address'],
    ['http://[::1]/a', 'invalidLink', 'an IPv6 address'],
    ['https://bawaslu.go.id@evil.example/', 'invalidLink', 'credentials disguising the host'],
    ['https://user:pass@example.com/', 'invalidLink', 'a user and password'],
    ['https://example.c0m/', 'invalidLink', 'a top-level domain with a digit'],
    ['https://-bad-.com/', 'invalidLink', 'a label starting with a hyphen'],
    ['www.instagram', 'invalidLink', 'a name cut short after www.'],
    ['https://www.instagram/p/abc', 'invalidLink', 'the same, with a scheme and a path'],
    ['https://exa..mple.com/', 'invalidLink', 'an empty label'],
    ['https://', 'invalidLink', 'a scheme alone'],
    [`https://x.com/${'a'.repeat(2100)}`, 'invalidLink', 'a URL over 2048 characters'],
    [
      Array.from({ length: MAX_LINKS_PER_MESSAGE + 1 }, (_, i) => `https://x.com/${i}`).join(' '),
      'tooMany',
      'more links than one message may hold',
    ],
  ];

  it.each(refused)('refuses %j with %s (%s)', (text, error) => {
    expect(parseEvidenceLinks(text)).toMatchObject({ ok: false, error });
  });

  it('produces every link error code for some input', () => {
    expect([...new Set(refused.map(([, error]) => error))].sort()).toEqual([...linkErrorCodes].sort());
  });

  it('accepts exactly the maximum number of links', () => {
    const text = Array.from({ length: MAX_LINKS_PER_MESSAGE }, (_, i) => `https://x.com/${i}`).join('\n');
    const result = parseEvidenceLinks(text);
    expect(result.ok && result.value.length).toBe(MAX_LINKS_PER_MESSAGE);
  });

  it('says how many links it found when there are too many', () => {
    const text = Array.from({ length: 25 }, (_, i) => `https://x.com/${i}`).join(' ');
    expect(parseEvidenceLinks(text)).toEqual({ ok: false, error: 'tooMany', params: { count: 25, max: MAX_LINKS_PER_MESSAGE } });
  });
});
