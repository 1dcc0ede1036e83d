import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '@/lib/k8s/clusters/testing/route-harness';
import { hideSensitiveValues, toShownObject } from '@/lib/k8s/pod-logs-config';

vi.mock('server-only', () => ({}));

// The cluster page's configuration and YAML routes against a sim this file starts, with clusters
// created the way the form creates them (POST /api/clusters).
const configRoute = await import('./route');
const objectRoute = await import('./object/route');
const createRoute = await import('../../../route');

let h: Harness;
const ns = `config-${Date.now().toString(36)}`;
const SECRET_VALUE = 'pa55-s3cr3t-value';

function get(route: { GET: (r: Request, c: never) => Promise<Response> }, id: string, suffix: string): Promise<Response> {
  return route.GET(new Request(`http://dashboard.test/api/clusters/${ns}/${id}/config${suffix}`), { params: Promise.resolve({ namespace: ns, id }) } as never);
}

async function create(body: Record<string, unknown>): Promise<void> {
  const res = await createRoute.POST(
    new Request('http://dashboard.test/api/clusters', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ namespace: ns, ...body }) }),
    {},
  );
  expect(res.status, await res.clone().text()).toBe(201);
}

beforeAll(async () => {
  h = await startHarness();
  await h.sim.createNamespace(ns);
  await h.sim.request('POST', `/api/v1/namespaces/${ns}/secrets`, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db' },
    stringData: { password: SECRET_VALUE },
  });
  await create({
    clusterId: 'modern',
    flinkConfig: [
      { key: 's3.secret-key', value: 'AKIA-plain-in-config' },
      { key: 'state.checkpoints.dir', value: 's3://bucket/checkpoints' },
    ],
    secretsAsEnv: [{ envName: 'DB_PASSWORD', secretName: 'db', key: 'password' }],
  });
  await create({ clusterId: 'legacy', flinkVersion: '1.19', configFileFormat: 'flink-conf.yaml' });
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

describe('GET /api/clusters/:ns/:id/config', () => {
  it('gives config.yaml of flink-config-<id>, with the values of sensitive keys hidden as Flink hides them', async () => {
    const res = await get(configRoute, 'modern', '');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { configMap: string; file: string; content: string; otherFiles: string[]; hidden: boolean };
    expect(body).toMatchObject({ configMap: 'flink-config-modern', file: 'config.yaml', hidden: true });
    expect(body.otherFiles).toContain('log4j-console.properties');
    // Flink writes config.yaml as nested standard YAML.
    expect(body.content).toMatch(/kubernetes:\n(\s+.*\n)*?\s+cluster-id: modern/);
    expect(body.content).toContain('s3://bucket/checkpoints');
    expect(body.content).not.toContain('AKIA-plain-in-config');
    expect(body.content).toMatch(/s3:\n\s+secret-key: \*{6}/);
  });

  it('gives flink-conf.yaml on a cluster made that way', async () => {
    const body = (await (await get(configRoute, 'legacy', '')).json()) as { file: string; content: string };
    expect(body.file).toBe('flink-conf.yaml');
    expect(body.content).toContain('kubernetes.cluster-id: legacy');
  });

  it('a cluster without its ConfigMap is a plain 404', async () => {
    const res = await get(configRoute, 'nothere', '');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(`There is no ConfigMap flink-config-nothere in namespace ${ns}.`);
  });
});

describe('GET /api/clusters/:ns/:id/config/object', () => {
  it('the Deployment as YAML: no managedFields, the secretKeyRef by name only, never the Secret value', async () => {
    const res = await get(objectRoute, 'modern', '?kind=Deployment&name=modern');
    expect(res.status).toBe(200);
    const { yaml } = (await res.json()) as { yaml: string };
    expect(yaml).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\n/);
    expect(yaml).toContain('secretKeyRef:');
    expect(yaml).toContain('name: db');
    expect(yaml).not.toContain('managedFields');
    expect(yaml).not.toContain(SECRET_VALUE);
    expect(yaml).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
  });

  it('the flink-config ConfigMap as YAML hides sensitive values too', async () => {
    const { yaml } = (await (await get(objectRoute, 'modern', '?kind=ConfigMap&name=flink-config-modern')).json()) as { yaml: string };
    expect(yaml).toContain('kind: ConfigMap');
    expect(yaml).not.toContain('AKIA-plain-in-config');
  });

  it('never serves a Secret, nor an object of another cluster', async () => {
    const secret = await get(objectRoute, 'modern', '?kind=Secret&name=db');
    expect(secret.status).toBe(422);
    expect(await secret.text()).not.toContain(SECRET_VALUE);
    const other = await get(objectRoute, 'modern', '?kind=Deployment&name=legacy');
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { message: string } }).error.message).toBe('Deployment legacy is not part of Flink cluster modern.');
  });
});

describe('hideSensitiveValues', () => {
  it('hides flat and nested sensitive keys and keeps the rest as written', () => {
    const text = ['s3.access-key: AK', 'fs:', '  azure:', '    account:', '      key: k1', 'security:', '  ssl:', '    keystore-password: pw', '    enabled: true', 'password.note: # comment only', 'taskmanager.numberOfTaskSlots: 2'].join('\n');
    expect(hideSensitiveValues(text).split('\n')).toEqual([
      's3.access-key: AK',
      'fs:',
      '  azure:',
      '    account:',
      '      key: ******',
      'security:',
      '  ssl:',
      '    keystore-password: ******',
      '    enabled: true',
      'password.note: ******',
      'taskmanager.numberOfTaskSlots: 2',
    ]);
  });
});

describe('toShownObject', () => {
  it('strips metadata.managedFields (a ConfigMap as a real kube-apiserver 1.28 returned it; the sim keeps none)', () => {
    // sim/kube/specs/kubernetes-1.28/captured/created-configmap.json, the response body.
    const real = {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: {
        name: 'c1',
        namespace: 'cap',
        uid: '7dcdbc2d-321b-431f-89be-c125555a1334',
        resourceVersion: '988',
        creationTimestamp: '2026-11-29T19:37:19Z',
        labels: { a: 'b' },
        managedFields: [
          {
            manager: 'Python-urllib',
            operation: 'Update',
            apiVersion: 'v1',
            time: '2026-11-29T19:37:19Z',
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:data': { '.': {}, 'f:k': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } } },
          },
        ],
      },
      data: { k: 'v' },
    };
    const shown = toShownObject(real, 'ConfigMap');
    expect(shown.metadata).not.toHaveProperty('managedFields');
    expect(shown).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'c1', labels: { a: 'b' } }, data: { k: 'v' } });
    expect(real.metadata.managedFields).toHaveLength(1);
  });
});
