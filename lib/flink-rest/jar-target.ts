import 'server-only';
// Which JobManager pod receives jar calls. Jars are stored on the disk of the JobManager that received
// the upload (web.upload.dir), so upload, list, run and delete all go to the current leader's pod through
// the pods proxy, never through the Service (which may pick another JobManager).
//
// With HA, the leader's REST address is in `<cid>-cluster-config-map`, data key
// `org.apache.flink.k8s.leader.restserver` = "<leaderSessionUUID>,<address>" with address
// `http://<JobManager pod IP>:<rest.port>` (KubernetesUtils.parseLeaderInformation splits at the first
// comma; the same layout 1.15 → 2.x). It is matched to a running JobManager pod by IP. Without HA (no such
// ConfigMap or entry), there is one running JobManager pod.
import fetch from 'node-fetch';
import { ApiError } from '@/lib/api/api-error';
import type { Connection } from '@/lib/k8s/kubeconfig';
import { authInit, podProxyBase } from './transport';

export const RESTSERVER_LEADER_KEY = 'org.apache.flink.k8s.leader.restserver';
const DEFAULT_REST_PORT = 8081;

export type JarTarget = {
  podName: string;
  port: number;
  /** Path below the API server: `/api/v1/namespaces/<ns>/pods/<pod>:<port>/proxy`. */
  proxyBase: string;
  /** How the pod was chosen (for logs and tests). */
  via: 'ha-leader' | 'single-jobmanager';
};

type PodLite = {
  metadata?: { name?: string; deletionTimestamp?: string };
  status?: { phase?: string; podIP?: string; podIPs?: { ip?: string }[] };
  spec?: { containers?: { name?: string; ports?: { name?: string; containerPort?: number }[] }[] };
};

/** Parses the restserver leader entry: "<session-id>,<http://ip:port>" → { ip, port }. */
export function parseRestServerLeader(value: string | undefined): { sessionId: string; host: string; port: number } | undefined {
  if (!value) return undefined;
  const comma = value.indexOf(',');
  if (comma < 0) return undefined;
  const sessionId = value.slice(0, comma);
  const address = value.slice(comma + 1).trim();
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return undefined;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return host ? { sessionId, host, port } : undefined;
}

async function kubeGet<T>(conn: Connection, path: string): Promise<{ status: number; body?: T }> {
  const { agent, headers } = await authInit(conn, { accept: 'application/json' });
  let res;
  try {
    res = await fetch(`${conn.server}${path}`, { agent, headers, timeout: 5_000 });
  } catch (err) {
    throw new ApiError('unavailable', `Cannot reach the Kubernetes API server at ${conn.server}.`, { cause: err });
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (res.status === 404) return { status: 404 };
  if (!res.ok) {
    const message = body && typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : `The Kubernetes API answered ${res.status}.`;
    throw new ApiError(res.status === 403 ? 'forbidden' : 'upstream_error', message);
  }
  return { status: res.status, body: body as T };
}

const isRunning = (p: PodLite) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp && !!p.status?.podIP;
const ipsOf = (p: PodLite) => new Set([p.status?.podIP, ...(p.status?.podIPs ?? []).map((i) => i.ip)].filter(Boolean));

/** The REST port when no leader entry says it: the `rest` Service's target port (number or named container port). */
async function restPortOf(conn: Connection, namespace: string, clusterId: string, pod: PodLite): Promise<number> {
  const svc = await kubeGet<{ spec?: { ports?: { name?: string; port?: number; targetPort?: number | string }[] } }>(
    conn,
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(`${clusterId}-rest`)}`,
  );
  const port = svc.body?.spec?.ports?.find((p) => p.name === 'rest') ?? svc.body?.spec?.ports?.[0];
  const target = port?.targetPort ?? port?.port;
  if (typeof target === 'number') return target;
  if (typeof target === 'string') {
    if (/^\d+$/.test(target)) return Number(target);
    for (const c of pod.spec?.containers ?? []) {
      const named = c.ports?.find((p) => p.name === target);
      if (named?.containerPort) return named.containerPort;
    }
  }
  for (const c of pod.spec?.containers ?? []) {
    const rest = c.ports?.find((p) => p.name === 'rest');
    if (rest?.containerPort) return rest.containerPort;
  }
  return DEFAULT_REST_PORT;
}

/**
 * The JobManager pod that jar calls go to. Errors are ApiErrors in plain words: no running JobManager
 * (`unavailable`, retry later), a leader not known yet among several JobManagers (`unavailable`).
 */
export async function resolveJarTarget(conn: Connection, namespace: string, clusterId: string): Promise<JarTarget> {
  const selector = encodeURIComponent(`app=${clusterId},component=jobmanager`);
  const [pods, cm] = await Promise.all([
    kubeGet<{ items?: PodLite[] }>(conn, `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?labelSelector=${selector}`),
    kubeGet<{ data?: Record<string, string> }>(
      conn,
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps/${encodeURIComponent(`${clusterId}-cluster-config-map`)}`,
    ),
  ]);
  const running = (pods.body?.items ?? []).filter(isRunning);
  if (running.length === 0) {
    throw new ApiError('unavailable', `The JobManager's REST API is not up yet: cluster "${clusterId}" has no running JobManager pod in namespace "${namespace}".`);
  }
  const leader = parseRestServerLeader(cm.body?.data?.[RESTSERVER_LEADER_KEY]);
  if (leader) {
    const pod = running.find((p) => ipsOf(p).has(leader.host));
    if (pod) {
      const podName = pod.metadata!.name!;
      return { podName, port: leader.port, proxyBase: podProxyBase(namespace, podName, leader.port), via: 'ha-leader' };
    }
  }
  if (running.length === 1) {
    const pod = running[0];
    const podName = pod.metadata!.name!;
    // A leader entry that names no running pod is stale (a leftover HA ConfigMap): its port is not trusted either.
    const port = await restPortOf(conn, namespace, clusterId, pod);
    return { podName, port, proxyBase: podProxyBase(namespace, podName, port), via: 'single-jobmanager' };
  }
  throw new ApiError(
    'unavailable',
    `Cluster "${clusterId}" has ${running.length} JobManagers and none of them is the leader yet (leader election in progress). Try again in a few seconds.`,
  );
}
