// Test helpers: a real sim with short timing, and polling through the API like a client.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KubeClient } from '../client';
import { createSim } from '../index';
import type { Sim, Timing } from '../types';

export const FAST_TIMING: Partial<Timing> = {
  schedulerDelayMs: 5,
  imagePullMs: 20,
  containerStartMs: 5,
  backoffBaseMs: 200,
  backoffMaxMs: 800,
};

export interface TestSim {
  sim: Sim;
  client: KubeClient;
  stop(): Promise<void>;
}

export async function startTestSim(timing: Partial<Timing> = {}): Promise<TestSim> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sim-ctrl-'));
  const sim = createSim({ port: 0, dataDir, timing: { ...FAST_TIMING, ...timing } });
  await sim.start();
  return {
    sim,
    client: sim.adminClient(),
    stop: async () => {
      await sim.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls fn until it returns a truthy value (or stops throwing), like expect.poll. */
export async function waitFor<T>(fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, what = 'condition', timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)?.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  // The ServiceAccount controller creates `default`; pods need it for admission.
  await waitFor(() => client.getOrUndefined(`/api/v1/namespaces/${name}/serviceaccounts/default`), `default SA in ${name}`);
}

/**
 * A pod spec with the fields the API server defaults spelled out, so the tests do not depend on
 * which defaults the server applies (a client may always send them).
 */
export function podSpec(spec: Record<string, any>): Record<string, any> {
  const container = (c: any) => ({
    imagePullPolicy: /:latest$|^[^:]*$/.test(c.image ?? '') ? 'Always' : 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    resources: {},
    ...c,
    ...(c.ports ? { ports: c.ports.map((p: any) => ({ protocol: 'TCP', ...p })) } : {}),
  });
  return {
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    ...spec,
    containers: (spec.containers ?? []).map(container),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(container) } : {}),
  };
}

export function pod(name: string, spec: Record<string, any>, labels: Record<string, string> = { app: name }) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: podSpec(spec) };
}

export function deployment(name: string, opts: { replicas?: number; image?: string; command?: string[]; labels?: Record<string, string>; strategy?: unknown; podSpec?: Record<string, unknown> } = {}) {
  const labels = opts.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: labels },
      strategy: opts.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        metadata: { labels },
        spec: podSpec({ containers: [{ name: 'main', image: opts.image ?? 'nginx:1.25', ...(opts.command ? { command: opts.command } : {}) }], ...(opts.podSpec ?? {}) }),
      },
    },
  };
}

export async function events(client: KubeClient, ns: string, name?: string): Promise<any[]> {
  const items = (await client.list(`/api/v1/namespaces/${ns}/events`)).items;
  return name ? items.filter((e: any) => e.involvedObject?.name === name) : items;
}

export async function podsOf(client: KubeClient, ns: string, selector: string): Promise<any[]> {
  return (await client.list(`/api/v1/namespaces/${ns}/pods`, { labelSelector: selector })).items;
}

/** Events are written asynchronously by their components: wait until one with this reason exists. */
export async function waitEvent(client: KubeClient, ns: string, name: string, reason: string): Promise<any> {
  return waitFor(async () => (await events(client, ns, name)).find((e) => e.reason === reason), `${reason} event for ${name}`);
}
