// The Deployment controller (pkg/controller/deployment): ReplicaSets per pod template, rolling
// update / recreate, scaling, revision annotations, status and conditions.
import type { KubeClient } from '../client';
import type { InformerFactory, KubeObject } from '../informer';
import { keyOf } from '../informer';
import { EventRecorder, WorkQueue, controllerRef, isNotFound, matchesSelector, nowIso } from './util';

const HASH_LABEL = 'pod-template-hash';
const REVISION = 'deployment.kubernetes.io/revision';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';

function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString(fmt.Sprint(hash)), as ComputeHash renders it. */
export function computeHash(template: unknown, collisionCount?: number): string {
  let s = canonical(template);
  if (collisionCount) s += String(collisionCount);
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...String(fnv32a(s))].map((c) => alphabet[c.charCodeAt(0) % alphabet.length]).join('');
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as any)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function templateWithoutHash(t: any): string {
  const c = structuredClone(t ?? {});
  if (c.metadata?.labels) {
    delete c.metadata.labels[HASH_LABEL];
    if (!Object.keys(c.metadata.labels).length) delete c.metadata.labels;
  }
  if (c.metadata && !Object.keys(c.metadata).length) delete c.metadata;
  return canonical(c);
}

/** intstr: "25%" of total, rounded up (surge) or down (unavailable). */
function resolveIntOrPercent(v: unknown, total: number, roundUp: boolean, dflt: string): number {
  const x = v ?? dflt;
  if (typeof x === 'number') return x;
  const m = /^(\d+)%$/.exec(String(x));
  if (!m) return parseInt(String(x), 10) || 0;
  const f = (parseInt(m[1], 10) * total) / 100;
  return roundUp ? Math.ceil(f) : Math.floor(f);
}

function surgeAndUnavailable(d: any): { maxSurge: number; maxUnavailable: number } {
  if (d.spec?.strategy?.type === 'Recreate') return { maxSurge: 0, maxUnavailable: 0 };
  const replicas = d.spec?.replicas ?? 1;
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const maxSurge = resolveIntOrPercent(ru.maxSurge, replicas, true, '25%');
  let maxUnavailable = resolveIntOrPercent(ru.maxUnavailable, replicas, false, '25%');
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, replicas) };
}

const specReplicas = (rs: any): number => rs.spec?.replicas ?? 0;
const availableOf = (rs: any): number => rs.status?.availableReplicas ?? 0;

export function startDeploymentController(client: KubeClient, informers: InformerFactory): () => void {
  const dInf = informers.get('/apis/apps/v1/deployments');
  const rsInf = informers.get('/apis/apps/v1/replicasets');
  const podInf = informers.get('/api/v1/pods');
  const recorder = new EventRecorder(client, 'deployment-controller');
  const queue = new WorkQueue('deployment', sync);

  dInf.on({ add: (o) => queue.add(keyOf(o)), update: (_a, b) => queue.add(keyOf(b)), delete: (o) => queue.add(keyOf(o)) });
  const enqueueOwner = (o: KubeObject) => {
    const ref = controllerRef(o);
    if (ref?.kind === 'Deployment') queue.add(`${o.metadata.namespace}/${ref.name}`);
  };
  rsInf.on({ add: enqueueOwner, update: (_a, b) => enqueueOwner(b), delete: enqueueOwner });
  // Recreate waits for old pods to be gone.
  podInf.on({
    delete: (p) => {
      const ref = controllerRef(p);
      if (ref?.kind !== 'ReplicaSet') return;
      const rs = rsInf.get(p.metadata.namespace, ref.name);
      if (rs) enqueueOwner(rs);
    },
  });

  function ownedReplicaSets(d: KubeObject): KubeObject[] {
    return rsInf.list().filter((rs) => rs.metadata.namespace === d.metadata.namespace && controllerRef(rs)?.uid === d.metadata.uid);
  }

  /** ClaimReplicaSets: orphans matching the selector are adopted. */
  async function adoptOrphans(d: KubeObject): Promise<void> {
    const sel = d.spec?.selector;
    if (!sel || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length)) return;
    for (const rs of rsInf.list()) {
      if (rs.metadata.namespace !== d.metadata.namespace || controllerRef(rs) || rs.metadata.deletionTimestamp) continue;
      if (!matchesSelector(sel, rs.metadata.labels)) continue;
      const refs = [...(rs.metadata.ownerReferences ?? []), { apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true }];
      try {
        const updated = await client.patch(`/apis/apps/v1/namespaces/${rs.metadata.namespace}/replicasets/${rs.metadata.name}`, { metadata: { ownerReferences: refs, uid: rs.metadata.uid } }, 'merge');
        rsInf.store.set(`${rs.metadata.namespace}/${rs.metadata.name}`, updated);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  async function scaleRS(d: KubeObject, rs: KubeObject, newScale: number, maxSurge: number): Promise<KubeObject> {
    const desired = d.spec?.replicas ?? 1;
    const ann = rs.metadata.annotations ?? {};
    const needsScale = specReplicas(rs) !== newScale;
    const needsAnn = ann[DESIRED] !== String(desired) || ann[MAX_REPLICAS] !== String(desired + maxSurge);
    if (!needsScale && !needsAnn) return rs;
    const copy = structuredClone(rs);
    copy.metadata.annotations = { ...ann, [DESIRED]: String(desired), [MAX_REPLICAS]: String(desired + maxSurge) };
    const old = specReplicas(rs);
    copy.spec.replicas = newScale;
    const updated = await client.update(`/apis/apps/v1/namespaces/${rs.metadata.namespace}/replicasets/${rs.metadata.name}`, copy);
    if (needsScale) {
      const op = old < newScale ? 'up' : 'down';
      void recorder.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata.name} to ${newScale} from ${old}`);
    }
    return updated;
  }

  async function sync(key: string): Promise<void> {
    const [ns, name] = key.split('/');
    const d0 = dInf.get(ns, name);
    if (!d0 || d0.metadata.deletionTimestamp) return;
    const d = structuredClone(d0);
    const desired: number = d.spec?.replicas ?? 1;
    const { maxSurge, maxUnavailable } = surgeAndUnavailable(d);
    await adoptOrphans(d);
    let all = ownedReplicaSets(d);
    const tmpl = templateWithoutHash(d.spec?.template);
    let newRS = all
      .filter((rs) => templateWithoutHash(rs.spec?.template) === tmpl)
      .sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)))[0];
    let olds = all.filter((rs) => rs !== newRS);
    const maxOldRevision = Math.max(0, ...olds.map((rs) => parseInt(rs.metadata.annotations?.[REVISION] ?? '0', 10) || 0));
    const newRevision = String(maxOldRevision + 1);
    const conditions: any[] = structuredClone(d.status?.conditions ?? []);
    let statusDirty = false;

    // SetDeploymentCondition: unchanged status+reason keeps the condition; otherwise it is
    // filtered out and appended (so the latest change is last), keeping lastTransitionTime when
    // the status stays the same.
    const setCondition = (c: { type: string; status: string; reason: string; message: string }, touchUpdate = false) => {
      const now = nowIso();
      const i = conditions.findIndex((x) => x.type === c.type);
      const cur = conditions[i];
      if (cur && cur.status === c.status && cur.reason === c.reason && !touchUpdate) return;
      const next = { type: c.type, status: c.status, lastUpdateTime: now, lastTransitionTime: cur && cur.status === c.status ? cur.lastTransitionTime : now, reason: c.reason, message: c.message };
      if (i >= 0) conditions.splice(i, 1);
      conditions.push(next);
      statusDirty = true;
    };

    // checkPausedConditions
    const pc = conditions.find((c) => c.type === 'Progressing');
    if (d.spec?.paused && pc?.reason !== 'DeploymentPaused')
      setCondition({ type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    else if (!d.spec?.paused && pc?.reason === 'DeploymentPaused')
      setCondition({ type: 'Progressing', status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' });

    if (!d.spec?.paused) {
      if (!newRS) {
        const hash = computeHash(d.spec?.template, d.status?.collisionCount);
        const template = structuredClone(d.spec?.template ?? {});
        template.metadata = template.metadata ?? {};
        template.metadata.labels = { ...(template.metadata.labels ?? {}), [HASH_LABEL]: hash };
        const selector = structuredClone(d.spec?.selector ?? {});
        selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
        // NewRSNewReplicas
        let replicas = desired;
        if (d.spec?.strategy?.type !== 'Recreate') {
          const current = olds.reduce((n, rs) => n + specReplicas(rs), 0);
          const maxTotal = desired + maxSurge;
          replicas = current >= maxTotal ? 0 : Math.max(0, Math.min(maxTotal - current, desired));
        } else if (olds.some((rs) => specReplicas(rs) > 0 || (rs.status?.replicas ?? 0) > 0)) replicas = 0;
        const rsName = `${d.metadata.name}-${hash}`;
        const rs = {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name: rsName,
            namespace: ns,
            labels: { ...(template.metadata.labels ?? {}) },
            annotations: {
              ...copyableAnnotations(d.metadata.annotations),
              [DESIRED]: String(desired),
              [MAX_REPLICAS]: String(desired + maxSurge),
              [REVISION]: newRevision,
            },
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }],
          },
          spec: { replicas, ...(d.spec?.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}), selector, template },
        };
        try {
          newRS = await client.create(`/apis/apps/v1/namespaces/${ns}/replicasets`, rs);
          if (replicas > 0) void recorder.record(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rsName} to ${replicas}`);
          setCondition({ type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${rsName}"` });
        } catch (e) {
          const status = (e as { status?: number }).status;
          if (status === 409) {
            // A ReplicaSet with this name exists but is not ours or has another template: hash collision.
            const existing = await client.getOrUndefined(`/apis/apps/v1/namespaces/${ns}/replicasets/${rsName}`);
            if (existing && controllerRef(existing)?.uid === d.metadata.uid && templateWithoutHash(existing.spec?.template) === tmpl) return;
            await client.update(`/apis/apps/v1/namespaces/${ns}/deployments/${name}/status`, {
              ...d,
              status: { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 },
            });
            return;
          }
          if (status === undefined) throw e;
          const msg = `Failed to create new replica set "${rsName}": ${(e as Error).message}`;
          setCondition({ type: 'Progressing', status: 'False', reason: 'ReplicaSetCreateError', message: msg });
          void recorder.record(d, 'Warning', 'ReplicaSetCreateError', msg);
          await writeStatus(d, conditions, all, undefined, desired);
          return;
        }
      } else {
        // Keep the revision annotation of the new RS current.
        const ann = newRS.metadata.annotations ?? {};
        const cur = parseInt(ann[REVISION] ?? '0', 10) || 0;
        if (cur <= maxOldRevision) {
          const copy = structuredClone(newRS);
          copy.metadata.annotations = { ...ann, [REVISION]: newRevision };
          newRS = await client.update(`/apis/apps/v1/namespaces/${ns}/replicasets/${newRS.metadata.name}`, copy);
        }
        if (!conditions.find((c) => c.type === 'Progressing'))
          setCondition({ type: 'Progressing', status: 'True', reason: 'FoundNewReplicaSet', message: `Found new replica set "${newRS!.metadata.name}"` });
      }
      all = [...olds, newRS!];
      const nrs = newRS!;

      if (d.spec?.strategy?.type === 'Recreate') {
        for (const rs of olds) if (specReplicas(rs) > 0) await scaleRS(d, rs, 0, maxSurge);
        const oldPods = olds.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
        if (!oldPods && specReplicas(nrs) !== desired) newRS = await scaleRS(d, nrs, desired, maxSurge);
        else if (!oldPods) newRS = await scaleRS(d, nrs, desired, maxSurge);
      } else {
        const activeOlds = olds.filter((rs) => specReplicas(rs) > 0);
        if (!activeOlds.length) {
          // Plain scaling (or a completed rollout).
          newRS = await scaleRS(d, nrs, desired, maxSurge);
        } else {
          // reconcileNewReplicaSet
          const current = all.reduce((n, rs) => n + specReplicas(rs), 0);
          if (specReplicas(nrs) > desired) newRS = await scaleRS(d, nrs, desired, maxSurge);
          else if (specReplicas(nrs) < desired) {
            const maxTotal = desired + maxSurge;
            if (current < maxTotal) {
              const up = Math.min(maxTotal - current, desired - specReplicas(nrs));
              newRS = await scaleRS(d, nrs, specReplicas(nrs) + up, maxSurge);
            }
          }
          // reconcileOldReplicaSets
          const allPods = [...olds, newRS!].reduce((n, rs) => n + specReplicas(rs), 0);
          const minAvailable = desired - maxUnavailable;
          const newUnavailable = specReplicas(newRS) - availableOf(newRS);
          let maxScaledDown = allPods - minAvailable - newUnavailable;
          if (maxScaledDown > 0) {
            const sorted = [...activeOlds].sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
            // cleanupUnhealthyReplicas
            for (const rs of sorted) {
              if (maxScaledDown <= 0) break;
              const unhealthy = specReplicas(rs) - availableOf(rs);
              if (unhealthy <= 0) continue;
              const down = Math.min(maxScaledDown, unhealthy);
              const updated = await scaleRS(d, rs, specReplicas(rs) - down, maxSurge);
              Object.assign(rs, { spec: updated.spec });
              maxScaledDown -= down;
            }
            // scaleDownOldReplicaSetsForRollingUpdate
            const availableAll = [...olds, newRS!].reduce((n, rs) => n + availableOf(rs), 0);
            let total = availableAll - minAvailable;
            for (const rs of sorted) {
              if (total <= 0) break;
              if (specReplicas(rs) === 0) continue;
              const down = Math.min(specReplicas(rs), total);
              await scaleRS(d, rs, specReplicas(rs) - down, maxSurge);
              total -= down;
            }
          }
        }
      }
      // cleanupDeployment: keep revisionHistoryLimit old sets.
      const limit = d.spec?.revisionHistoryLimit ?? 10;
      const deletable = olds
        .filter((rs) => specReplicas(rs) === 0 && (rs.status?.replicas ?? 0) === 0)
        .sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));
      const excess = olds.length - limit;
      for (let i = 0; i < excess && i < deletable.length; i++) {
        try {
          await client.delete(`/apis/apps/v1/namespaces/${ns}/replicasets/${deletable[i].metadata.name}`);
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
    }
    olds = ownedReplicaSets(d).filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
    const fresh = newRS ? rsInf.list().find((x) => x.metadata.uid === newRS!.metadata.uid) ?? newRS : undefined;
    const failure = [fresh, ...olds].flatMap((rs) => rs?.status?.conditions ?? []).find((c: any) => c.type === 'ReplicaFailure' && c.status === 'True');
    const failedCreate: string | undefined = failure?.message;
    const allNow = fresh ? [...olds, fresh] : olds;

    // Conditions as syncRolloutStatus computes them.
    const totalReplicas = allNow.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
    const updated = fresh?.status?.replicas ?? 0;
    const available = allNow.reduce((n, rs) => n + availableOf(rs), 0);
    if (available >= desired - maxUnavailable)
      setCondition({ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    else setCondition({ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
    if (!d.spec?.paused && fresh) {
      const complete = updated === desired && totalReplicas === desired && available === desired && (fresh.status?.observedGeneration ?? 0) >= (fresh.metadata.generation ?? 1);
      const rsName = fresh.metadata.name;
      if (complete) {
        setCondition({ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` });
      } else {
        const prev = d.status ?? {};
        const progressed =
          updated > (prev.updatedReplicas ?? 0) ||
          (prev.readyReplicas ?? 0) < allNow.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0) ||
          available > (prev.availableReplicas ?? 0) ||
          totalReplicas < (prev.replicas ?? 0);
        const cur = conditions.find((c) => c.type === 'Progressing');
        const msg = `ReplicaSet "${rsName}" is progressing.`;
        const deadline = d.spec?.progressDeadlineSeconds;
        const timedOut =
          !progressed && deadline !== undefined && deadline !== null && cur?.status === 'True' && Date.parse(cur.lastUpdateTime) + deadline * 1000 <= Date.now();
        const stale = !cur || (cur.status === 'True' && ((cur.reason === 'ReplicaSetUpdated' && cur.message !== msg) || cur.reason === 'NewReplicaSetAvailable'));
        if (progressed || stale) setCondition({ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: msg }, true);
        else if (timedOut) setCondition({ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.` });
        else if (deadline !== undefined && deadline !== null && cur?.status === 'True' && cur.lastUpdateTime)
          queue.addAfter(key, Math.max(Date.parse(cur.lastUpdateTime) + deadline * 1000 - Date.now(), 0) + 50);
      }
    }
    const ri = conditions.findIndex((c) => c.type === 'ReplicaFailure');
    if (failedCreate) {
      const cur = conditions[ri];
      if (!cur || cur.message !== failedCreate) {
        const now = nowIso();
        const c = { type: 'ReplicaFailure', status: 'True', lastUpdateTime: now, lastTransitionTime: now, reason: 'FailedCreate', message: failedCreate };
        if (ri >= 0) conditions[ri] = c;
        else conditions.push(c);
        statusDirty = true;
      }
    } else if (ri >= 0) {
      conditions.splice(ri, 1);
      statusDirty = true;
    }
    void statusDirty;
    await writeStatus(d, conditions, allNow, fresh, desired);
  }

  async function writeStatus(d: KubeObject, conditions: any[], all: KubeObject[], newRS: KubeObject | undefined, desired: number) {
    const replicas = all.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
    const ready = all.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
    const available = all.reduce((n, rs) => n + availableOf(rs), 0);
    const updated = newRS?.status?.replicas ?? 0;
    const unavailable = Math.max(desired - available, 0);
    const status: Record<string, unknown> = { observedGeneration: d.metadata.generation ?? 1 };
    if (replicas) status.replicas = replicas;
    if (updated) status.updatedReplicas = updated;
    if (ready) status.readyReplicas = ready;
    if (available) status.availableReplicas = available;
    if (unavailable) status.unavailableReplicas = unavailable;
    if (conditions.length) status.conditions = conditions;
    if (d.status?.collisionCount) status.collisionCount = d.status.collisionCount;
    const cur = dInf.get(d.metadata.namespace, d.metadata.name);
    // Deployment's revision annotation follows the new RS.
    const rev = newRS?.metadata.annotations?.[REVISION];
    if (cur && rev && cur.metadata.annotations?.[REVISION] !== rev) {
      const copy = structuredClone(cur);
      copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [REVISION]: rev };
      const res = await client.update(`/apis/apps/v1/namespaces/${d.metadata.namespace}/deployments/${d.metadata.name}`, copy);
      Object.assign(d.metadata, { resourceVersion: res.metadata.resourceVersion, annotations: res.metadata.annotations });
    }
    if (canonical(d.status ?? {}) === canonical(status)) return;
    try {
      await client.update(`/apis/apps/v1/namespaces/${d.metadata.namespace}/deployments/${d.metadata.name}/status`, { ...d, status });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  return () => queue.stop();
}

function copyableAnnotations(a: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a ?? {})) {
    if (k === 'kubectl.kubernetes.io/last-applied-configuration' || k.startsWith('deployment.kubernetes.io/')) continue;
    out[k] = v;
  }
  return out;
}
