// Entry point of the simulated kube-controller-manager, scheduler and kubelets.
// Everything here acts on the cluster only through the HTTP API (sim/kube/client.ts).
import type { PodIO, RuntimeRegistry } from '../runtime';
import type { NodeSpec, Timing } from '../types';

export interface ControllerManager {
  podIO: PodIO;
  kill(ns: string, pod: string, container: string | undefined, mode: 'kill' | 'crash'): Promise<void>;
  addNode(spec: NodeSpec): Promise<void>;
  stop(): Promise<void>;
}

export interface StartControllersOptions {
  apiUrl: string;
  token: string;
  runtimes: RuntimeRegistry;
  dataDir: string;
  timing: Timing;
  nodes?: NodeSpec[];
}

export async function startControllers(opts: StartControllersOptions): Promise<ControllerManager> {
  void opts;
  return {
    podIO: { dial: () => undefined, openLog: () => 'not implemented' },
    kill: async () => {},
    addNode: async () => {},
    stop: async () => {},
  };
}
