import { describe, expect, it } from 'vitest';
import { resources } from '../../content/locales/index.ts';

function flatten(node: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof node === 'string') {
    out.set(prefix, node);
    return out;
  }
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    for (const [key, value] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(key, value);
  }
  return out;
}

const id = flatten(resources.id);
const en = flatten(resources.en);
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
const tags = (text: string) => [...text.matchAll(/<\/?([a-z]+)[^>]*>/g)].map((m) => m[0].replace(/\s.*>/, '>')).sort();

describe('the locale files', () => {
  it('give every Indonesian key an English text', () => {
    expect([...id.keys()].filter((k) => !en.has(k))).toEqual([]);
  });

  it('give every English key an Indonesian text', () => {
    expect([...en.keys()].filter((k) => !id.has(k))).toEqual([]);
  });

  it('use the same placeholders in both languages', () => {
    const mismatched = [...id.keys()].filter(
      (k) => en.has(k) && JSON.stringify(placeholders(id.get(k)!)) !== JSON.stringify(placeholders(en.get(k)!)),
    );
    expect(mismatched).toEqual([]);
  });

  it('name in English texts the English form of every chat command', () => {
    const indonesianOnly = /\/(lapor|kuis|belajar|verifikasi|jawab|batal|bahasa|bantuan|privasi)\b/;
    expect([...en].filter(([, v]) => indonesianOnly.test(v)).map(([k]) => k)).toEqual([]);
  });

  it('have no empty texts', () => {
    expect([...id, ...en].filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([]);
  });

  it('use only the markup every channel can render, balanced', () => {
    const allowed = /^<\/?(b|i|code)>$/;
    const bad = [...id, ...en].filter(([, v]) => {
      const found = tags(v);
      if (found.some((t) => !allowed.test(t))) return true;
      const opens = found.filter((t) => !t.startsWith('</')).length;
      return opens * 2 !== found.length;
    });
    expect(bad.map(([k]) => k)).toEqual([]);
  });
});
