// Decoding against swagger.json: strict unknown fields, type mismatches and quantities.
import { describe, expect, it } from 'vitest';
import { decodeError, pruneUnknownFields, strictDecodingStatus, unknownFields } from './index';
import { parseQuantity, ERR_FORMAT_WRONG, ERR_SUFFIX } from './quantity';
import { rtOf } from './test-helpers';

const deployments = rtOf('apps', 'deployments');
const pods = rtOf('', 'pods');

describe('unknownFields', () => {
  it('reports nested unknown fields in document order, with list indices', () => {
    const obj = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labelz: {} },
      spec: {
        replicaz: 1,
        template: { spec: { containers: [{ name: 'c', image: 'x' }, { name: 'd', image: 'y', imagePullPolicyy: 'Always', resources: { limits: { cpu: '1' } } }] } },
      },
      extra: true,
    };
    expect(unknownFields(deployments, obj)).toEqual([
      'metadata.labelz',
      'spec.replicaz',
      'spec.template.spec.containers[1].imagePullPolicyy',
      'extra',
    ]);
  });

  it('accepts any key in maps and opaque fields', () => {
    const obj = {
      metadata: { name: 'p', labels: { anything: 'x' }, managedFields: [{ fieldsV1: { 'f:spec': {} }, manager: 'kubectl' }] },
      spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'c', image: 'x' }] },
      status: { phase: 'Pending' },
    };
    expect(unknownFields(pods, obj)).toEqual([]);
  });

  it('builds the strict decoding error with every field', () => {
    const st = strictDecodingStatus(deployments, 'web', ['spec.a', 'spec.b']);
    expect(st.message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.a", unknown field "spec.b"',
    );
    expect(st.code).toBe(400);
    expect(st.reason).toBe('BadRequest');
  });

  it('prunes what the non-strict decoder drops', () => {
    const obj: any = { metadata: { name: 'p', nam: 'x' }, spec: { containers: [{ name: 'c', image: 'x', foo: 1 }] } };
    pruneUnknownFields(pods, obj);
    expect(obj).toEqual({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
  });
});

describe('decodeError', () => {
  it('reports a JSON type mismatch like encoding/json', () => {
    expect(decodeError(deployments, { spec: { replicas: '3' } })).toBe(
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    expect(decodeError(pods, { spec: { containers: [{ ports: [{ containerPort: 1.5 }] }] } })).toBe(
      'json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    );
    expect(decodeError(pods, { spec: { containers: {} } })).toBe(
      'json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container',
    );
  });

  it('reports Secret data that is not base64 like Go does', () => {
    const secrets = rtOf('', 'secrets');
    expect(decodeError(secrets, { data: { a: 'aGVsbG8=', b: 'hello world' } })).toBe('illegal base64 data at input byte 5');
    expect(decodeError(secrets, { data: { a: 'abc' } })).toBe('illegal base64 data at input byte 0');
    expect(decodeError(secrets, { data: { a: 'abcde===' } })).toBe('illegal base64 data at input byte 5');
    expect(decodeError(secrets, { data: { a: 'YWI=\n', b: 'YQ==', c: '' } })).toBeUndefined();
  });

  it('reports a bad int-or-string as IntOrString.UnmarshalJSON does', () => {
    expect(decodeError(deployments, { spec: { strategy: { rollingUpdate: { maxSurge: true } } } })).toBe(
      'json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32',
    );
  });

  it('prefers a quantity error over an earlier type mismatch', () => {
    expect(decodeError(pods, { metadata: { name: 5 }, spec: { containers: [{ resources: { limits: { memory: '1Gb' } } }] } })).toBe(ERR_FORMAT_WRONG);
  });

  it('accepts numbers and int-or-strings where Kubernetes does', () => {
    expect(decodeError(pods, { spec: { containers: [{ resources: { limits: { cpu: 0.5 } }, livenessProbe: { httpGet: { port: 'http' } } }] } })).toBeUndefined();
    expect(decodeError(deployments, { spec: { strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } } } })).toBeUndefined();
  });
});

describe('parseQuantity', () => {
  it.each([
    ['1', 1],
    ['500m', 0.5],
    ['1.5', 1.5],
    ['1600Mi', 1600 * 2 ** 20],
    ['2Gi', 2 * 2 ** 30],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['+5k', 5000],
    ['-1', -1],
    ['.5', 0.5],
    ['0', 0],
  ])('%s = %d', (s, v) => {
    expect(parseQuantity(s)).toEqual({ value: v });
  });

  it.each([
    ['', ERR_FORMAT_WRONG],
    ['lots', ERR_FORMAT_WRONG],
    ['1Gb', ERR_FORMAT_WRONG],
    ['1.2.3', ERR_FORMAT_WRONG],
    ['1GG', ERR_SUFFIX],
    ['1Mm', ERR_SUFFIX],
  ])('%j is rejected', (s, err) => {
    expect(parseQuantity(s)).toEqual({ error: err });
  });
});
