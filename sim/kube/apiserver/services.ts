// Service defaults and the stateful allocators the API server owns: cluster IPs from the
// (fictitious) 10.96.0.0/12 range and node ports from 30000-32767.
import type { Store } from '../store';
import { StatusError, statusOf } from './errors';

const RANGE_START = (10 << 24) | (96 << 16); // 10.96.0.0
const RANGE_SIZE = 1 << 20; // /12
export const SERVICE_CIDR = '10.96.0.0/12';

function ipToInt(ip: string): number | undefined {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return undefined;
  return ((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3];
}
function intToIp(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Defaults the real server applies to a Service (those the defaults module may not). */
export function allocateServiceFields(svc: any): void {
  const spec = (svc.spec ??= {});
  spec.type ??= 'ClusterIP';
  if (spec.type !== 'ExternalName') spec.sessionAffinity ??= 'None';
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined && spec.type !== 'ExternalName') p.targetPort = p.port;
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  if (spec.type !== 'ExternalName') {
    if (spec.clusterIP !== undefined && spec.clusterIP !== '' && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    if (spec.clusterIPs?.length && (spec.clusterIP === undefined || spec.clusterIP === '')) spec.clusterIP = spec.clusterIPs[0];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.internalTrafficPolicy ??= 'Cluster';
  }
}

/** On update, values the client left out are taken from the stored Service (as the real registry does). */
export function preserveServiceAllocations(next: any, old: any): void {
  const n = (next.spec ??= {});
  const o = old.spec ?? {};
  if (n.type === 'ExternalName' || o.type === 'ExternalName') return;
  if ((n.clusterIP === undefined || n.clusterIP === '') && !n.clusterIPs?.length) {
    if (o.clusterIP !== undefined) n.clusterIP = o.clusterIP;
    if (o.clusterIPs) n.clusterIPs = [...o.clusterIPs];
  } else if (n.clusterIP && n.clusterIP !== o.clusterIP && JSON.stringify(n.clusterIPs) === JSON.stringify(o.clusterIPs)) {
    n.clusterIPs = [n.clusterIP];
  }
  if (n.ipFamilies === undefined && o.ipFamilies) n.ipFamilies = [...o.ipFamilies];
  if (n.ipFamilyPolicy === undefined && o.ipFamilyPolicy) n.ipFamilyPolicy = o.ipFamilyPolicy;
  if (n.type === 'NodePort' || n.type === 'LoadBalancer') {
    for (const p of n.ports ?? []) {
      if (p.nodePort) continue;
      const match = (o.ports ?? []).find((q: any) => (q.name ?? '') === (p.name ?? '') && q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP')) ??
        (o.ports ?? []).find((q: any) => q.port === p.port);
      if (match?.nodePort) p.nodePort = match.nodePort;
    }
  }
}

export class ServiceAllocator {
  private ips = new Set<number>();
  private ports = new Set<number>();

  constructor(private readonly store: Store) {}

  rebuild(): void {
    this.ips.clear();
    this.ports.clear();
    for (const e of this.store.listEntries('/services')) this.take(e.obj);
  }

  private take(svc: any): void {
    for (const ip of svc.spec?.clusterIPs ?? []) {
      const n = ipToInt(ip);
      if (n !== undefined) this.ips.add(n);
    }
    for (const p of svc.spec?.ports ?? []) if (p.nodePort) this.ports.add(p.nodePort);
  }

  release(svc: any): void {
    for (const ip of svc.spec?.clusterIPs ?? []) {
      const n = ipToInt(ip);
      if (n !== undefined) this.ips.delete(n);
    }
    for (const p of svc.spec?.ports ?? []) if (p.nodePort) this.ports.delete(p.nodePort);
  }

  /** Fills clusterIP(s) and nodePorts; returns the Invalid error when a requested value cannot be had. */
  allocate(svc: any, dryRun: boolean, old?: any): StatusError | undefined {
    const spec = svc.spec;
    const name = svc.metadata.name;
    const invalid = (field: string, detail: string) =>
      new StatusError(
        statusOf(422, 'Invalid', `Service "${name}" is invalid: ${field}: ${detail}`, { name, kind: 'Service', causes: [{ reason: 'FieldValueInvalid', message: detail, field }] }),
      );
    const oldIps = new Set<string>(old?.spec?.clusterIPs ?? []);
    const oldPorts = new Set<number>((old?.spec?.ports ?? []).map((p: any) => p.nodePort).filter(Boolean));
    const newIps: number[] = [];
    const newPorts: number[] = [];
    if (spec.type !== 'ExternalName') {
      if (spec.clusterIP === undefined || spec.clusterIP === '') {
        let n: number;
        let guard = 0;
        do {
          n = RANGE_START + 2 + Math.floor(Math.random() * (RANGE_SIZE - 3));
        } while (this.ips.has(n) && guard++ < 100000);
        spec.clusterIP = intToIp(n);
        spec.clusterIPs = [spec.clusterIP];
        newIps.push(n);
      } else if (spec.clusterIP !== 'None' && !oldIps.has(spec.clusterIP)) {
        const n = ipToInt(spec.clusterIP);
        const list = `[]string{${(spec.clusterIPs ?? [spec.clusterIP]).map((x: string) => JSON.stringify(x)).join(', ')}}`;
        if (n === undefined) return invalid('spec.clusterIPs[0]', `Invalid value: ${list}: must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`);
        if (n < RANGE_START || n >= RANGE_START + RANGE_SIZE) {
          return invalid(
            'spec.clusterIPs',
            `Invalid value: ${list}: failed to allocate IP ${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`,
          );
        }
        if (this.ips.has(n)) return invalid('spec.clusterIPs', `Invalid value: ${list}: failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`);
        newIps.push(n);
      }
    }
    if (spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)) {
      for (const [i, p] of (spec.ports ?? []).entries()) {
        if (p.nodePort) {
          if (oldPorts.has(p.nodePort)) continue;
          if (p.nodePort < 30000 || p.nodePort > 32767) {
            return invalid(`spec.ports[${i}].nodePort`, `Invalid value: ${p.nodePort}: provided port is not in the valid range. The range of valid ports is 30000-32767`);
          }
          if (this.ports.has(p.nodePort) || newPorts.includes(p.nodePort)) {
            return invalid(`spec.ports[${i}].nodePort`, `Invalid value: ${p.nodePort}: provided port is already allocated`);
          }
          newPorts.push(p.nodePort);
          continue;
        }
        let port: number;
        let guard = 0;
        do {
          port = 30000 + Math.floor(Math.random() * 2768);
        } while ((this.ports.has(port) || newPorts.includes(port)) && guard++ < 100000);
        p.nodePort = port;
        newPorts.push(port);
      }
    } else {
      for (const p of spec.ports ?? []) delete p.nodePort;
    }
    if (!dryRun) {
      for (const n of newIps) this.ips.add(n);
      for (const p of newPorts) this.ports.add(p);
      if (old) {
        for (const ip of oldIps) if (!(spec.clusterIPs ?? []).includes(ip)) this.ips.delete(ipToInt(ip) ?? -1);
        for (const p of oldPorts) if (!(spec.ports ?? []).some((q: any) => q.nodePort === p)) this.ports.delete(p);
      }
    }
    return undefined;
  }
}
