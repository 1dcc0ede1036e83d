import { CodeBlock } from '@/components/ui/code-block';
import { EmptyState } from '@/components/ui/empty-state';
import { ALL_NAMESPACES, isAllNamespaces } from '@/lib/api/scope';

function StackIcon() {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden className="size-10">
      <path d="M12 3 3 7.5l9 4.5 9-4.5L12 3Z" />
      <path d="m3 12 9 4.5 9-4.5M3 16.5 12 21l9-4.5" />
    </svg>
  );
}

export function ClusterEmptyState({ namespace }: { namespace: string }) {
  const all = isAllNamespaces(namespace);
  const target = all ? 'default' : namespace;
  return (
    <EmptyState icon={<StackIcon />} title={all ? 'No Flink clusters in any namespace yet' : `No Flink clusters in namespace ${namespace} yet`}>
      <p>
        Every JobManager Deployment labelled <code className="font-mono text-xs">type=flink-native-kubernetes</code>{' '}
        shows up here as soon as it exists, including clusters started with Flink&apos;s own CLI:
      </p>
      <div className="mt-4">
        <CodeBlock label="Start a session cluster with Flink's CLI">
          {`./bin/kubernetes-session.sh \\\n  -Dkubernetes.cluster-id=my-session \\\n  -Dkubernetes.namespace=${target}`}
        </CodeBlock>
      </div>
      {namespace !== ALL_NAMESPACES && (
        <p className="mt-3 text-xs text-slate-500">Looking for a cluster elsewhere? Pick another namespace above.</p>
      )}
    </EmptyState>
  );
}
