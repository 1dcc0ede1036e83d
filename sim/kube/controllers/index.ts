// Entry point of the simulated kube-controller-manager, scheduler and kubelets.
// Everything here acts on the cluster only through the HTTP API (sim/kube/client.ts).
import { KubeClient } from '../client';
import { InformerFactory } from '../informer';
import { KubeletManager } from '../kubelet';
import { registerGenericRuntime } from '../kubelet/generic-runtime';
import type { PodIO, RuntimeRegistry } from '../runtime';
import { startScheduler } from '../scheduler';
import type { NodeSpec, Timing } from '../types';
import { startDeploymentController } from './deployment';
import { startEndpointsController } from './endpoints';
import { startGarbageCollector } from './garbagecollector';
import { startNamespaceControllers } from './namespace';
import { startReplicaSetController } from './replicaset';

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
  registerGenericRuntime(opts.runtimes);
  const client = (component: string) => new KubeClient({ server: opts.apiUrl, token: opts.token, userAgent: `${component}/v1.28.0 (linux/amd64) kubernetes/sim` });
  const informers = new InformerFactory(client('kube-controller-manager'));
  const stops: (() => void)[] = [];
  stops.push(startNamespaceControllers(client('kube-controller-manager'), informers));
  stops.push(startGarbageCollector(client('kube-controller-manager'), informers));
  stops.push(startReplicaSetController(client('kube-controller-manager'), informers));
  stops.push(startDeploymentController(client('kube-controller-manager'), informers));
  stops.push(startEndpointsController(client('kube-controller-manager'), informers));
  stops.push(startScheduler(client('kube-scheduler'), informers, opts.timing));
  const kubelets = new KubeletManager(client('kubelet'), informers, opts.runtimes, opts.timing, opts.dataDir, opts.apiUrl);
  await kubelets.start(opts.nodes);
  return {
    podIO: kubelets.podIO,
    kill: (ns, pod, container, mode) => kubelets.kill(ns, pod, container, mode),
    addNode: (spec) => kubelets.addNode(spec),
    stop: async () => {
      for (const s of stops) s();
      await kubelets.stop();
      await informers.stop();
    },
  };
}
