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
