// Shared types of the simulator's parts. The API server, controllers and runtimes agree on these.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeClient } from './client';
import type { RuntimeRegistry } from './runtime';

/** Delays of the simulated world. Tests shorten them; defaults feel like a fast real cluster. */
export interface Timing {
  schedulerDelayMs: number; // pod created -> bound
  imagePullMs: number; // Pulling -> Pulled
  containerStartMs: number; // Created -> Started
  backoffBaseMs: number; // first ImagePullBackOff / CrashLoopBackOff delay (real: 10s)
  backoffMaxMs: number; // cap (real: 5m)
  watchWindow: number; // how many events the server keeps for watch resumption
}

export const DEFAULT_TIMING: Timing = {
  schedulerDelayMs: 30,
  imagePullMs: 300,
  containerStartMs: 100,
  backoffBaseMs: 2000,
  backoffMaxMs: 20000,
  watchWindow: 5000,
};

export interface NodeSpec {
  name: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[];
  capacity?: { cpu?: string; memory?: string; pods?: string };
}

export interface SimOptions {
  port?: number; // 0 = a free port
  host?: string; // default 127.0.0.1
  dataDir: string;
  timing?: Partial<Timing>;
  /** Nodes created on first start (when the store has none). */
  nodes?: NodeSpec[];
}

export type ControlHandler = (
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  params: string[],
) => void | Promise<void>;

/** Routes under /_sim/, reachable with the admin token only. */
export interface ControlRegistry {
  register(method: string, path: RegExp, handler: ControlHandler): void;
}

export interface Sim {
  readonly url: string; // http://127.0.0.1:PORT, valid after start()
  readonly adminToken: string;
  readonly kubeconfigPath: string;
  readonly dataDir: string;
  readonly timing: Timing;
  readonly runtimes: RuntimeRegistry;
  readonly control: ControlRegistry;
  adminClient(): KubeClient;
  clientForToken(token: string): KubeClient;
  start(): Promise<void>;
  stop(): Promise<void>;
}
