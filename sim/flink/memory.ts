// Flink's memory model: TaskExecutorProcessUtils / JobManagerProcessUtils on top of ProcessMemoryUtils,
// TaskExecutorFlinkMemoryUtils and JobManagerFlinkMemoryUtils (flink-runtime util/config/memory).
import { Conf, IllegalConfigurationException, humanMemory } from './config';

const MB = 1024 * 1024;
const GB = 1024 * MB;

const optionString = (key: string) => `Key: '${key}' , default: null (fallback keys: [])`;

interface Range {
  min: number;
  max: number;
  fraction: number;
}

function fractionOf(base: number, r: Range): number {
  const v = Math.floor(base * r.fraction);
  return Math.max(r.min, Math.min(r.max, v));
}

function metaspaceAndOverhead(conf: Conf, prefix: 'taskmanager' | 'jobmanager', totalProcess: number) {
  const metaspace = conf.memory(`${prefix}.memory.jvm-metaspace.size`) ?? (prefix === 'taskmanager' ? 256 * MB : 256 * MB);
  const range: Range = {
    min: conf.memory(`${prefix}.memory.jvm-overhead.min`) ?? 192 * MB,
    max: conf.memory(`${prefix}.memory.jvm-overhead.max`) ?? GB,
    fraction: conf.double(`${prefix}.memory.jvm-overhead.fraction`, 0.1),
  };
  const overhead = fractionOf(totalProcess, range);
  if (metaspace + overhead > totalProcess) {
    throw new IllegalConfigurationException(
      `Sum of configured JVM Metaspace (${humanMemory(metaspace)}) and JVM Overhead (${humanMemory(overhead)}) exceed configured Total Process Memory (${humanMemory(totalProcess)}).`,
    );
  }
  return { metaspace, overhead };
}

export interface TaskExecutorProcessSpec {
  cpuCores: number;
  frameworkHeap: number;
  frameworkOffHeap: number;
  taskHeap: number;
  taskOffHeap: number;
  network: number;
  managed: number;
  metaspace: number;
  overhead: number;
  totalFlink: number;
  totalProcess: number;
  numSlots: number;
}

/** TaskExecutorProcessUtils.processSpecFromConfig; throws IllegalConfigurationException with Flink's wording. */
export function taskExecutorProcessSpec(conf: Conf): TaskExecutorProcessSpec {
  try {
    return tmSpec(conf);
  } catch (e) {
    if (e instanceof IllegalConfigurationException) throw new IllegalConfigurationException(`TaskManager memory configuration failed: ${e.message}`);
    throw e;
  }
}

function tmSpec(conf: Conf): TaskExecutorProcessSpec {
  const numSlots = conf.int('taskmanager.numberOfTaskSlots', 1);
  const cpuCores = conf.has('taskmanager.cpu.cores') ? conf.double('taskmanager.cpu.cores', numSlots) : numSlots;
  const frameworkHeap = conf.memory('taskmanager.memory.framework.heap.size') ?? 128 * MB;
  const frameworkOffHeap = conf.memory('taskmanager.memory.framework.off-heap.size') ?? 128 * MB;
  const taskOffHeap = conf.memory('taskmanager.memory.task.off-heap.size') ?? 0;
  const netRange: Range = {
    min: conf.memory('taskmanager.memory.network.min') ?? 64 * MB,
    max: conf.memory('taskmanager.memory.network.max') ?? GB,
    fraction: conf.double('taskmanager.memory.network.fraction', 0.1),
  };
  const managedFraction = conf.double('taskmanager.memory.managed.fraction', 0.4);
  const explicitTaskHeap = conf.memory('taskmanager.memory.task.heap.size');
  const explicitManaged = conf.memory('taskmanager.memory.managed.size');
  const totalFlinkOpt = conf.memory('taskmanager.memory.flink.size');
  const totalProcessOpt = conf.memory('taskmanager.memory.process.size');

  let totalFlink: number;
  let metaspace: number;
  let overhead: number;
  let taskHeap: number;
  let managed: number;
  let network: number;

  const fromTotalFlink = (tf: number) => {
    managed = explicitManaged ?? Math.floor(tf * managedFraction);
    if (explicitTaskHeap !== undefined) {
      const exclNet = frameworkHeap + frameworkOffHeap + explicitTaskHeap + taskOffHeap + managed;
      if (exclNet > tf) {
        throw new IllegalConfigurationException(
          `Sum of configured Framework Heap Memory (${humanMemory(frameworkHeap)}), Framework Off-Heap Memory (${humanMemory(frameworkOffHeap)}), Task Heap Memory (${humanMemory(explicitTaskHeap)}), Task Off-Heap Memory (${humanMemory(taskOffHeap)}) and Managed Memory (${humanMemory(managed)}) exceed configured Total Flink Memory (${humanMemory(tf)}).`,
        );
      }
      taskHeap = explicitTaskHeap;
      network = tf - exclNet;
    } else {
      network = fractionOf(tf, netRange);
      const excl = frameworkHeap + frameworkOffHeap + taskOffHeap + managed + network;
      if (excl > tf) {
        throw new IllegalConfigurationException(
          `Sum of configured Framework Heap Memory (${humanMemory(frameworkHeap)}), Framework Off-Heap Memory (${humanMemory(frameworkOffHeap)}), Task Off-Heap Memory (${humanMemory(taskOffHeap)}), Managed Memory (${humanMemory(managed)}) and Network Memory (${humanMemory(network)}) exceed configured Total Flink Memory (${humanMemory(tf)}).`,
        );
      }
      taskHeap = tf - excl;
    }
  };

  if (explicitTaskHeap !== undefined && explicitManaged !== undefined) {
    managed = explicitManaged;
    taskHeap = explicitTaskHeap;
    const base = frameworkHeap + frameworkOffHeap + taskHeap + taskOffHeap + managed;
    network = totalFlinkOpt !== undefined ? totalFlinkOpt - base : Math.max(netRange.min, Math.min(netRange.max, Math.floor((base * netRange.fraction) / (1 - netRange.fraction))));
    totalFlink = base + network;
    metaspace = conf.memory('taskmanager.memory.jvm-metaspace.size') ?? 256 * MB;
    overhead = totalProcessOpt !== undefined ? totalProcessOpt - totalFlink - metaspace : Math.max(192 * MB, Math.min(GB, Math.floor(((totalFlink + metaspace) * 0.1) / 0.9)));
  } else if (totalFlinkOpt !== undefined) {
    totalFlink = totalFlinkOpt;
    fromTotalFlink(totalFlink);
    metaspace = conf.memory('taskmanager.memory.jvm-metaspace.size') ?? 256 * MB;
    overhead = totalProcessOpt !== undefined ? totalProcessOpt - totalFlink - metaspace : Math.max(192 * MB, Math.min(GB, Math.floor(((totalFlink + metaspace) * 0.1) / 0.9)));
  } else if (totalProcessOpt !== undefined) {
    ({ metaspace, overhead } = metaspaceAndOverhead(conf, 'taskmanager', totalProcessOpt));
    totalFlink = totalProcessOpt - metaspace - overhead;
    fromTotalFlink(totalFlink);
  } else {
    throw new IllegalConfigurationException(
      `Either required fine-grained memory (taskmanager.memory.task.heap.size and taskmanager.memory.managed.size), or Total Flink Memory size (${optionString('taskmanager.memory.flink.size')}), or Total Process Memory size (${optionString('taskmanager.memory.process.size')}) need to be configured explicitly.`,
    );
  }
  return {
    cpuCores,
    frameworkHeap,
    frameworkOffHeap,
    taskHeap: taskHeap!,
    taskOffHeap,
    network: network!,
    managed: managed!,
    metaspace,
    overhead,
    totalFlink,
    totalProcess: totalFlink + metaspace + overhead,
    numSlots,
  };
}

/** TaskExecutorProcessUtils.generateDynamicConfigsStr: the `-D key=value` items passed to the TaskManager. */
export function tmDynamicConfigs(spec: TaskExecutorProcessSpec): string {
  const items: [string, string][] = [
    ['taskmanager.memory.network.min', `${spec.network}b`],
    ['taskmanager.cpu.cores', spec.cpuCores.toFixed(1)],
    ['taskmanager.memory.task.off-heap.size', `${spec.taskOffHeap}b`],
    ['taskmanager.memory.jvm-metaspace.size', `${spec.metaspace}b`],
    ['external-resources', 'none'],
    ['taskmanager.memory.jvm-overhead.min', `${spec.overhead}b`],
    ['taskmanager.memory.framework.off-heap.size', `${spec.frameworkOffHeap}b`],
    ['taskmanager.memory.network.max', `${spec.network}b`],
    ['taskmanager.memory.framework.heap.size', `${spec.frameworkHeap}b`],
    ['taskmanager.memory.managed.size', `${spec.managed}b`],
    ['taskmanager.memory.task.heap.size', `${spec.taskHeap}b`],
    ['taskmanager.numberOfTaskSlots', String(spec.numSlots)],
    ['taskmanager.memory.jvm-overhead.max', `${spec.overhead}b`],
  ];
  return items.map(([k, v]) => `-D ${k}=${v}`).join(' ');
}

/** ProcessMemoryUtils.generateJvmParametersStr for a TaskManager (FLINK_TM_JVM_MEM_OPTS). */
export function tmJvmParams(spec: TaskExecutorProcessSpec): string {
  const heap = spec.frameworkHeap + spec.taskHeap;
  const direct = spec.frameworkOffHeap + spec.taskOffHeap + spec.network;
  return `-Xmx${heap} -Xms${heap} -XX:MaxDirectMemorySize=${direct} -XX:MaxMetaspaceSize=${spec.metaspace}`;
}

export interface JobManagerProcessSpec {
  heap: number;
  offHeap: number;
  metaspace: number;
  overhead: number;
  totalFlink: number;
  totalProcess: number;
}

/** JobManagerProcessUtils.processSpecFromConfig. */
export function jobManagerProcessSpec(conf: Conf): JobManagerProcessSpec {
  try {
    return jmSpec(conf);
  } catch (e) {
    if (e instanceof IllegalConfigurationException) throw new IllegalConfigurationException(`JobManager memory configuration failed: ${e.message}`);
    throw e;
  }
}

function jmSpec(conf: Conf): JobManagerProcessSpec {
  const offHeap = conf.memory('jobmanager.memory.off-heap.size') ?? 128 * MB;
  const explicitHeap = conf.memory('jobmanager.memory.heap.size');
  const totalFlinkOpt = conf.memory('jobmanager.memory.flink.size');
  const totalProcessOpt = conf.memory('jobmanager.memory.process.size');
  const fromTotalFlink = (tf: number) => {
    if (tf <= offHeap) {
      throw new IllegalConfigurationException(`The configured Total Flink Memory (${humanMemory(tf)}) is less than the configured Off-heap Memory (${humanMemory(offHeap)}).`);
    }
    return tf - offHeap;
  };
  let heap: number;
  let totalFlink: number;
  let metaspace: number;
  let overhead: number;
  if (explicitHeap !== undefined || totalFlinkOpt !== undefined) {
    heap = explicitHeap ?? fromTotalFlink(totalFlinkOpt!);
    totalFlink = explicitHeap !== undefined ? explicitHeap + offHeap : totalFlinkOpt!;
    metaspace = conf.memory('jobmanager.memory.jvm-metaspace.size') ?? 256 * MB;
    overhead = totalProcessOpt !== undefined ? totalProcessOpt - totalFlink - metaspace : Math.max(192 * MB, Math.min(GB, Math.floor(((totalFlink + metaspace) * 0.1) / 0.9)));
  } else if (totalProcessOpt !== undefined) {
    ({ metaspace, overhead } = metaspaceAndOverhead(conf, 'jobmanager', totalProcessOpt));
    totalFlink = totalProcessOpt - metaspace - overhead;
    heap = fromTotalFlink(totalFlink);
  } else {
    throw new IllegalConfigurationException(
      `Either required fine-grained memory (jobmanager.memory.heap.size), or Total Flink Memory size (${optionString('jobmanager.memory.flink.size')}), or Total Process Memory size (${optionString('jobmanager.memory.process.size')}) need to be configured explicitly.`,
    );
  }
  return { heap, offHeap, metaspace, overhead, totalFlink, totalProcess: totalFlink + metaspace + overhead };
}

export const MiB = MB;
