import { describe, expect, it } from 'vitest';
import { nodeMatchesPod, podRequests } from '../scheduler';
import { goDuration, normalizeImage, qosClass } from '../kubelet/pod-worker';
import { ContainerLogs, readLog } from '../kubelet/logs';
import { expand } from '../kubelet/volumes';
import { computeHash } from './deployment';
import { matchesSelector, parseQuantity } from './util';

const node = (labels: Record<string, string>, name = 'n1') => ({ metadata: { name, labels } });

describe('scheduler predicates', () => {
  it('matches nodeSelector and required node affinity operators', () => {
    const n = node({ pool: 'flink', cores: '16' });
    expect(nodeMatchesPod({ spec: { nodeSelector: { pool: 'flink' } } }, n)).toBe(true);
    expect(nodeMatchesPod({ spec: { nodeSelector: { pool: 'other' } } }, n)).toBe(false);
    const aff = (expr: any) => ({ spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr] }] } } } } });
    expect(nodeMatchesPod(aff({ key: 'pool', operator: 'In', values: ['flink', 'x'] }), n)).toBe(true);
    expect(nodeMatchesPod(aff({ key: 'pool', operator: 'NotIn', values: ['flink'] }), n)).toBe(false);
    expect(nodeMatchesPod(aff({ key: 'pool', operator: 'Exists' }), n)).toBe(true);
    expect(nodeMatchesPod(aff({ key: 'gpu', operator: 'DoesNotExist' }), n)).toBe(true);
    expect(nodeMatchesPod(aff({ key: 'cores', operator: 'Gt', values: ['8'] }), n)).toBe(true);
    expect(nodeMatchesPod(aff({ key: 'cores', operator: 'Lt', values: ['8'] }), n)).toBe(false);
  });

  it('sums container requests', () => {
    expect(podRequests({ spec: { containers: [{ resources: { requests: { cpu: '500m', memory: '1Gi' } } }, { resources: { limits: { cpu: '1' } } }] } })).toEqual({ cpu: 1.5, memory: 1024 ** 3 });
  });
});

describe('helpers', () => {
  it('computes a stable pod-template-hash in the safe alphabet', () => {
    const a = computeHash({ spec: { containers: [{ name: 'a', image: 'x' }] } });
    expect(a).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(computeHash({ spec: { containers: [{ image: 'x', name: 'a' }] } })).toBe(a);
    expect(computeHash({ spec: { containers: [{ name: 'a', image: 'y' }] } })).not.toBe(a);
    expect(computeHash({ spec: { containers: [{ name: 'a', image: 'x' }] } }, 1)).not.toBe(a);
  });

  it('formats durations as Go does', () => {
    expect(goDuration(312)).toBe('312ms');
    expect(goDuration(1200)).toBe('1.2s');
    expect(goDuration(10000)).toBe('10s');
    expect(goDuration(80000)).toBe('1m20s');
    expect(goDuration(300000)).toBe('5m0s');
  });

  it('normalizes image references', () => {
    expect(normalizeImage('nginx')).toBe('docker.io/library/nginx:latest');
    expect(normalizeImage('flink:1.20')).toBe('docker.io/library/flink:1.20');
    expect(normalizeImage('apache/flink:1.20')).toBe('docker.io/apache/flink:1.20');
    expect(normalizeImage('registry.k8s.io/pause:3.9')).toBe('registry.k8s.io/pause:3.9');
    expect(normalizeImage('localhost:5000/x')).toBe('localhost:5000/x:latest');
  });

  it('derives the QoS class', () => {
    expect(qosClass({ spec: { containers: [{}] } })).toBe('BestEffort');
    expect(qosClass({ spec: { containers: [{ resources: { requests: { cpu: '1' } } }] } })).toBe('Burstable');
    expect(qosClass({ spec: { containers: [{ resources: { limits: { cpu: '1', memory: '1Gi' } } }] } })).toBe('Guaranteed');
  });

  it('expands $(VAR) references', () => {
    expect(expand('a-$(X)-$$(X)-$(Y)', { X: '1' })).toBe('a-1-$(X)-$(Y)');
  });

  it('matches label selectors and parses quantities', () => {
    expect(matchesSelector({ matchLabels: { a: '1' }, matchExpressions: [{ key: 'b', operator: 'NotIn', values: ['2'] }] }, { a: '1' })).toBe(true);
    expect(matchesSelector({ matchLabels: { a: '1' } }, { a: '2' })).toBe(false);
    expect(parseQuantity('32Gi')).toBe(32 * 1024 ** 3);
    expect(parseQuantity('250m')).toBe(0.25);
  });
});

describe('container logs', () => {
  it('tails, limits bytes, prefixes timestamps and follows until the container stops', async () => {
    const logs = new ContainerLogs();
    logs.startInstance();
    logs.append('one');
    logs.append('two');
    logs.append('three');
    const all = async (it: AsyncIterable<string>) => {
      const out: string[] = [];
      for await (const l of it) out.push(l);
      return out;
    };
    const signal = new AbortController().signal;
    expect(await all(readLog(logs.current!, { tailLines: 2 }, signal, false))).toEqual(['two', 'three']);
    expect(await all(readLog(logs.current!, { limitBytes: 6 }, signal, false))).toEqual(['one', 'tw']);
    const ts = await all(readLog(logs.current!, { timestamps: true, tailLines: 1 }, signal, false));
    expect(ts[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z three$/);
    const followed = all(readLog(logs.current!, { tailLines: 0 }, signal, true));
    logs.append('four');
    logs.finish();
    expect(await followed).toEqual(['four']);
    logs.startInstance();
    expect(await all(readLog(logs.previous!, {}, signal, false))).toEqual(['one', 'two', 'three', 'four']);
  });
});
