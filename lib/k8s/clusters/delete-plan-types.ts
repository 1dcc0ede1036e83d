// The wire shapes of the delete routes (types only: the dialog imports them too).
import type { HaJob } from '@/lib/flink/ha-data';

export type PlannedObject = { kind: string; name: string; ownedBy?: string; deleting?: boolean };

export type DeletePlan = {
  namespace: string;
  clusterId: string;
  /** false when there is no Deployment of that name (any more): nothing goes but the HA data, if asked. */
  exists: boolean;
  /** Set when a delete is already in progress. */
  deletionTimestamp?: string;
  /** The Deployment and every object owner-referenced to it, transitively, read from the live objects. */
  goes: PlannedObject[];
  stays: {
    highAvailability: {
      /** HA is on in the cluster's configuration (or HA ConfigMaps exist). */
      enabled: boolean;
      configMaps: string[];
      jobs: HaJob[];
      storageDir?: string;
      /** `<storageDir>/<cluster-id>`: the files Kubernetes does not hold; nothing here deletes them. */
      dataPath?: string;
    };
    /** The JobManager's ServiceAccount and, for the dashboard's shared `flink`, its Role and RoleBinding. */
    serviceAccount: { name: string; shared: boolean };
    rbac: { kind: 'Role' | 'RoleBinding'; name: string }[];
  };
  /** Plain words on what keeping the HA data means. */
  note: string;
};

export type DeleteResult = {
  namespace: string;
  clusterId: string;
  /** gone: nothing of the cluster is left; deleting: Kubernetes is removing it (Foreground). */
  state: 'gone' | 'deleting';
  alreadyGone: boolean;
  purgedConfigMaps: string[];
  keptConfigMaps: string[];
  message: string;
};

export type HaLeftover = {
  namespace: string;
  clusterId: string;
  configMaps: string[];
  jobs: HaJob[];
  dataPath?: string;
  createdAt?: string;
};
