import { describe, expect, it } from 'vitest';
import {
  deriveJobManagerMemory,
  deriveTaskManagerMemory,
  formatMemoryHumanReadable,
  MIN_JOB_MANAGER_PROCESS_MEMORY,
  MIN_TASK_MANAGER_PROCESS_MEMORY,
  toMebibyteQuantity,
} from './memory';

const MB = 2 ** 20;

describe('formatMemoryHumanReadable (MemorySize.toHumanReadableString)', () => {
  it('formats bytes, and larger units with three decimals and the byte count', () => {
    expect(formatMemoryHumanReadable(0)).toBe('0 bytes');
    expect(formatMemoryHumanReadable(1023)).toBe('1023 bytes');
    expect(formatMemoryHumanReadable(1024)).toBe('1.000kb (1024 bytes)');
    expect(formatMemoryHumanReadable(128 * MB)).toBe('128.000mb (134217728 bytes)');
    expect(formatMemoryHumanReadable(105696460)).toBe('100.800mb (105696460 bytes)');
    expect(formatMemoryHumanReadable(1024 * MB)).toBe('1.000gb (1073741824 bytes)');
  });
});

describe('deriveJobManagerMemory', () => {
  it('derives the shipped 1600m default like Flink (overhead 192m, heap 1024m)', () => {
    const result = deriveJobManagerMemory(1600 * MB);
    expect(result).toEqual({
      ok: true,
      memory: { totalProcess: 1600 * MB, jvmMetaspace: 256 * MB, jvmOverhead: 192 * MB, totalFlink: 1152 * MB, offHeap: 128 * MB, jvmHeap: 1024 * MB },
    });
  });
  it('caps the overhead at 1g', () => {
    const result = deriveJobManagerMemory(16 * 1024 * MB);
    expect(result.ok && result.memory.jvmOverhead).toBe(1024 * MB);
  });
  it('refuses 576m (heap would be 0) and accepts 577m', () => {
    expect(deriveJobManagerMemory(576 * MB).ok).toBe(false);
    expect(deriveJobManagerMemory(577 * MB).ok).toBe(true);
  });
  it('refuses less than metaspace + minimum overhead', () => {
    expect(deriveJobManagerMemory(447 * MB)).toEqual({
      ok: false,
      message:
        'JobManager memory configuration failed: Sum of configured JVM Metaspace (256.000mb (268435456 bytes)) and JVM Overhead (192.000mb (201326592 bytes)) exceed configured Total Process Memory (447.000mb (468713472 bytes)).',
    });
  });
});

describe('deriveTaskManagerMemory', () => {
  it('derives the shipped 1728m default like Flink (task heap 384m, managed 512m, network 128m)', () => {
    const result = deriveTaskManagerMemory(1728 * MB);
    expect(result.ok && result.memory).toMatchObject({
      totalFlink: 1280 * MB,
      taskHeap: 384 * MB,
      managed: 512 * MB,
      network: 128 * MB,
      jvmOverhead: 192 * MB,
    });
  });
  it('finds the boundary: total Flink memory must cover 256m framework + 64m network + 40% managed', () => {
    // total flink = process - 448m; 0.6 * tf >= 320m  =>  tf >= 533.33m  =>  process >= 981.33m
    expect(deriveTaskManagerMemory(981 * MB).ok).toBe(false);
    expect(deriveTaskManagerMemory(982 * MB).ok).toBe(true);
  });
  it('reports the failure with Flink message', () => {
    const result = deriveTaskManagerMemory(700 * MB);
    expect(result).toEqual({
      ok: false,
      message:
        'TaskManager memory configuration failed: Sum of configured Framework Heap Memory (128.000mb (134217728 bytes)), Framework Off-Heap Memory (128.000mb (134217728 bytes)), Task Off-Heap Memory (0 bytes), Managed Memory (100.800mb (105696460 bytes)) and Network Memory (64.000mb (67108864 bytes)) exceed configured Total Flink Memory (252.000mb (264241152 bytes)).',
    });
  });
});

describe('the least process memory Flink accepts', () => {
  it('is the exact boundary of the memory model, byte for byte', () => {
    for (const [min, derive] of [
      [MIN_JOB_MANAGER_PROCESS_MEMORY, deriveJobManagerMemory],
      [MIN_TASK_MANAGER_PROCESS_MEMORY, deriveTaskManagerMemory],
    ] as const) {
      expect(derive(min).ok).toBe(true);
      expect(derive(min - 1).ok).toBe(false);
    }
  });
  it('rounds up to whole MiB: 577Mi for the JobManager, 982Mi for the TaskManager', () => {
    expect(toMebibyteQuantity(MIN_JOB_MANAGER_PROCESS_MEMORY)).toBe('577Mi');
    expect(toMebibyteQuantity(MIN_TASK_MANAGER_PROCESS_MEMORY)).toBe('982Mi');
    expect(toMebibyteQuantity(576 * MB)).toBe('576Mi');
    expect(deriveTaskManagerMemory(982 * MB).ok).toBe(true);
    expect(deriveTaskManagerMemory(981 * MB).ok).toBe(false);
  });
});
