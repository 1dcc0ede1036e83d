import { Badge } from '@/components/ui/badge';
import type { Scope } from '@/lib/api/scope';
import { toApiError } from '@/lib/api/to-error-response';
import { runAsPageUser } from '@/lib/auth/page-identity';
import { getConnection, listContexts } from '@/lib/k8s/kubeconfig';
import { listNamespaceNames } from '@/lib/k8s/namespaces';
import { getServerVersion, isSimulatedVersion } from '@/lib/k8s/server-version';
import { ContextPicker } from './context-picker';
import { NamespacePicker } from './namespace-picker';
import { SimulatedBadge } from './simulated-badge';

async function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: string }> {
  try {
    return { value: await promise };
  } catch (err) {
    return { error: toApiError(err).message };
  }
}

/** The top bar of every scoped page: context and namespace pickers, and what the API server is. */
export async function ScopeBar({ scope }: { scope: Scope }) {
  const conn = getConnection(scope.context);
  const contexts = listContexts().map((c) => ({ name: c.name, server: c.server }));
  const [namespaces, version] = await Promise.all([
    // The namespaces this user may list (as withRoute does for routes); the version is no secret.
    settle(runAsPageUser(() => listNamespaceNames(scope.context)).then((names) => names ?? Promise.reject(new Error('not signed in')))),
    settle(getServerVersion(scope.context)),
  ]);
  return (
    <header className="flex flex-wrap items-center gap-x-6 gap-y-3 border-b border-slate-200 bg-white px-6 py-3">
      <ContextPicker contexts={contexts} current={scope.context} />
      <NamespacePicker
        key={`${scope.context}/${scope.namespace}`}
        context={scope.context}
        current={scope.namespace}
        namespaces={'value' in namespaces ? namespaces.value : null}
      />
      <div className="ml-auto flex items-center gap-3">
        {'value' in version ? (
          isSimulatedVersion(version.value) && <SimulatedBadge gitVersion={version.value.gitVersion} />
        ) : (
          <Badge tone="red" dot title={version.error}>
            API server unreachable
          </Badge>
        )}
        <span className="hidden font-mono text-xs text-slate-500 2xl:inline" title="API server">
          {conn.server}
          {'value' in version && ` · ${version.value.gitVersion}`}
        </span>
      </div>
    </header>
  );
}
