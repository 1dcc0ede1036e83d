// Writes <dataDir>/kubeconfig: context sim-admin (current, system:masters) and sim-viewer (ClusterRole view).
// The server is https (same port as the sim's http URL): kubectl sends bearer tokens over https only.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

export function buildKubeconfig(server: string, adminToken: string, viewerToken: string, caPem?: string): string {
  const cfg = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: 'sim', cluster: caPem ? { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } : { server } }],
    users: [
      { name: 'sim-admin', user: { token: adminToken } },
      { name: 'sim-viewer', user: { token: viewerToken } },
    ],
    contexts: [
      { name: 'sim-admin', context: { cluster: 'sim', user: 'sim-admin', namespace: 'default' } },
      { name: 'sim-viewer', context: { cluster: 'sim', user: 'sim-viewer', namespace: 'default' } },
    ],
    'current-context': 'sim-admin',
  };
  return stringify(cfg);
}

/** Writes the file atomically (readers never see half of it); returns its absolute path. */
export function writeKubeconfig(dataDir: string, server: string, adminToken: string, viewerToken: string, caPem?: string): string {
  mkdirSync(dataDir, { recursive: true });
  const p = path.resolve(dataDir, 'kubeconfig');
  const tmp = `${p}.${process.pid}.tmp`;
  writeFileSync(tmp, buildKubeconfig(server, adminToken, viewerToken, caPem), { mode: 0o600 });
  renameSync(tmp, p);
  return p;
}
