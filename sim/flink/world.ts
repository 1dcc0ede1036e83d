// State shared by every simulated Flink process of one Sim: known custom images, fetchable
// artifacts, the live JobManagers and TaskManagers (for in-process RPC), and injected faults.
import path from 'node:path';
import type { Sim } from '../kube/types';
import type { CustomImage } from './images';
import { SimFs } from './fs';
import type { JobManagerProcess } from './jobmanager';
import type { TaskManagerProcess } from './taskmanager';

export interface RestFault {
  latencyMs?: number;
  failureRate?: number;
  status?: number;
}

export interface Artifact {
  status: number;
  body: Buffer;
}

export class FlinkWorld {
  readonly customImages = new Map<string, CustomImage>();
  readonly artifacts = new Map<string, Artifact>();
  readonly jobManagers = new Set<JobManagerProcess>();
  readonly taskManagers = new Set<TaskManagerProcess>();
  /** key `${namespace}/${clusterId}` */
  readonly restFaults = new Map<string, RestFault>();
  /** key `${namespace}/${podName}`: leader-lease renewal paused */
  readonly pausedLeases = new Set<string>();
  readonly fs: SimFs;

  constructor(readonly sim: Sim) {
    this.fs = new SimFs(path.join(sim.dataDir, 'flink-fs'));
  }

  /** JobManager processes of a cluster that are up. */
  jobManagersOf(namespace: string, clusterId: string): JobManagerProcess[] {
    return [...this.jobManagers].filter((j) => j.namespace === namespace && j.clusterId === clusterId && !j.stopped);
  }

  /** The JobManager that is the leader of a cluster (the resource manager TMs register with). */
  leaderOf(namespace: string, clusterId: string): JobManagerProcess | undefined {
    return this.jobManagersOf(namespace, clusterId).find((j) => j.isLeader);
  }

  /** Stops every simulated Flink process (the sim is shutting down). */
  async shutdown() {
    for (const tm of [...this.taskManagers]) tm.stop();
    await Promise.all([...this.jobManagers].map((jm) => jm.stop(0)));
  }

  jobManagerByIdentity(identity: string): JobManagerProcess | undefined {
    return [...this.jobManagers].find((j) => j.identity === identity && !j.stopped);
  }

  jobManagerByIp(ip: string): JobManagerProcess | undefined {
    return [...this.jobManagers].find((j) => j.podIP === ip && !j.stopped);
  }
}
