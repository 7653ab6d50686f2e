/**
 * A table's own entry for a key, or undefined. Keys typed by users ("constructor", "__proto__", "toString") must
 * not reach what every object inherits: a plain `table[key]` would hand back one of Object's own functions.
 */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
