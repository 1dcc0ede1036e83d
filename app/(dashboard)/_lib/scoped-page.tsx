import type { ReactElement, ReactNode } from 'react';
import { ScopeBar } from '@/components/shell/scope-bar';
import { ScopeError } from '@/components/shell/scope-error';
import type { Scope } from '@/lib/api/scope';
import { tryResolveScope } from '@/lib/k8s/scope';

export type PageSearchParams = Promise<Record<string, string | string[] | undefined>>;

// Whole class names, so that tailwind finds them.
const MAIN_CLASS = {
  '6xl': 'mx-auto w-full max-w-6xl flex-1 px-6 py-8',
  '7xl': 'mx-auto w-full max-w-7xl flex-1 px-6 py-8',
} as const;

/**
 * A dashboard page of one context and namespace: the scope the URL's ?context= and ?namespace=
 * resolve to (a page that names its namespace in its path passes `namespace`, and ?namespace= is not
 * read), then the scope bar and `render(scope)` as the page's main content. A context or namespace
 * that cannot be used gets the reason in words instead.
 */
export async function renderScopedPage(
  searchParams: PageSearchParams,
  render: (scope: Scope) => ReactNode,
  { namespace, width = '6xl' }: { namespace?: string; width?: keyof typeof MAIN_CLASS } = {},
): Promise<ReactElement> {
  const query = await searchParams;
  const resolved = tryResolveScope(namespace === undefined ? query : { context: query.context, namespace });
  if (!resolved.ok) return <ScopeError message={resolved.message} />;
  return (
    <>
      <ScopeBar scope={resolved.scope} />
      <main className={MAIN_CLASS[width]}>{render(resolved.scope)}</main>
    </>
  );
}
