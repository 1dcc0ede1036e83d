// kubectl's ages (k8s.io/apimachinery/pkg/util/duration.HumanDuration, what `kubectl get` prints in
// its AGE column): 45s, 2m30s, 12m, 3h20m, 10h, 3d4h, 30d, 2y100d, 9y. PURE.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/** kubectl-style age from an ISO time to `now` (ms). A time in the future (clock skew) shows 0s; a bad one a dash. */
export function formatAge(from: string, now: number): string {
  const start = Date.parse(from);
  if (Number.isNaN(start)) return '—';
  const ms = Math.max(0, now - start);
  const seconds = Math.floor(ms / SECOND);
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 10) return withRest(minutes, 'm', seconds % 60, 's');
  if (minutes < 3 * 60) return `${minutes}m`;
  const hours = Math.floor(ms / HOUR);
  if (hours < 8) return withRest(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(ms / DAY);
  if (hours < 8 * 24) return withRest(days, 'd', hours % 24, 'h');
  if (days < 2 * 365) return `${days}d`;
  const years = Math.floor(ms / YEAR);
  if (days < 8 * 365) return withRest(years, 'y', days % 365, 'd');
  return `${years}y`;
}

function withRest(big: number, bigUnit: string, rest: number, restUnit: string): string {
  return rest === 0 ? `${big}${bigUnit}` : `${big}${bigUnit}${rest}${restUnit}`;
}

/** The smallest unit formatAge shows for an age of `ms`: the text can only change at its multiples. */
function granularity(ms: number): number {
  if (ms < 10 * MINUTE) return SECOND;
  if (ms < 8 * HOUR) return MINUTE;
  if (ms < 8 * DAY) return HOUR;
  if (ms < 8 * YEAR) return DAY;
  return YEAR;
}

/**
 * When (ms since the epoch) formatAge(from, ·) next shows another text after `now`: each second
 * under 10 minutes, each minute under 8 hours, each hour under 8 days, then each day. Every range
 * ends on a multiple of its unit, so the next multiple of the current unit is never past a range's
 * end. Infinity for a bad time (its dash never changes).
 */
export function nextAgeChange(from: string, now: number): number {
  const start = Date.parse(from);
  if (Number.isNaN(start)) return Infinity;
  const ms = now - start;
  if (ms < 0) return start + SECOND;
  const unit = granularity(ms);
  return start + (Math.floor(ms / unit) + 1) * unit;
}
