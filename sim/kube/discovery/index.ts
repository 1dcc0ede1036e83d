// Discovery documents in the shapes of a real v1.28 kube-apiserver (captured/discovery_*.json), listing
// only the groups, resources and subresources this simulator implements (RESOURCES). Verbs, shortNames,
// categories, singularName and storageVersionHash come from the captures.
import { RESOURCES, groupVersion } from '../resources';
import { discoveryCaptureFile, readCaptured } from '../openapi/specs-dir';

interface CapturedResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

let capturedLists: Map<string, CapturedResource[]> | undefined;
function captured(gv: string): CapturedResource[] {
  capturedLists ??= new Map();
  let list = capturedLists.get(gv);
  if (!list) {
    list = (readCaptured(discoveryCaptureFile(gv)).resources ?? []) as CapturedResource[];
    capturedLists.set(gv, list);
  }
  return list;
}

function servedNames(gv: string): Set<string> {
  const names = new Set<string>();
  for (const r of RESOURCES) {
    if (groupVersion(r) !== gv) continue;
    names.add(r.plural);
    for (const s of r.subresources) names.add(`${r.plural}/${s}`);
  }
  return names;
}

export function versionInfo(): any {
  return { ...readCaptured('discovery_version.json'), gitVersion: 'v1.28.0-sim' };
}

/** GET /api */
export function apiVersions(serverAddress: string): any {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

/** GET /apis */
export function apiGroupList(): any {
  const served = new Set(RESOURCES.filter((r) => r.group).map((r) => groupVersion(r)));
  const all = readCaptured('discovery_apis.json');
  const groups = (all.groups as any[])
    .map((g) => {
      const versions = (g.versions as any[]).filter((v) => served.has(v.groupVersion));
      if (!versions.length) return undefined;
      const preferred = versions.some((v) => v.groupVersion === g.preferredVersion.groupVersion) ? g.preferredVersion : versions[0];
      return { name: g.name, versions, preferredVersion: preferred };
    })
    .filter(Boolean);
  // Groups the simulator serves but the capture lacks (none today) still get listed.
  for (const gv of served) {
    const [name, version] = gv.split('/');
    if (!groups.some((g: any) => g.name === name)) {
      const v = { groupVersion: gv, version };
      groups.push({ name, versions: [v], preferredVersion: v });
    }
  }
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** GET /api/v1, /apis/<group>/<version>; undefined when not served. */
export function apiResourceList(gv: string): any | undefined {
  const names = servedNames(gv);
  if (!names.size) return undefined;
  const caps = captured(gv);
  const resources: CapturedResource[] = [];
  for (const c of caps) if (names.has(c.name)) resources.push(structuredClone(c));
  // Anything served that the capture lacks, in the same shape.
  for (const r of RESOURCES) {
    if (groupVersion(r) !== gv) continue;
    if (!caps.some((c) => c.name === r.plural)) {
      resources.push({ name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] });
    }
  }
  resources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return gv === 'v1' ? { kind: 'APIResourceList', groupVersion: gv, resources } : { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources };
}

/** GET /apis/<group> */
export function apiGroup(group: string): any | undefined {
  const g = apiGroupList().groups.find((x: any) => x.name === group);
  return g && { kind: 'APIGroup', apiVersion: 'v1', ...g };
}

// ---------------------------------------------------------------------------------------------
// Aggregated discovery (apidiscovery.k8s.io/v2beta1, served by v1.28 on /api and /apis when the client
// asks for it): the same resources in one document per root.

/** The Content-Type of an aggregated discovery response. */
export const AGGREGATED_DISCOVERY_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

function versionDiscovery(gv: string): any {
  const list = apiResourceList(gv);
  const version = gv.includes('/') ? gv.split('/')[1] : gv;
  const resources: any[] = [];
  for (const r of list.resources as CapturedResource[]) {
    if (r.name.includes('/')) continue;
    const entry: any = {
      resource: r.name,
      responseKind: { group: '', version: '', kind: r.kind },
      scope: r.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: r.singularName,
      verbs: r.verbs,
    };
    if (r.shortNames) entry.shortNames = r.shortNames;
    if (r.categories) entry.categories = r.categories;
    const subs = (list.resources as CapturedResource[]).filter((s) => s.name.startsWith(`${r.name}/`));
    if (subs.length) {
      entry.subresources = subs.map((s) => ({
        subresource: s.name.slice(r.name.length + 1),
        responseKind: { group: s.group ?? '', version: s.version ?? '', kind: s.kind },
        verbs: s.verbs,
      }));
    }
    resources.push(entry);
  }
  return { version, resources, freshness: 'Current' };
}

/** GET /api or /apis with Accept: application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList. */
export function aggregatedDiscovery(root: '/api' | '/apis'): any {
  const items =
    root === '/api'
      ? [{ metadata: { creationTimestamp: null }, versions: [versionDiscovery('v1')] }]
      : (apiGroupList().groups as any[]).map((g) => ({
          metadata: { name: g.name, creationTimestamp: null },
          versions: (g.versions as any[]).map((v) => versionDiscovery(v.groupVersion)),
        }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2beta1', metadata: {}, items };
}
