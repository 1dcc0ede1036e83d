// The captured 400/422 responses of a real v1.28 API server, rebuilt byte for byte.
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../defaults';
import { decodeError, decodeErrorStatus, invalidStatus, strictDecodingStatus, unknownFields, validateObject } from './index';
import { clone, loadCapture, mergePatch, rtOf } from './test-helpers';

/** What the API server does on create: namespace from the path, defaults, then validation. */
function createStatus(captureName: string, group: string, plural: string) {
  const cap = loadCapture(captureName);
  const rt = rtOf(group, plural);
  const obj = clone(cap.request.body);
  obj.metadata.namespace = 'cap';
  applyDefaults(rt, obj);
  const errs = validateObject(rt, obj);
  return { cap, actual: invalidStatus(rt, obj.metadata.name, errs) };
}

describe('captured 422 Invalid responses', () => {
  it('rejects an invalid ConfigMap name (error-invalid-name)', () => {
    const { cap, actual } = createStatus('error-invalid-name', '', 'configmaps');
    expect(JSON.stringify(actual)).toBe(JSON.stringify(cap.body));
  });

  it('requires a container image (error-missing-required)', () => {
    const { cap, actual } = createStatus('error-missing-required', '', 'pods');
    expect(JSON.stringify(actual)).toBe(JSON.stringify(cap.body));
  });

  it('rejects a selector that does not match the template labels (error-selector-mismatch)', () => {
    const { cap, actual } = createStatus('error-selector-mismatch', 'apps', 'deployments');
    expect(JSON.stringify(actual)).toBe(JSON.stringify(cap.body));
  });

  it('keeps a Deployment selector immutable (error-immutable-selector)', () => {
    const created = loadCapture('created-deployment').body;
    const cap = loadCapture('error-immutable-selector');
    const rt = rtOf('apps', 'deployments');
    const updated = mergePatch(clone(created), cap.request.body);
    applyDefaults(rt, updated, created);
    const actual = invalidStatus(rt, 'web', validateObject(rt, updated, created));
    expect(JSON.stringify(actual)).toBe(JSON.stringify(cap.body));
  });

  it('keeps a Service clusterIP immutable (error-immutable-clusterip)', () => {
    const created = loadCapture('created-service').body;
    const cap = loadCapture('error-immutable-clusterip');
    const rt = rtOf('', 'services');
    const updated = mergePatch(clone(created), cap.request.body);
    applyDefaults(rt, updated, created);
    const actual = invalidStatus(rt, 'web-rest', validateObject(rt, updated, created));
    expect(JSON.stringify(actual)).toBe(JSON.stringify(cap.body));
  });
});

describe('captured 400 BadRequest decoding errors', () => {
  it('rejects an unknown field with fieldValidation=Strict (error-strict-unknown-field)', () => {
    const cap = loadCapture('error-strict-unknown-field');
    const rt = rtOf('', 'configmaps');
    const paths = unknownFields(rt, cap.request.body);
    expect(paths).toEqual(['dta']);
    expect(JSON.stringify(strictDecodingStatus(rt, 'strict', paths))).toBe(JSON.stringify(cap.body));
  });

  it('rejects a malformed quantity whatever the field validation (error-invalid-quantity)', () => {
    const cap = loadCapture('error-invalid-quantity');
    const rt = rtOf('', 'pods');
    const err = decodeError(rt, cap.request.body);
    expect(err).toBeDefined();
    expect(JSON.stringify(decodeErrorStatus(rt, err!))).toBe(JSON.stringify(cap.body));
  });
});

describe('captured objects pass validation', () => {
  it.each([
    ['created-deployment', 'apps', 'deployments'],
    ['created-service', '', 'services'],
    ['created-nodeport-service', '', 'services'],
    ['created-headless-service', '', 'services'],
    ['created-configmap', '', 'configmaps'],
    ['dry-run-create', '', 'configmaps'],
  ])('%s', (name, group, plural) => {
    const rt = rtOf(group, plural);
    const body = loadCapture(name).body;
    expect(validateObject(rt, body)).toEqual([]);
    expect(unknownFields(rt, body)).toEqual([]);
    expect(decodeError(rt, body)).toBeUndefined();
  });

  it.each([
    ['pod-created-by-replicaset', '', 'pods'],
    ['replicaset-created-by-deployment', 'apps', 'replicasets'],
    ['deployment-after-rollout', 'apps', 'deployments'],
  ])('%s', (name, group, plural) => {
    const rt = rtOf(group, plural);
    const body = loadCapture(name);
    expect(validateObject(rt, body)).toEqual([]);
    expect(unknownFields(rt, body)).toEqual([]);
  });

  it('accepts the namespace of delete-namespace', () => {
    const rt = rtOf('', 'namespaces');
    expect(validateObject(rt, loadCapture('delete-namespace').body)).toEqual([]);
  });

  it('accepts the events the controllers wrote', () => {
    const rt = rtOf('', 'events');
    for (const ev of loadCapture('events-from-controllers')) expect(validateObject(rt, ev)).toEqual([]);
  });
});
