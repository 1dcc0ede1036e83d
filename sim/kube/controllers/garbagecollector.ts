// The garbage collector (pkg/controller/garbagecollector): deletes dependents whose owners are
// gone (owner identity is the uid), drives foreground deletion and orphaning through finalizers.
import { apiPath, type KubeClient } from '../client';
import type { Informer, InformerFactory, KubeObject, OwnerReference } from '../informer';
import { RESOURCES, type ResourceType } from '../resources';
import { WorkQueue, isNotFound } from './util';

const SKIP = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'subjectaccessreviews', 'events']);

interface Entry {
  rt: ResourceType;
  obj: KubeObject;
}

export function startGarbageCollector(client: KubeClient, informers: InformerFactory): () => void {
  const types = RESOURCES.filter((rt) => !SKIP.has(rt.plural));
  const byUid = new Map<string, Entry>();
  const dependents = new Map<string, Set<string>>(); // owner uid -> dependent uids
  const infs = new Map<ResourceType, Informer>();
  let ready = false;

  // kube-controller-manager's --concurrent-gc-syncs defaults to 20 workers.
  const queue = new WorkQueue('garbagecollector', (uid) => process(uid), 20);

  const index = (rt: ResourceType, obj: KubeObject) => {
    const uid = obj.metadata.uid;
    if (!uid) return;
    const prev = byUid.get(uid);
    if (prev) for (const r of prev.obj.metadata.ownerReferences ?? []) dependents.get(r.uid)?.delete(uid);
    byUid.set(uid, { rt, obj });
    for (const r of obj.metadata.ownerReferences ?? []) {
      let s = dependents.get(r.uid);
      if (!s) dependents.set(r.uid, (s = new Set()));
      s.add(uid);
    }
  };
  const enqueueRelated = (obj: KubeObject) => {
    if (!ready) return;
    const uid = obj.metadata.uid!;
    if (obj.metadata.ownerReferences?.length || obj.metadata.finalizers?.length) queue.add(uid);
    for (const d of dependents.get(uid) ?? []) queue.add(d);
    for (const r of obj.metadata.ownerReferences ?? []) if (byUid.has(r.uid)) queue.add(r.uid);
  };

  for (const rt of types) {
    const inf = informers.get(apiPath({ group: rt.group, version: rt.version, plural: rt.plural }));
    infs.set(rt, inf);
    inf.on({
      add: (o) => {
        index(rt, o);
        enqueueRelated(o);
      },
      update: (_a, b) => {
        index(rt, b);
        enqueueRelated(b);
      },
      delete: (o) => {
        const uid = o.metadata.uid!;
        const cur = byUid.get(uid);
        if (cur) for (const r of cur.obj.metadata.ownerReferences ?? []) dependents.get(r.uid)?.delete(uid);
        byUid.delete(uid);
        if (!ready) return;
        for (const d of dependents.get(uid) ?? []) queue.add(d);
        for (const r of o.metadata.ownerReferences ?? []) if (byUid.has(r.uid)) queue.add(r.uid);
      },
    });
  }
  // Start once every informer has listed (or after a while: absence is confirmed with a live read anyway).
  const allSynced = Promise.all([...infs.values()].map((i) => i.synced));
  void Promise.race([allSynced, new Promise((r) => setTimeout(r, 10_000).unref?.())]).then(() => {
    ready = true;
    for (const [uid, e] of byUid) if (e.obj.metadata.ownerReferences?.length || e.obj.metadata.finalizers?.length) queue.add(uid);
  });

  const pathOf = (rt: ResourceType, obj: KubeObject) =>
    apiPath({ group: rt.group, version: rt.version, plural: rt.plural, namespace: rt.namespaced ? obj.metadata.namespace : undefined, name: obj.metadata.name });

  function ownerType(ref: OwnerReference): ResourceType | undefined {
    const [group, version] = ref.apiVersion.includes('/') ? ref.apiVersion.split('/') : ['', ref.apiVersion];
    return RESOURCES.find((rt) => rt.group === group && rt.kind === ref.kind && rt.version === version) ?? RESOURCES.find((rt) => rt.group === group && rt.kind === ref.kind);
  }

  /** Owner state, confirmed with a live read when the cache says absent (as the real GC does). */
  async function ownerState(dep: Entry, ref: OwnerReference): Promise<'absent' | 'present' | 'waiting'> {
    const cached = byUid.get(ref.uid);
    const fromCache = cached?.obj;
    let owner = fromCache;
    if (!owner) {
      const rt = ownerType(ref);
      if (!rt) return 'absent';
      const ns = rt.namespaced ? dep.obj.metadata.namespace : undefined;
      if (rt.namespaced && !dep.rt.namespaced) return 'absent';
      const live = await client.getOrUndefined(apiPath({ group: rt.group, version: rt.version, plural: rt.plural, namespace: ns, name: ref.name }));
      if (!live || live.metadata?.uid !== ref.uid) return 'absent';
      owner = live;
    }
    if (owner!.metadata.deletionTimestamp && owner!.metadata.finalizers?.includes('foregroundDeletion')) return 'waiting';
    return 'present';
  }

  async function process(uid: string): Promise<void> {
    const e = byUid.get(uid);
    if (!e) return;
    const { rt, obj } = e;
    const md = obj.metadata;
    // Owner side: foreground deletion and orphaning.
    if (md.deletionTimestamp && md.finalizers?.includes('orphan')) {
      for (const depUid of [...(dependents.get(uid) ?? [])]) {
        const d = byUid.get(depUid);
        if (!d) continue;
        const refs = (d.obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
        try {
          await client.patch(pathOf(d.rt, d.obj), { metadata: { ownerReferences: refs.length ? refs : null, uid: depUid } }, 'merge');
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
      await removeFinalizer(rt, obj, 'orphan');
      return;
    }
    if (md.deletionTimestamp && md.finalizers?.includes('foregroundDeletion')) {
      const deps = [...(dependents.get(uid) ?? [])].map((d) => byUid.get(d)).filter((d): d is Entry => !!d);
      let blocking = 0;
      for (const d of deps) {
        const ref = d.obj.metadata.ownerReferences?.find((r) => r.uid === uid);
        if (ref?.blockOwnerDeletion) blocking++;
        if (!d.obj.metadata.deletionTimestamp) queue.add(d.obj.metadata.uid!);
      }
      if (!blocking) await removeFinalizer(rt, obj, 'foregroundDeletion');
      return;
    }
    // Dependent side.
    const refs = md.ownerReferences ?? [];
    if (!refs.length) return;
    const states = await Promise.all(refs.map((r) => ownerState(e, r)));
    const solid = refs.filter((_, i) => states[i] === 'present');
    const waiting = refs.filter((_, i) => states[i] === 'waiting');
    const dangling = refs.filter((_, i) => states[i] === 'absent');
    if (solid.length) {
      if (!dangling.length && !waiting.length) return;
      // Some owners remain: drop the references to the gone (and foreground-deleting) ones.
      const gone = new Set([...dangling, ...waiting].map((r) => r.uid));
      try {
        await client.patch(pathOf(rt, obj), { metadata: { uid, ownerReferences: refs.filter((r) => !gone.has(r.uid)) } }, 'merge');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    if (md.deletionTimestamp) return; // already going
    // An owner waiting for its dependents: items that have dependents themselves go in the foreground.
    const policy = waiting.length && (dependents.get(uid)?.size ?? 0) > 0 ? 'Foreground' : 'Background';
    try {
      await client.delete(pathOf(rt, obj), { propagationPolicy: policy, preconditions: { uid } });
    } catch (err) {
      if (!isNotFound(err) && (err as { status?: number }).status !== 409) throw err;
    }
  }

  async function removeFinalizer(rt: ResourceType, obj: KubeObject, finalizer: string): Promise<void> {
    const fresh = byUid.get(obj.metadata.uid!)?.obj ?? obj;
    const finalizers = (fresh.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    try {
      await client.update(pathOf(rt, fresh), { ...fresh, metadata: { ...fresh.metadata, finalizers } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  return () => queue.stop();
}
