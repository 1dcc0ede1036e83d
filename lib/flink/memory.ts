// Flink's process memory model, as far as the client checks it before deploying. The client
// derives both processes' memory from *.memory.process.size
// (AbstractContainerizedClusterClientFactory.getClusterSpecification ->
// JobManagerProcessUtils.processSpecFromConfigWithNewOptionToInterpretLegacyHeap and
// TaskExecutorProcessUtils.processSpecFromConfig), so too little memory fails the deployment with
// the messages reproduced here. Defaults are identical in 1.19, 1.20 and 2.0-2.3
// (JobManagerOptions / TaskManagerOptions):
//   jobmanager.memory.jvm-metaspace.size 256m, jobmanager.memory.jvm-overhead.{min,max,fraction}
//   192m/1g/0.1, jobmanager.memory.off-heap.size 128m;
//   taskmanager.memory.jvm-metaspace.size 256m, taskmanager.memory.jvm-overhead.* 192m/1g/0.1,
//   taskmanager.memory.framework.heap.size 128m, taskmanager.memory.framework.off-heap.size 128m,
//   taskmanager.memory.task.off-heap.size 0, taskmanager.memory.managed.fraction 0.4,
//   taskmanager.memory.network.{min,max,fraction} 64m/Long.MAX_VALUE/0.1.
// The console only sets process sizes, so only the "derive from total process memory" path runs.

const MB = 2 ** 20;
const KB = 2 ** 10;

export const JOB_MANAGER_MEMORY_DEFAULTS = {
  jvmMetaspace: 256 * MB,
  jvmOverheadMin: 192 * MB,
  jvmOverheadMax: 1024 * MB,
  jvmOverheadFraction: 0.1,
  offHeap: 128 * MB,
} as const;

export const TASK_MANAGER_MEMORY_DEFAULTS = {
  jvmMetaspace: 256 * MB,
  jvmOverheadMin: 192 * MB,
  jvmOverheadMax: 1024 * MB,
  jvmOverheadFraction: 0.1,
  frameworkHeap: 128 * MB,
  frameworkOffHeap: 128 * MB,
  taskOffHeap: 0,
  managedFraction: 0.4,
  networkMin: 64 * MB,
  networkMax: Number.MAX_SAFE_INTEGER,
  networkFraction: 0.1,
} as const;

/** MemorySize.toHumanReadableString: "0 bytes", "128.000mb (134217728 bytes)". */
export function formatMemoryHumanReadable(bytes: number): string {
  const units: Array<[string, number]> = [
    ['tb', 2 ** 40],
    ['gb', 2 ** 30],
    ['mb', MB],
    ['kb', KB],
  ];
  for (const [name, factor] of units) {
    if (bytes >= factor) return `${(bytes / factor).toFixed(3)}${name} (${bytes} bytes)`;
  }
  return `${bytes} bytes`;
}

/**
 * MemorySize.multiply(double): BigDecimal product of bytes and the fraction, truncated.
 * Fractions here have one decimal digit, so an integer product of tenths is exact.
 */
function multiply(bytes: number, fraction: number): number {
  const tenths = Math.round(fraction * 10);
  return Math.floor((bytes * tenths) / 10);
}

/** ProcessMemoryUtils.deriveWithFraction -> capToMinMax. */
function deriveWithFraction(base: number, min: number, max: number, fraction: number): number {
  const relative = multiply(base, fraction);
  return Math.min(Math.max(relative, min), max);
}

export interface JobManagerMemory {
  totalProcess: number;
  jvmMetaspace: number;
  jvmOverhead: number;
  totalFlink: number;
  offHeap: number;
  jvmHeap: number;
}

export interface TaskManagerMemory {
  totalProcess: number;
  jvmMetaspace: number;
  jvmOverhead: number;
  totalFlink: number;
  frameworkHeap: number;
  frameworkOffHeap: number;
  taskHeap: number;
  taskOffHeap: number;
  managed: number;
  network: number;
}

export type MemoryResult<T> = { ok: true; memory: T } | { ok: false; message: string };

/** ProcessMemoryUtils.deriveJvmMetaspaceAndOverheadWithTotalProcessMemory. */
function deriveMetaspaceAndOverhead(
  totalProcess: number,
  d: { jvmMetaspace: number; jvmOverheadMin: number; jvmOverheadMax: number; jvmOverheadFraction: number },
): { metaspace: number; overhead: number } | string {
  const overhead = deriveWithFraction(totalProcess, d.jvmOverheadMin, d.jvmOverheadMax, d.jvmOverheadFraction);
  if (d.jvmMetaspace + overhead > totalProcess) {
    return (
      `Sum of configured JVM Metaspace (${formatMemoryHumanReadable(d.jvmMetaspace)}) and JVM Overhead ` +
      `(${formatMemoryHumanReadable(overhead)}) exceed configured Total Process Memory ` +
      `(${formatMemoryHumanReadable(totalProcess)}).`
    );
  }
  return { metaspace: d.jvmMetaspace, overhead };
}

/**
 * JobManagerProcessUtils with only jobmanager.memory.process.size set. Failure messages carry the
 * "JobManager memory configuration failed: " prefix the client adds.
 */
export function deriveJobManagerMemory(totalProcessBytes: number): MemoryResult<JobManagerMemory> {
  const d = JOB_MANAGER_MEMORY_DEFAULTS;
  const prefix = 'JobManager memory configuration failed: ';
  const jvm = deriveMetaspaceAndOverhead(totalProcessBytes, d);
  if (typeof jvm === 'string') return { ok: false, message: prefix + jvm };
  const totalFlink = totalProcessBytes - jvm.metaspace - jvm.overhead;
  // JobManagerFlinkMemoryUtils.deriveFromTotalFlinkMemory: compareTo(offHeap) < 1 throws, so
  // the heap must be strictly positive.
  if (totalFlink <= d.offHeap) {
    return {
      ok: false,
      message:
        prefix +
        `The configured Total Flink Memory (${formatMemoryHumanReadable(totalFlink)}) is less than the ` +
        `configured Off-heap Memory (${formatMemoryHumanReadable(d.offHeap)}).`,
    };
  }
  return {
    ok: true,
    memory: {
      totalProcess: totalProcessBytes,
      jvmMetaspace: jvm.metaspace,
      jvmOverhead: jvm.overhead,
      totalFlink,
      offHeap: d.offHeap,
      jvmHeap: totalFlink - d.offHeap,
    },
  };
}

/**
 * TaskExecutorProcessUtils with only taskmanager.memory.process.size set
 * (TaskExecutorFlinkMemoryUtils.deriveFromTotalFlinkMemory, neither task heap nor managed size set).
 */
export function deriveTaskManagerMemory(totalProcessBytes: number): MemoryResult<TaskManagerMemory> {
  const d = TASK_MANAGER_MEMORY_DEFAULTS;
  const prefix = 'TaskManager memory configuration failed: ';
  const jvm = deriveMetaspaceAndOverhead(totalProcessBytes, d);
  if (typeof jvm === 'string') return { ok: false, message: prefix + jvm };
  const totalFlink = totalProcessBytes - jvm.metaspace - jvm.overhead;
  const managed = multiply(totalFlink, d.managedFraction);
  const network = deriveWithFraction(totalFlink, d.networkMin, d.networkMax, d.networkFraction);
  const exceptTaskHeap = d.frameworkHeap + d.frameworkOffHeap + d.taskOffHeap + managed + network;
  if (exceptTaskHeap > totalFlink) {
    return {
      ok: false,
      message:
        prefix +
        `Sum of configured Framework Heap Memory (${formatMemoryHumanReadable(d.frameworkHeap)}), ` +
        `Framework Off-Heap Memory (${formatMemoryHumanReadable(d.frameworkOffHeap)}), ` +
        `Task Off-Heap Memory (${formatMemoryHumanReadable(d.taskOffHeap)}), ` +
        `Managed Memory (${formatMemoryHumanReadable(managed)}) and ` +
        `Network Memory (${formatMemoryHumanReadable(network)}) exceed configured Total Flink Memory ` +
        `(${formatMemoryHumanReadable(totalFlink)}).`,
    };
  }
  return {
    ok: true,
    memory: {
      totalProcess: totalProcessBytes,
      jvmMetaspace: jvm.metaspace,
      jvmOverhead: jvm.overhead,
      totalFlink,
      frameworkHeap: d.frameworkHeap,
      frameworkOffHeap: d.frameworkOffHeap,
      taskHeap: totalFlink - exceptTaskHeap,
      taskOffHeap: d.taskOffHeap,
      managed,
      network,
    },
  };
}

/**
 * The smallest total process size (bytes) that `derive` accepts. Every check of the
 * derive-from-process-size path only gets easier with more memory (overhead and network grow by
 * fractions below 1, managed memory by 0.4 of the rest), so a binary search finds the boundary.
 */
function minimumProcessMemory(derive: (bytes: number) => MemoryResult<unknown>): number {
  let low = 0; // refused
  let high = 64 * 2 ** 30; // accepted
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (derive(mid).ok) high = mid;
    else low = mid;
  }
  return high;
}

/** The least jobmanager.memory.process.size (bytes) Flink accepts with the default memory options. */
export const MIN_JOB_MANAGER_PROCESS_MEMORY = minimumProcessMemory(deriveJobManagerMemory);

/** The least taskmanager.memory.process.size (bytes) Flink accepts with the default memory options. */
export const MIN_TASK_MANAGER_PROCESS_MEMORY = minimumProcessMemory(deriveTaskManagerMemory);

/** Bytes rounded up to whole MiB, as a Kubernetes quantity ("982Mi"): the smallest such size at or above `bytes`. */
export function toMebibyteQuantity(bytes: number): string {
  return `${Math.ceil(bytes / MB)}Mi`;
}
