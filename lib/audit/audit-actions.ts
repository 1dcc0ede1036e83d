// What the dashboard audits, and how each action appears as a Kubernetes Event. PURE: the cluster
// page (browser) reads the same names to pick the audit entries out of a cluster's Events.

/** The Events' reportingComponent (and source.component): the dashboard. */
export const AUDIT_COMPONENT = 'flink-native-dashboard';

/** Annotations on every audit Event: who did it, what, and how it ended. */
export const AUDIT_ANNOTATIONS = {
  user: 'flink-native-dashboard/user',
  groups: 'flink-native-dashboard/groups',
  action: 'flink-native-dashboard/action',
  result: 'flink-native-dashboard/result',
} as const;

export type AuditAction =
  | 'create'
  | 'delete'
  | 'purge-ha'
  | 'test-failover'
  | 'job-cancel'
  | 'job-stop'
  | 'job-savepoint'
  | 'job-checkpoint'
  | 'jar-upload'
  | 'jar-run'
  | 'jar-delete';

type ActionInfo = {
  /** Event reason on success and on failure. */
  ok: string;
  failed: string;
  /** The Event's `action` (what was done to the object, CamelCase as Kubernetes writes it). */
  eventAction: string;
  /** "alice <done> <object>" / "alice could not <todo> <object>". */
  done: string;
  todo: string;
};

export const AUDIT_ACTIONS: Record<AuditAction, ActionInfo> = {
  create: { ok: 'ClusterCreated', failed: 'ClusterCreateFailed', eventAction: 'Create', done: 'created', todo: 'create' },
  delete: { ok: 'ClusterDeleted', failed: 'ClusterDeleteFailed', eventAction: 'Delete', done: 'deleted', todo: 'delete' },
  'purge-ha': { ok: 'HADataPurged', failed: 'HADataPurgeFailed', eventAction: 'PurgeHAData', done: 'purged the HA data of', todo: 'purge the HA data of' },
  // Success is the TestFailover Event lib/flink/ha/failover-history reads (written by the failover route).
  'test-failover': { ok: 'TestFailover', failed: 'TestFailoverFailed', eventAction: 'DeleteLeaderPod', done: 'ran Test failover on', todo: 'run Test failover on' },
  'job-cancel': { ok: 'JobCancelled', failed: 'JobCancelFailed', eventAction: 'CancelJob', done: 'cancelled', todo: 'cancel' },
  'job-stop': { ok: 'JobStopWithSavepoint', failed: 'JobStopFailed', eventAction: 'StopJob', done: 'stopped with a savepoint', todo: 'stop with a savepoint' },
  'job-savepoint': { ok: 'SavepointTriggered', failed: 'SavepointFailed', eventAction: 'TriggerSavepoint', done: 'triggered a savepoint of', todo: 'trigger a savepoint of' },
  'job-checkpoint': { ok: 'CheckpointTriggered', failed: 'CheckpointFailed', eventAction: 'TriggerCheckpoint', done: 'triggered a checkpoint of', todo: 'trigger a checkpoint of' },
  'jar-upload': { ok: 'JarUploaded', failed: 'JarUploadFailed', eventAction: 'UploadJar', done: 'uploaded', todo: 'upload' },
  'jar-run': { ok: 'JarRun', failed: 'JarRunFailed', eventAction: 'RunJar', done: 'ran', todo: 'run' },
  'jar-delete': { ok: 'JarDeleted', failed: 'JarDeleteFailed', eventAction: 'DeleteJar', done: 'deleted', todo: 'delete' },
};

/** Every reason an audit Event can carry. */
export const AUDIT_REASONS: ReadonlySet<string> = new Set(Object.values(AUDIT_ACTIONS).flatMap((a) => [a.ok, a.failed]));

/** Kubernetes refuses an Event message over 1 KiB (NoteLengthLimit): cut on a character boundary. */
export function limitEventMessage(message: string, maxBytes = 1024): string {
  const bytes = (s: string) => new TextEncoder().encode(s).length;
  if (bytes(message) <= maxBytes) return message;
  const chars = Array.from(message);
  let n = Math.min(chars.length, maxBytes);
  while (n > 0 && bytes(`${chars.slice(0, n).join('')}…`) > maxBytes) n--;
  return `${chars.slice(0, n).join('')}…`;
}

/**
 * The Event message: "alice created cluster team-a/orders." or
 * "alice could not cancel job 4f… of cluster team-a/orders: Job 4f… has already ended (FINISHED)…".
 * `object` names what was acted on ("cluster team-a/orders", "job 4f… of cluster team-a/orders").
 */
export function auditMessage(action: AuditAction, user: string, object: string, failure?: string): string {
  const info = AUDIT_ACTIONS[action];
  const text = failure === undefined ? `${user} ${info.done} ${object}.` : `${user} could not ${info.todo} ${object}: ${failure}`;
  return limitEventMessage(text);
}
