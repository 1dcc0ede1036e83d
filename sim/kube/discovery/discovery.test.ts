import { describe, expect, it } from 'vitest';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './index';
import { RESOURCES, groupVersion } from '../resources';
import { readSpecJson } from '../openapi/specs-dir';

const cap = (f: string) => readSpecJson(`captured/${f}`);

describe('discovery', () => {
  it('version is the captured one with the -sim suffix', () => {
    expect(versionInfo()).toEqual({ ...cap('discovery_version.json'), gitVersion: 'v1.28.0-sim' });
  });

  it('/api has the captured shape', () => {
    expect(apiVersions('127.0.0.1:6443')).toEqual(cap('discovery_api.json'));
  });

  it('/apis lists exactly the served groups, in captured order and shape', () => {
    const list = apiGroupList();
    const served = new Set(RESOURCES.filter((r) => r.group).map((r) => r.group));
    expect(Object.keys(list)).toEqual(Object.keys(cap('discovery_apis.json')));
    expect(new Set(list.groups.map((g: any) => g.name))).toEqual(served);
    const capturedOrder = cap('discovery_apis.json').groups.map((g: any) => g.name).filter((n: string) => served.has(n));
    expect(list.groups.map((g: any) => g.name)).toEqual(capturedOrder);
    for (const g of list.groups) expect(g).toEqual(cap('discovery_apis.json').groups.find((c: any) => c.name === g.name));
    expect(apiGroup('apps')).toEqual({ kind: 'APIGroup', apiVersion: 'v1', ...list.groups.find((g: any) => g.name === 'apps') });
    expect(apiGroup('batch')).toBeUndefined();
  });

  it('resource lists take entries from the captures, filtered to what is served', () => {
    const gvs = [...new Set(RESOURCES.map(groupVersion))];
    for (const gv of gvs) {
      const file = gv === 'v1' ? 'discovery_api_v1.json' : `discovery_apis_${gv.replace('/', '_')}.json`;
      const c = cap(file);
      const list = apiResourceList(gv);
      expect(Object.keys(list)).toEqual(Object.keys(c));
      const expected = new Set(RESOURCES.filter((r) => groupVersion(r) === gv).flatMap((r) => [r.plural, ...r.subresources.map((s) => `${r.plural}/${s}`)]));
      expect(new Set(list.resources.map((r: any) => r.name))).toEqual(expected);
      for (const r of list.resources) expect(r).toEqual(c.resources.find((x: any) => x.name === r.name));
    }
    expect(apiResourceList('batch/v1')).toBeUndefined();
    const pods = apiResourceList('v1').resources.find((r: any) => r.name === 'pods');
    expect(pods).toMatchObject({ shortNames: ['po'], categories: ['all'], storageVersionHash: 'xPOwRZ+Yhw8=' });
  });
});
