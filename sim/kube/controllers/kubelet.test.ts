import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, events, podSpec, startTestSim, waitEvent, waitFor, type TestSim } from './testing';

let t: TestSim;
const ns = 'kl';
const P = (name = '') => `/api/v1/namespaces/${ns}/pods${name ? '/' + name : ''}`;

beforeAll(async () => {
  t = await startTestSim();
  await createNamespace(t.client, ns);
});
afterAll(async () => {
  await t?.stop();
});

function pod(name: string, container: Record<string, unknown>, spec: Record<string, unknown> = {}) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } }, spec: podSpec({ containers: [{ name: 'main', image: 'busybox:1.36', ...container }], ...spec }) };
}

const status = async (name: string) => (await t.client.get(P(name))).status;
const main = async (name: string) => (await status(name)).containerStatuses?.find((c: any) => c.name === 'main');

async function control(path: string, body: unknown) {
  const res = await fetch(t.sim.url + path, { method: 'POST', headers: { Authorization: `Bearer ${t.sim.adminToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBeLessThan(300);
}

describe('kubelet', () => {
  it('waits for a missing ConfigMap (FailedMount) and starts the pod once it exists', async () => {
    await t.client.create(
      P(),
      pod('needs-cm', { command: ['sleep', '3600'], volumeMounts: [{ name: 'conf', mountPath: '/opt/conf' }] }, { volumes: [{ name: 'conf', configMap: { name: 'late-config' } }] }),
    );
    const ev = await waitFor(async () => (await events(t.client, ns, 'needs-cm')).find((e) => e.reason === 'FailedMount'), 'FailedMount event');
    expect(ev).toMatchObject({ type: 'Warning', message: 'MountVolume.SetUp failed for volume "conf" : configmap "late-config" not found', source: { component: 'kubelet' } });
    const cs = await main('needs-cm');
    expect(cs.state.waiting.reason).toBe('ContainerCreating');
    expect((await status('needs-cm')).phase).toBe('Pending');
    await t.client.create(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'late-config' }, data: { 'flink-conf.yaml': 'a: b' } });
    await waitFor(async () => (await status('needs-cm')).phase === 'Running', 'pod running');
  });

  it('reports CreateContainerConfigError for a missing env ConfigMap and recovers', async () => {
    await t.client.create(P(), pod('needs-env', { command: ['sleep', '3600'], env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'env-cm', key: 'x' } } }] }));
    const cs = await waitFor(async () => {
      const c = await main('needs-env');
      return c?.state?.waiting?.reason === 'CreateContainerConfigError' && c;
    }, 'CreateContainerConfigError');
    expect(cs.state.waiting.message).toBe('configmap "env-cm" not found');
    const ev = await waitEvent(t.client, ns, 'needs-env', 'Failed');
    expect(ev.message).toBe('Error: configmap "env-cm" not found');
    await t.client.create(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'env-cm' }, data: { x: '1' } });
    await waitFor(async () => (await status('needs-env')).phase === 'Running', 'pod running');
  });

  it('ErrImagePull then ImagePullBackOff for an unknown image', async () => {
    await t.client.create(P(), pod('badimg', { image: 'doesnotexist:1.0' }));
    const cs = await waitFor(async () => {
      const c = await main('badimg');
      return c?.state?.waiting?.reason === 'ImagePullBackOff' && c;
    }, 'ImagePullBackOff');
    expect(cs.state.waiting.message).toBe('Back-off pulling image "doesnotexist:1.0"');
    const evs = await events(t.client, ns, 'badimg');
    const msgs = evs.map((e) => `${e.type} ${e.reason} ${e.message}`);
    const ref = 'docker.io/library/doesnotexist:1.0';
    expect(msgs).toEqual(
      expect.arrayContaining([
        'Normal Pulling Pulling image "doesnotexist:1.0"',
        `Warning Failed Failed to pull image "doesnotexist:1.0": rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`,
        'Warning Failed Error: ErrImagePull',
        'Normal BackOff Back-off pulling image "doesnotexist:1.0"',
        'Warning Failed Error: ImagePullBackOff',
      ]),
    );
    // Repeated pulls are aggregated into one event with a growing count, as client-go's recorder does.
    const pulling = await waitFor(async () => {
      const list = (await events(t.client, ns, 'badimg')).filter((e) => e.reason === 'Pulling');
      return list.length === 1 && list[0].count >= 2 && list[0];
    }, 'aggregated Pulling event');
    expect(Date.parse(pulling.lastTimestamp)).toBeGreaterThanOrEqual(Date.parse(pulling.firstTimestamp));
    const log = await t.client.request('GET', P('badimg') + '/log');
    expect(log.status).toBe(400);
    // The kubelet words it by the current waiting reason, which alternates between retries:
    // ErrImagePull -> "image can't be pulled", ImagePullBackOff -> "trying and failing to pull image".
    expect([
      'container "main" in pod "badimg" is waiting to start: image can\'t be pulled',
      'container "main" in pod "badimg" is waiting to start: trying and failing to pull image',
    ]).toContain(log.body.message);
  });

  it('restartPolicy Never: exit 0 -> Succeeded, exit 3 -> Failed', async () => {
    await t.client.create(P(), pod('ok', { command: ['sh', '-c', 'echo hello; exit 0'] }, { restartPolicy: 'Never' }));
    await t.client.create(P(), pod('bad', { command: ['sh', '-c', 'exit 3'] }, { restartPolicy: 'Never' }));
    await waitFor(async () => (await status('ok')).phase === 'Succeeded', 'Succeeded');
    await waitFor(async () => (await status('bad')).phase === 'Failed', 'Failed');
    expect((await main('ok')).state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect((await main('bad')).state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    const ready = (await status('ok')).conditions.find((c: any) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    const log = await t.client.request('GET', P('ok') + '/log');
    expect(log.body).toBe('hello\n');
  });

  it('restarts crashed and killed containers with restartCount and lastState', async () => {
    await t.client.create(P(), pod('victim', { command: ['sleep', '3600'] }));
    await waitFor(async () => (await status('victim')).phase === 'Running', 'running');
    await control(`/_sim/pods/${ns}/victim/kill`, { mode: 'crash' });
    const cs = await waitFor(async () => {
      const c = await main('victim');
      return c.restartCount === 1 && c.state.running && c;
    }, 'restarted once');
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    await control(`/_sim/pods/${ns}/victim/kill`, { mode: 'kill' });
    const cs2 = await waitFor(async () => {
      const c = await main('victim');
      return c.restartCount === 2 && c.state.running && c;
    }, 'restarted twice');
    expect(cs2.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
  });

  it('CrashLoopBackOff for a container that keeps failing', async () => {
    await t.client.create(P(), pod('crasher', { command: ['sh', '-c', 'echo boom; exit 1'] }));
    const cs = await waitFor(async () => {
      const c = await main('crasher');
      return c?.state?.waiting?.reason === 'CrashLoopBackOff' && c;
    }, 'CrashLoopBackOff');
    expect(cs.state.waiting.message).toMatch(/^back-off \d+(\.\d+)?m?s restarting failed container=main pod=crasher_kl\(/);
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect((await status('crasher')).phase).toBe('Running');
    const uid = (await t.client.get(P('crasher'))).metadata.uid;
    const backOff = await waitFor(async () => (await events(t.client, ns, 'crasher')).find((e) => e.reason === 'BackOff'), 'BackOff event');
    expect(backOff).toMatchObject({ type: 'Warning', message: `Back-off restarting failed container main in pod crasher_${ns}(${uid})` });
    // While waiting to restart, both the current and the previous log are the last terminated instance.
    const cur = await t.client.request('GET', P('crasher') + '/log');
    expect(cur.body).toBe('boom\n');
    const prev = await t.client.request('GET', P('crasher') + '/log', { query: { previous: true } });
    expect(prev.body).toBe('boom\n');
  });

  it('serves logs: previous, tail and follow; kubelet-worded errors', async () => {
    await t.client.create(P(), pod('talker', { image: 'nginx:1.25' }));
    await waitFor(async () => (await status('talker')).phase === 'Running', 'running');
    const tail = await t.client.request('GET', P('talker') + '/log', { query: { tailLines: 1 } });
    expect(tail.status).toBe(200);
    expect(tail.body.trim().split('\n')).toHaveLength(1);
    const prev = await t.client.request('GET', P('talker') + '/log', { query: { previous: true } });
    expect(prev.status).toBe(400);
    expect(prev.body.message).toBe('previous terminated container "main" in pod "talker" not found');

    const ac = new AbortController();
    const res = await fetch(`${t.sim.url}${P('talker')}/log?follow=true&timestamps=true`, { headers: { Authorization: `Bearer ${t.sim.adminToken}` }, signal: ac.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    // A request through the pod network shows up in nginx's access log, on the open follow stream.
    const proxied = await fetch(`${t.sim.url}${P('talker')}:80/proxy/`, { headers: { Authorization: `Bearer ${t.sim.adminToken}` } });
    expect(await proxied.text()).toContain('Welcome to nginx!');
    await waitFor(async () => {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
      return text.includes('"GET / HTTP/1.1" 200');
    }, 'access log line on the follow stream');
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z /m);
    ac.abort();
  });

  it('multi-container pods need a container name for logs', async () => {
    await t.client.create(P(), { metadata: { name: 'two' }, spec: podSpec({ containers: [{ name: 'a', image: 'busybox', command: ['sleep', '999'] }, { name: 'b', image: 'busybox', command: ['sleep', '999'] }] }) });
    await waitFor(async () => (await status('two')).phase === 'Running', 'running');
    const r = await t.client.request('GET', P('two') + '/log');
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('a container name must be specified for pod two, choose one of: [a b]');
  });

  it('deleting a pod stops it gracefully (Killing) and removes it', async () => {
    await t.client.create(P(), pod('doomed', { command: ['sleep', '3600'] }));
    await waitFor(async () => (await status('doomed')).phase === 'Running', 'running');
    const res = await t.client.delete(P('doomed'));
    expect(res.metadata.deletionTimestamp).toBeTruthy();
    await waitFor(async () => !(await t.client.getOrUndefined(P('doomed'))), 'pod gone');
    const ev = await waitEvent(t.client, ns, 'doomed', 'Killing');
    expect(ev).toMatchObject({ type: 'Normal', message: 'Stopping container main' });
  });

  it('runs init containers first, then the main containers', async () => {
    await t.client.create(P(), {
      metadata: { name: 'with-init' },
      spec: podSpec({
        initContainers: [{ name: 'setup', image: 'busybox', command: ['sh', '-c', 'echo init done'] }],
        containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }],
      }),
    });
    const st = await waitFor(async () => {
      const s = await status('with-init');
      return s.phase === 'Running' && s;
    }, 'running');
    expect(st.initContainerStatuses[0]).toMatchObject({ name: 'setup', ready: true, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    expect(st.conditions.find((c: any) => c.type === 'Initialized').status).toBe('True');
    const log = await t.client.request('GET', P('with-init') + '/log', { query: { container: 'setup' } });
    expect(log.body).toBe('init done\n');
  });

  it('resolves env from fieldRef, resourceFieldRef, secrets and envFrom; mounts Secrets and the ServiceAccount token', async () => {
    await t.client.create(`/api/v1/namespaces/${ns}/secrets`, { metadata: { name: 'creds' }, data: { user: Buffer.from('flink').toString('base64') } });
    await t.client.create(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'bulk' }, data: { A: '1', B: '2' } });
    await t.client.create(P(), {
      metadata: { name: 'envs' },
      spec: podSpec({
        containers: [
          {
            name: 'main',
            image: 'busybox',
            command: ['sh', '-c', 'echo $(MY_IP)'],
            env: [
              { name: 'MY_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
              { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
              { name: 'USER', valueFrom: { secretKeyRef: { name: 'creds', key: 'user' } } },
              { name: 'MISSING', valueFrom: { secretKeyRef: { name: 'nope', key: 'x', optional: true } } },
            ],
            envFrom: [{ configMapRef: { name: 'bulk' }, prefix: 'CM_' }],
            resources: { limits: { memory: '512Mi' } },
            volumeMounts: [{ name: 'creds', mountPath: '/etc/creds' }],
          },
        ],
        restartPolicy: 'Never',
        volumes: [{ name: 'creds', secret: { secretName: 'creds' } }],
      }),
    });
    const s = await waitFor(async () => {
      const s = await status('envs');
      return s.phase === 'Succeeded' && s;
    }, 'succeeded');
    const log = await t.client.request('GET', P('envs') + '/log');
    expect(log.body).toBe(`${s.podIP}\n`);
  });

  it('restarts a container whose liveness probe fails', async () => {
    await t.client.create(P(), pod('unlively', { command: ['sleep', '3600'], livenessProbe: { tcpSocket: { port: 9999 }, periodSeconds: 1, failureThreshold: 1 } }));
    await waitFor(async () => (await main('unlively'))?.restartCount >= 1, 'restarted by liveness');
    const killing = await waitEvent(t.client, ns, 'unlively', 'Killing');
    expect(killing.message).toBe('Container main failed liveness probe, will be restarted');
    const unhealthy = await waitEvent(t.client, ns, 'unlively', 'Unhealthy');
    expect(unhealthy.message).toMatch(/^Liveness probe failed: dial tcp 10\.244\.\d+\.\d+:9999: connect: connection refused$/);
  });
});
