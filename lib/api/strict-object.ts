import { z } from 'zod';
import '@/lib/security/zod-jitless';

// Unknown fields are refused with the field named, as the API server's strict field validation does
// (`unknown field "spec.labls"`), in plain words first: `Unknown field "labls" (did you mean "labels"?)`.
// Browser-safe: the create form validates with the same schemas.

/** Edit distance (insertions, deletions, substitutions, and swaps of neighbours), for "did you mean". */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => [i, ...Array<number>(y.length).fill(0)]);
  for (let j = 1; j <= y.length; j++) d[0][j] = j;
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[x.length][y.length];
}

/** The object schema inside optional/default/prefault/nullable/pipe wrappers, if there is one. */
function innerShape(schema: unknown, depth = 0): Record<string, unknown> | undefined {
  if (depth > 8 || !schema || typeof schema !== 'object') return undefined;
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (!def) return undefined;
  if (def.type === 'object' && def.shape && typeof def.shape === 'object') return def.shape as Record<string, unknown>;
  return innerShape(def.innerType ?? def.in ?? def.element, depth + 1);
}

/** A near known name: this object's own fields first, then the fields of its object fields ("jobManager.labels"). */
export function suggestField(key: string, shape: Record<string, unknown>): string | undefined {
  if (key.length > 100) return undefined;
  const near = (name: string) => {
    const d = distance(key, name);
    return name !== key && d <= Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  };
  const own = Object.keys(shape).filter(near);
  if (own.length > 0) return `"${own.sort((a, b) => distance(key, a) - distance(key, b))[0]}"`;
  const nested: string[] = [];
  for (const [name, child] of Object.entries(shape)) {
    const childShape = innerShape(child);
    if (!childShape) continue;
    for (const inner of Object.keys(childShape)) if (inner === key || near(inner)) nested.push(`"${name}.${inner}"`);
  }
  return nested.length > 0 ? nested.slice(0, 3).join(' or ') : undefined;
}

/** Control characters and quotes of a refused key, shown safely. */
function shown(key: string): string {
  const s = key.length > 80 ? `${key.slice(0, 80)}…` : key;
  return JSON.stringify(s).slice(1, -1);
}

/** The message of one unknown field. */
export function unknownFieldMessage(key: string, shape: Record<string, unknown>): string {
  const suggestion = suggestField(key, shape);
  return `Unknown field "${shown(key)}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}`;
}

/** Marks the messages of unknown fields, so the error answer can give each its own issue (to-error-response). */
export const UNKNOWN_FIELD_SEPARATOR = '\u241e';

/**
 * `z.strictObject` whose unknown keys are refused with each field named and a near known name
 * suggested; the issue's path is the object's, and to-error-response splits it into one issue per field.
 */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code !== 'unrecognized_keys') return undefined;
      return iss.keys.map((k) => unknownFieldMessage(k, shape)).join(UNKNOWN_FIELD_SEPARATOR);
    },
  });
}
