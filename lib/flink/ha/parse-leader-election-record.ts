// fabric8's LeaderElectionRecord as ConfigMapLock writes it into the leader annotation, e.g.
// {"holderIdentity":"623e…","leaseDuration":15.000000000,"acquireTime":"2020-10-20T04:06:31.431000Z",
//  "renewTime":"2020-10-22T08:51:36.843000Z","leaderTransitions":37981}
// (KubernetesLeaderElector's javadoc). LeaderElector.release() (withReleaseOnCancel, Flink 1.19+)
// rewrites it with a null holder and a 1 s lease, which Jackson may write as null or leave out. PURE.

export type LeaderElection =
  | { state: 'missing' }
  | { state: 'unreadable'; reason: string; raw: string }
  | {
      state: 'held' | 'released';
      /** A random UUID per JobManager process (the HA services' lock identity), not the pod name. */
      holderIdentity?: string;
      leaseDurationMs: number;
      acquireTime: string;
      renewTime: string;
      leaderTransitions: number;
    };

type Parsed = Record<string, unknown>;

/** Jackson writes a Duration as decimal seconds (15.000000000); an ISO-8601 string is read too. */
function toDurationMs(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return Math.round(v * 1000);
  if (typeof v === 'string') {
    if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
    const iso = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(v);
    if (iso && v !== 'PT') return Math.round(((Number(iso[1] ?? 0) * 60 + Number(iso[2] ?? 0)) * 60 + Number(iso[3] ?? 0)) * 1000);
  }
  return undefined;
}

function toTime(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  return Number.isNaN(Date.parse(v)) ? undefined : v;
}

/** The leader annotation's record; never throws: anything else is 'unreadable' with the reason. */
export function parseLeaderElectionRecord(text: string | undefined | null): LeaderElection {
  if (text === undefined || text === null) return { state: 'missing' };
  const raw = text.length > 500 ? `${text.slice(0, 500)}…` : text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { state: 'unreadable', reason: `The leader annotation is not JSON (${(err as Error).message}).`, raw };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { state: 'unreadable', reason: 'The leader annotation is not a JSON object.', raw };
  }
  const o = value as Parsed;
  const holder = o.holderIdentity;
  if (holder !== undefined && holder !== null && typeof holder !== 'string') {
    return { state: 'unreadable', reason: 'holderIdentity is not a string.', raw };
  }
  const leaseDurationMs = toDurationMs(o.leaseDuration);
  if (leaseDurationMs === undefined) return { state: 'unreadable', reason: `leaseDuration ${JSON.stringify(o.leaseDuration) ?? 'is missing'}${o.leaseDuration === undefined ? '' : ' is not a duration'}.`, raw };
  const acquireTime = toTime(o.acquireTime);
  if (!acquireTime) return { state: 'unreadable', reason: `acquireTime ${o.acquireTime === undefined ? 'is missing' : `${JSON.stringify(o.acquireTime)} is not a time`}.`, raw };
  const renewTime = toTime(o.renewTime);
  if (!renewTime) return { state: 'unreadable', reason: `renewTime ${o.renewTime === undefined ? 'is missing' : `${JSON.stringify(o.renewTime)} is not a time`}.`, raw };
  const transitions = o.leaderTransitions ?? 0;
  if (typeof transitions !== 'number' || !Number.isInteger(transitions) || transitions < 0) {
    return { state: 'unreadable', reason: `leaderTransitions ${JSON.stringify(transitions)} is not a whole number.`, raw };
  }
  const holderIdentity = typeof holder === 'string' && holder !== '' ? holder : undefined;
  return { state: holderIdentity ? 'held' : 'released', holderIdentity, leaseDurationMs, acquireTime, renewTime, leaderTransitions: transitions };
}
