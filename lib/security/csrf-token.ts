// The anti-forgery token's names, shared by the server (lib/security/csrf.ts, proxy) and the browser.
// Double submit: the server sets a random token in a cookie the page can read (SameSite=Strict, not
// httpOnly); the page echoes it in a header on every change. Another site can neither read the cookie
// nor set the header, so a forged request lacks the pair.

export const CSRF_COOKIE = 'flink-dashboard-csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The token from a Cookie header (or document.cookie), if there is one that looks like ours. */
export function readCsrfCookie(cookieHeader: string | null | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== CSRF_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (/^[A-Za-z0-9_-]{32,128}$/.test(value)) return value;
  }
  return undefined;
}

/** Headers a browser caller adds to a request that changes something: the token from the page's cookie. */
export function csrfHeaders(): Record<string, string> {
  if (typeof document === 'undefined') return {};
  const token = readCsrfCookie(document.cookie);
  return token ? { [CSRF_HEADER]: token } : {};
}
