// Scale of simulated Flink (sim/flink) in one sim: C session clusters with T TaskManagers each
// (default 200 x 5 = 1,000 TaskManager pods), a subset with Kubernetes HA and 2 JobManagers.
//   - objects applied through the API as kubernetes-session.sh makes them (Deployment, flink-config-<id>,
//     <id>-rest, headless <id> without HA), ServiceAccount + Role + RoleBinding per namespace;
//   - each cluster gets T TaskManagers by running a job of parallelism T (1 slot per TM): a tiny jar
//     (manifest + one .class, zipped with fflate) uploaded through the service proxy, then /jars/:id/run;
//   - sim CPU (utime+stime from /proc/<pid>/stat over a window) and RSS once everything runs;
//   - on every HA cluster: delete the leader JobManager pod, time until <id>-cluster-config-map's
//     leader annotation names a new holderIdentity (seen through a watch).
// Not part of npm test; asserts nothing. Own sim on a free loopback port and temp folder; cleans up.
//
//   npx tsx bench/sim-flink-scale.ts                                   # full: 200 x 5, 20 with HA
//   npx tsx bench/sim-flink-scale.ts --clusters 10 --tms 2 --ha 3 --namespaces 2 --nodes 5   # quick
import { streamingJobJar } from '../e2e/support/test-jars';
import { stringify as toYaml } from 'yaml';
import {
  cleanupOnExit,
  cpuSecondsOf,
  flags,
  loadAverage,
  log,
  memoryOf,
  ms,
  ok,
  okRetry,
  percentiles,
  pool,
  request,
  sleep,
  startSimProcess,
  table,
  watch,
  type ApiObject,
} from './sim-bench-support';

const f = flags({
  clusters: 200,
  tms: 5,
  ha: 20, // how many of the clusters run Kubernetes HA with 2 JobManagers
  namespaces: 20,
  nodes: 50,
  image: 'flink:1.20',
  concurrency: 8, // clusters applied / jobs submitted in flight
  'wait-min': 15, // give up waiting for TaskManagers after this many minutes (then measure what is there)
  'cpu-window': 30, // seconds of steady state for the CPU figure
  'failover-concurrency': 4,
  'sim-node-args': '',
});

const LEADER_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';
const nsName = (i: number) => `flink-bench-${String(i).padStart(2, '0')}`;
const cid = (i: number) => `session-${String(i).padStart(3, '0')}`;
const nsOf = (i: number) => nsName(i % f.namespaces);
// HA on every (clusters/ha)-th cluster
const haStep = f.ha > 0 ? Math.max(1, Math.floor(f.clusters / f.ha)) : Infinity;
const isHa = (i: number) => f.ha > 0 && i % haStep === 0 && i / haStep < f.ha;
const expectedTms = f.clusters * f.tms;

const JM_RULES = [
  { apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: ['apps'], resources: ['deployments', 'deployments/finalizers'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
];

log(`sim-flink-scale: ${f.clusters} session clusters x ${f.tms} TMs = ${expectedTms} TM pods, ${f.ha} with HA (2 JMs), ${f.namespaces} namespaces, ${f.nodes} nodes, ${f.image}; load ${loadAverage()}`);
const t0 = performance.now();
const sim = await startSimProcess('flink', f['sim-node-args'] ? f['sim-node-args'].split(/\s+/) : []);
cleanupOnExit(sim);
log(`sim pid ${sim.pid} at ${sim.url}`);

// one at a time: nodes added concurrently through POST /_sim/nodes got the same podCIDR (and so the
// same pod IPs; the service proxy then reached another cluster's JobManager), see README.md
for (let i = 0; i < f.nodes; i++) {
  await okRetry(sim, 'POST', '/_sim/nodes', { name: `flink-node-${String(i).padStart(3, '0')}`, capacity: { cpu: '128', memory: '1Ti', pods: '250' } });
}

// ---- namespaces with the JobManager's ServiceAccount and RBAC ----
await pool(
  Array.from({ length: f.namespaces }, (_, i) => nsName(i)),
  4,
  async (ns) => {
    await okRetry(sim, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await okRetry(sim, 'POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'flink' } });
    await okRetry(sim, 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'flink' }, rules: JM_RULES });
    await okRetry(sim, 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'flink' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'flink' },
      subjects: [{ kind: 'ServiceAccount', name: 'flink', namespace: ns }],
    });
  },
);
log(`${f.nodes} nodes and ${f.namespaces} namespaces (ServiceAccount, Role, RoleBinding) ready`);

// ---- track Flink pods through one watch ----
const pods = new Map<string, { component: string; phase: string; app: string; ip?: string; deleting: boolean }>();
const startRv = (await ok(sim, 'GET', '/api/v1/pods?limit=1')).metadata.resourceVersion as string;
const podWatch = watch(sim, `/api/v1/pods?labelSelector=type%3Dflink-native-kubernetes&resourceVersion=${startRv}`, (type, obj) => {
  if (type === 'BOOKMARK' || type === 'ERROR') return;
  const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
  if (type === 'DELETED') pods.delete(key);
  else
    pods.set(key, {
      component: obj.metadata.labels?.component ?? '',
      app: obj.metadata.labels?.app ?? '',
      phase: obj.status?.phase ?? 'Pending',
      ip: obj.status?.podIP,
      deleting: !!obj.metadata.deletionTimestamp,
    });
});
await podWatch.opened;
const counts = () => {
  let jm = 0;
  let jmRunning = 0;
  let tm = 0;
  const perCluster = new Map<string, number>();
  for (const p of pods.values()) {
    if (p.component === 'jobmanager') {
      jm++;
      if (p.phase === 'Running' && !p.deleting) jmRunning++;
    } else if (p.component === 'taskmanager') {
      tm++;
      if (p.phase === 'Running' && !p.deleting) perCluster.set(p.app, (perCluster.get(p.app) ?? 0) + 1);
    }
  }
  // at most --tms per cluster count: a replacement TaskManager is not an extra one
  let tmRunning = 0;
  for (const n of perCluster.values()) tmRunning += Math.min(n, f.tms);
  return { jm, jmRunning, tm, tmRunning };
};
let stage = 'applying clusters';
let applied = 0;
let submitted = 0;
const tStart = performance.now();
const progressTimer = setInterval(() => {
  const c = counts();
  log(
    `${stage}: applied ${applied}/${f.clusters}, jobs ${submitted}/${f.clusters}, JM pods ${c.jmRunning}/${c.jm} Running, TM pods ${c.tmRunning}/${c.tm} Running (want ${expectedTms}), ${((performance.now() - tStart) / 1000).toFixed(0)} s, sim RSS ${memoryOf(sim.pid).rssMiB.toFixed(0)} MiB, load ${loadAverage()}`,
  );
}, 5000);

// ---- the clusters, as kubernetes-session.sh makes them ----
async function applyCluster(i: number): Promise<void> {
  const ns = nsOf(i);
  const id = cid(i);
  const ha = isHa(i);
  const conf: Record<string, unknown> = {
    'kubernetes.cluster-id': id,
    'kubernetes.namespace': ns,
    'kubernetes.container.image.ref': f.image,
    'kubernetes.service-account': 'flink',
    'execution.target': 'kubernetes-session',
    'internal.cluster.execution-mode': 'NORMAL',
    'blob.server.port': 6124,
    'taskmanager.rpc.port': 6122,
    'jobmanager.rpc.port': 6123,
    'rest.port': 8081,
    'jobmanager.memory.process.size': '1600m',
    'taskmanager.memory.process.size': '1728m',
    'taskmanager.numberOfTaskSlots': 1,
    'parallelism.default': 1,
    ...(ha
      ? {
          'high-availability.type': 'kubernetes',
          'high-availability.storageDir': `file:///flink-ha/${ns}`,
          'high-availability.cluster-id': id,
          'high-availability.jobmanager.port': 6123,
          'high-availability.kubernetes.leader-election.lease-duration': '4 s',
          'high-availability.kubernetes.leader-election.renew-deadline': '3 s',
          'high-availability.kubernetes.leader-election.retry-period': '500 ms',
          'kubernetes.jobmanager.replicas': 2,
        }
      : { 'jobmanager.rpc.address': `${id}.${ns}` }),
  };
  const labels = { type: 'flink-native-kubernetes', app: id };
  const selector = { ...labels, component: 'jobmanager' };
  const deployment = await okRetry(sim, 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: id, labels: selector },
    spec: {
      replicas: ha ? 2 : 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: selector },
        spec: {
          serviceAccountName: 'flink',
          containers: [
            {
              name: 'flink-main-container',
              image: f.image,
              imagePullPolicy: 'IfNotPresent',
              command: ['/docker-entrypoint.sh'],
              args: ['bash', '-c', 'kubernetes-jobmanager.sh kubernetes-session '],
              ports: [
                { name: 'rest', containerPort: 8081 },
                { name: 'jobmanager-rpc', containerPort: 6123 },
                { name: 'blobserver', containerPort: 6124 },
              ],
              env: [{ name: '_POD_IP_ADDRESS', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } }],
              resources: { requests: { memory: '1600Mi', cpu: '1.0' }, limits: { memory: '1600Mi', cpu: '1.0' } },
              volumeMounts: [{ name: 'flink-config-volume', mountPath: '/opt/flink/conf' }],
            },
          ],
          volumes: [
            {
              name: 'flink-config-volume',
              configMap: {
                name: `flink-config-${id}`,
                items: [
                  { key: 'log4j-console.properties', path: 'log4j-console.properties' },
                  { key: 'config.yaml', path: 'config.yaml' },
                ],
              },
            },
          ],
        },
      },
    },
  });
  const owner = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: id, uid: deployment.metadata.uid, controller: true, blockOwnerDeletion: true }];
  await okRetry(sim, 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `flink-config-${id}`, labels, ownerReferences: owner },
    data: { 'config.yaml': toYaml(conf), 'log4j-console.properties': 'rootLogger.level = INFO\n' },
  });
  await okRetry(sim, 'POST', `/api/v1/namespaces/${ns}/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `${id}-rest`, labels, ownerReferences: owner },
    spec: { type: 'ClusterIP', selector, ports: [{ name: 'rest', port: 8081, targetPort: 8081 }] },
  });
  if (!ha) {
    await okRetry(sim, 'POST', `/api/v1/namespaces/${ns}/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: id, labels, ownerReferences: owner },
      spec: { clusterIP: 'None', selector, ports: [{ name: 'jobmanager-rpc', port: 6123 }, { name: 'blobserver', port: 6124 }] },
    });
  }
}

// ---- a job of parallelism T through the service proxy ----
// a real jar whose main builds a streaming job (sim/flink refuses to run a main that builds none)
const jar = streamingJobJar('org.example.BenchJob', 'BenchJob');

function multipart(name: string, bytes: Uint8Array): { body: Buffer; type: string } {
  const boundary = `----bench${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="jarfile"; filename="${name}"\r\nContent-Type: application/x-java-archive\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, Buffer.from(bytes), tail]), type: `multipart/form-data; boundary=${boundary}` };
}

const submitMs: number[] = [];
async function submitJob(i: number, deadline: number): Promise<void> {
  const base = `/api/v1/namespaces/${nsOf(i)}/services/${cid(i)}-rest:rest/proxy`;
  const t = performance.now();
  const jobId = (0xbe0c0000 + i).toString(16).padStart(32, '0');
  let last = '';
  while (performance.now() < deadline) {
    const { body, type } = multipart('bench-job.jar', jar);
    const up = await request(sim, 'POST', `${base}/jars/upload`, body, type).catch((e) => ({ status: 0, text: String(e), body: undefined }) as const);
    if (up.status === 200 && up.body?.filename) {
      const jarId = String(up.body.filename).split('/').pop();
      // a fixed job id: a retry after an answer that got lost cannot submit a second job
      const run = await request(sim, 'POST', `${base}/jars/${jarId}/run`, { jobId, parallelism: f.tms });
      if ((run.status === 200 && run.body?.jobid === jobId) || (run.status === 400 && /DuplicateJobSubmissionException/.test(run.text))) {
        submitMs.push(performance.now() - t);
        submitted++;
        return;
      }
      last = `run ${run.status} ${run.text.slice(0, 200)}`;
    } else last = `upload ${up.status} ${up.text.slice(0, 200)}`;
    await sleep(1000); // JobManager not up yet (proxy: connection refused / 503) or a standby without the jar
  }
  throw new Error(`${cid(i)}: could not submit a job: ${last}`);
}

const ids = Array.from({ length: f.clusters }, (_, i) => i);
const deadline = tStart + f['wait-min'] * 60_000;
// apply all, then submit (each submit waits for its JobManager's REST)
await pool(ids, f.concurrency, async (i) => {
  await applyCluster(i);
  applied++;
});
const applyMs = performance.now() - tStart;
stage = 'submitting jobs';
const submitFailures: string[] = [];
await pool(ids, f.concurrency, async (i) => {
  await submitJob(i, deadline).catch((e) => submitFailures.push(String(e instanceof Error ? e.message : e)));
});
const allSubmittedMs = performance.now() - tStart;
stage = 'waiting for TaskManagers';
let allTmsMs = NaN;
for (;;) {
  const c = counts();
  if (c.tmRunning >= expectedTms) {
    allTmsMs = performance.now() - tStart;
    break;
  }
  if (performance.now() > deadline) {
    log(`gave up waiting after ${f['wait-min']} min`);
    break;
  }
  await sleep(250);
}
const loaded = counts();
log(`TM pods Running: ${loaded.tmRunning}/${expectedTms}; JM pods Running ${loaded.jmRunning}`);

// ---- steady state: CPU and RSS ----
stage = 'steady state';
const cpu0 = cpuSecondsOf(sim.pid);
const w0 = performance.now();
await sleep(f['cpu-window'] * 1000);
const cpuCores = (cpuSecondsOf(sim.pid) - cpu0) / ((performance.now() - w0) / 1000);
const memLoaded = memoryOf(sim.pid);

// ---- failover of the HA clusters ----
stage = 'failovers';
function parseLeader(cm: ApiObject | undefined): { holderIdentity: string | null } | undefined {
  const raw = cm?.metadata?.annotations?.[LEADER_ANNOTATION];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
async function leaderPodName(i: number): Promise<string | undefined> {
  const cm = await request(sim, 'GET', `/api/v1/namespaces/${nsOf(i)}/configmaps/${cid(i)}-cluster-config-map`);
  const addr: string | undefined = cm.body?.data?.['org.apache.flink.k8s.leader.restserver'];
  if (!addr) return undefined;
  const ip = /http:\/\/([^:]+):/.exec(addr.slice(addr.indexOf(',') + 1))?.[1];
  for (const [key, p] of pods) if (p.app === cid(i) && p.component === 'jobmanager' && p.ip === ip && p.phase === 'Running' && !p.deleting) return key.split('/')[1];
  return undefined;
}
const failoverFromDelete: number[] = [];
const failoverFromResponse: number[] = [];
const failoverProblems: string[] = [];
const haIds = ids.filter(isHa);
await pool(haIds, f['failover-concurrency'], async (i) => {
  const ns = nsOf(i);
  const cmName = `${cid(i)}-cluster-config-map`;
  const tFind = performance.now();
  let leader: string | undefined;
  while (!(leader = await leaderPodName(i)) && performance.now() - tFind < 60_000) await sleep(500);
  const cm = await request(sim, 'GET', `/api/v1/namespaces/${ns}/configmaps/${cmName}`);
  const old = parseLeader(cm.body)?.holderIdentity;
  if (!leader || !old) {
    failoverProblems.push(`${cid(i)}: no leader found (holder ${old ?? 'none'}, pod ${leader ?? 'none'})`);
    return;
  }
  let seen: number | undefined;
  let resolveSeen!: () => void;
  const seenP = new Promise<void>((r) => (resolveSeen = r));
  const w = watch(sim, `/api/v1/namespaces/${ns}/configmaps?fieldSelector=metadata.name%3D${cmName}&resourceVersion=${cm.body.metadata.resourceVersion}`, (type, obj, at) => {
    if (type !== 'MODIFIED' && type !== 'ADDED') return;
    const h = parseLeader(obj)?.holderIdentity;
    if (h && h !== old && seen === undefined) {
      seen = at;
      resolveSeen();
    }
  });
  await w.opened;
  const tDel = performance.now();
  await ok(sim, 'DELETE', `/api/v1/namespaces/${ns}/pods/${leader}`);
  const tResp = performance.now();
  await Promise.race([seenP, sleep(120_000)]);
  w.close();
  if (seen === undefined) {
    failoverProblems.push(`${cid(i)}: no new holderIdentity within 120 s after deleting ${leader}`);
    return;
  }
  failoverFromDelete.push(seen - tDel);
  failoverFromResponse.push(seen - tResp);
});
clearInterval(progressTimer);
podWatch.close();
const memEnd = memoryOf(sim.pid);
const cpuTotal = cpuSecondsOf(sim.pid);

// ---- report ----
const sec = (x: number) => (Number.isFinite(x) ? `${(x / 1000).toFixed(1)} s` : 'not reached');
const fd = percentiles(failoverFromDelete);
const fr = percentiles(failoverFromResponse);
const sub = percentiles(submitMs);
console.log('');
console.log(`== sim-flink-scale ${new Date().toISOString()} load ${loadAverage()} ==`);
console.log(
  table([
    ['scale', 'value'],
    ['session clusters', `${f.clusters} (${haIds.length} with HA, 2 JMs), ${f.namespaces} namespaces, ${f.nodes} nodes, ${f.image}`],
    ['applied', `${sec(applyMs)} (${f.concurrency} in flight)`],
    ['jobs submitted', `${submitted}/${f.clusters} after ${sec(allSubmittedMs)}; per cluster (incl. waiting for REST) p50 ${sec(sub.p50)}, max ${sec(sub.max)}`],
    ['TM pods Running', `${loaded.tmRunning}/${expectedTms} after ${sec(allTmsMs)} (at most ${f.tms} per cluster counted; ${loaded.tm} TM pods existed then)`],
    ['JM pods Running', `${loaded.jmRunning}`],
  ]),
);
if (submitFailures.length) console.log(`submit failures (${submitFailures.length}): ${submitFailures.slice(0, 5).join(' | ')}`);
console.log('');
console.log(
  table([
    ['sim process', 'value'],
    [`CPU over ${f['cpu-window']} s of steady state`, `${(cpuCores * 100).toFixed(0)} % of one core`],
    ['CPU time, whole run', `${cpuTotal.toFixed(1)} s`],
    ['RSS with everything running', `${memLoaded.rssMiB.toFixed(0)} MiB`],
    ['RSS at end / peak (VmHWM)', `${memEnd.rssMiB.toFixed(0)} MiB / ${memEnd.peakMiB.toFixed(0)} MiB`],
  ]),
);
console.log('');
console.log(
  table([
    ['leader change visible in <id>-cluster-config-map', 'n', 'p50', 'p95', 'max'],
    ['from the DELETE request of the leader pod', fd.n, ms(fd.p50), ms(fd.p95), ms(fd.max)],
    ['from the DELETE response', fr.n, ms(fr.p50), ms(fr.p95), ms(fr.max)],
  ]),
);
console.log(`(lease-duration 4 s, renew-deadline 3 s, retry-period 500 ms; ${f['failover-concurrency']} failovers in flight)`);
if (failoverProblems.length) console.log(`failover problems (${failoverProblems.length}): ${failoverProblems.slice(0, 5).join(' | ')}`);
log(`total wall time ${((performance.now() - t0) / 1000).toFixed(0)} s; stopping the sim`);
await sim.stop();
process.exit(0);
