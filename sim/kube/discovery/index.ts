// STUB, to be replaced by the discovery helper: same exports, the captured shapes.
import { RESOURCES, groupVersion } from '../resources';

export function versionInfo(): any {
  return { major: '1', minor: '28', gitVersion: 'v1.28.0-sim', platform: 'linux/amd64' };
}
/** GET /api */
export function apiVersions(serverAddress: string): any {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}
/** GET /apis */
export function apiGroupList(): any {
  const groups = [...new Set(RESOURCES.filter((r) => r.group).map((r) => r.group))];
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((g) => ({ name: g, versions: [{ groupVersion: `${g}/v1`, version: 'v1' }], preferredVersion: { groupVersion: `${g}/v1`, version: 'v1' } })),
  };
}
/** GET /api/v1, /apis/<group>/<version>; undefined when not served. */
export function apiResourceList(gv: string): any | undefined {
  const rs = RESOURCES.filter((r) => groupVersion(r) === gv);
  if (!rs.length) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: rs.map((r) => ({ name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] })),
  };
}
/** GET /apis/<group> */
export function apiGroup(group: string): any | undefined {
  return apiGroupList().groups.find((g: any) => g.name === group);
}
