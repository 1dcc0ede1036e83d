import { describe, expect, it } from 'vitest';
import { humanDuration, includeObjectError, printPod, toTable } from './index';
import { findResource } from '../resources';
import { readSpecJson } from '../openapi/specs-dir';

const rt = (group: string, plural: string) => findResource(group, 'v1', plural)!;
const cap = (f: string) => readSpecJson(`captured/${f}`);
const T0 = Date.parse('2026-11-29T19:37:19Z');

describe('toTable against the captures', () => {
  it('pods: columns, cells and PartialObjectMetadata rows', () => {
    const c = cap('table-pods.json').body;
    const pods = c.rows.map((r: any) => {
      const full = cap('pod-created-by-replicaset.json');
      const pod = structuredClone(full.body ?? full);
      pod.metadata = r.object.metadata;
      return pod;
    });
    const t = toTable(rt('', 'pods'), pods, { resourceVersion: c.metadata.resourceVersion }, 'Metadata', T0 + 5000);
    expect(t).toEqual(c);
    expect(JSON.stringify(t)).toBe(JSON.stringify(c));
  });

  it('deployments', () => {
    const c = cap('table-deployments.json').body;
    const created = cap('created-deployment.json').body;
    const dep = { ...structuredClone(created), metadata: c.rows[0].object.metadata, status: { replicas: 1, updatedReplicas: 1, unavailableReplicas: 1 } };
    const t = toTable(rt('apps', 'deployments'), [dep], { resourceVersion: c.metadata.resourceVersion }, undefined, T0 + 5000);
    expect(t).toEqual(c);
    expect(JSON.stringify(t)).toBe(JSON.stringify(c));
  });

  it('includeObject None and Object', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', creationTimestamp: '2026-11-29T19:37:19Z' }, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } };
    const none = toTable(rt('', 'configmaps'), [cm], { resourceVersion: '5', continue: 'abc' }, 'None', T0 + 200_000);
    expect(none.metadata).toEqual({ resourceVersion: '5', continue: 'abc' });
    expect(none.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(none.rows).toEqual([{ cells: ['c', 3, '3m20s'], object: null }]);
    expect(toTable(rt('', 'configmaps'), [cm], {}, 'Object', T0).rows[0].object).toBe(cm);
    expect(includeObjectError('x')).toMatchObject({ code: 400, reason: 'BadRequest', message: 'unrecognized includeObject value: "x"' });
  });
});

describe('columns per kind', () => {
  const names = (group: string, plural: string) => toTable(rt(group, plural), [], {}).columnDefinitions.map((c: any) => c.name);
  it('has the printer columns', () => {
    expect(names('', 'services')).toEqual(['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
    expect(names('', 'secrets')).toEqual(['Name', 'Type', 'Data', 'Age']);
    expect(names('', 'namespaces')).toEqual(['Name', 'Status', 'Age']);
    expect(names('', 'nodes')).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']);
    expect(names('', 'events')).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name']);
    expect(names('events.k8s.io', 'events')).toEqual(names('', 'events'));
    expect(names('apps', 'replicasets')).toEqual(['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector']);
    expect(names('', 'endpoints')).toEqual(['Name', 'Endpoints', 'Age']);
    expect(names('', 'serviceaccounts')).toEqual(['Name', 'Secrets', 'Age']);
    expect(names('coordination.k8s.io', 'leases')).toEqual(['Name', 'Holder', 'Age']);
    expect(names('rbac.authorization.k8s.io', 'rolebindings')).toEqual(['Name', 'Role', 'Age', 'Users', 'Groups', 'ServiceAccounts']);
    expect(names('discovery.k8s.io', 'endpointslices')).toEqual(['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
    expect(names('rbac.authorization.k8s.io', 'clusterroles')).toEqual(['Name', 'Created At']);
    for (const c of toTable(rt('', 'nodes'), [], {}).columnDefinitions) expect(c.description.length).toBeGreaterThan(5);
  });

  it('prints cells for the other kinds', () => {
    const now = T0 + 2 * 86400_000 + 3 * 3600_000;
    const meta = (name: string, extra: any = {}) => ({ name, creationTimestamp: '2026-11-29T19:37:19Z', ...extra });
    const cells = (group: string, plural: string, o: any) => toTable(rt(group, plural), [o], {}, 'None', now).rows[0].cells;
    expect(cells('', 'services', { metadata: meta('s'), spec: { type: 'NodePort', clusterIPs: ['10.0.0.5'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 81, protocol: 'UDP' }], selector: { b: '2', a: '1' } } })).toEqual([
      's',
      'NodePort',
      '10.0.0.5',
      '<none>',
      '80:30080/TCP,81/UDP',
      '2d3h',
      'a=1,b=2',
    ]);
    expect(cells('', 'services', { metadata: meta('h'), spec: { type: 'ClusterIP', clusterIPs: ['None'] } })).toEqual(['h', 'ClusterIP', 'None', '<none>', '<none>', '2d3h', '<none>']);
    expect(cells('', 'secrets', { metadata: meta('x'), type: 'Opaque', data: { a: 'eA==' } })).toEqual(['x', 'Opaque', 1, '2d3h']);
    expect(cells('', 'namespaces', { metadata: meta('ns'), status: { phase: 'Active' } })).toEqual(['ns', 'Active', '2d3h']);
    expect(
      cells('', 'nodes', {
        metadata: meta('n1', { labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '' } }),
        spec: { unschedulable: true },
        status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '10.1.0.1' }], nodeInfo: { kubeletVersion: 'v1.28.0' } },
      }),
    ).toEqual(['n1', 'Ready,SchedulingDisabled', 'control-plane,worker', '2d3h', 'v1.28.0', '10.1.0.1', '<none>', '<unknown>', '<unknown>', '<unknown>']);
    expect(
      cells('', 'events', {
        metadata: meta('web.1'),
        involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{c}' },
        reason: 'Pulled',
        message: 'ok \n',
        type: 'Normal',
        source: { component: 'kubelet', host: 'n1' },
        firstTimestamp: '2026-11-29T19:37:19Z',
        lastTimestamp: '2026-11-30T19:37:19Z',
        count: 3,
      }),
    ).toEqual(['27h', 'Normal', 'Pulled', 'pod/web', 'spec.containers{c}', 'kubelet, n1', 'ok', '2d3h', 3, 'web.1']);
    expect(
      cells('events.k8s.io', 'events', {
        apiVersion: 'events.k8s.io/v1',
        metadata: meta('e2'),
        regarding: { kind: 'Deployment', name: 'web' },
        reason: 'ScalingReplicaSet',
        note: 'Scaled up',
        type: 'Normal',
        eventTime: '2026-11-29T19:37:19.000000Z',
        reportingController: 'deployment-controller',
      }),
    ).toEqual(['2d3h', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up', '2d3h', 1, 'e2']);
    expect(
      cells('', 'endpoints', { metadata: meta('ep'), subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 8081 }, { port: 6123 }] }] }),
    ).toEqual(['ep', '10.0.0.1:8081,10.0.0.2:8081,10.0.0.1:6123 + 1 more...', '2d3h']);
    expect(cells('', 'endpoints', { metadata: meta('ep') })).toEqual(['ep', '<none>', '2d3h']);
    expect(cells('discovery.k8s.io', 'endpointslices', { metadata: meta('es'), addressType: 'IPv4', ports: [{ port: 80 }], endpoints: [{ addresses: ['10.0.0.1'] }] })).toEqual(['es', 'IPv4', '80', '10.0.0.1', '2d3h']);
    expect(cells('discovery.k8s.io', 'endpointslices', { metadata: meta('es'), addressType: 'IPv4' })).toEqual(['es', 'IPv4', '<unset>', '<unset>', '2d3h']);
    expect(cells('coordination.k8s.io', 'leases', { metadata: meta('l'), spec: { holderIdentity: 'jm-1' } })).toEqual(['l', 'jm-1', '2d3h']);
    expect(
      cells('rbac.authorization.k8s.io', 'rolebindings', {
        metadata: meta('rb'),
        roleRef: { kind: 'ClusterRole', name: 'edit' },
        subjects: [{ kind: 'User', name: 'u' }, { kind: 'ServiceAccount', name: 'flink', namespace: 'ns' }, { kind: 'Group', name: 'g' }],
      }),
    ).toEqual(['rb', 'ClusterRole/edit', '2d3h', 'u', 'g', 'ns/flink']);
    expect(cells('rbac.authorization.k8s.io', 'clusterroles', { metadata: meta('cr') })).toEqual(['cr', '2026-11-29T19:37:19Z']);
    expect(cells('', 'serviceaccounts', { metadata: meta('default') })).toEqual(['default', 0, '2d3h']);
    expect(
      cells('apps', 'replicasets', {
        metadata: meta('rs'),
        spec: { replicas: 2, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] }, template: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } } },
        status: { replicas: 2, readyReplicas: 1 },
      }),
    ).toEqual(['rs', 2, 2, 1, '2d3h', 'a,b', 'x,y', 'app=web,tier in (a,b)']);
  });
});

describe('pod status column', () => {
  const now = T0 + 600_000;
  const base = (status: any, extra: any = {}) => ({
    metadata: { name: 'p', creationTimestamp: '2026-11-29T19:37:19Z', ...(extra.metadata ?? {}) },
    spec: { containers: [{ name: 'c' }], nodeName: 'n1', ...(extra.spec ?? {}) },
    status,
  });
  const cells = (pod: any) => printPod(pod, now).cells;
  it('Pending and ContainerCreating', () => {
    expect(cells(base({ phase: 'Pending' })).slice(1, 4)).toEqual(['0/1', 'Pending', '0']);
    expect(cells(base({ phase: 'Pending', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }))[2]).toBe('ContainerCreating');
  });
  it('Running, ready, with IP and restarts ago', () => {
    const c = cells(
      base({
        phase: 'Running',
        podIPs: [{ ip: '10.244.0.5' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'c', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: '2026-11-29T19:44:19Z' } } }],
      }),
    );
    expect(c).toEqual(['p', '1/1', 'Running', '2 (3m ago)', '10m', '10.244.0.5', 'n1', '<none>', '<none>']);
  });
  it('ErrImagePull, ImagePullBackOff, CrashLoopBackOff, Error, Completed', () => {
    for (const reason of ['ErrImagePull', 'ImagePullBackOff', 'CrashLoopBackOff']) {
      expect(cells(base({ phase: reason === 'CrashLoopBackOff' ? 'Running' : 'Pending', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { waiting: { reason } } }] }))[2]).toBe(reason);
    }
    expect(cells(base({ phase: 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 1, reason: 'Error' } } }] }))[2]).toBe('Error');
    expect(cells(base({ phase: 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 137 } } }] }))[2]).toBe('ExitCode:137');
    const done = printPod(base({ phase: 'Succeeded', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }), now);
    expect(done.cells[2]).toBe('Completed');
    expect(done.conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  });
  it('Terminating and Init states', () => {
    expect(cells(base({ phase: 'Running', containerStatuses: [{ name: 'c', ready: true, state: { running: {} } }] }, { metadata: { deletionTimestamp: '2026-11-29T19:40:00Z' } }))[2]).toBe('Terminating');
    const init = { spec: { initContainers: [{ name: 'i1' }, { name: 'i2' }] } };
    expect(cells(base({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { running: {} } }] }, init))[2]).toBe('Init:0/2');
    expect(cells(base({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 0 } } }, { name: 'i2', state: { waiting: { reason: 'CrashLoopBackOff' } } }] }, init))[2]).toBe(
      'Init:CrashLoopBackOff',
    );
    expect(cells(base({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 2, reason: 'Error' } } }] }, init))[2]).toBe('Init:Error');
  });
  it('readiness gates', () => {
    const pod = base({ phase: 'Running', conditions: [{ type: 'x/ready', status: 'True' }] }, { spec: { readinessGates: [{ conditionType: 'x/ready' }, { conditionType: 'y' }] } });
    expect(cells(pod)[8]).toBe('1/2');
  });
});

describe('humanDuration', () => {
  it('formats like apimachinery', () => {
    const s = 1000;
    expect(humanDuration(5 * s)).toBe('5s');
    expect(humanDuration(-1500)).toBe('0s');
    expect(humanDuration(-3 * s)).toBe('<invalid>');
    expect(humanDuration(119 * s)).toBe('119s');
    expect(humanDuration(200 * s)).toBe('3m20s');
    expect(humanDuration(300 * s)).toBe('5m');
    expect(humanDuration(150 * 60 * s)).toBe('150m');
    expect(humanDuration(3 * 3600 * s + 5 * 60 * s)).toBe('3h5m');
    expect(humanDuration(30 * 3600 * s)).toBe('30h');
    expect(humanDuration(51 * 3600 * s)).toBe('2d3h');
    expect(humanDuration(30 * 86400 * s)).toBe('30d');
    expect(humanDuration(800 * 86400 * s)).toBe('2y70d');
  });
});
