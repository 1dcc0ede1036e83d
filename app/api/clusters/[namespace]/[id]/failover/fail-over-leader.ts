import 'server-only';
import { hostname } from 'node:os';
import { ApiError } from '@/lib/api/api-error';
import type { PodDto } from '@/lib/flink/cluster-detail-objects';
import { toPodDto } from '@/lib/flink/cluster-detail-objects';
import { deriveHaState, type HaState } from '@/lib/flink/ha/derive-ha-state';
import { timelineEvent, type TimelineFact } from '@/lib/flink/ha/failover-timeline';
import { findLeaderPod } from '@/lib/flink/ha/derive-leadership';
import { clusterConfigMapName } from '@/lib/flink/ha/ha-keys';
import { readHaConfigMap } from '@/lib/flink/ha/read-ha-config-map';
import { auditActor, postAuditEvent, toAuditEvent } from '@/lib/audit/audit';
import { logger } from '@/lib/log';
import { callK8s, hasStatus } from '@/lib/k8s/clusters/k8s-call';
import { toK8sApiError } from '@/lib/k8s/errors';
import { followFailover } from '@/lib/k8s/ha-timeline-recorder';
import type { Connection } from '@/lib/k8s/kubeconfig';

export type FailoverPermission = { allowed: boolean; reason?: string };

/** Whether the dashboard's identity may delete pods here (a SelfSubjectAccessReview). */
export async function reviewPodDelete(conn: Connection, namespace: string): Promise<FailoverPermission> {
  let review: { status?: { allowed?: boolean; reason?: string } };
  try {
    review = (await callK8s(conn, {
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { namespace, verb: 'delete', group: '', resource: 'pods' } },
      },
    })) as typeof review;
  } catch (err) {
    throw toK8sApiError(err, { verb: 'create', resource: 'selfsubjectaccessreviews', server: conn.server });
  }
  if (review.status?.allowed === true) return { allowed: true };
  return { allowed: false, reason: `You may not delete pods in namespace ${namespace}, and Test failover deletes the leader JobManager pod.` };
}

async function readLeaderPod(conn: Connection, namespace: string, clusterId: string): Promise<{ pod: PodDto & { uid?: string }; state: HaState }> {
  const ns = encodeURIComponent(namespace);
  const [cm, podList] = await Promise.all([
    callK8s(conn, { method: 'GET', path: `/api/v1/namespaces/${ns}/configmaps/${encodeURIComponent(clusterConfigMapName(clusterId))}` }).catch((err: unknown) => {
      if (hasStatus(err, 404)) return undefined;
      throw toK8sApiError(err, { verb: 'get', resource: 'configmaps', namespace, server: conn.server });
    }),
    callK8s(conn, {
      method: 'GET',
      path: `/api/v1/namespaces/${ns}/pods`,
      query: { labelSelector: `app=${clusterId},component=jobmanager,type=flink-native-kubernetes` },
    }).catch((err: unknown) => {
      throw toK8sApiError(err, { verb: 'list', resource: 'pods', namespace, server: conn.server });
    }),
  ]);
  const record = cm ? readHaConfigMap(cm, clusterId) : undefined;
  if (!record) throw new ApiError('conflict', `Cluster ${clusterId} has no ${clusterConfigMapName(clusterId)}: it does not run with Kubernetes HA, or no JobManager has been elected yet, so there is no leader to fail over.`);
  const state = deriveHaState([record]);
  if (state.election.state !== 'held') {
    throw new ApiError('conflict', 'No JobManager leads right now (the lock is released or unreadable): there is no leader to fail over.');
  }
  const raw = (podList as { items?: { metadata?: { name?: string; uid?: string } }[] } | undefined)?.items ?? [];
  const { address, pod } = findLeaderPod(state, raw.map(toPodDto));
  if (!pod) throw new ApiError('conflict', address ? `The leader address ${address} matches no JobManager pod, so there is no pod to delete.` : 'The leader has not published its address yet; try again in a few seconds.');
  if (pod.deleting) throw new ApiError('conflict', `The leader pod ${pod.name} is already being deleted; a failover is under way.`);
  return { pod: { ...pod, uid: raw.find((p) => p.metadata?.name === pod.name)?.metadata?.uid }, state };
}

/**
 * Records the failover as an Event on the Deployment (the timeline's TestFailover, named after the
 * deleted pod's uid), so the cluster page of every dashboard replica (and kubectl) shows it after any
 * restart. Best effort: the pod is already deleted.
 */
async function recordFailover(conn: Connection, namespace: string, clusterId: string, fact: TimelineFact): Promise<boolean> {
  try {
    // The timeline's TestFailover Event, and the audit record too (lib/audit): the user in the message
    // and annotations, written as the dashboard.
    const target = { conn, namespace, clusterId };
    const audit = toAuditEvent({ action: 'test-failover', target, success: true, message: '', at: Date.parse(fact.at) });
    const event = timelineEvent(namespace, clusterId, fact, hostname());
    const meta = event.metadata as { annotations: Record<string, string> };
    meta.annotations = { ...(audit.metadata as { annotations: Record<string, string> }).annotations, ...meta.annotations };
    event.message = `${String(event.message)} By ${auditActor().user}.`;
    await postAuditEvent(target, event);
    return true;
  } catch (err) {
    if (hasStatus(err, 409)) return true;
    logger.error('audit event not recorded', { action: 'test-failover', namespace, clusterId, err });
    return false;
  }
}

/**
 * Deletes the current leader JobManager pod (read fresh from the API server, not a cache). With
 * `expectedPod`, refuses when the leader is another pod by now, so the user deletes what they saw.
 */
export async function failOverLeader(conn: Connection, namespace: string, clusterId: string, expectedPod?: string): Promise<{ deletedPod: string; recorded: boolean }> {
  const { pod } = await readLeaderPod(conn, namespace, clusterId);
  if (expectedPod && pod.name !== expectedPod) {
    throw new ApiError('conflict', `The leader is ${pod.name} now, not ${expectedPod}: nothing was deleted. Look again and retry.`);
  }
  const at = Date.now();
  try {
    await callK8s(conn, {
      method: 'DELETE',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod.name)}`,
      // Only this pod: if it was replaced meanwhile, its successor is not deleted by mistake.
      body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid: pod.uid } },
    });
  } catch (err) {
    if (hasStatus(err, 404)) throw new ApiError('conflict', `The leader pod ${pod.name} is already gone; a failover is under way.`);
    throw toK8sApiError(err, { verb: 'delete', resource: 'pods', namespace, server: conn.server });
  }
  const fact: TimelineFact = { type: 'TestFailover', at: new Date(at).toISOString(), pod: pod.name, uid: pod.uid };
  // The recovery is recorded on the timeline even if no page follows it.
  followFailover(conn, namespace, clusterId, fact);
  return { deletedPod: pod.name, recorded: await recordFailover(conn, namespace, clusterId, fact) };
}
