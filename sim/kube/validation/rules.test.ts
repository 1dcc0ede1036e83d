// One failing input per rule, with the exact field, type and wording kube-apiserver v1.28 gives.
import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../defaults';
import type { ResourceType } from '../resources';
import { errorString, invalidStatus, validateObject, type FieldError } from './index';
import { clone, rtOf } from './test-helpers';

const pods = rtOf('', 'pods');
const deployments = rtOf('apps', 'deployments');
const replicasets = rtOf('apps', 'replicasets');
const services = rtOf('', 'services');
const configmaps = rtOf('', 'configmaps');
const secrets = rtOf('', 'secrets');
const namespaces = rtOf('', 'namespaces');

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** Defaults (as on create) then validates; returns field.Error strings. */
function errorsOf(rt: ResourceType, obj: any, old?: any): string[] {
  const o = clone(obj);
  applyDefaults(rt, o, old);
  return validateObject(rt, o, old).map(errorString);
}

function errsOf(rt: ResourceType, obj: any, old?: any): FieldError[] {
  const o = clone(obj);
  applyDefaults(rt, o, old);
  return validateObject(rt, o, old);
}

const pod = (spec: any, meta: any = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', ...meta }, spec });
const ctr = (extra: any = {}) => ({ name: 'c', image: 'flink:1.20', ...extra });
const podWith = (c: any, spec: any = {}) => pod({ containers: [ctr(c)], ...spec });

const deployment = (spec: any = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [ctr()] } },
    ...spec,
  },
});

const service = (spec: any, name = 'svc') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ns' }, spec });

describe('Status formatting', () => {
  it('brackets and de-duplicates several errors', () => {
    const errs: FieldError[] = [
      { type: 'FieldValueRequired', field: 'a', badValue: '', detail: '' },
      { type: 'FieldValueInvalid', field: 'b', badValue: 3, detail: 'must be 1' },
      { type: 'FieldValueRequired', field: 'a', badValue: '', detail: '' },
    ];
    const st = invalidStatus(deployments, 'web', errs);
    expect(st.message).toBe('Deployment.apps "web" is invalid: [a: Required value, b: Invalid value: 3: must be 1]');
    expect(st.details?.causes).toHaveLength(3);
    expect(st.details).toEqual({
      name: 'web',
      group: 'apps',
      kind: 'Deployment',
      causes: [
        { reason: 'FieldValueRequired', message: 'Required value', field: 'a' },
        { reason: 'FieldValueInvalid', message: 'Invalid value: 3: must be 1', field: 'b' },
        { reason: 'FieldValueRequired', message: 'Required value', field: 'a' },
      ],
    });
  });

  it('leaves out an empty name and cause list', () => {
    const st = invalidStatus(configmaps, '', []);
    expect(st.message).toBe('ConfigMap "" is invalid');
    expect(st.details).toEqual({ kind: 'ConfigMap' });
  });

  it('renders null, booleans and quoted strings like Go', () => {
    const body = (badValue: unknown) => errorString({ type: 'FieldValueInvalid', field: 'f', badValue, detail: 'd' });
    expect(body(null)).toBe('f: Invalid value: null: d');
    expect(body(true)).toBe('f: Invalid value: true: d');
    expect(body('a"b\n')).toBe('f: Invalid value: "a\\"b\\n": d');
    expect(body({ b: '2', a: '1' })).toBe('f: Invalid value: map[string]string{"a":"1", "b":"2"}: d');
  });
});

describe('object metadata', () => {
  it('requires a name', () => {
    expect(errorsOf(configmaps, { metadata: { namespace: 'ns' } })).toEqual(['metadata.name: Required value: name or generateName is required']);
  });

  it('requires a namespace on namespaced kinds and forbids it on cluster-scoped ones', () => {
    expect(errorsOf(configmaps, { metadata: { name: 'c' } })).toEqual(['metadata.namespace: Required value']);
    expect(errorsOf(namespaces, { metadata: { name: 'n', namespace: 'x' } })).toEqual(['metadata.namespace: Forbidden: not allowed on this type']);
  });

  it('validates generateName as a prefix', () => {
    expect(errorsOf(configmaps, { metadata: { generateName: 'ok-', name: 'ok-abcde', namespace: 'ns' } })).toEqual([]);
    expect(errorsOf(configmaps, { metadata: { generateName: 'Bad-', name: 'ok-abcde', namespace: 'ns' } })).toEqual([
      `metadata.generateName: Invalid value: "Bad-": ${SUBDOMAIN_MSG}`,
    ]);
  });

  it('uses DNS-1123 labels for namespaces and DNS-1035 labels for services', () => {
    expect(errorsOf(namespaces, { metadata: { name: 'a.b' } })).toEqual([`metadata.name: Invalid value: "a.b": ${LABEL_MSG}`]);
    expect(errorsOf(services, service({ ports: [{ port: 80 }] }, '1abc'))).toEqual([`metadata.name: Invalid value: "1abc": ${DNS1035_MSG}`]);
  });

  it('limits names to 253 characters', () => {
    const name = 'a'.repeat(254);
    expect(errorsOf(configmaps, { metadata: { name, namespace: 'ns' } })).toEqual([
      `metadata.name: Invalid value: "${name}": must be no more than 253 characters`,
    ]);
  });

  it('uses path segment names for RBAC', () => {
    const roles = rtOf('rbac.authorization.k8s.io', 'roles');
    expect(errorsOf(roles, { metadata: { name: 'system:Flink_role', namespace: 'ns' } })).toEqual([]);
    expect(errorsOf(roles, { metadata: { name: 'a/b', namespace: 'ns' } })).toEqual([`metadata.name: Invalid value: "a/b": may not contain '/'`]);
    expect(errorsOf(roles, { metadata: { name: '..', namespace: 'ns' } })).toEqual([`metadata.name: Invalid value: "..": may not be '..'`]);
  });

  it('validates label keys and values', () => {
    const errs = errorsOf(configmaps, { metadata: { name: 'c', namespace: 'ns', labels: { 'bad key': 'v', 'example.com/ok': 'bad value', ['x'.repeat(64)]: '' } } });
    expect(errs).toEqual([
      "metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      "metadata.labels: Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      `metadata.labels: Invalid value: "${'x'.repeat(64)}": name part must be no more than 63 characters`,
    ]);
  });

  it('validates label key prefixes', () => {
    expect(errorsOf(configmaps, { metadata: { name: 'c', namespace: 'ns', labels: { '/a': 'b' } } })).toEqual([
      'metadata.labels: Invalid value: "/a": prefix part must be non-empty',
    ]);
    expect(errorsOf(configmaps, { metadata: { name: 'c', namespace: 'ns', labels: { 'Ex.com/a': 'b' } } })).toEqual([
      `metadata.labels: Invalid value: "Ex.com/a": prefix part ${SUBDOMAIN_MSG}`,
    ]);
  });

  it('accepts upper-case annotation keys and limits their total size', () => {
    expect(errorsOf(configmaps, { metadata: { name: 'c', namespace: 'ns', annotations: { 'Example.COM/Key': 'v' } } })).toEqual([]);
    expect(errorsOf(configmaps, { metadata: { name: 'c', namespace: 'ns', annotations: { a: 'x'.repeat(262144) } } })).toEqual([
      'metadata.annotations: Too long: must have at most 262144 bytes',
    ]);
  });

  it('validates owner references on the list path', () => {
    const refs = [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: 'u1', controller: true },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '', controller: true },
    ];
    const errs = errsOf(configmaps, { metadata: { name: 'c', namespace: 'ns', ownerReferences: refs } });
    expect(errs.map((e) => e.field)).toEqual(['metadata.ownerReferences.uid', 'metadata.ownerReferences']);
    expect(errs[1].detail).toBe('Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b');
  });

  it('forbids new finalizers on an object being deleted', () => {
    const old = { metadata: { name: 'c', namespace: 'ns', deletionTimestamp: '2026-11-29T19:37:24Z', finalizers: ['a/b'] } };
    const update = { metadata: { ...old.metadata, finalizers: ['a/b', 'x/z', 'x/y'] } };
    expect(errorsOf(configmaps, update, old)).toEqual([
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"x/y", "x/z"}',
    ]);
  });

  it('keeps the name and namespace on update', () => {
    const old = { metadata: { name: 'c', namespace: 'ns', uid: 'u1' } };
    expect(errorsOf(configmaps, { metadata: { name: 'd', namespace: 'ns', uid: 'u1' } }, old)).toEqual([
      'metadata.name: Invalid value: "d": field is immutable',
    ]);
  });
});

describe('pods', () => {
  it('requires containers', () => {
    expect(errorsOf(pods, pod({}))).toEqual(['spec.containers: Required value']);
  });

  it('validates container names and rejects duplicates', () => {
    expect(errorsOf(pods, pod({ containers: [ctr({ name: 'C' }), ctr(), ctr()] }))).toEqual([
      `spec.containers[0].name: Invalid value: "C": ${LABEL_MSG}`,
      'spec.containers[2].name: Duplicate value: "c"',
    ]);
  });

  it('rejects bad pull, restart and DNS policies', () => {
    expect(errorsOf(pods, podWith({ imagePullPolicy: 'Sometimes' }, { restartPolicy: 'Maybe', dnsPolicy: 'Google' }))).toEqual([
      'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
      'spec.restartPolicy: Unsupported value: "Maybe": supported values: "Always", "OnFailure", "Never"',
      'spec.dnsPolicy: Unsupported value: "Google": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ]);
  });

  it('validates container ports', () => {
    const ports = [
      { name: 'rest', containerPort: 8081 },
      { name: 'rest', containerPort: 70000 },
      { name: 'Bad_Name', containerPort: 1, protocol: 'HTTP' },
      { name: '123', containerPort: 2 },
    ];
    expect(errorsOf(pods, podWith({ ports }))).toEqual([
      'spec.containers[0].ports[1].name: Duplicate value: "rest"',
      'spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[2].name: Invalid value: "Bad_Name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[0].ports[2].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.containers[0].ports[3].name: Invalid value: "123": must contain at least one letter (a-z)',
    ]);
    expect(errorsOf(pods, podWith({ ports: [{ containerPort: 0 }] }))).toEqual(['spec.containers[0].ports[0].containerPort: Required value']);
  });

  it('validates env names but accepts duplicates', () => {
    expect(errorsOf(pods, podWith({ env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }, { name: 'my.var-1', value: '' }] }))).toEqual([]);
    expect(errorsOf(pods, podWith({ env: [{ name: '1A' }, { name: '' }] }))).toEqual([
      "spec.containers[0].env[0].name: Invalid value: \"1A\": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
      'spec.containers[0].env[1].name: Required value',
    ]);
  });

  it('validates env valueFrom', () => {
    expect(
      errorsOf(
        pods,
        podWith({
          env: [
            { name: 'A', valueFrom: {} },
            { name: 'B', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'C', valueFrom: { fieldRef: { fieldPath: 'spec.foo' } } },
            { name: 'D', valueFrom: { configMapKeyRef: { name: 'cm', key: 'bad key' } } },
          ],
        }),
      ),
    ).toEqual([
      'spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      'spec.containers[0].env[1].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
      'spec.containers[0].env[2].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.foo": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.podIP", "status.podIPs"',
      "spec.containers[0].env[3].valueFrom.configMapKeyRef.key: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ]);
  });

  it('validates volumes and volume mounts', () => {
    const spec = {
      containers: [ctr({ volumeMounts: [{ name: 'missing', mountPath: '/a' }, { name: 'cfg', mountPath: '/a' }] })],
      volumes: [
        { name: 'cfg', configMap: { name: 'x' } },
        { name: 'cfg', secret: { secretName: 's' } },
        { name: 'two', configMap: { name: 'x' }, secret: { secretName: 's' } },
        { name: 'mode', secret: { secretName: 's', defaultMode: 1000 } },
      ],
      automountServiceAccountToken: false,
    };
    expect(errorsOf(pods, pod(spec))).toEqual([
      'spec.volumes[1].name: Duplicate value: "cfg"',
      'spec.volumes[2].configMap: Forbidden: may not specify more than 1 volume type',
      'spec.volumes[3].secret.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive',
      'spec.containers[0].volumeMounts[0].name: Not found: "missing"',
      'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/a": must be unique',
    ]);
  });

  it('rejects requests above limits and bad resource names', () => {
    expect(errorsOf(pods, podWith({ resources: { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } } }))).toEqual([
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ]);
    expect(errorsOf(pods, podWith({ resources: { requests: { gpu: '1', pods: '1', cpu: '-1' } } }))).toEqual([
      'spec.containers[0].resources.requests[gpu]: Invalid value: gpu: must be a standard resource type or fully qualified',
      'spec.containers[0].resources.requests[gpu]: Invalid value: gpu: must be a standard resource for containers',
      'spec.containers[0].resources.requests[pods]: Invalid value: pods: must be a standard resource for containers',
      'spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0',
    ]);
    expect(errorsOf(pods, podWith({ resources: { limits: { 'nvidia.com/gpu': '1' } } }))).toEqual([]);
  });

  it('validates tolerations', () => {
    const tolerations = [
      { key: 'a', operator: 'Exists', value: 'v', effect: 'NoSchedule' },
      { operator: 'Equal', value: 'v' },
      { key: 'b', operator: 'Equal', value: 'v', effect: 'NoSchedule', tolerationSeconds: 5 },
      { key: 'c', operator: 'Lt', effect: 'Sometimes' },
    ];
    expect(errorsOf(pods, podWith({}, { tolerations }))).toEqual([
      'spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"a", Operator:"Exists", Value:"v", Effect:"NoSchedule", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is \'Exists\'',
      'spec.tolerations[1].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      "spec.tolerations[2].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
      'spec.tolerations[3].operator: Unsupported value: "Lt": supported values: "Equal", "Exists"',
      'spec.tolerations[3].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });

  it('validates nodeSelector keys and affinity', () => {
    const affinity = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'In' }] }] } },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, podAffinityTerm: { topologyKey: '' } }] },
    };
    expect(errorsOf(pods, podWith({}, { nodeSelector: { 'a b': 'x' }, affinity }))).toEqual([
      "spec.nodeSelector: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      'spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100',
      'spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: Required value: can not be empty',
    ]);
  });

  it('validates probes', () => {
    expect(errorsOf(pods, podWith({ livenessProbe: { successThreshold: 2 }, readinessProbe: { tcpSocket: { port: 'http' } } }))).toEqual([
      'spec.containers[0].livenessProbe: Required value: must specify a handler type',
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
    ]);
  });

  it('only lets a few spec fields change on update', () => {
    const old = pod({ containers: [ctr()] });
    applyDefaults(pods, old);
    const newImage = clone(old);
    newImage.spec.containers[0].image = 'flink:2.0';
    expect(errorsOf(pods, newImage, old)).toEqual([]);
    const newPort = clone(old);
    newPort.spec.containers[0].ports = [{ containerPort: 1, protocol: 'TCP' }];
    const errs = errsOf(pods, newPort, old);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: 'FieldValueForbidden', field: 'spec' });
  });
});

describe('deployments and replicasets', () => {
  it('requires a selector', () => {
    expect(errorsOf(deployments, deployment({ selector: undefined }))).toEqual([
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('rejects an empty selector', () => {
    expect(errorsOf(deployments, deployment({ selector: {} }))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    ]);
  });

  it('matches selector expressions against template labels', () => {
    const sel = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] };
    expect(errorsOf(deployments, deployment({ selector: sel }))).toEqual([]);
    const notIn = { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] };
    expect(errorsOf(deployments, deployment({ selector: notIn }))).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('rejects negative replicas and a template restartPolicy other than Always', () => {
    const d = deployment({ replicas: -1 });
    (d.spec.template.spec as any).restartPolicy = 'Never';
    expect(errorsOf(deployments, d)).toEqual([
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
  });

  it('validates the rolling update strategy', () => {
    expect(errorsOf(deployments, deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }))).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    ]);
    expect(errorsOf(deployments, deployment({ strategy: { type: 'Recreate', rollingUpdate: {} } }))).toEqual([
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]);
  });

  it('keeps a ReplicaSet selector immutable', () => {
    const rs = { ...deployment(), kind: 'ReplicaSet' } as any;
    const old = clone(rs);
    applyDefaults(replicasets, old);
    const changed = clone(old);
    changed.spec.selector = { matchLabels: { app: 'web', x: 'y' } };
    changed.spec.template.metadata.labels.x = 'y';
    expect(errorsOf(replicasets, changed, old)).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "x":"y"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });
});

describe('services', () => {
  it('requires ports unless headless', () => {
    expect(errorsOf(services, service({ selector: { a: 'b' } }))).toEqual(['spec.ports: Required value']);
    expect(errorsOf(services, service({ clusterIP: 'None', selector: { a: 'b' } }))).toEqual([]);
  });

  it('validates ports', () => {
    const ports = [
      { name: 'a', port: 80 },
      { name: 'a', port: 80, protocol: 'HTTP' },
      { port: 0, targetPort: 'Bad' },
    ];
    expect(errorsOf(services, service({ ports }))).toEqual([
      'spec.ports[1].name: Duplicate value: "a"',
      'spec.ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.ports[2].name: Required value',
      'spec.ports[2].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[2].targetPort: Invalid value: "Bad": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ]);
    expect(errorsOf(services, service({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }))).toEqual([
      'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ]);
  });

  it('validates type, node ports and headless rules', () => {
    expect(errorsOf(services, service({ type: 'Magic', ports: [{ port: 80 }] }))).toEqual([
      'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ]);
    expect(errorsOf(services, service({ ports: [{ port: 80, nodePort: 30001 }] }))).toEqual([
      "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    ]);
    expect(errorsOf(services, service({ type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }))).toEqual([
      'spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ]);
    expect(errorsOf(services, service({ type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] }))).toEqual([
      'spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services',
    ]);
    expect(errorsOf(services, service({ clusterIP: '10.0.0.300', ports: [{ port: 80 }] }))).toEqual([
      'spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
  });
});

describe('service cluster IPs', () => {
  const base = { selector: { a: 'b' }, ports: [{ port: 80 }] };
  it('keeps clusterIP and clusterIPs in step', () => {
    expect(errorsOf(services, service({ ...base, clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.2'] }))).toEqual([
      'spec.clusterIPs: Invalid value: []string{"10.0.0.2"}: first value must match `clusterIP`',
    ]);
  });

  it('allows one address per family, matching ipFamilies', () => {
    expect(errorsOf(services, service({ ...base, clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '10.0.0.2'] }))).toEqual([
      'spec.clusterIPs: Invalid value: []string{"10.0.0.1", "10.0.0.2"}: may specify no more than one IP for each IP family',
    ]);
    expect(errorsOf(services, service({ ...base, clusterIP: 'fd00::1', ipFamilies: ['IPv4'] }))).toEqual([
      'spec.clusterIPs[0]: Invalid value: "fd00::1": expected an IPv4 value as indicated by `ipFamilies[0]`',
    ]);
  });

  it('forbids loadBalancerClass outside LoadBalancer services', () => {
    expect(errorsOf(services, service({ ...base, loadBalancerClass: 'x/y' }))).toEqual([
      "spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ]);
  });
});

describe('configmaps and secrets', () => {
  it('validates keys', () => {
    expect(errorsOf(configmaps, { metadata: { name: 'c', namespace: 'ns' }, data: { 'a/b': 'x', '..x': 'y' } })).toEqual([
      "data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      "data[..x]: Invalid value: \"..x\": must not start with '..'",
    ]);
  });

  it('limits ConfigMaps to 1 MiB', () => {
    expect(errorsOf(configmaps, { metadata: { name: 'c', namespace: 'ns' }, data: { a: 'x'.repeat(1048577) } })).toEqual([
      '[]: Too long: must have at most 1048576 bytes',
    ]);
  });

  it('keeps immutable ConfigMaps immutable', () => {
    const old = { metadata: { name: 'c', namespace: 'ns' }, immutable: true, data: { a: '1' } };
    expect(errorsOf(configmaps, { ...old, data: { a: '2' } }, old)).toEqual(['data: Forbidden: field is immutable when `immutable` is set']);
  });

  it('checks the keys a Secret type needs and keeps the type', () => {
    expect(errorsOf(secrets, { metadata: { name: 's', namespace: 'ns' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } })).toEqual([
      'data[tls.key]: Required value',
    ]);
    const old = { metadata: { name: 's', namespace: 'ns' }, type: 'Opaque' };
    expect(errorsOf(secrets, { ...old, type: 'kubernetes.io/ssh-auth', data: { 'ssh-privatekey': 'eA==' } }, old)).toEqual([
      'type: Invalid value: "kubernetes.io/ssh-auth": field is immutable',
    ]);
  });
});

describe('other kinds', () => {
  it('validates RBAC rules and bindings', () => {
    const roles = rtOf('rbac.authorization.k8s.io', 'roles');
    expect(errorsOf(roles, { metadata: { name: 'r', namespace: 'ns' }, rules: [{ apiGroups: [''], resources: ['pods'] }, { verbs: ['get'], nonResourceURLs: ['/x'] }] })).toEqual([
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[1].nonResourceURLs: Invalid value: []string{"/x"}: namespaced rules cannot apply to non-resource URLs',
    ]);
    const crbs = rtOf('rbac.authorization.k8s.io', 'clusterrolebindings');
    const crb = { metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }, { kind: 'Robot', name: 'x' }] };
    expect(errorsOf(crbs, crb)).toEqual([
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
      'subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ]);
    const rbs = rtOf('rbac.authorization.k8s.io', 'rolebindings');
    const rb = { metadata: { name: 'b', namespace: 'ns' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'u' }] };
    expect(errorsOf(rbs, { ...rb, roleRef: { ...rb.roleRef, name: 'other' } }, rb)).toEqual([
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"other"}: cannot change roleRef',
    ]);
  });

  it('validates Node taints', () => {
    const nodes = rtOf('', 'nodes');
    const taints = [
      { key: 'dedicated', value: 'flink', effect: 'NoSchedule' },
      { key: 'dedicated', value: 'other', effect: 'NoSchedule' },
      { key: 'x', effect: 'Never' },
    ];
    expect(errorsOf(nodes, { metadata: { name: 'n1' }, spec: { taints } })).toEqual([
      'spec.taints[1]: Duplicate value: core.Taint{Key:"dedicated", Value:"other", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair',
      'spec.taints[2].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });

  it('validates Lease durations', () => {
    const leases = rtOf('coordination.k8s.io', 'leases');
    expect(errorsOf(leases, { metadata: { name: 'l', namespace: 'ns' }, spec: { leaseDurationSeconds: 0, leaseTransitions: -1 } })).toEqual([
      'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
      'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });

  it('checks that a core Event names its own namespace', () => {
    const events = rtOf('', 'events');
    expect(errorsOf(events, { metadata: { name: 'Any_Name', namespace: 'ns' }, involvedObject: { namespace: 'other' } })).toEqual([
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ]);
  });

  it('validates events.k8s.io Events strictly', () => {
    const events = rtOf('events.k8s.io', 'events');
    const ev = {
      metadata: { name: 'e', namespace: 'ns' },
      eventTime: '2026-11-29T19:25:19.000000Z',
      regarding: { namespace: 'ns' },
      reportingController: 'flink.apache.org/jobmanager',
      reportingInstance: 'jm-1',
      action: 'Started',
      reason: 'Started',
      type: 'Normal',
    };
    expect(errorsOf(events, ev)).toEqual([]);
    expect(errorsOf(events, { ...ev, type: 'Info', action: '' })).toEqual(['type: Invalid value: "": has invalid value: Info', 'action: Required value']);
  });

  it('validates Endpoints and EndpointSlices', () => {
    const endpoints = rtOf('', 'endpoints');
    expect(errorsOf(endpoints, { metadata: { name: 'e', namespace: 'ns' }, subsets: [{ addresses: [{ ip: 'x' }], ports: [{ port: 80 }] }] })).toEqual([
      'subsets[0].addresses[0].ip: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'subsets[0].addresses[0].ip: Invalid value: "x": must be a valid IP address',
    ]);
    expect(errorsOf(endpoints, { metadata: { name: 'e', namespace: 'ns' }, subsets: [{ addresses: [{ ip: '127.0.0.1' }, { ip: '10.244.0.2' }] }] })).toEqual([
      'subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ]);
    const slices = rtOf('discovery.k8s.io', 'endpointslices');
    expect(errorsOf(slices, { metadata: { name: 's', namespace: 'ns' }, addressType: 'IPv5', endpoints: [{ addresses: [] }] })).toEqual([
      'addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"',
      'endpoints[0].addresses: Required value: must contain at least 1 address',
    ]);
  });
});

describe('semantic equality of immutable fields', () => {
  it('treats an empty matchExpressions list like a missing one', () => {
    const old = clone(deployment());
    applyDefaults(deployments, old);
    const same = clone(old);
    same.spec.selector.matchExpressions = [];
    expect(errorsOf(deployments, same, old)).toEqual([]);
  });
});
