/**
 * Statistics tables as operators receive them: the small-group rule applied to every cell, then rendered as an
 * aligned text table or as CSV. A count under {@link MIN_GROUP_SIZE} is shown as "<5" and every value derived
 * from such a group (a rate, a weakest topic) is hidden, so no person can be singled out.
 */
import { stringify } from 'csv-stringify/sync';

/** Groups smaller than this are never shown with their exact count or anything derived from it. */
export const MIN_GROUP_SIZE = 5;
/** How a count under the threshold is shown. */
export const SUPPRESSED_COUNT = `<${MIN_GROUP_SIZE}`;
/** How a value derived from a small group is shown. */
export const HIDDEN_VALUE = '–';

/** A column: its header and whether it holds numbers (right-aligned in the text table). */
export interface Column {
  key: string;
  header: string;
  numeric?: boolean;
}

/** A table ready to print: every cell already a string. */
export interface StatsTable {
  title: string;
  columns: Column[];
  rows: Array<Record<string, string>>;
  /** Lines printed under the text table (not in CSV), e.g. the suppression rule. */
  notes: string[];
}

/** A count as shown: exact from {@link MIN_GROUP_SIZE} up, "<5" below. */
export function shownCount(count: number): string {
  return count < MIN_GROUP_SIZE ? SUPPRESSED_COUNT : String(count);
}

/** A value derived from a group of `groupSize` people, or the hidden marker when the group is too small. */
export function shownDerived(groupSize: number, value: string): string {
  return groupSize < MIN_GROUP_SIZE ? HIDDEN_VALUE : value;
}

/**
 * Orders groups largest first, with the small ones last and tied (the caller breaks ties by name), so the order
 * of the rows tells nothing about the sizes the table hides.
 */
export function bySize(a: number, b: number): number {
  const small = (n: number) => n < MIN_GROUP_SIZE;
  if (small(a) || small(b)) return Number(small(a)) - Number(small(b));
  return b - a;
}

/** A share as a whole percentage ("83%"). */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part * 100) / whole)}%` : HIDDEN_VALUE;
}

/** The note printed under every table. */
export const suppressionNote = `Counts under ${MIN_GROUP_SIZE} are shown as "${SUPPRESSED_COUNT}"; rates of such groups are hidden ("${HIDDEN_VALUE}").`;

/** Aligned text: a title, a header, a rule, the rows, then the notes. */
export function renderTable(table: StatsTable): string {
  const widths = table.columns.map((c) => Math.max(c.header.length, ...table.rows.map((r) => (r[c.key] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (table.columns[i]?.numeric ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [table.title, '', line(table.columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w)))];
  if (table.rows.length === 0) out.push('(no data)');
  for (const row of table.rows) out.push(line(table.columns.map((c) => row[c.key] ?? '')));
  out.push('', ...table.notes);
  return `${out.join('\n')}\n`;
}

/** CSV with a header row, for spreadsheets. */
export function renderCsv(table: StatsTable): string {
  return stringify(
    table.rows.map((row) => table.columns.map((c) => row[c.key] ?? '')),
    { header: true, columns: table.columns.map((c) => ({ key: String(table.columns.indexOf(c)), header: c.header })) },
  );
}
