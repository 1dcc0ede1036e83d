// What the kubelet's volume manager and env builder do for a simulated container: mount
// ConfigMaps, Secrets, projected tokens and downward API files, and resolve the environment.
import type { KubeClient } from '../client';
import { parseQuantity } from '../controllers/util';

/** A volume or env source that is not there (yet). The message is worded as the kubelet words it. */
export class MountError extends Error {}
export class ConfigError extends Error {}

export interface VolumeSources {
  getConfigMap(ns: string, name: string): Promise<any | undefined>;
  getSecret(ns: string, name: string): Promise<any | undefined>;
  requestToken(ns: string, sa: string, pod: any, audience: string[] | undefined, expirationSeconds: number): Promise<string>;
}

export function apiSources(client: KubeClient): VolumeSources {
  return {
    getConfigMap: (ns, name) => client.getOrUndefined(`/api/v1/namespaces/${ns}/configmaps/${encodeURIComponent(name)}`),
    getSecret: (ns, name) => client.getOrUndefined(`/api/v1/namespaces/${ns}/secrets/${encodeURIComponent(name)}`),
    requestToken: async (ns, sa, pod, audiences, expirationSeconds) => {
      const tr = await client.create(`/api/v1/namespaces/${ns}/serviceaccounts/${encodeURIComponent(sa)}/token`, {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: {
          ...(audiences?.length ? { audiences } : {}),
          expirationSeconds,
          boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.metadata.name, uid: pod.metadata.uid },
        },
      });
      return tr.status.token as string;
    },
  };
}

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

function fieldValue(pod: any, fieldPath: string): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (m) return pod.metadata?.[m[1]]?.[m[2]] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace;
    case 'metadata.uid':
      return pod.metadata.uid;
    case 'metadata.labels':
      return Object.entries(pod.metadata.labels ?? {})
        .sort()
        .map(([k, v]) => `${k}="${v}"`)
        .join('\n');
    case 'metadata.annotations':
      return Object.entries(pod.metadata.annotations ?? {})
        .sort()
        .map(([k, v]) => `${k}="${v}"`)
        .join('\n');
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return pod.status?.hostIP ?? '';
    case 'status.hostIPs':
      return (pod.status?.hostIPs ?? []).map((x: any) => x.ip).join(',');
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    case 'status.podIPs':
      return (pod.status?.podIPs ?? []).map((x: any) => x.ip).join(',');
    default:
      return '';
  }
}

function resourceValue(pod: any, containerName: string | undefined, ref: any, nodeAllocatable: Record<string, string>): string {
  const c = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((x: any) => x.name === (ref.containerName ?? containerName));
  const [kind, res] = String(ref.resource).split('.');
  let q = c?.resources?.[kind]?.[res];
  if (q === undefined && kind === 'limits') q = nodeAllocatable[res];
  if (q === undefined) q = '0';
  const divisor = parseQuantity(ref.divisor ?? '1') || 1;
  return String(Math.ceil(parseQuantity(q) / divisor));
}

/** Files of one volume, relative path -> content. Throws MountError when a source is missing. */
async function volumeFiles(vol: any, pod: any, src: VolumeSources, containerNameForResources: string | undefined, nodeAlloc: Record<string, string>, tokenOut: { token?: string }): Promise<Record<string, string> | undefined> {
  const ns = pod.metadata.namespace;
  const fromData = (data: Record<string, string>, items: any[] | undefined, kind: string, name: string, optional: boolean) => {
    const out: Record<string, string> = {};
    if (items?.length) {
      for (const it of items) {
        if (!(it.key in data)) {
          if (optional) continue;
          throw new MountError(`configmap references non-existent config key: ${it.key}`.replace('configmap', kind === 'secret' ? 'secret' : 'configmap'));
        }
        out[it.path] = data[it.key];
      }
    } else Object.assign(out, data);
    void name;
    return out;
  };
  if (vol.configMap) {
    const cm = await src.getConfigMap(ns, vol.configMap.name);
    if (!cm) {
      if (vol.configMap.optional) return {};
      throw new MountError(`configmap "${vol.configMap.name}" not found`);
    }
    const data = { ...(cm.data ?? {}), ...Object.fromEntries(Object.entries<string>(cm.binaryData ?? {}).map(([k, v]) => [k, b64(v)])) };
    return fromData(data, vol.configMap.items, 'configmap', vol.configMap.name, !!vol.configMap.optional);
  }
  if (vol.secret) {
    const s = await src.getSecret(ns, vol.secret.secretName);
    if (!s) {
      if (vol.secret.optional) return {};
      throw new MountError(`secret "${vol.secret.secretName}" not found`);
    }
    const data = Object.fromEntries(Object.entries<string>(s.data ?? {}).map(([k, v]) => [k, b64(v)]));
    for (const [k, v] of Object.entries<string>(s.stringData ?? {})) data[k] = v;
    return fromData(data, vol.secret.items, 'secret', vol.secret.secretName, !!vol.secret.optional);
  }
  if (vol.downwardAPI) return downward(vol.downwardAPI.items ?? [], pod, containerNameForResources, nodeAlloc);
  if (vol.projected) {
    const out: Record<string, string> = {};
    for (const s of vol.projected.sources ?? []) {
      if (s.serviceAccountToken) {
        const sa = pod.spec?.serviceAccountName ?? 'default';
        let token: string;
        try {
          token = await src.requestToken(ns, sa, pod, s.serviceAccountToken.audience ? [s.serviceAccountToken.audience] : undefined, s.serviceAccountToken.expirationSeconds ?? 3607);
        } catch (e) {
          throw new MountError(`failed to fetch token: ${(e as Error).message}`);
        }
        out[s.serviceAccountToken.path] = token;
        if (!s.serviceAccountToken.audience) tokenOut.token = token;
      } else if (s.configMap) {
        const v = await volumeFiles({ configMap: s.configMap }, pod, src, containerNameForResources, nodeAlloc, tokenOut);
        Object.assign(out, v);
      } else if (s.secret) {
        const v = await volumeFiles({ secret: { secretName: s.secret.name, items: s.secret.items, optional: s.secret.optional } }, pod, src, containerNameForResources, nodeAlloc, tokenOut);
        Object.assign(out, v);
      } else if (s.downwardAPI) Object.assign(out, downward(s.downwardAPI.items ?? [], pod, containerNameForResources, nodeAlloc));
    }
    return out;
  }
  if (vol.emptyDir || vol.hostPath) return {};
  return {};
}

function downward(items: any[], pod: any, containerName: string | undefined, nodeAlloc: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const it of items) {
    if (it.fieldRef) out[it.path] = fieldValue(pod, it.fieldRef.fieldPath);
    else if (it.resourceFieldRef) out[it.path] = resourceValue(pod, containerName, it.resourceFieldRef, nodeAlloc);
  }
  return out;
}

export interface MountedVolumes {
  /** volume name -> relative path -> content */
  volumes: Record<string, Record<string, string>>;
  token?: string;
}

/** Mounts every volume of the pod. Throws MountError naming the first volume that cannot be set up. */
export async function mountVolumes(pod: any, src: VolumeSources, nodeAlloc: Record<string, string>): Promise<MountedVolumes> {
  const out: MountedVolumes = { volumes: {} };
  const tokenOut: { token?: string } = {};
  for (const vol of pod.spec?.volumes ?? []) {
    try {
      const files = await volumeFiles(vol, pod, src, undefined, nodeAlloc, tokenOut);
      if (files) out.volumes[vol.name] = files;
    } catch (e) {
      if (e instanceof MountError) throw new MountError(`MountVolume.SetUp failed for volume "${vol.name}" : ${e.message}`);
      throw e;
    }
  }
  out.token = tokenOut.token;
  return out;
}

/** Files visible in one container: absolute path -> content. */
export function containerFiles(container: any, mounted: MountedVolumes): Record<string, string> {
  const files: Record<string, string> = {};
  for (const m of container.volumeMounts ?? []) {
    const vol = mounted.volumes[m.name];
    if (!vol) continue;
    const base = String(m.mountPath).replace(/\/$/, '');
    if (m.subPath) {
      if (m.subPath in vol) files[base] = vol[m.subPath];
      else
        for (const [rel, content] of Object.entries(vol)) if (rel.startsWith(m.subPath + '/')) files[`${base}/${rel.slice(m.subPath.length + 1)}`] = content;
      continue;
    }
    for (const [rel, content] of Object.entries(vol)) files[`${base}/${rel}`] = content;
  }
  return files;
}

/** $(VAR) expansion as the kubelet does it for env, command and args; $$ escapes. */
export function expand(s: string, env: Record<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name) => {
    if (m === '$$') return '$';
    return name in env ? env[name] : m;
  });
}

/** The container's environment. Throws ConfigError worded as CreateContainerConfigError messages. */
export async function resolveEnv(pod: any, container: any, src: VolumeSources, nodeAlloc: Record<string, string>): Promise<Record<string, string>> {
  const ns = pod.metadata.namespace;
  const env: Record<string, string> = {};
  const cms = new Map<string, any>();
  const secrets = new Map<string, any>();
  const getCm = async (name: string) => {
    if (!cms.has(name)) cms.set(name, await src.getConfigMap(ns, name));
    return cms.get(name);
  };
  const getSecret = async (name: string) => {
    if (!secrets.has(name)) secrets.set(name, await src.getSecret(ns, name));
    return secrets.get(name);
  };
  for (const ef of container.envFrom ?? []) {
    const prefix = ef.prefix ?? '';
    if (ef.configMapRef) {
      const cm = await getCm(ef.configMapRef.name);
      if (!cm) {
        if (ef.configMapRef.optional) continue;
        throw new ConfigError(`configmap "${ef.configMapRef.name}" not found`);
      }
      for (const [k, v] of Object.entries<string>(cm.data ?? {})) env[prefix + k] = v;
    } else if (ef.secretRef) {
      const s = await getSecret(ef.secretRef.name);
      if (!s) {
        if (ef.secretRef.optional) continue;
        throw new ConfigError(`secret "${ef.secretRef.name}" not found`);
      }
      for (const [k, v] of Object.entries<string>(s.data ?? {})) env[prefix + k] = b64(v);
    }
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined || !e.valueFrom) {
      env[e.name] = expand(e.value ?? '', env);
      continue;
    }
    const vf = e.valueFrom;
    if (vf.fieldRef) env[e.name] = fieldValue(pod, vf.fieldRef.fieldPath);
    else if (vf.resourceFieldRef) env[e.name] = resourceValue(pod, container.name, vf.resourceFieldRef, nodeAlloc);
    else if (vf.configMapKeyRef) {
      const r = vf.configMapKeyRef;
      const cm = await getCm(r.name);
      if (!cm) {
        if (r.optional) continue;
        throw new ConfigError(`configmap "${r.name}" not found`);
      }
      if (!(r.key in (cm.data ?? {}))) {
        if (r.optional) continue;
        throw new ConfigError(`couldn't find key ${r.key} in ConfigMap ${ns}/${r.name}`);
      }
      env[e.name] = cm.data[r.key];
    } else if (vf.secretKeyRef) {
      const r = vf.secretKeyRef;
      const s = await getSecret(r.name);
      if (!s) {
        if (r.optional) continue;
        throw new ConfigError(`secret "${r.name}" not found`);
      }
      if (!(r.key in (s.data ?? {}))) {
        if (r.optional) continue;
        throw new ConfigError(`couldn't find key ${r.key} in Secret ${ns}/${r.name}`);
      }
      env[e.name] = b64(s.data[r.key]);
    }
  }
  return env;
}
