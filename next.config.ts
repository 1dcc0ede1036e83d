import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // .next/standalone: a server.js with only the node_modules it needs, what the Docker image runs
  // (Dockerfile; README "Running in Kubernetes"). Traced from this folder, never a parent's lockfile.
  output: 'standalone',
  outputFileTracingRoot: import.meta.dirname,
  // client-node pulls in node-fetch, ws and native TLS agents: keep it out of the bundle.
  serverExternalPackages: ['@kubernetes/client-node'],
  poweredByHeader: false,
  // `npm run typecheck` checks the whole tree (app, sim, tests); the build only has to produce the app,
  // which keeps it fast on CI's two cores.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
