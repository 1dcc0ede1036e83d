// Defaulting checked field by field against what a real v1.28 server stored.
import { describe, expect, it } from 'vitest';
import { clone, loadCapture, rtOf } from '../validation/test-helpers';
import { validateObject } from '../validation';
import { applyDefaults, defaultPullPolicy, podQOSClass } from './index';
import { canonicalQuantity } from '../validation/quantity';

/** Copies what the API server allocates (clusterIP(s), nodePorts) from the captured object. */
function copyAllocated(obj: any, captured: any): void {
  if (captured.spec?.clusterIP && obj.spec.clusterIP === undefined) {
    obj.spec.clusterIP = captured.spec.clusterIP;
    obj.spec.clusterIPs = captured.spec.clusterIPs;
  }
  (captured.spec?.ports ?? []).forEach((p: any, i: number) => {
    if (p.nodePort) obj.spec.ports[i].nodePort = p.nodePort;
  });
}

describe('applyDefaults reproduces the captured objects', () => {
  it.each([
    ['created-deployment', 'apps', 'deployments'],
    ['created-service', '', 'services'],
    ['created-nodeport-service', '', 'services'],
    ['created-headless-service', '', 'services'],
    ['created-configmap', '', 'configmaps'],
  ])('%s', (name, group, plural) => {
    const cap = loadCapture(name);
    const rt = rtOf(group, plural);
    const obj = clone(cap.request.body);
    obj.metadata.namespace = 'cap';
    applyDefaults(rt, obj);
    if (rt.kind === 'Service') {
      expect(obj.spec.clusterIP).toBe(name === 'created-headless-service' ? 'None' : undefined);
      copyAllocated(obj, cap.body);
    }
    expect(obj.spec).toEqual(cap.body.spec);
    expect(obj.status).toEqual(cap.body.status);
    expect(obj.data).toEqual(cap.body.data);
    expect(validateObject(rt, obj)).toEqual([]);
  });

  it('defaults a Deployment generation to 1 and bumps it only when the spec changes', () => {
    const rt = rtOf('apps', 'deployments');
    const created = clone(loadCapture('created-deployment').request.body);
    created.metadata.namespace = 'cap';
    applyDefaults(rt, created);
    expect(created.metadata.generation).toBe(1);
    const relabelled = clone(created);
    relabelled.metadata.labels.x = 'y';
    applyDefaults(rt, relabelled, created);
    expect(relabelled.metadata.generation).toBe(1);
    const scaled = clone(created);
    scaled.spec.replicas = 3;
    applyDefaults(rt, scaled, created);
    expect(scaled.metadata.generation).toBe(2);
  });

  it('builds the pod a ReplicaSet creates from its template (pod-created-by-replicaset)', () => {
    const rs = loadCapture('replicaset-created-by-deployment');
    const captured = loadCapture('pod-created-by-replicaset');
    const rt = rtOf('', 'pods');
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web2-57f7fdcf8-r4csv', namespace: 'cap', labels: rs.spec.template.metadata.labels },
      spec: clone(rs.spec.template.spec),
    };
    applyDefaults(rt, pod);
    const volumeName: string = (pod.spec as any).volumes[0].name;
    expect(volumeName).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const expected = JSON.parse(JSON.stringify(captured.spec).replaceAll('kube-api-access-zhhgb', volumeName));
    expect(pod.spec).toEqual(expected);
    expect((pod as any).status).toEqual(captured.status);
    expect(validateObject(rt, pod)).toEqual([]);
  });

  it('builds the ReplicaSet template the deployment controller copies (replicaset-created-by-deployment)', () => {
    const rs = loadCapture('replicaset-created-by-deployment');
    const rt = rtOf('apps', 'replicasets');
    const obj = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: rs.metadata.name, namespace: 'cap' },
      spec: {
        replicas: 1,
        selector: clone(rs.spec.selector),
        template: { metadata: { labels: clone(rs.spec.template.metadata.labels) }, spec: { containers: [{ name: 'flink', image: 'flink:1.20' }] } },
      },
    };
    applyDefaults(rt, obj);
    expect(obj.spec).toEqual(rs.spec);
    expect(validateObject(rt, obj)).toEqual([]);
  });

  it('defaults a Namespace as delete-namespace shows it', () => {
    const ns = loadCapture('delete-namespace').body;
    const rt = rtOf('', 'namespaces');
    const obj: any = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cap' } };
    applyDefaults(rt, obj);
    expect(obj.metadata.labels).toEqual(ns.metadata.labels);
    expect(obj.spec).toEqual(ns.spec);
    expect(obj.status).toEqual({ phase: 'Active' });
  });
});

describe('pod admission', () => {
  const rt = rtOf('', 'pods');
  const pod = (spec: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec });

  it('mounts no token when the pod opts out', () => {
    const p: any = pod({ automountServiceAccountToken: false, containers: [{ name: 'c', image: 'x:1' }] });
    applyDefaults(rt, p);
    expect(p.spec.volumes).toBeUndefined();
    expect(p.spec.containers[0].volumeMounts).toBeUndefined();
    expect(p.spec.serviceAccountName).toBe('default');
    expect(p.spec.serviceAccount).toBe('default');
  });

  it("honours the ServiceAccount's automountServiceAccountToken and copies its imagePullSecrets", () => {
    const p: any = pod({ serviceAccountName: 'flink', containers: [{ name: 'c', image: 'x:1' }] });
    applyDefaults(rt, p, undefined, { serviceAccount: { automountServiceAccountToken: false, imagePullSecrets: [{ name: 'reg' }] } });
    expect(p.spec.volumes).toBeUndefined();
    expect(p.spec.imagePullSecrets).toEqual([{ name: 'reg' }]);
    expect(p.spec.serviceAccount).toBe('flink');
  });

  it('mounts the token in init containers too, and not over an existing mount', () => {
    const p: any = pod({
      initContainers: [{ name: 'i', image: 'x:1' }],
      containers: [{ name: 'c', image: 'x:1', volumeMounts: [{ name: 'own', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }],
      volumes: [{ name: 'own', emptyDir: {} }],
    });
    applyDefaults(rt, p);
    expect(p.spec.initContainers[0].volumeMounts).toHaveLength(1);
    expect(p.spec.containers[0].volumeMounts).toHaveLength(1);
    expect(p.spec.volumes).toHaveLength(2);
  });

  it('keeps tolerations that already cover not-ready and unreachable', () => {
    const p: any = pod({ containers: [{ name: 'c', image: 'x:1' }], tolerations: [{ operator: 'Exists' }] });
    applyDefaults(rt, p);
    expect(p.spec.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  it('defaults requests to limits and computes the QoS class', () => {
    const p: any = pod({ containers: [{ name: 'c', image: 'x:1', resources: { limits: { cpu: '1', memory: '1Gi' } } }] });
    applyDefaults(rt, p);
    expect(p.spec.containers[0].resources.requests).toEqual({ cpu: '1', memory: '1Gi' });
    expect(p.status.qosClass).toBe('Guaranteed');
    expect(podQOSClass({ spec: { containers: [{ resources: { requests: { cpu: '1' } } }] } })).toBe('Burstable');
    expect(podQOSClass({ spec: { containers: [{ resources: { requests: { cpu: '0' } } }] } })).toBe('BestEffort');
    const same = { cpu: '1', memory: '1Gi' };
    const equivalent = { cpu: '1000m', memory: '1024Mi' };
    expect(podQOSClass({ spec: { containers: [{ resources: { requests: same, limits: equivalent } }] } })).toBe('Guaranteed');
  });

  it('keeps admission fields through an update that leaves them out', () => {
    const old: any = pod({ containers: [{ name: 'c', image: 'x:1' }] });
    applyDefaults(rt, old);
    const update = clone(old);
    delete update.spec.priority;
    delete update.spec.preemptionPolicy;
    delete update.spec.tolerations;
    applyDefaults(rt, update, old);
    expect(update.spec).toEqual(old.spec);
    expect(validateObject(rt, update, old)).toEqual([]);
  });

  it('gives system priority classes their priority', () => {
    const p: any = pod({ priorityClassName: 'system-node-critical', containers: [{ name: 'c', image: 'x:1' }] });
    applyDefaults(rt, p);
    expect(p.spec.priority).toBe(2000001000);
    expect(p.spec.preemptionPolicy).toBe('PreemptLowerPriority');
  });

  it('defaults volumes, env fieldRefs and probes', () => {
    const p: any = pod({
      containers: [
        {
          name: 'c',
          image: 'x:1',
          env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          livenessProbe: { httpGet: { port: 8081 } },
        },
      ],
      volumes: [{ name: 'cfg', configMap: { name: 'flink-config-x' } }, { name: 's', secret: { secretName: 's' } }, { name: 'e' }],
    });
    applyDefaults(rt, p);
    expect(p.spec.containers[0].env[0].valueFrom.fieldRef.apiVersion).toBe('v1');
    expect(p.spec.containers[0].livenessProbe).toEqual({
      httpGet: { port: 8081, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(p.spec.volumes[0].configMap.defaultMode).toBe(420);
    expect(p.spec.volumes[1].secret.defaultMode).toBe(420);
    expect(p.spec.volumes[2].emptyDir).toEqual({});
    expect(validateObject(rt, p)).toEqual([]);
  });
});

describe('defaultPullPolicy', () => {
  it.each([
    ['flink', 'Always'],
    ['flink:latest', 'Always'],
    ['localhost:5000/flink', 'Always'],
    ['flink:1.20', 'IfNotPresent'],
    ['registry.example.com:5000/team/flink:2.0', 'IfNotPresent'],
    ['flink@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
  ])('%s -> %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });
});

describe('other kinds', () => {
  it('defaults a Secret to Opaque and folds stringData into data', () => {
    const s: any = { metadata: { name: 's', namespace: 'ns' }, stringData: { a: 'hé' }, data: { b: 'eA==' } };
    applyDefaults(rtOf('', 'secrets'), s);
    expect(s).toEqual({ metadata: { name: 's', namespace: 'ns' }, type: 'Opaque', data: { a: 'aMOp', b: 'eA==' } });
  });

  it('defaults LoadBalancer services', () => {
    const svc: any = { metadata: { name: 'lb', namespace: 'ns' }, spec: { type: 'LoadBalancer', ports: [{ port: 80, targetPort: 'http' }], selector: { a: 'b' } } };
    applyDefaults(rtOf('', 'services'), svc);
    expect(svc.spec).toMatchObject({
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
      sessionAffinity: 'None',
      ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  it('makes a selector-less headless service RequireDualStack', () => {
    const svc: any = { metadata: { name: 'h', namespace: 'ns' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } };
    applyDefaults(rtOf('', 'services'), svc);
    expect(svc.spec.ipFamilyPolicy).toBe('RequireDualStack');
    expect(svc.spec.clusterIPs).toEqual(['None']);
  });

  it('keeps allocated cluster IPs through an update that leaves them out', () => {
    const rt = rtOf('', 'services');
    const old = loadCapture('created-service').body;
    const update = clone(old);
    delete update.spec.clusterIP;
    delete update.spec.clusterIPs;
    applyDefaults(rt, update, old);
    expect(update.spec.clusterIPs).toEqual(old.spec.clusterIPs);
    expect(validateObject(rt, update, old)).toEqual([]);
  });

  it('keeps allocated node ports through an update that leaves them out', () => {
    const rt = rtOf('', 'services');
    const old = loadCapture('created-nodeport-service').body;
    const update = clone(old);
    delete update.spec.ports[0].nodePort;
    applyDefaults(rt, update, old);
    expect(update.spec.ports[0].nodePort).toBe(old.spec.ports[0].nodePort);
    expect(validateObject(rt, update, old)).toEqual([]);
  });

  it('serializes a core Event the way the captures show it', () => {
    const ev: any = { metadata: { name: 'e', namespace: 'cap' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'cap' }, reason: 'X' };
    applyDefaults(rtOf('', 'events'), ev);
    expect(ev).toMatchObject({ eventTime: null, firstTimestamp: null, lastTimestamp: null, reportingComponent: '', reportingInstance: '', source: {} });
  });

  it('defaults RBAC subjects apiGroup', () => {
    const rb: any = { subjects: [{ kind: 'User', name: 'u' }, { kind: 'ServiceAccount', name: 's', namespace: 'n' }] };
    applyDefaults(rtOf('rbac.authorization.k8s.io', 'rolebindings'), rb);
    expect(rb.subjects).toEqual([
      { kind: 'User', name: 'u', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 's', namespace: 'n' },
    ]);
  });
});

describe('quantities and Go zero values as the API server stores them', () => {
  it('writes quantities in canonical form (resource.Quantity String())', () => {
    const table: [unknown, string][] = [
      ['1.0', '1'], ['1000m', '1'], ['0.5', '500m'], ['.5', '500m'], ['1Gi', '1Gi'], ['1024Mi', '1Gi'], ['1000M', '1G'],
      ['1e3', '1e3'], ['1E3', '1e3'], ['1.5e3', '1500'], ['3e3', '3e3'], ['100m', '100m'], ['1500m', '1500m'], ['0.1', '100m'],
      ['1.5Gi', '1536Mi'], ['0.5Ki', '512'], ['.001Ki', '1024m'], ['.000001Ki', '1024u'], ['.000000000001Ki', '2n'],
      ['2048', '2048'], ['1600Mi', '1600Mi'], ['1677721600', '1677721600'], ['0', '0'], ['0.0', '0'], ['0Gi', '0'], ['-1.0', '-1'], ['+2k', '2k'],
      ['0.0000000001', '1n'], [2, '2'], [0.25, '250m'], ['12e-1', '1200e-3'], ['123456789012345678901234567890', '123456789012345678901234567890'],
    ];
    for (const [input, want] of table) expect([input, canonicalQuantity(input)]).toEqual([input, want]);
    expect(canonicalQuantity('1.2.3')).toBeUndefined();
    expect(canonicalQuantity('1Qi')).toBeUndefined();
  });

  it('stores a pod\'s and a template\'s requests and limits canonically and leaves false plain bools out', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns' },
      spec: {
        hostNetwork: false,
        hostPID: false,
        hostIPC: false,
        containers: [{ name: 'c', image: 'nginx:1', stdin: false, tty: false, resources: { limits: { cpu: '1.0', memory: '1600Mi' }, requests: { cpu: 0.5 } }, volumeMounts: [{ name: 'v', mountPath: '/v', readOnly: false }] }],
        volumes: [{ name: 'v', emptyDir: { sizeLimit: '1024Mi' } }],
      },
    };
    applyDefaults(rtOf('', 'pods'), pod);
    const spec: any = pod.spec;
    expect(spec.containers[0].resources).toEqual({ limits: { cpu: '1', memory: '1600Mi' }, requests: { cpu: '500m', memory: '1600Mi' } });
    expect(spec).not.toHaveProperty('hostNetwork');
    expect(spec).not.toHaveProperty('hostPID');
    expect(spec).not.toHaveProperty('hostIPC');
    expect(spec.containers[0]).not.toHaveProperty('stdin');
    expect(spec.containers[0]).not.toHaveProperty('tty');
    expect(spec.containers[0].volumeMounts[0]).toEqual({ name: 'v', mountPath: '/v' });
    expect(spec.volumes[0].emptyDir).toEqual({ sizeLimit: '1Gi' });
    const dep: any = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'ns' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'flink:1.20', resources: { requests: { cpu: '1.0', memory: '1600Mi' }, limits: { cpu: '1000m', memory: '1600Mi' } } }] } } } };
    applyDefaults(rtOf('apps', 'deployments'), dep);
    expect(dep.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '1', memory: '1600Mi' }, limits: { cpu: '1', memory: '1600Mi' } });
    expect(dep.spec.template.spec.hostNetwork).toBe(true);
  });
});
