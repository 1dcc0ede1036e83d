// Namespace lifecycle (pkg/controller/namespace), the ServiceAccount controller (`default` in
// every namespace) and the root-CA publisher (`kube-root-ca.crt` in every namespace).
import { apiPath, type KubeClient } from '../client';
import type { InformerFactory, KubeObject } from '../informer';
import { RESOURCES } from '../resources';
import { WorkQueue, isConflict, isNotFound, nowIso } from './util';

export const FAKE_CA_PEM = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAjMSEwHwYDVQQDDBhzaW0tc2Vy',
  'dmVyLWNhQDE3MDAwMDAwMDAwHhcNMjQwMTAxMDAwMDAwWhcNMzQwMTAxMDAwMDAw',
  'WjAjMSEwHwYDVQQDDBhzaW0tc2VydmVyLWNhQDE3MDAwMDAwMDAwWTATBgcqhkjO',
  'PQIBBggqhkjOPQMBBwNCAAQ1c2ltdWxhdGVkLWNsdXN0ZXItY2EtZm9yLXRlc3Rz',
  'LW9ubHktbm90LWEtcmVhbC1rZXktMDEyMzQ1Njc4OWFiY2RlZqNCMEAwDgYDVR0P',
  'AQH/BAQDAgKkMA8GA1UdEwEB/wQFMAMBAf8wHQYDVR0OBBYEFHNpbS1yb290LWNh',
  'LWtleS1pZDAKBggqhkjOPQQDAgNIADBFAiEAc2ltdWxhdGVkLXNpZ25hdHVyZS0w',
  'MTIzNDU2Nzg5AiBzaW11bGF0ZWQtc2lnbmF0dXJlLWFiY2RlZmdoaWprbG1ubw==',
  '-----END CERTIFICATE-----',
  '',
].join('\n');

const NAMESPACED = RESOURCES.filter((rt) => rt.namespaced && !(rt.group === 'events.k8s.io'));

export function startNamespaceControllers(client: KubeClient, informers: InformerFactory): () => void {
  const nsInf = informers.get('/api/v1/namespaces');
  const saInf = informers.get('/api/v1/serviceaccounts');
  const cmInf = informers.get('/api/v1/configmaps');
  const lifecycle = new WorkQueue('namespace', syncNamespace);
  const defaults = new WorkQueue('serviceaccount', syncDefaults);

  nsInf.on({
    add: (o) => {
      defaults.add(o.metadata.name);
      if (o.metadata.deletionTimestamp) lifecycle.add(o.metadata.name);
    },
    update: (_a, b) => {
      defaults.add(b.metadata.name);
      if (b.metadata.deletionTimestamp) lifecycle.add(b.metadata.name);
    },
  });
  saInf.on({ delete: (o) => o.metadata.name === 'default' && defaults.add(o.metadata.namespace!) });
  cmInf.on({
    delete: (o) => o.metadata.name === 'kube-root-ca.crt' && defaults.add(o.metadata.namespace!),
    update: (_a, b) => b.metadata.name === 'kube-root-ca.crt' && defaults.add(b.metadata.namespace!),
  });

  async function syncDefaults(ns: string): Promise<void> {
    const nsObj = nsInf.get(undefined, ns);
    if (!nsObj || nsObj.metadata.deletionTimestamp || nsObj.status?.phase === 'Terminating') return;
    await Promise.all([saInf.synced, cmInf.synced]);
    if (!saInf.get(ns, 'default')) {
      try {
        await client.create(`/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
      } catch (e) {
        if (!isConflict(e) && !isNotFound(e) && (e as { status?: number }).status !== 403) throw e;
      }
    }
    const cm = cmInf.get(ns, 'kube-root-ca.crt');
    if (!cm) {
      try {
        await client.create(`/api/v1/namespaces/${ns}/configmaps`, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'kube-root-ca.crt', namespace: ns, annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION } },
          data: { 'ca.crt': FAKE_CA_PEM },
        });
      } catch (e) {
        if (!isConflict(e) && !isNotFound(e) && (e as { status?: number }).status !== 403) throw e;
      }
    } else if (cm.data?.['ca.crt'] !== FAKE_CA_PEM) {
      await client.update(`/api/v1/namespaces/${ns}/configmaps/kube-root-ca.crt`, { ...cm, data: { 'ca.crt': FAKE_CA_PEM } });
    }
  }

  async function syncNamespace(name: string): Promise<void> {
    const ns = nsInf.get(undefined, name);
    if (!ns || !ns.metadata.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes('kubernetes')) return;
    let remaining = 0;
    const counts: string[] = [];
    const finalizersLeft = new Set<string>();
    for (const rt of NAMESPACED) {
      const path = apiPath({ group: rt.group, version: rt.version, plural: rt.plural, namespace: name });
      let items: KubeObject[];
      try {
        items = (await client.list<KubeObject>(path)).items ?? [];
      } catch (e) {
        if (isNotFound(e)) continue;
        throw e;
      }
      for (const it of items) {
        if (!it.metadata.deletionTimestamp) {
          try {
            await client.delete(`${path}/${encodeURIComponent(it.metadata.name)}`, { propagationPolicy: 'Background' });
          } catch (e) {
            if (!isNotFound(e)) throw e;
          }
        }
      }
      const left = (await client.list<KubeObject>(path)).items ?? [];
      if (left.length) {
        remaining += left.length;
        counts.push(`${rt.group ? `${rt.plural}.${rt.group}` : rt.plural} has ${left.length} resource instances`);
        for (const it of left) for (const f of it.metadata.finalizers ?? []) finalizersLeft.add(f);
      }
    }
    const conditions = [
      cond('NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'),
      cond('NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'),
      cond('NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'),
      remaining
        ? cond('NamespaceContentRemaining', 'True', 'SomeResourcesRemain', `Some resources are remaining: ${counts.join(', ')}`)
        : cond('NamespaceContentRemaining', 'False', 'ContentRemoved', 'All content successfully removed'),
      finalizersLeft.size
        ? cond('NamespaceFinalizersRemaining', 'True', 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${[...finalizersLeft].sort().map((f) => `${f} in ${remaining} resource instances`).join(', ')}`)
        : cond('NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'),
    ];
    const fresh = (await client.getOrUndefined(`/api/v1/namespaces/${name}`)) as KubeObject | undefined;
    if (!fresh) return;
    const prevConds: any[] = fresh.status?.conditions ?? [];
    const merged = conditions.map((c) => {
      const p = prevConds.find((x) => x.type === c.type);
      return p && p.status === c.status && p.reason === c.reason && p.message === c.message ? p : c;
    });
    if (JSON.stringify(prevConds) !== JSON.stringify(merged) || fresh.status?.phase !== 'Terminating') {
      try {
        await client.update(`/api/v1/namespaces/${name}/status`, { ...fresh, status: { phase: 'Terminating', conditions: merged } });
      } catch (e) {
        if (!isConflict(e) && !isNotFound(e)) throw e;
      }
    }
    if (remaining) {
      lifecycle.addAfter(name, 200);
      return;
    }
    const latest = (await client.getOrUndefined(`/api/v1/namespaces/${name}`)) as KubeObject | undefined;
    if (!latest) return;
    const finalizers = (latest.spec?.finalizers ?? []).filter((f: string) => f !== 'kubernetes');
    await client.update(`/api/v1/namespaces/${name}/finalize`, { ...latest, spec: { ...latest.spec, finalizers } });
  }

  return () => {
    lifecycle.stop();
    defaults.stop();
  };
}

const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

function cond(type: string, status: string, reason: string, message: string) {
  return { type, status, lastTransitionTime: nowIso(), reason, message };
}
