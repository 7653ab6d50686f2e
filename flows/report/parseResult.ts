/**
 * The shape every report-answer parser returns. `error` is a stable code that the flow maps to an i18n key;
 * `params` carries numbers or strings that the text may interpolate (e.g. the length of a too-short answer).
 */
export type ParseResult<T, E extends string> =
  | { ok: true; value: T }
  | { ok: false; error: E; params?: Record<string, string | number> };

/** Wraps a parsed value. */
export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** Wraps an error code, with parameters only when there are any (so results compare cleanly in tests). */
export function fail<E extends string>(
  error: E,
  params?: Record<string, string | number>,
): { ok: false; error: E; params?: Record<string, string | number> } {
  return params === undefined ? { ok: false, error } : { ok: false, error, params };
}
