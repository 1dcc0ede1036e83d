import 'server-only';
import { headers } from 'next/headers';
import { authenticate } from './authenticate';
import { runAs } from './identity';

/**
 * Runs `fn` as the user of the page being rendered (from its session cookie), as withRoute does for
 * routes: a server component that reads Kubernetes must never do it with the dashboard's own rights.
 * Answers undefined when the request is not signed in (proxy.ts sends such a page to /login) or the
 * sign-in is misconfigured (the API routes say why).
 */
export async function runAsPageUser<T>(fn: () => Promise<T>): Promise<T | undefined> {
  const cookie = (await headers()).get('cookie');
  let identity;
  try {
    identity = await authenticate(new Request('http://page.invalid/', { headers: cookie ? { cookie } : {} }));
  } catch {
    return undefined;
  }
  return runAs(identity, fn);
}
