import type { NextRequest } from 'next/server';
import { securityProxy } from '@/lib/security/proxy';

// Security headers, the CSP nonce and the anti-forgery cookie live in lib/security/proxy.ts.
export function proxy(request: NextRequest) {
  return securityProxy(request);
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|icon.svg).*)'],
};
