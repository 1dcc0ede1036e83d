import { describe, expect, it } from 'vitest';
import { clusterSpecSchema } from './cluster-spec-schema';
import { exampleJarsFor } from './example-jars';
import { FLINK_VERSIONS } from './flink-versions';

describe('exampleJarsFor', () => {
  it('offers the streaming examples of the image for every version, and the batch WordCount only before 2.0', () => {
    for (const version of FLINK_VERSIONS) {
      const uris = exampleJarsFor(version).map((j) => j.uri);
      expect(uris).toContain('local:///opt/flink/examples/streaming/StateMachineExample.jar');
      expect(uris).toContain('local:///opt/flink/examples/streaming/TopSpeedWindowing.jar');
      expect(uris.includes('local:///opt/flink/examples/batch/WordCount.jar')).toBe(version.startsWith('1.'));
    }
  });
  it('gives URIs the form accepts as the jar of an application cluster', () => {
    for (const version of FLINK_VERSIONS) {
      for (const jar of exampleJarsFor(version)) {
        const parsed = clusterSpecSchema.safeParse({ clusterId: 'app', mode: 'application', flinkVersion: version, application: { jarUri: jar.uri } });
        expect(parsed.success, jar.uri).toBe(true);
      }
    }
  });
});
