import { z } from 'zod';

/** The namespace value meaning "every namespace". */
export const ALL_NAMESPACES = '_all';

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const namespaceSchema = z
  .string()
  .trim()
  .max(63, 'A namespace has at most 63 characters.')
  .refine((v) => v === ALL_NAMESPACES || dnsLabel.test(v), {
    message: 'A namespace is lower-case letters, digits and dashes, starting and ending with a letter or digit.',
  });

/** `?context=&namespace=`: where the user is looking. Both optional; the server fills defaults. */
export const scopeQuerySchema = z.object({
  context: z.string().trim().min(1).max(253).optional(),
  namespace: namespaceSchema.optional(),
});

export type ScopeQuery = z.infer<typeof scopeQuerySchema>;

/** A resolved scope: the context is named, the namespace is a name or ALL_NAMESPACES. */
export type Scope = { context: string; namespace: string };

export function isAllNamespaces(namespace: string): boolean {
  return namespace === ALL_NAMESPACES;
}

/** Reads the scope from URL search params (a URLSearchParams or a Next searchParams record). */
export function parseScopeQuery(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): ScopeQuery {
  const get = (key: string): string | undefined => {
    if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
    const v = params[key];
    return Array.isArray(v) ? v[0] : v;
  };
  const raw = { context: get('context') || undefined, namespace: get('namespace') || undefined };
  return scopeQuerySchema.parse(raw);
}

/** `context=a&namespace=b`, for links and API calls, so a scope can be shared. */
export function toScopeSearch(scope: Scope): string {
  return new URLSearchParams({ context: scope.context, namespace: scope.namespace }).toString();
}
