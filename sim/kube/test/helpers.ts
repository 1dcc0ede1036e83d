// Shared by the cross-cutting tests: a sim on a free port with a temporary data folder.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSim } from '../index';
import { k8sSpecsDir } from '../openapi/specs-dir';
import type { Timing } from '../types';

export const FAST_TIMING: Partial<Timing> = { schedulerDelayMs: 5, imagePullMs: 20, containerStartMs: 10, backoffBaseMs: 200, backoffMaxMs: 1000 };

export type TestSim = Awaited<ReturnType<typeof startTestSim>>;

export async function startTestSim(opts: { timing?: Partial<Timing>; dataDir?: string; keepData?: boolean } = {}) {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'sim-test-'));
  const sim = createSim({ port: 0, dataDir, timing: { ...FAST_TIMING, ...opts.timing } });
  await sim.start();
  const client = sim.adminClient();
  /** A raw request with the admin token unless `token` is given ('' = none). */
  const raw = async (
    method: string,
    p: string,
    o: { body?: unknown; contentType?: string; headers?: Record<string, string>; accept?: string; token?: string } = {},
  ): Promise<{ status: number; body: any; text: string; headers: Headers }> => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    const token = o.token ?? sim.adminToken;
    if (token) headers.Authorization = `Bearer ${token}`;
    if (o.accept) headers.Accept = o.accept;
    let body: string | undefined;
    if (o.body !== undefined) {
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
      headers['Content-Type'] = o.contentType ?? 'application/json';
    }
    const res = await fetch(sim.url + p, { method, headers, body });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* text */
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };
  return {
    sim,
    dataDir,
    client,
    raw,
    async stop() {
      await sim.stop();
      if (!opts.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A captured recording ({httpStatus, request, body}) or plain document from sim/kube/specs/kubernetes-1.28/captured. */
export function capture(name: string): any {
  return JSON.parse(readFileSync(path.join(k8sSpecsDir(), 'captured', name), 'utf8'));
}

const VOLATILE = new Set(['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'managedFields', 'clusterIP', 'clusterIPs', 'nodePort', 'lastUpdateTime', 'lastTransitionTime']);

/** Drops the fields that differ between two servers (ids, times, versions, allocated IPs and ports). */
export function normalize(v: any): any {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const out: Record<string, any> = {};
    for (const [k, x] of Object.entries(v)) if (!VOLATILE.has(k)) out[k] = normalize(x);
    return out;
  }
  return v;
}

export async function waitFor<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, stepMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`waitFor timed out${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
