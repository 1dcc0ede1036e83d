import 'server-only';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { homedir } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { Headers as NodeFetchHeaders } from 'node-fetch';
import { ApiError } from '@/lib/api/api-error';
import { currentIdentity, type Identity } from '@/lib/auth/identity';
import { describeSource, selectKubeconfigSource, type KubeconfigSource } from './kubeconfig-source';

export type Connection = {
  /** A KubeConfig whose current context is `context`. */
  kc: KubeConfig;
  context: string;
  server: string;
  /** The namespace the context names, if any. */
  defaultNamespace?: string;
  /**
   * Whom the API server sees: '' for the dashboard's own credentials, else a key of the signed-in
   * user's identity (user and sorted groups, or a hash of the user's own bearer token). Everything
   * shared between requests (informers, the cluster-list join, job pollers, caches) is keyed by it.
   */
  identityKey: string;
};

/** Who the connection acts as: the kubeconfig's own user, an impersonated user, or the user's own token. */
export type ActAs = { kind: 'self' } | { kind: 'impersonate'; user: string; groups: string[] } | { kind: 'token'; token: string };

/** The identity a request runs as, as the API server must see it. mode none (or no request) → the dashboard itself. */
export function actAsFor(identity: Identity | undefined): ActAs {
  if (!identity || identity.mode === 'none') return { kind: 'self' };
  const bearer = (identity as Identity & { bearerToken?: string }).bearerToken;
  if (bearer) return { kind: 'token', token: bearer };
  if (!identity.user) throw new ApiError('unauthorized', 'The signed-in user has no name; sign in again.');
  return { kind: 'impersonate', user: identity.user, groups: [...new Set(identity.groups)].sort() };
}

/** The key of an identity scope (see Connection.identityKey). Never contains a token. */
export function identityKeyOf(actAs: ActAs): string {
  if (actAs.kind === 'self') return '';
  if (actAs.kind === 'token') return `token:${createHash('sha256').update(actAs.token).digest('hex').slice(0, 32)}`;
  return `user:${JSON.stringify([actAs.user, actAs.groups])}`;
}

/** The identity scope of the request being served ('' outside a request or with no login). */
export function currentIdentityKey(): string {
  return identityKeyOf(actAsFor(currentIdentity()));
}

const IMPERSONATE = /^impersonate-/i;

/**
 * A KubeConfig that adds Impersonate-User and one Impersonate-Group line per group to every request
 * it authenticates: client-node's fetches (applyToFetchOptions: Watch, Log, and this app's own
 * fetches) and its websocket/https options (applyToHTTPSOptions: exec, attach, port-forward).
 * client-node itself only knows Impersonate-User (the kubeconfig's `as`), so groups are added here.
 * The headers come back as node-fetch Headers so that repeated Impersonate-Group lines stay apart
 * (a Go API server reads each line as one group; "a, b" on one line would be one group named so).
 */
class ImpersonatingKubeConfig extends KubeConfig {
  constructor(
    private readonly user: string,
    private readonly groups: readonly string[],
  ) {
    super();
  }

  override async applyToHTTPSOptions(opts: RequestOptions): Promise<void> {
    await super.applyToHTTPSOptions(opts);
    const headers = (opts.headers ??= {}) as Record<string, string | string[] | number>;
    for (const k of Object.keys(headers)) if (IMPERSONATE.test(k)) delete headers[k];
    headers['Impersonate-User'] = this.user;
    if (this.groups.length > 0) headers['Impersonate-Group'] = [...this.groups];
  }

  /**
   * client-node's generated API clients (makeApiClient) authenticate here, with one value per header:
   * they could not send the groups and would silently act as the dashboard itself, so they are refused.
   */
  override async applySecurityAuthentication(): Promise<void> {
    throw new Error('A generated client-node API client cannot act as the signed-in user (no Impersonate-Group); use callK8s or connectionInit with this connection.');
  }

  override async applyToFetchOptions(opts: RequestOptions): ReturnType<KubeConfig['applyToFetchOptions']> {
    const init = await super.applyToFetchOptions(opts);
    const headers = new NodeFetchHeaders();
    for (const [k, v] of init.headers as unknown as Iterable<[string, string]>) if (!IMPERSONATE.test(k)) headers.append(k, v);
    headers.set('Impersonate-User', this.user);
    for (const g of this.groups) headers.append('Impersonate-Group', g);
    return { ...init, headers: headers as never };
  }
}

export type LoadedKubeconfig = { kc: KubeConfig; source: KubeconfigSource; contexts: string[]; current: string };

/** Parses the chosen source. Errors name the file and say what is wrong, never a stack. */
export function loadKubeconfig(source: KubeconfigSource, readFile: (path: string) => string): LoadedKubeconfig {
  const kc = new KubeConfig();
  try {
    if (source.kind === 'file') kc.loadFromString(readFile(source.path));
    else kc.loadFromCluster();
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new ApiError('unavailable', `The kubeconfig ${describeSource(source)} cannot be read: ${reason}`, { cause: err });
  }
  const contexts = kc.getContexts().map((c) => c.name);
  if (contexts.length === 0) {
    throw new ApiError('unavailable', `The kubeconfig ${describeSource(source)} has no contexts.`);
  }
  const current = contexts.includes(kc.getCurrentContext()) ? kc.getCurrentContext() : contexts[0];
  return { kc, source, contexts, current };
}

/**
 * A connection for one context of a loaded kubeconfig, acting as `actAs` (default: the kubeconfig's
 * own user). With the user's own token the context's user is replaced whole (no client certificate,
 * exec plugin or `as`), so the API server authenticates the user and nobody else.
 */
export function toConnection(loaded: LoadedKubeconfig, context?: string, actAs: ActAs = { kind: 'self' }): Connection {
  const name = context ?? loaded.current;
  const ctx = loaded.kc.getContextObject(name);
  if (!ctx) {
    throw new ApiError(
      'not_found',
      `There is no context "${name}" in the kubeconfig ${describeSource(loaded.source)}. Known contexts: ${loaded.contexts.join(', ')}.`,
    );
  }
  const kc = actAs.kind === 'impersonate' ? new ImpersonatingKubeConfig(actAs.user, actAs.groups) : new KubeConfig();
  kc.loadFromOptions({
    // client-node refuses plain-http servers unless skipTLSVerify is set; kubectl accepts them, and
    // there is no TLS to verify on http, so mark them (the simulator and local proxies listen on http).
    clusters: loaded.kc.clusters.map((c) => (c.server.startsWith('http://') ? { ...c, skipTLSVerify: true } : c)),
    users: actAs.kind === 'token' ? loaded.kc.users.map((u) => (u.name === ctx.user ? { name: u.name, token: actAs.token } : u)) : loaded.kc.users,
    contexts: loaded.kc.contexts,
    currentContext: name,
  });
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new ApiError('unavailable', `The context "${name}" names a cluster that the kubeconfig does not define.`);
  }
  return { kc, context: name, server: cluster.server, defaultNamespace: ctx.namespace || undefined, identityKey: identityKeyOf(actAs) };
}

type Cache = { key: string; loaded: LoadedKubeconfig; connections: Map<string, Connection> };
const g = globalThis as unknown as { __flinkDashKubeconfig?: Cache };
const warnedMissing = new Set<string>();

function currentKubeconfig(): Cache {
  const source = selectKubeconfigSource({ env: process.env, exists: existsSync, homedir: homedir() });
  if (!source) {
    throw new ApiError(
      'unavailable',
      'No kubeconfig found: set FLINK_DASHBOARD_KUBECONFIG or KUBECONFIG, create ~/.kube/config, or run inside a cluster.',
    );
  }
  const named = process.env.FLINK_DASHBOARD_KUBECONFIG;
  if (named && !(source.kind === 'file' && source.path === named) && !warnedMissing.has(named)) {
    warnedMissing.add(named);
    console.warn(`FLINK_DASHBOARD_KUBECONFIG=${named} does not exist; using ${describeSource(source)} instead.`);
  }
  // Reload when the file changes (a new context, a rotated token).
  const key = source.kind === 'file' ? `${source.path}@${statSync(source.path).mtimeMs}` : 'in-cluster';
  if (g.__flinkDashKubeconfig?.key !== key) {
    const loaded = loadKubeconfig(source, (p) => readFileSync(p, 'utf8'));
    g.__flinkDashKubeconfig = { key, loaded, connections: new Map() };
  }
  return g.__flinkDashKubeconfig;
}

export function getKubeconfig(): LoadedKubeconfig {
  return currentKubeconfig().loaded;
}

/** Connections kept per kubeconfig (context × identity scope); the least recently used one goes first. */
const MAX_CONNECTIONS = 256;

/**
 * The connection for `context` (default: the kubeconfig's current context) as the request's user:
 * a signed-in user (currentIdentity(), mode token/oidc) is impersonated, or acts with their own
 * bearer token; with no login it is the dashboard's own credentials. The identity is bound into the
 * connection here, so informers and pollers started by one request keep acting as that user after
 * it ended. Throws not_found for an unknown context.
 */
export function getConnection(context?: string): Connection {
  const cache = currentKubeconfig();
  const name = context ?? cache.loaded.current;
  const actAs = actAsFor(currentIdentity());
  const key = `${name}\u0000${identityKeyOf(actAs)}`;
  let conn = cache.connections.get(key);
  if (conn) {
    cache.connections.delete(key); // re-insert: most recently used last
  } else {
    conn = toConnection(cache.loaded, name, actAs);
    if (cache.connections.size >= MAX_CONNECTIONS) cache.connections.delete(cache.connections.keys().next().value as string);
  }
  cache.connections.set(key, conn);
  return conn;
}

export function listContexts(): { name: string; current: boolean; namespace?: string; server?: string }[] {
  const { kc, current } = getKubeconfig();
  return kc.getContexts().map((c) => ({
    name: c.name,
    current: c.name === current,
    namespace: c.namespace || undefined,
    server: kc.getCluster(c.cluster)?.server,
  }));
}
