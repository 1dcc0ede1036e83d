import { timingSafeEqual } from 'node:crypto';
import { ApiError } from '@/lib/api/api-error';
import { CSRF_HEADER, readCsrfCookie } from './csrf-token';
import { trustsProxy } from './trust-proxy';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);


/** The origin's host (and scheme, when known) the browser used to reach this dashboard. */
function expectedOrigin(request: Request, trustProxy: boolean): { host: string; protocol?: string } {
  const url = new URL(request.url);
  if (trustProxy) {
    const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
    const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
    if (host) return { host: host.toLowerCase(), protocol: proto ? `${proto.toLowerCase()}:` : undefined };
  }
  // Without a trusted proxy the scheme is unknown (TLS may end in front of us): the host decides.
  return { host: (request.headers.get('host') ?? url.host).toLowerCase() };
}

function refuse(message: string): never {
  throw new ApiError('forbidden', message);
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Refuses a request that changes something (POST, PUT, PATCH, DELETE) unless it comes from this
 * dashboard's own pages: the browser's Sec-Fetch-Site (or, from older browsers, Origin) must name this
 * origin, and the anti-forgery token of the page's cookie must be echoed in the X-CSRF-Token header.
 *
 * A request with neither Sec-Fetch-Site nor Origin comes from no browser: every current browser sends
 * Sec-Fetch-Site, and Origin, on a POST, PUT, PATCH or DELETE, so no other site can make a browser send
 * one without them. Such a client (a script, a test's API calls) passes, as with Go's
 * CrossOriginProtection; a browser request is checked whatever it carries.
 */
export function assertSameOriginRequest(request: Request, env: Record<string, string | undefined> = process.env): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  const site = request.headers.get('sec-fetch-site');
  const origin = request.headers.get('origin');
  if (site === null && origin === null) return;

  if (site !== null && site !== 'same-origin' && site !== 'none') {
    refuse(`Refused a ${site} request: this dashboard accepts changes only from its own pages. Nothing was changed.`);
  }
  if (origin !== null) {
    const expected = expectedOrigin(request, trustsProxy(env));
    let actual: URL | undefined;
    try {
      actual = origin === 'null' ? undefined : new URL(origin);
    } catch {
      actual = undefined;
    }
    if (!actual || actual.host.toLowerCase() !== expected.host || (expected.protocol !== undefined && actual.protocol !== expected.protocol)) {
      refuse(`Refused a cross-site request from ${JSON.stringify(origin).slice(1, -1).slice(0, 200)}: this dashboard accepts changes only from its own pages. Nothing was changed.`);
    }
  }
  const token = readCsrfCookie(request.headers.get('cookie'));
  const echoed = request.headers.get(CSRF_HEADER);
  if (!token || !echoed || !sameToken(token, echoed.trim())) {
    refuse('Refused: the request carries no valid anti-forgery token (its X-CSRF-Token header must match the page’s cookie). Reload the page and try again. Nothing was changed.');
  }
}
