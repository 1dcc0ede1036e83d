// kubectl api-resources against a loopback server that serves only these discovery documents.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGGREGATED_DISCOVERY_CONTENT_TYPE, aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './index';

const run = promisify(execFile);
const aggregatedServed = new Set<http.Server>();

function serve(aggregated: boolean): http.Server {
  const server: http.Server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const accept = req.headers.accept ?? '';
    const send = (body: unknown, type = 'application/json') => {
      if (body === undefined) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404 }));
        return;
      }
      res.writeHead(200, { 'content-type': type }).end(JSON.stringify(body));
    };
    const p = url.pathname.replace(/\/$/, '');
    if (p === '/version') return send(versionInfo());
    if ((p === '/api' || p === '/apis') && aggregated && accept.includes('as=APIGroupDiscoveryList') && accept.includes('v=v2beta1')) {
      aggregatedServed.add(server);
      return send(aggregatedDiscovery(p), AGGREGATED_DISCOVERY_CONTENT_TYPE);
    }
    if (p === '/api') return send(apiVersions('127.0.0.1'));
    if (p === '/apis') return send(apiGroupList());
    if (p === '/api/v1') return send(apiResourceList('v1'));
    const segs = p.split('/').filter(Boolean);
    if (segs[0] === 'apis' && segs.length === 2) return send(apiGroup(segs[1]));
    if (segs[0] === 'apis' && segs.length === 3) return send(apiResourceList(`${segs[1]}/${segs[2]}`));
    return send(undefined);
  });
  return server;
}

async function kubectlApiResources(server: http.Server, cacheDir: string): Promise<string[][]> {
  const port = (server.address() as AddressInfo).port;
  const { stdout } = await run('kubectl', ['--kubeconfig=/dev/null', `--server=http://127.0.0.1:${port}`, `--cache-dir=${cacheDir}`, 'api-resources', '--no-headers'], { timeout: 30_000 });
  return stdout
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/));
}

describe('kubectl api-resources', () => {
  const servers: http.Server[] = [];
  let tmp: string;
  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'sim-discovery-'));
    for (const agg of [false, true]) {
      const s = serve(agg);
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
      servers.push(s);
    }
  });
  afterAll(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
    rmSync(tmp, { recursive: true, force: true });
  });

  for (const [i, mode] of ['legacy', 'aggregated'].entries()) {
    it(`lists the served resources (${mode} discovery)`, async () => {
      const rows = await kubectlApiResources(servers[i], path.join(tmp, mode));
      const byName = (name: string, gv: string) => rows.find((r) => r[0] === name && r.includes(gv));
      expect(byName('pods', 'v1')).toEqual(['pods', 'po', 'v1', 'true', 'Pod']);
      expect(byName('deployments', 'apps/v1')).toEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
      expect(byName('clusterroles', 'rbac.authorization.k8s.io/v1')).toEqual(['clusterroles', 'rbac.authorization.k8s.io/v1', 'false', 'ClusterRole']);
      expect(byName('leases', 'coordination.k8s.io/v1')).toBeDefined();
      expect(rows.some((r) => r[0] === 'jobs')).toBe(false);
      expect(rows).toHaveLength(21);
      expect(byName('selfsubjectrulesreviews', 'authorization.k8s.io/v1')).toEqual(['selfsubjectrulesreviews', 'authorization.k8s.io/v1', 'false', 'SelfSubjectRulesReview']);
      expect(aggregatedServed.has(servers[i])).toBe(mode === 'aggregated');
    });
  }
});
