/** kubectl-style age: 45s, 12m, 5h, 3d (from an ISO time to `now`, in ms). */
export function formatAge(from: string, now: number): string {
  const start = Date.parse(from);
  if (Number.isNaN(start)) return '—';
  const s = Math.max(0, Math.floor((now - start) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}
