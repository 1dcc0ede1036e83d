import { describe, expect, it } from 'vitest';
import captured from './pod-status.fixtures/pod-created-by-replicaset.json';
import { toPodDto } from './cluster-detail-objects';
import { derivePodStatus } from './pod-status';

// A real pod (as the API server returned it) with the status a scheduler and a kubelet would write on top.
type Status = Record<string, unknown>;
const uid = captured.metadata.uid;
const container = captured.spec.containers[0].name; // "flink"
const image = captured.spec.containers[0].image;

function pod(status: Status, metadata: Record<string, unknown> = {}) {
  return toPodDto({ ...captured, metadata: { ...captured.metadata, ...metadata }, spec: { ...captured.spec, nodeName: 'node-1' }, status });
}

const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-29T19:25:20Z' };
const notReady = { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${container}]` };

function containerStatus(fields: Record<string, unknown>) {
  return { name: container, image, imageID: '', started: false, ready: false, restartCount: 0, ...fields };
}

describe('derivePodStatus', () => {
  it('the captured pod, fresh from the ReplicaSet controller (no scheduler yet), is Pending', () => {
    const dto = toPodDto(captured);
    expect(derivePodStatus(dto)).toEqual({ status: 'Pending', tone: 'amber', ready: 0, total: 1, restarts: 0, lastTermination: undefined });
  });

  it('Running and ready', () => {
    const view = derivePodStatus(
      pod({
        phase: 'Running',
        podIP: '10.244.1.7',
        conditions: [scheduled, { type: 'Ready', status: 'True' }],
        containerStatuses: [
          containerStatus({ ready: true, started: true, containerID: 'containerd://a', state: { running: { startedAt: '2026-11-29T19:25:30Z' } } }),
        ],
      }),
    );
    expect(view).toMatchObject({ status: 'Running', tone: 'green', ready: 1, total: 1, restarts: 0 });
    expect(view.lastTermination).toBeUndefined();
  });

  it('CrashLoopBackOff: the waiting reason with the kubelet message, and the last termination (Error, exit code 1)', () => {
    const view = derivePodStatus(
      pod({
        phase: 'Running',
        conditions: [scheduled, notReady],
        containerStatuses: [
          containerStatus({
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 1m20s restarting failed container=${container} pod=web2-57f7fdcf8-r4csv_cap(${uid})` } },
            lastState: {
              terminated: { exitCode: 1, reason: 'Error', startedAt: '2026-11-29T19:27:01Z', finishedAt: '2026-11-29T19:27:03Z', containerID: 'containerd://b' },
            },
          }),
        ],
      }),
    );
    expect(view).toMatchObject({ status: 'CrashLoopBackOff', tone: 'red', ready: 0, restarts: 4 });
    expect(view.detail).toContain('back-off 1m20s restarting failed container=flink');
    expect(view.lastTermination).toEqual({ container, reason: 'Error', exitCode: 1, finishedAt: '2026-11-29T19:27:03Z' });
  });

  it('ImagePullBackOff: Pending with the pull back-off message; no termination yet', () => {
    const view = derivePodStatus(
      pod({
        phase: 'Pending',
        conditions: [scheduled, notReady],
        containerStatuses: [containerStatus({ image: 'flink:1.20.99', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "flink:1.20.99"' } } })],
      }),
    );
    expect(view).toMatchObject({ status: 'ImagePullBackOff', tone: 'red', detail: 'Back-off pulling image "flink:1.20.99"', restarts: 0 });
    expect(view.lastTermination).toBeUndefined();
  });

  it('unschedulable: Pending, named by the PodScheduled condition with the scheduler message', () => {
    const message = '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..';
    const dto = toPodDto({
      ...captured,
      status: {
        phase: 'Pending',
        qosClass: 'Burstable',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: '2026-11-29T19:25:20Z' }],
      },
    });
    expect(derivePodStatus(dto)).toMatchObject({ status: 'Unschedulable', tone: 'red', detail: message, ready: 0, total: 1 });
  });

  it('OOMKilled and restarted: Running again, the last termination says OOMKilled with exit code 137', () => {
    const view = derivePodStatus(
      pod({
        phase: 'Running',
        conditions: [scheduled, { type: 'Ready', status: 'True' }],
        containerStatuses: [
          containerStatus({
            ready: true,
            started: true,
            restartCount: 1,
            state: { running: { startedAt: '2026-11-29T19:31:00Z' } },
            lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: '2026-11-29T19:25:30Z', finishedAt: '2026-11-29T19:30:59Z' } },
          }),
        ],
      }),
    );
    expect(view).toMatchObject({ status: 'Running', tone: 'green', restarts: 1 });
    expect(view.lastTermination).toEqual({ container, reason: 'OOMKilled', exitCode: 137, finishedAt: '2026-11-29T19:30:59Z' });
  });

  it('OOMKilled right now (terminated, not yet restarted) is the headline', () => {
    const view = derivePodStatus(
      pod({
        phase: 'Running',
        conditions: [scheduled, notReady],
        containerStatuses: [containerStatus({ state: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: '2026-11-29T19:30:59Z' } } })],
      }),
    );
    expect(view).toMatchObject({ status: 'OOMKilled', tone: 'red' });
  });

  it('a container that exited non-zero without a reason shows its exit code', () => {
    const view = derivePodStatus(pod({ phase: 'Failed', containerStatuses: [containerStatus({ state: { terminated: { exitCode: 2 } } })] }));
    expect(view).toMatchObject({ status: 'ExitCode:2', tone: 'red' });
  });

  it('an evicted pod shows the pod reason', () => {
    const view = derivePodStatus(pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }));
    expect(view).toMatchObject({ status: 'Evicted', tone: 'red' });
  });

  it('a pod being deleted is Terminating whatever its containers say', () => {
    const view = derivePodStatus(
      pod(
        { phase: 'Running', containerStatuses: [containerStatus({ ready: true, state: { running: {} } })] },
        { deletionTimestamp: '2026-11-29T19:40:00Z', deletionGracePeriodSeconds: 30 },
      ),
    );
    expect(view).toMatchObject({ status: 'Terminating', tone: 'gray', ready: 1 });
  });

  it('ContainerCreating is a normal wait (amber), not a failure', () => {
    const view = derivePodStatus(pod({ phase: 'Pending', conditions: [scheduled], containerStatuses: [containerStatus({ state: { waiting: { reason: 'ContainerCreating' } } })] }));
    expect(view).toMatchObject({ status: 'ContainerCreating', tone: 'amber' });
  });
});
