import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { definitionFor, validateAgainstOpenApi, validateDefinition } from './validate';
import { k8sSpecsDir } from './specs-dir';

const dir = path.join(k8sSpecsDir(), 'captured');
const load = (f: string) => {
  const j = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
  return j && 'httpStatus' in j ? j.body : j;
};

describe('validateAgainstOpenApi', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('discovery_') && !f.startsWith('table-'));
  it('finds the captures', () => expect(files.length).toBeGreaterThan(30));
  for (const f of files) {
    it(`accepts captured ${f}`, () => {
      const body = load(f);
      for (const obj of Array.isArray(body) ? body : [body]) expect(validateAgainstOpenApi(obj)).toEqual([]);
    });
  }

  it('accepts the objects of a captured watch stream', () => {
    const lines = readFileSync(path.join(dir, 'watch-stream.jsonl'), 'utf8').split('\n').filter(Boolean);
    for (const l of lines) expect(validateAgainstOpenApi(JSON.parse(l).object)).toEqual([]);
  });

  it('rejects a malformed pod with one error per problem', () => {
    const pod = structuredClone(load('pod-created-by-replicaset.json'));
    pod.spec.containers[0].ports = [{ containerPort: 'http' }];
    delete pod.spec.containers[0].name;
    pod.spec.replicas = 3;
    pod.metadata.labels = { ...pod.metadata.labels, x: 5 };
    expect(validateAgainstOpenApi(pod).sort()).toEqual(
      ['/metadata/labels/x: must be string', '/spec: unknown field "replicas"', '/spec/containers/0: missing required field "name"', '/spec/containers/0/ports/0/containerPort: must be integer'].sort(),
    );
    expect(validateAgainstOpenApi(pod, { strict: false })).not.toContain('/spec: unknown field "replicas"');
  });

  it('accepts both forms of IntOrString and Quantity, and null times', () => {
    const dep = structuredClone(load('deployment-after-rollout.json'));
    dep.spec.strategy.rollingUpdate = { maxSurge: 1, maxUnavailable: '25%' };
    dep.spec.template.spec.containers[0].resources = { limits: { cpu: 1, memory: '1Gi' } };
    dep.spec.template.metadata.creationTimestamp = null;
    expect(validateAgainstOpenApi(dep)).toEqual([]);
    dep.spec.strategy.rollingUpdate.maxSurge = true;
    expect(validateAgainstOpenApi(dep)).toEqual(['/spec/strategy/rollingUpdate/maxSurge: must match a schema in anyOf']);
  });

  it('knows List kinds and refuses unknown kinds', () => {
    expect(definitionFor('v1', 'PodList')).toBe('io.k8s.api.core.v1.PodList');
    expect(definitionFor('apps/v1', 'Deployment')).toBe('io.k8s.api.apps.v1.Deployment');
    expect(validateAgainstOpenApi({ apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '1' }, items: [load('pod-created-by-replicaset.json')] })).toEqual([]);
    expect(validateAgainstOpenApi({ apiVersion: 'v1', kind: 'PodList', metadata: {}, items: [{ spec: { containers: 'x' } }] })).toEqual(['/items/0/spec/containers: must be array']);
    expect(validateAgainstOpenApi({ apiVersion: 'example.com/v1', kind: 'Widget' })).toEqual(['/: no OpenAPI schema for apiVersion "example.com/v1" kind "Widget"']);
    expect(validateAgainstOpenApi(null)).toEqual(['/: must be an object']);
    expect(validateDefinition('io.k8s.api.core.v1.Container', { name: 'c', image: 'x' })).toEqual([]);
  });
});
