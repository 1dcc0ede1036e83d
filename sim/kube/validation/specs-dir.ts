// Locates the Kubernetes 1.28 reference data (swagger.json, captured/). In this work tree it lives in
// /work/shared beside the repo; CI clones the repo into another folder with a copy of shared/ beside it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SUFFIX = path.join('shared', 'specs', 'kubernetes-1.28');

function isSpecsDir(dir: string): boolean {
  return existsSync(path.join(dir, 'swagger.json'));
}

/**
 * The folder holding swagger.json and captured/. Order: env SIM_K8S_SPECS_DIR, then walking up from
 * `from` (default: this file's folder) looking for `<ancestor>/shared/specs/kubernetes-1.28`.
 * Throws when none is found.
 */
export function resolveK8sSpecsDir(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  const env = process.env.SIM_K8S_SPECS_DIR;
  if (env && isSpecsDir(env)) return path.resolve(env);
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, SUFFIX);
    if (isSpecsDir(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const fallback = path.join('/work', SUFFIX);
  if (isSpecsDir(fallback)) return fallback;
  throw new Error(
    `kubernetes-1.28 specs not found: set SIM_K8S_SPECS_DIR or put shared/specs/kubernetes-1.28 beside the repo (searched up from ${from})`,
  );
}
