import { describe, expect, it } from 'vitest';
import { isHaConfigMap, pathOfStateHandle, readHaData, readHaSettings } from './ha-data';

const jobA = 'a'.repeat(32);
const jobB = '0123456789abcdef0123456789abcdef';

/** A Java-serialised stream (AC ED 00 05 …) ending in TC_STRING <path>, as RetrievableStreamStateHandle's filePath ends it. */
function handle(path: string): string {
  const text = Buffer.from(path, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(text.length);
  return Buffer.concat([Buffer.from([0xac, 0xed, 0x00, 0x05, 0x73, 0x72, 0x00, 0x01, 0x41, 0x74]), len, text]).toString('base64');
}

describe('HA ConfigMaps', () => {
  it('recognises the 1.15+/2.x and 1.12–1.14 names of the cluster, never an owned ConfigMap or another cluster id', () => {
    expect(isHaConfigMap('orders', { name: 'orders-cluster-config-map' })).toBe(true);
    expect(isHaConfigMap('orders', { name: `orders-${jobA}-config-map` })).toBe(true);
    expect(isHaConfigMap('orders', { name: 'orders-dispatcher-leader' })).toBe(true);
    expect(isHaConfigMap('orders', { name: `orders-${jobA}-jobmanager-leader` })).toBe(true);
    expect(isHaConfigMap('orders', { name: 'flink-config-orders' })).toBe(false);
    expect(isHaConfigMap('orders', { name: 'orders-cluster-config-map', hasOwner: true })).toBe(false);
    // a cluster id that is a prefix of another: orders-eu-cluster-config-map is not orders'
    expect(isHaConfigMap('orders', { name: 'orders-eu-cluster-config-map' })).toBe(false);
  });

  it('reads the jobs, their latest checkpoint (the highest checkpointID-%019d key) and the storage path from the handles', () => {
    const data = readHaData('orders', [
      {
        name: 'orders-cluster-config-map',
        // 2.0: executionPlan-<id>, no configmap-type label
        labels: { app: 'orders', type: 'flink-native-kubernetes' },
        data: {
          'org.apache.flink.k8s.leader.dispatcher': 'uuid,pekko.tcp://flink@10.0.0.1:6123/user/rpc/dispatcher_1',
          [`executionPlan-${jobA}`]: handle('s3://b/ha/orders/submittedExecutionPlan7f3a'),
          [`org.apache.flink.k8s.leader.job-${jobA}`]: 'uuid,x',
          [`org.apache.flink.k8s.leader.${jobB}`]: 'uuid,y',
        },
      },
      {
        name: `orders-${jobA}-config-map`,
        data: {
          counter: '43',
          'checkpointID-0000000000000000041': handle('s3://b/ha/orders/completedCheckpoint1'),
          'checkpointID-0000000000000000042': handle('s3://b/ha/orders/completedCheckpoint2'),
        },
      },
      { name: `orders-eu-${jobB}-config-map`, data: { counter: '9' } },
    ]);
    expect(data.configMaps).toEqual(['orders-cluster-config-map', `orders-${jobA}-config-map`].sort());
    expect(data.jobs).toEqual([
      { jobId: jobB, latestCheckpointId: null, nextCheckpointId: null, registered: false },
      { jobId: jobA, configMap: `orders-${jobA}-config-map`, latestCheckpointId: 42, nextCheckpointId: 43, registered: true },
    ]);
    expect(data.dataPathFromHandles).toBe('s3://b/ha/orders');
  });

  it('a handle that is not a Java stream has no path', () => {
    expect(pathOfStateHandle(Buffer.from('hello').toString('base64'))).toBeUndefined();
    expect(pathOfStateHandle('%%%')).toBeUndefined();
  });
});

describe('HA settings from the flink-config ConfigMap', () => {
  it('reads nested config.yaml (1.19+/2.x) and flat flink-conf.yaml', () => {
    expect(
      readHaSettings({ 'config.yaml': 'high-availability:\n  type: kubernetes\n  storageDir: s3://b/ha/\n  cluster-id: orders\n' }, 'orders'),
    ).toEqual({ enabled: true, storageDir: 's3://b/ha', dataPath: 's3://b/ha/orders' });
    expect(
      readHaSettings({ 'flink-conf.yaml': 'high-availability.type: kubernetes\nhigh-availability.storageDir: file:///ha # comment\n' }, 'orders'),
    ).toEqual({ enabled: true, storageDir: 'file:///ha', dataPath: 'file:///ha/orders' });
    expect(readHaSettings({ 'config.yaml': 'jobmanager:\n  memory:\n    process:\n      size: 1600m\n' }, 'orders')).toEqual({ enabled: false });
    expect(readHaSettings(undefined, 'orders')).toEqual({ enabled: false });
  });
});
