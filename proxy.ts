import type { NextRequest } from 'next/server';
import { securityProxy } from '@/lib/security/proxy';

// Security headers, the CSP nonce and the anti-forgery cookie live in lib/security/proxy.ts.
export function proxy(request: NextRequest) {
  return securityProxy(request);
}

export const config = {
  // Pages only: a proxy in front of /api would buffer (and cut short) jar uploads.
  matcher: ['/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)'],
};
