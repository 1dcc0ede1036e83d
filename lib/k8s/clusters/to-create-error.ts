import 'server-only';
import { ApiError } from '@/lib/api/api-error';
import { K8sStatusError } from '../errors';
import { toK8sApiError } from '../errors';
import type { Connection } from '../kubeconfig';
import { toApiGroup, toResourceName, type KubeObject } from './object-path';

const RBAC_KINDS = new Set(['ServiceAccount', 'Role', 'RoleBinding']);

function why(object: KubeObject, namespace: string): string {
  if (RBAC_KINDS.has(object.kind ?? '')) {
    return (
      `the dashboard provisions ServiceAccount flink with a Role and RoleBinding for the JobManager. ` +
      `Ask for create on serviceaccounts, roles and rolebindings in namespace ${namespace} (creating the Role also needs ` +
      `the rights it grants, or escalate on roles; the RoleBinding needs bind or the same rights), ` +
      `or have an administrator create ServiceAccount flink and name it, or another ServiceAccount, in the form.`
    );
  }
  return `creating a Flink cluster needs create on apps/deployments, services and configmaps in namespace ${namespace}.`;
}

/** A failed create (or dry run) of one object, said in the user's words. Never the ApiException text. */
export function toCreateError(err: unknown, conn: Connection, object: KubeObject, namespace: string): ApiError {
  if (err instanceof ApiError) return err;
  const group = toApiGroup(object);
  const resource = `${toResourceName(object.kind)}${group ? ` (${group})` : ''}`;
  const name = object.metadata?.name ?? '';
  if (err instanceof K8sStatusError) {
    if (err.statusCode === 403) {
      // The Status message of an escalation refusal names the rights the user lacks: keep it.
      const escalation = err.k8sMessage && /escalat|not currently held|bind/.test(err.k8sMessage) ? ` The API server said: ${err.k8sMessage}` : '';
      return new ApiError('forbidden', `You may not create ${resource} in namespace ${namespace}: ${why(object, namespace)}${escalation}`);
    }
    if (err.statusCode === 422 || err.statusCode === 400) {
      return new ApiError('invalid_input', `The API server refused ${object.kind} ${name}: ${err.k8sMessage ?? err.message}`);
    }
    if (err.statusCode === 409) {
      return new ApiError('conflict', `${object.kind} ${name} already exists in namespace ${namespace}.`);
    }
  }
  return toK8sApiError(err, { verb: 'create', resource: toResourceName(object.kind), namespace, server: conn.server });
}
