import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listConfigMapTransform, listDeploymentTransform, listPodTransform, slimConfigMap, slimDeployment, slimPod } from './informer-transforms';
import { toClusterSummary } from '@/lib/flink/cluster-summary';

const fixture = (dir: string, name: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'flink', dir, name), 'utf8'));

describe('the cluster list informers’ transforms', () => {
  it('keep of a pod only name, namespace, the labels read, owner uids, phase, podIP, nodeName and container states', () => {
    const pod = fixture('cluster-list-status.fixtures', 'taskmanager-oomkilled.json').pods[1];
    pod.metadata.labels['pod-template-hash'] = '6d9f7c'; // a label the list does not read
    expect(slimPod(pod)).toEqual({
      metadata: {
        name: 'wordcount-taskmanager-1-1',
        namespace: 'flink',
        uid: 'uid-wordcount-taskmanager-1-1',
        resourceVersion: '100',
        creationTimestamp: '2026-12-01T10:00:00Z',
        labels: { app: 'wordcount', component: 'taskmanager', type: 'flink-native-kubernetes' },
        ownerReferences: [{ uid: 'owner-uid' }],
      },
      spec: { nodeName: 'node-1' },
      status: {
        phase: 'Running',
        podIP: '10.244.0.6',
        conditions: [
          { type: 'PodScheduled', status: 'True', reason: undefined },
          { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
        ],
        containerStatuses: [
          {
            name: 'flink-main-container',
            ready: false,
            restartCount: 1,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
          },
        ],
      },
    });
    const text = JSON.stringify(slimPod(pod));
    // env values, managedFields, annotations and images are gone.
    for (const gone of ['s3cr3t', 'managedFields', 'kubernetes.io/psp', 'flink:1.20.1', 'pod-template-hash']) expect(text).not.toContain(gone);
    expect(text.length).toBeLessThan(JSON.stringify(pod).length / 2);
  });

  it('keep of a JobManager Deployment what its row reads: the row is the same as from the whole object', () => {
    for (const name of ['session-1.20-ready.json', 'application-2.0-ha-progressing.json', 'custom-image-new.json']) {
      const whole = fixture('cluster-summary.fixtures', name);
      expect(toClusterSummary(slimDeployment(whole))).toEqual(toClusterSummary(whole));
    }
  });

  it('reduce flink-config-<id> to HA on/off and the HA ConfigMap to its REST leader entry', () => {
    const labels = { app: 'wc', type: 'flink-native-kubernetes' };
    const config = (text: string) =>
      slimConfigMap({ metadata: { name: 'flink-config-wc', namespace: 'n', resourceVersion: '1', labels }, data: { 'config.yaml': text, 'log4j-console.properties': 'x'.repeat(5000) } });
    expect(config('high-availability:\n  type: kubernetes\n  storageDir: s3://b/ha\n')).toMatchObject({ haEnabled: true });
    expect(config('jobmanager.memory.process.size: 1600m\n')).toMatchObject({ haEnabled: false });
    expect(JSON.stringify(config('a: b\n'))).not.toContain('log4j');
    const ha = slimConfigMap({
      metadata: { name: 'wc-cluster-config-map', namespace: 'n', resourceVersion: '2', labels: { ...labels, 'configmap-type': 'high-availability' }, annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } },
      data: { 'org.apache.flink.k8s.leader.restserver': 'sid,http://10.1.2.3:8081', 'checkpointID-0000000000000000042': 'rO0ABXNy'.repeat(200) },
    });
    expect(ha).toEqual({
      metadata: { name: 'wc-cluster-config-map', namespace: 'n', uid: '', resourceVersion: '2', labels: { ...labels, 'configmap-type': 'high-availability' } },
      restLeader: 'sid,http://10.1.2.3:8081',
    });
    // Flink 1.12–1.14: <id>-restserver-leader with address and sessionId keys.
    expect(
      slimConfigMap({ metadata: { name: 'wc-restserver-leader', namespace: 'n', labels }, data: { address: 'http://10.1.2.4:8081', sessionId: 's' } }).restLeader,
    ).toBe('s,http://10.1.2.4:8081');
  });

  it('have distinct names (the name is part of the informer key)', () => {
    const names = [listPodTransform, listDeploymentTransform, listConfigMapTransform].map((t) => t.name);
    expect(new Set(names).size).toBe(3);
  });
});
