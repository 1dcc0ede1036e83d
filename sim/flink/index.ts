// sim/flink entry point: registers the official Flink images, the Flink runtime (JobManagers and
// TaskManagers started the way the image's entrypoint starts them) and the /_sim/flink control routes.
import type { ServerResponse } from 'node:http';
import type { Sim } from '../kube/types';
import type { ContainerContext, ContainerProcess, Runtime } from '../kube/runtime';
import { flinkVersionOf, normalizeImage } from './images';
import { containerArgv, IllegalConfigurationException, loadConfiguration, parseDynamicProperties, Conf } from './config';
import { jobManagerProcessSpec, taskExecutorProcessSpec } from './memory';
import { FlinkWorld } from './world';
import { DEFAULT_JM_TIMING, JmTiming, JobManagerProcess } from './jobmanager';
import { TaskManagerProcess } from './taskmanager';
import { FlinkLogger, L } from './log';

export { FlinkWorld };

export interface FlinkOptions {
  /** simulated delays of the Flink processes (tests shorten them) */
  timing?: Partial<JmTiming>;
}

const worlds = new WeakMap<Sim, FlinkWorld>();

/** The Flink state of a sim (for tests and benchmarks). */
export function flinkWorldOf(sim: Sim): FlinkWorld | undefined {
  return worlds.get(sim);
}

function role(container: { command: string[]; args: string[] }): { kind: 'jobmanager' | 'taskmanager'; mode?: 'session' | 'application'; argv: string[] } | undefined {
  const argv = containerArgv(container.command, container.args);
  const jm = argv.findIndex((a) => a === 'kubernetes-jobmanager.sh' || a.endsWith('/kubernetes-jobmanager.sh'));
  if (jm >= 0) {
    const target = argv[jm + 1];
    if (target === 'kubernetes-session' || target === 'kubernetes-application') return { kind: 'jobmanager', mode: target === 'kubernetes-session' ? 'session' : 'application', argv: argv.slice(jm + 2) };
    return undefined;
  }
  const tm = argv.findIndex((a) => a === 'kubernetes-taskmanager.sh' || a.endsWith('/kubernetes-taskmanager.sh'));
  if (tm >= 0) return { kind: 'taskmanager', argv: argv.slice(tm + 1) };
  return undefined;
}

function json(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(text);
}

export function installFlink(sim: Sim, opts: FlinkOptions = {}): FlinkWorld {
  const world = new FlinkWorld(sim);
  worlds.set(sim, world);
  const timing: JmTiming = { ...DEFAULT_JM_TIMING, ...(opts.timing ?? {}) };
  const versionOf = (image: string) => flinkVersionOf(image, world.customImages);

  sim.runtimes.addImages((image) => versionOf(image) !== undefined);

  // Other commands in a Flink image (e.g. `sleep`, `help`) run as whatever else handles them;
  // if nothing does, the process just runs until it is stopped.
  let probing = false;
  const fallback: Runtime = {
    name: 'flink-image-generic',
    handles(c) {
      if (probing || versionOf(c.image) === undefined || role(c)) return false;
      probing = true;
      try {
        const other = sim.runtimes.resolve(c);
        return !other;
      } finally {
        probing = false;
      }
    },
    start(ctx) {
      const stop = () => undefined;
      ctx.signal.addEventListener('abort', stop);
      return { stop };
    },
  };
  sim.runtimes.register(fallback);

  const flink: Runtime = {
    name: 'flink',
    handles: (c) => versionOf(c.image) !== undefined && role(c) !== undefined,
    start: (ctx) => startProcess(world, ctx, versionOf(ctx.image)!, timing),
  };
  sim.runtimes.register(flink);

  registerControlRoutes(sim, world);
  // Flink processes stop with the sim, whether or not the kubelets stop their containers first.
  const stopSim = sim.stop.bind(sim);
  (sim as { stop: () => Promise<void> }).stop = async () => {
    await world.shutdown();
    await stopSim();
  };
  return world;
}

function startProcess(world: FlinkWorld, ctx: ContainerContext, flinkVersion: string, timing: JmTiming): ContainerProcess {
  const r = role(ctx)!;
  const log = new FlinkLogger((l) => ctx.log(l));
  const dynamic = parseDynamicProperties(r.argv);
  const confDir = ctx.env.FLINK_CONF_DIR ?? '/opt/flink/conf';
  const failStartup = (msg: string, viaBashJavaUtils: boolean) => {
    if (viaBashJavaUtils) {
      // kubernetes-jobmanager.sh computes the JVM flags with BashJavaUtils before starting Java
      log.raw('[ERROR] Could not get JVM parameters and dynamic configurations properly.');
      log.raw('[ERROR] Raw output from BashJavaUtils:');
      log.raw(`Exception in thread "main" org.apache.flink.configuration.IllegalConfigurationException: ${msg}`);
      log.raw('\tat org.apache.flink.runtime.util.bash.BashJavaUtils.main(BashJavaUtils.java:46)');
    } else {
      log.error(L.tmRunnerCore, 'Terminating TaskManagerRunner with exit code 1.', { javaClass: 'org.apache.flink.util.FlinkException', message: `Failed to start the TaskManagerRunner.\nCaused by: org.apache.flink.configuration.IllegalConfigurationException: ${msg}` });
    }
    setTimeout(() => ctx.exit(1), 10);
    return { stop: () => undefined };
  };
  let loaded;
  try {
    loaded = loadConfiguration(ctx.files, confDir, flinkVersion, dynamic);
  } catch (e) {
    if (e instanceof IllegalConfigurationException) return failStartup(e.message, r.kind === 'jobmanager');
    throw e;
  }
  for (const w of loaded.warnings) log.error(L.globalConf, w);
  const conf = new Conf(loaded.conf);
  try {
    if (r.kind === 'jobmanager') {
      const jmSpec = jobManagerProcessSpec(conf);
      const tmSpec = taskExecutorProcessSpec(conf);
      if (!conf.string('kubernetes.cluster-id')) throw new IllegalConfigurationException('ClusterId must be specified!');
      const jm = new JobManagerProcess(world, ctx, flinkVersion, r.mode!, loaded, jmSpec, tmSpec, timing);
      if (jm.ha && !conf.string(['high-availability.storageDir', 'high-availability.storage-path'])) {
        jm.banner();
        jm.log.error(L.entrypoint, 'Could not start cluster entrypoint ' + jm.entrypointClass.split('.').pop() + '.', {
          javaClass: 'org.apache.flink.runtime.entrypoint.ClusterEntrypointException',
          message: `Failed to initialize the cluster entrypoint ${jm.entrypointClass.split('.').pop()}.\nCaused by: org.apache.flink.configuration.IllegalConfigurationException: Configuration is missing the mandatory parameter: Key: 'high-availability.storageDir' , default: null (fallback keys: [{key=high-availability.zookeeper.storageDir, isDeprecated=true}])`,
        });
        setTimeout(() => ctx.exit(1), 10);
        return { stop: () => undefined };
      }
      void jm.start();
      return jm;
    }
    const spec = taskExecutorProcessSpec(conf);
    return new TaskManagerProcess(world, ctx, flinkVersion, loaded, spec).start();
  } catch (e) {
    if (e instanceof IllegalConfigurationException) return failStartup(e.message, r.kind === 'jobmanager');
    throw e;
  }
}

function registerControlRoutes(sim: Sim, world: FlinkWorld) {
  const body = (req: { body?: unknown }) => (req.body && typeof req.body === 'object' ? (req.body as Record<string, any>) : {});

  // A custom image built FROM flink: {image, flinkVersion, jars?: [{path, entryClass?, base64?}]}
  sim.control.register('POST', /^\/_sim\/flink\/images$/, (req, res) => {
    const b = body(req);
    if (typeof b.image !== 'string' || typeof b.flinkVersion !== 'string' || !/^\d+\.\d+(\.\d+)?$/.test(b.flinkVersion)) {
      return json(res, 400, { error: 'image and flinkVersion (e.g. "1.20.1") are required' });
    }
    const jars = Array.isArray(b.jars)
      ? b.jars
          .filter((j: any) => j && typeof j.path === 'string')
          .map((j: any) => ({ path: j.path, entryClass: typeof j.entryClass === 'string' ? j.entryClass : undefined, bytes: typeof j.base64 === 'string' ? new Uint8Array(Buffer.from(j.base64, 'base64')) : undefined }))
      : [];
    const entry = { image: b.image, flinkVersion: b.flinkVersion, jars };
    world.customImages.set(b.image, entry);
    world.customImages.set(normalizeImage(b.image), entry);
    json(res, 201, { ...entry, jars: jars.map((j: { path: string; entryClass?: string; bytes?: Uint8Array }) => ({ path: j.path, entryClass: j.entryClass, ...(j.bytes ? { size: j.bytes.length } : {}) })) });
  });

  // An artifact an application cluster may fetch over http(s): {uri, status?, base64}
  sim.control.register('POST', /^\/_sim\/flink\/artifacts$/, (req, res) => {
    const b = body(req);
    if (typeof b.uri !== 'string' || !/^https?:\/\//.test(b.uri)) return json(res, 400, { error: 'uri (http:// or https://) is required' });
    world.artifacts.set(b.uri, { status: typeof b.status === 'number' ? b.status : 200, body: Buffer.from(typeof b.base64 === 'string' ? b.base64 : '', 'base64') });
    json(res, 201, { uri: b.uri });
  });

  // Fail a running job with a given exception: {exceptionClass?, message?, taskManager?}
  sim.control.register('POST', /^\/_sim\/flink\/jobs\/([^/]+)\/([^/]+)\/([0-9a-f]{32})\/fail$/, (req, res, params) => {
    const [ns, cid, jobId] = params;
    const jm = world.leaderOf(ns, cid);
    const job = jm?.jobs.get(jobId);
    if (!jm || !job) return json(res, 404, { error: `no running job ${jobId} in cluster ${ns}/${cid}` });
    const b = body(req);
    const v = job.vertices[0];
    const tm = job.slots[0]?.tm;
    job.fail(typeof b.exceptionClass === 'string' ? b.exceptionClass : 'java.lang.RuntimeException', typeof b.message === 'string' ? b.message : 'Injected failure', {
      taskName: `${v.name} (1/${v.parallelism})`,
      ...(tm ? { taskManagerId: tm, endpoint: `${[...world.taskManagers].find((t) => t.resourceId === tm)?.podIP ?? 'unknown'}:6121` } : {}),
    });
    json(res, 200, { jobId, state: job.state });
  });

  // Pause or resume leader-lease renewal of a JobManager pod: {paused: boolean}
  sim.control.register('POST', /^\/_sim\/flink\/leases\/([^/]+)\/([^/]+)$/, (req, res, params) => {
    const key = `${params[0]}/${params[1]}`;
    const paused = body(req).paused !== false;
    if (paused) world.pausedLeases.add(key);
    else world.pausedLeases.delete(key);
    json(res, 200, { pod: key, paused });
  });

  // Slow or failing REST of a cluster: {latencyMs?, failureRate?, status?}; {} clears
  sim.control.register('POST', /^\/_sim\/flink\/rest\/([^/]+)\/([^/]+)$/, (req, res, params) => {
    const key = `${params[0]}/${params[1]}`;
    const b = body(req);
    if (!b.latencyMs && !b.failureRate) world.restFaults.delete(key);
    else world.restFaults.set(key, { latencyMs: Number(b.latencyMs) || 0, failureRate: Number(b.failureRate) || 0, status: Number(b.status) || 500 });
    json(res, 200, { cluster: key, fault: world.restFaults.get(key) ?? null });
  });

  // The Flink process in a pod writes `lines` log lines at once, as a busy job's logging does:
  // {lines, container?: ignored (Flink runs in flink-main-container), message?}. Lines go through the
  // process's log4j-console layout to the container's stdout (the kubelet's log), in slices of 1,000
  // so the API server keeps answering; answers once the last line is written.
  sim.control.register('POST', /^\/_sim\/flink\/logs\/([^/]+)\/([^/]+)$/, (req, res, params) => {
    const [namespace, pod] = params;
    const b = body(req);
    const lines = Number(b.lines);
    if (!Number.isInteger(lines) || lines < 1 || lines > 1_000_000) return json(res, 400, { error: 'lines must be a whole number from 1 to 1,000,000' });
    const proc = [...world.jobManagers, ...world.taskManagers].find((p) => p.namespace === namespace && p.ctx.podName === pod && !p.stopped);
    if (!proc) return json(res, 404, { error: `no running Flink process in pod ${namespace}/${pod}` });
    const message = typeof b.message === 'string' && b.message ? b.message : 'Simulated log line';
    const logger = proc instanceof JobManagerProcess ? L.checkpointCoordinator : L.taskExecutor;
    let written = 0;
    const slice = () => {
      const end = Math.min(lines, written + 1000);
      for (; written < end; written++) proc.log.info(logger, `${message} ${written + 1} of ${lines}`);
      if (written < lines && !proc.stopped) setImmediate(slice);
      else json(res, 200, { pod: `${namespace}/${pod}`, written });
    };
    slice();
  });

  // What the simulated Flink processes are doing
  sim.control.register('GET', /^\/_sim\/flink\/clusters$/, (_req, res) => {
    json(res, 200, {
      jobManagers: [...world.jobManagers].map((j) => ({ namespace: j.namespace, clusterId: j.clusterId, pod: j.ctx.podName, leader: j.isLeader, identity: j.identity, jobs: [...j.jobs.values()].map((x) => ({ id: x.id, name: x.name, state: x.state })) })),
      taskManagers: [...world.taskManagers].map((t) => ({ namespace: t.namespace, clusterId: t.clusterId, pod: t.ctx.podName })),
    });
  });
}
