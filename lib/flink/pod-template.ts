// Pod templates as KubernetesUtils.loadPodFromTemplateFile splits them: the container named
// flink-main-container becomes the main container, every other container stays in the pod.
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { parse } from 'yaml';

export const MAIN_CONTAINER_NAME = 'flink-main-container';

export interface FlinkPod {
  pod: V1Pod;
  mainContainer: V1Container;
}

export function parsePodTemplate(text: string | undefined): FlinkPod {
  if (text === undefined || text.trim() === '') return { pod: { metadata: {}, spec: { containers: [] } }, mainContainer: { name: '' } };
  const parsed: unknown = parse(text, { logLevel: 'error' }); // unknown tags (!!python/…) are not warned about on the server's stderr for every request
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('the pod template must be a YAML mapping (a Pod)');
  }
  const pod = structuredClone(parsed) as V1Pod;
  if (pod.spec !== undefined && (pod.spec === null || typeof pod.spec !== 'object' || Array.isArray(pod.spec))) {
    throw new Error('spec must be a mapping');
  }
  if (pod.spec?.containers !== undefined && !Array.isArray(pod.spec.containers)) {
    throw new Error('spec.containers must be a list');
  }
  pod.metadata ??= {};
  if (!pod.spec) {
    pod.spec = { containers: [] };
    return { pod, mainContainer: { name: '' } };
  }
  const containers = pod.spec.containers ?? [];
  const main = containers.find((c) => c.name === MAIN_CONTAINER_NAME);
  pod.spec.containers = containers.filter((c) => c.name !== MAIN_CONTAINER_NAME);
  return { pod, mainContainer: main ? structuredClone(main) : { name: '' } };
}

/** Whether a pod template parses into a Pod-shaped mapping (for the form and the schema). */
export function checkPodTemplate(text: string): string | undefined {
  try {
    parsePodTemplate(text);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
