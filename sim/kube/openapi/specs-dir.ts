// The Kubernetes 1.28 reference data the simulator reads: sim/kube/specs/kubernetes-1.28 in this repository
// (swagger.json, the OpenAPI v3 documents, captured/; see its PROVENANCE.md). Nothing is looked up outside
// the repository.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { RESOURCES, groupVersion } from '../resources';

const SPECS_DIR = path.resolve(import.meta.dirname, '..', 'specs', 'kubernetes-1.28');

export function k8sSpecsDir(): string {
  return SPECS_DIR;
}

/** Parsed JSON file under the specs folder, e.g. readSpecJson('captured/discovery_version.json'). */
export function readSpecJson(rel: string): any {
  return JSON.parse(readFileSync(path.join(SPECS_DIR, rel), 'utf8'));
}

/** A captured response's body when the file is a recording ({httpStatus, request, body}), else the whole file. */
export function readCaptured(name: string): any {
  const j = readSpecJson(path.join('captured', name));
  return j && typeof j === 'object' && 'httpStatus' in j && 'body' in j ? j.body : j;
}

/** The group-versions the simulator serves: "v1", "apps/v1", ... */
function servedGroupVersions(): string[] {
  return [...new Set(RESOURCES.map((r) => groupVersion(r)))];
}

/** The captured discovery document of a group-version. */
export function discoveryCaptureFile(gv: string): string {
  return gv === 'v1' ? 'discovery_api_v1.json' : `discovery_apis_${gv.replace('/', '_')}.json`;
}

/**
 * The OpenAPI v3 paths served under /openapi/v3 (as a real server does for the groups it serves:
 * "api", "api/v1", "apis", "apis/<group>", "apis/<group>/<version>", "version").
 */
export function openApiV3Paths(): string[] {
  const out = new Set(['api', 'apis', 'version']);
  for (const gv of servedGroupVersions()) {
    if (gv === 'v1') out.add('api/v1');
    else out.add(`apis/${gv.split('/')[0]}`).add(`apis/${gv}`);
  }
  return [...out].sort();
}

/** "apis/apps/v1" -> "apis__apps__v1_openapi.json" (the file name in api/openapi-spec/v3). */
export function openApiV3File(rel: string): string {
  return `${rel.split('/').join('__')}_openapi.json`;
}

/** Every file the running simulator reads, relative to the specs folder. */
export function requiredSpecFiles(): string[] {
  return [
    'swagger.json',
    ...openApiV3Paths().map(openApiV3File),
    'captured/discovery_version.json',
    'captured/discovery_apis.json',
    ...servedGroupVersions().map((gv) => `captured/${discoveryCaptureFile(gv)}`),
  ];
}

/** The required files missing (or empty) under `dir`, as absolute paths. */
export function missingSpecFiles(dir: string = SPECS_DIR): string[] {
  const missing: string[] = [];
  for (const rel of requiredSpecFiles()) {
    const file = path.join(dir, rel);
    let ok = false;
    try {
      const st = statSync(file);
      ok = st.isFile() && st.size > 0;
    } catch {
      ok = false;
    }
    if (!ok) missing.push(file);
  }
  return missing;
}

/** What is wrong with the data files in plain words (naming each missing file), or undefined when all are there. */
export function specFilesProblem(dir: string = SPECS_DIR): string | undefined {
  const missing = missingSpecFiles(dir);
  if (!missing.length) return undefined;
  return (
    `missing data file${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}. The Kubernetes 1.28 reference data is part of ` +
    `the repository (sim/kube/specs/kubernetes-1.28, see its PROVENANCE.md): restore it with "git checkout -- sim/kube/specs".`
  );
}
