import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { selectKubeconfigSource, SERVICE_ACCOUNT_TOKEN } from './kubeconfig-source';

vi.mock('server-only', () => ({}));
const { loadKubeconfig, toConnection } = await import('./kubeconfig');
const { getJson } = await import('./request');

const validKubeconfig = `
apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster: { server: "http://127.0.0.1:6443" }
users:
- name: u1
  user: { token: abc }
contexts:
- name: admin
  context: { cluster: c1, user: u1 }
- name: viewer
  context: { cluster: c1, user: u1, namespace: team-a }
current-context: admin
`;

function deps(env: Record<string, string | undefined>, files: string[]) {
  return { env, exists: (p: string) => files.includes(p), homedir: '/home/me' };
}

describe('selectKubeconfigSource', () => {
  it('prefers FLINK_DASHBOARD_KUBECONFIG over KUBECONFIG, ~/.kube/config and in-cluster', () => {
    const files = ['/a', '/b', '/home/me/.kube/config', SERVICE_ACCOUNT_TOKEN];
    const env = { FLINK_DASHBOARD_KUBECONFIG: '/a', KUBECONFIG: '/b', KUBERNETES_SERVICE_HOST: '10.0.0.1' };
    expect(selectKubeconfigSource(deps(env, files))).toEqual({
      kind: 'file',
      path: '/a',
      origin: 'FLINK_DASHBOARD_KUBECONFIG',
    });
  });

  it('takes the first existing entry of a KUBECONFIG list', () => {
    const src = selectKubeconfigSource(deps({ KUBECONFIG: '/missing:/b:/c' }, ['/b', '/c']));
    expect(src).toEqual({ kind: 'file', path: '/b', origin: 'KUBECONFIG' });
  });

  it('skips a missing file and falls through to ~/.kube/config', () => {
    const src = selectKubeconfigSource(deps({ FLINK_DASHBOARD_KUBECONFIG: '/gone', KUBECONFIG: '/gone2' }, ['/home/me/.kube/config']));
    expect(src).toEqual({ kind: 'file', path: '/home/me/.kube/config', origin: '~/.kube/config' });
  });

  it('uses HOME from the env before the OS home folder', () => {
    const src = selectKubeconfigSource(deps({ HOME: '/h' }, ['/h/.kube/config', '/home/me/.kube/config']));
    expect(src).toMatchObject({ path: '/h/.kube/config' });
  });

  it('uses the in-cluster service account only when its token and KUBERNETES_SERVICE_HOST exist', () => {
    expect(selectKubeconfigSource(deps({ KUBERNETES_SERVICE_HOST: '10.0.0.1' }, [SERVICE_ACCOUNT_TOKEN]))).toEqual({
      kind: 'in-cluster',
      host: '10.0.0.1',
    });
    expect(selectKubeconfigSource(deps({ KUBERNETES_SERVICE_HOST: '10.0.0.1' }, []))).toBeNull();
    expect(selectKubeconfigSource(deps({}, [SERVICE_ACCOUNT_TOKEN]))).toBeNull();
  });

  it('treats empty env values as unset', () => {
    expect(selectKubeconfigSource(deps({ FLINK_DASHBOARD_KUBECONFIG: '', KUBECONFIG: '' }, []))).toBeNull();
  });
});

describe('loadKubeconfig', () => {
  const source = { kind: 'file' as const, path: '/k', origin: 'KUBECONFIG' as const };

  it('lists contexts and the current one', () => {
    const loaded = loadKubeconfig(source, () => validKubeconfig);
    expect(loaded.contexts).toEqual(['admin', 'viewer']);
    expect(loaded.current).toBe('admin');
  });

  it('gives a clear error for a broken file, naming it', () => {
    expect(() => loadKubeconfig(source, () => 'clusters: [ this is : not yaml')).toThrowError(
      /The kubeconfig \/k \(from KUBECONFIG\) cannot be read/,
    );
  });

  it('gives a clear error for a file without contexts', () => {
    expect(() => loadKubeconfig(source, () => 'apiVersion: v1\nkind: Config\n')).toThrowError(/has no contexts/);
  });

  it('connects to a named context with its server and namespace', () => {
    const conn = toConnection(loadKubeconfig(source, () => validKubeconfig), 'viewer');
    expect(conn).toMatchObject({ context: 'viewer', server: 'http://127.0.0.1:6443', defaultNamespace: 'team-a' });
    expect(conn.kc.getCurrentContext()).toBe('viewer');
  });

  it('gives a clear error for a context that does not exist', () => {
    const loaded = loadKubeconfig(source, () => validKubeconfig);
    expect(() => toConnection(loaded, 'prod')).toThrowError(
      'There is no context "prod" in the kubeconfig /k (from KUBECONFIG). Known contexts: admin, viewer.',
    );
  });
});

describe('plain http servers', () => {
  it('sends a request with the context\'s token to an http:// server (which client-node refuses without skipTLSVerify)', async () => {
    const seen: { method?: string; url?: string; authorization?: string }[] = [];
    const server = createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ major: '1', minor: '28', gitVersion: 'v1.28.0' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const { port } = server.address() as AddressInfo;
      const source = { kind: 'file' as const, path: '/k', origin: 'KUBECONFIG' as const };
      const kubeconfig = validKubeconfig.replace('http://127.0.0.1:6443', `http://127.0.0.1:${port}`);
      const conn = toConnection(loadKubeconfig(source, () => kubeconfig), 'admin');
      expect(conn.server).toBe(`http://127.0.0.1:${port}`);
      expect(await getJson(conn, '/version')).toEqual({ major: '1', minor: '28', gitVersion: 'v1.28.0' });
      expect(seen).toEqual([{ method: 'GET', url: '/version', authorization: 'Bearer abc' }]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

const { runAs } = await import('@/lib/auth/identity');
const { getConnection, actAsFor, identityKeyOf } = await import('./kubeconfig');
const { Watch } = await import('@kubernetes/client-node');
const { JobManagerTransport } = await import('@/lib/flink-rest/transport');

describe('acting as the signed-in user', () => {

  type Seen = { url?: string; user?: string; groups: string[]; authorization?: string };
  /** A server that records each request's impersonation headers line by line (rawHeaders). */
  async function recordingServer() {
    const seen: Seen[] = [];
    const server = createServer((req, res) => {
      const groups: string[] = [];
      let user: string | undefined;
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i].toLowerCase();
        if (name === 'impersonate-group') groups.push(req.rawHeaders[i + 1]);
        if (name === 'impersonate-user') user = req.rawHeaders[i + 1];
      }
      seen.push({ url: req.url, user, groups, authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url?.includes('watch=true')) res.end(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'x' } } }) + '\n');
      else res.end(JSON.stringify({ ok: true }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    return { seen, url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('keeps the dashboard\'s own credentials with no login (mode none) and outside a request', () => {
    expect(actAsFor(undefined)).toEqual({ kind: 'self' });
    expect(actAsFor({ mode: 'none', user: 'anonymous', groups: ['x'] })).toEqual({ kind: 'self' });
    expect(identityKeyOf({ kind: 'self' })).toBe('');
  });

  it('keys an identity by user and sorted groups, and a bearer token by its hash only', () => {
    const a = identityKeyOf(actAsFor({ mode: 'token', user: 'alice', groups: ['team-b', 'team-a', 'team-a'] }));
    expect(a).toBe(identityKeyOf(actAsFor({ mode: 'oidc', user: 'alice', groups: ['team-a', 'team-b'] })));
    expect(a).not.toBe(identityKeyOf(actAsFor({ mode: 'token', user: 'alice', groups: ['team-a'] })));
    const t = identityKeyOf(actAsFor({ mode: 'oidc', user: 'alice', groups: [], bearerToken: 'secret-id-token' } as never));
    expect(t).toMatch(/^token:[0-9a-f]{32}$/);
    expect(t).not.toContain('secret');
  });

  it('sends Impersonate-User and one Impersonate-Group line per group on every path: requests, watches, Flink REST', async () => {
    const server = await recordingServer();
    const dir = mkdtempSync(path.join(tmpdir(), 'kc-imp-'));
    const file = path.join(dir, 'config');
    writeFileSync(file, validKubeconfig.replace('http://127.0.0.1:6443', server.url));
    const saved = process.env.FLINK_DASHBOARD_KUBECONFIG;
    process.env.FLINK_DASHBOARD_KUBECONFIG = file;
    try {
      const alice = { mode: 'token' as const, user: 'alice', groups: ['team-b', 'team-a'] };
      const conn = runAs(alice, () => getConnection('admin'));
      expect(conn.identityKey).toBe(identityKeyOf({ kind: 'impersonate', user: 'alice', groups: ['team-a', 'team-b'] }));
      // The identity is bound into the connection: used later, outside the request, it still acts as alice.
      await getJson(conn, '/version');
      await new Promise<void>((resolve, reject) => {
        void new Watch(conn.kc).watch('/api/v1/pods', {}, () => {}, (err) => (err ? reject(err) : resolve()));
      });
      await new JobManagerTransport(conn, '/api/v1/namespaces/a/services/c-rest:rest/proxy', { kind: 'service' } as never).request('GET', '/overview');
      // client-node's generated clients cannot send the groups: refused rather than acting as the dashboard.
      const { CoreV1Api } = await import('@kubernetes/client-node');
      await expect(conn.kc.makeApiClient(CoreV1Api).listNamespace()).rejects.toThrow(/cannot act as the signed-in user/);
      const own = getConnection('admin');
      expect(own.identityKey).toBe('');
      await getJson(own, '/version');
      expect(server.seen.map((s) => [s.url?.split('?')[0], s.user, s.groups, s.authorization])).toEqual([
        ['/version', 'alice', ['team-a', 'team-b'], 'Bearer abc'],
        ['/api/v1/pods', 'alice', ['team-a', 'team-b'], 'Bearer abc'],
        ['/api/v1/namespaces/a/services/c-rest:rest/proxy/overview', 'alice', ['team-a', 'team-b'], 'Bearer abc'],
        ['/version', undefined, [], 'Bearer abc'],
      ]);
      // A user's own bearer token replaces the kubeconfig's credentials, with no impersonation.
      server.seen.length = 0;
      const withToken = runAs({ mode: 'oidc', user: 'bob', groups: ['g'], bearerToken: 'id-token-of-bob' } as never, () => getConnection('admin'));
      await getJson(withToken, '/version');
      expect(server.seen).toEqual([{ url: '/version', user: undefined, groups: [], authorization: 'Bearer id-token-of-bob' }]);
    } finally {
      process.env.FLINK_DASHBOARD_KUBECONFIG = saved;
      rmSync(dir, { recursive: true, force: true });
      await server.close();
    }
  });
});
