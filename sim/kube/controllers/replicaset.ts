// The ReplicaSet controller (pkg/controller/replicaset): keeps spec.replicas active pods.
import type { KubeClient } from '../client';
import type { InformerFactory, KubeObject } from '../informer';
import { keyOf } from '../informer';
import { EventRecorder, WorkQueue, controllerRef, isEmptySelector, isNotFound, matchesSelector, nowIso, podIsActive, podIsAvailable, podIsReady } from './util';

const EXPECTATION_TTL_MS = 5000;

export function startReplicaSetController(client: KubeClient, informers: InformerFactory): () => void {
  const rsInf = informers.get('/apis/apps/v1/replicasets');
  const podInf = informers.get('/api/v1/pods');
  const recorder = new EventRecorder(client, 'replicaset-controller');
  // Expectations, as client-go's ControllerExpectations: pods created/deleted but not yet observed.
  const expectCreate = new Map<string, Map<string, number>>(); // rsKey -> podName -> time
  const expectDelete = new Map<string, Map<string, number>>();

  const createFailures = new Map<string, number>();
  const queue = new WorkQueue('replicaset', sync, 4);
  const enqueueOwner = (pod: KubeObject) => {
    const ref = controllerRef(pod);
    if (ref?.kind === 'ReplicaSet') queue.add(`${pod.metadata.namespace}/${ref.name}`);
  };

  // Pods by their controller's uid, and pods without a controller (ClaimPods' orphans), kept from
  // the informer's events so a sync costs O(pods of its ReplicaSet) instead of O(all pods).
  // Orphans are also indexed by namespace and label pair: a namespace can hold thousands of pods
  // that no controller owns (Flink's TaskManager pods made by hand, bare pods), and each sync of each
  // ReplicaSet would otherwise test every one of them against its selector.
  const byOwner = new Map<string, Set<string>>();
  const ownerOf = new Map<string, string>(); // pod key -> controller uid ('' = orphan)
  const orphansByLabel = new Map<string, Set<string>>(); // `${ns}\0${k}=${v}` -> orphan pod keys
  const orphanLabelKeys = new Map<string, string[]>(); // orphan pod key -> its orphansByLabel keys
  const labelKey = (ns: string, k: string, v: string) => `${ns}\0${k}=${v}`;
  const unindex = (key: string) => {
    const uid = ownerOf.get(key);
    if (uid === undefined) return;
    ownerOf.delete(key);
    const set = byOwner.get(uid);
    set?.delete(key);
    if (set && !set.size) byOwner.delete(uid);
    for (const lk of orphanLabelKeys.get(key) ?? []) {
      const s = orphansByLabel.get(lk);
      s?.delete(key);
      if (s && !s.size) orphansByLabel.delete(lk);
    }
    orphanLabelKeys.delete(key);
  };
  const index = (p: KubeObject) => {
    const key = keyOf(p);
    unindex(key);
    const uid = controllerRef(p)?.uid ?? '';
    ownerOf.set(key, uid);
    let set = byOwner.get(uid);
    if (!set) byOwner.set(uid, (set = new Set()));
    set.add(key);
    if (uid === '') {
      const lks = Object.entries(p.metadata.labels ?? {}).map(([k, v]) => labelKey(p.metadata.namespace ?? '', k, v as string));
      for (const lk of lks) {
        let s = orphansByLabel.get(lk);
        if (!s) orphansByLabel.set(lk, (s = new Set()));
        s.add(key);
      }
      orphanLabelKeys.set(key, lks);
    }
  };
  podInf.on({ add: index, update: (_a, b) => index(b), delete: (p) => unindex(keyOf(p)) });
  const podsOf = (uid: string, ns: string): KubeObject[] => podsAt(byOwner.get(uid), ns);
  const podsAt = (keys: Set<string> | undefined, ns: string): KubeObject[] => {
    const out: KubeObject[] = [];
    for (const k of keys ?? []) {
      const p = podInf.store.get(k);
      if (p && p.metadata.namespace === ns) out.push(p);
    }
    return out;
  };
  /**
   * The orphans of a namespace that may match a selector: with matchLabels, those carrying the
   * rarest of its pairs (none carries a pair no orphan has); otherwise every orphan of the namespace.
   * The caller still tests the whole selector.
   */
  const orphanCandidates = (selector: any, ns: string): KubeObject[] => {
    const pairs = Object.entries((selector?.matchLabels ?? {}) as Record<string, string>);
    if (!pairs.length) return podsOf('', ns);
    let best: Set<string> | undefined;
    for (const [k, v] of pairs) {
      const s = orphansByLabel.get(labelKey(ns, k, v));
      if (!s) return [];
      if (!best || s.size < best.size) best = s;
    }
    return podsAt(best, ns);
  };

  rsInf.on({ add: (o) => queue.add(keyOf(o)), update: (_a, b) => queue.add(keyOf(b)), delete: (o) => queue.add(keyOf(o)) });
  podInf.on({
    add: (p) => {
      const ref = controllerRef(p);
      if (ref) expectCreate.get(`${p.metadata.namespace}/${ref.name}`)?.delete(p.metadata.name);
      enqueueOwner(p);
    },
    update: (a, b) => {
      enqueueOwner(b);
      if (controllerRef(a)?.uid !== controllerRef(b)?.uid) enqueueOwner(a);
    },
    delete: (p) => {
      const ref = controllerRef(p);
      if (ref) expectDelete.get(`${p.metadata.namespace}/${ref.name}`)?.delete(p.metadata.name);
      enqueueOwner(p);
    },
  });

  function pendingExpectations(m: Map<string, Map<string, number>>, key: string): Set<string> {
    const e = m.get(key);
    if (!e) return new Set();
    const now = Date.now();
    for (const [n, t] of e) if (now - t > EXPECTATION_TTL_MS) e.delete(n);
    return new Set(e.keys());
  }

  async function sync(key: string): Promise<void> {
    const [ns, name] = key.split('/');
    const rs = rsInf.get(ns, name);
    if (!rs) {
      expectCreate.delete(key);
      expectDelete.delete(key);
      return;
    }
    if (rs.metadata.deletionTimestamp) return;
    const selector = rs.spec?.selector;
    // ClaimPods: orphans matching the selector are adopted.
    if (!isEmptySelector(selector)) {
      for (const p of orphanCandidates(selector, ns)) {
        if (controllerRef(p) || !podIsActive(p) || !matchesSelector(selector, p.metadata.labels)) continue;
        const refs = [...(p.metadata.ownerReferences ?? []), { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true }];
        try {
          const updated = await client.patch(`/api/v1/namespaces/${ns}/pods/${p.metadata.name}`, { metadata: { ownerReferences: refs, uid: p.metadata.uid } }, 'merge');
          podInf.store.set(`${ns}/${p.metadata.name}`, updated);
          index(updated);
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
    }
    const owned = podsOf(rs.metadata.uid!, ns).filter((p) => controllerRef(p)?.uid === rs.metadata.uid && matchesSelector(selector, p.metadata.labels));
    const creating = pendingExpectations(expectCreate, key);
    const deleting = pendingExpectations(expectDelete, key);
    for (const p of owned) creating.delete(p.metadata.name);
    const active = owned.filter((p) => podIsActive(p) && !deleting.has(p.metadata.name));
    const desired: number = rs.spec?.replicas ?? 1;
    const diff = active.length + creating.size - desired;
    let failure: string | undefined;

    if (diff < 0 && !creating.size) {
      const toCreate = Math.min(-diff, 500);
      const e = expectCreate.get(key) ?? new Map<string, number>();
      expectCreate.set(key, e);
      const createOne = async (): Promise<void> => {
        const tmpl = rs.spec.template ?? {};
        const pod = {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            generateName: `${rs.metadata.name}-`,
            namespace: ns,
            labels: { ...(tmpl.metadata?.labels ?? {}) },
            ...(tmpl.metadata?.annotations ? { annotations: { ...tmpl.metadata.annotations } } : {}),
            ...(tmpl.metadata?.finalizers ? { finalizers: [...tmpl.metadata.finalizers] } : {}),
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }],
          },
          spec: structuredClone(tmpl.spec ?? {}),
        };
        try {
          const created = await client.create(`/api/v1/namespaces/${ns}/pods`, pod);
          if (!podInf.get(ns, created.metadata.name)) e.set(created.metadata.name, Date.now());
          void recorder.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
        } catch (err) {
          if ((err as { status?: number }).status === undefined) throw err; // connection failure: retry later
          failure ??= (err as Error).message;
          void recorder.record(rs, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
        }
      };
      // slowStartBatch: batches of 1, 2, 4, ... created concurrently; a failure stops the next batches.
      let done = 0;
      for (let batch = 1; done < toCreate && failure === undefined; batch *= 2) {
        const n = Math.min(batch, toCreate - done);
        const results = await Promise.allSettled(Array.from({ length: n }, createOne));
        done += n;
        const thrown = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (thrown) throw thrown.reason;
      }
    } else if (diff > 0 && !deleting.size) {
      // Prefer deleting pods that are unscheduled, then pending, then not ready, then the newest.
      const rank = (p: any) => (!p.spec?.nodeName ? 0 : p.status?.phase === 'Pending' ? 1 : !podIsReady(p) ? 2 : 3);
      const victims = [...active]
        .sort((a, b) => rank(a) - rank(b) || String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)))
        .slice(0, diff);
      const e = expectDelete.get(key) ?? new Map<string, number>();
      expectDelete.set(key, e);
      for (const p of victims) {
        try {
          e.set(p.metadata.name, Date.now());
          await client.delete(`/api/v1/namespaces/${ns}/pods/${p.metadata.name}`);
          void recorder.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
        } catch (err) {
          e.delete(p.metadata.name);
          if (!isNotFound(err)) {
            void recorder.record(rs, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
            throw err;
          }
        }
      }
    }
    await updateStatus(rs, failure);
    // A failed create is retried with back-off, as the controller's rate-limited queue does.
    if (failure !== undefined) {
      const n = (createFailures.get(key) ?? 0) + 1;
      createFailures.set(key, n);
      queue.addAfter(key, Math.min(250 * 2 ** Math.min(n - 1, 6), 16000));
    } else createFailures.delete(key);
    // Availability depends on time when minReadySeconds is set.
    if (rs.spec?.minReadySeconds && owned.some((p) => podIsReady(p) && !podIsAvailable(p, rs.spec.minReadySeconds)))
      queue.addAfter(key, rs.spec.minReadySeconds * 1000 + 10);
  }

  async function updateStatus(rs: KubeObject, failure: string | undefined): Promise<void> {
    const fresh = rsInf.get(rs.metadata.namespace, rs.metadata.name) ?? rs;
    const ns = rs.metadata.namespace!;
    const owned = podsOf(rs.metadata.uid!, ns).filter((p) => controllerRef(p)?.uid === rs.metadata.uid && podIsActive(p));
    const minReady = fresh.spec?.minReadySeconds ?? 0;
    const templateLabels: Record<string, string> = fresh.spec?.template?.metadata?.labels ?? {};
    const status: Record<string, unknown> = {};
    const replicas = owned.length;
    const fully = owned.filter((p) => Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v)).length;
    const ready = owned.filter(podIsReady).length;
    const available = owned.filter((p) => podIsAvailable(p, minReady)).length;
    status.replicas = replicas;
    if (fully) status.fullyLabeledReplicas = fully;
    if (ready) status.readyReplicas = ready;
    if (available) status.availableReplicas = available;
    status.observedGeneration = fresh.metadata.generation ?? 1;
    const conditions: any[] = (fresh.status?.conditions ?? []).filter((c: any) => c.type !== 'ReplicaFailure');
    const prevFailure = (fresh.status?.conditions ?? []).find((c: any) => c.type === 'ReplicaFailure');
    if (failure !== undefined) {
      conditions.push(
        prevFailure && prevFailure.message === failure
          ? prevFailure
          : { type: 'ReplicaFailure', status: 'True', lastTransitionTime: nowIso(), reason: 'FailedCreate', message: failure },
      );
    }
    if (conditions.length) status.conditions = conditions;
    if (JSON.stringify(normalizeStatus(fresh.status)) === JSON.stringify(normalizeStatus(status))) return;
    try {
      await client.update(`/apis/apps/v1/namespaces/${ns}/replicasets/${fresh.metadata.name}/status`, { ...fresh, status });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
  }

  return () => queue.stop();
}

function normalizeStatus(s: any): unknown {
  if (!s) return {};
  const keys = Object.keys(s).sort();
  return keys.map((k) => [k, s[k]]);
}
