import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // client-node pulls in node-fetch, ws and native TLS agents: keep it out of the bundle.
  serverExternalPackages: ['@kubernetes/client-node'],
  poweredByHeader: false,
};

export default nextConfig;
