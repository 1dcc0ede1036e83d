// Multi-document YAML of the objects that will be created, in creation order.
import { stringify } from 'yaml';

export function buildYamlPreview(objects: readonly object[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}
