// Test helpers: a real sim with Flink installed, a session cluster applied by hand through the API
// the way kubernetes-session.sh creates it (reference §9), and Flink REST through the service proxy.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { streamJobJar } from './testing-jars';
import { createSim } from '../kube/index';
import type { KubeClient } from '../kube/client';
import type { Sim } from '../kube/types';
import { installFlink } from './index';
import { waitFor as pollUntil } from '../kube/controllers/testing';
import type { FlinkWorld } from './world';
import { DEFAULT_JM_TIMING, type JmTiming } from './jobmanager';
import { FLINK_LEADER_ELECTION_DEFAULTS } from './ha';

export const FAST_KUBE = { schedulerDelayMs: 5, imagePullMs: 20, containerStartMs: 5, backoffBaseMs: 200, backoffMaxMs: 800 };

/**
 * Tests run Flink's clock ten times faster, JobManager start-up and leader election alike, so their
 * order stays as on a real cluster: Flink's election defaults (lease 15 s, renew deadline 15 s,
 * retry 5 s) become 1.5 s / 1.5 s / 0.5 s and the JobManager's start-up (10 s) becomes 1 s. A
 * standby takes a released lease within one retry period (0.5 s), before a replacement pod's
 * JobManager has even started (1 s).
 */
export const FLINK_TEST_SCALE = 0.1;
const scaled = (ms: number) => Math.round(ms * FLINK_TEST_SCALE);
export const TEST_ELECTION = {
  leaseMs: scaled(FLINK_LEADER_ELECTION_DEFAULTS.leaseMs),
  renewDeadlineMs: scaled(FLINK_LEADER_ELECTION_DEFAULTS.renewDeadlineMs),
  retryMs: scaled(FLINK_LEADER_ELECTION_DEFAULTS.retryMs),
};
export const TEST_JM_TIMING: Partial<JmTiming> = { startupMs: scaled(DEFAULT_JM_TIMING.startupMs), jobMasterStartMs: 20, taskDeployMs: 30, checkpointMs: 20 };

export interface FlinkTestSim {
  sim: Sim;
  world: FlinkWorld;
  client: KubeClient;
  stop(): Promise<void>;
}

export async function startFlinkSim(): Promise<FlinkTestSim> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sim-flink-'));
  const sim = createSim({ port: 0, dataDir, timing: FAST_KUBE });
  const world = installFlink(sim, { timing: TEST_JM_TIMING });
  await sim.start();
  return {
    sim,
    world,
    client: sim.adminClient(),
    stop: async () => {
      await sim.stop();
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}

/** The sim's polling helper, with a longer default: Flink scenarios chain several controllers. */
export function waitFor<T>(fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, what = 'condition', timeoutMs = 60_000): Promise<T> {
  return pollUntil(fn, what, timeoutMs);
}

export const JM_RULES = [
  { apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['apps'], resources: ['deployments', 'deployments/finalizers'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
];

export async function createNamespaceWithSa(client: KubeClient, ns: string, sa: string, rules = JM_RULES) {
  await client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await waitFor(() => client.getOrUndefined(`/api/v1/namespaces/${ns}/serviceaccounts/default`), `default SA in ${ns}`);
  await client.create(`/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa } });
  await client.create(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `${sa}-role` }, rules });
  await client.create(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `${sa}-binding` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${sa}-role` },
    subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns }],
  });
}

export interface ClusterSpec {
  ns: string;
  cid: string;
  image: string;
  sa: string;
  mode?: 'session' | 'application';
  ha?: boolean;
  replicas?: number;
  conf?: Record<string, unknown>;
  /** write flink-conf.yaml (legacy flat) instead of config.yaml */
  legacy?: boolean;
}

/** The objects kubernetes-session.sh creates: Deployment first, then ConfigMap and Services owned by it. */
export async function applyCluster(client: KubeClient, s: ClusterSpec): Promise<any> {
  const mode = s.mode ?? 'session';
  const conf: Record<string, unknown> = {
    'kubernetes.cluster-id': s.cid,
    'kubernetes.namespace': s.ns,
    'kubernetes.container.image.ref': s.image,
    'kubernetes.service-account': s.sa,
    'execution.target': `kubernetes-${mode}`,
    'internal.cluster.execution-mode': 'NORMAL',
    'blob.server.port': 6124,
    'taskmanager.rpc.port': 6122,
    'jobmanager.rpc.port': 6123,
    'rest.port': 8081,
    'jobmanager.memory.process.size': '1600m',
    'taskmanager.memory.process.size': '1728m',
    'taskmanager.numberOfTaskSlots': 1,
    'parallelism.default': 1,
    'resourcemanager.taskmanager-timeout': '2 s',
    ...(s.ha
      ? {
          'high-availability.type': 'kubernetes',
          'high-availability.storageDir': `s3://ha/${s.ns}`,
          'high-availability.cluster-id': s.cid,
          'high-availability.jobmanager.port': 6123,
          'high-availability.kubernetes.leader-election.lease-duration': `${TEST_ELECTION.leaseMs} ms`,
          'high-availability.kubernetes.leader-election.renew-deadline': `${TEST_ELECTION.renewDeadlineMs} ms`,
          'high-availability.kubernetes.leader-election.retry-period': `${TEST_ELECTION.retryMs} ms`,
        }
      : { 'jobmanager.rpc.address': `${s.cid}.${s.ns}` }),
    ...(s.conf ?? {}),
  };
  const confKey = s.legacy ? 'flink-conf.yaml' : 'config.yaml';
  const confText = s.legacy ? Object.entries(conf).map(([k, v]) => `${k}: ${v}`).join('\n') + '\n' : toYaml(conf);
  const labels = { type: 'flink-native-kubernetes', app: s.cid };
  const selector = { ...labels, component: 'jobmanager' };
  const deployment = await client.create(`/apis/apps/v1/namespaces/${s.ns}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: s.cid, labels: selector },
    spec: {
      replicas: s.replicas ?? 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: selector },
        spec: {
          serviceAccountName: s.sa,
          containers: [
            {
              name: 'flink-main-container',
              image: s.image,
              imagePullPolicy: 'IfNotPresent',
              command: ['/docker-entrypoint.sh'],
              args: ['bash', '-c', `kubernetes-jobmanager.sh kubernetes-${mode} `],
              ports: [
                { name: 'rest', containerPort: 8081 },
                { name: 'jobmanager-rpc', containerPort: 6123 },
                { name: 'blobserver', containerPort: 6124 },
              ],
              env: [{ name: '_POD_IP_ADDRESS', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } }],
              resources: { requests: { memory: '1600Mi', cpu: '1.0' }, limits: { memory: '1600Mi', cpu: '1.0' } },
              volumeMounts: [{ name: 'flink-config-volume', mountPath: '/opt/flink/conf' }],
            },
          ],
          volumes: [
            {
              name: 'flink-config-volume',
              configMap: {
                name: `flink-config-${s.cid}`,
                items: [
                  { key: 'log4j-console.properties', path: 'log4j-console.properties' },
                  { key: confKey, path: confKey },
                ],
              },
            },
          ],
        },
      },
    },
  });
  const owner = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: s.cid, uid: deployment.metadata.uid, controller: true, blockOwnerDeletion: true }];
  await client.create(`/api/v1/namespaces/${s.ns}/configmaps`, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `flink-config-${s.cid}`, labels, ownerReferences: owner },
    data: { [confKey]: confText, 'log4j-console.properties': 'rootLogger.level = INFO\n' },
  });
  await client.create(`/api/v1/namespaces/${s.ns}/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `${s.cid}-rest`, labels, ownerReferences: owner },
    spec: { type: 'ClusterIP', selector, ports: [{ name: 'rest', port: 8081, targetPort: 8081 }] },
  });
  if (!s.ha) {
    await client.create(`/api/v1/namespaces/${s.ns}/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: s.cid, labels, ownerReferences: owner },
      spec: { clusterIP: 'None', selector, ports: [{ name: 'jobmanager-rpc', port: 6123 }, { name: 'blobserver', port: 6124 }] },
    });
  }
  return deployment;
}

/** Flink REST through the API server's service proxy. */
export async function flinkRest(sim: Sim, ns: string, cid: string, p: string, init: { method?: string; body?: unknown; form?: FormData } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { Authorization: `Bearer ${sim.adminToken}` };
  let body: any;
  if (init.form) body = init.form;
  else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(`${sim.url}/api/v1/namespaces/${ns}/services/${cid}-rest:rest/proxy${p}`, { method: init.method ?? 'GET', headers, body });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* text */
  }
  return { status: res.status, body: parsed };
}

/** Flink REST of one JobManager pod through the pod proxy. */
export async function podRest(sim: Sim, ns: string, pod: string, p: string, init: { method?: string; body?: unknown; form?: FormData } = {}) {
  const headers: Record<string, string> = { Authorization: `Bearer ${sim.adminToken}` };
  let body: any;
  if (init.form) body = init.form;
  else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(`${sim.url}/api/v1/namespaces/${ns}/pods/${pod}:8081/proxy${p}`, { method: init.method ?? 'GET', headers, body });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* text */
  }
  return { status: res.status, body: parsed };
}

/** A user jar: manifest + real class files; the entry class (and each extra one) builds a streaming job. */
export function testJar(entryClass: string, extraClasses: string[] = []): Uint8Array {
  return streamJobJar(entryClass, { extraClasses });
}

export function jarForm(name: string, bytes: Uint8Array): FormData {
  const form = new FormData();
  form.append('jarfile', new Blob([new Uint8Array(bytes)], { type: 'application/x-java-archive' }), name);
  return form;
}

export async function podsOf(client: KubeClient, ns: string, selector: string): Promise<any[]> {
  return (await client.list(`/api/v1/namespaces/${ns}/pods`, { labelSelector: selector })).items;
}

export async function logsOf(client: KubeClient, ns: string, pod: string): Promise<string> {
  const r = await client.request('GET', `/api/v1/namespaces/${ns}/pods/${pod}/log`);
  return typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
}
