import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

type Kubeconfig = {
  'current-context': string;
  clusters: { name: string; cluster: Record<string, unknown> & { server: string } }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
};

/** A small HTTP client for a test's simulated cluster, authenticated as its admin. */
export class SimClient {
  readonly kubeconfig: Kubeconfig;
  readonly token: string;

  constructor(
    readonly url: string,
    readonly kubeconfigPath: string,
  ) {
    this.kubeconfig = parse(readFileSync(kubeconfigPath, 'utf8')) as Kubeconfig;
    const ctx = this.kubeconfig.contexts.find((c) => c.name === this.kubeconfig['current-context']);
    const token = this.kubeconfig.users.find((u) => u.name === ctx?.context.user)?.user.token;
    if (typeof token !== 'string') throw new Error('no admin token in the sim kubeconfig');
    this.token = token;
  }

  async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  createNamespace(name: string) {
    return this.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  /** A bearer token for a new ServiceAccount that has no RBAC bindings at all. */
  async tokenWithoutRights(namespace: string, name: string): Promise<string> {
    await this.request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name },
    });
    const review = (await this.request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600 },
    })) as { status: { token: string } };
    return review.status.token;
  }

  /** Writes a copy of the sim's kubeconfig with extra contexts (other users or servers). */
  writeKubeconfig(path: string, extra: { name: string; server?: string; token?: string }[]): void {
    const doc = structuredClone(this.kubeconfig);
    const base = doc.clusters[0];
    for (const e of extra) {
      doc.clusters.push({ name: `${e.name}-cluster`, cluster: { ...base.cluster, server: e.server ?? base.cluster.server } });
      doc.users.push({ name: `${e.name}-user`, user: { token: e.token ?? this.token } });
      doc.contexts.push({ name: e.name, context: { cluster: `${e.name}-cluster`, user: `${e.name}-user` } });
    }
    writeFileSync(path, stringify(doc));
  }
}
