// pods/proxy, services/proxy and pods/log: the API server side of the pod network and container
// logs, which the kubelets offer through PodIO.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceType } from '../resources';
import { errBadRequest, errNotFound, errServiceUnavailable } from './errors';
import type { ApiServer } from './server';

/** "https:name:port", "name:port", "name" → parts (utilnet.SplitSchemeNamePort). */
function splitSchemeNamePort(id: string): { scheme: string; name: string; port: string; valid: boolean } {
  const parts = id.split(':');
  if (parts.length === 1) return { scheme: '', name: parts[0], port: '', valid: !!parts[0] };
  if (parts.length === 2) return { scheme: '', name: parts[0], port: parts[1], valid: !!parts[0] };
  if (parts.length === 3 && (parts[0] === 'http' || parts[0] === 'https' || parts[0] === '')) return { scheme: parts[0], name: parts[1], port: parts[2], valid: !!parts[1] };
  return { scheme: '', name: '', port: '', valid: false };
}

export async function serveProxy(api: ApiServer, req: IncomingMessage, res: ServerResponse, rt: ResourceType, ns: string, id: string, path: string, search: string): Promise<void> {
  const { name, port: portStr0, valid } = splitSchemeNamePort(id);
  let ip: string;
  let port: number;
  if (rt.plural === 'pods') {
    if (!valid) throw errBadRequest(`invalid pod request "${id}"`);
    const pod = api.store.getEntry('/pods', ns, name)?.obj;
    if (!pod) throw errNotFound(rt, name);
    let portStr = portStr0;
    if (!portStr) {
      for (const c of pod.spec?.containers ?? []) {
        if (c.ports?.length) {
          portStr = String(c.ports[0].containerPort);
          break;
        }
      }
    }
    ip = pod.status?.podIP ?? '';
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || ip.startsWith('127.') || ip === '0.0.0.0') throw errBadRequest('address not allowed');
    port = Number(portStr);
    if (!Number.isInteger(port)) {
      for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === portStr) port = p.containerPort;
    }
    if (!Number.isInteger(port) || port <= 0) port = 80;
  } else if (rt.plural === 'services') {
    if (!valid) throw errBadRequest(`invalid service request "${id}"`);
    let portStr = portStr0;
    if (/^\d+$/.test(portStr)) {
      const svc = api.store.getEntry('/services', ns, name)?.obj;
      if (!svc) throw errNotFound(rt, name);
      const sp = (svc.spec?.ports ?? []).find((p: any) => String(p.port) === portStr);
      if (!sp) throw errServiceUnavailable(`no service port ${portStr} found for service "${name}"`);
      portStr = sp.name ?? '';
    }
    const eps = api.store.getEntry('/endpoints', ns, name);
    if (!eps) throw errNotFound({ group: '', plural: 'endpoints' }, name);
    const subsets: any[] = eps.obj.subsets ?? [];
    if (!subsets.length) throw errServiceUnavailable(`no endpoints available for service "${name}"`);
    let found: { ip: string; port: number } | undefined;
    const seed = Math.floor(Math.random() * subsets.length);
    outer: for (let i = 0; i < subsets.length; i++) {
      const ss = subsets[(seed + i) % subsets.length];
      if (!ss.addresses?.length) continue;
      for (const p of ss.ports ?? []) {
        if ((p.name ?? '') === portStr) {
          const a = ss.addresses[Math.floor(Math.random() * ss.addresses.length)];
          found = { ip: a.ip, port: p.port };
          break outer;
        }
      }
    }
    if (!found) throw errServiceUnavailable(`no endpoints available for service "${id}"`);
    ip = found.ip;
    port = found.port;
  } else {
    throw errBadRequest(`proxy is not supported for ${rt.plural}`);
  }

  if ((path === '' || path === '/') && !req.url?.includes('/proxy/') && (req.method === 'GET' || req.method === 'HEAD')) {
    // the real server redirects ".../proxy" to ".../proxy/"
    const u = new URL(req.url ?? '/', 'http://x');
    res.writeHead(301, { Location: `${u.pathname}/${u.search}` });
    res.end();
    return;
  }

  const handler = api.hooks.podIO?.dial(ip, port);
  if (!handler) throw errServiceUnavailable(`error trying to reach service: dial tcp ${ip}:${port}: connect: connection refused`);
  delete req.headers.authorization;
  for (const h of Object.keys(req.headers)) if (h.startsWith('impersonate-')) delete req.headers[h];
  req.url = (path || '/') + search;
  await handler(req, res);
}

function intParam(q: URLSearchParams, k: string): number | undefined {
  const v = q.get(k);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw errBadRequest(`invalid value for ${k}: ${v}`);
  return n;
}

function boolParam(q: URLSearchParams, k: string): boolean {
  const v = q.get(k);
  return v === 'true' || v === '1';
}

export async function serveLog(api: ApiServer, req: IncomingMessage, res: ServerResponse, ns: string, name: string, q: URLSearchParams): Promise<void> {
  const pod = api.store.getEntry('/pods', ns, name)?.obj;
  if (!pod) throw errNotFound({ group: '', plural: 'pods' }, name);
  const containers: string[] = (pod.spec?.containers ?? []).map((c: any) => c.name);
  const inits: string[] = (pod.spec?.initContainers ?? []).map((c: any) => c.name);
  const ephemeral: string[] = (pod.spec?.ephemeralContainers ?? []).map((c: any) => c.name);
  let container = q.get('container') ?? '';
  if (!container) {
    if (containers.length === 1) container = containers[0];
    else {
      let msg = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
      if (inits.length) msg += ` or one of the init containers: [${inits.join(' ')}]`;
      if (ephemeral.length) msg += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
      throw errBadRequest(msg);
    }
  } else if (![...containers, ...inits, ...ephemeral].includes(container)) {
    throw errBadRequest(`container ${container} is not valid for pod ${name}`);
  }
  const tailLines = intParam(q, 'tailLines');
  const sinceSeconds = intParam(q, 'sinceSeconds');
  const limitBytes = intParam(q, 'limitBytes');
  if (q.has('sinceTime') && sinceSeconds === undefined) {
    /* sinceTime is accepted and converted below */
  }
  let since = sinceSeconds;
  const sinceTime = q.get('sinceTime');
  if (since === undefined && sinceTime) {
    const t = Date.parse(sinceTime);
    if (Number.isFinite(t)) since = Math.max(0, Math.ceil((Date.now() - t) / 1000));
  }
  if (!pod.spec?.nodeName || !api.hooks.podIO) {
    // an unscheduled pod has no kubelet to ask: the real server answers with an empty body
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    res.end();
    return;
  }
  const ac = new AbortController();
  const onClose = () => ac.abort();
  req.on('close', onClose);
  res.on('close', onClose);
  const r = api.hooks.podIO.openLog(
    ns,
    name,
    container,
    { follow: boolParam(q, 'follow'), previous: boolParam(q, 'previous'), tailLines, sinceSeconds: since, timestamps: boolParam(q, 'timestamps'), limitBytes },
    ac.signal,
  );
  if (typeof r === 'string') throw errBadRequest(r);
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  let written = 0;
  try {
    for await (const line of r) {
      if (ac.signal.aborted) break;
      let chunk = line + '\n';
      if (limitBytes !== undefined) {
        const buf = Buffer.from(chunk);
        if (written + buf.length >= limitBytes) {
          res.write(buf.subarray(0, limitBytes - written));
          written = limitBytes;
          break;
        }
        written += buf.length;
        chunk = buf.toString();
      }
      res.write(chunk);
    }
  } catch {
    /* the container went away */
  } finally {
    ac.abort();
    if (!res.writableEnded) res.end();
  }
}
