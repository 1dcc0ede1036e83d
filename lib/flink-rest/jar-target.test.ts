import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
const { parseRestServerLeader } = await import('./jar-target');

describe('parseRestServerLeader (KubernetesUtils.parseLeaderInformation: split at the first comma)', () => {
  it('reads the session id and the REST address of the leader', () => {
    expect(parseRestServerLeader('3f1c2b4e-0d9a-4c55-8a31-2f0e6f1c9d20,http://10.244.1.7:8081')).toEqual({
      sessionId: '3f1c2b4e-0d9a-4c55-8a31-2f0e6f1c9d20',
      host: '10.244.1.7',
      port: 8081,
    });
    expect(parseRestServerLeader('sid,http://[fd00::7]:9081')).toEqual({ sessionId: 'sid', host: 'fd00::7', port: 9081 });
  });
  it('is undefined for a missing or malformed entry', () => {
    expect(parseRestServerLeader(undefined)).toBeUndefined();
    expect(parseRestServerLeader('')).toBeUndefined();
    expect(parseRestServerLeader('http://10.0.0.1:8081')).toBeUndefined();
    expect(parseRestServerLeader('sid,not a url')).toBeUndefined();
  });
});
