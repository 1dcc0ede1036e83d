import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterListIndex } from './flink-clusters-index';
import { slimConfigMap, slimDeployment, slimPod } from './informer-transforms';

const deployment = slimDeployment(
  JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'flink', 'cluster-summary.fixtures', 'session-1.20-ready.json'), 'utf8')),
);
// flink/my-session, ready 1/1.
const labels = (component?: string) => ({ app: 'my-session', type: 'flink-native-kubernetes', ...(component ? { component } : {}) });
const pod = (name: string, component: string, ip: string, rv = '1', extra: Record<string, unknown> = {}) =>
  slimPod({
    metadata: { name, namespace: 'flink', resourceVersion: rv, labels: labels(component) },
    status: { phase: 'Running', podIP: ip, containerStatuses: [{ name: 'flink-main-container', ready: true, restartCount: 0, state: { running: {} } }], ...extra },
  });

describe('ClusterListIndex', () => {
  it('joins a Deployment with its pods and ConfigMaps into one row, and recomputes only the changed row', () => {
    const index = new ClusterListIndex();
    index.resetDeployments([deployment]);
    index.resetPods([pod('my-session-abc', 'jobmanager', '10.0.0.5'), pod('my-session-taskmanager-1-1', 'taskmanager', '10.0.0.6')]);
    index.resetConfigMaps([
      slimConfigMap({ metadata: { name: 'flink-config-my-session', namespace: 'flink', labels: labels() }, data: { 'config.yaml': 'high-availability.type: kubernetes\n' } }),
      slimConfigMap({
        metadata: { name: 'my-session-cluster-config-map', namespace: 'flink', labels: labels() },
        data: { 'org.apache.flink.k8s.leader.restserver': 'sid,http://10.0.0.5:8081' },
      }),
    ]);
    const [row] = index.list();
    expect(row).toMatchObject({ key: 'flink/my-session', status: 'Running', taskManagers: 1, ha: 'on', haLeader: 'my-session-abc' });

    // A pod of another cluster changes nothing here.
    expect(index.upsertPod(slimPod({ metadata: { name: 'x', namespace: 'flink', labels: { app: 'other' } }, status: {} }))).toEqual([]);

    // A TaskManager in ImagePullBackOff makes the row Degraded, with a new version.
    const changes = index.upsertPod(
      pod('my-session-taskmanager-1-2', 'taskmanager', '', '2', {
        phase: 'Pending',
        containerStatuses: [{ name: 'flink-main-container', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }],
      }),
    );
    expect(changes).toHaveLength(1);
    const next = changes[0].type === 'upsert' ? changes[0].row : undefined;
    expect(next).toMatchObject({ status: 'Degraded', statusReason: 'TaskManager my-session-taskmanager-1-2: ImagePullBackOff', taskManagers: 2 });
    expect(next?.resourceVersion).not.toBe(row.resourceVersion);
    // The same pod again: no change, no event.
    expect(index.upsertPod(pod('my-session-taskmanager-1-2', 'taskmanager', '', '2', { phase: 'Pending', containerStatuses: [{ name: 'flink-main-container', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }] }))).toEqual([]);

    // HA off when flink-config says so; no leader once the entry is gone.
    index.upsertConfigMap(slimConfigMap({ metadata: { name: 'flink-config-my-session', namespace: 'flink', labels: labels() }, data: { 'config.yaml': 'a: b\n' } }));
    index.deleteConfigMap(slimConfigMap({ metadata: { name: 'my-session-cluster-config-map', namespace: 'flink', labels: labels() } }));
    expect(index.list()[0]).toMatchObject({ ha: 'off' });
    expect(index.list()[0].haLeader).toBeUndefined();

    expect(index.deleteDeployment(deployment)).toEqual([{ type: 'delete', key: 'flink/my-session' }]);
    expect(index.list()).toEqual([]);
  });

  it('says HA unknown before flink-config-<id> is seen', () => {
    const index = new ClusterListIndex();
    index.resetDeployments([deployment]);
    expect(index.list()[0]).toMatchObject({ ha: 'unknown', taskManagers: 0, status: 'Running' });
  });

  it('builds the same rows from all three caches at once (resetAll) as from one reset after the other', () => {
    const pods = [pod('my-session-abc', 'jobmanager', '10.0.0.5'), pod('my-session-taskmanager-1-1', 'taskmanager', '10.0.0.6')];
    const configMaps = [
      slimConfigMap({ metadata: { name: 'flink-config-my-session', namespace: 'flink', labels: labels() }, data: { 'config.yaml': 'high-availability.type: kubernetes\n' } }),
      slimConfigMap({ metadata: { name: 'my-session-cluster-config-map', namespace: 'flink', labels: labels() }, data: { 'org.apache.flink.k8s.leader.restserver': 'sid,http://10.0.0.5:8081' } }),
    ];
    const oneByOne = new ClusterListIndex();
    oneByOne.resetDeployments([deployment]);
    oneByOne.resetPods(pods);
    oneByOne.resetConfigMaps(configMaps);
    const atOnce = new ClusterListIndex();
    atOnce.upsertPod(pod('gone', 'taskmanager', ''));
    atOnce.resetAll([deployment], pods, configMaps);
    expect(atOnce.list()).toEqual(oneByOne.list());
    expect(atOnce.list()[0]).toMatchObject({ taskManagers: 1, ha: 'on', haLeader: 'my-session-abc' });
  });
});
