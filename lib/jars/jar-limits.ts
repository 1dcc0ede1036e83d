import { z } from 'zod';
import { ApiError } from '@/lib/api/api-error';

export const DEFAULT_MAX_JAR_BYTES = 512 * 1024 * 1024;
const UNITS: Record<string, number> = { '': 1, b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** `536870912`, `512MiB`, `1 GiB`: a size in bytes, or with a binary unit. */
export const maxJarBytesSchema = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?\s*(b|kib|mib|gib)?$/i, 'FLINK_DASHBOARD_MAX_JAR_BYTES is a size in bytes, or with KiB, MiB or GiB (e.g. 512MiB).')
  .transform((v) => {
    const [, n, unit = ''] = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(v)!;
    return Math.floor(Number(n) * UNITS[unit.toLowerCase()]);
  })
  .refine((n) => n >= 1024, 'FLINK_DASHBOARD_MAX_JAR_BYTES must be at least 1 KiB.');

/** The largest jar the dashboard passes on to Flink (env FLINK_DASHBOARD_MAX_JAR_BYTES, default 512 MiB). */
export function readMaxJarBytes(env: Record<string, string | undefined> = process.env): number {
  const raw = env.FLINK_DASHBOARD_MAX_JAR_BYTES;
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_JAR_BYTES;
  const parsed = maxJarBytesSchema.safeParse(raw);
  if (!parsed.success) throw new ApiError('unavailable', `The server is misconfigured: ${parsed.error.issues[0].message} It is "${raw}".`);
  return parsed.data;
}

/** 512 MiB, 1.5 GiB, 300 KiB, 12 bytes. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}
