// STUB, to be replaced by the table helper: same exports, real columns.
import type { ResourceType } from '../resources';

/**
 * Server-side Table output (Accept: application/json;as=Table;v=v1;g=meta.k8s.io) for these objects,
 * with the columns kube-apiserver prints for the kind. includeObject: 'None' | 'Metadata' (default) | 'Object'.
 */
export function toTable(rt: ResourceType, objs: any[], listMeta: { resourceVersion?: string; continue?: string }, includeObject: string = 'Metadata'): any {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: [{ name: 'Name', type: 'string', format: 'name', description: '', priority: 0 }],
    rows: objs.map((o) => ({
      cells: [o.metadata?.name],
      object: includeObject === 'None' ? undefined : includeObject === 'Object' ? o : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
