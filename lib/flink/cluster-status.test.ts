import { describe, expect, it } from 'vitest';
import { isClusterEvent, toConfigMapDto, toDeploymentDto, toEventDto, toPodDto, type ClusterObject } from './cluster-detail-objects';
import { deriveClusterStatus } from './cluster-status';

const ns = 'team-a';
const id = 'orders';

function deployment(conditions: unknown[] = [], status: Record<string, unknown> = {}) {
  return toDeploymentDto({
    metadata: { name: id, namespace: ns, resourceVersion: '10', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'flink-main-container', image: 'flink:1.20' }] } } },
    status: { conditions, ...status },
  });
}

function jmPod(containerStatus: Record<string, unknown> | undefined, extra: { phase?: string; conditions?: unknown[]; name?: string; deleting?: boolean } = {}) {
  return toPodDto({
    metadata: {
      name: extra.name ?? `${id}-5d9c7b8f4-abcde`,
      namespace: ns,
      resourceVersion: '11',
      creationTimestamp: '2026-01-01T00:00:01Z',
      labels: { app: id, component: 'jobmanager', type: 'flink-native-kubernetes' },
      ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:01:00Z' } : {}),
    },
    spec: { nodeName: 'sim-worker-1', containers: [{ name: 'flink-main-container', image: 'flink:1.20' }] },
    status: {
      phase: extra.phase ?? 'Pending',
      conditions: extra.conditions ?? [],
      containerStatuses: containerStatus ? [{ name: 'flink-main-container', restartCount: 0, ...containerStatus }] : undefined,
    },
  });
}

function warning(reason: string, message: string, kind: string, name: string, lastTimestamp = '2026-01-01T00:00:05Z') {
  return toEventDto({
    metadata: { name: `${name}.1`, namespace: ns, resourceVersion: '12' },
    type: 'Warning',
    reason,
    message,
    involvedObject: { kind, name },
    count: 1,
    lastTimestamp,
  });
}

describe('deriveClusterStatus', () => {
  it('is missing without a Deployment', () => {
    expect(deriveClusterStatus([]).phase).toBe('missing');
  });

  it('is starting while the JobManager pod is pending with no problem', () => {
    const status = deriveClusterStatus([deployment(), jmPod({ state: { waiting: { reason: 'ContainerCreating' } } })]);
    expect(status.phase).toBe('starting');
    expect(status.label).toBe('Starting (ContainerCreating)');
  });

  it('is running once the main container is ready', () => {
    const status = deriveClusterStatus([deployment(), jmPod({ ready: true, state: { running: { startedAt: 'x' } } }, { phase: 'Running' })]);
    expect(status).toMatchObject({ phase: 'running', label: 'Running', jobManager: { phase: 'Running', ready: true, nodeName: 'sim-worker-1' } });
  });

  it.each(['ErrImagePull', 'ImagePullBackOff', 'CreateContainerConfigError', 'CrashLoopBackOff'])(
    'a %s on the JobManager is failing, never starting',
    (reason) => {
      const status = deriveClusterStatus([
        deployment(),
        jmPod({ state: { waiting: { reason, message: `details of ${reason}` } } }),
      ]);
      expect(status.phase).toBe('failing');
      expect(status.label).toBe(reason);
      expect(status.problems[0]).toEqual({ reason, message: `details of ${reason}`, source: `Pod ${id}-5d9c7b8f4-abcde` });
      expect(status.jobManager?.waitingReason).toBe(reason);
    },
  );

  it('a ReplicaFailure condition (no pod can be created) is failing', () => {
    const status = deriveClusterStatus([
      deployment([{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "orders-x" is forbidden: error looking up service account team-a/flink' }]),
    ]);
    expect(status.phase).toBe('failing');
    expect(status.label).toBe('FailedCreate');
    expect(status.problems[0].message).toContain('error looking up service account');
  });

  it('Warning events explain a pending JobManager (FailedScheduling)', () => {
    const pod = jmPod(undefined, { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' }] });
    const status = deriveClusterStatus([
      deployment(),
      pod,
      warning('FailedScheduling', '0/3 nodes are available: 3 node(s) didn\'t match Pod\'s node affinity/selector.', 'Pod', pod.name),
    ]);
    expect(status.phase).toBe('failing');
    expect(status.label).toBe('FailedScheduling');
    expect(status.jobManager?.waitingReason).toBe('Unschedulable');
  });

  it('ignores Warning events of an older JobManager pod and Normal events', () => {
    const status = deriveClusterStatus([
      deployment(),
      jmPod({ state: { waiting: { reason: 'ContainerCreating' } } }),
      warning('FailedMount', 'old', 'Pod', `${id}-5d9c7b8f4-zzzzz`),
      { ...warning('Pulled', 'ok', 'Pod', `${id}-5d9c7b8f4-abcde`), type: 'Normal' },
    ]);
    expect(status.phase).toBe('starting');
    expect(status.problems).toEqual([]);
  });

  it('a FailedMount for a ConfigMap that exists now is stale and not shown', () => {
    const mount = `MountVolume.SetUp failed for volume "flink-config-volume" : configmap "flink-config-${id}" not found`;
    const pod = `${id}-5d9c7b8f4-abcde`;
    const waiting = jmPod({ state: { waiting: { reason: 'ContainerCreating' } } });
    const withConfigMap = deriveClusterStatus([
      deployment(),
      waiting,
      toConfigMapDto({ metadata: { name: `flink-config-${id}`, namespace: ns, resourceVersion: '13' }, data: { 'config.yaml': '' } }),
      warning('FailedMount', mount, 'Pod', pod),
    ]);
    expect(withConfigMap.problems).toEqual([]);
    const without = deriveClusterStatus([deployment(), waiting, warning('FailedMount', mount, 'Pod', pod)]);
    expect(without.problems.map((p) => p.reason)).toEqual(['FailedMount']);
  });

  it('old warnings do not spoil a running cluster', () => {
    const status = deriveClusterStatus([
      deployment(),
      jmPod({ ready: true, state: { running: {} } }, { phase: 'Running' }),
      warning('BackOff', 'Back-off pulling image', 'Pod', `${id}-5d9c7b8f4-abcde`),
    ]);
    expect(status.phase).toBe('running');
  });

  it('prefers a ready JobManager pod over a terminating one', () => {
    const objects: ClusterObject[] = [
      deployment(),
      jmPod({ state: { waiting: { reason: 'ImagePullBackOff' } } }, { name: `${id}-old-aaaaa`, deleting: true }),
      jmPod({ ready: true, state: { running: {} } }, { phase: 'Running' }),
    ];
    expect(deriveClusterStatus(objects).phase).toBe('running');
  });

  it('a container that exited non-zero is failing', () => {
    const status = deriveClusterStatus([deployment(), jmPod({ state: { terminated: { exitCode: 1, reason: 'Error' } } }, { phase: 'Running' })]);
    expect(status).toMatchObject({ phase: 'failing', label: 'Error' });
  });
});

describe('isClusterEvent', () => {
  const ev = (kind: string, name: string) => ({ involvedObject: { kind, name } });
  it('matches the Deployment, its ReplicaSets, JobManager and TaskManager pods', () => {
    expect(isClusterEvent(ev('Deployment', id), id)).toBe(true);
    expect(isClusterEvent(ev('ReplicaSet', `${id}-5d9c7b8f4`), id)).toBe(true);
    expect(isClusterEvent(ev('Pod', `${id}-5d9c7b8f4-abcde`), id)).toBe(true);
    expect(isClusterEvent(ev('Pod', `${id}-taskmanager-1-2`), id)).toBe(true);
  });
  it('does not match another cluster or other kinds', () => {
    expect(isClusterEvent(ev('Deployment', `${id}-2`), id)).toBe(false);
    expect(isClusterEvent(ev('Pod', `${id}-2-taskmanager-1-1`), id)).toBe(false);
    expect(isClusterEvent(ev('ConfigMap', id), id)).toBe(false);
  });
});
