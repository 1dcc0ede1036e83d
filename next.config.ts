import type { NextConfig } from 'next';
import { API_CSP, STATIC_SECURITY_HEADERS } from './lib/security/csp';

const nextConfig: NextConfig = {
  // .next/standalone: a server.js with only the node_modules it needs, what the Docker image runs
  // (Dockerfile; README "Running in Kubernetes"). Traced from this folder, never a parent's lockfile.
  output: 'standalone',
  outputFileTracingRoot: import.meta.dirname,
  // client-node pulls in node-fetch, ws and native TLS agents: keep it out of the bundle.
  serverExternalPackages: ['@kubernetes/client-node'],
  poweredByHeader: false,
  // nosniff, Referrer-Policy, X-Frame-Options… on every response; the CSP (with its nonce) comes from proxy.ts.
  async headers() {
    return [
      { source: '/:path*', headers: [...STATIC_SECURITY_HEADERS] },
      // The API loads nothing; the Flink web UI's proxy sets its own sandboxed policy.
      { source: '/api/:path((?!clusters/.*/flink-ui).*)', headers: [{ key: 'Content-Security-Policy', value: API_CSP }] },
    ];
  },
  // `npm run typecheck` checks the whole tree (app, sim, tests); the build only has to produce the app,
  // which keeps it fast on CI's two cores.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
