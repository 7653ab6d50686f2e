import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { locales } from '../../../content/locales/index.ts';
import { lookupText } from '../../../flows/shared/texts.ts';
import { settableStatuses, ticketStatuses } from '../../../bot/officers/ticketStatus.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const sources = ['bot/officers', 'bot/forwarding', 'flows/reply'].flatMap((dir) =>
  readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(path.join(root, dir, f), 'utf8')),
);

describe('officer texts', () => {
  it('exist in both languages for every literal key the code uses', () => {
    // `officer.enrol` is also an audit action name, not a text.
    const keys = new Set(
      sources.flatMap((s) => [...s.matchAll(/'(officer\.[A-Za-z.-]+[A-Za-z])'/g)].map((m) => m[1]!)).filter((k) => k !== 'officer.enrol'),
    );
    expect(keys.size).toBeGreaterThan(60);
    for (const key of keys) for (const locale of locales) expect(lookupText(key, locale), `${key} (${locale})`).toBeDefined();
  });

  it('exist for every key the code builds from data', () => {
    const built = [
      ...ticketStatuses.map((s) => `officer.status.${s}`),
      ...Object.keys(settableStatuses).map((s) => `officer.status.${s}`),
      ...['new', 'escalated', 'transfer', 'reminder', 'view'].map((r) => `officer.card.title.${r}`),
      ...['sedang', 'berat', 'ptdh', 'pidana', 'varies'].map((l) => `officer.sanction.${l}`),
      ...['tip', 'formal'].map((k) => `officer.kind.${k}`),
      ...['tip', 'formal', 'reminder', 'answer'].map((k) => `officer.email.subject.${k}`),
      ...['unknown', 'used', 'expired'].map((r) => `officer.enrol.${r}`),
      ...['officer', 'coordinator'].map((r) => `officer.role.${r}`),
      ...['submitted', 'forwarded', 'acknowledged', 'status', 'question', 'answer', 'note', 'transferred', 'reminder', 'reminderCopy', 'other'].map(
        (t) => `officer.event.${t}`,
      ),
    ];
    for (const key of built) for (const locale of locales) expect(lookupText(key, locale), `${key} (${locale})`).toBeDefined();
  });

  it('use only the markup Telegram and the renderer allow', () => {
    for (const locale of locales) {
      const raw = readFileSync(path.join(root, `content/locales/${locale}/officer.json`), 'utf8');
      const tags = new Set([...raw.matchAll(/<\/?([a-z]+)[^>]*>/g)].map((m) => m[1]));
      expect([...tags].filter((t) => !['b', 'i', 'code'].includes(t!))).toEqual([]);
    }
  });
});
