import { z } from 'zod';

// Pure: which kubeconfig to use. The file system and env are injected so the precedence is testable.

const optionalPath = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

export const kubeconfigEnvSchema = z.object({
  FLINK_DASHBOARD_KUBECONFIG: optionalPath,
  KUBECONFIG: optionalPath,
  HOME: optionalPath,
  KUBERNETES_SERVICE_HOST: optionalPath,
  KUBERNETES_SERVICE_PORT: optionalPath,
});

export type KubeconfigEnv = z.infer<typeof kubeconfigEnvSchema>;

export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export type KubeconfigSource =
  | { kind: 'file'; path: string; origin: 'FLINK_DASHBOARD_KUBECONFIG' | 'KUBECONFIG' | '~/.kube/config' }
  | { kind: 'in-cluster'; host: string };

export type SourceDeps = {
  env: Record<string, string | undefined>;
  exists: (path: string) => boolean;
  homedir: string;
};

/** The first source that exists: FLINK_DASHBOARD_KUBECONFIG, KUBECONFIG (first existing entry), ~/.kube/config, in-cluster. */
export function selectKubeconfigSource({ env, exists, homedir }: SourceDeps): KubeconfigSource | null {
  const e = kubeconfigEnvSchema.parse(env);
  if (e.FLINK_DASHBOARD_KUBECONFIG && exists(e.FLINK_DASHBOARD_KUBECONFIG)) {
    return { kind: 'file', path: e.FLINK_DASHBOARD_KUBECONFIG, origin: 'FLINK_DASHBOARD_KUBECONFIG' };
  }
  if (e.KUBECONFIG) {
    const first = e.KUBECONFIG.split(':').find((p) => p !== '' && exists(p));
    if (first) return { kind: 'file', path: first, origin: 'KUBECONFIG' };
  }
  const home = `${e.HOME ?? homedir}/.kube/config`;
  if (exists(home)) return { kind: 'file', path: home, origin: '~/.kube/config' };
  if (e.KUBERNETES_SERVICE_HOST && exists(SERVICE_ACCOUNT_TOKEN)) {
    return { kind: 'in-cluster', host: e.KUBERNETES_SERVICE_HOST };
  }
  return null;
}

export function describeSource(source: KubeconfigSource): string {
  return source.kind === 'file' ? `${source.path} (from ${source.origin})` : `the in-cluster service account`;
}
