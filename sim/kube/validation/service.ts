// Service validation (ValidateService, ValidateServiceUpdate in pkg/apis/core/validation).
import { type FieldError, duplicate, forbidden, goQuote, goStringSlice, invalid, notSupported, required } from './errors';
import { validateLabels } from './meta';
import { validateDNS1123Label } from './pod';
import { isQualifiedName, isValidPortName, isValidPortNum } from './names';
import { isIP } from 'node:net';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export const NODE_PORT_RANGE = { min: 30000, max: 32767 };

const isHeadless = (svc: any) => {
  const ips = arr(svc?.spec?.clusterIPs);
  return ips.length === 1 && ips[0] === 'None';
};

function goServicePortKey(protocol: string, port: number): string {
  return `core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
}

function validateServicePort(sp: any, requireName: boolean, names: Set<string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(sp?.name);
  if (requireName && !name) errs.push(required(`${field}.name`, ''));
  else if (name) {
    errs.push(...validateDNS1123Label(name, `${field}.name`));
    if (names.has(name)) errs.push(duplicate(`${field}.name`, name));
    else names.add(name);
  }
  const port = sp?.port ?? 0;
  for (const m of isValidPortNum(port)) errs.push(invalid(`${field}.port`, port, m));
  const proto = str(sp?.protocol);
  if (!proto) errs.push(required(`${field}.protocol`, ''));
  else if (!PROTOCOLS.includes(proto)) errs.push(notSupported(`${field}.protocol`, proto, PROTOCOLS));
  const tp = sp?.targetPort;
  if (typeof tp === 'number' || tp === undefined) {
    const v = tp ?? 0;
    for (const m of isValidPortNum(v)) errs.push(invalid(`${field}.targetPort`, v, m));
  } else if (typeof tp === 'string') {
    if (/^[0-9]+$/.test(tp)) {
      // an IntOrString given as a numeric string is a port name and fails as one
    }
    for (const m of isValidPortName(tp)) errs.push(invalid(`${field}.targetPort`, tp, m));
  }
  if (sp?.appProtocol != null) for (const m of isQualifiedName(str(sp.appProtocol))) errs.push(invalid(`${field}.appProtocol`, sp.appProtocol, m));
  return errs;
}

const IP_ERR = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const isIPv6 = (ip: string) => isIP(ip) === 6;

/** ValidateServiceClusterIPsRelatedFields. */
function validateClusterIPs(svc: any): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return errs;
  const ips: string[] = arr(spec.clusterIPs);
  const ipsGo = goStringSlice(spec.clusterIPs ?? null);
  if (str(spec.clusterIP)) {
    if (ips.length === 0) errs.push(required('spec.clusterIPs', ''));
    else if (ips[0] !== spec.clusterIP) errs.push(invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`', ipsGo));
  } else if (ips.length) errs.push(invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified', ipsGo));
  const seen = new Set<string>();
  arr(spec.ipFamilies).forEach((f: string, i: number) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
    if (seen.has(f)) errs.push(duplicate(`spec.ipFamilies[${i}]`, f));
    seen.add(f);
  });
  const policy = spec.ipFamilyPolicy;
  if (policy != null && !['SingleStack', 'PreferDualStack', 'RequireDualStack'].includes(policy))
    errs.push(notSupported('spec.ipFamilyPolicy', policy, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  let hasInvalid = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        hasInvalid = true;
        errs.push(invalid('spec.clusterIPs', ips, "'None' must be the first and only value", ipsGo));
      }
      return;
    }
    if (isIP(ip) === 0) {
      hasInvalid = true;
      errs.push(invalid(`spec.clusterIPs[${i}]`, ip, IP_ERR));
    }
  });
  if (ips.length > 2) errs.push(invalid('spec.clusterIPs', ips, 'may only hold up to 2 values', ipsGo));
  if (hasInvalid) return errs;
  if (ips.length > 1 && !(ips.length === 2 && isIPv6(ips[0]) !== isIPv6(ips[1])))
    errs.push(invalid('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family', ipsGo));
  const families: string[] = arr(spec.ipFamilies);
  if (!isHeadless(svc) && ips.length && families.length)
    ips.forEach((ip, i) => {
      if (i > families.length - 1) return;
      if (families[i] === 'IPv4' && isIPv6(ip)) errs.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && !isIPv6(ip)) errs.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  return errs;
}

export function validateService(svc: any, old?: any): FieldError[] {
  const errs: FieldError[] = [];
  const spec = svc?.spec ?? {};
  const ports = arr(spec.ports);
  if (old) errs.push(...validateClusterIPsUpdate(svc, old));
  if (ports.length === 0 && !isHeadless(svc) && spec.type !== 'ExternalName') errs.push(required('spec.ports', ''));
  if (spec.type === 'LoadBalancer') {
    if (isHeadless(svc)) errs.push(invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for LoadBalancer services"));
    ports.forEach((p: any, i: number) => {
      if (p?.port === 10250) errs.push(invalid(`spec.ports[${i}]`, 10250, 'may not expose port 10250 externally since it is used by kubelet'));
    });
  } else if (spec.type === 'NodePort') {
    if (isHeadless(svc)) errs.push(invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for NodePort services"));
  } else if (spec.type === 'ExternalName') {
    if (!str(spec.externalName)) errs.push(required('spec.externalName', ''));
  }
  const names = new Set<string>();
  ports.forEach((p: any, i: number) => errs.push(...validateServicePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (spec.selector != null) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  const sa = str(spec.sessionAffinity);
  if (!sa) errs.push(required('spec.sessionAffinity', ''));
  else if (sa !== 'ClientIP' && sa !== 'None') errs.push(notSupported('spec.sessionAffinity', sa, ['ClientIP', 'None']));
  if (sa === 'None' && spec.sessionAffinityConfig != null)
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  errs.push(...validateClusterIPs(svc));
  const type = str(spec.type);
  if (!type) errs.push(required('spec.type', ''));
  else if (!SERVICE_TYPES.includes(type)) errs.push(notSupported('spec.type', type, SERVICE_TYPES));
  if (type === 'ClusterIP')
    ports.forEach((p: any, i: number) => {
      if (p?.nodePort) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  const nodePorts = new Set<string>();
  ports.forEach((p: any, i: number) => {
    if (!p?.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(key);
  });
  const seen = new Set<string>();
  ports.forEach((p: any, i: number) => {
    const key = `${p?.protocol ?? ''}/${p?.port ?? 0}`;
    if (seen.has(key)) errs.push(duplicate(`spec.ports[${i}]`, key, goServicePortKey(str(p?.protocol), p?.port ?? 0)));
    seen.add(key);
  });
  // The node port allocator's range check (it answers 422 Invalid as well).
  if (type === 'NodePort' || type === 'LoadBalancer')
    ports.forEach((p: any, i: number) => {
      const np = p?.nodePort;
      const oldNp = old ? arr(old.spec?.ports).find((o: any) => o?.nodePort === np) : undefined;
      if (np && !oldNp && (np < NODE_PORT_RANGE.min || np > NODE_PORT_RANGE.max))
        errs.push(
          invalid(
            `spec.ports[${i}].nodePort`,
            np,
            `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`,
          ),
        );
    });
  const etp = spec.externalTrafficPolicy;
  if (etp != null && etp !== '') {
    if (type !== 'NodePort' && type !== 'LoadBalancer')
      errs.push(invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
    else if (etp !== 'Cluster' && etp !== 'Local') errs.push(notSupported('spec.externalTrafficPolicy', etp, ['Cluster', 'Local']));
  } else if (type === 'NodePort' || type === 'LoadBalancer') errs.push(required('spec.externalTrafficPolicy', ''));
  const itp = spec.internalTrafficPolicy;
  if (itp == null) {
    if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP')
      errs.push(required('spec.internalTrafficPolicy', "must be specified when `type` is 'ClusterIP', 'NodePort', or 'LoadBalancer'"));
  } else if (itp !== 'Cluster' && itp !== 'Local') errs.push(notSupported('spec.internalTrafficPolicy', itp, ['Cluster', 'Local']));
  // validateLoadBalancerClassField
  if (old && type === 'LoadBalancer' && old.spec?.type === 'LoadBalancer' && (spec.loadBalancerClass ?? null) !== (old.spec?.loadBalancerClass ?? null))
    errs.push(invalid('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'));
  if (type === 'LoadBalancer') {
    if (spec.loadBalancerClass != null)
      for (const m of isQualifiedName(str(spec.loadBalancerClass))) errs.push(invalid('spec.loadBalancerClass', spec.loadBalancerClass, m));
  } else if (spec.loadBalancerClass != null) errs.push(forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  return errs;
}

function validateClusterIPsUpdate(svc: any, old: any): FieldError[] {
  const errs: FieldError[] = [];
  if (svc?.spec?.type === 'ExternalName' || old?.spec?.type === 'ExternalName') return errs;
  if (isHeadless(svc) && isHeadless(old)) return errs;
  const oldIPs = arr(old?.spec?.clusterIPs);
  const newIPs = arr(svc?.spec?.clusterIPs);
  const bad = (i: number, msg: string) => invalid(`spec.clusterIPs[${i}]`, newIPs, msg, goStringSlice(svc?.spec?.clusterIPs ?? null));
  const policy = svc?.spec?.ipFamilyPolicy;
  const policyBad = (what: string) =>
    invalid('spec.ipFamilyPolicy', policy ?? null, `must be set to 'SingleStack' when releasing the secondary ${what}`);
  if (oldIPs.length === newIPs.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== newIPs[i]) errs.push(bad(i, 'may not change once set'));
    });
  } else if (oldIPs.length > newIPs.length) {
    if (newIPs.length === 0) errs.push(bad(0, 'primary clusterIP can not be unset'));
    if (oldIPs.length > 0 && newIPs.length > 0 && newIPs[0] !== oldIPs[0]) errs.push(bad(0, 'may not change once set'));
    if (newIPs.length === 1 && policy !== 'SingleStack') errs.push(policyBad('clusterIP'));
  } else if (oldIPs.length > 0 && newIPs[0] !== oldIPs[0]) errs.push(bad(0, 'may not change once set'));
  // ipFamilies
  if (isHeadless(svc) !== isHeadless(old) || isHeadless(svc)) return errs;
  const oldF = arr(old?.spec?.ipFamilies);
  const newF = arr(svc?.spec?.ipFamilies);
  const famBad = (v: unknown[], msg: string) => invalid('spec.ipFamilies[0]', v, msg, goStringSlice(v));
  if (oldF.length === newF.length) {
    oldF.forEach((f, i) => {
      if (f !== newF[i]) errs.push(famBad(newF, 'may not change once set'));
    });
  } else if (oldF.length > newF.length) {
    if (newIPs.length === 0) errs.push(famBad(newF, 'primary ipFamily can not be unset'));
    if (newF.length > 0 && newF[0] !== oldF[0]) errs.push(famBad(newIPs, 'may not change once set'));
    if (newF.length === 1 && policy !== 'SingleStack') errs.push(policyBad('ipFamily'));
  } else if (oldF.length > 0 && newF.length > 0 && newF[0] !== oldF[0]) errs.push(famBad(newIPs, 'may not change once set'));
  return errs;
}
