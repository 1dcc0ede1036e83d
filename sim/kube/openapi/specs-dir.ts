// Locates /shared/specs/kubernetes-1.28: env SIM_K8S_SPECS_DIR wins, else walk up from this file's
// folder looking for shared/specs/kubernetes-1.28 (the work tree has shared/ above it; CI puts a copy
// of shared/ beside the clone, so <repo>/../shared is found by the same walk).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function k8sSpecsDir(): string {
  if (cached) return cached;
  const env = process.env.SIM_K8S_SPECS_DIR;
  if (env) {
    if (!existsSync(env)) throw new Error(`SIM_K8S_SPECS_DIR=${env} does not exist`);
    return (cached = path.resolve(env));
  }
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'shared', 'specs', 'kubernetes-1.28');
    if (existsSync(path.join(candidate, 'swagger.json'))) return (cached = candidate);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error('cannot find shared/specs/kubernetes-1.28 (set SIM_K8S_SPECS_DIR)');
}

/** Parsed JSON file under the specs folder, e.g. readSpecJson('captured/discovery_version.json'). */
export function readSpecJson(rel: string): any {
  return JSON.parse(readFileSync(path.join(k8sSpecsDir(), rel), 'utf8'));
}

/** A captured response's body when the file is a recording ({httpStatus, request, body}), else the whole file. */
export function readCaptured(name: string): any {
  const j = readSpecJson(path.join('captured', name));
  return j && typeof j === 'object' && 'httpStatus' in j && 'body' in j ? j.body : j;
}
