// Facts that differ between the Flink versions the console supports.
import { DIST_CONF_BY_FOLDER, type DistConf } from './dist-conf/dist-conf.generated';

export const FLINK_VERSIONS = ['1.19', '1.20', '2.0', '2.1', '2.2', '2.3'] as const;
export type FlinkVersion = (typeof FLINK_VERSIONS)[number];

/** Major version 2 dropped flink-conf.yaml (GlobalConfiguration only reads config.yaml). */
export function isFlink2(version: FlinkVersion): boolean {
  return version.startsWith('2.');
}

/**
 * The official image tag used when the form leaves the image empty. Flink's own default
 * (KubernetesConfigOptions.getDefaultFlinkImage) is `apache/flink:<x.y.z>-scala_2.12`, which
 * pins the client's exact patch release; the console has no client, so it uses the official
 * Docker Hub library tag for the minor line (`flink:1.20` follows the newest 1.20.x).
 */
export function defaultImageFor(version: FlinkVersion): string {
  return `flink:${version}`;
}

/**
 * Newest patch release known per line, used only to name the built-in S3 plugin jar in
 * /opt/flink/opt (ENABLE_BUILT_IN_PLUGINS needs the exact file name) when the image tag does not
 * carry a full version. Users with other patch levels set ENABLE_BUILT_IN_PLUGINS themselves.
 */
export const NEWEST_KNOWN_PATCH: Record<FlinkVersion, string> = {
  '1.19': '1.19.3',
  '1.20': '1.20.3',
  '2.0': '2.0.1',
  '2.1': '2.1.1',
  '2.2': '2.2.0',
  '2.3': '2.3.0',
};

/**
 * Which reference distribution folder holds the conf/ files for a version. 2.1 and 2.2 are not
 * in lib/flink/dist-conf/reference: each takes the nearest release line (2.1 → 2.0, 2.2 → 2.3).
 * Known differences between 2.0 and 2.3: 2.3's env.java.opts.all drops
 * `--add-exports=java.base/sun.net.util=ALL-UNNAMED`, and its console logging files add a
 * `PythonWorker` logger at level ALL.
 */
export const DIST_CONF_FOLDER: Record<FlinkVersion, string> = {
  '1.19': '1.19',
  '1.20': '1.20',
  '2.0': '2.0',
  '2.1': '2.0',
  '2.2': '2.3',
  '2.3': '2.3',
};

export function getDistConf(version: FlinkVersion): DistConf {
  const conf = DIST_CONF_BY_FOLDER[DIST_CONF_FOLDER[version]];
  if (!conf) throw new Error(`no distribution conf for Flink ${version}`);
  return conf;
}

/**
 * Savepoint restore keys written by SavepointRestoreSettings.toConfiguration: 1.19 uses
 * SavepointConfigOptions (execution.savepoint.*), 1.20+ StateRecoveryOptions
 * (execution.state-recovery.*; the old keys stay as deprecated fallbacks).
 */
export function restoreKeysFor(version: FlinkVersion): {
  path: string;
  ignoreUnclaimedState: string;
  claimMode: string;
} {
  if (version === '1.19') {
    return {
      path: 'execution.savepoint.path',
      ignoreUnclaimedState: 'execution.savepoint.ignore-unclaimed-state',
      claimMode: 'execution.savepoint-restore-mode',
    };
  }
  return {
    path: 'execution.state-recovery.path',
    ignoreUnclaimedState: 'execution.state-recovery.ignore-unclaimed-state',
    claimMode: 'execution.state-recovery.claim-mode',
  };
}
