/**
 * The report and status texts exist in both languages with the same keys and parameters, and every key the
 * flows name exists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resources } from '../../../content/locales/index.ts';
import { reportSteps } from '../../../flows/report/reportSteps.ts';
import { lookupText } from '../../../flows/shared/texts.ts';

function leaves(node: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof node === 'string') out.set(prefix, node);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) for (const [k, v] of leaves(value, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  }
  return out;
}

const params = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
const root = path.resolve(import.meta.dirname, '../../..');

describe.each(['report', 'status'])('the %s texts', (area) => {
  const id = leaves(resources.id[area], area);
  const en = leaves(resources.en[area], area);

  it('have the same keys in Indonesian and English', () => {
    expect([...en.keys()].sort()).toEqual([...id.keys()].sort());
    expect(id.size).toBeGreaterThan(20);
  });

  it('use the same parameters in both languages and only the allowed markup', () => {
    for (const [key, text] of id) {
      expect(params(en.get(key)!), key).toEqual(params(text));
      for (const t of [text, en.get(key)!]) expect(t.replace(/<\/?(b|i|code)>/g, ''), key).not.toMatch(/<[a-z/]/i);
    }
  });

  it('include every key the flows name', () => {
    const dir = path.join(root, 'flows', area);
    const source = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
    const named = [
      ...[...source.matchAll(new RegExp(`'(${area}\\.[A-Za-z.]+)'`, 'g'))].map((m) => m[1]!),
      ...(area === 'report' ? [...source.matchAll(/\bk\('([A-Za-z.]+)'\)/g)].map((m) => `report.${m[1]}`) : []),
    ].filter((key) => !key.endsWith('.'));
    expect(named.length).toBeGreaterThan(10);
    for (const key of named) {
      expect(lookupText(key, 'id'), key).toBeDefined();
      expect(lookupText(key, 'en'), key).toBeDefined();
    }
  });
});

it('has help for every step of the report flow', () => {
  for (const step of reportSteps) {
    expect(lookupText(`report.help.${step}`, 'id'), step).toBeDefined();
    expect(lookupText(`report.help.${step}`, 'en'), step).toBeDefined();
  }
});
