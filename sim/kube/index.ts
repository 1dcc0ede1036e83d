// createSim: the simulated cluster in one process (API server, controllers, kubelets, runtimes).
import path from 'node:path';
import v8 from 'node:v8';
import type { ServerResponse } from 'node:http';
import { KubeClient } from './client';
import { createRuntimeRegistry, type RuntimeRegistry } from './runtime';
import { DEFAULT_TIMING, type ControlRegistry, type NodeSpec, type Sim, type SimOptions, type Timing } from './types';
import { ApiServer } from './apiserver/server';
import { writeKubeconfig } from './kubeconfig';
import * as discovery from './discovery';

export type { Sim, SimOptions } from './types';

interface ControllerManagerLike {
  podIO: import('./runtime').PodIO;
  kill(ns: string, pod: string, container: string | undefined, mode: 'kill' | 'crash'): Promise<void>;
  addNode(spec: NodeSpec): Promise<void>;
  stop(): Promise<void>;
}

function reply(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function badRequest(res: ServerResponse, message: string): void {
  reply(res, 400, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
}

export function createSim(opts: SimOptions): Sim & { readonly api: ApiServer } {
  const dataDir = path.resolve(opts.dataDir);
  const timing: Timing = { ...DEFAULT_TIMING, ...(opts.timing ?? {}) };
  const runtimes: RuntimeRegistry = createRuntimeRegistry();
  const api = new ApiServer({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, dataDir, timing, runtimes });
  const control: ControlRegistry = api.control;
  let controllers: ControllerManagerLike | undefined;
  let kubeconfigPath = path.join(dataDir, 'kubeconfig');
  let started = false;

  // ---- built-in control routes ----
  control.register('GET', /^\/_sim\/info$/, (_req, res) => {
    const nodes = api.store.listEntries('/nodes', '').map((e) => e.sel.metadata.name);
    // memory: process.memoryUsage() of the sim (rss, heapTotal, heapUsed, external, arrayBuffers) and V8's heap spaces, for benchmarks
    const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size, available: s.space_available_size }]));
    reply(res, 200, { version: discovery.versionInfo()?.gitVersion ?? 'v1.28.0', dataDir, nodes, url: api.url, watches: api.store.watcherCount(), writes: api.store.writes, mutations: api.mutations, memory: { ...process.memoryUsage(), spaces } });
  });
  control.register('POST', /^\/_sim\/faults$/, (req, res) => {
    const b = (req.body ?? {}) as { latencyMs?: number; failureRate?: number; pathPrefix?: string; method?: string; dryRun?: boolean };
    api.faults = {};
    if (typeof b.latencyMs === 'number' && b.latencyMs > 0) api.faults.latencyMs = b.latencyMs;
    if (typeof b.failureRate === 'number' && b.failureRate > 0) api.faults.failureRate = Math.min(1, b.failureRate);
    if (typeof b.pathPrefix === 'string' && b.pathPrefix) api.faults.pathPrefix = b.pathPrefix;
    if (typeof b.method === 'string' && b.method) api.faults.method = b.method.toUpperCase();
    if (typeof b.dryRun === 'boolean') api.faults.dryRun = b.dryRun;
    reply(res, 200, api.faults);
  });
  control.register('POST', /^\/_sim\/apiserver\/restart$/, (req, res) => {
    const b = (req.body ?? {}) as { downMs?: number };
    const downMs = typeof b.downMs === 'number' && b.downMs >= 0 ? b.downMs : 1000;
    res.on('finish', () => {
      setImmediate(() => void api.restart(downMs).catch((e) => console.error('sim: apiserver restart failed', e)));
    });
    reply(res, 200, { downMs });
  });
  control.register('POST', /^\/_sim\/images$/, (req, res) => {
    const b = (req.body ?? {}) as { image?: string; runtime?: string };
    if (!b.image || typeof b.image !== 'string') return badRequest(res, 'image is required');
    const image = b.image;
    runtimes.addImages((i) => i === image);
    reply(res, 200, { image, runtime: b.runtime ?? 'generic' });
  });
  control.register('POST', /^\/_sim\/pods\/([^/]+)\/([^/]+)\/kill$/, async (req, res, params) => {
    const b = (req.body ?? {}) as { container?: string; mode?: 'kill' | 'crash' };
    const mode = b.mode ?? 'kill';
    if (mode !== 'kill' && mode !== 'crash') return badRequest(res, 'mode must be "kill" or "crash"');
    if (!controllers) return reply(res, 503, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'controllers are not running', reason: 'ServiceUnavailable', code: 503 });
    const [ns, name] = params;
    if (!api.store.getEntry('/pods', ns, name)) {
      return reply(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `pods "${name}" not found`, reason: 'NotFound', details: { name, kind: 'pods' }, code: 404 });
    }
    await controllers.kill(ns, name, b.container, mode);
    reply(res, 200, { namespace: ns, name, container: b.container, mode });
  });
  control.register('POST', /^\/_sim\/nodes$/, async (req, res) => {
    const b = (req.body ?? {}) as NodeSpec;
    if (!b.name || typeof b.name !== 'string') return badRequest(res, 'name is required');
    if (!controllers) return reply(res, 503, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'controllers are not running', reason: 'ServiceUnavailable', code: 503 });
    await controllers.addNode(b);
    reply(res, 201, { name: b.name });
  });

  const sim = {
    api,
    get url() {
      return api.url;
    },
    get adminToken() {
      return api.auth.adminToken;
    },
    get viewerToken() {
      return api.auth.viewerToken;
    },
    get kubeconfigPath() {
      return kubeconfigPath;
    },
    dataDir,
    timing,
    runtimes,
    control,
    adminClient: () => new KubeClient({ server: api.url, token: api.auth.adminToken, userAgent: 'sim-admin' }),
    clientForToken: (token: string) => new KubeClient({ server: api.url, token }),
    async start() {
      if (started) return;
      started = true;
      await api.listen();
      kubeconfigPath = writeKubeconfig(dataDir, api.url.replace(/^http:/, 'https:'), api.auth.adminToken, api.auth.viewerToken, api.servingCert.cert);
      api.flush();
      let mod: { startControllers?: (o: any) => Promise<ControllerManagerLike> } | undefined;
      try {
        mod = await import('./controllers/index');
      } catch (e) {
        if (!(e instanceof Error && /Cannot find module|ERR_MODULE_NOT_FOUND|Failed to load/.test(e.message))) throw e;
      }
      if (mod?.startControllers) {
        const hasNodes = api.store.count('/nodes') > 0;
        controllers = await mod.startControllers({
          apiUrl: api.url,
          token: api.auth.adminToken,
          runtimes,
          dataDir,
          timing,
          nodes: hasNodes ? undefined : opts.nodes,
        });
        api.hooks = {
          podIO: controllers.podIO,
          kill: (...a) => controllers!.kill(...a),
          addNode: (s) => controllers!.addNode(s),
        };
      }
    },
    async stop() {
      if (!started) return;
      started = false;
      const c = controllers;
      controllers = undefined;
      if (c) await c.stop().catch((e) => console.error('sim: stopping controllers failed', e));
      await api.close();
      api.flush();
    },
  };
  return sim;
}
