// Shared by the validation and defaults tests: captured responses and a JSON merge patch.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findResource, type ResourceType } from '../resources';
import { k8sSpecsDir } from '../openapi/specs-dir';

export function loadCapture(name: string): any {
  return JSON.parse(readFileSync(path.join(k8sSpecsDir(), 'captured', `${name}.json`), 'utf8'));
}

export function rtOf(group: string, plural: string): ResourceType {
  const rt = findResource(group, 'v1', plural);
  if (!rt) throw new Error(`no resource ${group}/${plural}`);
  return rt;
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: any, patch: any): any {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
