import { describe, expect, it } from 'vitest';
import { Renderer, splitText, toPlainText, toWhatsAppText } from '../../bot/i18n.ts';
import { say } from '../../flows/messages.ts';

const renderer = await Renderer.create();

describe('rendering messages', () => {
  it('escapes every parameter but keeps the markup of the text itself', () => {
    const html = renderer.text({ key: 'common.unknownCommand', params: { command: '<b>x</b> & <script>' } }, 'id');
    expect(html).toContain('/&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;');
    expect(renderer.text({ key: 'common.help' }, 'id')).toContain('<b>Perintah Netra</b>');
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
});
