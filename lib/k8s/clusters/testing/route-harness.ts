// Test support: a sim started for one test file (free port, temp data), a recording proxy in front
// of it, and a kubeconfig for the dashboard (FLINK_DASHBOARD_KUBECONFIG) whose contexts go through
// the proxy: sim-admin, sim-viewer and any extra users the test adds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { startSim, stopProcess } from '@/e2e/support/processes';
import { SimClient } from '@/e2e/support/sim-client';
import { startRecordingProxy, writeKubeconfigFor, type RecordingProxy } from './recording-proxy';

export type Harness = {
  sim: SimClient;
  proxy: RecordingProxy;
  dataDir: string;
  simKubeconfig: string;
  /** Adds contexts (ServiceAccount tokens) to the dashboard's kubeconfig. */
  addUsers(users: { name: string; token: string }[]): void;
  stop(): Promise<void>;
};

export async function startHarness(): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flink-dash-create-'));
  const started = await startSim(path.join(dataDir, 'sim'));
  const child: ChildProcess = started.child;
  const sim = new SimClient(started.info.url, started.info.kubeconfig);
  const proxy = await startRecordingProxy(started.info.url);
  const kubeconfig = path.join(dataDir, 'kubeconfig');
  const users: { name: string; token: string }[] = [];
  const write = () => {
    const withUsers = path.join(dataDir, 'kubeconfig.sim');
    sim.writeKubeconfig(withUsers, users);
    writeKubeconfigFor(withUsers, kubeconfig, proxy.url);
  };
  write();
  process.env.FLINK_DASHBOARD_KUBECONFIG = kubeconfig;
  return {
    sim,
    proxy,
    dataDir,
    simKubeconfig: started.info.kubeconfig,
    addUsers(extra) {
      users.push(...extra);
      write();
    },
    async stop() {
      await proxy.close();
      await stopProcess(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

type Route = (req: Request, ctx: never) => Promise<Response>;

/** Calls a route handler export over a real Request, as Next would. */
export async function call(
  handler: Route,
  method: string,
  url: string,
  body?: unknown,
  params?: Record<string, string>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers; expect() checks the shape
): Promise<{ status: number; body: any; text: string }> {
  const req = new Request(`http://dashboard.test${url}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await handler(req, { params: Promise.resolve(params ?? {}) } as never);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
}
