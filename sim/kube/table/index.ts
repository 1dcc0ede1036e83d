// Server-side Table output (Accept: application/json;as=Table;v=v1;g=meta.k8s.io) with the columns and cells
// of kube-apiserver v1.28's printers (pkg/printers/internalversion/printers.go), and the default
// Name/Created At table (apiserver rest.defaultTableConvertor) for resources without a printer.
import type { ResourceType } from '../resources';
import type { KubeStatus } from '../status';
import { columnsFor, hasPrinter } from './columns';
import { GO_ZERO_TIME, formatLabelSelector, formatLabels, labelSelectorString, layoutContainerCells, parseTime, translateTimestampSince } from './format';

export { humanDuration, translateTimestampSince } from './format';
export { columnsFor } from './columns';

type Cell = string | number | boolean;
interface RowCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
}
interface Row {
  cells: Cell[];
  conditions?: RowCondition[];
}

const age = (o: any, now: number) => translateTimestampSince(o?.metadata?.creationTimestamp, now);
const int = (v: unknown) => (typeof v === 'number' ? v : 0);

// ---------------------------------------------------------------------------------------------
// Pods.

const isRestartableInit = (c: any) => c?.restartPolicy === 'Always';
const isTerminalPhase = (p: string) => p === 'Failed' || p === 'Succeeded';

export function printPod(pod: any, now: number): Row {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = (spec.containers ?? []).length;
  let readyContainers = 0;
  let lastRestart = GO_ZERO_TIME;
  let lastRestartableInitRestart = GO_ZERO_TIME;
  const phase: string = status.phase ?? '';
  let reason: string = status.reason || phase;
  for (const c of status.conditions ?? []) if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';

  const row: Row = { cells: [] };
  if (phase === 'Succeeded') row.conditions = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
  else if (phase === 'Failed') row.conditions = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

  const initContainers = new Map<string, any>();
  for (const c of spec.initContainers ?? []) {
    initContainers.set(c.name, c);
    if (isRestartableInit(c)) totalContainers++;
  }
  const finishedAt = (cs: any) => parseTime(cs?.lastState?.terminated?.finishedAt);

  let initializing = false;
  const initStatuses: any[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += int(c.restartCount);
    const fin = finishedAt(c);
    if (c.lastState?.terminated && fin !== undefined && lastRestart < fin) lastRestart = fin;
    const restartable = isRestartableInit(initContainers.get(c.name));
    if (restartable) {
      restartableInitRestarts += int(c.restartCount);
      if (c.lastState?.terminated && fin !== undefined && lastRestartableInitRestart < fin) lastRestartableInitRestart = fin;
    }
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && int(term.exitCode) === 0) continue;
    if (restartable && c.started === true) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${int(term.exitCode)}`;
      else reason = `Init:${term.reason}`;
      initializing = true;
    } else if (wait && wait.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${wait.reason}`;
      initializing = true;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
      initializing = true;
    }
    break;
  }

  const initializedTrue = (status.conditions ?? []).find((c: any) => c.type === 'Initialized')?.status === 'True';
  if (!initializing || initializedTrue) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses: any[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += int(c.restartCount);
      const fin = finishedAt(c);
      if (c.lastState?.terminated && fin !== undefined && lastRestart < fin) lastRestart = fin;
      const wait = c.state?.waiting;
      const term = c.state?.terminated;
      if (wait && wait.reason) reason = wait.reason;
      else if (term && term.reason) reason = term.reason;
      else if (term && !term.reason) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${int(term.exitCode)}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = (status.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }

  const deleting = !!pod.metadata?.deletionTimestamp;
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && !isTerminalPhase(phase)) reason = 'Terminating';

  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart !== GO_ZERO_TIME) restartsStr = `${restarts} (${translateTimestampSince(new Date(lastRestart).toISOString(), now)} ago)`;

  const podIP = status.podIPs?.[0]?.ip || '<none>';
  const nodeName = spec.nodeName || '<none>';
  const nominated = status.nominatedNodeName || '<none>';
  let readinessGates = '<none>';
  const gates: any[] = spec.readinessGates ?? [];
  if (gates.length) {
    let trueConditions = 0;
    for (const g of gates) {
      const cond = (status.conditions ?? []).find((c: any) => c.type === g.conditionType);
      if (cond?.status === 'True') trueConditions++;
    }
    readinessGates = `${trueConditions}/${gates.length}`;
  }
  row.cells = [pod.metadata?.name ?? '', `${readyContainers}/${totalContainers}`, reason, restartsStr, age(pod, now), podIP, nodeName, nominated, readinessGates];
  return row;
}

// ---------------------------------------------------------------------------------------------
// Other printers.

function printDeployment(o: any, now: number): Row {
  const sel = labelSelectorString(o.spec?.selector);
  const [names, images] = layoutContainerCells(o.spec?.template?.spec?.containers);
  return {
    cells: [o.metadata?.name ?? '', `${int(o.status?.readyReplicas)}/${int(o.spec?.replicas)}`, int(o.status?.updatedReplicas), int(o.status?.availableReplicas), age(o, now), names, images, sel === undefined ? '<invalid>' : sel],
  };
}

function printReplicaSet(o: any, now: number): Row {
  const [names, images] = layoutContainerCells(o.spec?.template?.spec?.containers);
  return { cells: [o.metadata?.name ?? '', int(o.spec?.replicas), int(o.status?.replicas), int(o.status?.readyReplicas), age(o, now), names, images, formatLabelSelector(o.spec?.selector)] };
}

function serviceExternalIP(svc: any): string {
  const ext: string[] = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = [...new Set(((svc.status?.loadBalancer?.ingress ?? []) as any[]).map((i) => i.ip || i.hostname).filter(Boolean))].join(',');
      if (ext.length) return [...(lb ? lb.split(',') : []), ...ext].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function printService(o: any, now: number): Row {
  const ports = ((o.spec?.ports ?? []) as any[]).map((p) => (p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`)).join(',');
  return { cells: [o.metadata?.name ?? '', o.spec?.type ?? '', o.spec?.clusterIPs?.[0] ?? '<none>', serviceExternalIP(o), ports || '<none>', age(o, now), formatLabels(o.spec?.selector)] };
}

const joinHostPort = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

function formatEndpoints(ep: any): string {
  const subsets: any[] = ep.subsets ?? [];
  if (!subsets.length) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs: any[] = ss.addresses ?? [];
    const ports: any[] = ss.ports ?? [];
    if (!ports.length) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const p of ports) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(a.ip, p.port));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret || '<unset>';
}

function printEndpointSlice(o: any, now: number): Row {
  const max = 3;
  const ports: string[] = [];
  let pMore = false;
  let pCount = 0;
  for (const p of (o.ports ?? []) as any[]) {
    if (ports.length < max) ports.push(p.port != null ? String(p.port) : p.name != null ? p.name : '*');
    else if (ports.length === max) pMore = true;
    pCount++;
  }
  const eps: string[] = [];
  let eMore = false;
  let eCount = 0;
  for (const e of (o.endpoints ?? []) as any[]) {
    for (const a of (e.addresses ?? []) as string[]) {
      if (eps.length < max) eps.push(a);
      else if (eps.length === max) eMore = true;
      eCount++;
    }
  }
  return { cells: [o.metadata?.name ?? '', o.addressType ?? '', listWithMore(ports, pMore, pCount, max), listWithMore(eps, eMore, eCount, max), age(o, now)] };
}

function printNode(o: any, now: number): Row {
  const statuses: string[] = [];
  const ready = ((o.status?.conditions ?? []) as any[]).filter((c) => c.type === 'Ready').pop();
  if (ready) statuses.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (!statuses.length) statuses.push('Unknown');
  if (o.spec?.unschedulable) statuses.push('SchedulingDisabled');
  const roles = new Set<string>();
  for (const [k, v] of Object.entries((o.metadata?.labels ?? {}) as Record<string, string>)) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  const addr = (type: string) => ((o.status?.addresses ?? []) as any[]).find((a) => a.type === type)?.address ?? '<none>';
  const info = o.status?.nodeInfo ?? {};
  return {
    cells: [
      o.metadata?.name ?? '',
      statuses.join(','),
      [...roles].sort().join(',') || '<none>',
      age(o, now),
      info.kubeletVersion ?? '',
      addr('InternalIP'),
      addr('ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ],
  };
}

/** events.k8s.io/v1 Event → the core v1 fields the printer reads. */
function toCoreEvent(e: any): any {
  if (e?.apiVersion !== 'events.k8s.io/v1') return e;
  return {
    metadata: e.metadata,
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    source: e.deprecatedSource ?? {},
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
    type: e.type,
    eventTime: e.eventTime,
    series: e.series ? { count: e.series.count, lastObservedTime: e.series.lastObservedTime } : undefined,
    reportingComponent: e.reportingController,
    reportingInstance: e.reportingInstance,
  };
}

function printEvent(raw: any, now: number): Row {
  const o = toCoreEvent(raw);
  let first = translateTimestampSince(o.firstTimestamp, now);
  if (parseTime(o.firstTimestamp) === undefined) first = translateTimestampSince(o.eventTime, now);
  let last = translateTimestampSince(o.lastTimestamp, now);
  if (parseTime(o.lastTimestamp) === undefined) last = first;
  let count = int(o.count);
  if (o.series) {
    last = translateTimestampSince(o.series.lastObservedTime, now);
    count = int(o.series.count);
  } else if (count === 0) count = 1;
  const io = o.involvedObject ?? {};
  const kind = String(io.kind ?? '').toLowerCase();
  const target = io.name ? `${kind}/${io.name}` : kind;
  const component = o.source?.component || o.reportingComponent || o.reportingController || '';
  const instance = o.source?.host || o.reportingInstance || '';
  const source = instance ? `${component}, ${instance}` : component;
  return { cells: [last, o.type ?? '', o.reason ?? '', target, io.fieldPath ?? '', source, String(o.message ?? '').trim(), first, count, o.metadata?.name ?? ''] };
}

function subjectsStrings(subjects: any[] | undefined): [string[], string[], string[]] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name}`);
    else if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
  }
  return [users, groups, sas];
}

function printBinding(o: any, now: number): Row {
  const [users, groups, sas] = subjectsStrings(o.subjects);
  return { cells: [o.metadata?.name ?? '', `${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}`, age(o, now), users.join(', '), groups.join(', '), sas.join(', ')] };
}

/** Go's Time.UTC().Format(time.RFC3339) of a creationTimestamp (zero time when unset). */
function rfc3339(ts: unknown): string {
  const t = parseTime(ts) ?? GO_ZERO_TIME;
  return t === GO_ZERO_TIME ? '0001-01-01T00:00:00Z' : new Date(Math.trunc(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const PRINTERS: Record<string, (o: any, now: number) => Row> = {
  '/pods': printPod,
  'apps/deployments': printDeployment,
  'apps/replicasets': printReplicaSet,
  '/services': printService,
  '/endpoints': (o, now) => ({ cells: [o.metadata?.name ?? '', formatEndpoints(o), age(o, now)] }),
  '/nodes': printNode,
  '/events': printEvent,
  'events.k8s.io/events': printEvent,
  '/namespaces': (o, now) => ({ cells: [o.metadata?.name ?? '', o.status?.phase ?? '', age(o, now)] }),
  '/secrets': (o, now) => ({ cells: [o.metadata?.name ?? '', o.type ?? '', Object.keys(o.data ?? {}).length, age(o, now)] }),
  '/serviceaccounts': (o, now) => ({ cells: [o.metadata?.name ?? '', (o.secrets ?? []).length, age(o, now)] }),
  '/configmaps': (o, now) => ({ cells: [o.metadata?.name ?? '', Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length, age(o, now)] }),
  'rbac.authorization.k8s.io/rolebindings': printBinding,
  'rbac.authorization.k8s.io/clusterrolebindings': printBinding,
  'coordination.k8s.io/leases': (o, now) => ({ cells: [o.metadata?.name ?? '', o.spec?.holderIdentity ?? '', age(o, now)] }),
  'discovery.k8s.io/endpointslices': printEndpointSlice,
};

/** The cells (and row conditions) of one object, as the kind's printer gives them. */
export function printRow(rt: Pick<ResourceType, 'group' | 'plural'>, obj: any, now: number = Date.now()): Row {
  const printer = PRINTERS[`${rt.group}/${rt.plural}`];
  if (printer && hasPrinter(rt.group, rt.plural)) return printer(obj, now);
  return { cells: [obj?.metadata?.name ?? '', rfc3339(obj?.metadata?.creationTimestamp)] };
}

export const INCLUDE_OBJECT_VALUES = ['None', 'Metadata', 'Object', ''];

/** The 400 the server answers for an unknown ?includeObject= value. */
export function includeObjectError(value: string): KubeStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `unrecognized includeObject value: "${value}"`, reason: 'BadRequest', code: 400 };
}

function rowObject(obj: any, includeObject: string): any {
  if (includeObject === 'None') return null;
  if (includeObject === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj?.metadata ?? {} };
}

/**
 * Server-side Table output (Accept: application/json;as=Table;v=v1;g=meta.k8s.io) for these objects,
 * with the columns kube-apiserver prints for the kind. includeObject: 'None' | 'Metadata' (default) | 'Object'.
 * `now` (ms) is when ages are measured from.
 */
export function toTable(
  rt: ResourceType,
  objs: any[],
  listMeta: { resourceVersion?: string; continue?: string; remainingItemCount?: number },
  includeObject: string = 'Metadata',
  now: number = Date.now(),
): any {
  const metadata: Record<string, unknown> = {};
  if (listMeta?.resourceVersion) metadata.resourceVersion = listMeta.resourceVersion;
  if (listMeta?.continue) metadata.continue = listMeta.continue;
  if (listMeta?.remainingItemCount !== undefined && listMeta.remainingItemCount !== null) metadata.remainingItemCount = listMeta.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: columnsFor(rt.group, rt.plural),
    rows: objs.map((o) => {
      const r = printRow(rt, o, now);
      const row: any = { cells: r.cells };
      if (r.conditions) row.conditions = r.conditions;
      row.object = rowObject(o, includeObject);
      return row;
    }),
  };
}
