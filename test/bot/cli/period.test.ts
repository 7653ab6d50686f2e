import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../../bot/cli/period.ts';

describe('the --since/--until period of the operator commands', () => {
  it('runs from the start of the first day to the end of the last, in Western Indonesian Time', () => {
    expect(parsePeriod('2026-11-01', '2026-11-30')).toEqual({
      since: new Date('2026-10-31T17:00:00Z'),
      until: new Date('2026-11-30T17:00:00Z'),
    });
    expect(parsePeriod('2026-11-01', '2026-11-01')).toEqual({ since: new Date('2026-10-31T17:00:00Z'), until: new Date('2026-11-01T17:00:00Z') });
    expect(parsePeriod(undefined, undefined)).toEqual({});
  });

  it.each([
    ['2026-13-01', undefined, '--since expects a date such as 2026-11-01, not "2026-13-01"'],
    ['2026-02-30', undefined, '--since expects a date'],
    [undefined, 'kemarin', '--until expects a date such as 2026-11-30, not "kemarin"'],
    ['2026-12-02', '2026-12-01', '--since (2026-12-02) is after --until (2026-12-01)'],
  ])('refuses since %j until %j, saying what is wrong', (since, until, message) => {
    const result = parsePeriod(since, until);
    expect(typeof result).toBe('string');
    expect(result).toContain(message);
  });
});
