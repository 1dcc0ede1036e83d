import 'server-only';
import { stringify } from 'yaml';
import { z } from 'zod';
import { ApiError } from '@/lib/api/api-error';
import { FLINK_NATIVE_TYPE } from '@/lib/flink/cluster-summary';
import type { Connection } from './kubeconfig';
import { K8sStatusError, toK8sApiError } from './errors';
import { callK8s } from './request';

// The cluster's Flink configuration file (from ConfigMap flink-config-<id>) and any of its objects
// as YAML, for the cluster page. Secrets are never read: the kinds below are all there is, and
// Secret is not one of them; env secretKeyRefs are references (names), never values.

/** Keys Flink itself hides in its web UI and REST API (GlobalConfiguration.SENSITIVE_KEYS), matched case-insensitively inside the key. */
export const SENSITIVE_KEY_PARTS = [
  'password',
  'secret',
  'fs.azure.account.key',
  'apikey',
  'api-key',
  'auth-params',
  'service-key',
  'token',
  'basic-auth',
  'jaas.config',
  'http-headers',
] as const;

export const HIDDEN_VALUE = '******';

export function isSensitiveKey(key: string): boolean {
  const k = key.toLowerCase();
  return SENSITIVE_KEY_PARTS.some((part) => k.includes(part));
}

/**
 * Hides the values of sensitive keys in a config.yaml / flink-conf.yaml text, line by line: a flat
 * `a.b.password: x` and a nested `password: x` (under `a: b:`) alike, keeping everything else as
 * written. The full key of a nested line is its parents' keys joined with dots.
 */
export function hideSensitiveValues(text: string): string {
  const parents: { indent: number; key: string }[] = [];
  return text
    .split('\n')
    .map((line) => {
      const m = /^(\s*)([^\s#:][^:#]*?)\s*:(\s*)(.*)$/.exec(line);
      if (!m) return line;
      const indent = m[1].length;
      while (parents.length > 0 && parents[parents.length - 1].indent >= indent) parents.pop();
      const key = [...parents.map((p) => p.key), m[2].trim()].join('.');
      if (m[4] === '') {
        parents.push({ indent, key: m[2].trim() });
        return line;
      }
      return isSensitiveKey(key) ? `${m[1]}${m[2]}:${m[3] || ' '}${HIDDEN_VALUE}` : line;
    })
    .join('\n');
}

const CONFIG_FILES = ['config.yaml', 'flink-conf.yaml'] as const;

export type FlinkConfigFile = {
  configMap: string;
  /** config.yaml, or flink-conf.yaml on clusters made that way (Flink 1.19/1.20 legacy). */
  file: (typeof CONFIG_FILES)[number];
  content: string;
  /** Other files of the ConfigMap (log4j-console.properties, logback-console.xml). */
  otherFiles: string[];
  /** Whether values of sensitive keys were hidden. */
  hidden: boolean;
};

type Raw = { metadata?: { labels?: Record<string, string>; managedFields?: unknown }; data?: Record<string, string>; [k: string]: unknown };

function ofCluster(o: Raw, clusterId: string): boolean {
  const labels = o.metadata?.labels ?? {};
  return labels.app === clusterId && labels.type === FLINK_NATIVE_TYPE;
}

async function getObject(conn: Connection, path: string, what: { kind: string; name: string; resource: string; namespace: string; apiGroup?: string }): Promise<Raw> {
  try {
    return (await callK8s(conn, { method: 'GET', path })) as Raw;
  } catch (err) {
    if (err instanceof K8sStatusError && err.statusCode === 404) {
      throw new ApiError('not_found', `There is no ${what.kind} ${what.name} in namespace ${what.namespace}.`);
    }
    throw toK8sApiError(err, { verb: 'get', resource: what.resource, namespace: what.namespace, server: conn.server });
  }
}

export async function readFlinkConfigFile(conn: Connection, namespace: string, clusterId: string): Promise<FlinkConfigFile> {
  const name = `flink-config-${clusterId}`;
  const cm = await getObject(conn, `/api/v1/namespaces/${namespace}/configmaps/${name}`, { kind: 'ConfigMap', name, resource: 'configmaps', namespace });
  if (!ofCluster(cm, clusterId)) throw new ApiError('not_found', `ConfigMap ${name} is not Flink cluster ${clusterId}'s.`);
  const data = cm.data ?? {};
  // Flink 1.19/1.20 read the legacy flink-conf.yaml first when it is there (GlobalConfiguration).
  const file = CONFIG_FILES.find((f) => f === 'flink-conf.yaml' && data[f] !== undefined) ?? CONFIG_FILES.find((f) => data[f] !== undefined);
  if (!file) throw new ApiError('not_found', `ConfigMap ${name} holds no config.yaml or flink-conf.yaml (it has ${Object.keys(data).join(', ') || 'no data'}).`);
  const content = hideSensitiveValues(data[file]);
  return { configMap: name, file, content, otherFiles: Object.keys(data).filter((k) => k !== file).sort(), hidden: content !== data[file] };
}

export const objectKindSchema = z.enum(['Deployment', 'ReplicaSet', 'Pod', 'Service', 'ConfigMap']);
export type ObjectKindName = z.infer<typeof objectKindSchema>;

const KINDS: Record<ObjectKindName, { prefix: string; resource: string }> = {
  Deployment: { prefix: '/apis/apps/v1', resource: 'deployments' },
  ReplicaSet: { prefix: '/apis/apps/v1', resource: 'replicasets' },
  Pod: { prefix: '/api/v1', resource: 'pods' },
  Service: { prefix: '/api/v1', resource: 'services' },
  ConfigMap: { prefix: '/api/v1', resource: 'configmaps' },
};

/** Removes what nobody reads and hides what must not be shown. */
export function toShownObject(o: Raw, kind: ObjectKindName): Raw {
  const copy = structuredClone(o);
  if (copy.metadata) delete copy.metadata.managedFields;
  if (kind === 'ConfigMap' && copy.data) {
    for (const [k, v] of Object.entries(copy.data)) if (k === 'config.yaml' || k === 'flink-conf.yaml') copy.data[k] = hideSensitiveValues(v);
  }
  return copy;
}

/** One object of the cluster as YAML (apiVersion and kind first, as kubectl prints it). */
export async function readObjectYaml(conn: Connection, namespace: string, clusterId: string, kind: ObjectKindName, name: string): Promise<string> {
  const k = KINDS[kind];
  const o = await getObject(conn, `${k.prefix}/namespaces/${namespace}/${k.resource}/${encodeURIComponent(name)}`, { kind, name, resource: k.resource, namespace });
  if (!ofCluster(o, clusterId)) throw new ApiError('not_found', `${kind} ${name} is not part of Flink cluster ${clusterId}.`);
  const { apiVersion, kind: k8sKind, metadata, ...rest } = toShownObject(o, kind);
  return stringify({ apiVersion, kind: k8sKind, metadata, ...rest }, { lineWidth: 0 });
}
