import fc from 'fast-check';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { escapeHtml, Renderer, splitText, toPlainText, toWhatsAppText } from '../../bot/i18n.ts';
import { locales, resources } from '../../content/locales/index.ts';
import { say } from '../../flows/messages.ts';

const renderer = await Renderer.create();

/** Every text key with its string, per locale. */
function textsOf(tree: unknown, prefix = ''): Array<[string, string]> {
  if (typeof tree === 'string') return [[prefix, tree]];
  if (typeof tree !== 'object' || tree === null) return [];
  return Object.entries(tree).flatMap(([name, value]) => textsOf(value, prefix ? `${prefix}.${name}` : name));
}

describe('rendering messages', () => {
  it('escapes every parameter but keeps the markup of the text itself', () => {
    const html = renderer.text({ key: 'common.unknownCommand', params: { command: '<b>x</b> & <script>' } }, 'id');
    expect(html).toContain('/&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;');
    expect(renderer.text({ key: 'common.help' }, 'id')).toContain('<b>Perintah Netra</b>');
  });

  it('names "kembali" beside the commands in the help list, the one way back a step that is no command', () => {
    expect(renderer.text({ key: 'common.help' }, 'id')).toContain('Ketik <i>kembali</i> untuk kembali ke pertanyaan sebelumnya.');
    expect(renderer.text({ key: 'common.help' }, 'en')).toContain('Type <i>back</i> to return to the previous question.');
  });

  it('shows a hostile parameter literally in plain text and on WhatsApp', () => {
    const html = renderer.text({ key: 'common.unknownCommand', params: { command: '<b>x</b>' } }, 'en');
    expect(toPlainText(html)).toContain('/<b>x</b>');
    expect(toWhatsAppText(html)).toContain('/<b>x</b>');
    expect(toWhatsAppText(renderer.text({ key: 'common.help' }, 'en'))).toContain('*Netra commands*');
  });

  it('renders bilingual content and nested keys in the chat language', () => {
    const params = { command: { id: 'satu', en: 'one' } };
    expect(renderer.text({ key: 'common.unknownCommand', params }, 'en')).toContain('/one');
    expect(renderer.text({ localized: { id: 'Halo', en: 'Hello' } }, 'id')).toBe('Halo');
    expect(renderer.text({ literal: 'Kota <Padang>' }, 'en')).toBe('Kota &lt;Padang&gt;');
    expect(renderer.message(say('menu.ask'), 'en').text).toBe('What would you like to do?');
  });

  it('renders a text without parameters in the asked locale every time, also after the other locale', () => {
    expect(renderer.text({ key: 'menu.ask' }, 'id')).toBe('Apa yang ingin Anda lakukan?');
    expect(renderer.text({ key: 'menu.ask' }, 'en')).toBe('What would you like to do?');
    expect(renderer.text({ key: 'menu.ask' }, 'id')).toBe('Apa yang ingin Anda lakukan?');
    // The same key with parameters is interpolated, not taken from what was rendered without them.
    const withParams = renderer.text({ key: 'common.unknownCommand', params: { command: 'satu' } }, 'id');
    expect(renderer.text({ key: 'common.unknownCommand', params: { command: 'dua' } }, 'id')).toBe(withParams.replace('satu', 'dua'));
  });

  it('splits a long text at line breaks into parts under the limit, losing nothing', () => {
    const text = Array.from({ length: 300 }, (_, i) => `Baris ${i} &amp; teks`).join('\n');
    const parts = splitText(text, 1000);
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.every((p) => p.length <= 1000)).toBe(true);
    expect(parts.join('\n')).toBe(text);
  });

  it('never cuts a text inside an HTML entity', () => {
    const text = `${'a'.repeat(995)}&amp;${'b'.repeat(100)}`;
    const parts = splitText(text, 1000);
    expect(parts[0]?.endsWith('&')).toBe(false);
    expect(parts.join('')).toBe(text);
  });

  it('fills the placeholders of every text exactly as i18next does, whatever the parameters hold', async () => {
    const reference = i18next.createInstance();
    await reference.init({
      resources: Object.fromEntries(locales.map((l) => [l, { translation: resources[l] }])),
      lng: 'id',
      fallbackLng: false,
      interpolation: { escapeValue: false },
      initAsync: false,
      showSupportNotice: false,
    } as Parameters<typeof reference.init>[0]);
    const withParams = locales.flatMap((locale) =>
      textsOf(resources[locale])
        .map(([key, text]) => ({ locale, key, names: [...new Set([...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!))] }))
        .filter((t) => t.names.length > 0),
    );
    // The texts Netra renders with parameters: the office card's, the report's summaries, the quiz's results.
    expect(withParams.length).toBeGreaterThan(100);
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom('<b>x</b> & y', '{{code}}', '$t(menu.ask)', "$& $' $1 $$", '', 'Kab. Bangka Barat'),
      fc.integer({ min: -5, max: 100_000 }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...withParams), fc.array(value, { minLength: 4, maxLength: 4 }), fc.boolean(), ({ locale, key, names }, values, omitOne) => {
        const given = names.slice(omitOne ? 1 : 0);
        const params = Object.fromEntries(given.map((name, i) => [name, values[i % values.length]!]));
        const expected = reference.t(key, {
          lng: locale,
          ...Object.fromEntries(Object.entries(params).map(([name, v]) => [name, typeof v === 'number' ? v : escapeHtml(v)])),
        });
        expect(renderer.text({ key, params }, locale)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves a text with plural forms to i18next, which picks the form from count', async () => {
    const files = { files: '{{count}} files', files_one: 'One file', files_other: '{{count}} files' };
    const plural = await Renderer.create({ id: {}, en: { x: files } });
    expect(plural.text({ key: 'x.files', params: { count: 1 } }, 'en')).toBe('One file');
    expect(plural.text({ key: 'x.files', params: { count: 3 } }, 'en')).toBe('3 files');
  });
});
