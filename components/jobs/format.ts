// Display helpers of the job views. Pure.
import type { BadgeTone } from '@/components/ui/badge';

/** A duration in ms as Flink's web UI shows it: 3d 4h, 2h 5m, 4m 12s, 950ms. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || ms < 0 || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${sec}s`;
  return `${sec}s`;
}

/** Bytes in binary units: 512 B, 1.5 KiB, 20.3 MiB. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || bytes < 0 || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}

/** A count with thousands separators; unknown is a dash. */
export function formatCount(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? '—' : n.toLocaleString('en-US');
}

/** A time of day with the date, in UTC so server and browser agree: 2026-12-05 01:02:03 UTC. */
export function formatTime(ms: number | undefined): string {
  if (!ms || ms <= 0) return '—';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function jobStateTone(state: string): BadgeTone {
  if (state === 'RUNNING' || state === 'FINISHED' || state === 'COMPLETED') return 'green';
  if (state === 'FAILED' || state === 'FAILING') return 'red';
  if (state === 'CANCELED' || state === 'CANCELLING' || state === 'SUSPENDED') return 'gray';
  return 'amber';
}

export const TERMINAL_JOB_STATES = ['FINISHED', 'CANCELED', 'FAILED', 'SUSPENDED'];

/**
 * The words before the reason the JobManager's REST API is not reached. A refusal by Kubernetes RBAC
 * ("You may not get services/proxy …") will not pass by waiting, so it is not "not yet".
 */
export function restUnreachableLead(message: string): string {
  return /^You may not /.test(message) ? 'The REST API cannot be reached:' : 'The REST API does not answer yet:';
}
