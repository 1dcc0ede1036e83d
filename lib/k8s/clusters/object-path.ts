import { ApiError } from '@/lib/api/api-error';

/** A Kubernetes object the create flow writes: enough to find its collection. */
export type KubeObject = { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } };

const plurals: Record<string, string> = {
  Deployment: 'deployments',
  Service: 'services',
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  ServiceAccount: 'serviceaccounts',
  Role: 'roles',
  RoleBinding: 'rolebindings',
};

/** The plural resource name of a kind the dashboard creates ("deployments", "roles"). */
export function toResourceName(kind: string | undefined): string {
  const plural = kind ? plurals[kind] : undefined;
  if (!plural) throw new ApiError('internal', `The dashboard does not create objects of kind ${kind ?? '(none)'}.`);
  return plural;
}

/** `/apis/apps/v1/namespaces/ns/deployments` for an object (its collection), or `…/name` with `named`. */
export function toObjectPath(object: KubeObject, namespace: string, named = false): string {
  const apiVersion = object.apiVersion ?? 'v1';
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const collection = `${base}/namespaces/${encodeURIComponent(namespace)}/${toResourceName(object.kind)}`;
  return named ? `${collection}/${encodeURIComponent(object.metadata?.name ?? '')}` : collection;
}

/** The API group of an object's apiVersion ('' for the core group). */
export function toApiGroup(object: KubeObject): string {
  const apiVersion = object.apiVersion ?? 'v1';
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}
