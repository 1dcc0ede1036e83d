import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { slimPod } from '@/lib/k8s/informer-transforms';
import { countTaskManagers, deriveClusterStatus, leaderHost, type StatusDeployment } from './cluster-list-status';

const dir = path.join(import.meta.dirname, 'cluster-list-status.fixtures');
type Fixture = {
  deployment: StatusDeployment;
  pods: unknown[];
  expect: { status: string; reason?: string; taskManagers: number };
};
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Fixture] as const);

describe('deriveClusterStatus, from whole pods as the API server sends them, stripped by the list informer', () => {
  it('has the fixtures the issue asks for', () => {
    expect(fixtures.map(([n]) => n)).toEqual(
      expect.arrayContaining(['crash-loop-backoff', 'image-pull-backoff', 'unschedulable-pending', 'taskmanager-oomkilled', 'jobmanager-oomkilled', 'deployment-deleting']),
    );
  });

  for (const [name, f] of fixtures) {
    it(`${name} → ${f.expect.status}${f.expect.reason ? ` (${f.expect.reason})` : ''}, ${f.expect.taskManagers} TaskManager(s)`, () => {
      const pods = f.pods.map(slimPod);
      const derived = deriveClusterStatus(f.deployment, pods);
      expect(derived.status).toBe(f.expect.status);
      expect(derived.reason).toBe(f.expect.reason);
      expect(countTaskManagers(pods)).toBe(f.expect.taskManagers);
    });
  }

  it('is Stopped with 0 replicas wanted, and Degraded when fewer JobManagers are ready than wanted', () => {
    expect(deriveClusterStatus({ desiredReplicas: 0, readyReplicas: 0 }, [])).toEqual({ status: 'Stopped' });
    expect(deriveClusterStatus({ desiredReplicas: 2, readyReplicas: 1 }, [])).toEqual({
      status: 'Degraded',
      reason: '1 of 2 JobManagers ready',
    });
  });
});

describe('leaderHost', () => {
  it("reads the host of Flink's `<sessionId>,<address>` leader entry", () => {
    expect(leaderHost('3a1b5c1e-0b35-4c06-a1a4-4d1b0f8e5a11,http://10.244.0.5:8081')).toBe('10.244.0.5');
    expect(leaderHost('id,http://[fd00::5]:8081')).toBe('fd00::5');
    expect(leaderHost('id,')).toBeUndefined();
    expect(leaderHost(undefined)).toBeUndefined();
  });
});
