// A leader entry's value: `<leaderSessionId>,<address>`, split at the first comma with a UUID
// session id (KubernetesUtils.parseLeaderInformation). PURE.

export type LeaderInformation =
  | { readable: true; sessionId: string; address: string }
  | { readable: false; reason: string; raw: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseLeaderInformation(value: string): LeaderInformation {
  const raw = value.length > 300 ? `${value.slice(0, 300)}…` : value;
  const comma = value.indexOf(',');
  if (comma < 0) return { readable: false, reason: "Expecting '<session_id>,<leader_address>'.", raw };
  const sessionId = value.slice(0, comma);
  const address = value.slice(comma + 1);
  if (!UUID.test(sessionId)) return { readable: false, reason: `The session id ${JSON.stringify(sessionId)} is not a UUID.`, raw };
  if (address === '') return { readable: false, reason: 'The leader address is empty.', raw };
  return { readable: true, sessionId, address };
}

/** The host of an address: `http://10.0.0.5:8081` (restserver) or `pekko.tcp://flink@10.0.0.5:6123/user/rpc/dispatcher_1`. */
export function hostOfLeaderAddress(address: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/i.exec(address);
  return m ? m[1].replace(/^\[|\]$/g, '') : undefined;
}
