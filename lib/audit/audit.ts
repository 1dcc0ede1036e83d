import 'server-only';
import { hostname } from 'node:os';
import { toApiError } from '@/lib/api/to-error-response';
import { currentIdentity, runAs, type Identity } from '@/lib/auth/identity';
import { callK8s } from '@/lib/k8s/request';
import { getConnection, type Connection } from '@/lib/k8s/kubeconfig';
import { logger } from '@/lib/log';
import { AUDIT_ACTIONS, AUDIT_ANNOTATIONS, AUDIT_COMPONENT, auditMessage, limitEventMessage, type AuditAction } from './audit-actions';

/**
 * The dashboard itself: audit Events are written with its own credentials (mode none: no
 * Impersonate-User), so a user can neither skip nor forge them, and needs no right to create Events.
 */
export const DASHBOARD_IDENTITY: Identity = { mode: 'none', user: AUDIT_COMPONENT, groups: [] };

/** Who the request acts for; `anonymous` when nobody signed in (mode none, or outside a request). */
export function auditActor(): { user: string; groups: string[] } {
  const id = currentIdentity();
  return id ? { user: id.user, groups: [...id.groups] } : { user: 'anonymous', groups: [] };
}

/** What an action touched: a Flink cluster (its JobManager Deployment), and optionally a job or jar in it. */
export type AuditTarget = {
  /** The request's connection (the user's); only its context is reused, never its identity. */
  conn: Connection;
  namespace: string;
  clusterId: string;
  /** e.g. "job 4f0c…", "jar WordCount.jar": the message then reads "<detail> of cluster ns/id". */
  detail?: string;
};

/** fabric8/Kubernetes MicroTime: RFC 3339 with microseconds. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

type AuditEventInput = {
  action: AuditAction;
  target: AuditTarget;
  success: boolean;
  message: string;
  uid?: string;
  at?: number;
  /** Overrides AUDIT_ACTIONS' reason (e.g. an existing convention's). */
  reason?: string;
  /** metadata.generateName; default "<clusterId>.". */
  generateName?: string;
};

/** The core/v1 Event for an audit record, on the cluster's Deployment (by name, and uid when known). */
export function toAuditEvent(input: AuditEventInput, actor = auditActor()): Record<string, unknown> {
  const { action, target, success } = input;
  const info = AUDIT_ACTIONS[action];
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      generateName: input.generateName ?? `${target.clusterId}.`,
      namespace: target.namespace,
      annotations: {
        [AUDIT_ANNOTATIONS.user]: actor.user,
        [AUDIT_ANNOTATIONS.groups]: actor.groups.join(','),
        [AUDIT_ANNOTATIONS.action]: action,
        [AUDIT_ANNOTATIONS.result]: success ? 'success' : 'failure',
      },
    },
    involvedObject: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: target.clusterId,
      namespace: target.namespace,
      ...(input.uid ? { uid: input.uid } : {}),
    },
    reason: input.reason ?? (success ? info.ok : info.failed),
    action: info.eventAction,
    type: success ? 'Normal' : 'Warning',
    message: limitEventMessage(input.message),
    eventTime: microTime(input.at ?? Date.now()),
    reportingComponent: AUDIT_COMPONENT,
    reportingInstance: hostname().slice(0, 128),
    source: { component: AUDIT_COMPONENT },
  };
}

/** POSTs an audit Event as the dashboard itself (never as the user). Throws what the API server answered. */
export async function postAuditEvent(target: Pick<AuditTarget, 'conn' | 'namespace'>, event: Record<string, unknown>): Promise<void> {
  await runAs(DASHBOARD_IDENTITY, () =>
    callK8s(getConnection(target.conn.context), {
      method: 'POST',
      path: `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/events`,
      body: event,
    }),
  );
}

/** The Deployment's uid read with the user's connection (the user just acted on it), or undefined. */
async function deploymentUid(target: AuditTarget): Promise<string | undefined> {
  try {
    const d = (await callK8s(target.conn, {
      method: 'GET',
      path: `/apis/apps/v1/namespaces/${encodeURIComponent(target.namespace)}/deployments/${encodeURIComponent(target.clusterId)}`,
    })) as { metadata?: { uid?: string } };
    return d.metadata?.uid;
  } catch {
    return undefined;
  }
}

function describeObject(target: AuditTarget): string {
  const cluster = `cluster ${target.namespace}/${target.clusterId}`;
  return target.detail ? `${target.detail} of ${cluster}` : cluster;
}

type AuditOptions<T> = {
  /** Where the Deployment's uid comes from: the result, a read before the action (delete), after it (default), or nowhere. */
  uid?: ((result: T) => string | undefined) | 'before' | 'after' | 'none';
  /**
   * 'failure-only' when the action writes its own success Event (Test failover's TestFailover,
   * through postAuditEvent); the JSON log line is written either way.
   */
  event?: 'always' | 'failure-only';
  /** A success that changed nothing (e.g. a purge that found nothing to delete): logged, no Event. */
  changedNothing?: (result: T) => boolean;
  /** Extra words for the success message, from the result (e.g. the new job's id). */
  describe?: (result: T) => string | undefined;
};

/**
 * Runs `run` and records it, success or failure: a core/v1 Event on the cluster's Deployment
 * (written as the dashboard itself) and a JSON log line `{"msg":"audit","user","groups","action",
 * "target","result",…}`. Answers what `run` answers and rethrows what it throws; a failed audit
 * write is logged and never turns the action's outcome into an error.
 */
export async function audit<T>(action: AuditAction, target: AuditTarget, run: () => Promise<T>, options: AuditOptions<T> = {}): Promise<T> {
  const actor = auditActor();
  const uidMode = options.uid ?? 'after';
  const uidBefore = uidMode === 'before' ? await deploymentUid(target) : undefined;
  const at = Date.now();
  let result: T;
  let failure: string | undefined;
  let thrown: { err: unknown } | undefined;
  try {
    result = await run();
  } catch (err) {
    thrown = { err };
    failure = toApiError(err).message;
  }
  const success = thrown === undefined;
  const extra = success && options.describe ? options.describe(result!) : undefined;
  const object = describeObject(target) + (extra ? ` (${extra})` : '');
  const message = auditMessage(action, actor.user, object, failure);
  let recorded: boolean | 'by-action' = 'by-action';
  if (!success || (options.event !== 'failure-only' && !options.changedNothing?.(result!))) {
    let uid: string | undefined;
    if (uidMode === 'before') uid = uidBefore;
    else if (uidMode === 'after') uid = await deploymentUid(target);
    else if (typeof uidMode === 'function' && success) uid = uidMode(result!);
    try {
      await postAuditEvent(target, toAuditEvent({ action, target, success, message, uid, at }, actor));
      recorded = true;
    } catch (err) {
      recorded = false;
      logger.error('audit event not recorded', { action, namespace: target.namespace, clusterId: target.clusterId, err });
    }
  }
  logger[success ? 'info' : 'warn']('audit', {
    user: actor.user,
    groups: actor.groups,
    action,
    target: `${target.namespace}/${target.clusterId}`,
    ...(target.detail ? { detail: target.detail } : {}),
    context: target.conn.context,
    result: success ? 'success' : 'failure',
    ...(failure !== undefined ? { error: failure } : {}),
    at: new Date(at).toISOString(),
    event: recorded,
    message,
  });
  if (thrown) throw thrown.err;
  return result!;
}
