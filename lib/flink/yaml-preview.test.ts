import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { buildClusterObjects } from './build-cluster-objects';
import { clusterSpecSchema } from './cluster-spec-schema';
import { buildYamlPreview } from './yaml-preview';

describe('buildYamlPreview', () => {
  it('writes one YAML document per object, in creation order, that parses back to the objects', () => {
    const { deployment, dependents } = buildClusterObjects(clusterSpecSchema.parse({ clusterId: 'preview' }));
    const objects = [deployment, ...dependents];
    const text = buildYamlPreview(objects);
    const docs = parseAllDocuments(text).map((d) => d.toJS());
    expect(docs).toEqual(JSON.parse(JSON.stringify(objects)));
    expect(text.split('\n---\n')).toHaveLength(objects.length);
  });
  it('keeps multi-line ConfigMap data readable as block scalars', () => {
    const { dependents } = buildClusterObjects(clusterSpecSchema.parse({ clusterId: 'preview' }));
    expect(buildYamlPreview([dependents.at(-1)!])).toContain('config.yaml: |');
  });
});
