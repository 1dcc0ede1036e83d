import { describe, expect, it } from 'vitest';
import { deriveHaState } from './derive-ha-state';
import { CLUSTER_ID, HELD, JOB_ID, LEADER_IP, SESSION_ID, clusterConfigMap, jobConfigMap, leaderAnnotation } from './fixtures/ha-config-maps';
import { javaStateHandle } from './fixtures/java-state-handle';
import { parseLeaderElectionRecord } from './parse-leader-election-record';
import { readHaConfigMap, type HaConfigMapRecord } from './read-ha-config-map';

function read(raw: unknown): HaConfigMapRecord {
  const r = readHaConfigMap(raw, CLUSTER_ID);
  if (!r) throw new Error('not an HA ConfigMap');
  return r;
}

describe('readHaConfigMap: each supported layout', () => {
  for (const layout of ['1.19', '1.20'] as const) {
    it(`${layout}: election, leaders, job graph, checkpoints`, () => {
      const state = deriveHaState([read(clusterConfigMap(layout)), read(jobConfigMap(layout))]);
      expect(state.election).toEqual({
        state: 'held',
        holderIdentity: HELD.holderIdentity,
        leaseDurationMs: 15_000,
        acquireTime: HELD.acquireTime,
        renewTime: HELD.renewTime,
        leaderTransitions: 2,
      });
      expect(state.leaders.restserver).toEqual({ readable: true, sessionId: SESSION_ID, address: `http://${LEADER_IP}:8081` });
      expect(state.leaders.dispatcher).toEqual({ readable: true, sessionId: SESSION_ID, address: `pekko.tcp://flink@${LEADER_IP}:6123/user/rpc/dispatcher_1` });
      expect(state.leaders.resourcemanager?.readable).toBe(true);
      expect(state.jobs).toEqual([
        {
          jobId: JOB_ID,
          inStore: true,
          markedForDeletion: false,
          leader: { readable: true, sessionId: SESSION_ID, address: `pekko.tcp://flink@${LEADER_IP}:6123/user/rpc/jobmanager_2` },
          hasCheckpointConfigMap: true,
          checkpointCounter: 43,
          latestCheckpointId: 42,
        },
      ]);
      expect(state.layout).toBe('1.19–1.20');
      expect(state.problems).toEqual([]);
    });
  }

  for (const layout of ['2.0', '2.1', '2.2', '2.3'] as const) {
    it(`${layout}: executionPlan- store keys and no configmap-type label`, () => {
      const cluster = read(clusterConfigMap(layout));
      expect(cluster.hasConfigMapTypeLabel).toBe(false);
      expect(cluster.storedJobs).toEqual([{ jobId: JOB_ID, kind: 'executionPlan', handle: { readable: true, markedForDeletion: false } }]);
      const state = deriveHaState([cluster, read(jobConfigMap(layout))]);
      expect(state.layout).toBe('2.x');
      expect(state.jobs[0]).toMatchObject({ jobId: JOB_ID, inStore: true, latestCheckpointId: 42, checkpointCounter: 43 });
      expect(state.problems).toEqual([]);
    });
  }

  it('reads a JobMaster leader key without the job- prefix (before FLINK-32710)', () => {
    const cm = clusterConfigMap('1.19');
    const data = cm.data as Record<string, string>;
    data[`org.apache.flink.k8s.leader.${JOB_ID}`] = data[`org.apache.flink.k8s.leader.job-${JOB_ID}`];
    delete data[`org.apache.flink.k8s.leader.job-${JOB_ID}`];
    expect(deriveHaState([read(cm)]).jobs[0].leader?.readable).toBe(true);
  });

  it('leaves out ConfigMaps that are not this cluster\'s HA ConfigMaps', () => {
    expect(readHaConfigMap({ metadata: { name: `flink-config-${CLUSTER_ID}` } }, CLUSTER_ID)).toBeUndefined();
    expect(readHaConfigMap({ metadata: { name: `other-cluster-config-map` } }, CLUSTER_ID)).toBeUndefined();
    expect(readHaConfigMap(null, CLUSTER_ID)).toBeUndefined();
  });

  it('a job ConfigMap that Flink has just created (no counter yet) is not a problem', () => {
    const job = read(jobConfigMap('2.0', {}));
    expect(job.checkpoints).toEqual({ checkpointIds: [] });
    expect(job.problems).toEqual([]);
  });

  it('skips checkpoints marked for deletion, as KubernetesStateHandleStore does', () => {
    const job = read(
      jobConfigMap('1.20', {
        counter: '44',
        'checkpointID-0000000000000000042': javaStateHandle('s3://flink/ha/orders/completedCheckpoint1'),
        'checkpointID-0000000000000000043': javaStateHandle('s3://flink/ha/orders/completedCheckpoint2', true),
      }),
    );
    expect(job.checkpoints).toEqual({ counter: 44, checkpointIds: [42], latestCheckpointId: 42 });
  });
});

describe('a released lock', () => {
  it('with holderIdentity null (Flink 2.x, LeaderElector.release)', () => {
    const text = leaderAnnotation({ holderIdentity: null, leaseDuration: 1, acquireTime: '2026-12-05T01:10:03.120000Z', renewTime: '2026-12-05T01:10:03.120000Z', leaderTransitions: 2 });
    const state = deriveHaState([read(clusterConfigMap('2.2', text))]);
    expect(state.election).toMatchObject({ state: 'released', leaseDurationMs: 1000, leaderTransitions: 2 });
    expect(state.election).not.toHaveProperty('holderIdentity', expect.anything());
  });

  it('with the holder left out (1.19/1.20: Jackson omits nulls)', () => {
    const text = '{"leaseDuration":1.000000000,"acquireTime":"2026-12-05T01:10:03.120000Z","renewTime":"2026-12-05T01:10:03.120000Z","leaderTransitions":5}';
    expect(parseLeaderElectionRecord(text)).toMatchObject({ state: 'released', leaseDurationMs: 1000, leaderTransitions: 5 });
  });

  it('with an empty holder', () => {
    expect(parseLeaderElectionRecord(leaderAnnotation({ ...HELD, holderIdentity: '' })).state).toBe('released');
  });
});

describe('malformed data is "unreadable" with the reason, never a crash', () => {
  it('an annotation that is not JSON', () => {
    const state = deriveHaState([read(clusterConfigMap('1.20', '{"holderIdentity": "x", '))]);
    expect(state.election.state).toBe('unreadable');
    expect(state.election.state === 'unreadable' && state.election.reason).toMatch(/^The leader annotation is not JSON/);
    // What else is known is still read.
    expect(state.leaders.restserver?.readable).toBe(true);
    expect(state.problems[0]).toMatch(/^orders-cluster-config-map: The leader annotation cannot be read/);
  });

  it.each([
    ['[1,2]', 'The leader annotation is not a JSON object.'],
    ['{"holderIdentity":7,"leaseDuration":15,"acquireTime":"2026-12-05T01:00:00Z","renewTime":"2026-12-05T01:00:00Z"}', 'holderIdentity is not a string.'],
    ['{"holderIdentity":"a","acquireTime":"2026-12-05T01:00:00Z","renewTime":"2026-12-05T01:00:00Z"}', 'leaseDuration is missing.'],
    ['{"holderIdentity":"a","leaseDuration":"soon","acquireTime":"2026-12-05T01:00:00Z","renewTime":"2026-12-05T01:00:00Z"}', 'leaseDuration "soon" is not a duration.'],
    ['{"holderIdentity":"a","leaseDuration":15,"acquireTime":"yesterday","renewTime":"2026-12-05T01:00:00Z"}', 'acquireTime "yesterday" is not a time.'],
    ['{"holderIdentity":"a","leaseDuration":15,"acquireTime":"2026-12-05T01:00:00Z"}', 'renewTime is missing.'],
    ['{"holderIdentity":"a","leaseDuration":15,"acquireTime":"2026-12-05T01:00:00Z","renewTime":"2026-12-05T01:00:00Z","leaderTransitions":-1}', 'leaderTransitions -1 is not a whole number.'],
  ])('%s', (text, reason) => {
    expect(parseLeaderElectionRecord(text)).toEqual({ state: 'unreadable', reason, raw: text });
  });

  it('reads an ISO-8601 lease duration too', () => {
    expect(parseLeaderElectionRecord(leaderAnnotation({ ...HELD, leaseDuration: 'PT15S' }))).toMatchObject({ state: 'held', leaseDurationMs: 15_000 });
  });

  it('leader values, store entries and counters edited by hand', () => {
    const cm = clusterConfigMap('1.19', null, {
      'org.apache.flink.k8s.leader.restserver': 'http://10.0.0.1:8081',
      'org.apache.flink.k8s.leader.dispatcher': 'not-a-uuid,pekko.tcp://flink@10.0.0.1:6123/user/rpc/dispatcher_1',
      'org.apache.flink.k8s.leader.mystery': `${SESSION_ID},x`,
      [`jobGraph-${JOB_ID}`]: 'not base64!',
      'jobGraph-xyz': javaStateHandle('s3://x'),
      'something-else': 'v',
    });
    const record = read(cm);
    expect(record.election.state).toBe('missing');
    expect(record.problems).toEqual([
      'jobGraph-5f0c1b4e8a3d4c2b9e7f6a5b4c3d2e1f: The value is not base64.',
      'jobGraph-xyz: "xyz" is not a job id.',
      'org.apache.flink.k8s.leader.dispatcher: The session id "not-a-uuid" is not a UUID.',
      'org.apache.flink.k8s.leader.mystery: not a leader key Flink writes (dispatcher, resourcemanager, restserver or job-<job id>).',
      "org.apache.flink.k8s.leader.restserver: Expecting '<session_id>,<leader_address>'.",
      'something-else: not a key Flink\'s HA services write here.',
    ]);
    const state = deriveHaState([record, read(jobConfigMap('1.19', { counter: 'lots' }))]);
    expect(state.leaders.restserver).toEqual({ readable: false, reason: "Expecting '<session_id>,<leader_address>'.", raw: 'http://10.0.0.1:8081' });
    expect(state.jobs[0]).toMatchObject({ inStore: true, markedForDeletion: false, checkpointCounter: undefined });
    expect(state.problems).toContain('orders-5f0c1b4e8a3d4c2b9e7f6a5b4c3d2e1f-config-map: counter "lots" is not a checkpoint id.');
  });

  it('a store value that is base64 but not a Flink state handle', () => {
    const cm = clusterConfigMap('2.0', undefined, { [`executionPlan-${JOB_ID}`]: Buffer.from('hello world!').toString('base64') });
    expect(read(cm).problems).toEqual([`executionPlan-${JOB_ID}: The value is not a Java-serialised object (no AC ED 00 05 header).`]);
    const truncated = javaStateHandle('s3://x').slice(0, 40);
    expect(read(clusterConfigMap('2.0', undefined, { [`executionPlan-${JOB_ID}`]: truncated })).problems[0]).toMatch(/The state handle could not be read: the value ends early\.$/);
  });

  it('data values that are not strings, or no data at all', () => {
    expect(read({ metadata: { name: `${CLUSTER_ID}-cluster-config-map`, annotations: { 'control-plane.alpha.kubernetes.io/leader': 5 } }, data: null })).toMatchObject({
      election: { state: 'missing' },
      leaders: [],
      problems: [],
    });
  });
});
