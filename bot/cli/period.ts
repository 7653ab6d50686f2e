/** `--since`/`--until` of the operator commands: Indonesian calendar days (WIB), both inclusive. */
import { z } from 'zod';

const dayInJakarta = z.iso.date().transform((day) => new Date(`${day}T00:00:00+07:00`));

/** A period of whole days: from the start of `since` up to (not including) the day after `until`. */
export interface Period {
  since?: Date;
  until?: Date;
}

/** The period the two options give, or what is wrong with them (for the operator). */
export function parsePeriod(since: string | undefined, until: string | undefined): Period | string {
  const from = since === undefined ? undefined : dayInJakarta.safeParse(since);
  const to = until === undefined ? undefined : dayInJakarta.safeParse(until);
  if (from && !from.success) return `--since expects a date such as 2026-11-01, not "${since}"`;
  if (to && !to.success) return `--until expects a date such as 2026-11-30, not "${until}"`;
  if (from?.data && to?.data && from.data > to.data) return `--since (${since}) is after --until (${until})`;
  return {
    ...(from?.data ? { since: from.data } : {}),
    // Until the end of that day.
    ...(to?.data ? { until: new Date(to.data.getTime() + 86_400_000) } : {}),
  };
}
