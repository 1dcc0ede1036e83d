import 'server-only';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { callK8s } from '@/lib/k8s/request';
import { K8sStatusError } from '@/lib/k8s/errors';
import type { SecretRef } from './config';

/**
 * Reads and writes Kubernetes objects with the dashboard's own credentials. Called only outside
 * runAs (before the request's identity is set), so no impersonation applies.
 */
export async function readSecretData(ref: SecretRef): Promise<Record<string, string> | undefined> {
  try {
    const secret = (await callK8s(getConnection(), {
      method: 'GET',
      path: `/api/v1/namespaces/${ref.namespace}/secrets/${ref.name}`,
      timeoutMs: 10_000,
    })) as { data?: Record<string, string> };
    return secret.data ?? {};
  } catch (err) {
    if (err instanceof K8sStatusError && err.statusCode === 404) return undefined;
    throw err;
  }
}

type ConfigMap = { metadata: { name: string; namespace: string; resourceVersion?: string }; data?: Record<string, string> };

export async function readConfigMap(ref: SecretRef): Promise<ConfigMap | undefined> {
  try {
    return (await callK8s(getConnection(), {
      method: 'GET',
      path: `/api/v1/namespaces/${ref.namespace}/configmaps/${ref.name}`,
      timeoutMs: 10_000,
    })) as ConfigMap;
  } catch (err) {
    if (err instanceof K8sStatusError && err.statusCode === 404) return undefined;
    throw err;
  }
}

/** Read-modify-write of a ConfigMap's data with optimistic concurrency (retries on 409). */
export async function updateConfigMapData(ref: SecretRef, change: (data: Record<string, string>) => Record<string, string>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const current = await readConfigMap(ref);
    const data = change({ ...(current?.data ?? {}) });
    try {
      if (current) {
        await callK8s(getConnection(), {
          method: 'PUT',
          path: `/api/v1/namespaces/${ref.namespace}/configmaps/${ref.name}`,
          body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...current.metadata }, data },
          timeoutMs: 10_000,
        });
      } else {
        await callK8s(getConnection(), {
          method: 'POST',
          path: `/api/v1/namespaces/${ref.namespace}/configmaps`,
          body: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: ref.name, namespace: ref.namespace, labels: { 'app.kubernetes.io/managed-by': 'flink-native-dashboard' } },
            data,
          },
          timeoutMs: 10_000,
        });
      }
      return;
    } catch (err) {
      if (err instanceof K8sStatusError && err.statusCode === 409 && attempt < 5) continue;
      throw err;
    }
  }
}
