import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseClusterMode, parseFlinkVersion, toClusterSummary } from './cluster-summary';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(path.join(import.meta.dirname, 'cluster-summary.fixtures', name), 'utf8'));
}

describe('toClusterSummary', () => {
  it('summarises a ready 1.20 session cluster made by kubernetes-session.sh', () => {
    expect(toClusterSummary(fixture('session-1.20-ready.json'))).toEqual({
      key: 'flink/my-session',
      resourceVersion: '48213',
      uid: '6f1c3a52-9a0e-4f0b-a6a5-3b9d2f2f9e01',
      clusterId: 'my-session',
      namespace: 'flink',
      image: 'flink:1.20.1-scala_2.12-java17',
      flinkVersion: '1.20.1',
      mode: 'session',
      readyReplicas: 1,
      desiredReplicas: 1,
      health: 'ready',
      createdAt: '2026-11-29T10:00:00Z',
    });
  });

  it('reads the flink-main-container, not a sidecar, of an HA application cluster', () => {
    const s = toClusterSummary(fixture('application-2.0-ha-progressing.json'));
    expect(s).toMatchObject({ flinkVersion: '2.0.0', mode: 'application', readyReplicas: 1, desiredReplicas: 2 });
    expect(s.health).toBe('progressing');
  });

  it('says "custom" and unknown mode for an image and args it cannot read; replicas default to 1', () => {
    expect(toClusterSummary(fixture('custom-image-new.json'))).toMatchObject({
      flinkVersion: 'custom',
      mode: 'unknown',
      readyReplicas: 0,
      desiredReplicas: 1,
      health: 'not-ready',
    });
  });

  it('reports a scaled-down cluster as stopped', () => {
    const d = fixture('session-1.20-ready.json') as { spec: { replicas: number }; status: object };
    d.spec.replicas = 0;
    d.status = {};
    expect(toClusterSummary(d).health).toBe('stopped');
  });

  it('carries no managedFields or other raw parts', () => {
    expect(JSON.stringify(toClusterSummary(fixture('session-1.20-ready.json')))).not.toContain('managedFields');
  });
});

describe('parseFlinkVersion', () => {
  it.each([
    ['flink:1.20.1-scala_2.12-java17', '1.20.1'],
    ['flink:1.20', '1.20'],
    ['apache/flink:1.19.2-scala_2.12', '1.19.2'],
    ['flink:2.1.0-java21', '2.1.0'],
    ['localhost:5000/flink:1.20.0', '1.20.0'],
    ['flink:1.20.1@sha256:abc', '1.20.1'],
    ['flink', 'custom'],
    ['flink:latest', 'custom'],
    ['localhost:5000/flink', 'custom'],
    ['my/flink:20241101', 'custom'],
  ])('%s → %s', (image, version) => {
    expect(parseFlinkVersion(image)).toBe(version);
  });
});

describe('parseClusterMode', () => {
  it('reads the target of kubernetes-jobmanager.sh', () => {
    expect(parseClusterMode({ args: ['bash', '-c', 'kubernetes-jobmanager.sh kubernetes-session '] })).toBe('session');
    expect(parseClusterMode({ args: ['bash', '-c', 'kubernetes-jobmanager.sh kubernetes-application'] })).toBe(
      'application',
    );
    expect(parseClusterMode({ args: ['native-k8s', 'java ...'] })).toBe('unknown');
  });
});
