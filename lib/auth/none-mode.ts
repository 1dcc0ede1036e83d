import 'server-only';
import { getConnection, getKubeconfig } from '@/lib/k8s/kubeconfig';
import { getJson } from '@/lib/k8s/request';
import { isLoopbackHost } from './config';

/**
 * Mode none (no login) is allowed only when the dashboard listens on loopback
 * (FLINK_DASHBOARD_HOST, which scripts/start.mjs passes to Next as -H) or when every cluster of its
 * kubeconfig is the embedded simulator (its /version gitVersion ends in -sim, as the "Simulated
 * cluster" badge shows). Otherwise anyone who reaches the page would act with the dashboard's own
 * Kubernetes credentials.
 *
 * A server proven to be the simulator stays so; a real one is checked again after a minute; one that
 * does not answer counts as the simulator only on a loopback address (where the simulator runs),
 * and is asked again after a few seconds.
 */
type Verdict = { sim: boolean; at: number; reason?: string; sticky?: boolean };
const g = globalThis as unknown as { __flinkDashNoneVerdicts?: Map<string, Verdict> };
const verdicts = (g.__flinkDashNoneVerdicts ??= new Map());

function loopbackUrl(server: string): boolean {
  try {
    return isLoopbackHost(new URL(server).hostname);
  } catch {
    return false;
  }
}

async function verdictFor(context: string, server: string): Promise<Verdict> {
  const hit = verdicts.get(server);
  if (hit && (hit.sticky || Date.now() - hit.at < (hit.sim ? 5_000 : 60_000))) return hit;
  let v: Verdict;
  try {
    const version = (await getJson(getConnection(context), '/version', { timeoutMs: 3_000 })) as { gitVersion?: unknown };
    const sim = typeof version?.gitVersion === 'string' && version.gitVersion.endsWith('-sim');
    v = { sim, at: Date.now(), sticky: sim, reason: sim ? undefined : `${server} is a real Kubernetes API server (${String(version?.gitVersion)})` };
  } catch {
    const loop = loopbackUrl(server);
    v = { sim: loop, at: Date.now(), reason: loop ? undefined : `${server} did not answer, so it cannot be told apart from a real cluster` };
  }
  verdicts.set(server, v);
  return v;
}

/** Why mode none is not allowed here, in plain words; undefined when it is. */
export async function noneModeProblem(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (isLoopbackHost(env.FLINK_DASHBOARD_HOST)) return undefined;
  let kc;
  try {
    kc = getKubeconfig();
  } catch {
    return undefined; // no kubeconfig: nothing to act on; the routes say so themselves
  }
  const servers = new Map<string, string>();
  for (const c of kc.kc.getContexts()) {
    const server = kc.kc.getCluster(c.cluster)?.server;
    if (server && !servers.has(server)) servers.set(server, c.name);
  }
  const results = await Promise.all([...servers].map(([server, context]) => verdictFor(context, server)));
  const bad = results.find((r) => !r.sim);
  if (!bad) return undefined;
  return (
    `Sign-in is off (FLINK_DASHBOARD_AUTH=none), which is allowed only on loopback or against the simulated cluster, and ${bad.reason}. ` +
    'Set FLINK_DASHBOARD_AUTH=token or oidc (see "Logging in" in the README), or listen on loopback only (FLINK_DASHBOARD_HOST=127.0.0.1).'
  );
}
