// Small formatting helpers shared by the table printers, as in apimachinery and the printers.

/** apimachinery/pkg/util/duration.HumanDuration for a duration in milliseconds. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

export function parseTime(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || !ts) return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : t;
}

/** 0001-01-01T00:00:00Z, Go's zero time. */
export const GO_ZERO_TIME = -62135596800000;

/** translateTimestampSince: "<unknown>" for a zero time. */
export function translateTimestampSince(ts: unknown, now: number): string {
  const t = parseTime(ts);
  if (t === undefined || t === GO_ZERO_TIME) return '<unknown>';
  return humanDuration(now - t);
}

/** labels.FormatLabels: sorted k=v pairs, "<none>" when empty. */
export function formatLabels(m: Record<string, string> | undefined | null): string {
  const keys = Object.keys(m ?? {}).sort();
  if (!keys.length) return '<none>';
  return keys.map((k) => `${k}=${m![k]}`).join(',');
}

/** metav1.LabelSelectorAsSelector(sel).String(): requirements sorted by key; undefined when invalid. */
export function labelSelectorString(sel: any): string | undefined {
  if (sel === undefined || sel === null) return '';
  const reqs: { key: string; s: string }[] = [];
  for (const [k, v] of Object.entries((sel.matchLabels ?? {}) as Record<string, string>)) reqs.push({ key: k, s: `${k}=${v}` });
  for (const e of (sel.matchExpressions ?? []) as any[]) {
    const values = [...(e.values ?? [])].sort();
    switch (e.operator) {
      case 'In':
        reqs.push({ key: e.key, s: `${e.key} in (${values.join(',')})` });
        break;
      case 'NotIn':
        reqs.push({ key: e.key, s: `${e.key} notin (${values.join(',')})` });
        break;
      case 'Exists':
        reqs.push({ key: e.key, s: e.key });
        break;
      case 'DoesNotExist':
        reqs.push({ key: e.key, s: `!${e.key}` });
        break;
      default:
        return undefined;
    }
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.s).join(',');
}

/** metav1.FormatLabelSelector: "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(sel: any): string {
  const s = labelSelectorString(sel);
  if (s === undefined) return '<error>';
  return s || '<none>';
}

export function layoutContainerCells(containers: any[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name ?? '').join(','), cs.map((c) => c.image ?? '').join(',')];
}
