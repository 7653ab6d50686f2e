/**
 * The violation catalogue, validated once at import: a broken catalogue stops startup with a message that names
 * the entry, instead of failing later when a citizen picks a category.
 */
import type { z } from 'zod';
import data from './violations.json' with { type: 'json' };
import { violationIds, violationsSchema, type Violation, type ViolationId } from './violations.schema.ts';

export type { SanctionLevel, Violation, ViolationId } from './violations.schema.ts';

/** The catalogue failed its schema; `problems` holds one line per issue, each naming the entry. */
export class ViolationContentError extends Error {
  override readonly name = 'ViolationContentError';

  constructor(readonly problems: readonly string[]) {
    super(`content/violations.json is invalid:\n- ${problems.join('\n- ')}`);
  }
}

function describeEntry(data: unknown, index: number): string {
  const entry: unknown = Array.isArray(data) ? data[index] : undefined;
  const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? `violation ${index} ("${id}")` : `violation ${index}`;
}

function describeIssue(data: unknown, issue: z.core.$ZodIssue): string {
  const [head, ...rest] = issue.path;
  if (typeof head !== 'number') return `violations: ${issue.message}`;
  const field = rest.length > 0 ? ` ${rest.map(String).join('.')}` : '';
  return `${describeEntry(data, head)}${field}: ${issue.message}`;
}

/** Validates raw catalogue data; throws `ViolationContentError` naming each bad entry and field. */
export function parseViolations(data: unknown): Violation[] {
  const result = violationsSchema.safeParse(data);
  if (result.success) return result.data;
  throw new ViolationContentError(result.error.issues.map((issue) => describeIssue(data, issue)));
}

/** Every category, in the order the report flow lists them. */
export const violations: readonly Violation[] = parseViolations(data);

const violationsById = new Map<string, Violation>(violations.map((violation) => [violation.id, violation]));

/** Whether a string (e.g. from callback data or a stored ticket) is a known category id. */
export function isViolationId(value: string): value is ViolationId {
  return (violationIds as readonly string[]).includes(value);
}

/** The category with this id, or undefined (ids arrive from callback data, which may be stale). */
export function getViolation(id: string): Violation | undefined {
  return violationsById.get(id);
}
