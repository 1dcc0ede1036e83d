import 'server-only';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { ApiError } from '@/lib/api/api-error';
import { describeSource, selectKubeconfigSource, type KubeconfigSource } from './kubeconfig-source';

export type Connection = {
  /** A KubeConfig whose current context is `context`. */
  kc: KubeConfig;
  context: string;
  server: string;
  /** The namespace the context names, if any. */
  defaultNamespace?: string;
};

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

/** A connection for one context of a loaded kubeconfig. */
export function toConnection(loaded: LoadedKubeconfig, context?: string): Connection {
  const name = context ?? loaded.current;
  const ctx = loaded.kc.getContextObject(name);
  if (!ctx) {
    throw new ApiError(
      'not_found',
      `There is no context "${name}" in the kubeconfig ${describeSource(loaded.source)}. Known contexts: ${loaded.contexts.join(', ')}.`,
    );
  }
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // client-node refuses plain-http servers unless skipTLSVerify is set; kubectl accepts them, and
    // there is no TLS to verify on http, so mark them (the simulator and local proxies listen on http).
    clusters: loaded.kc.clusters.map((c) => (c.server.startsWith('http://') ? { ...c, skipTLSVerify: true } : c)),
    users: loaded.kc.users,
    contexts: loaded.kc.contexts,
    currentContext: name,
  });
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new ApiError('unavailable', `The context "${name}" names a cluster that the kubeconfig does not define.`);
  }
  return { kc, context: name, server: cluster.server, defaultNamespace: ctx.namespace || undefined };
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

/** The connection for `context` (default: the kubeconfig's current context). Throws not_found for an unknown one. */
export function getConnection(context?: string): Connection {
  const cache = currentKubeconfig();
  const name = context ?? cache.loaded.current;
  let conn = cache.connections.get(name);
  if (!conn) {
    conn = toConnection(cache.loaded, name);
    cache.connections.set(name, conn);
  }
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
