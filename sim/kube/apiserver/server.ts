// The simulated kube-apiserver: routing, authentication, authorization, and the REST verbs.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { loadOrCreateServingCert } from './tls';
import { RESOURCES, findResource, groupVersion, type ResourceType } from '../resources';
import { nowRfc3339, Store, type Entry, type LabelIndexHint } from '../store';
import type { ControlHandler, ControlRegistry, Timing } from '../types';
import type { PodIO, RuntimeRegistry } from '../runtime';
import * as rbac from '../rbac';
import * as validation from '../validation';
import * as defaults from '../defaults';
import * as table from '../table';
import * as discovery from '../discovery';
import { ADMIN_USER, Authenticator, impersonationHeaders } from './auth';
import {
  CONFLICT_MODIFIED,
  deletedStatus,
  errAlreadyExists,
  errBadRequest,
  errConflict,
  errForbidden,
  errInternal,
  errMethodNotAllowed,
  errNotFound,
  errNotFoundGeneric,
  errServiceUnavailable,
  errUnauthorized,
  errUnsupportedMediaType,
  errBodyFormatUnknown,
  statusOf,
  StatusError,
  successStatus,
} from './errors';
import { negotiate, readBody, sendFormatted, sendJson, sendJsonPieces, sendStatus, sendText, type OutputFormat } from './http';
import { GoJsonError, parseGoJson } from './gojson';
import { jsonPatch, mergePatch, PatchError, schemaFor, strategicMergePatch } from './patch';
import { parseFieldSelector, parseLabelSelector, SelectorError, selectionOf, storeKey, type Predicate } from './selectors';
import { serveWatch } from './watch';
import { serveOpenApi } from './openapi';
import { serveLog, serveProxy } from './proxy';
import { allocateServiceFields, preserveServiceAllocations, ServiceAllocator } from './services';

type Req = IncomingMessage & { body?: unknown };

export interface ApiServerOptions {
  host: string;
  port: number;
  dataDir: string;
  timing: Timing;
  runtimes: RuntimeRegistry;
}

export interface ControllerHooks {
  podIO?: PodIO;
  kill?(ns: string, pod: string, container: string | undefined, mode: 'kill' | 'crash'): Promise<void>;
  addNode?(spec: any): Promise<void>;
}

interface Ctx {
  req: Req;
  res: ServerResponse;
  url: URL;
  q: URLSearchParams;
  user: rbac.UserInfo;
  /** The authenticated user before impersonation. */
  authUser: rbac.UserInfo;
}

interface ResReq {
  rt: ResourceType;
  namespace?: string;
  name?: string;
  sub?: string;
  proxyPath?: string;
  watch: boolean;
}

const GENERATION_KINDS = new Set(['apps/deployments', 'apps/replicasets']);
const RETURN_DELETED_OBJECT = new Set(['/pods', '/services', '/namespaces']);
const CREATE_ON_UPDATE = new Set(['/events', '/endpoints', 'events.k8s.io/events', 'coordination.k8s.io/leases']);
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);
const RBAC_KINDS: Record<string, string> = {
  'rbac.authorization.k8s.io/roles': 'Role',
  'rbac.authorization.k8s.io/clusterroles': 'ClusterRole',
  'rbac.authorization.k8s.io/rolebindings': 'RoleBinding',
  'rbac.authorization.k8s.io/clusterrolebindings': 'ClusterRoleBinding',
};

const ALNUM = 'bcdfghjklmnpqrstvwxz2456789';
export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[Math.floor(Math.random() * ALNUM.length)];
  return s;
}

/** A resource served from another resource's storage (events.k8s.io/v1 Events live with core Events). */
interface StorageView {
  key: string;
  toStore(obj: any): any;
  fromStore(obj: any): any;
}

const EVENT_FIELDS: [string, string][] = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
  ['reportingComponent', 'reportingController'],
];
const EVENTS_V1_ORDER = ['kind', 'apiVersion', 'metadata', 'eventTime', 'series', 'reportingController', 'reportingInstance', 'action', 'reason', 'regarding', 'related', 'note', 'type', 'deprecatedSource', 'deprecatedFirstTimestamp', 'deprecatedLastTimestamp', 'deprecatedCount'];

function renameFields(obj: any, pairs: [string, string][]): any {
  const out: Record<string, any> = {};
  const map = new Map(pairs);
  for (const [k, v] of Object.entries(obj ?? {})) out[map.get(k) ?? k] = v;
  return out;
}

const EVENTS_V1_VIEW: StorageView = {
  key: '/events',
  toStore: (o) => ({ ...renameFields(o, EVENT_FIELDS.map(([a, b]) => [b, a])), kind: 'Event', apiVersion: 'v1' }),
  fromStore: (o) => {
    const r = renameFields(o, EVENT_FIELDS);
    r.kind = 'Event';
    r.apiVersion = 'events.k8s.io/v1';
    const out: Record<string, any> = {};
    for (const k of EVENTS_V1_ORDER) if (r[k] !== undefined) out[k] = r[k];
    for (const [k, v] of Object.entries(r)) if (!(k in out)) out[k] = v;
    return out;
  },
};

function viewOf(rt: Pick<ResourceType, 'group' | 'plural'>): StorageView | undefined {
  return rt.group === 'events.k8s.io' && rt.plural === 'events' ? EVENTS_V1_VIEW : undefined;
}

/** The store key of a resource (events.k8s.io Events share core Events' storage). */
export function storageKey(rt: Pick<ResourceType, 'group' | 'plural'>): string {
  return viewOf(rt)?.key ?? storeKey(rt);
}

/** JSON of a stored entry as the resource rt shows it. */
function entryJsonAs(rt: Pick<ResourceType, 'group' | 'plural'>, e: Entry): string {
  const v = viewOf(rt);
  return v ? JSON.stringify(v.fromStore(e.obj)) : e.json;
}

/** Whether the client prefers aggregated discovery v2beta1 (what a v1.28 server serves) to the plain documents. */
function wantsAggregated(accept: string | undefined): boolean {
  for (const part of (accept ?? '').split(',')) {
    const p = part.replace(/\s+/g, '');
    if (p.includes('g=apidiscovery.k8s.io') && p.includes('v=v2beta1') && p.includes('as=APIGroupDiscoveryList')) return true;
    if (p.startsWith('application/json') && !p.includes('as=')) return false;
    if (p === '*/*') return false;
  }
  return false;
}

function listKind(rt: ResourceType): string {
  return `${rt.kind}List`;
}

function isObj(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep equality of JSON values, ignoring key order. */
function jsonEq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || a === null || b === undefined || b === null) return (a ?? null) === (b ?? null);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEq(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ka = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const kb = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => jsonEq(ao[k], bo[k]));
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

function decodeContinue(tok: string): { rv: number; start: string } {
  try {
    const j = JSON.parse(Buffer.from(tok, 'base64url').toString('utf8'));
    if (j.v !== 'meta.k8s.io/v1' || typeof j.start !== 'string' || typeof j.rv !== 'number') throw new Error('bad');
    return { rv: j.rv, start: j.start };
  } catch {
    throw errBadRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

function podQosClass(pod: any): string {
  const cs: any[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of cs) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      const rq = req[r] ?? lim[r];
      if (lim[r] === undefined || String(rq) !== String(lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

class ControlRegistryImpl implements ControlRegistry {
  readonly routes: { method: string; path: RegExp; handler: ControlHandler }[] = [];
  register(method: string, path: RegExp, handler: ControlHandler): void {
    this.routes.push({ method: method.toUpperCase(), path, handler });
  }
}

export class ApiServer {
  readonly store: Store;
  readonly auth: Authenticator;
  readonly control = new ControlRegistryImpl();
  hooks: ControllerHooks = {};
  private server: NetServer | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly watches = new Set<() => void>();
  private readonly services: ServiceAllocator;
  port = 0;
  /** Injected by the control API; a request is affected when it matches every filter given (path prefix, HTTP method, dry run or not). */
  faults: { latencyMs?: number; failureRate?: number; pathPrefix?: string; method?: string; dryRun?: boolean } = {};

  constructor(readonly opts: ApiServerOptions) {
    this.store = new Store(opts.dataDir, opts.timing.watchWindow, selectionOf);
    this.servingCert = loadOrCreateServingCert(opts.dataDir);
    const loaded = this.store.load();
    this.auth = new Authenticator(this.store);
    this.services = new ServiceAllocator(this.store);
    if (!loaded) this.bootstrap();
    else this.auth.prune();
    this.services.rebuild();

  }

  get url(): string {
    return `http://${this.opts.host === '0.0.0.0' ? '127.0.0.1' : this.opts.host}:${this.port}`;
  }

  // ---------------- lifecycle ----------------

  /** PEM of the serving certificate (also its own CA), for the kubeconfig. */
  readonly servingCert: { key: string; cert: string };
  private http: Server | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private https: HttpsServer | undefined;

  /** One port speaks both http (sim.url) and https (the kubeconfig): the first byte tells them apart. */
  async listen(port = this.opts.port): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.http ??= createServer({ keepAlive: true, keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 66_000 }, handler);
    this.https ??= createHttpsServer({ key: this.servingCert.key, cert: this.servingCert.cert, keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 66_000 }, handler);
    const http = this.http;
    const https = this.https;
    const server = createNetServer({ noDelay: true, keepAlive: true }, (socket) => {
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      socket.once('data', (buf) => {
        socket.pause();
        socket.unshift(buf);
        (buf[0] === 0x16 ? https : http).emit('connection', socket);
        process.nextTick(() => socket.resume());
      });
    });
    // prune dead tokens now and then, so state.json does not grow with every pod ever started
    this.pruneTimer ??= setInterval(() => this.auth.prune(), 60_000);
    this.pruneTimer.unref();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const addr = server.address();
    if (addr && typeof addr === 'object') this.port = addr.port;
  }

  /** Closes every watch and socket and stops listening. */
  async close(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = undefined;
    for (const w of [...this.watches]) w();
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  async restart(downMs: number): Promise<void> {
    const port = this.port;
    await this.close();
    await new Promise((r) => setTimeout(r, downMs));
    for (let i = 0; ; i++) {
      try {
        await this.listen(port);
        return;
      } catch (e) {
        if (i > 50) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  flush(): void {
    this.store.flush();
  }

  private readonly watchRegistry = {
    add: (close: () => void) => {
      this.watches.add(close);
      return () => void this.watches.delete(close);
    },
  };

  // ---------------- bootstrap ----------------

  private bootstrap(): void {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.store.create('/namespaces', {
        kind: 'Namespace',
        apiVersion: 'v1',
        metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      });
    }
    const policy = rbac.bootstrapPolicy();
    policy.push({
      kind: 'ClusterRoleBinding',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name: 'sim-viewer' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'sim-viewer' }],
    });
    for (const o of policy) {
      const plural = { ClusterRole: 'clusterroles', ClusterRoleBinding: 'clusterrolebindings', Role: 'roles', RoleBinding: 'rolebindings' }[o.kind as string];
      if (!plural) continue;
      const obj = structuredClone(o);
      obj.apiVersion ??= 'rbac.authorization.k8s.io/v1';
      if (this.store.getEntry(`rbac.authorization.k8s.io/${plural}`, obj.metadata.namespace ?? '', obj.metadata.name)) continue;
      this.store.create(`rbac.authorization.k8s.io/${plural}`, obj);
    }
    this.reaggregate();
    this.store.create('/services', {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: {
        ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }],
        clusterIP: '10.96.0.1',
        clusterIPs: ['10.96.0.1'],
        type: 'ClusterIP',
        sessionAffinity: 'None',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: {} },
    });
    // the API server keeps the endpoints of its own Service (a fictitious node address here)
    this.store.create('/endpoints', {
      kind: 'Endpoints',
      apiVersion: 'v1',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: '192.168.49.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
    });
  }

  /** RBAC objects as stored (read-only), cached until one of them changes. */
  private rbacCache = new Map<string, any[]>();
  private rbacCacheWired = false;

  rbacObjects(): rbac.RbacObjects {
    if (!this.rbacCacheWired) {
      this.rbacCacheWired = true;
      for (const r of ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings']) {
        this.store.subscribe(`rbac.authorization.k8s.io/${r}`, (ev) => {
          this.rbacCache.delete(`${r}/${ev.namespace}`);
        });
      }
    }
    const objs = (r: string, ns: string) => {
      const k = `${r}/${ns}`;
      let v = this.rbacCache.get(k);
      if (!v) this.rbacCache.set(k, (v = this.store.listEntries(`rbac.authorization.k8s.io/${r}`, ns).map((e) => e.obj)));
      return v;
    };
    return {
      roles: (ns) => objs('roles', ns),
      roleBindings: (ns) => objs('rolebindings', ns),
      clusterRoles: () => objs('clusterroles', ''),
      clusterRoleBindings: () => objs('clusterrolebindings', ''),
    };
  }

  private reaggregate(): void {
    const changed = rbac.aggregateClusterRoles(this.store.list('rbac.authorization.k8s.io/clusterroles', ''));
    for (const cr of changed ?? []) {
      const cur = this.store.getEntry('rbac.authorization.k8s.io/clusterroles', '', cr.metadata.name);
      const next = cur?.obj;
      if (!next || jsonEq(next.rules, cr.rules)) continue;
      next.rules = cr.rules;
      this.store.update('rbac.authorization.k8s.io/clusterroles', next);
    }
  }

  // ---------------- request entry ----------------

  /**
   * Successful requests that stored or removed something (POST, PUT, PATCH, DELETE; not dry runs, not
   * access reviews or token requests, which store nothing), per user and User-Agent: `/_sim/info`'s
   * `mutations`, for tests that must show a client changed nothing.
   */
  readonly mutations: Record<string, Record<string, number>> = {};

  private countMutation(req: Req, res: ServerResponse, url: URL, user: rbac.UserInfo): void {
    const method = req.method ?? 'GET';
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) return;
    if (url.searchParams.getAll('dryRun').includes('All') || /(reviews|\/token)\/?$/.test(url.pathname)) return;
    res.once('finish', () => {
      if (res.statusCode >= 400) return;
      const key = `${user.username} ${req.headers['user-agent'] ?? ''}`.trim();
      const byMethod = (this.mutations[key] ??= {});
      byMethod[method] = (byMethod[method] ?? 0) + 1;
    });
  }

  private async handle(req: Req, res: ServerResponse): Promise<void> {
    try {
      await this.route(req, res);
    } catch (e) {
      if (e instanceof StatusError) {
        if (!res.headersSent) sendStatus(res, e.status, e.headers);
        else res.end();
        return;
      }
      const msg = e instanceof Error ? e.message : String(e);
      if (!res.headersSent) sendStatus(res, errInternal(msg).status);
      else res.end();
      if (process.env.SIM_DEBUG) console.error(e);
    }
  }

  private async route(req: Req, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.local');
    const path = url.pathname;
    const isControl = path.startsWith('/_sim/');

    // faults (API requests only)
    if (!isControl) {
      const f = this.faults;
      const matches =
        (!f.pathPrefix || path.startsWith(f.pathPrefix)) &&
        (!f.method || req.method === f.method) &&
        (f.dryRun === undefined || url.searchParams.getAll('dryRun').includes('All') === f.dryRun);
      if (matches) {
        if (f.latencyMs) await new Promise((r) => setTimeout(r, f.latencyMs));
        if (f.failureRate && Math.random() < f.failureRate) throw errInternal('injected fault');
      }
    }

    const authed = this.auth.authenticate(req);
    if (authed === undefined) throw errUnauthorized();
    let authUser: rbac.UserInfo;
    if (authed === 'anonymous') {
      if (['/healthz', '/livez', '/readyz', '/version'].includes(path) || path.startsWith('/healthz/') || path.startsWith('/livez/') || path.startsWith('/readyz/')) {
        authUser = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
      } else throw errUnauthorized();
    } else authUser = authed;

    const user = this.impersonate(req, authUser);
    const ctx: Ctx = { req, res, url, q: url.searchParams, user, authUser };
    if (!isControl) this.countMutation(req, res, url, user);

    if (isControl) return this.handleControl(ctx);

    // non-resource endpoints
    if (path === '/healthz' || path === '/livez' || path === '/readyz' || /^\/(healthz|livez|readyz)\//.test(path)) {
      this.authorizeNonResource(ctx, path);
      return sendText(res, 200, 'ok', 'text/plain; charset=utf-8');
    }
    if (path === '/version' || path === '/version/') {
      this.authorizeNonResource(ctx, path);
      return sendJson(res, 200, discovery.versionInfo());
    }
    if (path.startsWith('/openapi/')) {
      this.authorizeNonResource(ctx, path);
      return serveOpenApi(req, res, url);
    }
    if (path === '/api' || path === '/api/' || path === '/apis' || path === '/apis/') {
      this.authorizeNonResource(ctx, path);
      if (wantsAggregated(req.headers.accept)) {
        const body = JSON.stringify(discovery.aggregatedDiscovery(path.startsWith('/apis') ? '/apis' : '/api'));
        return sendText(res, 200, body, discovery.AGGREGATED_DISCOVERY_CONTENT_TYPE);
      }
    }
    if (path === '/api' || path === '/api/') {
      const host = req.headers.host ?? `127.0.0.1:${this.port}`;
      return sendJson(res, 200, discovery.apiVersions(host));
    }
    if (path === '/apis' || path === '/apis/') {
      this.authorizeNonResource(ctx, path);
      return sendJson(res, 200, discovery.apiGroupList());
    }

    const segs = path.split('/').slice(1);
    let gv: { group: string; version: string } | undefined;
    let rest: string[];
    if (segs[0] === 'api' && segs.length >= 2) {
      gv = { group: '', version: segs[1] };
      rest = segs.slice(2);
    } else if (segs[0] === 'apis' && segs.length >= 2) {
      if (segs.length === 2 || (segs.length === 3 && segs[2] === '')) {
        this.authorizeNonResource(ctx, path);
        const g = discovery.apiGroup(segs[1]);
        if (!g) throw errNotFoundGeneric();
        return sendJson(res, 200, g);
      }
      gv = { group: segs[1], version: segs[2] };
      rest = segs.slice(3);
    } else throw errNotFoundGeneric();

    if (rest.length === 0 || (rest.length === 1 && rest[0] === '')) {
      this.authorizeNonResource(ctx, path);
      const list = discovery.apiResourceList(groupVersion(gv));
      if (!list) throw errNotFoundGeneric();
      return sendJson(res, 200, list);
    }
    const rr = this.parseResourcePath(gv.group, gv.version, rest, path);
    return this.handleResource(ctx, rr);
  }

  private parseResourcePath(group: string, version: string, segsIn: string[], rawPath: string): ResReq {
    let segs = segsIn;
    let watch = false;
    if (segs[0] === 'watch') {
      watch = true;
      segs = segs.slice(1);
    }
    let namespace: string | undefined;
    if (segs[0] === 'namespaces' && segs.length >= 3 && !(segs.length === 3 && (segs[2] === 'status' || segs[2] === 'finalize'))) {
      namespace = decodeURIComponent(segs[1]);
      segs = segs.slice(2);
    }
    const plural = segs[0];
    if (group === '' && plural === 'bindings' && namespace !== undefined) {
      const rt = findResource('', 'v1', 'pods')!;
      return { rt, namespace, sub: 'binding', watch: false, name: undefined };
    }
    const rt = findResource(group, version, plural);
    if (!rt) throw errNotFoundGeneric();
    if (namespace !== undefined && !rt.namespaced) throw errNotFoundGeneric();
    const name = segs[1] !== undefined && segs[1] !== '' ? decodeURIComponent(segs[1]) : undefined;
    const sub = segs[2];
    if (segs.length > 3 && sub !== 'proxy') throw errNotFoundGeneric();
    if (sub !== undefined && !rt.subresources.includes(sub)) throw errNotFoundGeneric();
    let proxyPath: string | undefined;
    if (sub === 'proxy') {
      // keep the raw remainder (with its trailing slash) after ".../proxy"
      const marker = `/${segs[1]}/proxy`;
      const at = rawPath.indexOf(marker);
      proxyPath = at >= 0 ? rawPath.slice(at + marker.length) : '';
      if (!proxyPath.startsWith('/')) proxyPath = '/' + proxyPath;
    }
    if (watch && (name !== undefined || sub !== undefined)) {
      // legacy /watch/.../name: a watch on one object
    }
    return { rt, namespace, name, sub, proxyPath, watch };
  }

  // ---------------- authn/z ----------------

  private impersonate(req: Req, user: rbac.UserInfo): rbac.UserInfo {
    const imp = impersonationHeaders(req);
    if (!imp) return user;
    if (!imp.user) throw errBadRequest('requested [{Group  ' + imp.groups.join(',') + '   }] without impersonating a user');
    const objs = this.rbacObjects();
    const check = (resource: string, name: string, namespace?: string, apiGroup = '') => {
      if (user.groups.includes('system:masters')) return;
      const attrs: rbac.RequestAttributes = { user, verb: 'impersonate', resourceRequest: true, apiGroup, resource, name, namespace };
      const d = rbac.authorize(objs, attrs);
      if (!d.allowed) throw new StatusError(rbac.forbiddenStatus(attrs));
    };
    const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(imp.user);
    if (sa) check('serviceaccounts', sa[2], sa[1]);
    else check('users', imp.user);
    for (const g of imp.groups) check('groups', g);
    if (imp.uid) check('uids', imp.uid, undefined, 'authentication.k8s.io');
    for (const [k, vals] of Object.entries(imp.extra)) for (const v of vals) check(`userextras/${k}`, v, undefined, 'authentication.k8s.io');
    const groups = [...imp.groups];
    if (sa && groups.length === 0) groups.push('system:serviceaccounts', `system:serviceaccounts:${sa[1]}`);
    if (imp.user !== 'system:anonymous' && !groups.includes('system:authenticated')) groups.push('system:authenticated');
    return { username: imp.user, uid: imp.uid, groups };
  }

  private authorizeNonResource(ctx: Ctx, path: string): void {
    if (ctx.user.groups.includes('system:masters')) return;
    const verb = ({ GET: 'get', HEAD: 'get', POST: 'post', PUT: 'put', PATCH: 'patch', DELETE: 'delete' } as Record<string, string>)[ctx.req.method ?? 'GET'] ?? 'get';
    const attrs: rbac.RequestAttributes = { user: ctx.user, verb, resourceRequest: false, path };
    const d = rbac.authorize(this.rbacObjects(), attrs);
    if (!d.allowed) throw new StatusError(rbac.forbiddenStatus(attrs));
  }

  authorizeAttrs(attrs: rbac.RequestAttributes): rbac.Decision {
    if (attrs.user.groups.includes('system:masters')) return { allowed: true, reason: '' };
    return rbac.authorize(this.rbacObjects(), attrs);
  }

  private authorize(ctx: Ctx, rr: ResReq, verb: string, name?: string): void {
    const attrs: rbac.RequestAttributes = {
      user: ctx.user,
      verb,
      resourceRequest: true,
      apiGroup: rr.rt.group,
      apiVersion: rr.rt.version,
      resource: rr.rt.plural,
      subresource: rr.sub,
      namespace: rr.namespace,
      name,
    };
    if (ctx.user.groups.includes('system:masters')) return;
    const d = rbac.authorize(this.rbacObjects(), attrs);
    if (!d.allowed) throw new StatusError(rbac.forbiddenStatus(attrs));
  }

  // ---------------- control API ----------------

  private async handleControl(ctx: Ctx): Promise<void> {
    if (ctx.authUser.username !== ADMIN_USER || ctx.user.username !== ADMIN_USER) {
      throw new StatusError(statusOf(403, 'Forbidden', `forbidden: User "${ctx.user.username}" cannot access the simulator control API`, {}));
    }
    const method = ctx.req.method ?? 'GET';
    const path = ctx.url.pathname;
    for (const r of [...this.control.routes].reverse()) {
      if (r.method !== method) continue;
      const m = r.path.exec(path);
      if (!m) continue;
      if (method !== 'GET' && method !== 'HEAD') {
        const buf = await readBody(ctx.req);
        const text = buf.toString('utf8');
        if (text.trim()) {
          try {
            ctx.req.body = JSON.parse(text);
          } catch {
            throw errBadRequest('invalid JSON body');
          }
        } else ctx.req.body = {};
      }
      await r.handler(ctx.req, ctx.res, m.slice(1).map((x) => (x === undefined ? x : decodeURIComponent(x))));
      return;
    }
    throw errNotFoundGeneric();
  }

  // ---------------- resources ----------------

  private async handleResource(ctx: Ctx, rr: ResReq): Promise<void> {
    const method = ctx.req.method ?? 'GET';
    const { rt, sub } = rr;

    if (sub === 'proxy') {
      const verb = ({ GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete', OPTIONS: 'get' } as Record<string, string>)[method] ?? 'get';
      this.authorize(ctx, rr, verb, rr.name);
      return serveProxy(this, ctx.req, ctx.res, rr.rt, rr.namespace ?? '', rr.name!, rr.proxyPath ?? '/', ctx.url.search);
    }
    if (sub === 'log') {
      if (method !== 'GET') throw errMethodNotAllowed();
      this.authorize(ctx, rr, 'get', rr.name);
      return serveLog(this, ctx.req, ctx.res, rr.namespace ?? '', rr.name!, ctx.q);
    }

    if (rr.name === undefined && sub === undefined) {
      // collection; a metadata.name field selector names the object for authorization (RequestInfo does so)
      const fsName = /^metadata\.name==?([^,]*)$/.exec(ctx.q.get('fieldSelector') ?? '')?.[1];
      if (method === 'GET' && (rr.watch || ctx.q.get('watch') === 'true' || ctx.q.get('watch') === '1')) {
        this.authorize(ctx, rr, 'watch', fsName);
        return this.doWatch(ctx, rr);
      }
      if (method === 'GET') {
        this.authorize(ctx, rr, 'list', fsName);
        return this.doList(ctx, rr);
      }
      if (method === 'POST') {
        if (rt.namespaced && rr.namespace === undefined) throw errNotFoundGeneric();
        this.authorize(ctx, rr, 'create');
        return this.doCreate(ctx, rr);
      }
      if (method === 'DELETE') {
        this.authorize(ctx, rr, 'deletecollection');
        return this.doDeleteCollection(ctx, rr);
      }
      throw errMethodNotAllowed();
    }
    if (rt.namespaced && rr.namespace === undefined) throw errNotFoundGeneric();

    if (sub === 'binding') {
      if (method !== 'POST') throw errMethodNotAllowed();
      this.authorize(ctx, rr, 'create', rr.name);
      return this.doBinding(ctx, rr);
    }
    if (sub === 'eviction') {
      if (method !== 'POST') throw errMethodNotAllowed();
      this.authorize(ctx, rr, 'create', rr.name);
      return this.doEviction(ctx, rr);
    }
    if (sub === 'token') {
      if (method !== 'POST') throw errMethodNotAllowed();
      this.authorize(ctx, rr, 'create', rr.name);
      return this.doTokenRequest(ctx, rr);
    }
    if (sub === 'scale') {
      if (method === 'GET') {
        this.authorize(ctx, rr, 'get', rr.name);
        return sendJson(ctx.res, 200, this.toScale(rr, this.mustGet(rr).obj));
      }
      if (method === 'PUT' || method === 'PATCH') {
        this.authorize(ctx, rr, method === 'PUT' ? 'update' : 'patch', rr.name);
        return this.doScaleWrite(ctx, rr, method);
      }
      throw errMethodNotAllowed();
    }
    if (sub === 'finalize') {
      if (method !== 'PUT') throw errMethodNotAllowed();
      this.authorize(ctx, rr, 'update', rr.name);
      return this.doWrite(ctx, rr, 'PUT');
    }

    // object or status
    if (method === 'GET') {
      if (rr.watch || ctx.q.get('watch') === 'true') {
        this.authorize(ctx, rr, 'watch', rr.name);
        return this.doWatch(ctx, rr);
      }
      this.authorize(ctx, rr, 'get', rr.name);
      return this.doGet(ctx, rr);
    }
    if (method === 'PUT' || method === 'PATCH') {
      this.authorize(ctx, rr, method === 'PUT' ? 'update' : 'patch', rr.name);
      return this.doWrite(ctx, rr, method);
    }
    if (method === 'DELETE') {
      if (sub) throw errMethodNotAllowed();
      this.authorize(ctx, rr, 'delete', rr.name);
      return this.doDelete(ctx, rr);
    }
    if (method === 'POST') {
      if (rt.group === 'authorization.k8s.io') throw errMethodNotAllowed();
      throw errMethodNotAllowed();
    }
    throw errMethodNotAllowed();
  }

  private key(rr: Pick<ResReq, 'rt'>): string {
    return storageKey(rr.rt);
  }

  private mustGet(rr: ResReq): Entry {
    const e = this.store.getEntry(this.key(rr), rr.namespace ?? '', rr.name!);
    if (!e) throw errNotFound(rr.rt, rr.name!);
    return e;
  }

  /** The request's label and field selectors as one predicate, and a label requirement the index can answer. */
  private selectors(ctx: Ctx, rt: ResourceType): { match?: Predicate; index?: LabelIndexHint } {
    try {
      const ls = ctx.q.get('labelSelector') ?? undefined;
      const label = parseLabelSelector(ls);
      const field = parseFieldSelector(rt, ctx.q.get('fieldSelector'), ls);
      const lm = label?.match;
      return { match: lm && field ? (v) => lm(v) && field(v) : (lm ?? field), index: label?.index };
    } catch (e) {
      if (e instanceof SelectorError) throw errBadRequest(e.message);
      throw e;
    }
  }

  private format(ctx: Ctx, tableOk = true): OutputFormat {
    const f = negotiate(ctx.req.headers.accept, { tableOk });
    const inc = ctx.q.get('includeObject');
    if (f.kind === 'table' && inc !== null && !table.INCLUDE_OBJECT_VALUES.includes(inc)) throw new StatusError(table.includeObjectError(inc));
    return f;
  }

  private doGet(ctx: Ctx, rr: ResReq): void {
    const fmt = this.format(ctx);
    const e = this.mustGet(rr);
    const view = viewOf(rr.rt);
    if (fmt.kind === 'table') {
      const obj = e.obj;
      const t = table.toTable(rr.rt, [view ? view.fromStore(obj) : obj], { resourceVersion: obj.metadata.resourceVersion }, ctx.q.get('includeObject') ?? 'Metadata');
      return sendJson(ctx.res, 200, t);
    }
    if (fmt.kind === 'partial') return sendJson(ctx.res, 200, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: e.obj.metadata });
    sendFormatted(ctx.res, 200, entryJsonAs(rr.rt, e), fmt);
  }

  private doList(ctx: Ctx, rr: ResReq): void | Promise<void> {
    const fmt = this.format(ctx);
    const { match, index } = this.selectors(ctx, rr.rt);
    const key = this.key(rr);
    let entries = this.store.listEntries(key, rr.rt.namespaced ? rr.namespace : '', index);
    if (match) entries = entries.filter((e) => match(e));
    const limit = Number(ctx.q.get('limit') ?? 0);
    const cont = ctx.q.get('continue');
    let listRv = this.store.resourceVersion;
    const keyOf = (e: Entry) => (rr.namespace !== undefined || !rr.rt.namespaced ? e.sel.metadata.name : `${e.sel.metadata.namespace}/${e.sel.metadata.name}`);
    if (cont) {
      const tok = decodeContinue(cont);
      if (tok.rv < this.store.oldestConsistentRv(key)) {
        throw new StatusError(
          statusOf(
            410,
            'Expired',
            'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
            undefined,
            { continue: encodeContinue(-1, tok.start) },
          ),
        );
      }
      if (tok.rv > 0) listRv = tok.rv;
      const start = tok.start.replace(/\u0000$/, '');
      entries = entries.filter((e) => keyOf(e) > start);
    }
    const meta: Record<string, unknown> = { resourceVersion: String(listRv) };
    if (limit > 0 && entries.length > limit) {
      const page = entries.slice(0, limit);
      meta.continue = encodeContinue(listRv, keyOf(page[page.length - 1]) + '\u0000');
      if (!match) meta.remainingItemCount = entries.length - limit;
      entries = page;
    }
    const view = viewOf(rr.rt);
    if (fmt.kind === 'table') {
      return sendJson(ctx.res, 200, table.toTable(rr.rt, entries.map((e) => (view ? view.fromStore(e.obj) : e.obj)), meta as any, ctx.q.get('includeObject') ?? 'Metadata'));
    }
    if (fmt.kind === 'partial') {
      return sendJson(ctx.res, 200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: meta, items: entries.map((e) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: e.obj.metadata })) });
    }
    const head = `{"kind":${JSON.stringify(listKind(rr.rt))},"apiVersion":${JSON.stringify(groupVersion(rr.rt))},"metadata":${JSON.stringify(meta)},"items":[`;
    if (fmt.kind === 'json' && entries.length > 100) {
      const pieces: (string | Buffer)[] = [head];
      entries.forEach((e, i) => {
        if (i) pieces.push(',');
        pieces.push(view ? JSON.stringify(view.fromStore(e.obj)) : e.bytes);
      });
      pieces.push(']}');
      return sendJsonPieces(ctx.res, 200, pieces);
    }
    const parts: string[] = new Array(entries.length);
    for (let i = 0; i < entries.length; i++) parts[i] = view ? JSON.stringify(view.fromStore(entries[i].obj)) : entries[i].json;
    sendFormatted(ctx.res, 200, `${head}${parts.join(',')}]}`, fmt);
  }

  private doWatch(ctx: Ctx, rr: ResReq): void {
    const fmt = this.format(ctx);
    let { match } = this.selectors(ctx, rr.rt);
    if (rr.name !== undefined) {
      const n = rr.name;
      const m0 = match;
      match = (e) => e.sel.metadata.name === n && (!m0 || m0(e));
    }
    const t = Number(ctx.q.get('timeoutSeconds'));
    const timeoutSeconds = Number.isFinite(t) && t > 0 ? t : 1800 * (1 + Math.random());
    let render: ((o: any) => any) | undefined;
    if (fmt.kind === 'table') {
      const inc = ctx.q.get('includeObject') ?? 'Metadata';
      render = (o) => table.toTable(rr.rt, [o], { resourceVersion: o.metadata?.resourceVersion }, inc);
    } else if (fmt.kind === 'partial') {
      render = (o) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata });
    }
    serveWatch(
      this.store,
      ctx.req,
      ctx.res,
      {
        resource: this.key(rr),
        kind: rr.rt.kind,
        apiVersion: groupVersion(rr.rt),
        namespace: rr.rt.namespaced ? rr.namespace : undefined,
        match,
        resourceVersion: ctx.q.get('resourceVersion') ?? undefined,
        bookmarks: ctx.q.get('allowWatchBookmarks') === 'true',
        timeoutSeconds,
        render,
        convert: viewOf(rr.rt)?.fromStore,
      },
      this.watchRegistry,
    );
  }

  // ---------------- body decoding ----------------

  private async readJson(ctx: Ctx, what: 'object' | 'patch'): Promise<{ value: any; raw: string }> {
    const ct = (ctx.req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const buf = await readBody(ctx.req);
    const raw = buf.toString('utf8');
    if (what === 'object') {
      // kubectl newer than 1.28 sends protobuf (the gcloud kubectl dispatcher picks one by GET /version)
      if (ct === 'application/vnd.kubernetes.protobuf') throw errBodyFormatUnknown(['application/json', 'application/yaml']);
      if (ct && ct !== 'application/json' && ct !== 'application/yaml' && ct !== '*/*') throw errUnsupportedMediaType(ct);
      if (ct === 'application/yaml') {
        const { parse } = await import('yaml');
        try {
          return { value: parse(raw), raw };
        } catch (e) {
          throw errBadRequest(`error converting YAML to JSON: ${(e as Error).message}`);
        }
      }
      try {
        return { value: parseGoJson(raw), raw };
      } catch (e) {
        if (e instanceof GoJsonError) throw errBadRequest(`couldn't get version/kind; json parse error: ${e.message}`);
        throw e;
      }
    }
    try {
      return { value: parseGoJson(raw), raw };
    } catch (e) {
      // merge patches are decoded with an "error decoding patch" prefix; JSON and strategic patches are not
      if (e instanceof GoJsonError) throw errBadRequest(ct === 'application/merge-patch+json' ? `error decoding patch: ${e.message}` : e.message);
      throw e;
    }
  }

  /**
   * The decoding step: type errors and malformed quantities (400 whatever fieldValidation says), unknown
   * fields (Strict: 400, Warn: Warning header, Ignore: nothing), then the unknown fields are dropped as
   * the real decoder drops them. Returns the Warning headers.
   */
  private decode(ctx: Ctx, rt: ResourceType, obj: any): Record<string, string> {
    const mode = ctx.q.get('fieldValidation') ?? 'Warn';
    if (mode !== 'Strict' && mode !== 'Warn' && mode !== 'Ignore') {
      throw errBadRequest(`fieldValidation parameter unsupported: ${mode}. Must be one of [Ignore Warn Strict]`);
    }
    if (!isObj(obj)) return {};
    const decoded = validation.decodeObject(rt, obj);
    if (decoded.error) throw new StatusError(validation.decodeErrorStatus(rt, decoded.error));
    let headers: Record<string, string> = {};
    if (mode !== 'Ignore') {
      const unknown = decoded.unknown;
      if (unknown.length && mode === 'Strict') throw new StatusError(validation.strictDecodingStatus(rt, obj.metadata?.name ?? '', unknown));
      if (unknown.length) headers = { Warning: unknown.map((f) => `299 - "unknown field \\"${f}\\""`).join(', ') };
    }
    if (decoded.unknown.length) validation.pruneUnknownFields(rt, obj);
    return headers;
  }

  private checkKind(rt: ResourceType, obj: any): void {
    if (!isObj(obj)) throw errBadRequest(`the object provided is unrecognized (must be of type ${rt.kind})`);
    const gv = groupVersion(rt);
    if (obj.apiVersion !== undefined && obj.apiVersion !== gv) {
      throw errBadRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${gv})`);
    }
    if (obj.kind !== undefined && obj.kind !== rt.kind) {
      throw errBadRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${rt.kind})`);
    }
    obj.kind = rt.kind;
    obj.apiVersion = gv;
    if (!isObj(obj.metadata)) obj.metadata = {};
  }

  // ---------------- create ----------------

  private async doCreate(ctx: Ctx, rr: ResReq): Promise<void> {
    const { rt } = rr;
    if (rt.group === 'authorization.k8s.io') return this.doAccessReview(ctx, rr);
    const { value: obj } = await this.readJson(ctx, 'object');
    const warn = this.decode(ctx, rt, obj);
    this.checkKind(rt, obj);
    const dryRun = ctx.q.getAll('dryRun').includes('All');
    const created = this.createObject(rt, obj, { namespace: rr.namespace, user: ctx.user, dryRun });
    const fmt = this.format(ctx, false);
    sendFormatted(ctx.res, 201, created, fmt, warn);
  }

  /** The create pipeline. Returns the stored (or dry-run) object's JSON. */
  createObject(rt: ResourceType, obj: any, o: { namespace?: string; user: rbac.UserInfo; dryRun?: boolean }): string {
    const key = storageKey(rt);
    const meta = obj.metadata;
    if (rt.namespaced) {
      if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== o.namespace) {
        throw errBadRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = o.namespace;
    } else delete meta.namespace;

    // name generation happens before admission in the real server (BeforeCreate runs later, but the
    // Forbidden messages already carry the generated name only when set; keep the user's name here)
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
    const name: string = meta.name ?? '';

    // NamespaceLifecycle admission
    if (rt.namespaced) {
      const ns = this.store.getEntry('/namespaces', '', o.namespace!)?.obj;
      if (!ns) throw errNotFound({ group: '', plural: 'namespaces' }, o.namespace!);
      if (ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') {
        const st = statusOf(403, 'Forbidden', `${rt.group ? `${rt.plural}.${rt.group}` : rt.plural} "${name}" is forbidden: unable to create new content in namespace ${o.namespace} because it is being terminated`, {
          name,
          ...(rt.group ? { group: rt.group } : {}),
          kind: rt.plural,
          causes: [{ reason: 'NamespaceTerminating', message: `namespace ${o.namespace} is being terminated`, field: 'metadata.namespace' }],
        });
        throw new StatusError(st);
      }
    }

    // RBAC escalation
    const rbacKind = RBAC_KINDS[key];
    if (rbacKind && !o.user.groups.includes('system:masters')) {
      const st = rbac.checkEscalation(this.rbacObjects(), o.user, rbacKind, obj, o.namespace);
      if (st) throw new StatusError(st);
    }

    // metadata the server owns
    delete meta.uid;
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.managedFields;
    delete meta.selfLink;
    meta.creationTimestamp = nowRfc3339();
    if (GENERATION_KINDS.has(key)) meta.generation = 1;
    else delete meta.generation;

    if (rt.subresources.includes('status') && key !== '/namespaces') obj.status = {};
    if (key === '/namespaces') {
      meta.labels = { ...(meta.labels ?? {}), 'kubernetes.io/metadata.name': name };
      obj.spec = { ...(obj.spec ?? {}) };
      if (!obj.spec.finalizers) obj.spec.finalizers = ['kubernetes'];
      obj.status = { phase: 'Active' };
    }

    let serviceAccount: any;
    if (key === '/pods') {
      // ServiceAccount admission
      const saName = obj.spec?.serviceAccountName || obj.spec?.serviceAccount || 'default';
      if (!meta.annotations?.['kubernetes.io/config.mirror']) {
        serviceAccount = this.store.getEntry('/serviceaccounts', o.namespace!, saName)?.obj;
        if (!serviceAccount) {
          throw errForbidden(rt, name, `error looking up service account ${o.namespace}/${saName}: serviceaccount "${saName}" not found`);
        }
      }
    }

    defaults.applyDefaults(rt, obj, undefined, { serviceAccount });

    if (key === '/pods') {
      obj.status = obj.status ?? {};
      obj.status.phase ??= 'Pending';
      obj.status.qosClass ??= podQosClass(obj);
    }
    if (key === '/services') {
      allocateServiceFields(obj);
      if (!obj.status || !Object.keys(obj.status).length) obj.status = { loadBalancer: {} };
    }

    const errs = validation.validateObject(rt, obj);
    if (errs.length) throw new StatusError(validation.invalidStatus(rt, name, errs));
    if (!name) {
      throw new StatusError(
        statusOf(422, 'Invalid', `${rt.kind}${rt.group ? '.' + rt.group : ''} "" is invalid: metadata.name: Required value: name or generateName is required`, {
          ...(rt.group ? { group: rt.group } : {}),
          kind: rt.kind,
          causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }],
        }),
      );
    }
    if (this.store.getEntry(key, meta.namespace ?? '', name)) throw errAlreadyExists(rt, name);

    if (key === '/services') {
      const err = this.services.allocate(obj, !!o.dryRun);
      if (err) throw err;
    }

    if (o.dryRun) {
      meta.uid = crypto.randomUUID();
      return JSON.stringify(obj);
    }
    const view = viewOf(rt);
    const entry = this.store.create(key, view ? view.toStore(obj) : obj);
    if (key === 'rbac.authorization.k8s.io/clusterroles') this.reaggregate();
    return entryJsonAs(rt, entry);
  }

  // ---------------- update / patch ----------------

  private async doWrite(ctx: Ctx, rr: ResReq, method: 'PUT' | 'PATCH'): Promise<void> {
    const { rt } = rr;
    const key = this.key(rr);
    const name = rr.name!;
    const ns = rr.namespace ?? '';
    const dryRun = ctx.q.getAll('dryRun').includes('All');
    let warn: Record<string, string> = {};
    let next: any;
    const existing = this.store.getEntry(key, ns, name);

    if (method === 'PUT') {
      const { value } = await this.readJson(ctx, 'object');
      warn = this.decode(ctx, rt, value);
      this.checkKind(rt, value);
      if (value.metadata.name !== undefined && value.metadata.name !== name) {
        throw errBadRequest(`the name of the object (${value.metadata.name}) does not match the name on the URL (${name})`);
      }
      if (rt.namespaced && value.metadata.namespace && value.metadata.namespace !== ns) {
        throw errBadRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      value.metadata.name = name;
      if (!existing) {
        if (CREATE_ON_UPDATE.has(key) && !rr.sub) {
          this.authorize(ctx, rr, 'create', name);
          const created = this.createObject(rt, value, { namespace: rr.namespace, user: ctx.user, dryRun });
          return sendFormatted(ctx.res, 201, created, this.format(ctx, false), warn);
        }
        throw errNotFound(rt, name);
      }
      next = value;
    } else {
      const ct = (ctx.req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (!['application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'].includes(ct)) {
        await readBody(ctx.req).catch(() => undefined);
        throw errUnsupportedMediaType(ct);
      }
      if (ct === 'application/apply-patch+yaml') {
        await readBody(ctx.req).catch(() => undefined);
        throw errUnsupportedMediaType(ct);
      }
      const { value: patch } = await this.readJson(ctx, 'patch');
      if (!existing) throw errNotFound(rt, name);
      const stored = existing.obj; // a fresh copy
      const current = viewOf(rt) ? viewOf(rt)!.fromStore(stored) : stored;
      try {
        if (ct === 'application/merge-patch+json') {
          if (!isObj(patch)) throw new PatchError('json: cannot unmarshal into Go value of type map[string]interface {}', 'BadRequest');
          next = mergePatch(current, patch);
        } else if (ct === 'application/json-patch+json') {
          next = jsonPatch(current, patch);
        } else {
          if (!isObj(patch)) throw new PatchError('json: cannot unmarshal into Go value of type map[string]interface {}', 'BadRequest');
          next = strategicMergePatch(current, patch, schemaFor(rt.group, rt.version, rt.kind));
        }
      } catch (e) {
        if (e instanceof PatchError) {
          if (e.kind === 'BadRequest') throw errBadRequest(e.message);
          throw new StatusError(statusOf(422, 'Invalid', 'the server rejected our request due to an error in our request', { causes: [{ reason: 'UnexpectedServerResponse', message: e.message }] } as any));
        }
        throw e;
      }
      warn = this.decode(ctx, rt, next);
      if (!isObj(next)) throw errBadRequest('the object provided is unrecognized');
      this.checkKind(rt, next);
      if (next.metadata.name !== name) throw errBadRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
    }
    const result = this.updateObject(rt, existing!, next, { sub: rr.sub, user: ctx.user, dryRun });
    sendFormatted(ctx.res, 200, result, this.format(ctx, false), warn);
  }

  /** The update pipeline (PUT, PATCH, status, finalize). Returns the stored object's JSON. */
  updateObject(rt: ResourceType, existing: Entry, nextIn: any, o: { sub?: string; user: rbac.UserInfo; dryRun?: boolean }): string {
    const key = storageKey(rt);
    const view = viewOf(rt);
    const old = view ? view.fromStore(existing.obj) : existing.obj;
    const name = old.metadata.name;
    const sentRv = nextIn.metadata?.resourceVersion;
    if (sentRv !== undefined && sentRv !== '' && sentRv !== old.metadata.resourceVersion) {
      throw errConflict(rt, name, CONFLICT_MODIFIED);
    }
    let next: any;
    if (o.sub === 'status') {
      next = structuredClone(old);
      next.status = nextIn.status;
      if (key === '/pods' || GENERATION_KINDS.has(key)) {
        /* status writers cannot change spec or metadata */
      }
    } else if (o.sub === 'finalize') {
      next = structuredClone(old);
      next.spec = { ...(old.spec ?? {}), finalizers: nextIn.spec?.finalizers ?? [] };
    } else {
      next = nextIn;
      if (rt.subresources.includes('status') && key !== '/namespaces') next.status = structuredClone(old.status);
      if (key === '/namespaces') {
        next.spec = structuredClone(old.spec);
        next.status = structuredClone(old.status);
      }
    }
    const m = next.metadata;
    // server-owned metadata comes from the stored object
    m.name = old.metadata.name;
    if (old.metadata.namespace !== undefined) m.namespace = old.metadata.namespace;
    m.uid = old.metadata.uid;
    m.creationTimestamp = old.metadata.creationTimestamp;
    if (old.metadata.deletionTimestamp) {
      m.deletionTimestamp = old.metadata.deletionTimestamp;
      if (old.metadata.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
      // New finalizers on an object being deleted are refused by validation.validateObject (ObjectMeta update rules).
    } else {
      delete m.deletionTimestamp;
      delete m.deletionGracePeriodSeconds;
    }
    delete m.managedFields;
    delete m.selfLink;
    if (m.finalizers && m.finalizers.length === 0) delete m.finalizers;
    if (GENERATION_KINDS.has(key)) {
      m.generation = old.metadata.generation ?? 1;
      if (!o.sub && !jsonEq(old.spec, next.spec)) m.generation++;
    } else if (old.metadata.generation !== undefined) m.generation = old.metadata.generation;
    else delete m.generation;

    const rbacKind = RBAC_KINDS[key];
    if (rbacKind && !o.user.groups.includes('system:masters')) {
      const st = rbac.checkEscalation(this.rbacObjects(), o.user, rbacKind, next, old.metadata.namespace, 'update');
      if (st) throw new StatusError(st);
    }

    if (!o.sub) defaults.applyDefaults(rt, next, old);
    if (key === '/services' && !o.sub) {
      preserveServiceAllocations(next, old);
      allocateServiceFields(next);
    }
    const errs = validation.validateObject(rt, next, old);
    if (errs.length) throw new StatusError(validation.invalidStatus(rt, name, errs));
    if (key === '/services' && !o.sub) {
      const err = this.services.allocate(next, !!o.dryRun, old);
      if (err) throw err;
    }

    if (o.dryRun) {
      next.metadata.resourceVersion = old.metadata.resourceVersion;
      return JSON.stringify(next);
    }
    // nothing changed: the real server answers with the stored object, no new resourceVersion
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    if (jsonEq(next, old)) return entryJsonAs(rt, existing);
    const toStore = (o: any) => (view ? view.toStore(o) : o);

    // An object being deleted whose last finalizer went away is removed now, without writing the
    // update first (the registry's errEmptiedFinalizers → deleteWithoutFinalizers): watchers get one
    // DELETED carrying the last stored state (etcd's previous value), not a MODIFIED and then a DELETED.
    const ns = old.metadata.namespace ?? '';
    if (next.metadata.deletionTimestamp && !(next.metadata.finalizers?.length) && (next.metadata.deletionGracePeriodSeconds ?? 0) === 0 && !(key === '/namespaces' && next.spec?.finalizers?.length)) {
      const gone = this.store.remove(key, ns, name)!;
      if (key === '/services') this.services.release(old);
      return entryJsonAs(rt, gone);
    }
    const entry = this.store.update(key, toStore(next));
    if (key === 'rbac.authorization.k8s.io/clusterroles') this.reaggregate();
    return entryJsonAs(rt, entry);
  }

  // ---------------- scale ----------------

  private toScale(rr: ResReq, obj: any): any {
    const sel = obj.spec?.selector;
    const parts: string[] = [];
    for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) parts.push(`${k}=${v}`);
    for (const e of sel?.matchExpressions ?? []) {
      if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
      else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
      else if (e.operator === 'Exists') parts.push(e.key);
      else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    }
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: obj.metadata.name,
        namespace: obj.metadata.namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
        creationTimestamp: obj.metadata.creationTimestamp,
      },
      spec: { replicas: obj.spec?.replicas ?? 0 },
      status: { replicas: obj.status?.replicas ?? 0, selector: parts.join(',') },
    };
  }

  private async doScaleWrite(ctx: Ctx, rr: ResReq, method: string): Promise<void> {
    const existing = this.mustGet(rr);
    const stored = existing.obj;
    let scale: any;
    if (method === 'PUT') {
      scale = (await this.readJson(ctx, 'object')).value;
    } else {
      const ct = (ctx.req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      const { value: patch } = await this.readJson(ctx, 'patch');
      const cur = this.toScale(rr, stored);
      try {
        if (ct === 'application/merge-patch+json' || ct === 'application/strategic-merge-patch+json') scale = mergePatch(cur, patch);
        else if (ct === 'application/json-patch+json') scale = jsonPatch(cur, patch);
        else throw errUnsupportedMediaType(ct);
      } catch (e) {
        if (e instanceof PatchError) throw errBadRequest(e.message);
        throw e;
      }
    }
    if (!isObj(scale)) throw errBadRequest('the object provided is unrecognized (must be of type Scale)');
    const replicas = scale.spec?.replicas ?? 0;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new StatusError(
        statusOf(422, 'Invalid', `Scale.autoscaling "${rr.name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`, {
          name: rr.name,
          group: 'autoscaling',
          kind: 'Scale',
          causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${replicas}: must be greater than or equal to 0`, field: 'spec.replicas' }],
        }),
      );
    }
    const sentRv = scale.metadata?.resourceVersion;
    if (sentRv && sentRv !== stored.metadata.resourceVersion) throw errConflict(rr.rt, rr.name!, CONFLICT_MODIFIED);
    const next = stored;
    next.spec = { ...(next.spec ?? {}), replicas };
    const dryRun = ctx.q.getAll('dryRun').includes('All');
    const json = this.updateObject(rr.rt, existing, next, { user: ctx.user, dryRun });
    sendJson(ctx.res, 200, this.toScale(rr, JSON.parse(json)));
  }

  // ---------------- delete ----------------

  private async deleteOptions(ctx: Ctx): Promise<any> {
    const buf = await readBody(ctx.req);
    let opts: any = {};
    const raw = buf.toString('utf8').trim();
    if (raw) {
      try {
        opts = parseGoJson(raw);
      } catch (e) {
        if (e instanceof GoJsonError) throw errBadRequest(`couldn't get version/kind; json parse error: ${e.message}`);
        throw e;
      }
    }
    const q = ctx.q;
    if (q.has('gracePeriodSeconds')) opts.gracePeriodSeconds = Number(q.get('gracePeriodSeconds'));
    if (q.has('propagationPolicy')) opts.propagationPolicy = q.get('propagationPolicy');
    if (q.has('orphanDependents')) opts.orphanDependents = q.get('orphanDependents') === 'true';
    if (q.getAll('dryRun').includes('All')) opts.dryRun = ['All'];
    if (opts.propagationPolicy && !['Background', 'Foreground', 'Orphan'].includes(opts.propagationPolicy)) {
      throw new StatusError(
        statusOf(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`, {
          group: 'meta.k8s.io',
          kind: 'DeleteOptions',
          causes: [{ reason: 'FieldValueNotSupported', message: `Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`, field: 'propagationPolicy' }],
        }),
      );
    }
    return opts;
  }

  private async doDelete(ctx: Ctx, rr: ResReq): Promise<void> {
    const opts = await this.deleteOptions(ctx);
    const r = this.deleteObject(rr.rt, rr.namespace ?? '', rr.name!, opts);
    const fmt = this.format(ctx, false);
    sendFormatted(ctx.res, r.code, r.json, fmt);
  }

  /** Delete with graceful deletion, finalizers and propagation policies. */
  deleteObject(rt: ResourceType, ns: string, name: string, opts: any): { code: number; json: string } {
    const key = storageKey(rt);
    const e = this.store.getEntry(key, ns, name);
    if (!e) throw errNotFound(rt, name);
    const obj = e.obj;
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== obj.metadata.uid) {
      throw errConflict(rt, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
      throw errConflict(rt, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`);
    }
    const dryRun = Array.isArray(opts.dryRun) && opts.dryRun.includes('All');
    if (key === '/namespaces' && IMMORTAL_NAMESPACES.has(name)) {
      throw errForbidden(rt, name, 'this namespace may not be deleted');
    }

    let policy: string | undefined = opts.propagationPolicy;
    if (!policy && opts.orphanDependents === true) policy = 'Orphan';
    if (!policy && opts.orphanDependents === false) policy = 'Background';
    const acceptedCode = opts.orphanDependents === false ? 202 : 200;

    const next = structuredClone(obj);
    const m = next.metadata;
    let finalizers: string[] = [...(m.finalizers ?? [])];
    if (policy === 'Foreground') {
      finalizers = finalizers.filter((f) => f !== 'orphan');
      if (!finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    } else if (policy === 'Orphan') {
      finalizers = finalizers.filter((f) => f !== 'foregroundDeletion');
      if (!finalizers.includes('orphan')) finalizers.push('orphan');
    } else if (policy === 'Background' && !m.deletionTimestamp) {
      // an explicit Background policy drops the GC finalizers a previous default might have set
      finalizers = finalizers.filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
    }

    // graceful deletion of pods bound to a node
    let grace = 0;
    if (key === '/pods') {
      const terminal = obj.status?.phase === 'Succeeded' || obj.status?.phase === 'Failed';
      const requested = opts.gracePeriodSeconds;
      grace = requested !== undefined ? Math.max(0, Number(requested)) : (obj.spec?.terminationGracePeriodSeconds ?? 30);
      if (!obj.spec?.nodeName || terminal) grace = 0;
      if (m.deletionGracePeriodSeconds !== undefined && grace > m.deletionGracePeriodSeconds) grace = m.deletionGracePeriodSeconds;
    }

    if (key === '/namespaces') {
      if (dryRun) return { code: 200, json: entryJsonAs(rt, e) };
      if (!m.deletionTimestamp) {
        m.deletionTimestamp = nowRfc3339();
        if (finalizers.length) m.finalizers = finalizers;
        next.status = { ...(next.status ?? {}), phase: 'Terminating' };
        return { code: acceptedCode, json: entryJsonAs(rt, this.store.update(key, next)) };
      }
      if (!next.spec?.finalizers?.length && !finalizers.length) {
        const gone = this.store.remove(key, ns, name)!;
        return { code: 200, json: entryJsonAs(rt, gone) };
      }
      if (!jsonEq(finalizers, m.finalizers ?? [])) {
        if (finalizers.length) m.finalizers = finalizers;
        else delete m.finalizers;
        return { code: acceptedCode, json: entryJsonAs(rt, this.store.update(key, next)) };
      }
      return { code: acceptedCode, json: entryJsonAs(rt, e) };
    }

    if (finalizers.length || grace > 0) {
      if (dryRun) return { code: 200, json: entryJsonAs(rt, e) };
      const firstTime = !m.deletionTimestamp;
      if (firstTime || grace < (m.deletionGracePeriodSeconds ?? Infinity)) {
        m.deletionTimestamp = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        m.deletionGracePeriodSeconds = grace;
        if (m.generation !== undefined && m.generation > 0 && firstTime) m.generation++;
      }
      if (finalizers.length) m.finalizers = finalizers;
      else delete m.finalizers;
      if (jsonEq(next, obj)) return { code: acceptedCode, json: entryJsonAs(rt, e) };
      if (!finalizers.length && grace === 0) {
        // fall through to immediate removal
      } else {
        return { code: acceptedCode, json: entryJsonAs(rt, this.store.update(key, next)) };
      }
    }

    if (dryRun) {
      return { code: 200, json: RETURN_DELETED_OBJECT.has(key) ? entryJsonAs(rt, e) : JSON.stringify(deletedStatus(rt, name, obj.metadata.uid)) };
    }
    const gone = this.store.remove(key, ns, name)!;
    if (key === '/services') this.services.release(obj);
    if (key === 'rbac.authorization.k8s.io/clusterroles') this.reaggregate();
    if (RETURN_DELETED_OBJECT.has(key)) return { code: 200, json: entryJsonAs(rt, gone) };
    return { code: 200, json: JSON.stringify(deletedStatus(rt, name, obj.metadata.uid)) };
  }

  private async doDeleteCollection(ctx: Ctx, rr: ResReq): Promise<void> {
    const opts = await this.deleteOptions(ctx);
    const { match, index } = this.selectors(ctx, rr.rt);
    const key = this.key(rr);
    let entries = this.store.listEntries(key, rr.rt.namespaced ? rr.namespace : '', index);
    if (match) entries = entries.filter((e) => match(e));
    const items: string[] = [];
    for (const e of entries) {
      try {
        const r = this.deleteObject(rr.rt, e.sel.metadata.namespace ?? '', e.sel.metadata.name, opts);
        items.push(RETURN_DELETED_OBJECT.has(key) ? r.json : entryJsonAs(rr.rt, e));
      } catch (err) {
        if (err instanceof StatusError && err.status.code === 404) continue;
        throw err;
      }
    }
    const json = `{"kind":${JSON.stringify(listKind(rr.rt))},"apiVersion":${JSON.stringify(groupVersion(rr.rt))},"metadata":{"resourceVersion":"${this.store.resourceVersion}"},"items":[${items.join(',')}]}`;
    sendFormatted(ctx.res, 200, json, this.format(ctx, false));
  }

  // ---------------- pods/binding, eviction ----------------

  private async doBinding(ctx: Ctx, rr: ResReq): Promise<void> {
    const { value: b } = await this.readJson(ctx, 'object');
    if (!isObj(b)) throw errBadRequest('the object provided is unrecognized (must be of type Binding)');
    const podName = rr.name ?? b.metadata?.name;
    if (!podName) throw errBadRequest('name is required');
    if (rr.name && b.metadata?.name && b.metadata.name !== rr.name) {
      throw errBadRequest(`the name of the object (${b.metadata.name}) does not match the name on the URL (${rr.name})`);
    }
    const podsRt = findResource('', 'v1', 'pods')!;
    const e = this.store.getEntry('/pods', rr.namespace ?? '', podName);
    if (!e) throw errNotFound(podsRt, podName);
    const target = b.target ?? {};
    if (target.kind && target.kind !== 'Node') {
      throw new StatusError(statusOf(422, 'Invalid', 'Binding "' + podName + '" is invalid: target.kind: Invalid value: "' + target.kind + '": must be empty or \'Node\'', {}));
    }
    const next = e.obj; // a fresh copy
    if (next.metadata.deletionTimestamp) {
      throw errConflict({ group: '', plural: 'pods/binding' }, podName, `pod ${podName} is being deleted, cannot be assigned to a host`);
    }
    if (next.spec?.nodeName) {
      throw errConflict({ group: '', plural: 'pods/binding' }, podName, `pod ${podName} is already assigned to node "${next.spec.nodeName}"`);
    }
    next.spec.nodeName = target.name;
    for (const [k, v] of Object.entries(b.metadata?.annotations ?? {})) {
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [k]: v };
    }
    next.status = next.status ?? {};
    const conds: any[] = next.status.conditions ?? [];
    const now = nowRfc3339();
    const i = conds.findIndex((c) => c.type === 'PodScheduled');
    const cond = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now };
    if (i >= 0) conds[i] = { ...conds[i], ...cond };
    else conds.push(cond);
    next.status.conditions = conds;
    if (!ctx.q.getAll('dryRun').includes('All')) this.store.update('/pods', next);
    sendJson(ctx.res, 201, successStatus(201));
  }

  private async doEviction(ctx: Ctx, rr: ResReq): Promise<void> {
    await readBody(ctx.req);
    this.deleteObject(rr.rt, rr.namespace ?? '', rr.name!, {});
    sendJson(ctx.res, 201, successStatus(201));
  }

  // ---------------- TokenRequest ----------------

  private async doTokenRequest(ctx: Ctx, rr: ResReq): Promise<void> {
    const { value: tr } = await this.readJson(ctx, 'object');
    const saRt = findResource('', 'v1', 'serviceaccounts')!;
    const sa = this.store.getEntry('/serviceaccounts', rr.namespace ?? '', rr.name!);
    if (!sa) throw errNotFound(saRt, rr.name!);
    const spec = isObj(tr?.spec) ? tr.spec : {};
    let exp = Number(spec.expirationSeconds ?? 3600);
    if (!Number.isFinite(exp) || exp < 600) {
      throw new StatusError(
        statusOf(422, 'Invalid', `TokenRequest.authentication.k8s.io "${rr.name}" is invalid: spec.expirationSeconds: Invalid value: ${spec.expirationSeconds}: may not specify a duration less than 10 minutes`, {
          name: rr.name,
          group: 'authentication.k8s.io',
          kind: 'TokenRequest',
          causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${spec.expirationSeconds}: may not specify a duration less than 10 minutes`, field: 'spec.expirationSeconds' }],
        }),
      );
    }
    if (exp > 2 ** 32) exp = 2 ** 32;
    const audiences: string[] = Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences : ['https://kubernetes.default.svc.cluster.local'];
    let boundPod: { name: string; uid: string } | undefined;
    const bor = spec.boundObjectRef;
    if (bor?.kind === 'Pod') {
      const pod = this.store.getEntry('/pods', rr.namespace ?? '', bor.name);
      if (pod) boundPod = { name: bor.name, uid: pod.sel.uid! };
    }
    const { token, exp: expAt } = this.auth.issueServiceAccountToken(rr.namespace ?? '', rr.name!, sa.sel.uid!, exp, audiences, boundPod);
    const out = {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name: rr.name, namespace: rr.namespace, creationTimestamp: nowRfc3339() },
      spec: { audiences, expirationSeconds: exp, boundObjectRef: bor ?? null },
      status: { token, expirationTimestamp: new Date(expAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
    };
    sendJson(ctx.res, 201, out);
  }

  // ---------------- access reviews ----------------

  private async doAccessReview(ctx: Ctx, rr: ResReq): Promise<void> {
    const { value: body } = await this.readJson(ctx, 'object');
    this.checkKind(rr.rt, body);
    const spec = isObj(body.spec) ? body.spec : {};
    if (rr.rt.plural === 'selfsubjectrulesreviews') {
      // selfsubjectrulesreview/rest.go: the answer is a new object with only a status (spec and metadata empty).
      const namespace = typeof spec.namespace === 'string' ? spec.namespace : '';
      if (namespace === '') throw errBadRequest('no namespace on request');
      const status = rbac.selfSubjectRulesReviewStatus(this.rbacObjects(), ctx.user, namespace);
      return sendJson(ctx.res, 201, { kind: rr.rt.kind, apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec: {}, status });
    }
    let user: rbac.UserInfo;
    if (rr.rt.plural === 'selfsubjectaccessreviews') user = ctx.user;
    else {
      if (!spec.user && !(spec.groups?.length)) {
        throw new StatusError(
          statusOf(422, 'Invalid', 'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified', {
            group: 'authorization.k8s.io',
            kind: 'SubjectAccessReview',
            causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: "": at least one of user or group must be specified', field: 'spec.user' }],
          }),
        );
      }
      user = { username: spec.user ?? '', uid: spec.uid, groups: spec.groups ?? [] };
    }
    const ra = spec.resourceAttributes;
    const nra = spec.nonResourceAttributes;
    if (!ra && !nra) {
      throw new StatusError(
        statusOf(422, 'Invalid', `${rr.rt.kind}.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`, {
          group: 'authorization.k8s.io',
          kind: rr.rt.kind,
          causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified', field: 'spec.resourceAttributes' }],
        }),
      );
    }
    const objs = this.rbacObjects();
    const status =
      rr.rt.plural === 'selfsubjectaccessreviews' ? rbac.selfSubjectAccessReviewStatus(objs, user, spec) : rbac.subjectAccessReviewStatus(objs, spec);
    const outSpec: Record<string, unknown> = {};
    if (ra) outSpec.resourceAttributes = ra;
    if (nra) outSpec.nonResourceAttributes = nra;
    if (rr.rt.plural === 'subjectaccessreviews') {
      if (spec.user !== undefined) outSpec.user = spec.user;
      if (spec.groups !== undefined) outSpec.groups = spec.groups;
      if (spec.uid !== undefined) outSpec.uid = spec.uid;
      if (spec.extra !== undefined) outSpec.extra = spec.extra;
    }
    const out = { kind: rr.rt.kind, apiVersion: 'authorization.k8s.io/v1', metadata: { ...(isObj(body.metadata) ? body.metadata : {}), creationTimestamp: null }, spec: outSpec, status };
    sendJson(ctx.res, 201, out);
  }
}

export { RESOURCES, errServiceUnavailable };
